"""The webhook pipeline: verify, store, queue; then process idempotently.

Intake (`receive_delivery`, in the request, fast):

1. find the installation by `Saleor-Api-Url` (unknown -> 401, INVALID);
2. verify `Saleor-Signature` over the exact body bytes against the installation's JWKS; on
   an unknown `kid` refetch the JWKS once, throttled (forged, tampered, unsigned -> 401,
   INVALID). Nothing reads the body before this: not JSON, not an amount;
3. check `recipient.id` is this app's id for that installation (-> 403, INVALID);
4. check `Saleor-Event` matches the URL and parse the body into its typed payload, within
   the bounds of `payloads` (-> 400, REJECTED);
5. store the delivery with its outcome in one INSERT: a delivery of an event already
   processed (same dedupe key) -> 200, SKIPPED; otherwise QUEUED, and the processing task is
   queued after commit -> 202.

Stored first (ADR 0003), for what is Saleor's: a delivery whose signature verifies is stored
with its exact body before anything processes it, whatever the outcome, also when a check
after the signature fails with a bug (stored RECEIVED, answered 500 so that Saleor retries).
A request whose signature does not verify (or whose Saleor is unknown) is stored only as a
bounded record: the headers, the body's size and SHA-256 and its first
`UNVERIFIED_BODY_KEPT_BYTES` bytes, deleted after `WEBHOOK_UNVERIFIED_RETENTION_DAYS` by
`purge_unverified_deliveries`. Anyone can send those, so they must not fill the database.

Queries on the happy path: SELECT the installation, INSERT the delivery (with the lookup
of a processed duplicate in the same statement); on PostgreSQL only the INSERT once the
process has read the installation (`_cached_installation`). No call to Saleor except the
rare, throttled JWKS refetch.

What a queued delivery then does is not decided here: processing (`processing`, the drain
in `batch`) runs it through the use-case table (`use_cases`), reached only through the task
queue (`enqueue`). Intake imports neither, nor any domain that acts on deliveries: it stores
and verifies whatever those do.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from saleor_mlm.core.text import quoted
from saleor_mlm.installations.jwks import refresh_jwks_throttled
from saleor_mlm.installations.models import Installation, normalize_api_url
from saleor_mlm.orders.actions import KIND_BY_WEBHOOK_EVENT, order_event_dedupe_key
from saleor_mlm.saleor.payloads import OrderEventPayload, Payload, PayloadError, load_json, parse_payload, recipient_id

from . import DeliveryStatus
from .models import UNVERIFIED_BODY_KEPT_BYTES, WebhookDelivery
from .verification import SignatureError, UnknownKeyError, verify_detached

logger = logging.getLogger(__name__)

# Headers never worth keeping with a stored delivery (Saleor sends neither).
_UNSTORED_HEADERS = {"cookie", "authorization"}
# Saleor sends a dozen short headers; anyone else may send many long ones.
MAX_STORED_HEADERS = 64
DUPLICATE_MESSAGE = "already processed in delivery {delivery}: skipping to prevent duplication"


# --- typed outcomes -----------------------------------------------------------------------


class IntakeError(Exception):
    """A delivery refused at intake; carries the HTTP answer and the stored status."""

    http_status = 400
    delivery_status = DeliveryStatus.REJECTED

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class UnknownInstallation(IntakeError):
    http_status = 401
    delivery_status = DeliveryStatus.INVALID


class InvalidSignature(IntakeError):
    http_status = 401
    delivery_status = DeliveryStatus.INVALID


class WrongRecipient(IntakeError):
    http_status = 403
    delivery_status = DeliveryStatus.INVALID


class RejectedPayload(IntakeError):
    http_status = 400
    delivery_status = DeliveryStatus.REJECTED


@dataclass(frozen=True)
class IntakeResult:
    http_status: int
    delivery_status: str
    message: str
    delivery_id: int | None = None

    def as_json(self) -> dict[str, Any]:
        if self.http_status >= 400:
            return {"error": {"message": self.message}, "delivery": self.delivery_id}
        return {"status": self.delivery_status, "message": self.message, "delivery": self.delivery_id}


@dataclass(frozen=True)
class CheckedDelivery:
    installation: Installation
    payload: Payload
    dedupe_key: str


# --- intake -------------------------------------------------------------------------------


def receive_delivery(event: str, headers: dict[str, str], body: bytes) -> IntakeResult:
    """Check, store and queue one delivery posted to /api/webhooks/<event>."""
    received_at = timezone.now()
    lowered = {name.lower(): value for name, value in headers.items()}
    delivery = _receive_with_cached_installation(event, headers, lowered, body, received_at)
    if delivery is None:
        delivery = _receive(event, headers, lowered, body, received_at)
        if isinstance(delivery, IntakeResult):
            return delivery
    return _queue(delivery)


def _receive(
    event: str, headers: dict[str, str], lowered: dict[str, str], body: bytes, received_at: datetime
) -> WebhookDelivery | IntakeResult:
    """Every check with the installation as the database has it now, and the INSERT: the
    stored delivery when it passed, else the answer."""
    installation = None  # set once the signature verified: from then on the body is Saleor's
    try:
        installation = verified_installation(lowered, body)
        checked = check_payload(installation, event, lowered, body, received_at=received_at)
    except IntakeError as exc:
        delivery = _new_delivery(event, headers, body, received_at, verified_by=installation)
        _insert(delivery, status=exc.delivery_status, response_status=exc.http_status, error=exc.message)
        logger.warning(
            "webhook refused",
            extra={"delivery": delivery.pk, "event": event, "status": exc.delivery_status, "reason": exc.message},
        )
        return IntakeResult(exc.http_status, exc.delivery_status, exc.message, delivery.pk)
    except Exception:
        # A bug in a check: the delivery is stored all the same (RECEIVED, for
        # `reprocess-webhooks --id`), and the 500 makes Saleor retry.
        _insert(_new_delivery(event, headers, body, received_at, verified_by=installation), status=DeliveryStatus.RECEIVED)
        raise

    delivery = _new_delivery(event, headers, body, received_at, verified_by=checked.installation, checked=checked)
    _insert_checked(delivery, checked)
    return delivery


def _receive_with_cached_installation(
    event: str, headers: dict[str, str], lowered: dict[str, str], body: bytes, received_at: datetime
) -> WebhookDelivery | None:
    """The happy path in one statement: the checks with this process's copy of the
    installation, and the INSERT only if the installation's row still holds what the checks
    read (`_CachedInstallation.guard`). None when there is no copy, when a check refused the
    delivery (refusals are answered as the database has the installation now: `_receive`
    runs every check again) or when the row changed."""
    cached = _cached_installation(lowered.get("saleor-api-url", ""))
    if cached is None:
        return None
    signature = lowered.get("saleor-signature") or lowered.get("x-saleor-signature") or ""
    try:
        verify_detached(signature, body, cached.installation.jwks)
        checked = check_payload(cached.installation, event, lowered, body, received_at=received_at)
    except Exception:  # refused, or a bug: `_receive` decides, and stores
        return None
    delivery = _new_delivery(event, headers, body, received_at, verified_by=cached.installation, checked=checked)
    if not _insert_checked(delivery, checked, guard=cached.guard):
        _forget_installation(cached)
        return None
    return delivery


def _queue(delivery: WebhookDelivery) -> IntakeResult:
    """The answer to a stored delivery that passed every check; QUEUED ones are handed to
    processing once committed."""
    if delivery.status == DeliveryStatus.SKIPPED:
        return IntakeResult(200, DeliveryStatus.SKIPPED, delivery.error, delivery.pk)
    queued: list[bool] = []
    # The task must see the QUEUED row: it is queued once that is committed. The view runs
    # in autocommit, so that is right away; inside a caller's transaction, at its commit.
    transaction.on_commit(lambda: queued.append(enqueue(delivery.pk)))
    if queued and not queued[0]:
        return IntakeResult(503, DeliveryStatus.FAILED, "could not queue the delivery; please retry", delivery.pk)
    return IntakeResult(202, DeliveryStatus.QUEUED, "queued", delivery.pk)


def verified_installation(headers: dict[str, str], body: bytes) -> Installation:
    """The installation whose Saleor signed `body` (`headers` with lower-case names), or
    UnknownInstallation / InvalidSignature. Reads nothing of the body but its bytes."""
    api_url = headers.get("saleor-api-url", "")
    if not api_url:
        raise UnknownInstallation("the Saleor-Api-Url header is missing")
    installation = _find_installation(api_url)
    if installation is None:
        raise UnknownInstallation(f"no installation for Saleor API URL {quoted(api_url, 200)}")
    signature = headers.get("saleor-signature") or headers.get("x-saleor-signature") or ""
    verify_signature(installation, signature, body)
    return installation


def check_payload(
    installation: Installation, event: str, headers: dict[str, str], body: bytes, *, received_at: datetime
) -> CheckedDelivery:
    """The checks of a body the installation's Saleor signed: recipient, event, payload."""
    try:
        data = load_json(body)
    except PayloadError as exc:
        raise RejectedPayload(str(exc)) from exc
    recipient = recipient_id(data)
    if not recipient:
        raise WrongRecipient("the payload does not name its recipient (recipient.id)")
    if recipient != installation.app_id:
        raise WrongRecipient(f"the payload is for app {quoted(recipient, 200)}, not this app")
    sent_event = (headers.get("saleor-event") or headers.get("x-saleor-event") or "").lower()
    if sent_event != event:
        raise RejectedPayload(f"Saleor-Event {quoted(sent_event) if sent_event else '(missing)'} does not match the URL's event {event!r}")
    try:
        payload = parse_payload(event, data, received_at=received_at)
    except PayloadError as exc:
        raise RejectedPayload(str(exc)) from exc
    return CheckedDelivery(installation, payload, delivery_dedupe_key(payload))


