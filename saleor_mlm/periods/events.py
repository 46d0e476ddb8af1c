"""The periods' audit log: one small writer per kind of event.

The log also records the changes of plan versions (`plans.events`) and of the money after
the run (`payouts.events`), through `calendar.events.record`.

Called inside the transaction of the change, so a refused or rolled-back change leaves no
trace. `actor` is the person's e-mail (or "system"); `data` holds what a reader needs to
understand the change later without joining other tables.
"""

from __future__ import annotations

from saleor_mlm.calendar import PeriodEventKind
from saleor_mlm.calendar.events import record
from saleor_mlm.calendar.models import Period, PeriodEvent

from .models import PeriodRun, RankOverride


def period_closed(period: Period, run: PeriodRun, actor: str) -> PeriodEvent:
    return record(period.installation_id, PeriodEventKind.CLOSED, actor, period=period, run=run.pk)


def run_failed(run: PeriodRun, error: str) -> PeriodEvent:
    return record(run.installation_id, PeriodEventKind.RUN_FAILED, "system", period=run.period, run=run.pk, run_kind=run.kind, error=error[:2000])


def run_succeeded(run: PeriodRun) -> PeriodEvent:
    totals = run.summary.get("totals", {})
    return record(
        run.installation_id, PeriodEventKind.RUN_SUCCEEDED, "system", period=run.period, run=run.pk, run_kind=run.kind, total=totals.get("total")
    )


def period_approved(period: Period, actor: str) -> PeriodEvent:
    return record(period.installation_id, PeriodEventKind.APPROVED, actor, period=period, run=period.close_run_id)


def period_reopened(period: Period, actor: str, reason: str, previous_status: str) -> PeriodEvent:
    return record(
        period.installation_id, PeriodEventKind.REOPENED, actor, period=period, reason=reason, previous_status=previous_status, run=period.close_run_id
    )


def period_committed(period: Period, actor: str) -> PeriodEvent:
    return record(period.installation_id, PeriodEventKind.COMMITTED, actor, period=period, run=period.close_run_id)


def rank_override_set(override: RankOverride, actor: str, previous: str | None) -> PeriodEvent:
    return record(
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
    return record(
        override.installation_id,
        PeriodEventKind.RANK_OVERRIDE_REMOVED,
        actor,
        period=override.period,
        reason=reason,
        partner=override.partner_id,
        rank=override.rank,
    )
