"""Register, approve, reject (see the package's docstring and docs/office.md).

Rules:

- A visitor registers with its shop account (a Saleor access token: its user id and
  e-mail), the sponsor's referral code, its name, language and tax profile, and the
  acceptance of the newest version of the merchant's partner terms.
- Everything is checked when the visitor registers, with the network's rules of
  enrollment (`check_enrollment`: an active sponsor, not a partner yet by e-mail or shop
  account, customer protection) and the tax profile's rules (`clean_profile`); the
  errors name their fields.
- Without approval (the default) the partner is created at once, active, with its tax
  profile and its acceptance of the terms. With approval the registration waits; the
  merchant approves it (the same rules are checked again, then the partner is created)
  or rejects it with a reason (nobody is created). A shop account has at most one
  registration waiting.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saleor_mlm.core.errors import DomainError
from saleor_mlm.network.actions.common import clean_actor, require_reason
from saleor_mlm.network.actions.partners import check_enrollment, enroll_customer_as_partner
from saleor_mlm.network.actions.tax_profiles import ProfileInput, clean_profile, set_tax_profile
from saleor_mlm.network.lock_objects import network_tree_lock
from saleor_mlm.network.models import Partner
from saleor_mlm.network.validators import clean_email, clean_language, clean_name

from . import RegistrationStatus
from .error_codes import RegistrationErrorCode
from .models import PartnerRegistration, TermsAcceptance
from .terms import current_terms, registration_settings

PROFILE_FIELDS = ("legal_name", "street", "postal_code", "city", "country", "tax_number", "vat_id", "tax_status")


def clean_terms(installation_id: int, language: str, terms_version: int | None, accepted: bool):
    """The terms the visitor accepts: the newest version, read in its language."""
    terms = current_terms(installation_id, language)
    if terms is None:
        raise DomainError(
            RegistrationErrorCode.TERMS_MISSING,
            _("The company has not published its partner terms yet; online registration opens when it has."),
            field="terms_version",
        )
    if not accepted:
        raise DomainError(RegistrationErrorCode.TERMS_NOT_ACCEPTED, _("Accept the partner terms to register."), field="accept_terms")
    if terms_version != terms.version:
        raise DomainError(
            RegistrationErrorCode.TERMS_OUTDATED,
            _("The partner terms have changed since you opened the page: please read version %(version)d and accept it.")
            % {"version": terms.version},
            field="terms_version",
        )
    return terms


def register_partner(
    installation,
    *,
    saleor_user_id: str,
    email: str,
    sponsor_referral_code: str,
    first_name: str,
    last_name: str,
    language: str,
    tax_profile: ProfileInput,
    terms_version: int | None,
    accept_terms: bool,
) -> PartnerRegistration:
    """Register a visitor (see the module's rules); the registration is APPROVED with its
    partner, or PENDING when the merchant approves registrations."""
    saleor_user_id = (saleor_user_id or "").strip()
    email = clean_email(email)
    language = clean_language(language)
    terms = clean_terms(installation.pk, language, terms_version, accept_terms)
    profile = clean_profile(tax_profile)
    with transaction.atomic():
        network_tree_lock(installation.pk)
        pending = PartnerRegistration.objects.filter(installation=installation, status=RegistrationStatus.PENDING)
        if pending.filter(saleor_user_id=saleor_user_id).exists() or pending.filter(email__iexact=email).exists():
            raise DomainError(
                RegistrationErrorCode.REGISTRATION_PENDING,
                _("Your registration waits for the company's approval already."),
                field="email",
            )
        enrollment = check_enrollment(installation, saleor_user_id=saleor_user_id, email=email, sponsor_referral_code=sponsor_referral_code)
        assert enrollment.sponsor is not None  # require_sponsor: refused above without one
        registration = PartnerRegistration.objects.create(
            installation=installation,
            saleor_user_id=saleor_user_id,
            email=email,
            first_name=clean_name(first_name),
            last_name=clean_name(last_name),
            language=language,
            sponsor=enrollment.sponsor,
            terms_version=terms.version,
            terms_language=terms.language,
            terms_accepted_at=timezone.now(),
            **profile,
        )
        if not registration_settings(installation.pk).approval_required:
            _create_partner(registration, decided_by=email)
    return registration


def _profile_of(registration: PartnerRegistration) -> ProfileInput:
    values = {name: getattr(registration, name) for name in PROFILE_FIELDS}
    values["country"] = registration.country.code
    return ProfileInput(**values)


def _create_partner(registration: PartnerRegistration, *, decided_by: str) -> Partner:
    """The partner of an accepted registration, with its tax profile and its acceptance of
    the terms (at the time the visitor accepted them)."""
    profile = _profile_of(registration)
    partner = enroll_customer_as_partner(
        registration.installation,
        saleor_user_id=registration.saleor_user_id,
        email=registration.email,
        sponsor_referral_code=registration.sponsor.referral_code,
        first_name=registration.first_name,
        last_name=registration.last_name,
        country=profile.country,
        language=registration.language,
        tax_status=profile.tax_status,
        vat_id=profile.vat_id,
        reason="online registration",
    )
    set_tax_profile(partner, profile, changed_by=registration.email, by_partner=True)
    TermsAcceptance.objects.create(
        installation_id=registration.installation_id,
        partner=partner,
        version=registration.terms_version,
        language=registration.terms_language,
        accepted_at=registration.terms_accepted_at,
    )
    registration.status = RegistrationStatus.APPROVED
    registration.partner = partner
    registration.decided_by = decided_by
    registration.decided_at = timezone.now()
    registration.save(update_fields=["status", "partner", "decided_by", "decided_at"])
    return partner


def _pending(registration: PartnerRegistration) -> PartnerRegistration:
    """The registration's row, locked; refused unless it still waits."""
    row = PartnerRegistration.objects.select_for_update().select_related("installation", "sponsor").get(pk=registration.pk)
    if row.status != RegistrationStatus.PENDING:
        raise DomainError(RegistrationErrorCode.NOT_PENDING, _("This registration has been decided already."), field="id")
    return row


def approve_registration(registration: PartnerRegistration, *, decided_by: str) -> PartnerRegistration:
    """The merchant approves: the partner is created by the rules of enrollment as they are
    now (a sponsor terminated since is refused: reject the registration then)."""
    decided_by = clean_actor(decided_by)
    with transaction.atomic():
        network_tree_lock(registration.installation_id)
        row = _pending(registration)
        _create_partner(row, decided_by=decided_by)
    return row


def reject_registration(registration: PartnerRegistration, *, decided_by: str, reason: str) -> PartnerRegistration:
    decided_by = clean_actor(decided_by)
    reason = require_reason(reason, "Rejecting a registration")
    with transaction.atomic():
        row = _pending(registration)
        row.status = RegistrationStatus.REJECTED
        row.decided_by = decided_by
        row.decided_at = timezone.now()
        row.decision_reason = reason
        row.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    return row
