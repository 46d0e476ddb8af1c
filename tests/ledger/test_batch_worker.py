"""Batched processing with the real parts: signed deliveries posted to the intake view
with a Redis broker, drained by a real Celery worker, credited in the ledger.

The worker runs in a thread of this process (celery.contrib.testing), on its own Redis
database, against the test database through its own connection (hence
`transaction=True`).
"""

from __future__ import annotations

import os
import time
from decimal import Decimal

import pytest
from django.db.models import Sum

from saleor_mlm.ledger.models import LedgerEntry
from saleor_mlm.webhooks import DeliveryStatus
from saleor_mlm.webhooks import batch as webhook_batch
from saleor_mlm.webhooks.models import WebhookDelivery
from tests.fixtures.orders import order_line, order_payload, webhook_body

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15").rsplit("/", 1)[0] + "/12"


def forget_broker_connections(app) -> None:
    """Celery keeps the connection pool of the first broker URL it used; another test of
    this process may have used another one. The pool is dropped, not closed: what
    still holds it (producers of other threads) must not find it closed."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def redis_worker(settings):
    import redis
    from celery.contrib.testing.worker import start_worker

    from saleor_mlm.celery import app

    # Read (and so load) the app's configuration before the settings change: Celery reads
    # Django's settings the first time its configuration is used, and must not keep these.
    saved = app.conf.broker_url, app.conf.task_always_eager
    redis.Redis.from_url(REDIS_URL).flushdb()
    settings.CELERY_BROKER_URL = REDIS_URL
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.SALEOR_WRITE_BACK = False
    webhook_batch._redis.cache_clear()
    app.conf.broker_url, app.conf.task_always_eager = REDIS_URL, False
    forget_broker_connections(app)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield app
    finally:
        app.conf.broker_url, app.conf.task_always_eager = saved
        forget_broker_connections(app)
        webhook_batch._redis.cache_clear()
        # The worker's connection to the test database ends with its thread.


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
