"""Processing queued deliveries in batches: the production path with a Celery broker.

One Celery task per delivery costs a broker round trip and a transaction per order, and
a dozen queries; at a few hundred orders a second that is most of the machine. With a
broker, intake therefore only makes sure that one *drain* task is on its way
(`schedule_drain`), and the task (`drain`) claims queued deliveries in batches:

1. `SELECT .. FOR UPDATE SKIP LOCKED` up to `WEBHOOK_BATCH_SIZE` QUEUED deliveries, so
   several workers drain side by side without waiting for each other;
2. the new paid orders among them are recorded and credited in bulk, in one transaction
   (`orders.batch`, `ledger.batch`), and their deliveries stored PROCESSED;
3. every other delivery (refunds, cancellations, customers, repeated payments, anything
   the bulk part left out or failed on) is processed alone by `actions.process_delivery`,
   exactly as without batching.

The outcome is that of processing each delivery alone, which the tests check by running
the same deliveries both ways. Without a broker (eager mode: tests, the demo) each
delivery is processed in its own task as before.

Scheduling: intake sets a short-lived Redis flag (`SET NX`) and queues a drain task only
if it set it; the drain task deletes the flag before it claims anything. A delivery
committed before the delete is claimed by that task; one committed after it finds the
flag unset and queues another task, or finds it set by another delivery that did. The
flag expires on its own, so a task lost before it started holds nothing up for long; a
task lost while it ran (its worker killed mid-batch) leaves QUEUED deliveries that the
periodic sweep (`sweep.py`) drains.
"""

from __future__ import annotations

import json
import logging
import time
from functools import lru_cache

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from . import DeliveryStatus
from .events import CUSTOMER_EVENTS, WebhookEvent
from .handlers import registry
from .models import WebhookDelivery
from .payloads import CustomerEventPayload, OrderEventPayload, PayloadError, parse_body

logger = logging.getLogger(__name__)

DRAIN_FLAG = "saleor_mlm:webhooks:drain-scheduled"  # after settings.REDIS_KEY_PREFIX
DRAIN_FLAG_SECONDS = 10
# A drain task hands over to a fresh one after this long, so one task never runs for
# hours under a steady stream (and a deploy can stop the worker in between).
DRAIN_MAX_SECONDS = 60
DRAIN_PAUSE_SECONDS = 0.05
RECORD_ORDER_HANDLER = "orders.record_order_event"
PAID_EVENT = WebhookEvent.ORDER_FULLY_PAID


def batching_enabled() -> bool:
    return not settings.CELERY_TASK_ALWAYS_EAGER and settings.WEBHOOK_BATCH_SIZE > 1


# ------------------------------------------------------------------ scheduling


@lru_cache(maxsize=1)
def _redis():
    import redis

    return redis.Redis.from_url(settings.CELERY_BROKER_URL)


def schedule_drain() -> None:
    """Make sure a drain task is on its way (see the module docstring). Raises when the
    broker cannot be reached: the caller marks the delivery FAILED."""
    from .tasks import drain_queued_task

    if settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        if not _redis().set(drain_flag_key(), b"1", nx=True, ex=DRAIN_FLAG_SECONDS):
            return  # one is queued and has not started yet: it will see this delivery
    drain_queued_task.delay()


def clear_drain_flag() -> None:
    if settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        _redis().delete(drain_flag_key())


def drain_flag_key() -> str:
    return settings.REDIS_KEY_PREFIX + DRAIN_FLAG


# ------------------------------------------------------------------ draining


def drain(batch_size: int | None = None, max_seconds: float = DRAIN_MAX_SECONDS) -> int:
    """Process queued deliveries batch by batch until none is left; return how many.
    After `max_seconds` a new drain task takes over."""
    batch_size = batch_size or settings.WEBHOOK_BATCH_SIZE
    started = time.monotonic()
    total = 0
    while claimed := process_queued_batch(batch_size):
        total += claimed
        if time.monotonic() - started > max_seconds:
            schedule_drain()
            break
        if claimed < batch_size // 2:
            # Deliveries trickle in as fast as they are processed: wait a moment so that the
            # next batch is worth its fixed cost (a dozen queries) instead of claiming one
            # delivery at a time. Live volumes are still fresh well within a second.
            time.sleep(DRAIN_PAUSE_SECONDS)
    return total


