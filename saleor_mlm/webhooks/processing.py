"""Processing stored deliveries: one delivery and a batch alike.

`process_delivery(id)` (a task per delivery in eager mode, reprocessing) locks one delivery
and processes it as a batch of one; the drain (`batch.process_queued_batch`) claims up to
`WEBHOOK_BATCH_SIZE` at once. Both end in `process_claimed(deliveries)`, which

1. parses each stored body into its typed payload (one that no longer parses is REJECTED:
   intake parsed the same bytes, so the parser changed since);
2. splits the deliveries into rounds (`core.rounds`, keys in `use_cases`) and runs each
   round through the use-case table (`use_cases.USE_CASES`), all in one savepoint;
3. stores each delivery's outcome with one UPDATE: PROCESSED, or SKIPPED when it repeated
   what was recorded already, with what its use case did in `result`.

If anything in a batch raises, nothing of it is kept and each delivery is processed alone,
in a savepoint of its own: one that fails again is stored FAILED with its traceback (the
sweep and `saleor-mlm reprocess-webhooks --failed` run it again), and the others are not
held back. A delivery processed alone gives what it gives in a batch
(tests/ledger/test_batch_processing.py runs the same deliveries both ways).

The claimed rows stay locked until the outcomes are stored: two workers, or a worker and
`reprocess-webhooks`, never process one delivery at once, and a delivery that is PROCESSED
or SKIPPED already is left alone: processing is safe to repeat.
"""

from __future__ import annotations

import json
import logging
import traceback

from django.db import connection, transaction
from django.utils import timezone

from saleor_mlm.core.rounds import next_round
from saleor_mlm.saleor.payloads import PayloadError, parse_body

from . import DeliveryStatus
from .actions import IntakeError, check_delivery, store_intake_outcome
from .models import WebhookDelivery
from .use_cases import USE_CASES, Item, Outcome, reads, use_case_for, writes

logger = logging.getLogger(__name__)

PROCESSABLE = frozenset({DeliveryStatus.QUEUED, DeliveryStatus.FAILED})
DUPLICATE_ERROR = "duplicate: nothing new to record"


