"""Many order events of one line of partners credited in parallel against PostgreSQL:
nothing lost, nothing credited twice.

Real transactions (`transaction=True`), one database connection per worker thread. The
events are handed out twice each and in shuffled order, refunds included, so workers race
on the same order, on the same new customer (first attribution sticks) and on periods
being created.
"""

import random
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, Sum

from saleor_mlm.ledger import AttributionRule, EntryKind
from saleor_mlm.ledger.crediting import CreditOutcome, credit_order_event
from saleor_mlm.ledger.models import LedgerEntry, OrderAttribution, ParkedOrderEvent
from saleor_mlm.network.models import Customer
from saleor_mlm.orders.models import OrderEvent
from tests.fixtures.orders import order_line

ORDERS = 200
WORKERS = 8


def credit_in_thread(event_id: int) -> str:
    try:
        return credit_order_event(event_id).outcome
    finally:
        connection.close()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_parallel_crediting_loses_nothing_and_credits_nothing_twice(order_event_factory, ledger_partner, ledger_customer):
    rng = random.Random(20261124)
    # One line: P0 <- P1 <- ... <- P9.
    line = []
    for index in range(10):
        line.append(ledger_partner(f"P{index}", sponsor=line[-1] if line else None, email=f"p{index}@example.com"))
    known = [ledger_customer(f"known{index}@example.com", sponsor=line[index]) for index in range(10)]

    events = []
    expected_pv = expected_bv = Decimal(0)
    for number in range(ORDERS):
        kind = number % 4
        if kind == 0:  # a partner's own order
            buyer = {"email": f"p{number % 10}@example.com"}
        elif kind == 1:  # a known customer, with some other partner's code
            buyer = {"email": known[number % 10].email, "voucher_code": f"P{(number + 3) % 10}"}
        else:  # new customers, 25 people with two orders each, with different codes
            buyer = {"email": f"new{number % 25}@example.com", "voucher_code": f"P{number % 10}"}
        quantity = 1 + number % 3
        paid = order_event_factory(number=str(number), lines=[order_line(quantity=quantity, net="20.00", variant_pv="10")], **buyer)
        events.append(paid)
        pv, bv = Decimal(10 * quantity), Decimal(20 * quantity)
        if number % 5 == 0:
            # Half refunded; the refund may well be credited before the payment.
            events.append(order_event_factory("refunded", order=paid.order, total_refunded=str(10 * quantity)))
            pv, bv = pv / 2, bv / 2
        expected_pv += pv
        expected_bv += bv

    work = [event.pk for event in events] * 2  # every event twice: duplicate deliveries
    rng.shuffle(work)
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        outcomes = list(pool.map(credit_in_thread, work))

    totals = LedgerEntry.objects.aggregate(pv=Sum("pv"), bv=Sum("bv"))
    assert (totals["pv"], totals["bv"]) == (expected_pv, expected_bv)
    # Every event credited exactly once; nothing left parked.
    assert not OrderEvent.objects.filter(credited_at__isnull=True).exists()
    assert not ParkedOrderEvent.objects.filter(resolved_at__isnull=True).exists()
    # Each payment credited once. Refunds exist before their payment is credited, so the
    # payment applies them; a refund's own turn finds it parked (before) or done (after).
    assert outcomes.count(CreditOutcome.CREDITED) == ORDERS
    assert set(outcomes) <= {CreditOutcome.CREDITED, CreditOutcome.ALREADY_CREDITED, CreditOutcome.PARKED}
    duplicates = (
        LedgerEntry.objects.values("source_event_id", "order_line_id").annotate(n=Count("id")).filter(n__gt=1)
    )
    assert not duplicates.exists()
    assert LedgerEntry.objects.filter(kind=EntryKind.ORDER).count() == ORDERS
    assert OrderAttribution.objects.count() == ORDERS
    # 10 known + 25 new customers, each once; each new one kept its first sponsor.
    assert Customer.objects.count() == 35
    for email_number in range(25):
        customer = Customer.objects.get(email=f"new{email_number}@example.com")
        rules = set(OrderAttribution.objects.filter(customer=customer).values_list("rule", flat=True))
        assert rules == {AttributionRule.VOUCHER, AttributionRule.KNOWN_CUSTOMER}
        first = OrderAttribution.objects.get(customer=customer, rule=AttributionRule.VOUCHER)
        assert customer.sponsor == first.via_partner
