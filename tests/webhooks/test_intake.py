"""POST /api/webhooks/<event>: stored first, verified, queued; nothing invalid is processed.

Deliveries are signed exactly as Saleor signs (RS256, detached, RFC 7797 b64=false) with
keys generated here; the installation's Saleor is `fake_saleor`, a real local HTTP server
that publishes the JWKS.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleor_mlm.orders.models import OrderEvent, OrderRecord
from saleor_mlm.saleor.signing import DetachedSigner
from saleor_mlm.webhooks import DeliveryStatus
from saleor_mlm.webhooks.models import UNVERIFIED_BODY_KEPT_BYTES, WebhookDelivery
from tests.fixtures.webhooks import customer_body, load_sample, order_body, sample_jwks

pytestmark = pytest.mark.django_db

JWKS_PATH = "/.well-known/jwks.json"


def only_delivery() -> WebhookDelivery:
    (delivery,) = WebhookDelivery.objects.all()
    return delivery


def assert_nothing_processed():
    assert not OrderEvent.objects.exists()
    assert not OrderRecord.objects.exists()


def assert_bounded_record(delivery: WebhookDelivery, body: bytes) -> None:
    """What is kept of a body that did not verify: its first KB, its size and its hash."""
    assert len(body) > UNVERIFIED_BODY_KEPT_BYTES  # the samples' bodies are 1.4 KB
    assert bytes(delivery.body) == body[:UNVERIFIED_BODY_KEPT_BYTES]
    assert (delivery.body_size, delivery.body_sha256) == (len(body), hashlib.sha256(body).hexdigest())
    assert not delivery.body_is_complete


def test_a_signed_delivery_is_stored_queued_and_processed(post_webhook, fake_saleor, saleor_installation):
    body = order_body(app_id=fake_saleor.app_id, order_id="T3JkZXI6dmFsaWQ=")
    headers = fake_saleor.webhook_headers("order_fully_paid", body)

    response = post_webhook("order_fully_paid", body, headers)

    assert response.status_code == 202
    delivery = only_delivery()
    assert response.json() == {"status": "queued", "message": "queued", "delivery": delivery.pk}
    assert bytes(delivery.body) == body
    assert delivery.headers["Saleor-Signature"] == headers["Saleor-Signature"]
    assert delivery.installation == saleor_installation
    assert delivery.status == DeliveryStatus.PROCESSED
    assert delivery.response_status == 202
    assert delivery.subject_id == "T3JkZXI6dmFsaWQ="
    assert delivery.dedupe_key == "T3JkZXI6dmFsaWQ=:paid"
    (event,) = OrderEvent.objects.all()
    assert (event.kind, event.dedupe_key, event.delivery_id) == ("paid", "paid", delivery.pk)
    assert event.order.total_gross == Decimal("49.88")
    assert delivery.result == {
        "orders.record_order_event": {
            "order_record": event.order_id,
            "order_event": event.pk,
            "kind": "paid",
            "created": True,
        }
    }
    assert fake_saleor.requests == []  # no call to Saleor in the request path


def test_the_captured_sample_is_accepted_for_its_installation(post_webhook, installation_factory):
    installation_factory(saleor_api_url="http://127.0.0.1:8000/graphql/", app_id="QXBwOjE=", jwks=sample_jwks())
    headers, body = load_sample("order_fully_paid")

    response = post_webhook("order_fully_paid", body, headers)

    assert response.status_code == 202
    assert OrderEvent.objects.get().order.number == "25"


def test_one_changed_byte_is_refused_and_never_processed(post_webhook, fake_saleor, saleor_installation):
    body = order_body(app_id=fake_saleor.app_id)
    headers = fake_saleor.webhook_headers("order_fully_paid", body)
    tampered = body.replace(b"49.88", b"49.89", 1)

    response = post_webhook("order_fully_paid", tampered, headers)

    assert response.status_code == 401
    assert "signature" in response.json()["error"]["message"]
    delivery = only_delivery()
    assert delivery.status == DeliveryStatus.INVALID
    assert_bounded_record(delivery, tampered)  # not Saleor's: kept only as a bounded record
    assert delivery.installation is None
    assert_nothing_processed()


def test_a_signature_by_another_key_is_refused(post_webhook, fake_saleor, saleor_installation):
    body = order_body(app_id=fake_saleor.app_id)
    forger = DetachedSigner.generate()
    headers = fake_saleor.webhook_headers("order_fully_paid", body)
    # Same kid as Saleor's key, signed with the forger's key.
    headers["Saleor-Signature"] = forger.sign(body, kid=fake_saleor.signer.kid)

    response = post_webhook("order_fully_paid", body, headers)

    assert response.status_code == 401
    assert only_delivery().status == DeliveryStatus.INVALID
    assert_nothing_processed()


def test_an_unknown_kid_refetches_the_jwks_once_and_accepts_the_rotated_key(
    post_webhook, fake_saleor, saleor_installation
):
    fake_saleor.rotate()  # Saleor now signs with a key the stored JWKS does not have
    body = order_body(app_id=fake_saleor.app_id)

    response = post_webhook("order_fully_paid", body, fake_saleor.webhook_headers("order_fully_paid", body))

    assert response.status_code == 202
    assert len(fake_saleor.requests_to(JWKS_PATH)) == 1
    saleor_installation.refresh_from_db()
    assert saleor_installation.jwks == fake_saleor.jwks()
    assert only_delivery().status == DeliveryStatus.PROCESSED


def test_an_unknown_kid_that_saleor_does_not_publish_is_refused(post_webhook, fake_saleor, saleor_installation):
    forger = DetachedSigner.generate()
    body = order_body(app_id=fake_saleor.app_id)
    headers = fake_saleor.webhook_headers("order_fully_paid", body)
    headers["Saleor-Signature"] = forger.sign(body)

    response = post_webhook("order_fully_paid", body, headers)

    assert response.status_code == 401
    assert len(fake_saleor.requests_to(JWKS_PATH)) == 1  # one refetch per delivery, no more
    assert only_delivery().status == DeliveryStatus.INVALID
    assert_nothing_processed()


def test_jwks_refetches_are_throttled_per_installation(post_webhook, fake_saleor, saleor_installation):
    forger = DetachedSigner.generate()
    for _ in range(5):
        body = order_body(app_id=fake_saleor.app_id)
        headers = fake_saleor.webhook_headers("order_fully_paid", body)
        headers["Saleor-Signature"] = forger.sign(body)
        assert post_webhook("order_fully_paid", body, headers).status_code == 401

    assert len(fake_saleor.requests_to(JWKS_PATH)) == 1


def test_a_payload_for_another_app_is_refused_with_403(post_webhook, fake_saleor, saleor_installation):
    body = order_body(app_id="QXBwOjk5OQ==")

    response = post_webhook("order_fully_paid", body, fake_saleor.webhook_headers("order_fully_paid", body))

    assert response.status_code == 403
    assert response.json()["error"]["message"] == "the payload is for app 'QXBwOjk5OQ==', not this app"
    assert only_delivery().status == DeliveryStatus.INVALID
    assert_nothing_processed()


def test_a_payload_without_recipient_is_refused(post_webhook, fake_saleor, saleor_installation):
    data = json.loads(order_body(app_id=fake_saleor.app_id))
    del data["recipient"]
    body = json.dumps(data).encode()

    response = post_webhook("order_fully_paid", body, fake_saleor.webhook_headers("order_fully_paid", body))

    assert response.status_code == 403
    assert only_delivery().status == DeliveryStatus.INVALID


def test_a_duplicate_of_a_processed_delivery_is_answered_200_and_skipped(
    post_webhook, fake_saleor, saleor_installation
):
    body = order_body(app_id=fake_saleor.app_id, order_id="T3JkZXI6ZHVw")
    headers = fake_saleor.webhook_headers("order_fully_paid", body)
    first = post_webhook("order_fully_paid", body, headers)
    # Saleor fires ORDER_FULLY_PAID again later (issuedAt differs): still the same event.
    again = order_body(app_id=fake_saleor.app_id, order_id="T3JkZXI6ZHVw", issued_at="2026-11-24T15:00:00+00:00")

    second = post_webhook("order_fully_paid", again, fake_saleor.webhook_headers("order_fully_paid", again))

    assert first.status_code == 202
    assert second.status_code == 200
    assert second.json()["status"] == "skipped"
    assert "skipping to prevent duplication" in second.json()["message"]
    statuses = list(WebhookDelivery.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == [DeliveryStatus.PROCESSED, DeliveryStatus.SKIPPED]
    assert OrderEvent.objects.count() == 1


def test_refund_steps_of_one_order_are_separate_events(post_webhook, fake_saleor, saleor_installation):
    order_id = "T3JkZXI6cmVmdW5kcw=="
    for event, refunded in (
        ("order_fully_paid", 0.0),
        ("order_refunded", 5.0),
        ("order_refunded", 5.0),  # a retried delivery of the first refund
        ("order_refunded", 49.88),
        ("order_fully_refunded", 49.88),
    ):
        body = order_body(event, app_id=fake_saleor.app_id, order_id=order_id, total_refunded=refunded)
        assert post_webhook(event, body, fake_saleor.webhook_headers(event, body)).status_code in (200, 202)

    keys = list(OrderEvent.objects.order_by("pk").values_list("dedupe_key", "total_refunded"))
    assert keys == [
        ("paid", Decimal("0")),
        ("refunded:5.00", Decimal("5")),
        ("refunded:49.88", Decimal("49.88")),
        ("fully_refunded", Decimal("49.88")),
    ]


def test_a_signed_body_that_is_not_json_is_rejected_with_400(post_webhook, fake_saleor, saleor_installation):
    body = b"{not json"

    response = post_webhook("order_fully_paid", body, fake_saleor.webhook_headers("order_fully_paid", body))

    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("body is not JSON")
    assert only_delivery().status == DeliveryStatus.REJECTED
    assert_nothing_processed()


def test_a_body_without_the_order_is_rejected_with_400(post_webhook, fake_saleor, saleor_installation):
    data = json.loads(order_body(app_id=fake_saleor.app_id))
    data["order"] = None  # what Saleor sends when the app lacks MANAGE_ORDERS
    body = json.dumps(data).encode()

    response = post_webhook("order_fully_paid", body, fake_saleor.webhook_headers("order_fully_paid", body))

    assert response.status_code == 400
    assert "MANAGE_ORDERS" in response.json()["error"]["message"]
    assert only_delivery().status == DeliveryStatus.REJECTED
    assert_nothing_processed()


def test_a_body_with_a_broken_amount_is_rejected(post_webhook, fake_saleor, saleor_installation):
    body = order_body(app_id=fake_saleor.app_id, total={"net": {"amount": "lots", "currency": "EUR"}, "gross": None})

    response = post_webhook("order_fully_paid", body, fake_saleor.webhook_headers("order_fully_paid", body))

    assert response.status_code == 400
    assert only_delivery().status == DeliveryStatus.REJECTED


def test_a_delivery_from_an_unknown_saleor_is_stored_and_refused(post_webhook, fake_saleor):
    body = order_body(app_id=fake_saleor.app_id)

    response = post_webhook("order_fully_paid", body, fake_saleor.webhook_headers("order_fully_paid", body))

    assert response.status_code == 401
    assert "no installation" in response.json()["error"]["message"]
    delivery = only_delivery()
    assert (delivery.status, delivery.installation, delivery.saleor_api_url) == (
        DeliveryStatus.INVALID,
        None,
        fake_saleor.api_url,
    )
    assert_bounded_record(delivery, body)
    assert_nothing_processed()


def test_a_delivery_without_api_url_is_refused(post_webhook, fake_saleor, saleor_installation):
    body = order_body(app_id=fake_saleor.app_id)
    headers = fake_saleor.webhook_headers("order_fully_paid", body)
    del headers["Saleor-Api-Url"]

    assert post_webhook("order_fully_paid", body, headers).status_code == 401
    assert only_delivery().status == DeliveryStatus.INVALID


def test_an_unsigned_delivery_is_refused(post_webhook, fake_saleor, saleor_installation):
    body = order_body(app_id=fake_saleor.app_id)
    headers = fake_saleor.webhook_headers("order_fully_paid", body)
    del headers["Saleor-Signature"]

    response = post_webhook("order_fully_paid", body, headers)

    assert response.status_code == 401
    assert response.json()["error"]["message"] == "the Saleor-Signature header is missing"
    assert only_delivery().status == DeliveryStatus.INVALID
    assert_nothing_processed()


@pytest.mark.parametrize("signature", ["garbage", "a.b.c", "eyJhbGciOiJub25lIn0..", "eyJhbGciOiJIUzI1NiJ9..c2ln"])
def test_malformed_signatures_are_refused(post_webhook, fake_saleor, saleor_installation, signature):
    body = order_body(app_id=fake_saleor.app_id)
    headers = fake_saleor.webhook_headers("order_fully_paid", body)
    headers["Saleor-Signature"] = signature

    assert post_webhook("order_fully_paid", body, headers).status_code == 401
    assert only_delivery().status == DeliveryStatus.INVALID
    assert_nothing_processed()


def test_the_deprecated_x_saleor_headers_are_accepted(post_webhook, fake_saleor, saleor_installation):
    body = order_body(app_id=fake_saleor.app_id)
    headers = fake_saleor.webhook_headers("order_fully_paid", body)
    headers["X-Saleor-Signature"] = headers.pop("Saleor-Signature")
    headers["X-Saleor-Event"] = headers.pop("Saleor-Event")

    assert post_webhook("order_fully_paid", body, headers).status_code == 202


def test_saleor_event_must_match_the_url(post_webhook, fake_saleor, saleor_installation):
    body = order_body(app_id=fake_saleor.app_id)
    headers = fake_saleor.webhook_headers("order_cancelled", body)

    response = post_webhook("order_fully_paid", body, headers)

    assert response.status_code == 400
    assert "does not match" in response.json()["error"]["message"]
    assert only_delivery().status == DeliveryStatus.REJECTED
    assert_nothing_processed()


def test_a_payload_of_another_event_type_is_rejected(post_webhook, fake_saleor, saleor_installation):
    body = order_body("order_cancelled", app_id=fake_saleor.app_id)  # __typename OrderCancelled

    response = post_webhook("order_fully_paid", body, fake_saleor.webhook_headers("order_fully_paid", body))

    assert response.status_code == 400
    assert response.json()["error"]["message"] == "payload is a OrderCancelled, expected OrderFullyPaid"


def test_unknown_event_paths_are_404_and_not_stored(client):
    response = client.post("/api/webhooks/product_created", data=b"{}", content_type="application/json")

    assert response.status_code == 404
    assert not WebhookDelivery.objects.exists()


def test_only_post_is_allowed(client):
    assert client.get("/api/webhooks/order_fully_paid").status_code == 405


def test_customer_events_are_parsed_and_recorded_on_the_delivery(post_webhook, fake_saleor, saleor_installation):
    body = customer_body("customer_updated", app_id=fake_saleor.app_id, user_id="VXNlcjo3")

    response = post_webhook("customer_updated", body, fake_saleor.webhook_headers("customer_updated", body))

    assert response.status_code == 202
    delivery = only_delivery()
    assert delivery.status == DeliveryStatus.PROCESSED
    assert delivery.subject_id == "VXNlcjo3"
    assert delivery.result == {
        "webhooks.record_customer": {
            "customer": {
                "id": "VXNlcjo3",
                "email": "customer.1795528915@example.com",
                "first_name": "Erika",
                "last_name": "Mustermann",
                "metadata": {},
            }
        },
        # The ledger's handler (tests/ledger/test_customer_events.py): no partner, no
        # customer record, no code: nothing is created before the first order.
        "ledger.attribute_customer": {
            "action": "waiting",
            "message": "no referral code in the customer's metadata (mlm_referral_code): "
            "no customer record yet, the first paid order attributes the customer",
        },
    }


def test_the_happy_path_takes_two_statements(client, fake_saleor, saleor_installation, django_capture_on_commit_callbacks):
    body = order_body(app_id=fake_saleor.app_id)
    headers = fake_saleor.webhook_headers("order_fully_paid", body)
    del headers["Content-Type"]

    with django_capture_on_commit_callbacks(execute=False), CaptureQueriesContext(connection) as queries:
        response = client.post("/api/webhooks/order_fully_paid", data=body, content_type="application/json", headers=headers)

    assert response.status_code == 202
    statements = [query["sql"].split()[0] for query in queries.captured_queries]
    # The SELECT of the installation, then the INSERT of the delivery with its outcome (a
    # WITH: the lookup of a processed duplicate is part of it); savepoint statements of the
    # test's own transaction aside.
    assert [s for s in statements if s in ("WITH", "INSERT", "SELECT", "UPDATE")] == ["SELECT", "WITH"]
    delivery = WebhookDelivery.objects.get(pk=response.json()["delivery"])
    assert delivery.status == DeliveryStatus.QUEUED and delivery.installation == saleor_installation
    assert (delivery.response_status, delivery.error) == (202, "")
    assert bytes(delivery.body) == body
    assert (delivery.body_size, delivery.body_sha256) == (len(body), hashlib.sha256(body).hexdigest())
    assert WebhookDelivery.objects.count() == 1  # stored once


def test_an_unknown_sender_is_stored_as_a_bounded_record(client, fake_saleor, saleor_installation):
    body = order_body(app_id=fake_saleor.app_id)
    headers = fake_saleor.webhook_headers("order_fully_paid", body)
    headers["Saleor-Api-Url"] = "https://elsewhere.example.com/graphql/"

    response = client.post("/api/webhooks/order_fully_paid", data=body, content_type="application/json", headers=headers)

    assert response.status_code == 401
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.INVALID and delivery.installation is None
    assert_bounded_record(delivery, body)


def test_a_parser_bug_still_stores_the_delivery_first(client, fake_saleor, saleor_installation, monkeypatch):
    from saleor_mlm.webhooks import actions

    def broken(event, data):
        raise RuntimeError("a bug in the parser")

    monkeypatch.setattr(actions, "parse_payload", broken)
    body = order_body(app_id=fake_saleor.app_id)
    headers = fake_saleor.webhook_headers("order_fully_paid", body)
    client.raise_request_exception = False

    response = client.post("/api/webhooks/order_fully_paid", data=body, content_type="application/json", headers=headers)

    assert response.status_code == 500
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.RECEIVED and bytes(delivery.body) == body


# A transactional test: in production the view runs in autocommit, so the task is queued
# before the response is built; only then can a broker failure change the answer.
@pytest.mark.django_db(transaction=True)
def test_a_broker_failure_answers_503_so_that_saleor_retries(client, fake_saleor, saleor_installation, monkeypatch):
    from saleor_mlm.webhooks import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(tasks.process_delivery_task, "delay", broker_down)
    body = order_body(app_id=fake_saleor.app_id)
    headers = fake_saleor.webhook_headers("order_fully_paid", body)
    del headers["Content-Type"]

    response = client.post("/api/webhooks/order_fully_paid", data=body, content_type="application/json", headers=headers)

    assert response.status_code == 503
    delivery = only_delivery()
    assert delivery.status == DeliveryStatus.FAILED
    assert "redis is down" in delivery.error
    assert_nothing_processed()
