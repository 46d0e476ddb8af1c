"""Running a period run: fetch -> snapshot -> compute -> persist, resumable and idempotent.

`execute_run(run_id)` is what the Celery task and `saleor-mlm period close` call:

1. fetch + snapshot: the network and the period's volumes are read (one consistent
   snapshot) and stored with the run in one transaction; from then on the run's inputs
   are fixed. A run that has its snapshot skips this step when it is run again.
2. compute: the pure engine on the snapshot (deterministic: the same inputs give the
   same figures, bit for bit).
3. persist: every per-partner row, the balances, the result arrays and the summary in
   one transaction, which first removes whatever rows the run has. A crash leaves either
   no rows or all of them; a rerun writes them once.

A run that succeeded, or was superseded (its period re-opened meanwhile), is left as it
is. Two workers never run the same run at once (a session advisory lock per run; the
second returns). Progress (`phase`, `percent`) is written on its own database connection,
so readers see it while the big transaction is still open.
"""

from __future__ import annotations

import contextlib
import logging
import time
import traceback
from collections.abc import Callable

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import F
from django.utils import timezone

from saleor_mlm.calendar import PeriodStatus
from saleor_mlm.calendar.models import Period
from saleor_mlm.plans.documents import plan_from_document

from . import RunKind, RunPhase, RunStatus, events
from .close_runs import close_runs
from .compute import compute_figures
from .fetch import CUSTOMER_ARRAYS, PARTNER_ARRAYS, RunInputs, fetch_inputs
from .models import PartnerPeriodResult, PeriodRun, PeriodRunArray
from .persist import persist
from .program_inputs import fetch_program_inputs
from .snapshot import digest, forget, load_arrays, save_arrays, verify

logger = logging.getLogger(__name__)

INPUT_ARRAYS = [*PARTNER_ARRAYS, *CUSTOMER_ARRAYS]
RUN_LOCK_NAMESPACE = 0x5052554E  # "PRUN": advisory locks of runs (periods use "PERD")

# Share of the percent bar per phase: (start, end).
PHASE_SPAN = {
    RunPhase.FETCH: (0, 20),
    RunPhase.SNAPSHOT: (20, 30),
    RunPhase.COMPUTE: (30, 75),
    RunPhase.PERSIST: (75, 100),
}

Progress = Callable[[str, int, str], None]  # (phase, percent, detail)


class ProgressWriter:
    """Writes a run's phase and percent (at most every half second) and tells a callback.

    On PostgreSQL it writes on a connection of its own: the persist transaction may hold
    the main one for a minute, and the dashboard should see the bar move meanwhile.
    """

    def __init__(self, run_id: int, callback: Progress | None = None, interval: float = 0.5):
        self.run_id, self.callback, self.interval = run_id, callback, interval
        self.last = (None, -1)
        self.written_at = 0.0
        self._side = None

    def _connection(self):
        if connection.vendor != "postgresql":
            return None if connection.in_atomic_block else connection
        if self._side is None:
            default = connections[DEFAULT_DB_ALIAS]
            self._side = type(default)(dict(default.settings_dict), alias="periods_progress")
        return self._side

    def __call__(self, phase: str, fraction: float = 0.0, detail: str = "") -> None:
        start, end = PHASE_SPAN.get(phase, (100, 100))
        percent = int(start + (end - start) * min(max(fraction, 0.0), 1.0))
        if self.callback:
            self.callback(phase, percent, detail)
        now = time.monotonic()
        if (phase, percent) == self.last or (phase == self.last[0] and now - self.written_at < self.interval):
            return
        self.last, self.written_at = (phase, percent), now
        target = self._connection()
        if target is None:
            return
        with target.cursor() as cursor:
            cursor.execute(
                f"UPDATE {PeriodRun._meta.db_table} SET phase = %s, percent = %s WHERE id = %s AND status = %s",
                [phase, percent, self.run_id, RunStatus.RUNNING],
            )

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None


