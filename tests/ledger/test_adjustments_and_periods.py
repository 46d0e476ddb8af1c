"""Adjustment entries, and the minimal periods: monthly, closed months pass entries on."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum

from saleor_mlm.calendar import PeriodStatus
from saleor_mlm.calendar.actions import open_period_for
from saleor_mlm.calendar.models import Period
from saleor_mlm.ledger.models import LedgerEntry
from saleor_mlm.periods.actions import close_period
from tests.fixtures.ledger import adjustment_entry
from tests.fixtures.periods import CLOSER, after

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("reason", "approved_by"), [("", "chef@example.com"), ("why", "")])
def test_an_adjustment_entry_without_reason_or_approver_is_refused_by_the_database(installation, ledger_partner, reason, approved_by):
    period = open_period_for(installation, datetime.date(2026, 10, 15))

    with pytest.raises(IntegrityError), transaction.atomic():
        adjustment_entry(ledger_partner(), 1, 1, reason, approved_by, period)

    assert not LedgerEntry.objects.exists()


def test_periods_are_calendar_months(installation):
    period = open_period_for(installation, datetime.datetime(2026, 2, 28, 23, 59, tzinfo=datetime.UTC))

    assert (period.starts_on, period.ends_on, period.status) == (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28), PeriodStatus.OPEN)
    assert open_period_for(installation, datetime.date(2026, 2, 1)) == period
    assert open_period_for(installation, datetime.date(2026, 3, 1)).ends_on == datetime.date(2026, 3, 31)


def test_a_closed_month_passes_entries_to_the_next_open_one(installation, active_plan):
    november = open_period_for(installation, datetime.date(2026, 11, 3))
    close_period(installation, november, CLOSER, now=after(november), enqueue=False)
    december = open_period_for(installation, datetime.date(2026, 12, 5))
    Period.objects.filter(pk=december.pk).update(status=PeriodStatus.APPROVED)

    period = open_period_for(installation, datetime.date(2026, 11, 20))

    assert period.starts_on == datetime.date(2027, 1, 1)


def test_periods_belong_to_their_installation(installation_factory):
    first, second = installation_factory(), installation_factory()

    assert open_period_for(first, datetime.date(2026, 11, 1)) != open_period_for(second, datetime.date(2026, 11, 1))


def test_period_sums_per_node_are_one_query(installation, ledger_partner, ledger_customer, django_assert_num_queries):
    anna = ledger_partner("ANNA")
    customer = ledger_customer(sponsor=anna)
    for pv in ("1", "2", "3"):
        adjustment_entry(anna, pv, pv, "x", "chef@example.com")
    adjustment_entry(customer, "5", "6", "x", "chef@example.com")
    period = LedgerEntry.objects.first().period

    with django_assert_num_queries(1):
        rows = list(LedgerEntry.objects.filter(installation=installation, period=period).own_volumes())

    assert sorted(rows, key=lambda row: (row["partner_id"] or 0)) == [
        {"partner_id": None, "customer_id": customer.pk, "pv": Decimal("5"), "bv": Decimal("6")},
        {"partner_id": anna.pk, "customer_id": None, "pv": Decimal("6"), "bv": Decimal("6")},
    ]
    assert LedgerEntry.objects.aggregate(total=Sum("pv"))["total"] == Decimal("11")
