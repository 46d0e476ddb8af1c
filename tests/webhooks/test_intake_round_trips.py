"""The round trips intake spares (docs/webhooks.md, "Intake"): the installation kept per
process and checked inside the INSERT, and the drain flag remembered for a moment. What is
answered and stored must stay what a fresh read would give."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleor_mlm.installations.models import Installation
from saleor_mlm.webhooks import DeliveryStatus
from saleor_mlm.webhooks import batch as webhook_batch
from saleor_mlm.webhooks.models import WebhookDelivery
from tests.fixtures.celery import REDIS_GROUP
from tests.fixtures.webhooks import order_body

QUERIES = ("WITH", "INSERT", "SELECT", "UPDATE")


def post(client, fake_saleor, *, app_id: str | None = None):
    body = order_body(app_id=app_id or fake_saleor.app_id)
    headers = fake_saleor.webhook_headers("order_fully_paid", body)
    del headers["Content-Type"]
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/webhooks/order_fully_paid", data=body, content_type="application/json", headers=headers)
    return response, [q["sql"].split()[0] for q in queries.captured_queries if q["sql"].split()[0] in QUERIES]


def test_the_next_deliveries_take_one_statement(client, fake_saleor, saleor_installation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        first, first_statements = post(client, fake_saleor)
        second, second_statements = post(client, fake_saleor)

    assert (first.status_code, second.status_code) == (202, 202)
    assert first_statements == ["SELECT", "WITH"]
    assert second_statements == ["WITH"]  # the installation as read before, checked in the INSERT
    assert (
        list(WebhookDelivery.objects.values_list("status", "installation", "response_status").order_by("id"))
        == [(DeliveryStatus.QUEUED, saleor_installation.pk, 202)] * 2
    )


def test_an_app_id_changed_by_another_process_is_read_again(client, fake_saleor, saleor_installation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        assert post(client, fake_saleor)[0].status_code == 202
        # another process reinstalled the app: no signal reaches this one
        Installation.objects.filter(pk=saleor_installation.pk).update(app_id="QXBwOjk5")
        refused, statements = post(client, fake_saleor)
        accepted, _ = post(client, fake_saleor, app_id="QXBwOjk5")

    assert refused.status_code == 403  # as with a fresh read: the payload is for the old app
    assert statements == ["WITH", "SELECT", "INSERT"]  # the INSERT's check wrote nothing; read again
    assert accepted.status_code == 202
    assert WebhookDelivery.objects.filter(status=DeliveryStatus.INVALID).count() == 1
    assert WebhookDelivery.objects.filter(status=DeliveryStatus.QUEUED).count() == 2


def test_keys_rotated_by_another_process_are_read_again(client, fake_saleor, saleor_installation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        assert post(client, fake_saleor)[0].status_code == 202
        fake_saleor.rotate()
        Installation.objects.filter(pk=saleor_installation.pk).update(jwks=fake_saleor.jwks())
        response, statements = post(client, fake_saleor)

    assert response.status_code == 202
    assert statements == ["SELECT", "WITH"]  # the kept keys lacked the new one: read again


def test_an_installation_deleted_meanwhile_is_not_written_to(client, fake_saleor, saleor_installation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        assert post(client, fake_saleor)[0].status_code == 202
        WebhookDelivery.objects.all().delete()
        Installation.objects.filter(pk=saleor_installation.pk).delete()
        response, _ = post(client, fake_saleor)

    assert response.status_code == 401
    assert list(WebhookDelivery.objects.values_list("status", "installation")) == [(DeliveryStatus.INVALID, None)]


@pytest.mark.xdist_group(REDIS_GROUP)
@pytest.mark.django_db
def test_intake_remembers_the_drain_flag_for_a_moment(redis_broker, monkeypatch):
    monkeypatch.setattr(webhook_batch, "DRAIN_FLAG_MEMO_SECONDS", 60)  # a moment on a loaded test machine
    webhook_batch.schedule_drain(memo=True)
    assert redis_broker.queued_tasks() == 1
    redis_broker.client.delete(webhook_batch.drain_flag_key())  # the task started

    webhook_batch.schedule_drain(memo=True)  # within the memo: no round trip

    assert redis_broker.client.get(webhook_batch.drain_flag_key()) is None
    assert redis_broker.queued_tasks() == 1
    webhook_batch.schedule_drain()  # the sweep asks Redis every time
    assert redis_broker.queued_tasks() == 2


@pytest.mark.django_db(transaction=True)
def test_the_drain_task_claims_what_was_queued_while_intake_remembered_the_flag(saleor_installation):
    def queue_one_later():
        try:
            time.sleep(0.1)
            WebhookDelivery.objects.create(
                installation=saleor_installation, event="order_fully_paid", body=order_body(app_id=saleor_installation.app_id),
                status=DeliveryStatus.QUEUED, dedupe_key="x:paid",
            )  # fmt: skip
        finally:
            connection.close()

    thread = threading.Thread(target=queue_one_later)
    thread.start()
    # Nothing is queued when the drain starts; it claims again until the memo's end.
    drained = webhook_batch.drain(linger_until=time.monotonic() + 0.5)
    thread.join()

    assert drained == 1
    assert WebhookDelivery.objects.get().status != DeliveryStatus.QUEUED
