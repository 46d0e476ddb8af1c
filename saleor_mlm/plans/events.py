"""Plan version changes in the periods' audit log (`periods.events`)."""

from __future__ import annotations

from typing import Any

from saleor_mlm.calendar.events import record
from saleor_mlm.calendar.models import PeriodEvent

from .models import PlanVersion


def plan_changed(version: PlanVersion, kind: str, actor: str, **data: Any) -> PeriodEvent:
    return record(version.installation_id, kind, actor, plan_version=version.pk, name=version.name, **data)
