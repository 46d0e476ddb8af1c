"""Celery tasks of the sync: the nightly sync of the last days, and a backfill started
from the API (the dashboard's first-install offer). They take ids and resume a run
stopped midway instead of starting over."""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from saleor_mlm.installations.models import Installation
from saleor_mlm.installations.saleor_client import SaleorError
from saleor_mlm.saleor.payloads import PayloadError

from . import SyncTrigger
from .actions import run_sync, start_sync
from .models import SyncRun

logger = logging.getLogger(__name__)


def nightly_since(now: datetime.datetime) -> datetime.datetime:
    """The start of the nightly window: midnight `SALEOR_SYNC_NIGHTLY_DAYS` days ago (local
    time), so each night's window is the same from whenever the task runs that day."""
    day = timezone.localtime(now).date() - datetime.timedelta(days=int(settings.SALEOR_SYNC_NIGHTLY_DAYS))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@shared_task(name="reconciliation.sync_recent_orders_everywhere", ignore_result=True)
def sync_recent_orders_everywhere_task() -> dict:
    """Beat schedule (nightly): sync the orders of the last `SALEOR_SYNC_NIGHTLY_DAYS` days
    of every installation with a Saleor (not the demo). One that fails is logged and tried
    again the next night (its run resumes); the others go on."""
    since = nightly_since(timezone.now())
    done = failed = 0
    for installation in Installation.objects.filter(is_demo=False).order_by("pk"):
        run = start_sync(installation, since=since, trigger=SyncTrigger.NIGHTLY, started_by="nightly")
        try:
            run_sync(run)
            done += 1
        except (SaleorError, PayloadError):
            failed += 1  # logged by run_sync, kept FAILED on the run
    return {"done": done, "failed": failed}


@shared_task(name="reconciliation.run_sync", ignore_result=True)
def run_sync_task(run_id: int) -> None:
    run = SyncRun.objects.select_related("installation").filter(pk=run_id).first()
    if run is None:
        return
    try:
        run_sync(run)
    except (SaleorError, PayloadError):
        pass  # stored FAILED with its error on the run; the API shows it
