"""Unauthenticated webhook requests: a size cap answered before the body is read, a bounded
record (never the whole body) for what fails the signature, purged after the retention
period; hostile unsigned bodies are 401, never 500, because nothing parses them before
the signature is checked."""

from __future__ import annotations

import datetime
import hashlib
import json
import socket
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from saleor_mlm.celery import app as celery_app
from saleor_mlm.orders.models import OrderEvent, OrderRecord
from saleor_mlm.saleor.signing import DetachedSigner
from saleor_mlm.webhooks import DeliveryStatus
from saleor_mlm.webhooks.models import UNVERIFIED_BODY_KEPT_BYTES, WebhookDelivery
from saleor_mlm.webhooks.tasks import purge_unverified_task
from tests.fixtures.webhooks import customer_body, order_body

pytestmark = pytest.mark.django_db

MiB = 1024 * 1024


def unsigned_headers(fake_saleor, event: str = "order_fully_paid") -> dict[str, str]:
    """Headers as Saleor sends them, without a signature: what anyone can post."""
    headers = fake_saleor.webhook_headers(event, b"{}")
    del headers["Saleor-Signature"]
    return headers


def huge_order_body(size: int) -> bytes:
    """A JSON order body padded with metadata to `size` bytes."""
    data = json.loads(order_body())
    padding = size - len(json.dumps(data).encode()) - len('[{"key": "pad", "value": ""}]') + len("[]")
    data["order"]["metadata"] = [{"key": "pad", "value": "x" * padding}]
    body = json.dumps(data).encode()
    assert len(body) == size
    return body


def test_a_body_over_the_cap_is_answered_413_and_not_stored(post_webhook, fake_saleor, saleor_installation):
    body = huge_order_body(10 * MiB)

    response = post_webhook("order_fully_paid", body, unsigned_headers(fake_saleor))

    assert response.status_code == 413
    assert response.json() == {"error": {"message": f"the body is larger than {2 * MiB} bytes"}, "delivery": None}
    assert not WebhookDelivery.objects.exists()


def test_the_cap_is_a_setting_and_inclusive(post_webhook, fake_saleor, saleor_installation, settings):
    settings.WEBHOOK_MAX_BODY_BYTES = 4096
    at_the_cap, over_it = huge_order_body(4096), huge_order_body(4097)

    assert post_webhook("order_fully_paid", over_it, unsigned_headers(fake_saleor)).status_code == 413
    # At the cap the request goes on to the signature check (none here: 401).
    assert post_webhook("order_fully_paid", at_the_cap, unsigned_headers(fake_saleor)).status_code == 401
    assert WebhookDelivery.objects.get().body_size == 4096


@pytest.mark.django_db(transaction=True)
def test_the_413_comes_before_the_body_is_sent(live_server, fake_saleor, saleor_installation):
    """A real HTTP request announcing 10 MiB and sending 1 KB of it: the answer comes back
    without the rest, so the server did not wait to read (or keep) the body."""
    url = urlsplit(live_server.url)
    head = (
        "POST /api/webhooks/order_fully_paid HTTP/1.1\r\n"
        f"Host: {url.hostname}:{url.port}\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {10 * MiB}\r\n"
        f"Saleor-Api-Url: {fake_saleor.api_url}\r\n"
        "Saleor-Event: order_fully_paid\r\n"
        "\r\n"
    )
    with socket.create_connection((url.hostname, url.port), timeout=30) as connection:
        connection.sendall(head.encode() + b"{" + b" " * 1023)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = connection.recv(4096)
            assert chunk, "the server closed the connection without an answer"
            answer += chunk

    assert answer.startswith(b"HTTP/1.1 413")
    assert not WebhookDelivery.objects.exists()


def test_an_unsigned_body_is_kept_only_as_a_bounded_record(post_webhook, fake_saleor, saleor_installation):
    bodies = [huge_order_body(2 * MiB - 100 - n) for n in range(5)]  # just under the cap
    headers = unsigned_headers(fake_saleor)
    headers["X-Padding"] = "h" * 5000  # anyone's headers are cut as well

    for body in bodies:
        response = post_webhook("order_fully_paid", body, headers)
        assert response.status_code == 401
        assert response.json()["error"]["message"] == "the Saleor-Signature header is missing"

    records = list(WebhookDelivery.objects.order_by("id"))
    assert [record.status for record in records] == [DeliveryStatus.INVALID] * 5
    for record, body in zip(records, bodies, strict=True):
        assert bytes(record.body) == body[:UNVERIFIED_BODY_KEPT_BYTES]
        assert record.body_size == len(body)
        assert record.body_sha256 == hashlib.sha256(body).hexdigest()
        assert record.installation is None and record.response_status == 401
        assert record.headers["X-Padding"] == "h" * UNVERIFIED_BODY_KEPT_BYTES
        assert record.headers["Saleor-Api-Url"] == fake_saleor.api_url
    # Five bodies of 2 MiB were posted; what is kept of them is their first kilobytes.
    assert sum(len(record.body) for record in records) == 5 * UNVERIFIED_BODY_KEPT_BYTES
    assert not OrderRecord.objects.exists()


