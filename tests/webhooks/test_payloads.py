"""Parsing at the boundary: exact money, graceful nulls, clear errors."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from saleor_mlm.core.currency import InvalidAmount, currency_digits, quantum, to_decimal
from saleor_mlm.saleor.payloads import PayloadError, load_json, parse_payload
from tests.fixtures.webhooks import customer_body, order_body


@pytest.mark.parametrize(
    "amount, currency, expected",
    [
        (49.88, "EUR", "49.88"),
        (0.1 + 0.2, "EUR", "0.30"),  # 0.30000000000000004 -> the cent it means
        (22.49, "eur", "22.49"),
        (1500.0, "JPY", "1500"),
        (1499.5, "JPY", "1500"),
        (1.2345, "KWD", "1.235"),
        (0.5, "BHD", "0.500"),
        (7, "USD", "7.00"),
        ("12.345", "EUR", "12.35"),
        (Decimal("3"), "CLF", "3.0000"),
    ],
)
def test_amounts_are_exact_in_the_currency_minor_unit(amount, currency, expected):
    value = to_decimal(amount, currency)

    assert str(value) == expected


def test_currency_digits_table():
    assert [currency_digits(code) for code in ("EUR", "USD", "JPY", "KRW", "KWD", "BHD", "XYZ", "")] == [2, 2, 0, 0, 3, 3, 2, 2]
    assert quantum("JPY") == Decimal("1")
    assert quantum("KWD") == Decimal("0.001")


@pytest.mark.parametrize("amount", [float("nan"), float("inf"), "abc", None, True])
def test_non_amounts_are_refused(amount):
    with pytest.raises(InvalidAmount):
        to_decimal(amount, "EUR")


def parse(body: bytes, event: str = "order_fully_paid"):
    return parse_payload(event, load_json(body))


def test_nulls_for_missing_permissions_read_as_empty():
    body = order_body(metadata=None, privateMetadata=None, user=None, billingAddress=None, voucherCode=None, lines=None)

    order = parse(body).order

    assert (order.metadata, order.private_metadata, order.user, order.billing_country, order.voucher_code) == ({}, {}, None, "", "")
    assert order.lines == ()


def test_a_line_without_variant_still_counts():
    data = json.loads(order_body())
    data["order"]["lines"][0]["variant"] = None

    line = parse(json.dumps(data).encode()).order.lines[0]

    assert (line.variant_id, line.variant_metadata, line.product_id, line.product_metadata) == ("", {}, "", {})
    assert line.quantity == 2


def test_a_lines_product_type_category_and_collections_are_read_for_the_programs():
    data = json.loads(order_body())
    product = data["order"]["lines"][0]["variant"]["product"]
    product.update(productType={"id": "UHJvZHVjdFR5cGU6Nw=="}, category={"id": "Q2F0ZWdvcnk6Mw=="}, collections=[{"id": "Q29sbDox"}, {"id": "Q29sbDoy"}])
    without = json.loads(order_body())
    without["order"]["lines"][0]["variant"]["product"].update(productType=None, category=None, collections=None)

    line = parse(json.dumps(data).encode()).order.lines[0]
    bare = parse(json.dumps(without).encode()).order.lines[0]

    assert (line.product_type_id, line.category_id, line.collection_ids) == ("UHJvZHVjdFR5cGU6Nw==", "Q2F0ZWdvcnk6Mw==", ("Q29sbDox", "Q29sbDoy"))
    assert {key: line.as_json()[key] for key in ("product_type_id", "category_id", "collection_ids")} == {
        "product_type_id": "UHJvZHVjdFR5cGU6Nw==",
        "category_id": "Q2F0ZWdvcnk6Mw==",
        "collection_ids": ["Q29sbDox", "Q29sbDoy"],
    }
    # Deleted (null) or not sent: nothing stored, the line still counts in the default program.
    assert (bare.product_type_id, bare.category_id, bare.collection_ids) == ("", "", ())
    assert not {"product_type_id", "category_id", "collection_ids"} & set(bare.as_json())


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d.pop("order"), "'order' is missing or null"),
        (lambda d: d["order"].pop("id"), "order.id is missing"),
        (lambda d: d["order"].update(channel=None, total=None), "order currency is missing"),
        (lambda d: d["order"].update(total=None), "order.total is missing"),
        (lambda d: d["order"]["lines"][0].update(quantity="2"), "order.lines[0].quantity is not an integer"),
        (lambda d: d["order"]["lines"][0].pop("id"), "order.lines[0].id is missing"),
        (lambda d: d["order"].update(metadata={"a": "b"}), "order.metadata is not a list"),
        (lambda d: d["order"]["totalCharged"].update(currency="USD"), "order.totalCharged is in USD, the order in EUR"),
        (lambda d: d["order"]["totalRefunded"].update(amount="x"), "order.totalRefunded.amount: not an amount"),
        (lambda d: d.update(issuedAt="yesterday"), "issuedAt is not an ISO 8601 date-time"),
        (lambda d: d.update(__typename="OrderCreated"), "payload is a OrderCreated, expected OrderFullyPaid"),
    ],
)
def test_unusable_bodies_raise_payload_error_with_the_reason(change, message):
    data = json.loads(order_body())
    change(data)

    with pytest.raises(PayloadError) as error:
        parse(json.dumps(data).encode())

    assert message in str(error.value)


def test_not_json_or_not_an_object():
    with pytest.raises(PayloadError, match="not JSON"):
        load_json(b"\xff\xfe")
    with pytest.raises(PayloadError, match="not a JSON object"):
        load_json(b"[1, 2]")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-32"])
@pytest.mark.parametrize("data", [{"note": "a\u0000b"}, {"a\u0000": 1}, {"lines": [{"x": ["\u0000"]}]}])
def test_a_nul_is_found_in_every_encoding_json_reads(encoding, data):
    # in UTF-8 the escape's bytes tell where to look; in UTF-16/32 the whole body is walked
    body = json.dumps(data).encode(encoding)

    with pytest.raises(PayloadError, match="NUL character"):
        load_json(body)
    assert load_json(json.dumps({"note": "a\\u0000b"}).encode(encoding)) == {"note": "a\\u0000b"}  # a backslash, then text


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_the_depth_is_checked_with_or_without_an_escaped_nul(encoding):
    deep = {"a": [{"b": [1]}]}
    for _ in range(20):
        deep = {"x": [deep]}
    with pytest.raises(PayloadError, match="nests deeper"):
        load_json(json.dumps(deep).encode(encoding))
    with pytest.raises(PayloadError, match="nests deeper"):
        load_json(json.dumps({"note": "\\u0000", "deep": deep}).encode(encoding))


def test_customer_payload_needs_the_user():
    data = json.loads(customer_body())
    data["user"] = None

    with pytest.raises(PayloadError, match="MANAGE_USERS"):
        parse(json.dumps(data).encode(), "customer_created")


def test_a_principal_app_is_recognised():
    data = json.loads(order_body())
    data["issuingPrincipal"] = {"__typename": "App", "id": "QXBwOjE="}

    envelope = parse(json.dumps(data).encode()).envelope

    assert (envelope.issuing_principal.type, envelope.issuing_principal.id) == ("App", "QXBwOjE=")
