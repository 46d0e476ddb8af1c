"""Membership of the partner programs other than the default (docs/programs.md).

The default program's network is the partner table (`partners.change_sponsor` moves in it);
every other program's is its enrollments (`ProgramEnrollment`): a partner joins with a
sponsor who is a member there, may move under another member, and leaves when nobody is
below it there. A move that would close a cycle in that program's network is refused with
the network's own check (`cycles.ensure_no_cycle` on the program's edges). Each change is
kept in the partner's history as a sponsor change whose source names the program.

A member's Betreuer and share there (`set_program_care`) follow the default network's
rules (`care.check_betreuer`, `shares.clean_share`): a member of the program, not
terminated, not the partner itself nor its sponsor there, no cycle in the program's
network; without a share, its sponsor's split agreement in force gives it. The change is
in the partner's history as a care change whose source names the program.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from saleor_mlm.core.errors import DomainError
from saleor_mlm.programs.models import Program

from .. import events
from ..cycles import CARE, SPONSOR, ensure_no_cycle
from ..error_codes import NetworkErrorCode
from ..lock_objects import network_tree_lock
from ..models import Partner, ProgramEnrollment
from ..shares import clean_share, split_agreement_at
from .care import check_betreuer, no_split_agreement_error
from .common import clean_actor, now, refuse_terminated, reload_partner, require_reason, same_installation


def _program(program: Program, partner: Partner) -> None:
    if program.installation_id != partner.installation_id:
        raise DomainError(NetworkErrorCode.WRONG_INSTALLATION, _("The program belongs to another shop."), field="program")
    if program.is_default:
        raise DomainError(
            NetworkErrorCode.INVALID,
            _("Every partner is a member of the default program %(program)s: move it there with a sponsor change.") % {"program": program.code},
            field="program",
        )


def _reloaded(partner: Partner) -> Partner:
    """The partner's row as it is now (under the tree lock)."""
    return Partner.objects.select_for_update(of=("self",)).get(pk=partner.pk)


def _not_a_member(program: Program, partner: Partner, field: str) -> DomainError:
    return DomainError(
        NetworkErrorCode.NOT_A_MEMBER, _("%(partner)s is not a member of program %(program)s.") % {"partner": partner, "program": program.code}, field=field
    )


def _member(program: Program, partner: Partner | None, *, field: str) -> ProgramEnrollment | None:
    """The partner's enrollment in the program, locked; a sponsor must have one."""
    if partner is None:
        return None
    enrollment = ProgramEnrollment.objects.select_for_update().filter(program=program, partner=partner).first()
    if enrollment is None and field == "sponsor":
        raise _not_a_member(program, partner, field)
    return enrollment


def _source(program: Program, what: str) -> str:
    return f"program {program.code}: {what}"


def enroll_in_program(program: Program, partner: Partner, sponsor: Partner | None, *, changed_by: str) -> ProgramEnrollment:
    """Make `partner` a member of `program` under `sponsor` (a member there; None: at the top)."""
    changed_by = clean_actor(changed_by)
    _program(program, partner)
    same_installation(partner, sponsor)
    with transaction.atomic():
        network_tree_lock(partner.installation_id)
        partner, sponsor = _reloaded(partner), reload_partner(sponsor)
        refuse_terminated(partner, "member", field="partner")
        refuse_terminated(sponsor, "sponsor", field="sponsor")
        if _member(program, partner, field="partner") is not None:
            raise DomainError(
                NetworkErrorCode.ALREADY_MEMBER,
                _("%(partner)s is a member of program %(program)s already.") % {"partner": partner, "program": program.code},
                field="partner",
            )
        _member(program, sponsor, field="sponsor")
        if sponsor is not None:
            ensure_no_cycle(partner, sponsor, SPONSOR, now(), program.pk)
        enrollment = ProgramEnrollment.objects.create(
            installation_id=partner.installation_id, program=program, partner=partner, sponsor=sponsor, enrolled_at=now(), created_by=changed_by
        )
        events.sponsor_changed(partner, old=None, new=sponsor, changed_by=changed_by, source=_source(program, "enrolled"))
    return enrollment


