"""The webhook pipeline: store, verify, queue; then process idempotently.

Intake (`receive_delivery`, in the request, fast):

1. store the delivery as received: headers and the exact body bytes (RECEIVED), before
   anything is trusted, even from unknown senders;
2. find the installation by `Saleor-Api-Url` (unknown -> 401, INVALID);
3. verify `Saleor-Signature` over the stored bytes against the installation's JWKS; on an
   unknown `kid` refetch the JWKS once, throttled (forged, tampered, unsigned -> 401, INVALID);
4. check `recipient.id` is this app's id for that installation (-> 403, INVALID);
5. check `Saleor-Event` matches the URL and parse the body into its typed payload
   (-> 400, REJECTED);
6. a delivery of an event already processed (same dedupe key) -> 200, SKIPPED;
7. otherwise QUEUED, and the processing task is queued after commit -> 202.

Queries on the happy path: INSERT the delivery with the SELECT of the installation and a
processed duplicate in one statement (on PostgreSQL; two on SQLite), UPDATE the delivery.
No call to Saleor except the rare, throttled JWKS refetch.

Processing (`process_delivery`, in the Celery task): lock the delivery row, skip it unless
QUEUED or FAILED, run the event's handlers in a savepoint, store PROCESSED/SKIPPED, or FAILED
with the traceback. Safe to run any number of times.
"""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from saleor_mlm.installations.jwks import refresh_jwks_throttled
from saleor_mlm.installations.models import Installation, normalize_api_url

from . import DeliveryStatus
from .events import EVENT_SPECS
from .handlers import HandlerContext, delivery_dedupe_key, run_handlers
from .models import WebhookDelivery
from .payloads import Payload, PayloadError, load_json, parse_payload, recipient_id
from .verification import SignatureError, UnknownKeyError, verify_detached

logger = logging.getLogger(__name__)

# Headers never worth keeping with a stored delivery (Saleor sends neither).
_UNSTORED_HEADERS = {"cookie", "authorization"}


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
    duplicate_of: int | None = None  # a PROCESSED delivery of the same event


# --- intake -------------------------------------------------------------------------------


def receive_delivery(event: str, headers: dict[str, str], body: bytes) -> IntakeResult:
    """Store, check and queue one delivery posted to /api/webhooks/<event>."""
    api_url = next((value for name, value in headers.items() if name.lower() == "saleor-api-url"), "")
    try:
        parsed = _parse_untrusted(event, body)
        dedupe_key = delivery_dedupe_key(parsed[1]) if parsed[1] else None
    except Exception:  # a bug in a parser: the delivery is stored first all the same, and
        parsed, dedupe_key = None, None  # check_delivery runs into it again (a 500, kept)
    # The installation (with a processed duplicate) is read by the statement that stores
    # the delivery: one round trip to the database fewer on every delivery.
    delivery, installation = store_delivery(event, headers, body, find_installation=(api_url, dedupe_key) if api_url else None)
    try:
        checked = check_delivery(delivery, parsed=parsed, installation=installation)
    except IntakeError as exc:
        _finish_intake(delivery, exc.delivery_status, exc.http_status, error=exc.message)
        logger.warning(
            "webhook refused",
            extra={"delivery": delivery.pk, "event": event, "status": exc.delivery_status, "reason": exc.message},
        )
        return IntakeResult(exc.http_status, exc.delivery_status, exc.message, delivery.pk)

    duplicate_of = checked.duplicate_of
    if duplicate_of is not None:
        message = f"already processed in delivery {duplicate_of}: skipping to prevent duplication"
        _finish_intake(delivery, DeliveryStatus.SKIPPED, 200, checked=checked, error=message)
        return IntakeResult(200, DeliveryStatus.SKIPPED, message, delivery.pk)

    queued: list[bool] = []
    _finish_intake(delivery, DeliveryStatus.QUEUED, 202, checked=checked)
    # The task must see the QUEUED row: it is queued once that is committed. The view runs
    # in autocommit, so that is right away; inside a caller's transaction, at its commit.
    transaction.on_commit(lambda: queued.append(enqueue(delivery.pk)))
    if queued and not queued[0]:
        return IntakeResult(503, DeliveryStatus.FAILED, "could not queue the delivery; please retry", delivery.pk)
    return IntakeResult(202, DeliveryStatus.QUEUED, "queued", delivery.pk)