def process_queued_batch(limit: int) -> int:
    """Claim up to `limit` QUEUED deliveries and process them; return how many were claimed."""
    from .actions import process_delivery

    with transaction.atomic():
        deliveries = list(
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("installation")
            .filter(status=DeliveryStatus.QUEUED)
            .order_by("id")[:limit]
        )
        if not deliveries:
            return 0
        done = _record_new_paid_orders(deliveries)
    for delivery in deliveries:
        if delivery.pk not in done:
            # Not locked by this task any more, and still QUEUED: another drain may claim
            # it meanwhile. process_delivery locks it again, skips it if that drain is on
            # it, and leaves it alone if that drain has finished it.
            process_delivery(delivery.pk, skip_locked=True)
    return len(deliveries)


def _record_new_paid_orders(deliveries: list[WebhookDelivery]) -> set[int]:
    """The bulk part; returns the ids of the deliveries it stored PROCESSED."""
    from saleor_mlm.network import person_keys
    from saleor_mlm.orders.actions import order_buyer
    from saleor_mlm.orders.batch import record_new_paid_orders

    handlers = [handler.name for handler in registry.handlers_for(PAID_EVENT)]
    if handlers != [RECORD_ORDER_HANDLER]:
        return set()  # other handlers are registered: each delivery runs them all, alone
    by_installation: dict[int, list[tuple[WebhookDelivery, OrderEventPayload]]] = {}
    # People with a customer event earlier in the batch (a registration may attach them to
    # the partner of its code): their payments follow it one by one, in delivery order, as
    # they would without batches. (installation id, "user:<id>" or "email:<E-MAIL>")
    registered: set[tuple[int, str]] = set()
    for delivery in deliveries:  # in id order
        if delivery.installation is None or delivery.event not in (PAID_EVENT, *CUSTOMER_EVENTS):
            continue
        try:
            payload = parse_body(delivery.event, bytes(delivery.body), received_at=delivery.received_at)
        except PayloadError:
            continue  # process_delivery stores it REJECTED with the message
        if isinstance(payload, CustomerEventPayload):
            registered |= {(delivery.installation_id, key) for key in person_keys(payload.user.id, payload.user.email)}
            continue
        if any((delivery.installation_id, key) in registered for key in person_keys(*order_buyer(payload.order))):
            continue
        by_installation.setdefault(delivery.installation_id, []).append((delivery, payload))
    if not by_installation:
        return set()
    try:
        # A savepoint: if anything in the bulk part fails, none of it is kept and every
        # delivery is processed alone, where a failure is stored with its delivery.
        with transaction.atomic():
            events = {}
            for items in by_installation.values():
                events.update(record_new_paid_orders(items[0][0].installation, items))
    except Exception:
        logger.exception("batch of paid orders failed; processing its deliveries one by one")
        return set()
    results = {
        delivery_id: {RECORD_ORDER_HANDLER: {"order_record": event.order_id, "order_event": event.pk, "kind": event.kind, "created": True}}
        for delivery_id, event in events.items()
    }
    _store_processed(results)
    return set(results)


def _store_processed(results: dict[int, dict]) -> None:
    """Mark the deliveries PROCESSED with their results, in one UPDATE.

    Written in SQL: `bulk_update` builds a CASE expression object per delivery and field
    and resolves each one, which cost more CPU than recording and crediting the orders."""
    if not results:
        return
    table = WebhookDelivery._meta.db_table
    json_param = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    ids = sorted(results)
    cases = " ".join(f"WHEN %s THEN {json_param}" for _ in ids)
    params: list = [DeliveryStatus.PROCESSED, timezone.now()]
    for delivery_id in ids:
        params += [delivery_id, json.dumps(results[delivery_id])]
    params += ids
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, error = '', processed_at = %s, attempts = attempts + 1, "
            f"result = CASE id {cases} END WHERE id IN ({placeholders})",
            params,
        )
