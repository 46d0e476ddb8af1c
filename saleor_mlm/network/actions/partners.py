"""Partners: creation by the merchant, enrollment from the storefront, sponsor and status.

Rules (docs/network.md):

- Referral codes are unique per installation and stored upper case; without one given,
  a readable code is drawn. The partner's Saleor voucher code is the same code, created
  after commit by `tasks.create_partner_voucher_code_task`.
- A terminated partner cannot become a sponsor. Storefront enrollment also needs the
  sponsor to be active; the merchant may place people under an inactive partner.
- A Saleor user is at most one partner; storefront enrollment also refuses an e-mail
  that a partner has already (the company links such accounts). A customer who becomes a partner keeps its
  `Customer` row (linked by `converted_to`), its sponsor unless another is given, and
  its Betreuer.
- Moving a partner (new sponsor) needs a reason and must not close a cycle. If the new
  sponsor was the partner's Betreuer, that care assignment ends (a sponsor cannot be
  the Betreuer too).
- Status: `terminated` is final, except through `set_status(..., reactivate=True)`,
  which is recorded like any change. Termination needs a reason. Nobody is moved
  when a partner leaves: the genealogy stays, the rules pass over them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from saleor_mlm.core.errors import DomainError

from .. import ChangedBy, PartnerStatus, TaxStatus, events
from ..codes import clean_referral_code, code_taken, generate_unique_code, normalize_code, partner_by_referral_code
from ..cycles import SPONSOR, ensure_no_cycle
from ..error_codes import NetworkErrorCode
from ..lock_objects import network_tree_lock
from ..models import CareAssignment, Customer, Partner
from ..validators import (
    clean_country,
    clean_email,
    clean_language,
    clean_name,
    clean_payout_currency,
    clean_status,
    clean_tax_status,
    clean_vat_id,
)
from .care import current_care_assignment, end_care
from .common import (
    SponsorChange,
    clean_actor,
    now,
    refuse_terminated,
    reload_partner,
    require_reason,
    resolve_sponsor,
    same_installation,
)
from .tax_profiles import follow_partner_details, vat_id_required


def _clean_details(
    *, email: str, country: str, language: str, payout_currency: str, tax_status: str, vat_id: str
) -> dict[str, str]:
    details = {
        "email": clean_email(email),
        "country": clean_country(country),
        "language": clean_language(language),
        "payout_currency": clean_payout_currency(payout_currency),
        "tax_status": clean_tax_status(tax_status),
    }
    details["vat_id"] = clean_vat_id(vat_id, details["country"])
    if tax_status == TaxStatus.REVERSE_CHARGE and not details["vat_id"]:
        raise vat_id_required()
    return details


def _referral_code(installation_id: int, referral_code: str | None) -> str:
    if referral_code is None or referral_code == "":
        return generate_unique_code(installation_id)
    code = clean_referral_code(referral_code)
    if code_taken(installation_id, code):
        raise referral_code_taken_error(code)
    return code


def referral_code_taken_error(code: str) -> DomainError:
    return DomainError(
        NetworkErrorCode.DUPLICATE_REFERRAL_CODE,
        _("The referral code '%(code)s' is taken.") % {"code": code},
        field="referral_code",
    )


def email_taken_error() -> DomainError:
    return DomainError(NetworkErrorCode.ALREADY_PARTNER, _("Another partner has this e-mail address."), field="email")


def partner_user_taken_error() -> DomainError:
    return DomainError(NetworkErrorCode.ALREADY_PARTNER, _("This Saleor user is a partner already."), field="saleor_user_id")


def reactivation_refused_error(node) -> DomainError:
    return DomainError(
        NetworkErrorCode.TERMINATED,
        _("%(node)s is terminated; reactivating a terminated partner must be asked for explicitly.") % {"node": node},
        field="status",
    )


def _schedule_voucher_code(partner_id: int) -> None:
    from ..tasks import create_partner_voucher_code_task

    transaction.on_commit(partial(create_partner_voucher_code_task.delay, partner_id))


def _carry_over_care(customer: Customer, partner: Partner, at: datetime, *, changed_by: str) -> None:
    """The customer's Betreuer goes on looking after the person as a partner, unless it is
    the partner's sponsor now (then care ends: the sponsor has it all)."""
    current = current_care_assignment(customer)
    if current is None:
        return
    start = max(at, current.valid_from)
    end_care(customer, current, start, set_by=changed_by, reason="became a partner")
    if current.care_partner_id == partner.sponsor_id:
        return
    assignment = CareAssignment.objects.create(
        installation_id=partner.installation_id,
        partner=partner,
        care_partner_id=current.care_partner_id,
        share=current.share,
        valid_from=start,
        set_by=changed_by,
        reason="Betreuer kept when the customer became a partner",
    )
    events.care_assigned(partner, previous=None, assignment=assignment, changed_by=changed_by, reason=assignment.reason)