_NOT_READ = object()  # store_delivery was not asked for the installation


def store_delivery(
    event: str, headers: dict[str, str], body: bytes, *, find_installation: tuple[str, str | None] | None = None
) -> tuple[WebhookDelivery, Installation | None | object]:
    """Store the delivery as received (RECEIVED); with `find_installation` (API URL, dedupe
    key) also read the installation with `duplicate_of` in the same statement (None:
    no installation of that URL; `_NOT_READ` without `find_installation`)."""
    kept = {name: value for name, value in headers.items() if name.lower() not in _UNSTORED_HEADERS}
    lowered = {name.lower(): value for name, value in headers.items()}
    delivery = WebhookDelivery(
        event=event,
        saleor_api_url=(lowered.get("saleor-api-url") or "")[:512],
        headers=kept,
        body=bytes(body),
        status=DeliveryStatus.RECEIVED,
    )
    return delivery, _insert_delivery(delivery, find_installation)


def _insert_delivery(delivery: WebhookDelivery, find_installation: tuple[str, str | None] | None):
    """`delivery.save()` without the query compiler (a tenth of the intake's CPU, like
    the UPDATE below); the model's defaults and `auto_now_add` still apply (pre_save).

    With `find_installation` the INSERT is a CTE of the installation query (see
    `_find_installation`): the row is stored, committed or not, exactly as alone."""
    fields = [field for field in WebhookDelivery._meta.concrete_fields if not field.primary_key]
    values = [field.get_db_prep_save(field.pre_save(delivery, add=True), connection) for field in fields]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    insert = f"INSERT INTO {WebhookDelivery._meta.db_table} ({columns}) VALUES ({placeholders}) RETURNING id"
    found = _NOT_READ
    if find_installation is None or connection.vendor != "postgresql":
        # SQLite (the demo) has no INSERT inside a WITH: check_delivery reads it after.
        with connection.cursor() as cursor:
            cursor.execute(insert, values)
            delivery.pk = cursor.fetchone()[0]
    else:
        api_url, dedupe_key = find_installation
        query = _STORED_WITH_INSTALLATION_SQL.format(
            insert=insert,
            installation_columns=", ".join(f"i.{connection.ops.quote_name(f.column)}" for f in Installation._meta.concrete_fields),
            installation=Installation._meta.db_table,
            duplicate=_DUPLICATE_SQL.format(delivery=WebhookDelivery._meta.db_table),
        )
        params = [*values, delivery.event, dedupe_key or "", DeliveryStatus.PROCESSED, normalize_api_url(api_url)]
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            row = cursor.fetchone()
        delivery.pk = row[0]
        found = _installation_from_row(row[1:-1], duplicate_of=row[-1]) if row[1] is not None else None
    delivery._state.adding = False
    return found


def _installation_from_row(values, *, duplicate_of: int | None) -> Installation:
    """An Installation from its columns in field order, converted as the ORM would."""
    fields = Installation._meta.concrete_fields
    converted = []
    for field, value in zip(fields, values, strict=True):
        column = field.get_col(Installation._meta.db_table)
        for converter in connection.ops.get_db_converters(column) + column.get_db_converters(connection):
            value = converter(value, column, connection)
        converted.append(value)
    installation = Installation.from_db(connection.alias, [field.attname for field in fields], converted)
    installation.duplicate_of = duplicate_of
    return installation


