"""Betreuer (care) assignments and split agreements.

A care assignment says: from `valid_from` (until `valid_to`), `care_partner` looks after
the node and receives a share of its volume; the recruiting side (the node's sponsor)
keeps the rest. Rules enforced here (docs/network.md):

- a partner cannot look after itself, nor a node it sponsors (the sponsor would only
  get its own share back: that is "no Betreuer", so we say so instead of storing it);
- a terminated partner cannot become a Betreuer;
- the new care edge must not close a cycle with sponsor and care edges;
- assignments of one node never overlap: a new one ends the current one at its
  `valid_from`, which may not lie before the current one's start;
- without an explicit share, the sponsor's split agreement must be in force at
  `valid_from` (else there is no share to speak of).

Split agreements of one partner never overlap either: a new agreement cuts an earlier
one short at its start, and when it ends before the earlier one did, the earlier terms
resume after it (a continuation row).
"""

from __future__ import annotations

import copy
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from saleor_mlm.core.errors import DomainError

from .. import events
from ..cycles import CARE, ensure_no_cycle
from ..error_codes import NetworkErrorCode
from ..lock_objects import network_tree_lock
from ..models import CareAssignment, Customer, Partner, SplitAgreement
from ..shares import clean_share, node_filter, split_agreement_at
from .common import clean_actor, now, refuse_terminated, reload_node, reload_partner, same_installation


def current_care_assignment(node: Partner | Customer) -> CareAssignment | None:
    """The node's open assignment (`valid_to` null), in force now or from a later date."""
    return (
        CareAssignment.objects.filter(valid_to__isnull=True, **node_filter(node))
        .select_related("care_partner")
        .first()
    )


def _latest_boundary(node: Partner | Customer) -> datetime | None:
    """The latest start or end among the node's assignments: new ones begin no earlier."""
    latest = None
    for valid_from, valid_to in CareAssignment.objects.filter(**node_filter(node)).values_list("valid_from", "valid_to"):
        for moment in (valid_from, valid_to):
            if moment is not None and (latest is None or moment > latest):
                latest = moment
    return latest


def care_is_sponsor_error(node, care_partner, *, field: str) -> DomainError:
    return DomainError(
        NetworkErrorCode.CARE_IS_SPONSOR,
        _("%(care_partner)s is the sponsor of %(node)s: a sponsor as Betreuer would get its own share back. Remove the Betreuer instead.")
        % {"care_partner": care_partner, "node": node},
        field=field,
    )


def no_split_agreement_error(sponsor, valid_from: datetime, *, field: str) -> DomainError:
    recruiter = f"the sponsor {sponsor}" if sponsor else "the company (no sponsor)"
    return DomainError(
        NetworkErrorCode.NO_SPLIT_AGREEMENT,
        _("No share given and %(recruiter)s has no split agreement in force on %(valid_from)s: give a share or set a split agreement first.")
        % {"recruiter": recruiter, "valid_from": format(valid_from, '%Y-%m-%d')},
        field=field,
    )


def overlapping_assignment_error(node, latest: datetime, *, field: str) -> DomainError:
    return DomainError(
        NetworkErrorCode.OVERLAPPING_ASSIGNMENT,
        _("%(node)s has a Betreuer until %(latest)s; a new one can start from then on.")
        % {"node": node, "latest": format(latest, '%Y-%m-%d %H:%M')},
        field=field,
    )


def check_betreuer(node: Partner | Customer, care_partner: Partner, sponsor_id: int | None, *, field: str = "care_partner") -> None:
    """The rules a Betreuer meets, in the default network and in any program's (where
    `sponsor_id` is the node's sponsor there): not terminated, not the node itself, not
    its sponsor."""
    refuse_terminated(care_partner, "Betreuer", field=field)
    if isinstance(node, Partner) and node.pk == care_partner.pk:
        raise DomainError(NetworkErrorCode.SELF_CARE, _("%(node)s cannot be its own Betreuer.") % {"node": node}, field=field)
    if sponsor_id == care_partner.pk:
        raise care_is_sponsor_error(node, care_partner, field=field)


def end_care(node: Partner | Customer, assignment: CareAssignment, at: datetime, *, set_by: str, reason: str) -> CareAssignment:
    """End `assignment` at `at` and record it (the caller holds the tree lock)."""
    assignment.valid_to = max(at, assignment.valid_from)
    assignment.save(update_fields=["valid_to"])
    events.care_unassigned(node, assignment=assignment, changed_by=set_by, reason=reason)
    return assignment