def move_in_program(program: Program, partner: Partner, sponsor: Partner | None, *, changed_by: str, reason: str) -> ProgramEnrollment:
    """Move a member of `program`, with its downline there, under another member (None:
    to the top). Refused when it would close a cycle in the program's network."""
    changed_by = clean_actor(changed_by)
    reason = require_reason(reason, "Moving a partner")
    _program(program, partner)
    same_installation(partner, sponsor)
    with transaction.atomic():
        network_tree_lock(partner.installation_id)
        partner, sponsor = _reloaded(partner), reload_partner(sponsor)
        enrollment = _member(program, partner, field="partner")
        if enrollment is None:
            raise _not_a_member(program, partner, "partner")
        if enrollment.sponsor_id == (sponsor.pk if sponsor else None):
            return enrollment
        refuse_terminated(sponsor, "sponsor", field="sponsor")
        _member(program, sponsor, field="sponsor")
        if sponsor is not None:
            ensure_no_cycle(partner, sponsor, SPONSOR, now(), program.pk)
        old = enrollment.sponsor
        enrollment.sponsor = sponsor
        enrollment.save(update_fields=["sponsor", "updated_at"])
        events.sponsor_changed(partner, old=old, new=sponsor, changed_by=changed_by, reason=reason, source=_source(program, "moved"))
    return enrollment


def remove_from_program(program: Program, partner: Partner, *, changed_by: str, reason: str) -> None:
    """End `partner`'s membership of `program`: only when no member there has it as its
    sponsor or Betreuer (move them first). Its volume there counts for nobody from then on;
    closed months keep their figures."""
    changed_by = clean_actor(changed_by)
    reason = require_reason(reason, "Removing a partner from a program")
    _program(program, partner)
    with transaction.atomic():
        network_tree_lock(partner.installation_id)
        enrollment = _member(program, partner, field="partner")
        if enrollment is None:
            raise _not_a_member(program, partner, "partner")
        below = ProgramEnrollment.objects.filter(Q(sponsor=partner) | Q(care_partner=partner), program=program).count()
        if below:
            raise DomainError(
                NetworkErrorCode.HAS_MEMBERS,
                ngettext(
                    "%(count)d member of program %(program)s is below %(partner)s: move it first.",
                    "%(count)d members of program %(program)s are below %(partner)s: move them first.",
                    below,
                )
                % {"count": below, "program": program.code, "partner": partner},
                field="partner",
            )
        old = enrollment.sponsor
        enrollment.delete()
        events.sponsor_changed(partner, old=old, new=None, changed_by=changed_by, reason=reason, source=_source(program, "removed"))


def set_program_care(
    program: Program, partner: Partner, care_partner: Partner | None, share: Decimal | str | None = None, *, set_by: str, reason: str = ""
) -> ProgramEnrollment:
    """Make `care_partner` (a member of `program`) the Betreuer of `partner` there with
    `share` of its volume; None: no Betreuer (the sponsor there keeps everything). Without
    a share, the split agreement in force of its sponsor there gives it."""
    set_by = clean_actor(set_by)
    _program(program, partner)
    same_installation(partner, care_partner)
    cleaned_share = None if share is None or share == "" else clean_share(share)
    with transaction.atomic():
        network_tree_lock(partner.installation_id)
        partner, care_partner = _reloaded(partner), reload_partner(care_partner)
        enrollment = _member(program, partner, field="partner")
        if enrollment is None:
            raise _not_a_member(program, partner, "partner")
        old = {"care": events.partner_ref(enrollment.care_partner), "share": events.share_text(enrollment.care_share)}
        if care_partner is None:
            cleaned_share = None
        else:
            check_betreuer(partner, care_partner, enrollment.sponsor_id)
            if _member(program, care_partner, field="care_partner") is None:
                raise _not_a_member(program, care_partner, "care_partner")
            if cleaned_share is None:
                agreement = split_agreement_at(enrollment.sponsor, now())
                if agreement is None:
                    raise no_split_agreement_error(enrollment.sponsor, now(), field="share")
                cleaned_share = agreement.share
            ensure_no_cycle(partner, care_partner, CARE, now(), program.pk)
        if enrollment.care_partner_id == (care_partner.pk if care_partner else None) and enrollment.care_share == cleaned_share:
            return enrollment
        enrollment.care_partner, enrollment.care_share = care_partner, cleaned_share
        enrollment.save(update_fields=["care_partner", "care_share", "updated_at"])
        new = {"care": events.partner_ref(care_partner), "share": events.share_text(cleaned_share)}
        events.program_care_changed(partner, old=old, new=new, source=_source(program, "Betreuer"), changed_by=set_by, reason=reason)
    return enrollment
