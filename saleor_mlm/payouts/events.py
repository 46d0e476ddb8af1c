"""Adjustments, holds and settings in the periods' audit log (`periods.events`)."""

from __future__ import annotations

from typing import Any

from saleor_mlm.calendar import PeriodEventKind
from saleor_mlm.calendar.events import record
from saleor_mlm.calendar.models import PeriodEvent

from .models import BalanceAdjustment, PayoutHold


def adjustment_added(adjustment: BalanceAdjustment, actor: str) -> PeriodEvent:
    data = adjustment_added_data(adjustment.pk, adjustment.partner_id, adjustment.amount, adjustment.approved_by)
    return record(adjustment.installation_id, PeriodEventKind.ADJUSTMENT_ADDED, actor, period=adjustment.period, reason=adjustment.reason, **data)


def adjustment_added_data(adjustment_id: int, partner_id: int, amount, approved_by: str) -> dict[str, Any]:
    """The `data` of an `adjustment_added` event (shared with imports, which write many)."""
    return {"adjustment": adjustment_id, "partner": partner_id, "amount": str(amount), "approved_by": approved_by}


def hold_placed(hold: PayoutHold, actor: str) -> PeriodEvent:
    return record(
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
    return record(
        hold.installation_id,
        PeriodEventKind.HOLD_RELEASED,
        actor,
        reason=hold.release_reason,
        hold=hold.pk,
        partner=hold.partner_id,
        ends_on=hold.ends_on.isoformat() if hold.ends_on else None,
    )


def settings_changed(installation_id: int, actor: str, **changes: Any) -> PeriodEvent:
    return record(installation_id, PeriodEventKind.SETTINGS_CHANGED, actor, **changes)
