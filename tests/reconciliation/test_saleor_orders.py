"""The sync's query and the recorded pages, checked against Saleor 3.24's own schema."""

from decimal import Decimal

import pytest
from graphql import execute, parse, validate

from saleor_mlm.orders import OrderEventKind
from saleor_mlm.reconciliation.saleor_orders import ORDERS_QUERY, read_order
from saleor_mlm.saleor.events import ALL_EVENTS, subscription_document
from tests.fixtures.saleor import load_saleor_schema
from tests.reconciliation.conftest import captured_pages, captured_refund_pages, recorded_pages


@pytest.mark.parametrize("version", ["3.20", "3.24"])
def test_the_query_and_the_subscriptions_are_ones_saleor_accepts(version):
    schema = load_saleor_schema(version)

    assert validate(schema, parse(ORDERS_QUERY)) == []
    # The webhooks' fragment (with the granted refunds' lines) is shared: their documents too.
    for event in ALL_EVENTS:
        assert validate(schema, parse(subscription_document(event))) == [], event


def test_the_recorded_pages_are_answers_saleor_can_give(saleor_schema):
    """Execute the query over each page with Saleor's schema: a field of the wrong type, a
    null where Saleor never gives one, or a field the query does not ask shows up. The
    captured pages pass as the assembled ones must."""
    for page in recorded_pages() + captured_pages() + captured_refund_pages():
        variables = {"first": 2, "after": None, "updatedAt": {"gte": "2026-11-24T00:00:00+00:00"}}
        result = execute(saleor_schema, parse(ORDERS_QUERY), root_value=page["data"], variable_values=variables)
        assert result.errors is None
        assert result.data == page["data"]


def test_a_real_saleors_orders_marked_as_paid_stand_for_their_payment():
    """The captured pages: draft orders completed and marked as paid in the Dashboard's way
    (`orderMarkAsPaid`), one without a customer; each one payment, at ORDER_MARKED_AS_PAID."""
    nodes = {edge["node"]["number"]: edge["node"] for page in captured_pages() for edge in page["data"]["orders"]["edges"]}
    assert sorted(nodes) == ["1", "2", "3", "4"]

    first = read_order(nodes["1"])
    assert [kind for kind, _payload in first.events] == [OrderEventKind.PAID]
    assert first.events[0][1].issued_at.isoformat() == "2026-12-07T19:24:33.454139+00:00"
    assert first.order.total.gross.amount == Decimal("99.80")

    guest = read_order(nodes["3"])
    assert guest.paid and (guest.order.user, guest.order.user_email) == (None, "")


def test_a_real_saleors_refunded_cancelled_and_unpaid_orders_stand_for_their_events():
    """The captured pages after the refunds by line: the granted refunds with their lines, the
    refunds dated by Saleor's TRANSACTION_REFUND_REQUESTED, a cancellation, another currency."""
    nodes = {edge["node"]["number"]: edge["node"] for page in captured_refund_pages() for edge in page["data"]["orders"]["edges"]}
    assert sorted(nodes) == ["4", "5", "6", "7", "8"]

    by_line = read_order(nodes["4"])
    assert [kind for kind, _payload in by_line.events] == [OrderEventKind.PAID, OrderEventKind.REFUNDED]
    paid, refund = (payload for _kind, payload in by_line.events)
    assert paid.issued_at.isoformat() == "2026-12-07T22:51:22.990314+00:00"  # ORDER_FULLY_PAID
    assert refund.issued_at.isoformat() == "2026-12-07T22:51:33.361348+00:00"  # the last TRANSACTION_REFUND_REQUESTED
    assert [(granted.status, granted.amount.amount, sum(granted.lines.values())) for granted in refund.order.granted_refunds] == [
        ("SUCCESS", Decimal("19.99"), 1),
        ("SUCCESS", Decimal("54.80"), 1),
        ("SUCCESS", Decimal("10.00"), 0),
    ]
    # Fully refunded, its charge status still FULL: paid, refunded, fully refunded.
    assert [kind for kind, _payload in read_order(nodes["5"]).events] == [
        OrderEventKind.PAID,
        OrderEventKind.REFUNDED,
        OrderEventKind.FULLY_REFUNDED,
    ]
    assert [kind for kind, _payload in read_order(nodes["6"]).events] == [OrderEventKind.PAID, OrderEventKind.CANCELLED]
    assert read_order(nodes["7"]).order.currency == "USD" and read_order(nodes["7"]).paid
    assert read_order(nodes["8"]).events == []  # completed, nothing charged


def test_an_order_stands_for_the_events_saleor_sent_webhooks_for():
    first, second = recorded_pages()
    nodes = {edge["node"]["number"]: edge["node"] for page in (first, second) for edge in page["data"]["orders"]["edges"]}

    refunded = read_order(nodes["25"])
    assert [kind for kind, _payload in refunded.events] == [OrderEventKind.PAID, OrderEventKind.REFUNDED]
    paid, refund = (payload for _kind, payload in refunded.events)
    assert paid.issued_at.isoformat() == "2026-11-24T14:01:56.811565+00:00"  # ORDER_FULLY_PAID
    assert refund.issued_at.isoformat() == "2026-11-24T14:01:57.209041+00:00"  # the refund's transaction event
    assert refund.order.total_refunded.amount == Decimal("5.00")

    cancelled = read_order(nodes["27"])
    assert [kind for kind, _payload in cancelled.events] == [OrderEventKind.PAID, OrderEventKind.CANCELLED]
    assert read_order(nodes["29"]).events == []  # unconfirmed, nothing charged

    # Fully refunded: nothing charged any more, yet it was paid (Saleor sends both refund events).
    nodes["25"]["chargeStatus"], nodes["25"]["totalCharged"]["amount"] = "NONE", 0.0
    nodes["25"]["totalRefunded"]["amount"] = 49.88
    kinds = [kind for kind, _payload in read_order(nodes["25"]).events]
    assert kinds == [OrderEventKind.PAID, OrderEventKind.REFUNDED, OrderEventKind.FULLY_REFUNDED]
