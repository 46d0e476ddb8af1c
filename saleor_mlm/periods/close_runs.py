"""A period's close runs: one per partner program (docs/programs.md, "Periods").

Closing a month starts the default program's close run and one for every other program
with members (`actions.close_period`); each runs the engine on its program's network and
volume as before. The month is settled once, over all of them: the steps of
`settings.PERIOD_CLOSE_PERSIST_STEPS` (the balances, which replace every balance of the
period) run in the persist of whichever run finishes last, with every partner's totals of
all the programs added up (`persist_close_steps`). With only the default program that is
its own run, as it always was.

Runs persist one at a time (each holds its period's row lock while it persists), so
"the last" is decided under that lock: the run that finds every other close run of the
period succeeded.
"""

from __future__ import annotations

import numpy as np

from . import RunKind, RunStatus
from .models import PeriodRun
from .snapshot import load_arrays
from .steps import period_steps


def latest_per_program(runs) -> list[PeriodRun]:
    """Of a query of runs, the latest of each program: the default program's first, then
    by program id."""
    latest: dict[int | None, PeriodRun] = {}
    for run in runs.select_related("program").order_by("-id"):
        latest.setdefault(run.program_id, run)
    return sorted(latest.values(), key=lambda run: (run.program_id is not None, run.program_id or 0))


def close_runs(period_id: int) -> list[PeriodRun]:
    """The period's standing close runs, one per program (the latest not superseded): the
    default program's first, then by program id."""
    return latest_per_program(PeriodRun.objects.filter(period_id=period_id, kind=RunKind.CLOSE).exclude(status=RunStatus.SUPERSEDED))


def default_close_run(period_id: int) -> PeriodRun | None:
    """The default program's standing close run (the one `Period.close_run` names once it
    has succeeded)."""
    return next((run for run in close_runs(period_id) if run.program_id is None), None)


def run_totals(run: PeriodRun) -> tuple[np.ndarray, np.ndarray]:
    """A persisted run's partners (sorted pks) and totals in minor units, from its arrays."""
    arrays = load_arrays(run, ["partner_pk", "result_total"])
    return np.asarray(arrays["partner_pk"], np.int64), np.asarray(arrays["result_total"], np.int64)


def combined_totals(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Every partner of any part (sorted pks) and the sum of its totals over the parts."""
    if len(parts) == 1:
        return parts[0]
    partner_pk = np.unique(np.concatenate([pks for pks, _totals in parts]))
    total = np.zeros(partner_pk.size, np.int64)
    for pks, totals in parts:
        total[np.searchsorted(partner_pk, pks)] += totals
    return partner_pk, total


def persist_close_steps(period, run: PeriodRun, partner_pk: np.ndarray, totals: np.ndarray, places: int) -> dict:
    """The close steps of the month (the balances), when `run` is the last of the period's
    close runs to persist: over the combined totals, named after the default program's run,
    whose summary takes their sections. Returns the sections for `run`'s own summary (none
    when it is another program's run, or not the last). Call inside `run`'s persist."""
    others = [other for other in close_runs(period.pk) if other.pk != run.pk]
    if any(other.status != RunStatus.SUCCEEDED for other in others):
        return {}  # a later run settles the month
    default = run if run.program_id is None else next((other for other in others if other.program_id is None), None)
    if default is None:
        return {}  # a program's run without the month's default run: nothing to settle with
    partner_pks, combined = combined_totals([(partner_pk, totals), *(run_totals(other) for other in others)])
    sections: dict = {}
    for step in period_steps("PERIOD_CLOSE_PERSIST_STEPS"):
        sections.update(step(period, default, partner_pks, combined, places))
    if default is run:
        return sections
    default.summary = {**default.summary, **sections}
    default.save(update_fields=["summary"])
    return {}
