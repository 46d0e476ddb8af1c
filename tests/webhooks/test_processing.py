"""The processing task: idempotent, failures kept with their traceback, reprocessable."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from saleor_mlm.orders.models import OrderEvent
from saleor_mlm.webhooks import DeliveryStatus, use_cases
from saleor_mlm.webhooks.actions import receive_delivery
from saleor_mlm.webhooks.models import WebhookDelivery
from saleor_mlm.webhooks.processing import process_delivery
from tests.fixtures.webhooks import customer_body, order_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued_delivery(fake_saleor, saleor_installation, django_capture_on_commit_callbacks):
    """receive(body=None, event=...) -> a QUEUED delivery whose task has not run yet."""

    def receive(body: bytes | None = None, event: str = "order_fully_paid") -> WebhookDelivery:
        body = body or order_body(event, app_id=fake_saleor.app_id)
        with django_capture_on_commit_callbacks(execute=False):
            result = receive_delivery(event, fake_saleor.webhook_headers(event, body), body)
        assert result.http_status == 202, result
        return WebhookDelivery.objects.get(pk=result.delivery_id)

    return receive


def test_processing_twice_records_once(queued_delivery, crediting_step):
    calls = []
    crediting_step.add(lambda event, payload: calls.append((event.pk, payload.order.id)))
    delivery = queued_delivery()

    first = process_delivery(delivery.pk)
    second = process_delivery(delivery.pk)

    assert (first, second) == (DeliveryStatus.PROCESSED, DeliveryStatus.PROCESSED)
    delivery.refresh_from_db()
    assert delivery.attempts == 1
    assert OrderEvent.objects.count() == 1
    assert calls == [(OrderEvent.objects.get().pk, delivery.subject_id)]


def test_two_deliveries_of_one_event_credit_once(queued_delivery, fake_saleor, crediting_step):
    calls = []
    crediting_step.add(lambda event, payload: calls.append(event.pk))
    body = order_body(app_id=fake_saleor.app_id, order_id="T3JkZXI6dHdpY2U=")
    first, second = queued_delivery(body), queued_delivery(body)  # both queued before either ran

    assert process_delivery(first.pk) == DeliveryStatus.PROCESSED
    assert process_delivery(second.pk) == DeliveryStatus.SKIPPED

    second.refresh_from_db()
    assert second.error == "duplicate: nothing new to record"
    assert second.result["orders.record_order_event"]["created"] is False
    assert len(calls) == 1


def test_a_failing_consumer_leaves_nothing_and_the_delivery_failed(queued_delivery, crediting_step):
    def broken(event, payload):
        raise RuntimeError("ledger bug")

    crediting_step.add(broken)
    delivery = queued_delivery()

    assert process_delivery(delivery.pk) == DeliveryStatus.FAILED

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert "Traceback" in delivery.error and "RuntimeError: ledger bug" in delivery.error
    assert delivery.processed_at is None
    assert not OrderEvent.objects.exists()  # the event rolled back with the crediting step


def test_reprocess_failed_runs_them_again(queued_delivery, crediting_step):
    state = {"broken": True}

    def flaky(event, payload):
        if state["broken"]:
            raise RuntimeError("ledger bug")

    crediting_step.add(flaky)
    delivery = queued_delivery()
    process_delivery(delivery.pk)
    state["broken"] = False

    call_command("reprocess_webhooks", "--failed", stdout=(out := _Out()))

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PROCESSED
    assert delivery.attempts == 2
    assert delivery.error == ""
    assert OrderEvent.objects.count() == 1
    assert f"#{delivery.pk} order_fully_paid: failed -> processed" in out.text
    assert "reprocessed 1 deliveries: 1 processed" in out.text


def test_reprocess_by_id_reverifies_a_delivery_refused_before_the_install(
    post_webhook, fake_saleor, installation_factory
):
    # A body within the first KB is kept whole even unverified, so it can be checked again.
    body = customer_body(app_id=fake_saleor.app_id, user_id="VXNlcjo5")
    assert post_webhook("customer_created", body, fake_saleor.webhook_headers("customer_created", body)).status_code == 401
    delivery = WebhookDelivery.objects.get()
    assert delivery.body_is_complete
    installation_factory(saleor_api_url=fake_saleor.api_url, app_id=fake_saleor.app_id, jwks=fake_saleor.jwks())

    call_command("reprocess_webhooks", "--id", str(delivery.pk), stdout=_Out())

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PROCESSED
    assert delivery.subject_id == "VXNlcjo5"


def test_reprocess_by_id_keeps_a_bounded_record_invalid_with_the_reason(post_webhook, fake_saleor, installation_factory):
    body = order_body(app_id=fake_saleor.app_id)  # 1.4 KB: only the first KB was kept
    assert post_webhook("order_fully_paid", body, fake_saleor.webhook_headers("order_fully_paid", body)).status_code == 401
    delivery = WebhookDelivery.objects.get()
    installation_factory(saleor_api_url=fake_saleor.api_url, app_id=fake_saleor.app_id, jwks=fake_saleor.jwks())

    call_command("reprocess_webhooks", "--id", str(delivery.pk), stdout=_Out())

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.INVALID
    assert delivery.error == (
        f"only the first 1024 of {len(body)} bytes of this unverified delivery were kept: it cannot be verified again"
    )
    assert not OrderEvent.objects.exists()


def test_reprocess_by_id_keeps_a_forgery_invalid(post_webhook, fake_saleor, saleor_installation):
    body = order_body(app_id=fake_saleor.app_id)
    headers = fake_saleor.webhook_headers("order_fully_paid", body)
    post_webhook("order_fully_paid", body.replace(b"49.88", b"99.88", 1), headers)
    delivery = WebhookDelivery.objects.get()

    call_command("reprocess_webhooks", "--id", str(delivery.pk), stdout=_Out())

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.INVALID
    assert not OrderEvent.objects.exists()


def test_reprocess_needs_a_selection_and_known_ids():
    with pytest.raises(CommandError, match="say what to reprocess"):
        call_command("reprocess_webhooks")
    with pytest.raises(CommandError, match="no delivery with id 999"):
        call_command("reprocess_webhooks", "--id", "999")


def test_reprocess_dry_run_changes_nothing(queued_delivery, crediting_step):
    crediting_step.add(lambda event, payload: 1 / 0)
    delivery = queued_delivery()
    process_delivery(delivery.pk)

    call_command("reprocess_webhooks", "--failed", "--dry-run", stdout=(out := _Out()))

    assert f"would reprocess #{delivery.pk} order_fully_paid (failed)" in out.text
    assert out.text.rstrip().endswith("would reprocess 1 deliveries")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)


def test_reprocess_dry_run_says_when_there_is_nothing(db):
    call_command("reprocess_webhooks", "--failed", "--dry-run", stdout=(out := _Out()))

    assert out.text.strip() == "would reprocess 0 deliveries"


def test_reprocess_queued_picks_up_deliveries_a_lost_broker_never_ran(queued_delivery):
    delivery = queued_delivery()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(received_at=delivery.received_at.replace(year=2020))

    call_command("reprocess_webhooks", "--queued", "--older-than", "60", stdout=_Out())

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PROCESSED


def test_the_table_calls_each_events_use_case_with_its_deliveries(queued_delivery, fake_saleor, monkeypatch):
    seen = []
    record_customers = use_cases.record_customers

    def attach(installation, items):
        outcomes = record_customers(installation, items)
        for item in items:
            seen.append((installation.pk, item.delivery.pk, item.payload.user.email))
            outcomes[item.delivery.pk].result["network.attach_customer"] = {"customer": 7}
        return outcomes

    monkeypatch.setitem(use_cases.USE_CASES, "customer_created", attach)
    delivery = queued_delivery(customer_body(app_id=fake_saleor.app_id), event="customer_created")

    assert process_delivery(delivery.pk) == DeliveryStatus.PROCESSED

    delivery.refresh_from_db()
    assert seen == [(delivery.installation_id, delivery.pk, "customer.1795528915@example.com")]
    assert delivery.result["network.attach_customer"] == {"customer": 7}
    assert "webhooks.record_customer" in delivery.result


def test_a_failing_use_case_leaves_nothing_it_recorded(queued_delivery, monkeypatch):
    record_order_events = use_cases.record_order_events

    def explode(installation, items):
        record_order_events(installation, items)
        raise ValueError("boom")

    monkeypatch.setitem(use_cases.USE_CASES, "order_fully_paid", explode)
    delivery = queued_delivery()

    assert process_delivery(delivery.pk) == DeliveryStatus.FAILED
    assert not OrderEvent.objects.exists()


def test_only_subscribed_events_have_a_use_case():
    with pytest.raises(ValueError, match="not a subscribed webhook event"):
        use_cases.use_case_for("product_created")


def test_the_celery_task_runs_the_same_processing(queued_delivery):
    from saleor_mlm.webhooks.tasks import process_delivery_task

    delivery = queued_delivery()

    assert process_delivery_task.apply(args=[delivery.pk]).get() == DeliveryStatus.PROCESSED
    assert process_delivery_task.apply(args=[delivery.pk + 1000]).get() is None


class _Out:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def test_the_console_script_maps_the_hyphenated_name(monkeypatch):
    import django.core.management

    from saleor_mlm.cli import main

    seen = []
    monkeypatch.setattr(django.core.management, "execute_from_command_line", seen.append)

    assert main(["reprocess-webhooks", "--failed"]) == 0
    assert seen == [["saleor-mlm", "reprocess_webhooks", "--failed"]]