def check_delivery(delivery: WebhookDelivery, *, parsed: tuple | None = None, installation=_NOT_READ) -> CheckedDelivery:
    """Run every intake check on a stored delivery; raise an IntakeError subclass if one fails.

    `parsed` (from `_parse_untrusted`) and `installation` (from `store_delivery`) are
    what intake read already; without them they are read here."""
    headers = {name.lower(): value for name, value in (delivery.headers or {}).items()}
    body = bytes(delivery.body)
    api_url = headers.get("saleor-api-url", "")
    if not api_url:
        raise UnknownInstallation("the Saleor-Api-Url header is missing")
    # The body is parsed before it is trusted, only so that the installation lookup can find
    # a processed duplicate in the same query; parse errors are reported after verification.
    data, payload, parse_error = parsed if parsed is not None else _parse_untrusted(delivery.event, body)
    dedupe_key = delivery_dedupe_key(payload) if payload else None
    if installation is _NOT_READ:
        installation = _find_installation(api_url, delivery.event, dedupe_key)
    if installation is None:
        raise UnknownInstallation(f"no installation for Saleor API URL {api_url!r}")

    signature = headers.get("saleor-signature") or headers.get("x-saleor-signature") or ""
    verify_signature(installation, signature, body)

    if data is None:
        raise RejectedPayload(str(parse_error))
    recipient = recipient_id(data)
    if not recipient:
        raise WrongRecipient("the payload does not name its recipient (recipient.id)")
    if recipient != installation.app_id:
        raise WrongRecipient(f"the payload is for app {recipient!r}, not this app")

    sent_event = (headers.get("saleor-event") or headers.get("x-saleor-event") or "").lower()
    if sent_event != delivery.event:
        raise RejectedPayload(f"Saleor-Event {sent_event or '(missing)'!r} does not match the URL's event {delivery.event!r}")
    if payload is None or dedupe_key is None:
        raise RejectedPayload(str(parse_error))
    return CheckedDelivery(installation, payload, dedupe_key, installation.duplicate_of)


def _parse_untrusted(event: str, body: bytes) -> tuple[dict | None, Payload | None, PayloadError | None]:
    try:
        data = load_json(body)
    except PayloadError as exc:
        return None, None, exc
    try:
        return data, parse_payload(event, data), None
    except PayloadError as exc:
        return data, None, exc


def _find_installation(api_url: str, event: str, dedupe_key: str | None) -> Installation | None:
    """The installation of `api_url`, with `duplicate_of`: the id of a PROCESSED delivery of
    the same event and dedupe key, if any. One query for both, written in SQL because
    building it with the ORM (annotate + Subquery) cost 0.7 ms more CPU per delivery, a
    quarter of the whole intake (measured with benchmarks/webhook_intake.py)."""
    query = _INSTALLATION_WITH_DUPLICATE_SQL.format(
        installation=Installation._meta.db_table, duplicate=_DUPLICATE_SQL.format(delivery=WebhookDelivery._meta.db_table)
    )
    params = [event, dedupe_key or "", DeliveryStatus.PROCESSED, normalize_api_url(api_url)]
    return next(iter(Installation.objects.raw(query, params)), None)


_DUPLICATE_SQL = """(
    SELECT d.id FROM {delivery} d
    WHERE d.installation_id = i.id AND d.event = %s AND d.dedupe_key = %s AND d.dedupe_key <> ''
      AND d.status = %s
    ORDER BY d.id LIMIT 1
)"""

_INSTALLATION_WITH_DUPLICATE_SQL = """
SELECT i.*, {duplicate} AS duplicate_of
FROM {installation} i
WHERE i.saleor_api_url = %s
"""

# The stored delivery's id with its installation, or NULLs where no installation has the
# URL (a LEFT JOIN on the one inserted row). The duplicate's subquery cannot see the new
# row (one snapshot for the whole statement), which is RECEIVED anyway.
_STORED_WITH_INSTALLATION_SQL = """
WITH stored AS ({insert})
SELECT stored.id AS stored_delivery, {installation_columns}, {duplicate} AS duplicate_of
FROM stored LEFT JOIN {installation} i ON i.saleor_api_url = %s
"""


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


def _finish_intake(
    delivery: WebhookDelivery,
    status: str,
    http_status: int,
    *,
    checked: CheckedDelivery | None = None,
    error: str = "",
) -> None:
    fields: dict[str, Any] = {"status": status, "response_status": http_status, "error": error}
    if checked is not None:
        fields.update(
            installation=checked.installation,
            subject_id=checked.payload.subject_id[:255],
            dedupe_key=checked.dedupe_key[:512],
        )
    _update_delivery(delivery.pk, fields)
    for name, value in fields.items():
        setattr(delivery, name, value)


def _update_delivery(delivery_id: int, fields: dict[str, Any]) -> None:
    """`WebhookDelivery.objects.filter(pk=..).update(**fields)` without the query
    compiler, which cost a tenth of a delivery's intake CPU (0.3 ms)."""
    assignments, params = [], []
    for name, value in fields.items():
        model_field = WebhookDelivery._meta.get_field(name)
        if model_field.is_relation:
            value = value.pk if value is not None else None
        assignments.append(f"{connection.ops.quote_name(model_field.column)} = %s")
        params.append(model_field.get_db_prep_save(value, connection) if not model_field.is_relation else value)
    params.append(delivery_id)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {WebhookDelivery._meta.db_table} SET {', '.join(assignments)} WHERE id = %s", params)


