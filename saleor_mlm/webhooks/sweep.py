"""Periodic work of the webhook pipeline, run by Celery beat (`settings.CELERY_BEAT_SCHEDULE`;
`celery -A saleor_mlm beat` beside the worker, docs/webhooks.md "Periodic work").

- `sweep()`, every `WEBHOOK_SWEEP_INTERVAL` seconds: nothing stays queued. A drain task
  that died with its worker (killed mid-batch: its message waits for the broker's
  visibility timeout, an hour on Redis, and the drain flag has expired) leaves QUEUED
  deliveries that no new delivery may come to pick up. The sweep makes sure a drain is on
  its way for QUEUED deliveries older than one interval, puts FAILED deliveries back in the
  queue with a growing wait (one interval after the first failure, two after the second,
  four, ...) until `WEBHOOK_SWEEP_MAX_ATTEMPTS`, and logs an error while the backlog is
  older than `WEBHOOK_BACKLOG_ALERT_AFTER`.
- `backlog()`: what waits and since when; the sweep's alert and `/healthz` read it.
- `purge_unverified_deliveries()`, hourly: records of requests whose signature never
  verified, older than `WEBHOOK_UNVERIFIED_RETENTION_DAYS`, are deleted.

Idempotent with whatever runs meanwhile: the drain claims deliveries with `SELECT .. FOR
UPDATE SKIP LOCKED`, `process_delivery` locks a delivery and leaves it alone unless it is
QUEUED or FAILED, and `batch.schedule_drain` queues no second drain task while one is
waiting. Two sweeps, a sweep and a running drain, or a sweep and `reprocess-webhooks`
process each delivery once.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from saleor_mlm.core.health import HealthCheckResult

from . import DeliveryStatus
from .models import WebhookDelivery

logger = logging.getLogger(__name__)

# Backlog counts stop here: the figure is for people, and counting a huge queue on every
# health probe would cost more than it tells.
COUNT_LIMIT = 10_000
# Unverified records deleted per statement: a long backlog of them goes in short steps.
PURGE_BATCH_SIZE = 1_000
# Statuses of the records of requests that never verified (no installation).
UNVERIFIED_STATUSES = (DeliveryStatus.INVALID, DeliveryStatus.RECEIVED)


def _interval() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.WEBHOOK_SWEEP_INTERVAL)


# ------------------------------------------------------------------ the backlog


@dataclass(frozen=True)
class Backlog:
    """What waits to be processed, as of `now`."""

    now: datetime.datetime
    queued: int  # QUEUED deliveries (at most COUNT_LIMIT counted)
    oldest_queued_at: datetime.datetime | None
    failed_retrying: int  # FAILED ones the sweep still retries
    oldest_failed_retrying_at: datetime.datetime | None
    failed: int  # FAILED ones past WEBHOOK_SWEEP_MAX_ATTEMPTS: `reprocess-webhooks --failed`

    @property
    def oldest_at(self) -> datetime.datetime | None:
        times = [at for at in (self.oldest_queued_at, self.oldest_failed_retrying_at) if at is not None]
        return min(times) if times else None

    @property
    def age_seconds(self) -> int:
        """How long the oldest waiting delivery has waited (0: nothing waits)."""
        oldest = self.oldest_at
        return max(0, int((self.now - oldest).total_seconds())) if oldest else 0

    @property
    def stale(self) -> bool:
        return self.oldest_at is not None and self.age_seconds > settings.WEBHOOK_BACKLOG_ALERT_AFTER

    def as_json(self) -> dict[str, Any]:
        return {
            "queued": self.queued,
            "failed_retrying": self.failed_retrying,
            "failed": self.failed,
            "oldest_waiting_seconds": self.age_seconds,
            "alert_after_seconds": settings.WEBHOOK_BACKLOG_ALERT_AFTER,
        }


def _retrying() -> Q:
    return Q(status=DeliveryStatus.FAILED, attempts__lt=settings.WEBHOOK_SWEEP_MAX_ATTEMPTS)


def backlog(now: datetime.datetime | None = None) -> Backlog:
    """A handful of index reads: the oldest QUEUED delivery by id (the partial index of the
    queued ones; ids grow with the time of receipt), the FAILED ones by the status index."""
    now = now or timezone.now()
    queued = WebhookDelivery.objects.filter(status=DeliveryStatus.QUEUED)
    retrying = WebhookDelivery.objects.filter(_retrying())
    oldest_queued = queued.order_by("id").values_list("received_at", flat=True).first()
    oldest_retrying = retrying.order_by("received_at").values_list("received_at", flat=True).first()
    return Backlog(
        now=now,
        queued=queued[:COUNT_LIMIT].count() if oldest_queued else 0,
        oldest_queued_at=oldest_queued,
        failed_retrying=retrying[:COUNT_LIMIT].count() if oldest_retrying else 0,
        oldest_failed_retrying_at=oldest_retrying,
        failed=WebhookDelivery.objects.filter(status=DeliveryStatus.FAILED).exclude(_retrying())[:COUNT_LIMIT].count(),
    )


def backlog_health() -> HealthCheckResult:
    """The `/healthz` check (registered in `WebhooksConfig.ready`): 503 while the backlog is
    older than WEBHOOK_BACKLOG_ALERT_AFTER, the figures always."""
    state = backlog()
    if not state.stale:
        return HealthCheckResult("ok", True, state.as_json())
    summary = gettext("stale: %(count)d deliveries waiting, the oldest for %(seconds)d seconds") % {
        "count": state.queued + state.failed_retrying,
        "seconds": state.age_seconds,
    }
    return HealthCheckResult(summary, False, state.as_json())


# ------------------------------------------------------------------ the sweep


@dataclass(frozen=True)
class SweepResult:
    requeued: int  # FAILED deliveries put back in the queue
    drained: bool  # a drain was scheduled (with a broker) or run (without)
    backlog: Backlog

    def as_json(self) -> dict[str, Any]:
        return {"requeued": self.requeued, "drained": self.drained, "backlog": self.backlog.as_json()}


def sweep(now: datetime.datetime | None = None) -> SweepResult:
    """One sweep (see the module docstring); safe beside anything else that processes."""
    now = now or timezone.now()
    requeued = requeue_failed(now)
    oldest_queued = (
        WebhookDelivery.objects.filter(status=DeliveryStatus.QUEUED).order_by("id").values_list("received_at", flat=True).first()
    )
    drained = bool(requeued) or (oldest_queued is not None and oldest_queued < now - _interval())
    if drained:
        _drain()
    state = backlog(now)
    if state.stale:
        logger.error("webhook backlog is stale: deliveries wait longer than the alert threshold", extra=state.as_json())
    elif requeued or drained:
        logger.info("webhook sweep", extra={"requeued": requeued, **state.as_json()})
    return SweepResult(requeued, drained, state)


def requeue_failed(now: datetime.datetime) -> int:
    """Put FAILED deliveries back in the queue: after attempt n, once 2^n intervals have
    passed since receipt (a short outage is over by the first retries, a bug does not run
    every minute), until WEBHOOK_SWEEP_MAX_ATTEMPTS. A delivery that fails for good waits
    for a person (`reprocess-webhooks --failed`), and counts in `Backlog.failed`."""
    interval = _interval()
    due = Q()
    for attempts in range(settings.WEBHOOK_SWEEP_MAX_ATTEMPTS):
        due |= Q(attempts=attempts, received_at__lt=now - interval * 2**attempts)
    if not due:
        return 0
    # Only FAILED rows change: one that a drain or `reprocess-webhooks` is processing right
    # now is QUEUED or FAILED until that commits, and processing it twice is harmless.
    return WebhookDelivery.objects.filter(due, status=DeliveryStatus.FAILED).update(status=DeliveryStatus.QUEUED)


def _drain() -> None:
    from . import batch

    if batch.batching_enabled():
        # A drain task on the worker, unless one is already waiting (the intake's flag).
        batch.schedule_drain()
    else:
        # Eager mode (no broker, no worker): drain in this process.
        batch.drain()


# ------------------------------------------------------------------ unverified records


def purge_unverified_deliveries(now: datetime.datetime | None = None) -> int:
    """Delete the records of requests that never verified (no installation), received
    more than WEBHOOK_UNVERIFIED_RETENTION_DAYS ago; return how many."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.WEBHOOK_UNVERIFIED_RETENTION_DAYS)
    old = WebhookDelivery.objects.filter(installation__isnull=True, status__in=UNVERIFIED_STATUSES, received_at__lt=cutoff)
    total = 0
    while ids := list(old.order_by("id").values_list("id", flat=True)[:PURGE_BATCH_SIZE]):
        WebhookDelivery.objects.filter(pk__in=ids).delete()
        total += len(ids)
    if total:
        logger.info("unverified webhook records purged", extra={"deleted": total, "received_before": cutoff.isoformat()})
    return total
