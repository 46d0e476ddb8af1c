"""Executing a payout run in the background (the API queues it; the command line runs it in
its own process). The task takes the run's id and is safe to run twice: items advance under
their row locks and Stripe Transfers carry their idempotency keys (`stripe_transfers`)."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

from .runs import continue_execution


@shared_task(name="payout_runs.execute")
def execute_payout_run_task(run_id: int, executed_by: str) -> str:
    return continue_execution(run_id, executed_by).status


def enqueue_execution(run_id: int, executed_by: str) -> None:
    """Queue the execution once the transaction that started it has committed (without a
    broker it runs right then, in this process)."""
    transaction.on_commit(lambda: execute_payout_run_task.delay(run_id, executed_by))
