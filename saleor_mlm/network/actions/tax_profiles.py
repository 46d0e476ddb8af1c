"""A partner's tax profile: who the partner is for the tax office (docs/credit-notes.md).

Rules:

- A profile names the legal name, the billing address (street, postal code, city,
  country), the tax number and/or VAT id and the tax status. Every change is a new
  version (`TaxProfile`) with who, when and from which day it is valid; nothing is
  overwritten. A credit note copies the version in force on its issue date.
- Tax numbers and VAT ids are checked with the country's rules (python-stdnum,
  `validators`). What the tax status needs:
  REGULAR and SMALL_BUSINESS: a tax number or a VAT id (§14 Abs. 4 Nr. 2 UStG; EN 16931
  BR-S-02, BR-E-02 for the XML's categories S and E);
  REVERSE_CHARGE: a VAT id and an address in another EU state (not Germany);
  NON_EU: an address outside the EU and a tax number or VAT id of the partner's country
  (its documents are reverse charge, AE, and BR-AE-02 requires the seller's id);
  PRIVATE: nothing more.
- The partner changes its own profile, from today on; the merchant may date a change
  (`valid_from`) and lock the profile after checking it, after which only the merchant
  changes it. Locks and unlocks are written to the network's history.
- `Partner.tax_status` and `Partner.vat_id` follow the newest version, so that the
  partner list and filters read them without a join.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saleor_mlm.core.errors import DomainError

from .. import ChangeKind, TaxStatus
from ..error_codes import NetworkErrorCode
from ..models import NetworkChange, Partner, TaxProfile
from ..validators import EU_COUNTRIES, clean_country, clean_tax_number, clean_tax_status, clean_vat_id
from .common import clean_actor

HOME_COUNTRY = "DE"  # the merchant's country: the app issues German credit notes (§14 UStG)
TEXT_FIELDS = {"legal_name": 255, "street": 255, "postal_code": 32, "city": 128}
# The statuses whose documents name the partner's tax number or VAT id (see the rules above).
TAX_ID_STATUSES = (TaxStatus.REGULAR, TaxStatus.SMALL_BUSINESS, TaxStatus.NON_EU)


@dataclass(frozen=True)
class ProfileInput:
    """The fields of a profile version as given (uncleaned)."""

    legal_name: str
    street: str
    postal_code: str
    city: str
    country: str
    tax_status: str
    tax_number: str = ""
    vat_id: str = ""


def _required_text(value: str, name: str, limit: int) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise DomainError(NetworkErrorCode.REQUIRED, _("The tax profile needs %(field)s.") % {"field": _field_name(name)}, field=name)
    if len(value) > limit:
        raise DomainError(NetworkErrorCode.INVALID, _("At most %(limit)d characters.") % {"limit": limit}, field=name)
    return value


def _field_name(name: str) -> str:
    return {
        "legal_name": _("the legal name"),
        "street": _("the street"),
        "postal_code": _("the postal code"),
        "city": _("the city"),
        "country": _("the country"),
    }[name]


def clean_profile(data: ProfileInput) -> dict[str, str]:
    """The cleaned fields of a version, or a `DomainError` naming the first wrong field."""
    cleaned = {name: _required_text(getattr(data, name), name, limit) for name, limit in TEXT_FIELDS.items()}
    country = clean_country(data.country)
    if not country:
        raise DomainError(NetworkErrorCode.REQUIRED, _("The tax profile needs %(field)s.") % {"field": _field_name("country")}, field="country")
    status = clean_tax_status(data.tax_status)
    cleaned.update(
        country=country,
        tax_status=status,
        tax_number=clean_tax_number(data.tax_number, country),
        vat_id=clean_vat_id(data.vat_id, country),
    )
    missing = missing_tax_id(status, cleaned["tax_number"], cleaned["vat_id"])
    if missing == "vat_id":
        raise vat_id_required()
    if status == TaxStatus.REVERSE_CHARGE and (country == HOME_COUNTRY or country not in EU_COUNTRIES):
        raise DomainError(
            NetworkErrorCode.TAX_STATUS_COUNTRY,
            _("Reverse charge is for partners in another EU member state."),
            field="tax_status",
        )
    if status == TaxStatus.NON_EU and (country in EU_COUNTRIES):
        raise DomainError(NetworkErrorCode.TAX_STATUS_COUNTRY, _("The partner's address is in the EU."), field="tax_status")
    if missing:
        raise DomainError(
            NetworkErrorCode.TAX_ID_REQUIRED,
            _("A credit note names the partner's tax number or VAT id: give one of them."),
            field="tax_number",
        )
    return cleaned


def missing_tax_id(tax_status: str, tax_number: str, vat_id: str) -> str:
    """Which id a document of `tax_status` must name and these lack (see the module's
    rules): "vat_id", "tax_number" (a tax number or a VAT id), or "" when nothing is missing.
    Checked when a profile is saved and again when a credit note is issued from it."""
    if tax_status == TaxStatus.REVERSE_CHARGE and not vat_id:
        return "vat_id"
    if tax_status in TAX_ID_STATUSES and not (tax_number or vat_id):
        return "tax_number"
    return ""


def missing_profile_fields(profile: TaxProfile) -> list[str]:
    """What a stored version lacks of everything its documents need (the legal name, the
    full address and the ids of its tax status), as field names. Versions saved through
    `set_tax_profile` lack nothing; older or imported rows may."""
    missing = [name for name in TEXT_FIELDS if not (getattr(profile, name) or "").strip()]
    if not profile.country:
        missing.append("country")
    tax_id = missing_tax_id(profile.tax_status, profile.tax_number, profile.vat_id)
    return missing + [tax_id] if tax_id else missing


def profile_is_complete(profile: TaxProfile) -> bool:
    """Whether a stored version names everything its documents need."""
    return not missing_profile_fields(profile)


def vat_id_required() -> DomainError:
    """Reverse charge within the EU names the partner's VAT id (EN 16931 BR-AE-02)."""
    return DomainError(NetworkErrorCode.VAT_ID_REQUIRED, _("Reverse charge needs the partner's VAT id."), field="vat_id")


