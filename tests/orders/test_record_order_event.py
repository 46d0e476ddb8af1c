"""orders.actions.record_order_event(s): every field recorded, each event once, `on_new` once."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest

from saleor_mlm.orders import OrderEventKind
from saleor_mlm.orders.actions import order_event_dedupe_key, record_order_event, record_order_events
from saleor_mlm.orders.models import OrderEvent, OrderRecord
from saleor_mlm.saleor.payloads import load_json, parse_order_event
from tests.fixtures.webhooks import load_sample, order_body

pytestmark = pytest.mark.django_db


def sample_payload(name: str):
    headers, body = load_sample(name)
    return parse_order_event(headers["Saleor-Event"], load_json(body))


def payload_of(body: bytes, event: str = "order_fully_paid"):
    return parse_order_event(event, json.loads(body))


def test_the_order_record_holds_every_field_of_the_payload(installation):
    event, created = record_order_event(installation, sample_payload("order_fully_paid"), OrderEventKind.PAID)

    assert created
    record = OrderRecord.objects.get()
    assert record.installation == installation
    assert record.saleor_order_id == "T3JkZXI6NWJlNTZiZjItMmYzYi00YTAxLTkyMjAtZjA1OWUyNGY0Zjlk"
    assert record.number == "25"
    assert record.channel_slug == "channel-eur"
    assert record.currency == "EUR"
    assert record.user_id == "VXNlcjoyMQ=="
    assert record.user_email == "customer.1795528915@example.com"
    assert record.user_metadata == {}
    assert record.voucher_code == "E2E10-1795528915"
    assert record.language_code == "EN"
    assert record.billing_country == "DE"
    assert record.status == "UNFULFILLED"
    assert record.charge_status == "FULL"
    assert record.metadata == {} and record.private_metadata == {}
    assert record.total_net == Decimal("49.88")
    assert record.total_gross == Decimal("49.88")
    assert record.total_charged == Decimal("49.88")
    assert record.total_refunded == Decimal("0")
    assert record.saleor_created_at == datetime.datetime(2026, 11, 24, 14, 1, 56, 664207, tzinfo=datetime.UTC)
    assert record.lines == [
        {
            "id": "T3JkZXJMaW5lOjRiNGIxMzBhLTg4ZjEtNDk3MC04ZGU3LTM5ZjA5OGZlZjZjZA==",
            "product_sku": "E2E-TSHIRT-M",
            "quantity": 2,
            "unit_price": {"net": {"amount": "22.49", "currency": "EUR"}, "gross": {"amount": "22.49", "currency": "EUR"}},
            "total_price": {"net": {"amount": "44.98", "currency": "EUR"}, "gross": {"amount": "44.98", "currency": "EUR"}},
            "variant_id": "UHJvZHVjdFZhcmlhbnQ6NDAz",
            "variant_metadata": {},
            "product_id": "UHJvZHVjdDoxNjU=",
            "product_metadata": {"mlm.pv": "10"},
        }
    ]
    assert (event.kind, event.dedupe_key, event.total_refunded) == ("paid", "paid", Decimal("0"))
    assert event.issued_at == datetime.datetime(2026, 11, 24, 14, 1, 56, 811565, tzinfo=datetime.UTC)
    assert event.credited_at is None


def test_metadata_of_order_user_and_lines_is_kept(installation):
    body = order_body(
        order_id="T3JkZXI6bWV0YQ==",
        metadata=[{"key": "mlm.partner", "value": "ANNA-1"}],
        privateMetadata=[{"key": "mlm.note", "value": "x"}],
        user={"id": "VXNlcjo5", "email": "buyer@example.com", "metadata": [{"key": "mlm.sponsor", "value": "ANNA-1"}]},
    )

    record_order_event(installation, payload_of(body), OrderEventKind.PAID)

    record = OrderRecord.objects.get()
    assert record.metadata == {"mlm.partner": "ANNA-1"}
    assert record.private_metadata == {"mlm.note": "x"}
    assert record.user_metadata == {"mlm.sponsor": "ANNA-1"}
    assert record.user_id == "VXNlcjo5"


def test_guest_orders_have_no_user_but_keep_the_email(installation):
    record_order_event(installation, sample_payload("order_cancelled"), OrderEventKind.CANCELLED)

    record = OrderRecord.objects.get()
    assert (record.user_id, record.user_email, record.user_metadata) == ("", "cancel.me@example.com", {})
    assert record.lines[0]["variant_metadata"] == {"mlm.bv": "15.00", "mlm.pv": "12.5"}


@pytest.mark.parametrize(
    "sample, kind, key",
    [
        ("order_fully_paid", OrderEventKind.PAID, "paid"),
        ("order_refunded", OrderEventKind.REFUNDED, "refunded:5.00"),
        ("order_refunded_2", OrderEventKind.REFUNDED, "refunded:49.88"),
        ("order_fully_refunded", OrderEventKind.FULLY_REFUNDED, "fully_refunded"),
        ("order_cancelled", OrderEventKind.CANCELLED, "cancelled"),
    ],
)
def test_dedupe_keys(sample, kind, key):
    assert order_event_dedupe_key(kind, sample_payload(sample).order) == key


def test_the_captured_life_of_order_25_is_four_events(installation):
    for name, kind in (
        ("order_fully_paid", OrderEventKind.PAID),
        ("order_refunded", OrderEventKind.REFUNDED),
        ("order_refunded_2", OrderEventKind.REFUNDED),
        ("order_fully_refunded", OrderEventKind.FULLY_REFUNDED),
        ("order_fully_paid", OrderEventKind.PAID),  # redelivered
        ("order_refunded", OrderEventKind.REFUNDED),  # redelivered
    ):
        record_order_event(installation, sample_payload(name), kind)

    record = OrderRecord.objects.get()
    assert list(record.events.order_by("pk").values_list("dedupe_key", "total_refunded")) == [
        ("paid", Decimal("0")),
        ("refunded:5.00", Decimal("5")),
        ("refunded:49.88", Decimal("49.88")),
        ("fully_refunded", Decimal("49.88")),
    ]
    # The newest state wins, late redeliveries of older events do not roll it back.
    assert (record.total_refunded, record.total_charged, record.charge_status) == (Decimal("49.88"), Decimal("0"), "NONE")


def consumer(func):
    """`on_new` calling `func(event, payload)` for each new event, as consumers were called."""
    return lambda new: [func(event, payload) for event, payload in new]


def test_a_duplicate_returns_the_existing_event_and_does_not_call_on_new(installation):
    calls = []
    on_new = consumer(lambda event, payload: calls.append(event.pk))
    payload = sample_payload("order_fully_paid")

    first, created_first = record_order_event(installation, payload, OrderEventKind.PAID, on_new=on_new)
    second, created_second = record_order_event(installation, payload, OrderEventKind.PAID, on_new=on_new)

    assert (created_first, created_second) == (True, False)
    assert first.pk == second.pk
    assert calls == [first.pk]


def test_on_new_gets_the_event_and_the_typed_payload_inside_the_transaction(installation):
    seen = []

    def look(event, payload):
        # The event is already saved and its order locked: the caller writes beside it.
        seen.append((OrderEvent.objects.filter(pk=event.pk).exists(), payload.order.number, payload.order.lines[0].product_metadata))

    record_order_event(installation, sample_payload("order_fully_paid"), OrderEventKind.PAID, on_new=consumer(look))

    assert seen == [(True, "25", {"mlm.pv": "10"})]


def test_a_raising_on_new_rolls_back_the_event(installation):
    def broken(event, payload):
        raise RuntimeError("no")

    with pytest.raises(RuntimeError):
        record_order_event(installation, sample_payload("order_fully_paid"), OrderEventKind.PAID, on_new=consumer(broken))

    assert not OrderEvent.objects.exists()


def test_orders_are_scoped_to_their_installation(installation_factory):
    first, second = installation_factory(), installation_factory()
    payload = sample_payload("order_fully_paid")

    record_order_event(first, payload, OrderEventKind.PAID)
    record_order_event(second, payload, OrderEventKind.PAID)

    assert OrderRecord.objects.count() == 2
    assert OrderEvent.objects.count() == 2


def test_zero_decimal_currencies_are_recorded_exactly(installation):
    body = json.loads(order_body(order_id="T3JkZXI6anB5"))
    order = body["order"]
    order["channel"] = {"slug": "channel-jpy", "currencyCode": "JPY"}
    for money in (order["totalCharged"], order["totalRefunded"], order["total"]["net"], order["total"]["gross"]):
        money["currency"] = "JPY"
    order["total"]["net"]["amount"] = order["total"]["gross"]["amount"] = order["totalCharged"]["amount"] = 4988.0
    for line in order["lines"]:
        for price in ("unitPrice", "totalPrice"):
            for part in ("net", "gross"):
                line[price][part] = {"amount": 2494.0, "currency": "JPY"}

    record_order_event(installation, parse_order_event("order_fully_paid", body), OrderEventKind.PAID)

    record = OrderRecord.objects.get()
    assert record.currency == "JPY"
    assert record.total_gross == Decimal("4988")
    assert record.lines[0]["unit_price"]["net"]["amount"] == "2494"


def test_unknown_kinds_are_refused(installation):
    with pytest.raises(ValueError, match="unknown order event kind"):
        record_order_event(installation, sample_payload("order_fully_paid"), "shipped")


def test_a_batch_records_what_one_by_one_records_and_refuses_two_events_of_one_order(installation):
    paid, refunded = sample_payload("order_fully_paid"), sample_payload("order_refunded")
    other = payload_of(order_body(order_id="T3JkZXI6b3RoZXI="))
    new = []

    recorded = record_order_events(
        installation,
        [(paid, OrderEventKind.PAID, None), (other, OrderEventKind.PAID, None)],
        on_new=consumer(lambda event, payload: new.append(payload.order.id)),
    )

    assert [created for _event, created in recorded] == [True, True]
    assert new == [paid.order.id, other.order.id]
    with pytest.raises(ValueError, match="one event per order"):
        record_order_events(installation, [(paid, OrderEventKind.PAID, None), (refunded, OrderEventKind.REFUNDED, None)])
    assert OrderEvent.objects.count() == 2
