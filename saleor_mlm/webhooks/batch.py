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
# How long intake trusts that the flag it found set is still set (see the module docstring);
# the drain task lingers as long after deleting the flag.
DRAIN_FLAG_MEMO_SECONDS = 0.25


def batching_enabled() -> bool:
    return not settings.CELERY_TASK_ALWAYS_EAGER and settings.WEBHOOK_BATCH_SIZE > 1


# ------------------------------------------------------------------ scheduling


@lru_cache(maxsize=1)
def _redis():
    import redis

    return redis.Redis.from_url(settings.CELERY_BROKER_URL)


# Per broker and flag key: the monotonic time until which this process takes the flag as set
# (shared by the process's threads; a stale read only costs a round trip).
_flag_known_set_until: dict[tuple[str, str], float] = {}


def schedule_drain(*, memo: bool = False) -> None:
    """Make sure a drain task is on its way (see the module docstring). Raises when the
    broker cannot be reached: the caller marks the delivery FAILED. With `memo` (intake),
    nothing is done while this process saw the flag set less than DRAIN_FLAG_MEMO_SECONDS
    ago."""
    from .tasks import drain_queued_task

    if settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        flag = (settings.CELERY_BROKER_URL, drain_flag_key())
        now = time.monotonic()  # before the round trip: the memo ends no later than it should
        if memo and now < _flag_known_set_until.get(flag, 0.0):
            return
        if _redis().set(flag[1], b"1", nx=True, ex=DRAIN_FLAG_SECONDS):
            drain_queued_task.delay()
        # else one is queued and has not started yet: it will see this delivery
        _flag_known_set_until[flag] = now + DRAIN_FLAG_MEMO_SECONDS
        return
    drain_queued_task.delay()


def clear_drain_flag() -> None:
    if settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        _redis().delete(drain_flag_key())


def drain_flag_key() -> str:
    return settings.REDIS_KEY_PREFIX + DRAIN_FLAG


# ------------------------------------------------------------------ draining


def drain(batch_size: int | None = None, max_seconds: float = DRAIN_MAX_SECONDS, *, linger_until: float = 0.0) -> int:
    """Process queued deliveries batch by batch until none is left; return how many.
    After `max_seconds` a new drain task takes over. A claim that finds nothing before the
    monotonic time `linger_until` is tried again at that time (the drain task: see the
    module docstring)."""
    batch_size = batch_size or settings.WEBHOOK_BATCH_SIZE
    started = time.monotonic()
    total = 0
    while True:
        claim_started = time.monotonic()
        claimed = process_queued_batch(batch_size)
        if not claimed:
            if claim_started >= linger_until:
                break
            time.sleep(max(0.0, linger_until - time.monotonic()))
            continue
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
