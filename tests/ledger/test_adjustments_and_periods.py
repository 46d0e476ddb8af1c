"""Manual adjustments, and the minimal periods: monthly, closed months pass entries on."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from saleor_mlm.core.errors import DomainError
from saleor_mlm.ledger import EntryKind
from saleor_mlm.ledger.actions import create_adjustment
from saleor_mlm.ledger.models import LedgerEntry
from saleor_mlm.periods import PeriodStatus
from saleor_mlm.periods.actions import close_period, open_period_for
from saleor_mlm.periods.models import Period
from tests.fixtures.periods import CLOSER, after

pytestmark = pytest.mark.django_db


def test_adjustment_carries_reason_and_approver(ledger_partner, ledger_customer):
    anna = ledger_partner("ANNA")
    customer = ledger_customer(sponsor=anna)

    entry = create_adjustment(anna, "-5.5", "-7.25", "returned goods outside Saleor", "chef@example.com", created_by="clerk@example.com")
    create_adjustment(customer, 3, 0, "phone order", "chef@example.com")

    assert (entry.kind, entry.partner, entry.customer, entry.pv, entry.bv) == (EntryKind.ADJUSTMENT, anna, None, Decimal("-5.5"), Decimal("-7.25"))
    assert (entry.reason, entry.approved_by, entry.created_by, entry.order) == (
        "returned goods outside Saleor",
        "chef@example.com",
        "clerk@example.com",
        None,
    )
    today = timezone.now().date()
    assert entry.period.starts_on == today.replace(day=1) and entry.period.status == PeriodStatus.OPEN
    assert LedgerEntry.objects.filter(customer=customer).get().pv == Decimal("3")


@pytest.mark.parametrize(
    ("pv", "bv", "reason", "approved_by", "code", "field"),
    [
        ("1", "1", " ", "chef@example.com", "REQUIRED", "reason"),
        ("1", "1", "why", "", "REQUIRED", "approved_by"),
        ("0", "0", "why", "chef@example.com", "INVALID", "pv"),
        ("1,5", "0", "why", "chef@example.com", "INVALID", "pv"),
        ("1", "0.00001", "why", "chef@example.com", "INVALID", "bv"),
    ],
)
def test_adjustment_is_refused_when_incomplete(ledger_partner, pv, bv, reason, approved_by, code, field):
    with pytest.raises(DomainError) as error:
        create_adjustment(ledger_partner(), pv, bv, reason, approved_by)

    assert (error.value.code, error.value.field) == (code, field)
    assert not LedgerEntry.objects.exists()


def test_adjustment_into_a_closed_period_is_refused(installation, active_plan, ledger_partner):
    period = open_period_for(installation, datetime.date(2026, 10, 15))
    close_period(installation, period, CLOSER, now=after(period), enqueue=False)

    with pytest.raises(DomainError) as error:
        create_adjustment(ledger_partner(), 1, 1, "late correction", "chef@example.com", period)

    assert error.value.code == "PERIOD_CLOSED"


def test_adjustment_into_another_installations_period_is_refused(installation_factory, ledger_partner):
    period = open_period_for(installation_factory(), datetime.date(2026, 10, 15))

    with pytest.raises(DomainError) as error:
        create_adjustment(ledger_partner(), 1, 1, "x", "chef@example.com", period)

    assert error.value.code == "WRONG_INSTALLATION"


def test_adjustment_into_a_named_open_period(installation, ledger_partner):
    period = open_period_for(installation, datetime.date(2026, 10, 15))

    entry = create_adjustment(ledger_partner(), 1, 1, "x", "chef@example.com", period)

    assert entry.period == period


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
        create_adjustment(anna, pv, pv, "x", "chef@example.com")
    create_adjustment(customer, "5", "6", "x", "chef@example.com")
    period = LedgerEntry.objects.first().period

    with django_assert_num_queries(1):
        rows = list(LedgerEntry.objects.filter(installation=installation, period=period).own_volumes())

    assert sorted(rows, key=lambda row: (row["partner_id"] or 0)) == [
        {"partner_id": None, "customer_id": customer.pk, "pv": Decimal("5"), "bv": Decimal("6")},
        {"partner_id": anna.pk, "customer_id": None, "pv": Decimal("6"), "bv": Decimal("6")},
    ]
    assert LedgerEntry.objects.aggregate(total=Sum("pv"))["total"] == Decimal("11")