def current_profile(partner: Partner) -> TaxProfile | None:
    """The newest version (whatever its `valid_from`)."""
    return TaxProfile.objects.filter(partner=partner).order_by("-id").first()


def set_tax_profile(
    partner: Partner,
    data: ProfileInput,
    *,
    changed_by: str,
    by_partner: bool,
    valid_from: datetime.date | None = None,
    reason: str = "",
) -> TaxProfile:
    """Add a version of the partner's tax profile (see the module's rules). `by_partner`:
    the partner changes its own profile (refused when locked; valid from today)."""
    changed_by = clean_actor(changed_by)
    today = timezone.localdate()
    if by_partner and valid_from not in (None, today):
        raise DomainError(NetworkErrorCode.INVALID, _("Your changes are valid from today."), field="valid_from")
    with transaction.atomic():
        node = Partner.objects.select_for_update().get(pk=partner.pk)
        if by_partner and node.tax_profile_locked_at is not None:
            raise DomainError(
                NetworkErrorCode.TAX_PROFILE_LOCKED,
                _("Your tax profile has been checked and locked by the company: ask it to change it."),
                field="tax_profile",
            )
        cleaned = clean_profile(data)
        profile = TaxProfile.objects.create(
            installation_id=node.installation_id,
            partner=node,
            valid_from=valid_from or today,
            changed_by=changed_by,
            reason=(reason or "").strip(),
            **cleaned,
        )
        node.tax_status, node.vat_id = cleaned["tax_status"], cleaned["vat_id"]
        node.save(update_fields=["tax_status", "vat_id", "updated_at"])
    partner.tax_status, partner.vat_id = node.tax_status, node.vat_id
    return profile


def follow_partner_details(partner: Partner, changed_by: str, reason: str) -> TaxProfile | None:
    """After the merchant changed `Partner.tax_status` or `vat_id` (`update_partner`): a
    new version of the profile with them, when the partner has one (checked as a whole)."""
    latest = current_profile(partner)
    if latest is None:
        return None
    data = ProfileInput(
        legal_name=latest.legal_name,
        street=latest.street,
        postal_code=latest.postal_code,
        city=latest.city,
        country=latest.country.code,
        tax_number=latest.tax_number,
        vat_id=partner.vat_id,
        tax_status=partner.tax_status,
    )
    return TaxProfile.objects.create(
        installation_id=partner.installation_id,
        partner=partner,
        valid_from=timezone.localdate(),
        changed_by=changed_by,
        reason=reason,
        **clean_profile(data),
    )


def lock_tax_profile(partner: Partner, *, locked: bool, changed_by: str, reason: str = "") -> Partner:
    """The merchant locks the partner's profile after checking it (or unlocks it)."""
    changed_by = clean_actor(changed_by)
    with transaction.atomic():
        node = Partner.objects.select_for_update().get(pk=partner.pk)
        if locked and current_profile(node) is None:
            raise DomainError(NetworkErrorCode.REQUIRED, _("The partner has no tax profile to lock yet."), field="tax_profile")
        was = node.tax_profile_locked_at is not None
        if was != locked:
            node.tax_profile_locked_at = timezone.now() if locked else None
            node.tax_profile_locked_by = changed_by if locked else ""
            node.save(update_fields=["tax_profile_locked_at", "tax_profile_locked_by", "updated_at"])
            NetworkChange.objects.create(
                installation_id=node.installation_id,
                kind=ChangeKind.TAX_PROFILE,
                partner=node,
                old_value={"locked": was},
                new_value={"locked": locked},
                changed_by=changed_by,
                reason=(reason or "").strip(),
            )
    partner.tax_profile_locked_at, partner.tax_profile_locked_by = node.tax_profile_locked_at, node.tax_profile_locked_by
    return partner
