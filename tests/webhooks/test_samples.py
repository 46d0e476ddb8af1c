"""The deliveries captured from a real Saleor verify and parse exactly."""

import datetime
from decimal import Decimal

import pytest

from saleor_mlm.saleor.payloads import CustomerEventPayload, OrderEventPayload, load_json, parse_payload
from saleor_mlm.webhooks.verification import BadSignatureError, verify_detached
from tests.fixtures.webhooks import SAMPLE_NAMES, load_sample, sample_jwks


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_captured_delivery_verifies_with_the_captured_jwks(name):
    headers, body = load_sample(name)

    header = verify_detached(headers["Saleor-Signature"], body, sample_jwks())

    assert header["alg"] == "RS256"
    assert header["b64"] is False
    assert header["crit"] == ["b64"]


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_a_changed_byte_breaks_every_captured_signature(name):
    headers, body = load_sample(name)
    tampered = body.replace(b'"recipient"', b'"recipienT"')

    with pytest.raises(BadSignatureError):
        verify_detached(headers["Saleor-Signature"], tampered, sample_jwks())


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_captured_body_parses_for_its_event(name):
    headers, body = load_sample(name)

    payload = parse_payload(headers["Saleor-Event"], load_json(body))

    assert payload.envelope.recipient_id == "QXBwOjE="
    assert payload.envelope.saleor_version == "3.24.0-a.0"
    assert payload.envelope.issuing_principal.type == "User"
    assert payload.issued_at.tzinfo is not None


def test_order_fully_paid_parses_into_exact_typed_values():
    _, body = load_sample("order_fully_paid")

    payload = parse_payload("order_fully_paid", load_json(body))

    assert isinstance(payload, OrderEventPayload)
    assert payload.issued_at == datetime.datetime(2026, 11, 24, 14, 1, 56, 811565, tzinfo=datetime.UTC)
    order = payload.order
    assert order.id == "T3JkZXI6NWJlNTZiZjItMmYzYi00YTAxLTkyMjAtZjA1OWUyNGY0Zjlk"
    assert order.number == "25"
    assert order.currency == "EUR"
    assert order.channel_slug == "channel-eur"
    assert order.voucher_code == "E2E10-1795528915"
    assert order.user_email == "customer.1795528915@example.com"
    assert order.user.id == "VXNlcjoyMQ=="
    assert order.user.email == "admin@example.com"
    assert order.billing_country == "DE"
    assert order.language_code == "EN"
    assert order.status == "UNFULFILLED"
    assert order.charge_status == "FULL"
    assert order.total.net.amount == Decimal("49.88")
    assert str(order.total.gross.amount) == "49.88"
    assert order.total_charged.amount == Decimal("49.88")
    assert str(order.total_refunded.amount) == "0.00"
    assert order.metadata == {}
    assert order.private_metadata == {}
    (line,) = order.lines
    assert line.product_sku == "E2E-TSHIRT-M"
    assert line.quantity == 2
    assert str(line.unit_price.net.amount) == "22.49"
    assert str(line.total_price.gross.amount) == "44.98"
    assert line.variant_id == "UHJvZHVjdFZhcmlhbnQ6NDAz"
    assert line.variant_metadata == {}
    assert line.product_id == "UHJvZHVjdDoxNjU="
    assert line.product_metadata == {"mlm.pv": "10"}


def test_variant_metadata_and_guest_orders_parse():
    _, paid_2 = load_sample("order_fully_paid_2")
    _, cancelled = load_sample("order_cancelled")

    line = parse_payload("order_fully_paid", load_json(paid_2)).order.lines[0]
    guest = parse_payload("order_cancelled", load_json(cancelled)).order

    assert line.variant_metadata == {"mlm.bv": "15.00", "mlm.pv": "12.5"}
    assert str(line.unit_price.net.amount) == "19.99"
    assert guest.user is None
    assert guest.user_email == "cancel.me@example.com"
    assert guest.voucher_code == ""
    assert guest.status == "CANCELED"
    assert str(guest.total.gross.amount) == "64.87"
    assert guest.lines[0].quantity == 3


def test_refund_samples_carry_the_refunded_totals():
    amounts = {
        name: parse_payload(load_sample(name)[0]["Saleor-Event"], load_json(load_sample(name)[1])).order.total_refunded.amount
        for name in ("order_refunded", "order_refunded_2", "order_fully_refunded")
    }

    assert amounts == {
        "order_refunded": Decimal("5.00"),
        "order_refunded_2": Decimal("49.88"),
        "order_fully_refunded": Decimal("49.88"),
    }


def test_customer_created_parses():
    _, body = load_sample("customer_created")

    payload = parse_payload("customer_created", load_json(body))

    assert isinstance(payload, CustomerEventPayload)
    assert payload.user.id == "VXNlcjo0Nw=="
    assert payload.user.email == "customer.1795528915@example.com"
    assert (payload.user.first_name, payload.user.last_name) == ("Erika", "Mustermann")
    assert payload.user.metadata == {}
