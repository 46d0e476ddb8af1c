"""Batched processing with the real parts: signed deliveries posted to the intake view
with a Redis broker, drained by a real Celery worker, credited in the ledger.

The worker runs in a thread of this process (celery.contrib.testing), on its own Redis
database, against the test database through its own connection (hence
`transaction=True`).
"""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from django.db.models import Sum

from saleor_mlm.ledger.models import LedgerEntry
from saleor_mlm.webhooks import DeliveryStatus
from saleor_mlm.webhooks.models import WebhookDelivery
from tests.fixtures.celery import REDIS_GROUP
from tests.fixtures.orders import order_line, order_payload, webhook_body


@pytest.fixture
def redis_worker(redis_broker):
    from celery.contrib.testing.worker import start_worker

    from saleor_mlm.celery import app

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield app
    # The worker's connection to the test database ends with its thread.


@pytest.mark.xdist_group(REDIS_GROUP)
@pytest.mark.django_db(transaction=True)
def test_posted_deliveries_are_drained_in_batches_by_a_worker(client, fake_saleor, installation_factory, ledger_partner, redis_worker):
    import json

    installation = installation_factory(saleor_api_url=fake_saleor.api_url, app_id="QXBwOjE=", jwks=fake_saleor.jwks())
    ledger_partner("ANNA", installation=installation, saleor_user_id="VXNlcjoxMDE=")
    ledger_partner("BEN", installation=installation)

    count = 60
    for number in range(count):
        buyer = (
            {"email": "anna@example.com", "user_id": "VXNlcjoxMDE="}
            if number % 2
            else {"email": f"new{number % 7}@example.com", "voucher_code": "BEN"}
        )
        order = order_payload(order_id=f"W{number}", number=str(number), lines=[order_line(net="20.00", variant_pv="10")], **buyer)
        body = json.dumps(webhook_body("order_fully_paid", order)).encode()
        headers = fake_saleor.webhook_headers("order_fully_paid", body)
        headers = {name: value for name, value in headers.items() if name.lower() != "content-type"}
        response = client.post("/api/webhooks/order_fully_paid", data=body, content_type="application/json", headers=headers)
        assert response.status_code == 202, response.content

    deadline = time.monotonic() + 60
    while WebhookDelivery.objects.filter(status=DeliveryStatus.QUEUED).exists():
        assert time.monotonic() < deadline, "the worker did not drain the deliveries"
        time.sleep(0.1)

    assert WebhookDelivery.objects.filter(status=DeliveryStatus.PROCESSED).count() == count
    assert set(WebhookDelivery.objects.values_list("attempts", flat=True)) == {1}
    assert LedgerEntry.objects.aggregate(pv=Sum("pv"))["pv"] == Decimal(10 * count)
