"""Celery tasks of periods. They take ids and are safe to run more than once: a run that
succeeded is left alone, one that stopped half-way resumes from its last committed phase
(`runs.execute_run`).

A close of a million partners takes about a minute and is one task: its batches (COPY
of 100,000 rows each, see `persist.BATCH`) live inside the one transaction that makes the
figures appear all at once, so the task cannot be split into rescheduled pieces without
giving that up. `acks_late` (settings) hands the task to another worker if this one dies;
the rerun resumes.

`start_period_run` hands a run to a worker. Without a broker Celery runs tasks eagerly,
inside the request: the request would return only when the close is done, and nobody would
see its progress. The demo server (`saleor-mlm demo`) therefore turns on
`MLM_PERIOD_RUNS_IN_THREAD`: the run goes to a thread of the web process, the request
returns at once with the run pending, and the run reports its phase and percent through
the same record a Celery worker writes (`runs.ProgressWriter`). Tests and commands leave it
off and see the run finished when the call returns.
"""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone

from saleor_mlm.core.background import start_tasks
from saleor_mlm.core.transient import is_transient_database_error

from . import RunStatus
from .models import PeriodRun
from .runs import execute_run

# A run still "running" this long after it started lost its worker; the sweep restarts it.
STALE_AFTER = datetime.timedelta(hours=2)


@shared_task(name="periods.execute_run")
def execute_period_run_task(run_id: int) -> str:
    """Run (or resume) a close, preview or what-if run."""
    if not PeriodRun.objects.filter(pk=run_id).exists():
        return "missing"
    try:
        return execute_run(run_id).status
    except Exception as error:
        # Recorded on the run (status failed, error, audit event); running it again resumes,
        # which the task's retry does for a transient database error (core/transient.py).
        if is_transient_database_error(error):
            raise
        return RunStatus.FAILED


def start_period_run(run_id: int) -> None:
    """Run the run in the background: a Celery worker, or without a broker (eager tasks)
    and with `MLM_PERIOD_RUNS_IN_THREAD` a thread of this process (the demo server)."""
    start_tasks(execute_period_run_task, [(run_id,)], name=f"period-run-{run_id}")


@shared_task(name="periods.resume_stale_runs")
def resume_stale_runs_task() -> int:
    """Safety net (schedule it, e.g. hourly): re-queue runs whose worker disappeared.
    Pending runs older than a few minutes and running runs older than `STALE_AFTER`;
    a run another worker still holds is skipped by its lock."""
    now = timezone.now()
    stale = PeriodRun.objects.filter(status=RunStatus.PENDING, created_at__lt=now - datetime.timedelta(minutes=10)) | PeriodRun.objects.filter(
        status=RunStatus.RUNNING, started_at__lt=now - STALE_AFTER
    )
    ids = list(stale.values_list("pk", flat=True)[:100])
    for run_id in ids:
        execute_period_run_task.delay(run_id)
    return len(ids)