def test_a_forged_signature_is_a_bounded_record_too(post_webhook, fake_saleor, saleor_installation):
    body = order_body(app_id=fake_saleor.app_id)
    headers = fake_saleor.webhook_headers("order_fully_paid", body)
    headers["Saleor-Signature"] = DetachedSigner.generate().sign(body, kid=fake_saleor.signer.kid)

    assert post_webhook("order_fully_paid", body, headers).status_code == 401

    record = WebhookDelivery.objects.get()
    assert (record.status, record.installation, record.body_size) == (DeliveryStatus.INVALID, None, len(body))
    assert bytes(record.body) == body[:UNVERIFIED_BODY_KEPT_BYTES]


def deep_json(depth: int) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


def order_with_amounts(amount: str) -> bytes:
    """An order body whose amounts are the JSON number `amount`, written as is."""
    body = order_body().decode()
    for value in ("49.88", "41.92", "44.98"):
        body = body.replace(f'"amount": {value}', f'"amount": {amount}')
    assert f'"amount": {amount}' in body
    return body.encode()


HOSTILE_BODIES = {
    "amounts of 1e30": order_with_amounts("1e30"),
    "amounts of 1e400": order_with_amounts("1e400"),
    "JSON 50,000 levels deep": deep_json(50_000),
    "a NUL character": order_body(number="25\u0000"),
    "not JSON": b"\xff\xfe{",
}


@pytest.mark.parametrize("body", HOSTILE_BODIES.values(), ids=HOSTILE_BODIES.keys())
@pytest.mark.parametrize("signature", ["missing", "forged"])
def test_hostile_unsigned_bodies_are_401_not_500(client, fake_saleor, saleor_installation, body, signature):
    headers = unsigned_headers(fake_saleor)
    if signature == "forged":
        headers["Saleor-Signature"] = DetachedSigner.generate().sign(body, kid=fake_saleor.signer.kid)
    client.raise_request_exception = False

    response = client.post("/api/webhooks/order_fully_paid", data=body, content_type="application/json", headers=headers)

    assert response.status_code == 401, response.content
    record = WebhookDelivery.objects.get()
    assert (record.status, record.body_size) == (DeliveryStatus.INVALID, len(body))
    assert not OrderEvent.objects.exists()


@pytest.mark.parametrize("body", HOSTILE_BODIES.values(), ids=HOSTILE_BODIES.keys())
def test_hostile_bodies_from_an_unknown_saleor_are_401(client, fake_saleor, body):
    client.raise_request_exception = False

    response = client.post("/api/webhooks/order_fully_paid", data=body, content_type="application/json", headers=unsigned_headers(fake_saleor))

    assert response.status_code == 401, response.content
    assert "no installation" in response.json()["error"]["message"]


def test_hostile_headers_are_401_not_500(client, saleor_installation):
    client.raise_request_exception = False
    headers = {"Saleor-Api-Url": "http://[::1/graphql/\u0000", "Saleor-Event": "order_fully_paid\u0000", "X-Nul": "a\u0000b"}

    response = client.post("/api/webhooks/order_fully_paid", data=b"{}", content_type="application/json", headers=headers)

    assert response.status_code == 401, response.content
    record = WebhookDelivery.objects.get()
    assert record.headers["X-Nul"] == "a\ufffdb"


# --- retention ----------------------------------------------------------------------------


def test_unverified_records_are_purged_after_the_retention_period(post_webhook, fake_saleor, saleor_installation, settings):
    settings.WEBHOOK_UNVERIFIED_RETENTION_DAYS = 30
    old_unsigned = post_webhook("order_fully_paid", order_body(), unsigned_headers(fake_saleor)).json()["delivery"]
    recent_unsigned = post_webhook("order_fully_paid", order_body(), unsigned_headers(fake_saleor)).json()["delivery"]
    signed = order_body(app_id=fake_saleor.app_id)
    old_processed = post_webhook("order_fully_paid", signed, fake_saleor.webhook_headers("order_fully_paid", signed)).json()["delivery"]
    other_app = order_body(app_id="QXBwOjk5OQ==")  # signed by the Saleor, for another app: kept
    old_wrong_recipient = post_webhook(
        "order_fully_paid", other_app, fake_saleor.webhook_headers("order_fully_paid", other_app)
    ).json()["delivery"]
    small = customer_body()
    old_unknown_saleor = post_webhook(
        "customer_created", small, {**unsigned_headers(fake_saleor, "customer_created"), "Saleor-Api-Url": "https://else.example.com/graphql/"}
    ).json()["delivery"]
    long_ago = timezone.now() - datetime.timedelta(days=31)
    WebhookDelivery.objects.exclude(pk=recent_unsigned).update(received_at=long_ago)

    deleted = purge_unverified_task.delay().get()

    assert deleted == 2
    remaining = set(WebhookDelivery.objects.values_list("pk", flat=True))
    assert remaining == {recent_unsigned, old_processed, old_wrong_recipient}
    assert old_unsigned not in remaining and old_unknown_saleor not in remaining
    assert WebhookDelivery.objects.get(pk=old_wrong_recipient).installation == saleor_installation


def test_the_purge_is_in_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["webhooks-purge-unverified"]

    assert entry["task"] == purge_unverified_task.name
    assert entry["task"] in celery_app.tasks
