"""Exactly once under concurrency, against PostgreSQL.

100 deliveries of one order's ORDER_FULLY_PAID arrive at once; whatever the interleaving,
one OrderEvent is recorded and the crediting step of the paid-order path runs once.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.db import connection, connections

from saleor_mlm.orders.models import OrderEvent, OrderRecord
from saleor_mlm.webhooks import DeliveryStatus
from saleor_mlm.webhooks.actions import receive_delivery
from saleor_mlm.webhooks.models import WebhookDelivery
from saleor_mlm.webhooks.processing import process_delivery
from tests.fixtures.webhooks import order_body

DELIVERIES = 100
# Concurrent clients: enough to overlap everything, few enough for PostgreSQL's 100
# connections when the suite runs on two xdist workers.
CONCURRENCY = 16

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


@pytest.fixture
def short_lived_connections(monkeypatch):
    """Threads close their connection when done instead of keeping it for CONN_MAX_AGE."""
    monkeypatch.setitem(connections["default"].settings_dict, "CONN_MAX_AGE", 0)


@pytest.fixture
def consumer_calls(crediting_step):
    calls: list[int] = []
    lock = threading.Lock()

    def count(event, payload):
        with lock:
            calls.append(event.pk)

    crediting_step.add(count)
    return calls


def bodies_of_one_order(app_id: str) -> list[bytes]:
    """ORDER_FULLY_PAID for one order, each issued at another moment (as when Saleor fires
    it more than once) or repeated byte for byte (as when Saleor retries)."""
    bodies = [
        order_body(app_id=app_id, order_id="T3JkZXI6Y29uY3VycmVudA==", issued_at=f"2026-11-24T14:{i // 60:02d}:{i % 60:02d}+00:00")
        for i in range(DELIVERIES // 2)
    ]
    return bodies + bodies


def test_100_concurrent_posts_record_one_order_event(
    live_server, fake_saleor, saleor_installation, consumer_calls, short_lived_connections
):
    url = f"{live_server.url}/api/webhooks/order_fully_paid"
    signed = [(body, fake_saleor.webhook_headers("order_fully_paid", body)) for body in bodies_of_one_order(fake_saleor.app_id)]
    local = threading.local()

    def post(item):
        body, headers = item
        session = getattr(local, "session", None) or setattr(local, "session", requests.Session()) or local.session
        return session.post(url, data=body, headers=headers, timeout=60).status_code

    with ThreadPoolExecutor(CONCURRENCY) as pool:
        codes = Counter(pool.map(post, signed))

    assert set(codes) <= {200, 202}, codes
    assert OrderRecord.objects.count() == 1
    (event,) = OrderEvent.objects.all()
    assert event.kind == "paid"
    assert consumer_calls == [event.pk]
    statuses = Counter(WebhookDelivery.objects.values_list("status", flat=True))
    assert statuses == {DeliveryStatus.PROCESSED: 1, DeliveryStatus.SKIPPED: DELIVERIES - 1}
    assert WebhookDelivery.objects.get(status=DeliveryStatus.PROCESSED).pk == event.delivery_id


def test_100_tasks_racing_on_one_order_record_one_order_event(
    fake_saleor, saleor_installation, consumer_calls, short_lived_connections, monkeypatch
):
    # Queue all deliveries first, with the broker holding the tasks back (so the intake's
    # duplicate check catches none of them), then let the tasks race; each task runs
    # twice, as after a redelivery.
    from saleor_mlm.webhooks import actions

    monkeypatch.setattr(actions, "enqueue", lambda delivery_id: True)
    ids = []
    for body in bodies_of_one_order(fake_saleor.app_id):
        result = receive_delivery("order_fully_paid", fake_saleor.webhook_headers("order_fully_paid", body), body)
        assert result.http_status == 202
        ids.append(result.delivery_id)
    barrier = threading.Barrier(CONCURRENCY)

    def run(delivery_id):
        try:
            if delivery_id in ids[:CONCURRENCY]:
                barrier.wait(timeout=30)  # the first wave starts at the same instant
            return process_delivery(delivery_id)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(CONCURRENCY) as pool:
        outcomes = Counter(pool.map(run, ids + ids))

    (event,) = OrderEvent.objects.all()
    assert consumer_calls == [event.pk]
    assert outcomes[DeliveryStatus.PROCESSED] >= 1
    assert set(outcomes) <= {DeliveryStatus.PROCESSED, DeliveryStatus.SKIPPED}
    statuses = Counter(WebhookDelivery.objects.values_list("status", flat=True))
    assert statuses == {DeliveryStatus.PROCESSED: 1, DeliveryStatus.SKIPPED: DELIVERIES - 1}
    assert set(WebhookDelivery.objects.values_list("attempts", flat=True)) == {1}
