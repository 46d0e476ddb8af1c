"""Celery tasks of the webhook pipeline."""

from celery import shared_task

from . import processing

# Transient database errors (a lost connection, a lock, a deadlock) are retried by the app's
# task class (core/transient.py); use case errors are not retried here: they are stored as
# FAILED with their traceback and rerun by `saleor-mlm reprocess-webhooks --failed`. Both
# tasks are idempotent, so a retry or a redelivery after a worker crash (acks_late) does no harm.
IDEMPOTENT_TASK = {
    "acks_late": True,
    "ignore_result": True,
}


# Eager mode (no broker): one task per delivery.
@shared_task(name="saleor_mlm.webhooks.process_delivery", **IDEMPOTENT_TASK)
def process_delivery_task(delivery_id: int) -> str | None:
    return processing.process_delivery(delivery_id)


# Batched processing with a broker (see batch.py). The flag is cleared before anything is
# claimed: a delivery queued from now on schedules a task of its own, or (while its process
# remembers the flag as set, DRAIN_FLAG_MEMO_SECONDS) is claimed by this task's last claim.
@shared_task(name="saleor_mlm.webhooks.drain_queued", **IDEMPOTENT_TASK)
def drain_queued_task() -> int:
    import time

    from . import batch

    batch.clear_drain_flag()
    return batch.drain(linger_until=time.monotonic() + batch.DRAIN_FLAG_MEMO_SECONDS)


# Periodic (settings.CELERY_BEAT_SCHEDULE, docs/webhooks.md "Periodic work"). No retries:
# the next beat runs them again, and both are idempotent.
@shared_task(name="saleor_mlm.webhooks.sweep", ignore_result=True)
def sweep_task() -> dict:
    from . import sweep

    return sweep.sweep().as_json()


@shared_task(name="saleor_mlm.webhooks.purge_unverified", ignore_result=True)
def purge_unverified_task() -> int:
    from . import sweep

    return sweep.purge_unverified_deliveries()
