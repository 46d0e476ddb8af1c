"""Ranks over time: the history per partner and period, and manual overrides.

- History: every settled period's close run stores each partner's calculated, paid-as,
  career and previous career rank (`PartnerPeriodResult`). Career rank is
  `max(career rank before, paid-as rank)`: it never falls. "Before" is the career rank
  stored by the latest settled period.
- Overrides: the company sets a partner's rank for one period, with a reason and an
  approver other than the person entering it. It beats the calculation: it is the
  partner's paid-as rank for that period if the partner qualifies, bonuses included
  (see `compute`). Overrides are set on open periods (re-open a closed one first) and
  take effect when the period is previewed or closed.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _

from saleor_mlm.calendar import PeriodStatus
from saleor_mlm.calendar.error_codes import PeriodErrorCode
from saleor_mlm.calendar.models import Period
from saleor_mlm.core.errors import DomainError, required
from saleor_mlm.core.four_eyes import require_second_person
from saleor_mlm.installations.models import Installation
from saleor_mlm.network.models import Partner
from saleor_mlm.plans.fetch import plan_of

from . import events
from .actions import require_plan_in_force
from .models import RankOverride

# A user, reason or approver: given, blanks stripped.
_require = partial(required, code=PeriodErrorCode.REQUIRED)


def _open_period(installation: Installation, partner: Partner, period: Period) -> Period:
    for obj in (partner, period):
        if obj.installation_id != installation.pk:
            raise DomainError(PeriodErrorCode.WRONG_INSTALLATION, _("%(obj)s belongs to another installation.") % {"obj": obj})
    locked = Period.objects.select_for_update(no_key=True).get(pk=period.pk)
    if locked.status != PeriodStatus.OPEN:
        raise DomainError(
            PeriodErrorCode.INVALID_STATUS,
            _("Period %(period)s is %(status)s: re-open it to change rank overrides.")
            % {"period": locked.label, "status": locked.status},
            field="period",
        )
    return locked


def set_rank_override(
    installation: Installation,
    partner: Partner,
    period: Period,
    rank: str,
    reason: str,
    approved_by: str,
    created_by: str,
) -> RankOverride:
    """Set (or replace) the partner's rank for the period."""
    rank = _require(rank, "rank")
    reason = _require(reason, "reason")
    approved_by = _require(approved_by, "approved_by")
    created_by = _require(created_by, "created_by")
    require_second_person(
        approved_by, created_by, code=PeriodErrorCode.SAME_USER, message="A rank override is approved by someone other than the person who enters it."
    )
    with transaction.atomic():
        locked = _open_period(installation, partner, period)
        plan = plan_of(require_plan_in_force(locked))
        codes = [r.code for r in plan.ranks]
        if rank not in codes:
            raise DomainError(
                PeriodErrorCode.UNKNOWN_RANK,
                _("%(rank)s is not a rank of the plan in force (%(codes)s).") % {"rank": repr(rank), "codes": ', '.join(codes)},
                field="rank",
            )
        existing = RankOverride.objects.filter(partner=partner, period=locked).first()
        previous = existing.rank if existing else None
        if existing is None:
            override = RankOverride.objects.create(
                installation=installation, partner=partner, period=locked, rank=rank, reason=reason, approved_by=approved_by, created_by=created_by
            )
        else:
            existing.rank, existing.reason, existing.approved_by, existing.created_by = rank, reason, approved_by, created_by
            existing.save()
            override = existing
        events.rank_override_set(override, created_by, previous)
    return override


def remove_rank_override(installation: Installation, override: RankOverride, removed_by: str, reason: str) -> None:
    removed_by = _require(removed_by, "removed_by")
    reason = _require(reason, "reason")
    with transaction.atomic():
        _open_period(installation, override.partner, override.period)
        events.rank_override_removed(override, removed_by, reason)
        override.delete()
