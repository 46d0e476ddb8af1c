"""End to end: signed webhook deliveries through the view, the processing task, the order
recording and the crediting it calls (the paid-order path, webhooks/use_cases.py), into the ledger."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from saleor_mlm.ledger import AttributionRule, ParkReason
from saleor_mlm.ledger.models import LedgerEntry, OrderAttribution, ParkedOrderEvent
from saleor_mlm.network.models import Customer
from saleor_mlm.orders.models import OrderRecord
from saleor_mlm.webhooks import DeliveryStatus
from saleor_mlm.webhooks.models import WebhookDelivery
from tests.fixtures.orders import order_line, order_payload, webhook_body
from tests.fixtures.webhooks import SAMPLE_API_URL, SAMPLE_APP_ID, load_sample, order_body, sample_jwks

pytestmark = pytest.mark.django_db


def order_totals(number: str):
    totals = LedgerEntry.objects.filter(order__number=number).aggregate(pv=Sum("pv"), bv=Sum("bv"))
    return totals["pv"], totals["bv"]


def test_captured_saleor_deliveries_credit_and_take_back(post_webhook, installation_factory, ledger_partner):
    installation = installation_factory(saleor_api_url=SAMPLE_API_URL, app_id=SAMPLE_APP_ID, jwks=sample_jwks())
    anna = ledger_partner("ANNA", installation=installation, voucher_code="E2E10-1795528915")

    def deliver(name):
        headers, body = load_sample(name)
        response = post_webhook(headers["Saleor-Event"], body, headers)
        assert response.status_code < 300, response.content
        return response

    # Order #25: 2 x E2E-TSHIRT-M, product mlm.pv=10, no BV metadata, voucher of Anna.
    deliver("order_fully_paid")
    attribution = OrderAttribution.objects.get(order__number="25")
    customer = Customer.objects.get(email="customer.1795528915@example.com")
    assert (attribution.rule, attribution.customer, customer.sponsor) == (AttributionRule.VOUCHER, customer, anna)
    assert order_totals("25") == (Decimal("20.00"), Decimal("44.98"))
    entry = LedgerEntry.objects.get(order__number="25")
    assert entry.delivery == WebhookDelivery.objects.get(event="order_fully_paid", dedupe_key__endswith=":paid")

    deliver("order_refunded")  # 5.00 of 49.88 refunded
    assert order_totals("25") == (Decimal("18.00"), Decimal("40.47"))
    deliver("order_refunded")  # Saleor retries: a duplicate delivery
    assert order_totals("25") == (Decimal("18.00"), Decimal("40.47"))
    deliver("order_refunded_2")  # everything refunded
    deliver("order_fully_refunded")
    assert order_totals("25") == (Decimal("0.00"), Decimal("0.00"))
    assert LedgerEntry.objects.filter(order__number="25").count() == 3

    # Order #26: variant S with mlm.pv=12.5, mlm.bv=15.00; no code: a house customer.
    deliver("order_fully_paid_2")
    attribution = OrderAttribution.objects.get(order__number="26")
    assert attribution.rule == AttributionRule.HOUSE
    assert order_totals("26") == (Decimal("12.50"), Decimal("15.00"))

    # Order #27 was cancelled, and its payment never reached us: parked, waiting for it.
    deliver("order_cancelled")
    parked = ParkedOrderEvent.objects.get()
    assert (parked.order.number, parked.reason) == ("27", ParkReason.AWAITING_PAYMENT)
    assert order_totals("27") == (None, None)

    assert set(WebhookDelivery.objects.values_list("status", flat=True)) <= {DeliveryStatus.PROCESSED, DeliveryStatus.SKIPPED}


def test_a_delivery_signed_with_a_fresh_rsa_key(post_webhook, fake_saleor, saleor_installation, ledger_partner):
    bert = ledger_partner("BERT", installation=saleor_installation, email="bert@example.com")
    body = order_body(
        app_id=fake_saleor.app_id,
        order_id="T3JkZXI6YmVydA==",
        userEmail="bert@example.com",
        user=None,
        voucherCode=None,
    )

    response = post_webhook("order_fully_paid", body, fake_saleor.webhook_headers("order_fully_paid", body))

    assert response.status_code == 202
    record = OrderRecord.objects.get(saleor_order_id="T3JkZXI6YmVydA==")
    assert OrderAttribution.objects.get(order=record).rule == AttributionRule.PARTNER_EMAIL
    assert list(LedgerEntry.objects.filter(partner=bert).values_list("pv", "bv")) == [(Decimal("20.00"), Decimal("44.98"))]
    assert record.events.get().credited_at is not None


# --- product metadata the ledger cannot use parks the order (docs/ledger.md) ---------------


def post_order(client, fake_saleor, event: str, order: dict, **kwargs):
    import json

    body = json.dumps(webhook_body(event, order, **kwargs)).encode()
    headers = {k: v for k, v in fake_saleor.webhook_headers(event, body).items() if k.lower() != "content-type"}
    return client.post(f"/api/webhooks/{event}", data=body, content_type="application/json", headers=headers)


@pytest.mark.parametrize("value", ["1e400", "12345678901234567", "-5", "12,5"])
def test_volume_metadata_the_ledger_cannot_use_parks_the_order_with_a_reason(
    client, django_capture_on_commit_callbacks, fake_saleor, installation_factory, ledger_partner, value
):
    installation = installation_factory(saleor_api_url=fake_saleor.api_url, app_id=SAMPLE_APP_ID, jwks=fake_saleor.jwks())
    ledger_partner("ANNA", installation=installation, saleor_user_id="VXNlcjoxMDE=")
    order = order_payload(
        order_id="T3JkZXI6cGFya2Vk", number="77", user_id="VXNlcjoxMDE=", lines=[order_line(line_id="L1", variant_pv=value)]
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = post_order(client, fake_saleor, "order_fully_paid", order)

    assert response.status_code == 202
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PROCESSED  # not FAILED: nothing to retry, something to fix
    parked = ParkedOrderEvent.objects.get()
    variant_id = order["lines"][0]["variant"]["id"]
    assert parked.reason == ParkReason.INVALID_METADATA
    assert parked.message.startswith(f"order #77: variant {variant_id} metadata mlm.pv='{value}' ")
    assert not LedgerEntry.objects.exists()


def test_a_parked_order_is_credited_once_a_later_delivery_corrected_it(
    client, django_capture_on_commit_callbacks, fake_saleor, installation_factory, ledger_partner
):
    from saleor_mlm.ledger.tasks import retry_parked_everywhere_task

    installation = installation_factory(saleor_api_url=fake_saleor.api_url, app_id=SAMPLE_APP_ID, jwks=fake_saleor.jwks())
    anna = ledger_partner("ANNA", installation=installation, saleor_user_id="VXNlcjoxMDE=")
    broken = order_payload(order_id="T3JkZXI6Zml4ZWQ=", number="78", user_id="VXNlcjoxMDE=", lines=[order_line(line_id="L1", net="20.00", variant_pv="1e400")])
    with django_capture_on_commit_callbacks(execute=True):
        assert post_order(client, fake_saleor, "order_fully_paid", broken).status_code == 202
    # The merchant fixes the variant in Saleor; the order's next delivery (a partial refund)
    # carries the corrected metadata, and is itself parked until the payment is credited.
    fixed = {**broken, "lines": [order_line(line_id="L1", net="20.00", variant_pv="10")]}
    fixed["lines"][0]["variant"]["id"] = broken["lines"][0]["variant"]["id"]
    fixed.update(totalRefunded={"amount": 5.0, "currency": "EUR"}, totalCharged={"amount": 15.0, "currency": "EUR"})
    with django_capture_on_commit_callbacks(execute=True):
        assert post_order(client, fake_saleor, "order_refunded", fixed).status_code == 202

    assert retry_parked_everywhere_task.delay().get() == {"credited": 2, "still_parked": 0}

    assert order_totals("78") == (Decimal("7.50"), Decimal("15.00"))  # 10 PV, 20 BV, a quarter refunded
    assert set(LedgerEntry.objects.values_list("partner", flat=True)) == {anna.pk}
    assert not ParkedOrderEvent.objects.filter(resolved_at__isnull=True).exists()


def test_the_retry_of_parked_orders_is_in_the_beat_schedule(settings):
    from saleor_mlm.celery import app
    from saleor_mlm.ledger.tasks import retry_parked_everywhere_task

    entry = settings.CELERY_BEAT_SCHEDULE["ledger-retry-parked"]
    assert entry["task"] == retry_parked_everywhere_task.name and entry["task"] in app.tasks
    assert entry["schedule"] == settings.LEDGER_RETRY_PARKED_INTERVAL
