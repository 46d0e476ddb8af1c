"""The periodic sweep: nothing stays queued, FAILED deliveries are retried with a growing
wait, a stale backlog is logged and shown in /healthz, and the sweep is safe beside the
drains already running. (The worker killed mid-batch, with real processes:
tests/ledger/test_worker_killed.py.)"""

from __future__ import annotations

import datetime
import logging
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.utils import timezone

from saleor_mlm.celery import app as celery_app
from saleor_mlm.orders.models import OrderEvent
from saleor_mlm.webhooks import DeliveryStatus
from saleor_mlm.webhooks import batch as webhook_batch
from saleor_mlm.webhooks.actions import receive_delivery
from saleor_mlm.webhooks.models import WebhookDelivery
from saleor_mlm.webhooks.sweep import backlog, sweep
from saleor_mlm.webhooks.tasks import sweep_task
from tests.fixtures.celery import REDIS_GROUP
from tests.fixtures.webhooks import order_body

INTERVAL = 60  # WEBHOOK_SWEEP_INTERVAL's default


def ago(seconds: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=seconds)


@pytest.fixture
def queue(fake_saleor, saleor_installation, django_capture_on_commit_callbacks):
    """queue(n, received_at=None) -> n QUEUED deliveries whose task never ran (it died)."""

    def create(n: int, *, received_at: datetime.datetime | None = None) -> list[int]:
        ids = []
        for _ in range(n):
            body = order_body(app_id=fake_saleor.app_id)
            with django_capture_on_commit_callbacks(execute=False):  # the task is lost
                result = receive_delivery("order_fully_paid", fake_saleor.webhook_headers("order_fully_paid", body), body)
            assert result.http_status == 202
            ids.append(result.delivery_id)
        if received_at is not None:
            WebhookDelivery.objects.filter(pk__in=ids).update(received_at=received_at)
        return ids

    return create


@pytest.fixture
def failing_consumer(crediting_step):
    """The crediting step fails while `state["broken"]` (a bug, an outage)."""
    state = {"broken": True, "calls": 0}

    def consumer(event, payload):
        state["calls"] += 1
        if state["broken"]:
            raise RuntimeError("ledger unavailable")

    crediting_step.add(consumer)
    return state


def status_of(delivery_id: int) -> str:
    return WebhookDelivery.objects.get(pk=delivery_id).status


@pytest.mark.django_db
def test_stale_queued_deliveries_are_drained(queue):
    ids = queue(3, received_at=ago(2 * INTERVAL))

    result = sweep()

    assert result.drained and result.requeued == 0
    assert [status_of(pk) for pk in ids] == [DeliveryStatus.PROCESSED] * 3
    assert OrderEvent.objects.count() == 3
    assert result.backlog.queued == 0


@pytest.mark.django_db
def test_fresh_queued_deliveries_are_left_to_the_drain_on_its_way(queue):
    (fresh,) = queue(1)

    result = sweep()

    assert not result.drained
    assert status_of(fresh) == DeliveryStatus.QUEUED


@pytest.mark.django_db
def test_failed_deliveries_are_retried_after_a_growing_wait(queue, failing_consumer):
    from saleor_mlm.webhooks.processing import process_delivery

    (delivery,) = queue(1)
    assert process_delivery(delivery) == DeliveryStatus.FAILED  # attempt 1
    # After attempt n a retry is due once 2^n intervals have passed since receipt.
    WebhookDelivery.objects.filter(pk=delivery).update(received_at=ago(1.5 * INTERVAL))

    assert sweep().requeued == 0
    assert status_of(delivery) == DeliveryStatus.FAILED

    WebhookDelivery.objects.filter(pk=delivery).update(received_at=ago(2.5 * INTERVAL))
    assert sweep().requeued == 1  # attempt 2, still failing
    assert WebhookDelivery.objects.get(pk=delivery).attempts == 2
    assert sweep().requeued == 0  # attempt 3 waits for 4 intervals

    failing_consumer["broken"] = False  # the outage is over
    WebhookDelivery.objects.filter(pk=delivery).update(received_at=ago(4.5 * INTERVAL))
    result = sweep()

    assert result.requeued == 1
    assert status_of(delivery) == DeliveryStatus.PROCESSED
    assert WebhookDelivery.objects.get(pk=delivery).attempts == 3
    assert OrderEvent.objects.count() == 1