def check_delivery(delivery: WebhookDelivery) -> CheckedDelivery:
    """Run every intake check again on a stored delivery (`reprocess-webhooks --id`); raise an
    IntakeError subclass if one fails."""
    if not delivery.body_is_complete:
        raise InvalidSignature(
            gettext("only the first %(kept)d of %(size)d bytes of this unverified delivery were kept: it cannot be verified again")
            % {"kept": len(delivery.body), "size": delivery.body_size}
        )
    headers = {name.lower(): value for name, value in (delivery.headers or {}).items()}
    body = bytes(delivery.body)
    installation = verified_installation(headers, body)
    return check_payload(installation, delivery.event, headers, body, received_at=delivery.received_at)


def delivery_dedupe_key(payload: Payload) -> str:
    """What makes two deliveries the same event (stored on WebhookDelivery.dedupe_key).

    Orders: the order id plus the OrderEvent's own key, so that a second ORDER_FULLY_PAID
    for the same order is a duplicate even though Saleor issued it later. Customers: the
    user id plus issuedAt, which Saleor keeps when it retries a delivery.
    """
    if isinstance(payload, OrderEventPayload):
        return f"{payload.order.id}:{order_event_dedupe_key(KIND_BY_WEBHOOK_EVENT[payload.event], payload.order)}"
    issued = payload.issued_at.isoformat() if payload.issued_at else ""
    return f"{payload.subject_id}:{issued}"


