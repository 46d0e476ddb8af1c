"""Processing queued deliveries in batches: the production path with a Celery broker.

One Celery task per delivery costs a broker round trip and a transaction per order, and
a dozen queries; at a few hundred orders a second that is most of the machine. With a
broker, intake therefore only makes sure that one *drain* task is on its way
(`schedule_drain`), and the task (`drain`) claims queued deliveries in batches with
`SELECT .. FOR UPDATE SKIP LOCKED`, up to `WEBHOOK_BATCH_SIZE` at a time, so several
workers drain side by side without waiting for each other, and processes each batch as
`processing.process_claimed` processes one delivery: the same use cases, called once per
round for all the deliveries of the round (`use_cases`), in one transaction.

Without a broker (eager mode: tests, the demo) each delivery is processed in its own task,
as a batch of one.

Scheduling: intake sets a short-lived Redis flag (`SET NX`) and queues a drain task only
if it set it; the drain task deletes the flag before it claims anything. A delivery
committed before the delete is claimed by that task; one committed after it finds the
flag unset and queues another task, or finds it set by another delivery that did. The
flag expires on its own, so a task lost before it started holds nothing up for long; a
task lost while it ran (its worker killed mid-batch) leaves QUEUED deliveries that the
periodic sweep (`sweep.py`) drains.
"""

from __future__ import annotations

import logging
import time
from functools import lru_cache

from django.conf import settings
from django.db import transaction

from . import DeliveryStatus
from .models import WebhookDelivery
from .processing import process_claimed

logger = logging.getLogger(__name__)

DRAIN_FLAG = "saleor_mlm:webhooks:drain-scheduled"  # after settings.REDIS_KEY_PREFIX
DRAIN_FLAG_SECONDS = 10
# A drain task hands over to a fresh one after this long, so one task never runs for
# hours under a steady stream (and a deploy can stop the worker in between).
DRAIN_MAX_SECONDS = 60
DRAIN_PAUSE_SECONDS = 0.05


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
    with transaction.atomic():
        deliveries = list(
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("installation")
            .filter(status=DeliveryStatus.QUEUED)
            .order_by("id")[:limit]
        )
        if deliveries:
            process_claimed(deliveries)
    return len(deliveries)