@pytest.mark.django_db
def test_a_delivery_that_keeps_failing_waits_for_a_person(queue, failing_consumer, settings):
    (delivery,) = queue(1)
    WebhookDelivery.objects.filter(pk=delivery).update(
        status=DeliveryStatus.FAILED, attempts=settings.WEBHOOK_SWEEP_MAX_ATTEMPTS, received_at=ago(365 * 86400)
    )

    result = sweep()

    assert result.requeued == 0 and failing_consumer["calls"] == 0
    assert (result.backlog.failed, result.backlog.failed_retrying) == (1, 0)
    assert not result.backlog.stale  # a person's job (`reprocess-webhooks --failed`), not an outage


@pytest.mark.django_db
def test_a_stale_backlog_is_logged(queue, failing_consumer, caplog):
    (delivery,) = queue(1)
    WebhookDelivery.objects.filter(pk=delivery).update(status=DeliveryStatus.FAILED, attempts=1, received_at=ago(700))

    with caplog.at_level(logging.ERROR, logger="saleor_mlm.webhooks.sweep"):
        result = sweep()

    assert result.requeued == 1 and status_of(delivery) == DeliveryStatus.FAILED  # failed again
    (record,) = [r for r in caplog.records if r.name == "saleor_mlm.webhooks.sweep"]
    assert record.levelno == logging.ERROR
    assert record.getMessage() == "webhook backlog is stale: deliveries wait longer than the alert threshold"
    assert (record.failed_retrying, record.queued, record.alert_after_seconds) == (1, 0, 600)
    assert record.oldest_waiting_seconds >= 700


@pytest.mark.django_db
def test_healthz_answers_503_with_the_backlog_while_it_is_stale(client, queue, settings):
    queue(2, received_at=ago(11 * 60))

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["webhooks"].startswith("stale: 2 deliveries waiting, the oldest for ")
    details = body["details"]["webhooks"]
    assert (details["queued"], details["failed"], details["alert_after_seconds"]) == (2, 0, 600)
    assert details["oldest_waiting_seconds"] >= 660
    # A load balancer's probe can leave the backlog out.
    skipped = client.get("/healthz?skip=webhooks")
    assert skipped.status_code == 200 and "webhooks" not in skipped.json()["checks"]

    settings.WEBHOOK_BACKLOG_ALERT_AFTER = 3600
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_the_sweep_is_in_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["webhooks-sweep"]

    assert entry["task"] == sweep_task.name and entry["task"] in celery_app.tasks
    assert entry["schedule"] == settings.WEBHOOK_SWEEP_INTERVAL
    assert entry["options"] == {"expires": settings.WEBHOOK_SWEEP_INTERVAL}


@pytest.mark.xdist_group(REDIS_GROUP)
@pytest.mark.django_db
def test_with_a_broker_the_sweep_queues_one_drain_task(queue, redis_broker):
    queue(2, received_at=ago(2 * INTERVAL))  # their drain task died long ago

    first, second = sweep(), sweep()

    assert first.drained and second.drained
    # One drain task on its way (the intake's flag), whatever the number of sweeps.
    assert redis_broker.queued_tasks() == 1
    assert WebhookDelivery.objects.filter(status=DeliveryStatus.QUEUED).count() == 2


def sweep_in_thread(_):
    try:
        return sweep().requeued
    finally:
        connection.close()


def drain_in_thread(_):
    try:
        return webhook_batch.drain(batch_size=3)
    finally:
        connection.close()


def stored(installation, n: int, status: str) -> list[int]:
    """Verified deliveries as intake stores them, whose processing task never ran (in a
    transactional test the intake's on-commit task would run at once)."""
    from saleor_mlm.saleor.payloads import parse_body
    from saleor_mlm.webhooks.actions import delivery_dedupe_key

    ids = []
    for _ in range(n):
        body = order_body(app_id=installation.app_id)
        key = delivery_dedupe_key(parse_body("order_fully_paid", body, received_at=None))
        delivery = WebhookDelivery.objects.create(
            installation=installation, event="order_fully_paid", body=body, status=status, dedupe_key=key, received_at=ago(2 * INTERVAL)
        )
        ids.append(delivery.pk)
    return ids


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_sweeps_beside_drains_process_each_delivery_once(saleor_installation, failing_consumer):
    failing_consumer["broken"] = False
    stale = stored(saleor_installation, 20, DeliveryStatus.QUEUED)
    failed = stored(saleor_installation, 10, DeliveryStatus.FAILED)  # the broker was down at intake

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda n: sweep_in_thread(n) if n % 2 else drain_in_thread(n), range(4)))

    assert set(WebhookDelivery.objects.filter(pk__in=stale + failed).values_list("status", flat=True)) == {DeliveryStatus.PROCESSED}
    assert set(WebhookDelivery.objects.filter(pk__in=stale + failed).values_list("attempts", flat=True)) == {1}
    assert OrderEvent.objects.count() == 30 and failing_consumer["calls"] == 30
    assert backlog().queued == 0
