"""Signed but impossible payloads: refused at parsing with the bound they break (400,
REJECTED: nothing stored as processable), never a 202 that ends FAILED forever.

Deliveries are signed by `fake_saleor` exactly as Saleor signs, so every one of them gets
past the signature: what refuses them is `saleor.payloads`.
"""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone

from saleor_mlm.orders.models import OrderEvent, OrderRecord
from saleor_mlm.saleor.payloads import MAX_JSON_DEPTH, PayloadError, parse_body
from saleor_mlm.webhooks import DeliveryStatus
from saleor_mlm.webhooks.models import WebhookDelivery
from saleor_mlm.webhooks.processing import process_delivery
from tests.fixtures.webhooks import customer_body, order_body

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def with_order(change) -> bytes:
    data = json.loads(order_body(app_id="QXBwOjQy"))  # fake_saleor's app id
    change(data, data["order"])
    return json.dumps(data).encode()


def every_amount(order: dict, amount) -> None:
    order["total"] = {"net": {"amount": amount, "currency": "EUR"}, "gross": {"amount": amount, "currency": "EUR"}}


def line(order: dict) -> dict:
    return order["lines"][0]


IMPOSSIBLE = {
    "a NUL character": (
        lambda data, order: order.update(metadata=[{"key": "note", "value": "a\u0000b"}]),
        "the body contains a NUL character (\\u0000)",
    ),
    "17 digits before the point": (
        lambda data, order: every_amount(order, 12345678901234567.89),
        "order.total.net.amount 12345678901234568.00: Ensure that there are no more than 16 digits before the decimal point.",
    ),
    "a 300-character currency": (
        lambda data, order: order["channel"].update(currencyCode="E" * 300),
        "order currency 'EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE… is not a three-letter ISO 4217 code",
    ),
    "a 10,000-character order id": (
        lambda data, order: order.update(id="T" * 10_000),
        "order.id is longer than 255 characters (10000)",
    ),
    "a negative line total": (
        lambda data, order: line(order)["totalPrice"]["net"].update(amount=-100.0),
        "order.lines[0].totalPrice.net.amount is negative (-100.00)",
    ),
    "a negative refunded total": (
        lambda data, order: order.update(totalRefunded={"amount": -5, "currency": "EUR"}),
        "order.totalRefunded.amount is negative (-5.00)",
    ),
    "a negative quantity": (
        lambda data, order: line(order).update(quantity=-2),
        "order.lines[0].quantity '-2' is not between 0 and 2147483647",
    ),
    "issuedAt in year 9999": (
        lambda data, order: data.update(issuedAt="9999-12-31T23:59:59+00:00"),
        "issuedAt 9999-12-31T23:59:59+00:00 is more than 7 days from when the delivery was received",
    ),
    "issuedAt beyond the end of time in UTC": (
        lambda data, order: data.update(issuedAt="9999-12-31T23:59:59-01:00"),
        "is more than 7 days from when the delivery was received",
    ),
    "an order created next year": (
        lambda data, order: order.update(created=(NOW + datetime.timedelta(days=365)).isoformat()),
        "order.created",
    ),
    "an amount of 1e30": (
        lambda data, order: every_amount(order, 1e30),
        "order.total.net.amount: amount too large: 1e+30",
    ),
    "a 300-character order number": (
        lambda data, order: order.update(number="9" * 300),
        "order.number is longer than 64 characters (300)",
    ),
    "JSON nested 40 levels deep": (
        lambda data, order: order.update(metadata=[{"key": "k", "value": "v", "x": json.loads("[" * 40 + "]" * 40)}]),
        f"the body nests deeper than {MAX_JSON_DEPTH} levels",
    ),
}


@pytest.fixture(autouse=True)
def real_clock_window(settings):
    settings.WEBHOOK_MAX_CLOCK_SKEW = 7


@pytest.mark.parametrize("change, message", IMPOSSIBLE.values(), ids=IMPOSSIBLE.keys())
def test_impossible_signed_payloads_are_rejected_with_the_bound(post_webhook, fake_saleor, saleor_installation, change, message):
    body = with_order(lambda data, order: (data.update(issuedAt=NOW.isoformat()), change(data, order)))

    response = post_webhook("order_fully_paid", body, fake_saleor.webhook_headers("order_fully_paid", body))

    assert response.status_code == 400, response.content
    assert message in response.json()["error"]["message"]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.installation) == (DeliveryStatus.REJECTED, saleor_installation)
    assert bytes(delivery.body) == body  # Saleor's: kept whole, with the reason
    assert message in delivery.error
    assert not OrderRecord.objects.exists() and not OrderEvent.objects.exists()


