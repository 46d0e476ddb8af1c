"""The persist step of a run: per-partner rows, balances, statistics, in one transaction.

A close run's persist also runs the steps of `settings.PERIOD_CLOSE_PERSIST_STEPS` in the
same transaction (`periods.steps`: the payouts' balances) when it is the last of the
month's close runs, one per program (`close_runs.persist_close_steps`).

Either all of a run's rows are there or none: the caller wraps `persist` in one
transaction, and `persist` first removes whatever rows the run already has, so running it
again after a crash writes the same rows once (also guarded by the unique
(run, partner) and (period, partner) constraints).

On PostgreSQL the rows go through COPY in batches; elsewhere (the SQLite demo) through
`bulk_create`.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import numpy as np

from saleor_mlm.calendar.models import Period
from saleor_mlm.engine import BONUS_KINDS

from . import RunKind
from .close_runs import persist_close_steps
from .compute import Figures
from .fetch import RunInputs
from .models import PartnerPeriodResult, PeriodRun
from .pgcopy import COPY_BATCH_ROWS, bool_texts, int_texts, is_postgresql, scaled_texts, write_rows
from .snapshot import save_arrays
from .stats import build_summary

RESULT_COLUMNS = [
    "run_id", "partner_id", "pv", "gv", "ov", "pbv", "gbv", "obv", "qualified", "calculated_rank",
    "paid_as_rank", "career_rank", "previous_career_rank", "rank_overridden", "customer_bonus",
    "level_bonus", "difference_bonus", "generation_bonus", "advancement_bonus", "total",
]  # fmt: skip

Report = Callable[[float], None]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def result_arrays(figures: Figures) -> dict[str, np.ndarray]:
    """What statements and what-if runs read back: ranks, qualification, totals."""
    return {
        "result_rank": figures.rank.astype(np.int16),
        "result_calculated_rank": figures.calculated_rank.astype(np.int16),
        "result_qualified": figures.qualified.astype(bool),
        "result_total": figures.total.astype(np.int64),
    }


def write_results(run: PeriodRun, inputs: RunInputs, figures: Figures, report: Report | None = None) -> int:
    PartnerPeriodResult.objects.filter(run=run).delete()
    count = inputs.n_partners
    places = figures.minor_digits
    codes = [""] + [_escape(code) for code in figures.rank_codes]
    if not is_postgresql():
        return _bulk_create_results(run, inputs, figures)
    run_id = str(run.pk)
    for start in range(0, count, COPY_BATCH_ROWS):
        rows = slice(start, min(start + COPY_BATCH_ROWS, count))
        size = rows.stop - rows.start
        columns = [
            [run_id] * size,
            int_texts(inputs.partner_pk[rows]),
            *(scaled_texts(getattr(figures, key)[rows], 2) for key in ("pv", "gv", "ov", "pbv", "gbv", "obv")),
            bool_texts(figures.qualified[rows]),
            *([codes[r + 1] for r in getattr(figures, key)[rows].tolist()] for key in ("calculated_rank", "rank", "career_rank", "previous_career_rank")),
            bool_texts(figures.overridden[rows]),
            *(scaled_texts(figures.bonuses[kind][rows], places) for kind in BONUS_KINDS),
            scaled_texts(figures.total[rows], places),
        ]
        write_rows(PartnerPeriodResult._meta.db_table, RESULT_COLUMNS, zip(*columns))
        if report:
            report(rows.stop / max(count, 1))
    return count


def _decimal(units, places: int) -> Decimal:
    return Decimal(int(units)).scaleb(-places)


def _bulk_create_results(run: PeriodRun, inputs: RunInputs, figures: Figures) -> int:
    places = figures.minor_digits
    objects = []
    for ordinal, partner_id in enumerate(inputs.partner_pk.tolist()):
        objects.append(
            PartnerPeriodResult(
                run=run,
                partner_id=partner_id,
                **{key: _decimal(getattr(figures, key)[ordinal], 2) for key in ("pv", "gv", "ov", "pbv", "gbv", "obv")},
                qualified=bool(figures.qualified[ordinal]),
                calculated_rank=figures.code(int(figures.calculated_rank[ordinal])),
                paid_as_rank=figures.code(int(figures.rank[ordinal])),
                career_rank=figures.code(int(figures.career_rank[ordinal])),
                previous_career_rank=figures.code(int(figures.previous_career_rank[ordinal])),
                rank_overridden=bool(figures.overridden[ordinal]),
                **{f"{kind}_bonus": _decimal(figures.bonuses[kind][ordinal], places) for kind in BONUS_KINDS},
                total=_decimal(figures.total[ordinal], places),
            )
        )
    PartnerPeriodResult.objects.bulk_create(objects, batch_size=2000)
    return len(objects)


def persist(run: PeriodRun, period: Period, inputs: RunInputs, figures: Figures, report: Report | None = None) -> None:
    """Write a run's rows, result arrays, a close run's steps (its balances) and the summary.
    Call inside one transaction."""
    write_results(run, inputs, figures, (lambda f: report(0.85 * f)) if report else None)
    save_arrays(run, result_arrays(figures))
    sections: dict = {}
    if run.kind == RunKind.CLOSE:
        sections = persist_close_steps(period, run, inputs.partner_pk, figures.total.astype(np.int64), figures.minor_digits)
    if report:
        report(0.95)
    run.summary = build_summary(period, figures, sections)
    run.warnings = figures.warnings