def _create_partner(
    installation,
    *,
    details: dict[str, str],
    first_name: str,
    last_name: str,
    sponsor: Partner | None,
    saleor_user_id: str,
    referral_code: str | None,
    enrolled_at: datetime | None,
    customer: Customer | None,
    created_by: str,
    reason: str,
    source: str,
) -> Partner:
    """The shared tail of both ways in; the caller holds the tree lock."""
    if saleor_user_id and Partner.objects.filter(installation=installation, saleor_user_id=saleor_user_id).exists():
        raise partner_user_taken_error()
    if customer is not None and customer.converted_to_id is not None:
        raise DomainError(
            NetworkErrorCode.ALREADY_PARTNER,
            _("The customer %(customer)s is a partner already.") % {"customer": customer},
            field="customer",
        )
    moment = now()
    partner = Partner.objects.create(
        installation=installation,
        saleor_user_id=saleor_user_id,
        first_name=clean_name(first_name),
        last_name=clean_name(last_name),
        referral_code=_referral_code(installation.pk, referral_code),
        sponsor=sponsor,
        status=PartnerStatus.ACTIVE,
        status_changed_at=moment,
        enrolled_at=enrolled_at or moment,
        **details,
    )
    if customer is not None:
        customer.converted_to = partner
        customer.converted_at = moment
        if saleor_user_id and not customer.saleor_user_id:
            customer.saleor_user_id = saleor_user_id  # a guest who registered
        customer.save(update_fields=["converted_to", "converted_at", "saleor_user_id", "updated_at"])
        _carry_over_care(customer, partner, moment, changed_by=created_by)
    events.partner_created(partner, changed_by=created_by, reason=reason, source=source, customer=customer)
    _schedule_voucher_code(partner.pk)
    return partner


def create_partner(
    installation,
    *,
    email: str,
    first_name: str = "",
    last_name: str = "",
    sponsor: Partner | str | None = None,
    saleor_user_id: str = "",
    country: str = "",
    language: str = "de",
    payout_currency: str = "EUR",
    tax_status: str = TaxStatus.REGULAR,
    vat_id: str = "",
    referral_code: str | None = None,
    enrolled_at: datetime | None = None,
    created_by: str,
    reason: str = "",
) -> Partner:
    """The merchant creates a partner. `sponsor` is a Partner, a referral code or None
    (a root partner). A customer with the same Saleor user id becomes this partner."""
    created_by = clean_actor(created_by)
    details = _clean_details(
        email=email, country=country, language=language, payout_currency=payout_currency, tax_status=tax_status, vat_id=vat_id
    )
    saleor_user_id = (saleor_user_id or "").strip()
    with transaction.atomic():
        network_tree_lock(installation.pk)
        sponsor = reload_partner(resolve_sponsor(installation.pk, sponsor))
        customer = None
        if saleor_user_id:
            customer = Customer.objects.select_for_update().filter(installation=installation, saleor_user_id=saleor_user_id).first()
        if sponsor is None and customer is not None and customer.sponsor_id is not None:
            sponsor = reload_partner(customer.sponsor)
        refuse_terminated(sponsor, "sponsor", field="sponsor")
        return _create_partner(
            installation,
            details=details,
            first_name=first_name,
            last_name=last_name,
            sponsor=sponsor,
            saleor_user_id=saleor_user_id,
            referral_code=referral_code,
            enrolled_at=enrolled_at,
            customer=customer,
            created_by=created_by,
            reason=reason,
            source="merchant",
        )


