"""The periods' audit log: `record` writes one `PeriodEvent`.

The writers of each kind of event live with what they record: `periods.events` (the
lifecycle and runs), `plans.events`, `payouts.events`. Called inside the transaction of the
change, so a refused or rolled-back change leaves no trace. `actor` is the person's e-mail
(or "system"); `data` holds what a reader needs to understand the change later without
joining other tables.
"""

from __future__ import annotations

from typing import Any

from .models import Period, PeriodEvent


def record(installation_id: int, kind: str, actor: str, *, period: Period | None = None, reason: str = "", **data: Any) -> PeriodEvent:
    return PeriodEvent.objects.create(
        installation_id=installation_id, period=period, kind=kind, actor=actor or "", reason=reason, data=data
    )
