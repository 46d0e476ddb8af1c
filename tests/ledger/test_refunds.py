"""Refunds and cancellations take back what was credited: proportionally for partial
refunds, what remains for full refunds and cancellations, never below zero, each event
once, and a refund before the payment waits for it."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum

from saleor_mlm.calendar import PeriodStatus
from saleor_mlm.calendar.models import Period
from saleor_mlm.ledger import EntryKind, ParkReason
from saleor_mlm.ledger.crediting import CreditOutcome, credit_order_event
from saleor_mlm.ledger.models import LedgerEntry, ParkedOrderEvent
from tests.fixtures.orders import order_line

pytestmark = pytest.mark.django_db

NOV = datetime.datetime(2026, 11, 10, 12, 0, tzinfo=datetime.UTC)
DEC = datetime.datetime(2026, 12, 2, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def anna(ledger_partner):
    return ledger_partner("ANNA", email="anna@example.com")


@pytest.fixture
def paid(order_event_factory, anna):
    """Anna's own order of 100.00: line A 2 x 30.00 with PV 10 each (PV 20, BV 60),
    line B 1 x 40.00 without metadata (PV = BV = 40). Credited: PV 60, BV 100."""
    event = order_event_factory(
        email="anna@example.com",
        created=NOV,
        issued_at=NOV,
        lines=[
            order_line(line_id="A", sku="A", quantity=2, net="30.00", variant_pv="10"),
            order_line(line_id="B", sku="B", quantity=1, net="40.00"),
        ],
    )
    assert credit_order_event(event).outcome == CreditOutcome.CREDITED
    return event


def per_line(order, kind=None):
    entries = LedgerEntry.objects.filter(order=order)
    if kind:
        entries = entries.filter(kind=kind)
    return {
        row["order_line_id"]: (row["pv"], row["bv"])
        for row in entries.values("order_line_id").annotate(pv=Sum("pv"), bv=Sum("bv")).order_by()
    }


def order_total(order):
    totals = LedgerEntry.objects.filter(order=order).aggregate(pv=Sum("pv"), bv=Sum("bv"))
    return totals["pv"], totals["bv"]


def entries_of(event):
    return {
        entry.order_line_id: (entry.kind, entry.pv, entry.bv)
        for entry in LedgerEntry.objects.filter(source_event=event)
    }


def test_partial_twice_then_full(paid, order_event_factory):
    order = paid.order
    first = order_event_factory("refunded", order=order, total_refunded="25.00", issued_at=NOV)
    assert credit_order_event(first).outcome == CreditOutcome.CREDITED
    # 25 % of each line.
    assert entries_of(first) == {
        "A": (EntryKind.REFUND, Decimal("-5"), Decimal("-15")),
        "B": (EntryKind.REFUND, Decimal("-10"), Decimal("-10")),
    }

    second = order_event_factory("refunded", order=order, total_refunded="40.00", issued_at=NOV)
    credit_order_event(second)
    # 40 % in total, so 15 % more.
    assert entries_of(second) == {
        "A": (EntryKind.REFUND, Decimal("-3"), Decimal("-9")),
        "B": (EntryKind.REFUND, Decimal("-6"), Decimal("-6")),
    }
    assert order_total(order) == (Decimal("36"), Decimal("60"))

    full = order_event_factory("fully_refunded", order=order, total_refunded="100.00", issued_at=NOV)
    credit_order_event(full)
    assert entries_of(full) == {
        "A": (EntryKind.REFUND, Decimal("-12"), Decimal("-36")),
        "B": (EntryKind.REFUND, Decimal("-24"), Decimal("-24")),
    }
    assert order_total(order) == (Decimal("0"), Decimal("0"))
    assert all(event.credited_at for event in order.events.all())


def test_cancel_after_partial_refund_takes_back_what_remains(paid, order_event_factory):
    order = paid.order
    credit_order_event(order_event_factory("refunded", order=order, total_refunded="25.00"))

    cancel = order_event_factory("cancelled", order=order, total_refunded="25.00", status="CANCELED")
    credit_order_event(cancel)

    assert entries_of(cancel) == {
        "A": (EntryKind.CANCELLATION, Decimal("-15"), Decimal("-45")),
        "B": (EntryKind.CANCELLATION, Decimal("-30"), Decimal("-30")),
    }
    assert order_total(order) == (Decimal("0"), Decimal("0"))


def test_refund_share_is_of_the_gross_total_and_rounded_per_line(order_event_factory, anna):
    # The captured sample: 2 x 22.49 with product PV 10, shipping 4.90, gross 49.88;
    # 5.00 refunded is 10.024 %: BV 44.98 -> 4.51, PV 20 -> 2.00.
    paid = order_event_factory(email="anna@example.com", shipping="4.90", lines=[order_line(line_id="L", quantity=2, net="22.49", product_pv="10")])
    credit_order_event(paid)

    refund = order_event_factory("refunded", order=paid.order, total_refunded="5.00")
    credit_order_event(refund)

    assert entries_of(refund) == {"L": (EntryKind.REFUND, Decimal("-2.00"), Decimal("-4.51"))}
    # Saleor's second ORDER_REFUNDED of the sample refunds everything: exactly what remains.
    rest = order_event_factory("refunded", order=paid.order, total_refunded="49.88")
    credit_order_event(rest)
    assert entries_of(rest) == {"L": (EntryKind.REFUND, Decimal("-18.00"), Decimal("-40.47"))}
    assert order_total(paid.order) == (Decimal("0"), Decimal("0"))


def test_full_refund_after_refunds_of_everything_takes_nothing(paid, order_event_factory):
    credit_order_event(order_event_factory("refunded", order=paid.order, total_refunded="100.00"))

    full = order_event_factory("fully_refunded", order=paid.order, total_refunded="100.00")
    result = credit_order_event(full)

    assert (result.outcome, result.entries) == (CreditOutcome.CREDITED, 0)
    assert order_total(paid.order) == (Decimal("0"), Decimal("0"))


def test_never_below_zero(paid, order_event_factory):
    # More refunded than the gross total (a goodwill refund on top): capped at the order.
    credit_order_event(order_event_factory("refunded", order=paid.order, total_refunded="130.00"))
    credit_order_event(order_event_factory("cancelled", order=paid.order, total_refunded="130.00"))
    credit_order_event(order_event_factory("fully_refunded", order=paid.order, total_refunded="130.00"))

    assert order_total(paid.order) == (Decimal("0"), Decimal("0"))
    for line_pv, line_bv in per_line(paid.order).values():
        assert line_pv == 0 and line_bv == 0


def test_an_older_partial_refund_arriving_late_takes_nothing_more(paid, order_event_factory):
    later = order_event_factory("refunded", order=paid.order, total_refunded="40.00")
    earlier = order_event_factory("refunded", order=paid.order, total_refunded="25.00")

    credit_order_event(later)
    result = credit_order_event(earlier)

    assert result.entries == 0
    assert order_total(paid.order) == (Decimal("36"), Decimal("60"))


@pytest.mark.parametrize("kind", ["refunded", "fully_refunded", "cancelled"])
def test_refund_before_payment_waits_for_it(order_event_factory, anna, kind):
    lines = [order_line(line_id="A", quantity=2, net="30.00", variant_pv="10"), order_line(line_id="B", net="40.00")]
    early = order_event_factory(kind, order_id="T3JkZXI6ZWFybHk=", email="anna@example.com", lines=lines, total_refunded="25.00")

    result = credit_order_event(early)

    assert result.outcome == CreditOutcome.PARKED
    parked = ParkedOrderEvent.objects.get(order_event=early)
    noun = {"refunded": "refund", "fully_refunded": "full refund", "cancelled": "cancellation"}[kind]
    assert parked.reason == ParkReason.AWAITING_PAYMENT
    assert parked.message == f"{noun} of order #{early.order.number} arrived before its payment; it is applied when the payment is credited"
    assert not LedgerEntry.objects.exists()

    paid = order_event_factory("paid", order=early.order, total_refunded="0")
    result = credit_order_event(paid)

    assert result.outcome == CreditOutcome.CREDITED
    assert [(applied.order_event_id, applied.outcome) for applied in result.applied_after] == [(early.pk, CreditOutcome.CREDITED)]
    expected = {"refunded": (Decimal("45"), Decimal("75")), "fully_refunded": (0, 0), "cancelled": (0, 0)}[kind]
    assert order_total(paid.order) == expected
    parked.refresh_from_db()
    early.refresh_from_db()
    assert parked.resolved_at is not None and early.credited_at is not None
    # Applying it again (a retry of the parked event) changes nothing.
    assert credit_order_event(early).outcome == CreditOutcome.ALREADY_CREDITED


@pytest.mark.parametrize("kind", ["paid", "refunded", "fully_refunded", "cancelled"])
def test_each_event_is_credited_once(paid, order_event_factory, kind):
    event = paid if kind == "paid" else order_event_factory(kind, order=paid.order, total_refunded="25.00")
    if kind != "paid":
        credit_order_event(event)
    before = LedgerEntry.objects.count()

    # The same event again, and a duplicate delivery (same dedupe key: the same event).
    again = credit_order_event(event)
    duplicate = order_event_factory(kind, order=paid.order, total_refunded="0" if kind == "paid" else "25.00")
    duplicate_result = credit_order_event(duplicate)

    assert duplicate.pk == event.pk
    assert again.outcome == duplicate_result.outcome == CreditOutcome.ALREADY_CREDITED
    assert LedgerEntry.objects.count() == before


def test_a_second_paid_event_of_the_same_order_credits_nothing(paid):
    from saleor_mlm.orders.models import OrderEvent

    # Two paid events of one order (a dedupe key the intake might change one day).
    other = OrderEvent.objects.create(
        installation=paid.installation, order=paid.order, kind="paid", dedupe_key="paid:again", issued_at=NOV
    )

    assert credit_order_event(other).outcome == CreditOutcome.ALREADY_CREDITED
    assert order_total(paid.order) == (Decimal("60"), Decimal("100"))


def test_refund_goes_to_the_period_it_happens_in(paid, order_event_factory):
    refund = order_event_factory("refunded", order=paid.order, total_refunded="25.00", issued_at=DEC)

    credit_order_event(refund)

    periods = {entry.kind: entry.period.starts_on for entry in LedgerEntry.objects.filter(order=paid.order)}
    assert periods == {EntryKind.ORDER: datetime.date(2026, 11, 1), EntryKind.REFUND: datetime.date(2026, 12, 1)}


def test_refund_dated_in_a_closed_period_goes_to_the_next_open_one(paid, order_event_factory):
    Period.objects.filter(starts_on=datetime.date(2026, 11, 1)).update(status=PeriodStatus.CLOSED)
    refund = order_event_factory("refunded", order=paid.order, total_refunded="25.00", issued_at=NOV)

    credit_order_event(refund)

    assert {entry.period.starts_on for entry in LedgerEntry.objects.filter(source_event=refund)} == {datetime.date(2026, 12, 1)}


def test_take_backs_stay_on_the_node_that_was_credited(order_event_factory, ledger_partner, ledger_customer):
    anna = ledger_partner("ANNA")
    erika = ledger_customer("erika@example.com", sponsor=anna)
    paid = order_event_factory(email="erika@example.com", lines=[order_line(net="50.00")])
    credit_order_event(paid)
    # Erika enrolls as a partner meanwhile; the refund still belongs to the customer node.
    ledger_partner("ERIKA", email="erika@example.com")

    credit_order_event(order_event_factory("fully_refunded", order=paid.order, total_refunded="50.00"))

    assert set(LedgerEntry.objects.filter(order=paid.order).values_list("partner_id", "customer_id")) == {(None, erika.pk)}
    assert order_total(paid.order) == (Decimal("0"), Decimal("0"))