def _find_enrolling_customer(installation, saleor_user_id: str, email: str) -> Customer | None:
    customers = Customer.objects.select_for_update().filter(installation=installation)
    return (
        customers.filter(saleor_user_id=saleor_user_id).first()
        or customers.filter(saleor_user_id="", email__iexact=email).order_by("id").first()
    )


@dataclass(frozen=True)
class Enrollment:
    """Whom a person enrolls under, as the rules of enrollment allow (`check_enrollment`)."""

    sponsor: Partner | None
    customer: Customer | None  # the person's customer row, converted when it enrolls


def check_enrollment(
    installation, *, saleor_user_id: str, email: str, sponsor_referral_code: str | None, require_sponsor: bool = True
) -> Enrollment:
    """The storefront enrollment's rules (see the module's) for a shop account about to
    become a partner: its sponsor and customer row, or the `DomainError` of the first rule
    it breaks. The caller holds the network tree lock. Online registration checks a person
    with it before the merchant approves, and again when it does (`registration.actions`)."""
    saleor_user_id = (saleor_user_id or "").strip()
    if not saleor_user_id:
        raise DomainError(NetworkErrorCode.INVALID, _("Log in to enroll as a partner."), field="saleor_user_id")
    if Partner.objects.filter(installation=installation, email__iexact=email).exists():
        # Probably created by the merchant before the person had a Saleor account.
        # Linking by e-mail alone would let anyone who registers that address take
        # the partner over, so the company links it.
        raise DomainError(
            NetworkErrorCode.ALREADY_PARTNER,
            _("A partner with this e-mail address exists already; please ask the company to link your account."),
            field="email",
        )
    code = normalize_code(sponsor_referral_code or "")
    sponsor = None
    if code:
        sponsor = partner_by_referral_code(installation.pk, code)
        if sponsor is None:
            raise DomainError(
                NetworkErrorCode.UNKNOWN_SPONSOR, _("No partner has the referral code '%(code)s'.") % {"code": code}, field="sponsor_referral_code"
            )
        if sponsor.status != PartnerStatus.ACTIVE:
            raise DomainError(
                NetworkErrorCode.SPONSOR_NOT_ACTIVE,
                _("The partner with the code '%(code)s' cannot sponsor new partners at the moment.") % {"code": code},
                field="sponsor_referral_code",
            )
    customer = _find_enrolling_customer(installation, saleor_user_id, email)
    if customer is not None and customer.sponsor_id is not None:
        if sponsor is not None and sponsor.pk != customer.sponsor_id:
            raise DomainError(
                NetworkErrorCode.CUSTOMER_PROTECTED,
                _("You are a customer of %(sponsor)s; enroll with their code '%(code)s' or without a code.")
                % {"sponsor": customer.sponsor.display_name, "code": customer.sponsor.referral_code},
                field="sponsor_referral_code",
            )
        sponsor = customer.sponsor
        refuse_terminated(sponsor, "sponsor", field="sponsor_referral_code")
    if sponsor is None and require_sponsor:
        raise DomainError(
            NetworkErrorCode.SPONSOR_REQUIRED, _("Enter the referral code of the partner who invited you."), field="sponsor_referral_code"
        )
    if Partner.objects.filter(installation=installation, saleor_user_id=saleor_user_id).exists():
        raise partner_user_taken_error()
    return Enrollment(sponsor=sponsor, customer=customer)