def _find_installation(api_url: str) -> Installation | None:
    """The installation of `api_url`, in SQL: building even this query with the ORM costs
    a noticeable share of the intake's CPU (measured with benchmarks/webhook_intake.py).
    On PostgreSQL the row is kept for the next deliveries (`_cached_installation`)."""
    try:
        normalized = normalize_api_url(api_url)
    except ValueError:  # not a URL at all
        return None
    if "\x00" in normalized:  # no column holds one, so no installation has it
        return None
    names, sql, converters = _installation_query()
    with connection.cursor() as cursor:
        cursor.execute(sql, [normalized])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for index, convert in converters:
        values[index] = convert(values[index], None, connection)
    installation = Installation.from_db(connection.alias, names, values)
    if connection.vendor == "postgresql":
        _remember_installation(api_url, installation)
    return installation


# --- the installation, kept per process ---------------------------------------------------
#
# Reading the installation (a round trip, the row's conversions, the token's decryption) was
# an eighth of the intake. Each process keeps the installations it read, by the API URL as
# sent, and the happy path checks a delivery with that copy; its INSERT then writes only if
# the installation's row still has the id, API URL, app id and JWKS that the checks used
# (`guard`, a condition of the same statement). Anything else (no copy, a refusal, a changed
# row) takes the full path with a fresh read, so what is answered and stored is what it was
# without the copy. PostgreSQL only (the JWKS is compared as jsonb); saving or deleting an
# installation in this process drops the copies (`forget_installations`, a signal).


@dataclass(frozen=True)
class _CachedInstallation:
    api_url: str
    installation: Installation
    guard: tuple[int, str, str, str]  # id, saleor_api_url, app_id, JWKS as JSON text


_MAX_CACHED_INSTALLATIONS = 256
_cached: dict[str, _CachedInstallation] = {}


def _cached_installation(api_url: str) -> _CachedInstallation | None:
    return _cached.get(api_url) if api_url else None


def _remember_installation(api_url: str, installation: Installation) -> None:
    if len(_cached) >= _MAX_CACHED_INSTALLATIONS:
        _cached.clear()
    guard = (installation.pk, installation.saleor_api_url, installation.app_id, json.dumps(installation.jwks))
    _cached[api_url] = _CachedInstallation(api_url, installation, guard)


