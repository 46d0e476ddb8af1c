"""What-if: a plan version (usually a draft) run on a period's snapshot, side by side with
the plan the period ran with.

The base is a successful run of the period in the compared plan's program (its close run
once settled, else its latest preview): its stored figures are the "active" side. The compared plan runs on exactly the
same inputs (network, volumes, career ranks before, overrides matched by rank code). The
comparison, stored in the what-if run's `summary`:

- per side: totals per bonus, total payout, payout as a share of BV, partners per rank;
- `changes`: the partners whose total changes most (largest absolute difference first).
"""

from __future__ import annotations

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saleor_mlm.calendar.error_codes import PeriodErrorCode
from saleor_mlm.calendar.models import Period
from saleor_mlm.core.errors import DomainError, required
from saleor_mlm.engine import BONUS_KINDS, Plan
from saleor_mlm.installations.models import Installation
from saleor_mlm.network.models import Partner
from saleor_mlm.plans.documents import plan_from_document, validate_document
from saleor_mlm.plans.models import PlanVersion
from saleor_mlm.programs.models import Program

from . import RunKind, RunPhase, RunStatus
from .actions import enqueue_run, standing_run, standing_runs
from .compute import compute_figures
from .fetch import NO_OVERRIDE, RunInputs
from .models import PeriodRun
from .snapshot import load_arrays
from .stats import _rank_counts, _ratio, _text

DEFAULT_TOP = 20


def start_what_if(
    installation: Installation,
    period: Period,
    plan_version: PlanVersion,
    requested_by: str,
    *,
    top: int = DEFAULT_TOP,
    enqueue: bool = True,
) -> PeriodRun:
    """Queue a comparison of `plan_version` with the plan of the period's standing run."""
    requested_by = required(requested_by, "requested_by", code=PeriodErrorCode.REQUIRED)
    for obj in (period, plan_version):
        if obj.installation_id != installation.pk:
            raise DomainError(PeriodErrorCode.WRONG_INSTALLATION, _("%(obj)s belongs to another installation.") % {"obj": obj})
    if not 1 <= top <= 1000:
        raise DomainError(PeriodErrorCode.INVALID, _("Top is between 1 and 1000."), field="top")
    plan = validate_document(plan_version.document)
    source = _standing_run_of(period, plan_version)
    if source is None or source.status != RunStatus.SUCCEEDED:
        raise DomainError(
            PeriodErrorCode.NO_SNAPSHOT,
            _("Period %(period)s has no figures yet: close or preview it first.") % {"period": period.label},
            field="period",
        )
    if plan.currency != source.currency:
        raise DomainError(
            PeriodErrorCode.INVALID_PLAN,
            _("The plan pays in %(plan_currency)s, the period in %(currency)s.")
            % {"plan_currency": plan.currency, "currency": source.currency},
            field="plan_version",
        )
    with transaction.atomic():
        run = PeriodRun.objects.create(
            installation=installation,
            period=period,
            program_id=source.program_id,
            kind=RunKind.WHAT_IF,
            plan_version=source.plan_version,
            compared_plan_version=plan_version,
            source_run=source,
            plan_document=plan_version.document,
            currency=plan.currency,
            minor_digits=plan.minor_digits,
            rates=source.rates,
            settings={**source.settings, "top": top},
            network_at=source.network_at,
            snapshot_digest=source.snapshot_digest,
            requested_by=requested_by,
        )
        if enqueue:
            enqueue_run(run)
    return run


def _standing_run_of(period: Period, plan_version: PlanVersion) -> PeriodRun | None:
    """The standing run of the period in the plan version's program (the default program's
    runs name no program)."""
    if plan_version.program_id is None or Program.objects.filter(pk=plan_version.program_id, is_default=True).exists():
        return standing_run(period)
    return next((run for run in standing_runs(period) if run.program_id == plan_version.program_id), None)


def _remap(indices: np.ndarray, base: Plan, target: Plan, keep: int) -> np.ndarray:
    """Rank indices of `base` as indices of `target` by code; unknown codes -> -1."""
    codes = {rank.code: index for index, rank in enumerate(target.ranks)}
    table = np.array([codes.get(rank.code, -1) for rank in base.ranks] + [-1], np.int64)
    out = np.where(indices >= 0, table[np.maximum(indices, 0)], indices)
    return np.where(indices == keep, keep, out).astype(np.int16)