def enroll_customer_as_partner(
    installation,
    *,
    saleor_user_id: str,
    email: str,
    sponsor_referral_code: str | None = None,
    first_name: str = "",
    last_name: str = "",
    country: str = "",
    language: str = "de",
    payout_currency: str = "EUR",
    tax_status: str = TaxStatus.REGULAR,
    vat_id: str = "",
    require_sponsor: bool = True,
    reason: str = "storefront enrollment",
) -> Partner:
    """A logged-in storefront customer becomes a partner under a sponsor's code.

    Without a code, a known customer's sponsor is the sponsor. A customer attributed to a
    sponsor keeps it (customer protection): the code of another partner is refused.
    """
    saleor_user_id = (saleor_user_id or "").strip()
    if not saleor_user_id:
        raise DomainError(NetworkErrorCode.INVALID, _("Log in to enroll as a partner."), field="saleor_user_id")
    details = _clean_details(
        email=email, country=country, language=language, payout_currency=payout_currency, tax_status=tax_status, vat_id=vat_id
    )
    with transaction.atomic():
        network_tree_lock(installation.pk)
        enrollment = check_enrollment(
            installation,
            saleor_user_id=saleor_user_id,
            email=details["email"],
            sponsor_referral_code=sponsor_referral_code,
            require_sponsor=require_sponsor,
        )
        return _create_partner(
            installation,
            details=details,
            first_name=first_name,
            last_name=last_name,
            sponsor=reload_partner(enrollment.sponsor),
            saleor_user_id=saleor_user_id,
            referral_code=None,
            enrolled_at=None,
            customer=enrollment.customer,
            created_by=details["email"] or ChangedBy.APP,
            reason=reason,
            source="enrollment",
        )


def change_sponsor(partner: Partner, new_sponsor: Partner | None, *, changed_by: str, reason: str) -> SponsorChange:
    """Move `partner` (with its whole downline) under `new_sponsor`, or make it a root."""
    changed_by = clean_actor(changed_by)
    reason = require_reason(reason, "Moving a partner")
    same_installation(partner, new_sponsor)
    with transaction.atomic():
        network_tree_lock(partner.installation_id)
        moment = now()
        node = reload_partner(partner)
        new_sponsor = reload_partner(new_sponsor)
        old_sponsor = node.sponsor
        if node.sponsor_id == (new_sponsor.pk if new_sponsor else None):
            return SponsorChange(node=node, old_sponsor=old_sponsor, new_sponsor=new_sponsor, change=None)
        refuse_terminated(new_sponsor, "sponsor", field="sponsor")
        if new_sponsor is not None:
            ensure_no_cycle(node, new_sponsor, SPONSOR, moment)
        ended_care = None
        care = current_care_assignment(node)
        if care is not None and new_sponsor is not None and care.care_partner_id == new_sponsor.pk:
            ended_care = end_care(node, care, moment, set_by=changed_by, reason=f"the Betreuer became the sponsor: {reason}")
        node.sponsor = new_sponsor
        node.save(update_fields=["sponsor", "updated_at"])
        change = events.sponsor_changed(node, old=old_sponsor, new=new_sponsor, changed_by=changed_by, reason=reason)
    partner.sponsor = new_sponsor
    return SponsorChange(node=node, old_sponsor=old_sponsor, new_sponsor=new_sponsor, change=change, ended_care=ended_care)


def set_status(partner: Partner, status: str, *, changed_by: str, reason: str = "", reactivate: bool = False):
    """Set `active`, `inactive` or `terminated`; returns the NetworkChange, or None when
    the status is unchanged. Leaving `terminated` needs `reactivate=True`."""
    changed_by = clean_actor(changed_by)
    clean_status(status)
    if status == PartnerStatus.TERMINATED:
        reason = require_reason(reason, "Terminating a partner")
    with transaction.atomic():
        # Sponsor and care checks read the status: take the lock they take.
        network_tree_lock(partner.installation_id)
        node = reload_partner(partner)
        old = node.status
        if old == status:
            return None
        if old == PartnerStatus.TERMINATED and not reactivate:
            raise reactivation_refused_error(node)
        node.status = status
        node.status_reason = (reason or "").strip()
        node.status_changed_at = now()
        node.save(update_fields=["status", "status_reason", "status_changed_at", "updated_at"])
        change = events.status_changed(node, old=old, new=status, changed_by=changed_by, reason=node.status_reason)
    partner.status, partner.status_reason, partner.status_changed_at = node.status, node.status_reason, node.status_changed_at
    return change


