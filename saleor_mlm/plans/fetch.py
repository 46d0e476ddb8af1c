"""The plan in force: which version applies to a month, and its parsed `Plan`."""

from __future__ import annotations

import datetime
import json
from functools import lru_cache

from saleor_mlm.engine import Plan, parse_plan

from . import PlanStatus
from .models import PlanVersion


@lru_cache(maxsize=32)
def _cached_plan(version_id: int, updated_at: datetime.datetime, document_json: str) -> Plan:
    return parse_plan(json.loads(document_json))


def plan_of(version: PlanVersion) -> Plan:
    """The parsed plan of a stored version (cached per version and change)."""
    return _cached_plan(version.pk, version.updated_at, json.dumps(version.document, sort_keys=True))


def plan_in_force(installation_id: int, on: datetime.date, program_id: int | None = None) -> PlanVersion | None:
    """The active version of a program in force on a day: the latest start on or before it.
    Without a program: the installation's default program's."""
    versions = PlanVersion.objects.filter(installation_id=installation_id, status=PlanStatus.ACTIVE, in_force_from__lte=on)
    versions = versions.filter(program_id=program_id) if program_id is not None else versions.filter(program__is_default=True)
    return versions.order_by("-in_force_from").first()