def execute_what_if(run: PeriodRun, writer) -> None:
    source = run.source_run
    if source is None or source.status != RunStatus.SUCCEEDED:
        raise DomainError(PeriodErrorCode.NO_SNAPSHOT, _("The run the comparison was based on is no longer available."), field="period")
    from .runs import load_inputs

    writer(RunPhase.FETCH, 0.0)
    inputs: RunInputs = load_inputs(source)
    stored = load_arrays(source, ["result_rank", "result_total"])
    if source.plan_document is None or run.plan_document is None:  # a finished run stores its plan
        raise ValueError(f"run {source.pk} or {run.pk} has no plan document")
    base_plan = plan_from_document(source.plan_document)
    plan = plan_from_document(run.plan_document)
    inputs.previous_career = _remap(inputs.previous_career.astype(np.int64), base_plan, plan, -1)
    inputs.override = _remap(inputs.override.astype(np.int64), base_plan, plan, NO_OVERRIDE)
    inputs.warnings = []
    writer(RunPhase.COMPUTE, 0.0)
    figures = compute_figures(plan, inputs, progress=lambda phase, fraction: writer(RunPhase.COMPUTE, fraction, phase))
    writer(RunPhase.PERSIST, 0.0)
    places = run.minor_digits
    top = int(run.settings.get("top", DEFAULT_TOP))
    base_total = stored["result_total"].astype(np.int64)
    difference = figures.total.astype(np.int64) - base_total
    order = np.lexsort((inputs.partner_pk, -np.abs(difference)))
    chosen = [int(i) for i in order[:top] if difference[i] != 0]
    people = Partner.objects.in_bulk([int(inputs.partner_pk[i]) for i in chosen])
    base_rank = stored["result_rank"].astype(np.int64)
    base_codes = [rank.code for rank in base_plan.ranks]

    def code(codes, index):
        return codes[index] if index >= 0 else ""

    changes = []
    for i in chosen:
        partner = people.get(int(inputs.partner_pk[i]))
        changes.append(
            {
                "partner_id": int(inputs.partner_pk[i]),
                "referral_code": partner.referral_code if partner else "",
                "name": partner.display_name if partner else "",
                "base_total": _text(int(base_total[i]), places),
                "draft_total": _text(int(figures.total[i]), places),
                "difference": _text(int(difference[i]), places),
                "base_rank": code(base_codes, int(base_rank[i])),
                "draft_rank": figures.code(int(figures.rank[i])),
            }
        )
    base_totals = source.summary.get("totals", {})
    base_stats = source.summary.get("statistics", {})
    bv = base_totals.get("bv")
    draft_total = int(figures.total.sum())
    run.summary = {
        "base": {
            "plan_version": source.plan_version_id,
            "plan": base_plan.name,
            "totals": {kind: base_totals.get(kind) for kind in (*BONUS_KINDS, "total")},
            "payout_ratio": base_stats.get("payout_ratio"),
            "paid_as_ranks": base_stats.get("paid_as_ranks", {}),
        },
        "draft": {
            "plan_version": run.compared_plan_version_id,
            "plan": plan.name,
            "totals": {**{kind: _text(int(figures.bonuses[kind].sum()), places) for kind in BONUS_KINDS}, "total": _text(draft_total, places)},
            "payout_ratio": _ratio(draft_total, places, figures.own_bv_total, 4),
            "paid_as_ranks": _rank_counts(figures.rank_codes, figures.rank),
        },
        "bv": bv,
        "difference": _text(draft_total - int(base_total.sum()), places),
        "partners_changed": int((difference != 0).sum()),
        "changes": changes,
    }
    run.warnings = figures.warnings
    run.status, run.phase, run.percent, run.finished_at = RunStatus.SUCCEEDED, RunPhase.DONE, 100, timezone.now()
    run.save(update_fields=["summary", "warnings", "status", "phase", "percent", "finished_at"])