@contextlib.contextmanager
def run_lock(run_id: int):
    """A session-level advisory lock on the run: yields whether this process holds it."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [RUN_LOCK_NAMESPACE, run_id % 2**31])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [RUN_LOCK_NAMESPACE, run_id % 2**31])


def execute_run(run_id: int, progress: Progress | None = None) -> PeriodRun:
    """Run (or resume) a run to its end; returns it as stored. Re-raises a failure after
    recording it on the run."""
    with run_lock(run_id) as acquired:
        run = PeriodRun.objects.select_related("period", "source_run", "program").get(pk=run_id)
        if not acquired:
            logger.info("period run busy elsewhere", extra={"run": run_id})
            return run
        if run.status in (RunStatus.SUCCEEDED, RunStatus.SUPERSEDED):
            return run
        writer = ProgressWriter(run_id, progress)
        PeriodRun.objects.filter(pk=run_id).update(status=RunStatus.RUNNING, attempts=F("attempts") + 1, error="")
        PeriodRun.objects.filter(pk=run_id, started_at__isnull=True).update(started_at=timezone.now())
        try:
            if run.kind == RunKind.WHAT_IF:
                from .whatif import execute_what_if

                execute_what_if(run, writer)
            else:
                _execute(run, writer)
        except Exception as exc:
            _fail(run, exc)
            raise
        finally:
            writer.close()
    run.refresh_from_db()
    return run


def execute_close_runs(period_id: int, progress: Progress | None = None) -> list[PeriodRun]:
    """Run (or resume) every close run of the period, the default program's first (a
    command or test that closes in its own process); returns them as stored."""
    for run in close_runs(period_id):
        if run.status in RunStatus.UNFINISHED:
            execute_run(run.pk, progress)
    return close_runs(period_id)


def _fail(run: PeriodRun, exc: Exception) -> None:
    text = "".join(traceback.format_exception(exc))[-20_000:]
    logger.exception("period run failed", extra={"run": run.pk, "kind": run.kind})
    if connection.in_atomic_block and connection.needs_rollback:
        return  # inside a broken outer transaction (tests): nothing more can be written
    PeriodRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, error=text, finished_at=timezone.now())
    events.run_failed(run, f"{type(exc).__name__}: {exc}")


def load_inputs(run: PeriodRun) -> RunInputs:
    arrays = load_arrays(run, INPUT_ARRAYS)
    verify(run, arrays, INPUT_ARRAYS)
    return RunInputs.from_arrays(arrays)


def _execute(run: PeriodRun, writer: ProgressWriter) -> None:
    plan = plan_from_document(run.plan_document)
    if run.has_snapshot:
        inputs = load_inputs(run)
    else:
        writer(RunPhase.FETCH, 0.0)
        if run.program_id is None:
            inputs = fetch_inputs(run.period, plan, run.network_at)
        else:
            inputs = fetch_program_inputs(run.period, plan, run.network_at, run.program)
        writer(RunPhase.SNAPSHOT, 0.0)
        arrays = inputs.arrays()
        with transaction.atomic():
            save_arrays(run, arrays)
            run.snapshot_digest = digest(arrays)
            run.phase = RunPhase.SNAPSHOT
            run.warnings = inputs.warnings
            run.save(update_fields=["snapshot_digest", "phase", "warnings"])
        del arrays
    writer(RunPhase.COMPUTE, 0.0)
    figures = compute_figures(plan, inputs, progress=lambda phase, fraction: writer(RunPhase.COMPUTE, fraction, phase))
    writer(RunPhase.PERSIST, 0.0)
    superseded: list[int] = []
    with transaction.atomic():
        period = Period.objects.select_for_update(no_key=True).get(pk=run.period_id)
        status = PeriodRun.objects.values_list("status", flat=True).get(pk=run.pk)
        stale = status == RunStatus.SUPERSEDED or (run.kind == RunKind.CLOSE and period.status != PeriodStatus.CLOSED)
        stale = stale or (run.kind == RunKind.PREVIEW and period.status != PeriodStatus.OPEN)
        if stale:
            # The period was re-opened (or closed, for a preview) while we computed.
            PeriodRun.objects.filter(pk=run.pk).update(status=RunStatus.SUPERSEDED, finished_at=timezone.now())
            return
        persist(run, period, inputs, figures, lambda fraction: writer(RunPhase.PERSIST, fraction))
        superseded = supersede_runs(
            period, keep=run, kinds=[run.kind] if run.kind == RunKind.PREVIEW else [RunKind.CLOSE, RunKind.PREVIEW], program_id=run.program_id
        )
        run.status, run.phase, run.percent = RunStatus.SUCCEEDED, RunPhase.DONE, 100
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "phase", "percent", "finished_at", "summary", "warnings"])
        if run.kind == RunKind.CLOSE and run.program_id is None:
            period.close_run = run  # the default program's: the other programs' are found by program
            period.save(update_fields=["close_run", "updated_at"])
        events.run_succeeded(run)
        transaction.on_commit(lambda: [forget(run_id) for run_id in superseded])
    analyze_tables()
    writer(RunPhase.PERSIST, 1.0)


def analyze_tables() -> None:
    """Fresh planner statistics for the per-partner tables after a million new rows
    (PostgreSQL): with a new run id unknown to the statistics the planner expects one
    row and picks nested loops, which turns a statement export into minutes. Sampled:
    about a second."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(per_partner_tables())}")


def per_partner_tables() -> list[str]:
    """The tables with a row per partner of a run: this package's results and, from the
    packages above, every model with a `run` and a `partner` (the payouts' balances)."""
    tables = [PartnerPeriodResult._meta.db_table]
    for model in apps.get_models():
        fields = {field.name: field for field in model._meta.concrete_fields}
        run, partner = fields.get("run"), fields.get("partner")
        if model is not PartnerPeriodResult and run is not None and run.related_model is PeriodRun and partner is not None:
            tables.append(model._meta.db_table)
    return tables


def supersede_runs(period: Period, keep: PeriodRun | None, kinds: list[str], program_id: int | None | bool = False) -> list[int]:
    """Mark the period's other runs of these kinds superseded and drop their per-partner
    rows and arrays (their summary stays on record). Returns their ids. `program_id`: only
    that program's runs (None: the default program's); every program's when not given."""
    runs = PeriodRun.objects.filter(period=period, kind__in=kinds).exclude(status=RunStatus.SUPERSEDED)
    if program_id is not False:
        runs = runs.filter(program_id=program_id)
    if keep is not None:
        runs = runs.exclude(pk=keep.pk)
    ids = list(runs.values_list("pk", flat=True))
    if ids:
        PartnerPeriodResult.objects.filter(run_id__in=ids).delete()
        PeriodRunArray.objects.filter(run_id__in=ids).delete()
        PeriodRun.objects.filter(pk__in=ids).update(status=RunStatus.SUPERSEDED, finished_at=timezone.now())
    return ids