def _forget_installation(cached: _CachedInstallation) -> None:
    if _cached.get(cached.api_url) is cached:
        _cached.pop(cached.api_url, None)


def forget_installations(**_signal_arguments) -> None:
    """Drop every kept installation (connected to Installation's post_save and post_delete)."""
    _cached.clear()


@cache
def _installation_query() -> tuple[list[str], str, list]:
    # The row as the ORM would load it (every column, the fields' own conversions from the
    # database, `from_db`), without a queryset: `objects.raw` resolved the model's columns
    # again for every delivery.
    fields = Installation._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    sql = f"SELECT {columns} FROM {Installation._meta.db_table} WHERE saleor_api_url = %s"
    converters = [(index, convert) for index, field in enumerate(fields) for convert in field.get_db_converters(connection)]
    return [field.attname for field in fields], sql, converters


def verify_signature(installation: Installation, signature: str, body: bytes) -> None:
    """Verify against the stored JWKS; on an unknown key refetch it once (throttled) and retry."""
    try:
        verify_detached(signature, body, installation.jwks)
        return
    except UnknownKeyError:
        jwks = refresh_jwks_throttled(installation)
    except SignatureError as exc:
        raise InvalidSignature(str(exc)) from exc
    try:
        verify_detached(signature, body, jwks)
    except SignatureError as exc:
        raise InvalidSignature(str(exc)) from exc


# --- storing ------------------------------------------------------------------------------


def stored_headers(headers: dict[str, str]) -> dict[str, str]:
    """The headers as kept: no credentials, at most MAX_STORED_HEADERS, names and values cut
    to UNVERIFIED_BODY_KEPT_BYTES characters, NUL characters replaced (no column stores one)."""
    kept: dict[str, str] = {}
    for name, value in headers.items():
        if name.lower() in _UNSTORED_HEADERS:
            continue
        if len(kept) == MAX_STORED_HEADERS:
            break
        kept[_storable(name)] = _storable(value)
    return kept


def _storable(text: str) -> str:
    return str(text)[:UNVERIFIED_BODY_KEPT_BYTES].replace("\x00", "\ufffd")


def _new_delivery(
    event: str,
    headers: dict[str, str],
    body: bytes,
    received_at: datetime,
    *,
    verified_by: Installation | None,
    checked: CheckedDelivery | None = None,
) -> WebhookDelivery:
    """The delivery as it will be stored: the whole body once `verified_by` an
    installation's signature, else only its first UNVERIFIED_BODY_KEPT_BYTES."""
    body = bytes(body)
    api_url = next((value for name, value in headers.items() if name.lower() == "saleor-api-url"), "")
    return WebhookDelivery(
        installation=verified_by,
        event=event,
        saleor_api_url=_storable(api_url)[:512],
        headers=stored_headers(headers),
        body=body if verified_by is not None else body[:UNVERIFIED_BODY_KEPT_BYTES],
        body_size=len(body),
        body_sha256=hashlib.sha256(body).hexdigest(),
        status=DeliveryStatus.RECEIVED,
        received_at=received_at,
        subject_id=checked.payload.subject_id if checked else "",
        dedupe_key=checked.dedupe_key if checked else "",
    )


def _insert_values(delivery: WebhookDelivery) -> tuple[list, list[str], list]:
    """(fields, column names, values) of `delivery.save()` for an INSERT, without the query
    compiler (a tenth of the intake's CPU); the model's defaults still apply (pre_save)."""
    fields, columns = _insert_columns()
    values = [field.get_db_prep_save(field.pre_save(delivery, add=True), connection) for field in fields]
    return fields, columns, values


@cache
def _insert_columns() -> tuple[list, list[str]]:
    fields = [field for field in WebhookDelivery._meta.concrete_fields if not field.primary_key]
    return fields, [connection.ops.quote_name(field.column) for field in fields]


def _insert(delivery: WebhookDelivery, *, status: str, response_status: int | None = None, error: str = "") -> None:
    """INSERT the delivery with its final status (a refusal, or RECEIVED after a bug)."""
    delivery.status, delivery.response_status, delivery.error = status, response_status, error
    _fields, columns, values = _insert_values(delivery)
    sql = f"INSERT INTO {WebhookDelivery._meta.db_table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(values))}) RETURNING id"
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        delivery.pk = cursor.fetchone()[0]
    delivery._state.adding = False