def test_json_50000_levels_deep_signed_is_400_not_500(client, fake_saleor, saleor_installation):
    body = b"[" * 50_000 + b"]" * 50_000
    client.raise_request_exception = False

    response = client.post(
        "/api/webhooks/order_fully_paid",
        data=body,
        content_type="application/json",
        headers=fake_saleor.webhook_headers("order_fully_paid", body),
    )

    assert response.status_code == 400
    assert response.json()["error"]["message"] == f"the body nests deeper than {MAX_JSON_DEPTH} levels"


def test_over_long_customer_fields_are_rejected(post_webhook, fake_saleor, saleor_installation):
    body = customer_body(app_id=fake_saleor.app_id, issued_at=NOW.isoformat(), firstName="N" * 151)

    response = post_webhook("customer_created", body, fake_saleor.webhook_headers("customer_created", body))

    assert response.status_code == 400
    assert response.json()["error"]["message"] == "user.firstName is longer than 150 characters (151)"


@pytest.mark.parametrize("days, accepted", [(-8, False), (-6, True), (6, True), (8, False)])
def test_issued_at_must_lie_within_the_window_of_receipt(post_webhook, fake_saleor, saleor_installation, days, accepted):
    issued = (timezone.now() + datetime.timedelta(days=days)).isoformat()
    body = order_body(app_id=fake_saleor.app_id, issued_at=issued)

    response = post_webhook("order_fully_paid", body, fake_saleor.webhook_headers("order_fully_paid", body))

    assert response.status_code == (202 if accepted else 400), response.content
    assert OrderEvent.objects.exists() is accepted


def test_the_window_is_a_setting(post_webhook, fake_saleor, saleor_installation, settings):
    settings.WEBHOOK_MAX_CLOCK_SKEW = 30
    body = order_body(app_id=fake_saleor.app_id, issued_at=(timezone.now() - datetime.timedelta(days=20)).isoformat())

    assert post_webhook("order_fully_paid", body, fake_saleor.webhook_headers("order_fully_paid", body)).status_code == 202


def test_an_old_order_may_be_refunded_now(post_webhook, fake_saleor, saleor_installation):
    body = order_body(
        "order_refunded", app_id=fake_saleor.app_id, issued_at=timezone.now().isoformat(), created="2019-03-01T10:00:00+00:00"
    )

    assert post_webhook("order_refunded", body, fake_saleor.webhook_headers("order_refunded", body)).status_code == 202


def test_processing_checks_dates_against_the_time_of_receipt(post_webhook, fake_saleor, saleor_installation):
    """A delivery processed (or reprocessed) days after it came is judged by when it came."""
    received = timezone.now() - datetime.timedelta(days=30)
    body = order_body(app_id=fake_saleor.app_id, issued_at=received.isoformat(), created=received.isoformat())
    delivery = WebhookDelivery.objects.create(
        installation=saleor_installation, event="order_fully_paid", body=body, status=DeliveryStatus.QUEUED, received_at=received
    )

    assert process_delivery(delivery.pk) == DeliveryStatus.PROCESSED
    with pytest.raises(PayloadError, match="issuedAt"):
        parse_body("order_fully_paid", body, received_at=timezone.now())


def test_a_delivery_that_failed_on_an_impossible_payload_ends_rejected_when_reprocessed(saleor_installation):
    """Deliveries stored FAILED before the bounds existed: processing them again now
    refuses them with the reason, once, instead of failing forever."""
    body = with_order(lambda data, order: (data.update(issuedAt=NOW.isoformat()), order.update(id="T" * 10_000)))
    delivery = WebhookDelivery.objects.create(
        installation=saleor_installation, event="order_fully_paid", body=body, status=DeliveryStatus.FAILED
    )

    assert process_delivery(delivery.pk) == DeliveryStatus.REJECTED
    delivery.refresh_from_db()
    assert delivery.error == "order.id is longer than 255 characters (10000)"
