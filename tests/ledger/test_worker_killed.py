"""Nothing stays queued: a Celery worker process killed with SIGKILL in the middle of a
batch, restarted, and no new delivery coming. The beat schedule's sweep gets every delivery
processed, and each credited exactly once.

What happens without the sweep: the killed worker's drain task is neither acknowledged nor
given back (Redis hands an unacknowledged message out again only after its visibility
timeout, an hour), the drain flag expires, and the QUEUED deliveries wait for the next
delivery to schedule a drain, which may never come.

To kill the worker *mid-batch* without timing anything, the test holds the advisory lock a
period close would take on November's period: the worker credits October's deliveries,
then waits on that lock inside its third batch, holding that batch's rows, until it is
killed. Everything is real: the intake view with signed deliveries, Redis (REDIS_URL), a worker
and `celery beat` as processes of their own on the test database.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import psycopg
import pytest
from django.db import connection
from django.db.models import Count, Sum

from saleor_mlm.calendar.actions import open_period_for
from saleor_mlm.calendar.locks import PERIOD_LOCK_NAMESPACE
from saleor_mlm.ledger.models import LedgerEntry
from saleor_mlm.orders.models import OrderEvent
from saleor_mlm.webhooks import DeliveryStatus, batch
from saleor_mlm.webhooks.models import WebhookDelivery
from tests.fixtures.celery import REDIS_GROUP, database_url, wait_until
from tests.fixtures.orders import order_line, order_payload, webhook_body

OCTOBER = datetime.datetime(2026, 10, 15, 12, 0, tzinfo=datetime.UTC)
NOVEMBER = datetime.datetime(2026, 11, 15, 12, 0, tzinfo=datetime.UTC)
IN_OCTOBER, IN_NOVEMBER = 120, 130  # deliveries, in this order
BATCH_SIZE = 50  # so batches 1-2 are October's and batch 3 holds both months


def backends_of(application_name: str, *, waiting_on_advisory_lock: bool = False) -> int:
    condition = "AND wait_event_type = 'Lock' AND wait_event = 'advisory'" if waiting_on_advisory_lock else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM pg_stat_activity WHERE application_name = %s {condition}", [application_name])
        return cursor.fetchone()[0]


def statuses() -> dict[str, int]:
    return dict(WebhookDelivery.objects.values_list("status").annotate(n=Count("id")).order_by())


@pytest.mark.slow
@pytest.mark.xdist_group(REDIS_GROUP)
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_then_restarted_processes_every_delivery_once(
    client, fake_saleor, installation_factory, ledger_partner, redis_broker, celery_processes, monkeypatch
):
    # The burst is posted before any worker runs: the intake's drain flag must outlive it, or
    # a slow (loaded) machine queues a new drain task every DRAIN_FLAG_SECONDS and more than
    # the killed worker reserves would be left for the restarted one, which is not the case
    # under test.
    monkeypatch.setattr(batch, "DRAIN_FLAG_SECONDS", 3600)
    installation = installation_factory(saleor_api_url=fake_saleor.api_url, app_id="QXBwOjE=", jwks=fake_saleor.jwks())
    anna = ledger_partner("ANNA", installation=installation, saleor_user_id="VXNlcjoxMDE=")
    november = open_period_for(installation, NOVEMBER)

    deliveries = []
    for number in range(IN_OCTOBER + IN_NOVEMBER):
        when = OCTOBER if number < IN_OCTOBER else NOVEMBER
        order = order_payload(
            order_id=f"T3JkZXI6a2lsbGVk{number}",
            number=str(number),
            email="anna@example.com",
            user_id="VXNlcjoxMDE=",
            created=when,
            lines=[order_line(net="20.00", variant_pv="10")],
        )
        body = json.dumps(webhook_body("order_fully_paid", order, issued_at=when)).encode()
        headers = {k: v for k, v in fake_saleor.webhook_headers("order_fully_paid", body).items() if k.lower() != "content-type"}
        deliveries.append((body, headers))
    posted = []
    for body, headers in deliveries:  # signed beforehand: a burst, as Saleor sends them
        response = client.post("/api/webhooks/order_fully_paid", data=body, content_type="application/json", headers=headers)
        assert response.status_code == 202, response.content
        posted.append(response.json()["delivery"])

    # A close of November would take this lock: the worker's crediting of November waits.
    with psycopg.connect(database_url(), autocommit=True) as closing:
        closing.execute("SELECT pg_advisory_lock(%s, %s)", [PERIOD_LOCK_NAMESPACE, november.pk % 2**31])
        worker = celery_processes.start("worker", redis_broker, WEBHOOK_BATCH_SIZE=str(BATCH_SIZE), PGAPPNAME="mlm-worker-killed")
        wait_until(
            lambda: backends_of("mlm-worker-killed", waiting_on_advisory_lock=True),
            "the worker did not get to November's deliveries",
            processes=celery_processes,
        )
        worker.kill()
    # The lock is released with its connection; the killed worker's server process then
    # finds its client gone and rolls the third batch back.
    wait_until(lambda: not backends_of("mlm-worker-killed"), "the killed worker's transaction did not end")

    # The scenario: the drain tasks the intake queued were all taken by the killed worker
    # (it reserves up to four); none is left for the restarted one.
    assert redis_broker.queued_tasks() == 0
    first_two_batches = posted[: 2 * BATCH_SIZE]
    assert statuses() == {DeliveryStatus.PROCESSED: 2 * BATCH_SIZE, DeliveryStatus.QUEUED: len(posted) - 2 * BATCH_SIZE}
    assert set(WebhookDelivery.objects.filter(status=DeliveryStatus.PROCESSED).values_list("id", flat=True)) == set(first_two_batches)
    assert LedgerEntry.objects.count() == 2 * BATCH_SIZE

    # Restarted, and no new delivery: beat's sweep (every second here; the worker reads
    # the same setting for what is stale, as it would in one deployment) drains the rest.
    celery_processes.start("worker", redis_broker, WEBHOOK_BATCH_SIZE=str(BATCH_SIZE), WEBHOOK_SWEEP_INTERVAL="1")
    celery_processes.start("beat", redis_broker, WEBHOOK_SWEEP_INTERVAL="1")
    wait_until(
        lambda: statuses() == {DeliveryStatus.PROCESSED: len(posted)},
        "the queued deliveries were not processed after the restart",
        timeout=180,
        processes=celery_processes,
    )

    # Each delivery once: one attempt each (the killed batch's attempt was rolled back), one
    # order event and one ledger entry per order, none twice.
    assert set(WebhookDelivery.objects.values_list("attempts", flat=True)) == {1}
    assert OrderEvent.objects.count() == len(posted)
    entries = LedgerEntry.objects.filter(partner=anna)
    assert entries.count() == len(posted)
    assert entries.values("order").distinct().count() == len(posted)
    assert entries.aggregate(pv=Sum("pv"))["pv"] == Decimal(10 * len(posted))
    by_month = dict(entries.values_list("period__starts_on").annotate(n=Count("id")).order_by())
    assert by_month == {datetime.date(2026, 10, 1): IN_OCTOBER, datetime.date(2026, 11, 1): IN_NOVEMBER}
