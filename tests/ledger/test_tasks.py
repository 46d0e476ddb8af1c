"""The ledger's Celery tasks: ids in, idempotent."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from saleor_mlm.ledger.crediting import credit_order_event
from saleor_mlm.ledger.models import LedgerEntry
from saleor_mlm.ledger.tasks import credit_uncredited_order_events_task, retry_parked_task
from saleor_mlm.orders.models import OrderEvent
from tests.fixtures.orders import order_line

pytestmark = pytest.mark.django_db


def test_crediting_an_event_by_id_is_idempotent(order_event_factory, ledger_partner):
    ledger_partner("ANNA", email="anna@example.com")
    event = order_event_factory(email="anna@example.com", lines=[order_line(net="10.00")])

    assert credit_order_event(event.pk).outcome == "credited"
    assert credit_order_event(event.pk).outcome == "already_credited"
    assert LedgerEntry.objects.count() == 1


def test_sweep_credits_events_that_never_reached_the_ledger(order_event_factory, ledger_partner):
    ledger_partner("ANNA", email="anna@example.com")
    old = order_event_factory(email="anna@example.com", lines=[order_line(net="10.00")])
    fresh = order_event_factory(email="anna@example.com", lines=[order_line(net="20.00")])
    OrderEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))

    assert credit_uncredited_order_events_task() == 1

    assert list(LedgerEntry.objects.values_list("order_id", "bv")) == [(old.order_id, Decimal("10.00"))]
    fresh.refresh_from_db()
    assert fresh.credited_at is None  # probably still on its way through the pipeline


def test_retry_parked_task(installation, order_event_factory, ledger_partner, exchange_rate):
    ledger_partner("ANNA", email="anna@example.com")
    event = order_event_factory(currency="USD", email="anna@example.com", lines=[order_line(currency="USD", net="10.00")])
    assert credit_order_event(event.pk).outcome == "parked"
    exchange_rate("USD", "0.9", on=datetime.date(2026, 1, 1))

    assert retry_parked_task(installation.pk) == {"credited": 1, "still_parked": 0}
    assert retry_parked_task(0) == {"credited": 0, "still_parked": 0}
