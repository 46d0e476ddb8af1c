"""Care shares: how much of a node's volume goes to its Betreuer at a given time.

The rule (docs/network.md, "Effective share"):

1. No care assignment in force at `at`: no Betreuer, everything goes to the sponsor.
2. The assignment names a share: that share.
3. Otherwise the split agreement of the node's sponsor (the recruiting partner) in force
   at `at` decides.
4. Otherwise the share is 0: without an agreement the recruiting side gives up nothing.
   (Assigning care without a share is refused when no agreement is in force; rule 4
   covers an agreement that has ended since.)

A time is in an interval when `valid_from <= at < valid_to` (`valid_to` null: open).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from saleor_mlm.core.errors import DomainError

from . import CareShareSource
from .error_codes import NetworkErrorCode
from .models import CareAssignment, Customer, Partner, SplitAgreement

SHARE_QUANTUM = Decimal("0.0001")


def clean_share(value, *, field: str = "share") -> Decimal:
    """A share as Decimal in [0, 1] with at most 4 decimals (the database's precision)."""
    try:
        share = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(
            NetworkErrorCode.INVALID_SHARE,
            _("'%(value)s' is not a number.") % {"value": value},
            field=field,
        ) from None
    if not share.is_finite() or share < 0 or share > 1:
        raise DomainError(
            NetworkErrorCode.INVALID_SHARE,
            _("A share must be between 0 and 1 (0.25 is 25 %%); got %(value)s.") % {"value": value},
            field=field,
        )
    if share != share.quantize(SHARE_QUANTUM):
        raise DomainError(
            NetworkErrorCode.INVALID_SHARE,
            _("A share has at most 4 decimals (0.1234); got %(value)s.") % {"value": value},
            field=field,
        )
    return share.quantize(SHARE_QUANTUM)


def in_force_at(at: datetime) -> Q:
    return Q(valid_from__lte=at) & (Q(valid_to__isnull=True) | Q(valid_to__gt=at))


def node_filter(node: Partner | Customer) -> dict:
    return {"partner": node} if isinstance(node, Partner) else {"customer": node}


def care_assignment_at(node: Partner | Customer, at: datetime | None = None) -> CareAssignment | None:
    at = at or timezone.now()
    return (
        CareAssignment.objects.filter(in_force_at(at), **node_filter(node))
        .select_related("care_partner")
        .order_by("-valid_from", "-id")
        .first()
    )


def split_agreement_at(partner: Partner | None, at: datetime | None = None) -> SplitAgreement | None:
    if partner is None:
        return None
    at = at or timezone.now()
    return SplitAgreement.objects.filter(in_force_at(at), partner=partner).order_by("-valid_from", "-id").first()


@dataclass(frozen=True)
class EffectiveCare:
    care_partner_id: int
    share: Decimal
    source: str  # CareShareSource
    assignment_id: int


def resolve_share(assignment_share: Decimal | None, agreement_share: Decimal | None) -> tuple[Decimal, str]:
    """Rules 2 to 4 on plain values (shared with `fetch`, which loads them in bulk)."""
    if assignment_share is not None:
        return assignment_share, CareShareSource.ASSIGNMENT
    if agreement_share is not None:
        return agreement_share, CareShareSource.SPLIT_AGREEMENT
    return Decimal(0), CareShareSource.NONE


def effective_care_share(node: Partner | Customer, at: datetime | None = None) -> EffectiveCare | None:
    """The Betreuer of `node` at `at` and the share it receives; None without care."""
    at = at or timezone.now()
    assignment = care_assignment_at(node, at)
    if assignment is None:
        return None
    agreement = None if assignment.share is not None else split_agreement_at(node.sponsor, at)
    share, source = resolve_share(assignment.share, agreement.share if agreement else None)
    return EffectiveCare(care_partner_id=assignment.care_partner_id, share=share, source=source, assignment_id=assignment.pk)
