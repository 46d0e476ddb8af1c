"""The periods' audit log: one small writer per kind of event.

Called inside the transaction of the change, so a refused or rolled-back change leaves no
trace. `actor` is the person's e-mail (or "system"); `data` holds what a reader needs to
understand the change later without joining other tables.
"""

from __future__ import annotations

from typing import Any

from . import PeriodEventKind
from .models import Adjustment, PayoutHold, Period, PeriodEvent, PeriodRun, PlanVersion, RankOverride


def _write(installation_id: int, kind: str, actor: str, *, period: Period | None = None, reason: str = "", **data: Any) -> PeriodEvent:
    return PeriodEvent.objects.create(
        installation_id=installation_id, period=period, kind=kind, actor=actor or "", reason=reason, data=data
    )


def period_closed(period: Period, run: PeriodRun, actor: str) -> PeriodEvent:
    return _write(period.installation_id, PeriodEventKind.CLOSED, actor, period=period, run=run.pk)


def run_failed(run: PeriodRun, error: str) -> PeriodEvent:
    return _write(run.installation_id, PeriodEventKind.RUN_FAILED, "system", period=run.period, run=run.pk, run_kind=run.kind, error=error[:2000])


def run_succeeded(run: PeriodRun) -> PeriodEvent:
    totals = run.summary.get("totals", {})
    return _write(
        run.installation_id, PeriodEventKind.RUN_SUCCEEDED, "system", period=run.period, run=run.pk, run_kind=run.kind, total=totals.get("total")
    )


def period_approved(period: Period, actor: str) -> PeriodEvent:
    return _write(period.installation_id, PeriodEventKind.APPROVED, actor, period=period, run=period.close_run_id)


def period_reopened(period: Period, actor: str, reason: str, previous_status: str) -> PeriodEvent:
    return _write(
        period.installation_id, PeriodEventKind.REOPENED, actor, period=period, reason=reason, previous_status=previous_status, run=period.close_run_id
    )


def period_committed(period: Period, actor: str) -> PeriodEvent:
    return _write(period.installation_id, PeriodEventKind.COMMITTED, actor, period=period, run=period.close_run_id)


def plan_changed(version: PlanVersion, kind: str, actor: str, **data: Any) -> PeriodEvent:
    return _write(version.installation_id, kind, actor, plan_version=version.pk, name=version.name, **data)


def rank_override_set(override: RankOverride, actor: str, previous: str | None) -> PeriodEvent:
    return _write(
        override.installation_id,
        PeriodEventKind.RANK_OVERRIDE_SET,
        actor,
        period=override.period,
        reason=override.reason,
        partner=override.partner_id,
        rank=override.rank,
        previous_rank=previous,
        approved_by=override.approved_by,
    )


def rank_override_removed(override: RankOverride, actor: str, reason: str) -> PeriodEvent:
    return _write(
        override.installation_id,
        PeriodEventKind.RANK_OVERRIDE_REMOVED,
        actor,
        period=override.period,
        reason=reason,
        partner=override.partner_id,
        rank=override.rank,
    )


def adjustment_added(adjustment: Adjustment, actor: str) -> PeriodEvent:
    data = adjustment_added_data(adjustment.pk, adjustment.partner_id, adjustment.amount, adjustment.approved_by)
    return _write(adjustment.installation_id, PeriodEventKind.ADJUSTMENT_ADDED, actor, period=adjustment.period, reason=adjustment.reason, **data)


def adjustment_added_data(adjustment_id: int, partner_id: int, amount, approved_by: str) -> dict[str, Any]:
    """The `data` of an `adjustment_added` event (shared with imports, which write many)."""
    return {"adjustment": adjustment_id, "partner": partner_id, "amount": str(amount), "approved_by": approved_by}


def hold_placed(hold: PayoutHold, actor: str) -> PeriodEvent:
    return _write(
        hold.installation_id,
        PeriodEventKind.HOLD_PLACED,
        actor,
        reason=hold.reason,
        hold=hold.pk,
        partner=hold.partner_id,
        starts_on=hold.starts_on.isoformat(),
        ends_on=hold.ends_on.isoformat() if hold.ends_on else None,
    )


def hold_released(hold: PayoutHold, actor: str) -> PeriodEvent:
    return _write(
        hold.installation_id,
        PeriodEventKind.HOLD_RELEASED,
        actor,
        reason=hold.release_reason,
        hold=hold.pk,
        partner=hold.partner_id,
        ends_on=hold.ends_on.isoformat() if hold.ends_on else None,
    )


def settings_changed(installation_id: int, actor: str, **changes: Any) -> PeriodEvent:
    return _write(installation_id, PeriodEventKind.SETTINGS_CHANGED, actor, **changes)