def assign_care(
    node: Partner | Customer,
    care_partner: Partner,
    *,
    share: Decimal | str | None = None,
    valid_from: datetime | None = None,
    set_by: str,
    reason: str = "",
) -> CareAssignment:
    """Make `care_partner` the Betreuer of `node` (a partner or a customer) from `valid_from`.

    `share` None: the sponsor's split agreement in force decides (see `shares`).
    Assigning the same Betreuer with the same share again changes nothing.
    """
    set_by = clean_actor(set_by)
    same_installation(node, care_partner)
    cleaned_share = None if share is None or share == "" else clean_share(share)
    with transaction.atomic():
        network_tree_lock(node.installation_id)
        moment = now()
        valid_from = valid_from or moment
        node = reload_node(node)
        care_partner = reload_partner(care_partner)
        check_betreuer(node, care_partner, node.sponsor_id)
        if cleaned_share is None and split_agreement_at(node.sponsor, valid_from) is None:
            raise no_split_agreement_error(node.sponsor, valid_from, field="share")
        current = current_care_assignment(node)
        if current and current.care_partner_id == care_partner.pk and current.share == cleaned_share:
            return current
        latest = _latest_boundary(node)
        if latest is not None and valid_from < latest:
            raise overlapping_assignment_error(node, latest, field="valid_from")
        if isinstance(node, Partner):
            ensure_no_cycle(node, care_partner, CARE, moment)
        previous = copy.copy(current) if current else None
        if current:
            current.valid_to = valid_from
            current.save(update_fields=["valid_to"])
        assignment = CareAssignment.objects.create(
            installation_id=node.installation_id,
            **node_filter(node),
            care_partner=care_partner,
            share=cleaned_share,
            valid_from=valid_from,
            set_by=set_by,
            reason=reason,
        )
        events.care_assigned(node, previous=previous, assignment=assignment, changed_by=set_by, reason=reason)
    return assignment


def unassign_care(
    node: Partner | Customer, *, valid_to: datetime | None = None, set_by: str, reason: str = ""
) -> CareAssignment | None:
    """End the node's current care assignment at `valid_to` (default now); None if it has none."""
    set_by = clean_actor(set_by)
    with transaction.atomic():
        network_tree_lock(node.installation_id)
        valid_to = valid_to or now()
        current = current_care_assignment(node)
        if current is None:
            return None
        if valid_to < current.valid_from:
            raise DomainError(
                NetworkErrorCode.OVERLAPPING_ASSIGNMENT,
                _("The care assignment starts on %(valid_from)s; it cannot end before.")
                % {"valid_from": format(current.valid_from, '%Y-%m-%d %H:%M')},
                field="valid_to",
            )
        return end_care(node, current, valid_to, set_by=set_by, reason=reason)


def _clean_range(valid_from: datetime, valid_to: datetime | None) -> None:
    if valid_to is not None and valid_to <= valid_from:
        raise DomainError(NetworkErrorCode.INVALID, _("An agreement must end after it starts."), field="valid_to")


def set_split_agreement(
    partner: Partner,
    share: Decimal | str,
    *,
    valid_from: datetime | None = None,
    valid_to: datetime | None = None,
    set_by: str,
    note: str = "",
) -> SplitAgreement:
    """Record the share `partner` gives to the Betreuer of the nodes it sponsors, for
    [valid_from, valid_to). Earlier agreements are cut short at `valid_from`; one that
    starts inside the new range must be ended first (refused)."""
    set_by = clean_actor(set_by)
    cleaned_share = clean_share(share)
    with transaction.atomic():
        # Agreements are not edges; the partner's row lock serializes its agreements.
        partner = reload_partner(partner)
        valid_from = valid_from or now()
        _clean_range(valid_from, valid_to)
        agreements = SplitAgreement.objects.select_for_update().filter(partner=partner)
        later = agreements.filter(valid_from__gte=valid_from)
        if valid_to is not None:
            later = later.filter(valid_from__lt=valid_to)
        clash = later.order_by("valid_from").first()
        if clash is not None:
            raise DomainError(
                NetworkErrorCode.OVERLAPPING_AGREEMENT,
                _("%(partner)s has an agreement from %(valid_from)s (%(share)s); end it before setting one that covers that time.")
                % {"partner": partner, "valid_from": format(clash.valid_from, '%Y-%m-%d %H:%M'), "share": clash.share},
                field="valid_from",
            )
        ended = []
        overlapping = agreements.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=valid_from), valid_from__lt=valid_from)
        for earlier in overlapping.order_by("valid_from"):
            ended.append(copy.copy(earlier))
            old_end = earlier.valid_to
            earlier.valid_to = valid_from
            earlier.save(update_fields=["valid_to"])
            if valid_to is not None and (old_end is None or old_end > valid_to):
                # The new terms are a window inside the earlier ones: those resume after it.
                SplitAgreement.objects.create(
                    installation_id=partner.installation_id,
                    partner=partner,
                    share=earlier.share,
                    valid_from=valid_to,
                    valid_to=old_end,
                    set_by=set_by,
                    note=f"continues agreement {earlier.pk} after the one from {valid_from:%Y-%m-%d}",
                )
        agreement = SplitAgreement.objects.create(
            installation_id=partner.installation_id,
            partner=partner,
            share=cleaned_share,
            valid_from=valid_from,
            valid_to=valid_to,
            set_by=set_by,
            note=note,
        )
        events.split_agreement_set(partner, agreement=agreement, ended=ended, changed_by=set_by, note=note)
    return agreement


def end_split_agreement(partner: Partner, *, at: datetime | None = None, set_by: str, note: str = "") -> SplitAgreement | None:
    """End the agreement in force at `at` (default now); None if none is in force."""
    set_by = clean_actor(set_by)
    with transaction.atomic():
        partner = reload_partner(partner)
        at = at or now()
        agreement = split_agreement_at(partner, at)
        if agreement is None:
            return None
        before = copy.copy(agreement)
        agreement.valid_to = at
        agreement.save(update_fields=["valid_to"])
        events.split_agreement_set(partner, agreement=None, ended=[before], changed_by=set_by, note=note)
    return agreement