def _insert_checked(delivery: WebhookDelivery, checked: CheckedDelivery, *, guard: tuple | None = None) -> bool:
    """INSERT a delivery that passed every check: SKIPPED (answered 200) when a delivery of
    the same event and dedupe key was PROCESSED, else QUEUED (202). The lookup of that
    duplicate is part of the statement: one round trip per delivery. With `guard` (id, API
    URL, app id, JWKS of the installation the checks used), only if the installation's row
    still holds those; False when it does not (nothing was written)."""
    fields, _columns, values = _insert_values(delivery)
    sql, kinds = _checked_insert_sql(guarded=guard is not None)
    params: list = [checked.installation.pk, delivery.event, checked.dedupe_key, DeliveryStatus.PROCESSED]
    for field, value in zip(fields, values, strict=True):
        params += kinds.get(field.name, (value,))
    if guard is not None:
        params += guard
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return False
    delivery.pk, delivery.status, delivery.response_status, delivery.error = row
    delivery._state.adding = False
    return True


@cache
def _checked_insert_sql(*, guarded: bool) -> tuple[str, dict[str, tuple]]:
    """The statement of `_insert_checked`, and the parameters of the columns that are not
    the delivery's own values (the outcome, decided in the statement)."""
    fields, columns = _insert_columns()
    before, _, after = DUPLICATE_MESSAGE.partition("{delivery}")
    outcome = {
        "status": ("CASE WHEN EXISTS (SELECT 1 FROM duplicate) THEN %s ELSE %s END", (DeliveryStatus.SKIPPED, DeliveryStatus.QUEUED)),
        "response_status": ("CASE WHEN EXISTS (SELECT 1 FROM duplicate) THEN 200 ELSE 202 END", ()),
        "error": ("COALESCE((SELECT %s || CAST(id AS TEXT) || %s FROM duplicate), '')", (before, after)),
    }
    values = ", ".join(outcome[field.name][0] if field.name in outcome else "%s" for field in fields)
    table = WebhookDelivery._meta.db_table
    if guarded:
        rows = f"SELECT {values} WHERE EXISTS ({_INSTALLATION_UNCHANGED_SQL.format(installation=Installation._meta.db_table)})"
    else:
        rows = f"VALUES ({values})"
    sql = _CHECKED_INSERT_SQL.format(delivery=table, columns=", ".join(columns), rows=rows)
    return sql, {name: params for name, (_sql, params) in outcome.items()}


# The duplicate's subquery cannot see the new row (one snapshot for the whole statement).
_CHECKED_INSERT_SQL = """
WITH duplicate AS (
    SELECT d.id FROM {delivery} d
    WHERE d.installation_id = %s AND d.event = %s AND d.dedupe_key = %s AND d.dedupe_key <> '' AND d.status = %s
    ORDER BY d.id LIMIT 1
)
INSERT INTO {delivery} ({columns}) {rows}
RETURNING id, status, response_status, error
"""
_INSTALLATION_UNCHANGED_SQL = (
    "SELECT 1 FROM {installation} i WHERE i.id = %s AND i.saleor_api_url = %s AND i.app_id = %s AND i.jwks = CAST(%s AS jsonb)"
)


def store_intake_outcome(
    delivery: WebhookDelivery,
    status: str,
    http_status: int,
    *,
    checked: CheckedDelivery | None = None,
    error: str = "",
) -> None:
    """Store the outcome of a re-check (`processing.reprocess_delivery`)."""
    fields: dict[str, Any] = {"status": status, "response_status": http_status, "error": error}
    if checked is not None:
        fields.update(installation=checked.installation, subject_id=checked.payload.subject_id, dedupe_key=checked.dedupe_key)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(**fields)
    for name, value in fields.items():
        setattr(delivery, name, value)


def enqueue(delivery_id: int) -> bool:
    """Hand the delivery to processing; on a broker failure mark it FAILED.

    With a broker, deliveries are processed in batches by a drain task (batch.py); in
    eager mode (no broker) each delivery is processed right away by its own task."""
    # Imported here, not above: the tasks run the use cases, which import the domains that
    # act on deliveries (orders, ledger); intake must not depend on them (use_cases).
    from . import batch
    from .tasks import process_delivery_task

    try:
        if batch.batching_enabled():
            batch.schedule_drain(memo=True)
        else:
            process_delivery_task.delay(delivery_id)
        return True
    except Exception as exc:  # the broker is down: keep the delivery for reprocessing
        logger.exception("could not queue webhook delivery", extra={"delivery": delivery_id})
        WebhookDelivery.objects.filter(pk=delivery_id, status=DeliveryStatus.QUEUED).update(
            status=DeliveryStatus.FAILED, error=f"could not queue the processing task: {exc!r}", response_status=503
        )
        return False
