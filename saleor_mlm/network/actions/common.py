"""Helpers shared by the network actions: clock, cleaning, sponsor lookup, results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from saleor_mlm.core.errors import DomainError

from .. import PartnerStatus
from ..codes import partner_by_referral_code
from ..error_codes import NetworkErrorCode
from ..models import CareAssignment, Customer, NetworkChange, Partner


def now() -> datetime:
    # One place for the clock, so tests can freeze it.
    return timezone.now()


def clean_actor(changed_by: str) -> str:
    changed_by = (changed_by or "").strip()
    if not changed_by:
        raise DomainError(
            NetworkErrorCode.INVALID, _("Say who makes the change (an e-mail, 'app' or 'system')."), field="changed_by"
        )
    return changed_by[:255]


def require_reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            NetworkErrorCode.REASON_REQUIRED,
            _("%(what)s needs a reason; it is kept in the history.") % {"what": what},
            field="reason",
        )
    return reason


def same_installation(*nodes: Partner | Customer | None) -> None:
    installations = {node.installation_id for node in nodes if node is not None}
    if len(installations) > 1:
        raise DomainError(NetworkErrorCode.WRONG_INSTALLATION, _("These partners belong to different shops."))


def resolve_sponsor(installation_id: int, sponsor: Partner | str | None, *, field: str = "sponsor") -> Partner | None:
    """A Partner (checked to be of the installation), a referral code, or None."""
    if sponsor is None or sponsor == "":
        return None
    if isinstance(sponsor, Partner):
        if sponsor.installation_id != installation_id:
            raise DomainError(
                NetworkErrorCode.WRONG_INSTALLATION,
                _("%(sponsor)s is a partner of another shop.") % {"sponsor": sponsor},
                field=field,
            )
        return sponsor
    partner = partner_by_referral_code(installation_id, sponsor)
    if partner is None:
        raise unknown_sponsor_error(sponsor, field=field)
    return partner


def unknown_sponsor_error(code: str, *, field: str) -> DomainError:
    return DomainError(
        NetworkErrorCode.UNKNOWN_SPONSOR,
        _("No partner has the referral code '%(code)s'.") % {"code": code.strip()},
        field=field,
    )


def refuse_terminated(partner: Partner | None, role: str, *, field: str) -> None:
    if partner is not None and partner.status == PartnerStatus.TERMINATED:
        raise DomainError(
            NetworkErrorCode.TERMINATED,
            _("%(partner)s is terminated and cannot become a %(role)s.") % {"partner": partner, "role": role},
            field=field,
        )


def reload_partner(partner: Partner | None) -> Partner | None:
    """The partner's row as it is now (the caller holds the tree lock)."""
    if partner is None:
        return None
    return Partner.objects.select_for_update(of=("self",)).select_related("sponsor").get(pk=partner.pk)


def reload_node(node: Partner | Customer) -> Partner | Customer:
    return type(node).objects.select_for_update(of=("self",)).select_related("sponsor").get(pk=node.pk)


@dataclass
class SponsorChange:
    """What a sponsor change did. `change` is None when nothing changed. `ended_care` is
    the care assignment that was ended because the Betreuer became the sponsor."""

    node: Partner | Customer
    old_sponsor: Partner | None
    new_sponsor: Partner | None
    change: NetworkChange | None
    ended_care: CareAssignment | None = None

    @property
    def changed(self) -> bool:
        return self.change is not None
