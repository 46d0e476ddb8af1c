"""End to end: signed webhook deliveries through the view, the processing task, the order
recording and its consumers, into the ledger."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from saleor_mlm.ledger import AttributionRule, ParkReason
from saleor_mlm.ledger.models import LedgerEntry, OrderAttribution, ParkedOrderEvent
from saleor_mlm.network.models import Customer
from saleor_mlm.orders.models import OrderRecord
from saleor_mlm.webhooks import DeliveryStatus
from saleor_mlm.webhooks.models import WebhookDelivery
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