def enqueue(delivery_id: int) -> bool:
    """Hand the delivery to processing; on a broker failure mark it FAILED.

    With a broker, deliveries are processed in batches by a drain task (batch.py); in
    eager mode (no broker) each delivery is processed right away by its own task."""
    from . import batch
    from .tasks import process_delivery_task

    try:
        if batch.batching_enabled():
            batch.schedule_drain()
        else:
            process_delivery_task.delay(delivery_id)
        return True
    except Exception as exc:  # the broker is down: keep the delivery for reprocessing
        logger.exception("could not queue webhook delivery", extra={"delivery": delivery_id})
        WebhookDelivery.objects.filter(pk=delivery_id, status=DeliveryStatus.QUEUED).update(
            status=DeliveryStatus.FAILED, error=f"could not queue the processing task: {exc!r}", response_status=503
        )
        return False


# --- processing ---------------------------------------------------------------------------

PROCESSABLE = frozenset({DeliveryStatus.QUEUED, DeliveryStatus.FAILED})


def process_delivery(delivery_id: int, *, skip_locked: bool = False) -> str | None:
    """Run the handlers of a QUEUED or FAILED delivery; return the status it ends in.

    The delivery row is locked for the whole run, so two workers (or a worker and
    `reprocess-webhooks`) never process the same delivery at once, and a delivery that is
    already PROCESSED or SKIPPED is left alone: the task is safe to retry. With
    `skip_locked`, a delivery another worker is processing right now is left to it
    (returns None) instead of waited for.
    """
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",), skip_locked=skip_locked)
            .select_related("installation")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            if skip_locked:
                return None
            logger.warning("webhook delivery vanished", extra={"delivery": delivery_id})
            return None
        if delivery.status not in PROCESSABLE:
            return delivery.status
        delivery.attempts += 1
        try:
            if delivery.installation is None:
                raise PayloadError("the delivery has no installation (it was never verified)")
            payload = parse_payload(delivery.event, load_json(bytes(delivery.body)))
        except PayloadError as exc:
            # Intake parsed the same bytes, so this means the parser changed since: keep it.
            delivery.status, delivery.error = DeliveryStatus.REJECTED, str(exc)
        else:
            try:
                # A savepoint: a failing handler leaves nothing behind but the FAILED status.
                with transaction.atomic():
                    results, duplicate = run_handlers(HandlerContext(delivery.installation, delivery, payload))
            except Exception:
                delivery.status, delivery.error = DeliveryStatus.FAILED, traceback.format_exc()
                logger.exception("webhook handler failed", extra={"delivery": delivery.pk, "event": delivery.event})
            else:
                delivery.status = DeliveryStatus.SKIPPED if duplicate else DeliveryStatus.PROCESSED
                delivery.error = "duplicate: nothing new to record" if duplicate else ""
                delivery.result = results
                delivery.processed_at = timezone.now()
        delivery.save(update_fields=["status", "error", "result", "processed_at", "attempts"])
        return delivery.status


def reprocess_delivery(delivery: WebhookDelivery, *, force: bool = False) -> str | None:
    """Run a stored delivery again (the `reprocess-webhooks` command).

    FAILED and QUEUED deliveries are processed. RECEIVED, INVALID and REJECTED ones go through
    the intake checks again first (the installation may exist now, the JWKS may have been
    refreshed). PROCESSED and SKIPPED ones only with `force`, which is harmless: handlers
    are idempotent.
    """
    if delivery.status in (DeliveryStatus.RECEIVED, DeliveryStatus.INVALID, DeliveryStatus.REJECTED):
        try:
            checked = check_delivery(delivery)
        except IntakeError as exc:
            _finish_intake(delivery, exc.delivery_status, delivery.response_status or exc.http_status, error=exc.message)
            return exc.delivery_status
        _finish_intake(delivery, DeliveryStatus.QUEUED, delivery.response_status or 202, checked=checked)
    elif delivery.status in (DeliveryStatus.PROCESSED, DeliveryStatus.SKIPPED):
        if not force:
            return delivery.status
        WebhookDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.QUEUED)
    return process_delivery(delivery.pk)
