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
from .pgcopy import Bool, Column, Int8, Numeric, Text, copy_binary, is_postgresql
from .snapshot import save_arrays
from .stats import build_summary

VOLUME_COLUMNS = ("pv", "gv", "ov", "pbv", "gbv", "obv")  # hundredths
RANK_COLUMNS = {"calculated_rank": "calculated_rank", "paid_as_rank": "rank", "career_rank": "career_rank", "previous_career_rank": "previous_career_rank"}

Report = Callable[[float], None]


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
    if not is_postgresql():
        return _bulk_create_results(run, inputs, figures)
    places = figures.minor_digits
    codes = ["", *figures.rank_codes]  # rank index + 1 (-1: no rank)
    columns: dict[str, Column] = {
        "run_id": Int8(run.pk),
        "partner_id": Int8(inputs.partner_pk),
        **{key: Numeric(getattr(figures, key), 2) for key in VOLUME_COLUMNS},
        "qualified": Bool(figures.qualified),
        "rank_overridden": Bool(figures.overridden),
        **{f"{kind}_bonus": Numeric(figures.bonuses[kind], places) for kind in BONUS_KINDS},
        "total": Numeric(figures.total, places),
        **{column: Text(getattr(figures, key).astype(np.int64) + 1, codes) for column, key in RANK_COLUMNS.items()},
    }
    return copy_binary(PartnerPeriodResult._meta.db_table, columns, inputs.n_partners, report)


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