def process_delivery(delivery_id: int, *, skip_locked: bool = False) -> str | None:
    """Process a QUEUED or FAILED delivery; return the status it ends in (that of one in
    another status, untouched). With `skip_locked`, a delivery another worker is
    processing right now is left to it (returns None) instead of waited for."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",), skip_locked=skip_locked)
            .select_related("installation")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            if not skip_locked:
                logger.warning("webhook delivery vanished", extra={"delivery": delivery_id})
            return None
        if delivery.status not in PROCESSABLE:
            return delivery.status
        process_claimed([delivery])
        return delivery.status


def process_claimed(deliveries: list[WebhookDelivery]) -> None:
    """Process deliveries that the current transaction holds locked, QUEUED or FAILED, in
    id order (module docstring); each ends with its status, error and result stored."""
    items = []
    for delivery in deliveries:
        delivery.attempts += 1
        try:
            if delivery.installation is None:
                raise PayloadError("the delivery has no installation (it was never verified)")
            items.append(Item(delivery, parse_body(delivery.event, bytes(delivery.body), received_at=delivery.received_at)))
        except PayloadError as exc:
            delivery.status, delivery.error = DeliveryStatus.REJECTED, str(exc)
    outcomes: dict[int, Outcome] = {}
    try:
        # A savepoint: whatever fails leaves nothing behind.
        with transaction.atomic():
            outcomes = run_use_cases(items)
    except Exception:
        if len(items) == 1:
            _failed(items[0])
        else:
            logger.exception("batch of deliveries failed; processing them one by one", extra={"deliveries": len(items)})
            for item in items:
                try:
                    with transaction.atomic():
                        outcomes.update(run_use_cases([item]))
                except Exception:
                    _failed(item)
    now = timezone.now()
    for item in items:
        outcome = outcomes.get(item.delivery.pk)
        if outcome is not None:
            delivery = item.delivery
            delivery.status = DeliveryStatus.SKIPPED if outcome.duplicate else DeliveryStatus.PROCESSED
            delivery.error = DUPLICATE_ERROR if outcome.duplicate else ""
            delivery.result = outcome.result
            delivery.processed_at = now
    _store(deliveries)
    if logger.isEnabledFor(logging.INFO):
        for delivery in deliveries:
            # What came of it (processed, skipped, rejected, failed), and why in a line.
            outcome = {"outcome": delivery.status, "delivery": delivery.pk, "event": delivery.event}
            if delivery.error:
                outcome["reason"] = delivery.error.strip().splitlines()[-1][:200]
            logger.info("webhook delivery " + delivery.status, extra=outcome)


def _failed(item: Item) -> None:
    """Called while handling the exception: the delivery is FAILED with its traceback."""
    item.delivery.status, item.delivery.error = DeliveryStatus.FAILED, traceback.format_exc()
    logger.exception("webhook processing failed", extra={"delivery": item.delivery.pk, "event": item.delivery.event})


def run_use_cases(items: list[Item]) -> dict[int, Outcome]:
    """Round after round, each use case of the table once with its deliveries of the
    round, per installation, in the order of the table."""
    outcomes: dict[int, Outcome] = {}
    pending = items
    while pending:
        taken, pending = next_round(pending, reads=reads, writes=writes)
        calls: dict[tuple, list[Item]] = {}
        for item in taken:
            calls.setdefault((use_case_for(item.delivery.event), item.delivery.installation_id), []).append(item)
        for use_case in dict.fromkeys(USE_CASES.values()):  # the table's order
            for (called, _installation_id), group in calls.items():
                if called is use_case:
                    outcomes.update(use_case(group[0].delivery.installation, group))
    return outcomes


def _store(deliveries: list[WebhookDelivery]) -> None:
    """Store status, error, result, processed_at and one more attempt of each delivery, in
    one UPDATE. A column the deliveries share one value of (in a batch, usually all but the
    result) is set to it; the others by a CASE on the id. Written in SQL: `bulk_update`
    builds a CASE expression object per delivery and field and resolves each one, which
    cost more CPU than recording and crediting the orders."""
    if not deliveries:
        return
    postgres = connection.vendor == "postgresql"
    placeholders = {"status": "%s", "error": "%s", "result": "%s::jsonb" if postgres else "%s"}
    placeholders["processed_at"] = "%s::timestamptz" if postgres else "%s"
    values = {
        "status": [delivery.status for delivery in deliveries],
        "error": [delivery.error for delivery in deliveries],
        "result": [json.dumps(delivery.result) for delivery in deliveries],
        "processed_at": [connection.ops.adapt_datetimefield_value(delivery.processed_at) for delivery in deliveries],
    }
    ids = [delivery.pk for delivery in deliveries]
    assignments, params = [], []
    for column, column_values in values.items():
        placeholder = placeholders[column]
        if all(value == column_values[0] for value in column_values):
            assignments.append(f"{column} = {placeholder}")
            params.append(column_values[0])
        else:
            assignments.append(f"{column} = CASE id {' '.join(f'WHEN %s THEN {placeholder}' for _ in ids)} END")
            for delivery_id, value in zip(ids, column_values, strict=True):
                params += [delivery_id, value]
    params += ids
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {WebhookDelivery._meta.db_table} SET {', '.join(assignments)}, attempts = attempts + 1 "
            f"WHERE id IN ({', '.join(['%s'] * len(ids))})",
            params,
        )


def reprocess_delivery(delivery: WebhookDelivery, *, force: bool = False) -> str | None:
    """Run a stored delivery again (the `reprocess-webhooks` command).

    FAILED and QUEUED deliveries are processed. RECEIVED, INVALID and REJECTED ones go through
    the intake checks again first (the installation may exist now, the JWKS may have been
    refreshed). PROCESSED and SKIPPED ones only with `force`, which is harmless: processing
    is idempotent.
    """
    if delivery.status in (DeliveryStatus.RECEIVED, DeliveryStatus.INVALID, DeliveryStatus.REJECTED):
        try:
            checked = check_delivery(delivery)
        except IntakeError as exc:
            store_intake_outcome(delivery, exc.delivery_status, delivery.response_status or exc.http_status, error=exc.message)
            return exc.delivery_status
        store_intake_outcome(delivery, DeliveryStatus.QUEUED, delivery.response_status or 202, checked=checked)
    elif delivery.status in (DeliveryStatus.PROCESSED, DeliveryStatus.SKIPPED):
        if not force:
            return delivery.status
        WebhookDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.QUEUED)
    return process_delivery(delivery.pk)
