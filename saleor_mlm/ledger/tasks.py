"""Celery tasks of the ledger. They take ids and are safe to run more than once:
crediting an event twice is a no-op (`crediting.credit_order_events`)."""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.utils import timezone

from saleor_mlm.installations.models import Installation
from saleor_mlm.installations.saleor_client import SaleorUnavailable
from saleor_mlm.orders.models import OrderEvent

from .actions import retry_parked
from .crediting import credit_order_event
from .models import ParkedOrderEvent
from .write_back import write_back_order

logger = logging.getLogger(__name__)

# Events swept per run: small enough that one run stays well under a minute, the sweep
# reschedules itself while there is more.
SWEEP_BATCH_SIZE = 500
# An event younger than this is probably still on its way through the webhook pipeline.
SWEEP_MIN_AGE = datetime.timedelta(minutes=5)


@shared_task(name="ledger.retry_parked")
def retry_parked_task(installation_id: int) -> dict:
    installation = Installation.objects.filter(pk=installation_id).first()
    if installation is None:
        return {"credited": 0, "still_parked": 0}
    result = retry_parked(installation)
    return {"credited": result.credited, "still_parked": result.still_parked}


@shared_task(name="ledger.retry_parked_everywhere", ignore_result=True)
def retry_parked_everywhere_task() -> dict:
    """Beat schedule (`LEDGER_RETRY_PARKED_INTERVAL`): retry the parked events of every
    installation that has any, as `saleor-mlm retry-parked` does. An event whose cause is
    gone (the order's record was corrected by a later delivery, a rate is there) is
    credited; the others stay parked with their reason, one attempt more."""
    credited = still_parked = 0
    installation_ids = ParkedOrderEvent.objects.filter(resolved_at__isnull=True).values_list("installation_id", flat=True)
    for installation in Installation.objects.filter(pk__in=installation_ids.distinct()).order_by("pk"):
        result = retry_parked(installation)
        credited, still_parked = credited + result.credited, still_parked + result.still_parked
    if credited:
        logger.info("parked order events credited", extra={"credited": credited, "still_parked": still_parked})
    return {"credited": credited, "still_parked": still_parked}


@shared_task(name="ledger.credit_uncredited_order_events")
def credit_uncredited_order_events_task() -> int:
    """Safety net (schedule it, e.g. every 10 minutes): credit order events that were
    recorded but never reached the ledger (a worker died between the webhook commit and
    the crediting task). Parked events are left to `retry_parked`."""
    cutoff = timezone.now() - SWEEP_MIN_AGE
    event_ids = list(
        OrderEvent.objects.filter(credited_at__isnull=True, created_at__lt=cutoff, parked__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)[:SWEEP_BATCH_SIZE]
    )
    for event_id in event_ids:
        credit_order_event(event_id)
    if len(event_ids) == SWEEP_BATCH_SIZE:
        credit_uncredited_order_events_task.delay()
    return len(event_ids)


# Only an unreachable Saleor is worth another try; a refusal (permissions, an unknown
# order) stays a refusal until someone acts, and is logged by Celery as a failure.
WRITE_BACK_RETRY = {
    "autoretry_for": (SaleorUnavailable,),
    "retry_backoff": 30,
    "retry_backoff_max": 30 * 60,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(bind=True, name="ledger.write_back_order", ignore_result=True, **WRITE_BACK_RETRY)
def write_back_order_task(self, order_id: int) -> dict:
    """Write what the ledger credited on an order to Saleor (`write_back.write_back_order`).
    Idempotent: it writes the order's state as it is when it runs."""
    if self.request.is_eager:
        # In-process (no broker: the demo, tests): one attempt, and never a retry that
        # would make the caller (a webhook being processed) sleep.
        try:
            return write_back_order(order_id, client_retries=0).as_json()
        except SaleorUnavailable as exc:
            logger.warning("write-back skipped: Saleor unavailable", extra={"order": order_id, "error": str(exc)})
            return {"order_written": False, "customer_written": False, "skipped": "Saleor unavailable"}
    return write_back_order(order_id).as_json()