# The kind of the history row of a details change. `ChangeKind` (network/__init__.py) has no
# member for it yet; until it has (`DETAILS = "details"`), the value is named here.
# What `update_partner` may change; sponsor and status have actions of their own.
UPDATABLE_FIELDS = ("email", "first_name", "last_name", "country", "language", "payout_currency", "tax_status", "vat_id", "referral_code")
_DETAIL_FIELDS = ("email", "country", "language", "payout_currency", "tax_status", "vat_id")


def _stored(partner: Partner, name: str) -> str:
    value = getattr(partner, name)
    return value.code if name == "country" else value


def _clean_new_code(node: Partner, referral_code: str) -> str:
    code = clean_referral_code(referral_code)
    if code == node.referral_code:
        return code
    if node.voucher_code:
        # The voucher code in Saleor is the referral code; Saleor keeps codes per voucher and
        # customers and printed material know the old one. See docs/network.md.
        raise DomainError(
            NetworkErrorCode.INVALID_REFERRAL_CODE,
            _("The referral code of %(node)s is its voucher code '%(voucher_code)s' in Saleor already and cannot change.")
            % {"node": node, "voucher_code": node.voucher_code},
            field="referral_code",
        )
    others = Partner.objects.filter(installation_id=node.installation_id).exclude(pk=node.pk)
    if others.filter(Q(referral_code__iexact=code) | Q(voucher_code__iexact=code)).exists():
        raise referral_code_taken_error(code)
    return code


def update_partner(partner: Partner, *, changed_by: str, reason: str = "", **fields):
    """Change a partner's details: e-mail, name, country, language, payout currency, tax
    status, VAT id, referral code (`UPDATABLE_FIELDS`). Returns the NetworkChange, or None
    when nothing changed; `partner` is updated in place.

    The details as they are after the change are checked as a whole (switching to EU
    reverse charge needs a VAT id). Another partner's e-mail is refused, as at enrollment.
    The referral code may change until the partner has its voucher code in Saleor (the
    two are one code); afterwards it stays (docs/network.md, "Partner details").
    """
    unknown = sorted(set(fields) - set(UPDATABLE_FIELDS))
    if unknown:
        raise TypeError(f"update_partner() cannot change {', '.join(unknown)}")
    changed_by = clean_actor(changed_by)
    reason = (reason or "").strip()
    with transaction.atomic():
        # Codes and e-mails are checked against the other partners: the lock that
        # creation takes keeps two changes from choosing the same one.
        network_tree_lock(partner.installation_id)
        node = reload_partner(partner)
        details = _clean_details(**{name: fields.get(name, _stored(node, name)) for name in _DETAIL_FIELDS})
        new = {name: details[name] for name in _DETAIL_FIELDS if name in fields}
        for name in ("first_name", "last_name"):
            if name in fields:
                new[name] = clean_name(fields[name])
        if "referral_code" in fields:
            new["referral_code"] = _clean_new_code(node, fields["referral_code"] or "")
        changed = {name: value for name, value in new.items() if value != _stored(node, name)}
        if not changed:
            return None
        if "email" in changed and node.email.lower() != changed["email"].lower():
            others = Partner.objects.filter(installation_id=node.installation_id, email__iexact=changed["email"]).exclude(pk=node.pk)
            if others.exists():
                raise email_taken_error()
        old = {name: _stored(node, name) for name in changed}
        for name, value in changed.items():
            setattr(node, name, value)
        node.save(update_fields=[*changed, "updated_at"])
        change = events.partner_details_changed(node, old=old, new=changed, changed_by=changed_by, reason=reason)
        if {"tax_status", "vat_id", "country"} & set(changed):
            follow_partner_details(node, changed_by, reason)
    for name in changed:
        setattr(partner, name, getattr(node, name))
    partner.updated_at = node.updated_at
    return change
