"""The merchant's settings of credit notes: number series, retention, issuer, VAT rates.

A change applies to documents issued afterwards; issued ones keep what they copied.
The number series of a year that has documents already is not restarted: a new
`number_start` counts from the next year on (or for a year without documents yet).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from saleor_mlm.core.errors import DomainError
from saleor_mlm.network.validators import clean_country, clean_tax_number, clean_vat_id

from .error_codes import CreditNoteErrorCode
from .models import CreditNoteSettings, VatRate
from .numbers import credit_note_settings

PREFIX_PATTERN = re.compile(r"^[A-Za-z0-9/_-]{0,16}$")
TEXT_FIELDS = ("issuer_name", "issuer_street", "issuer_postal_code", "issuer_city", "issuer_email")
FIELDS = ("number_prefix", "number_start", "retention_years", *TEXT_FIELDS, "issuer_country", "issuer_tax_number", "issuer_vat_id", "logo_png")


def _invalid(field: str, message: str) -> DomainError:
    return DomainError(CreditNoteErrorCode.INVALID, message, field=field)


def update_settings(installation_id: int, **changes) -> CreditNoteSettings:
    unknown = sorted(set(changes) - set(FIELDS))
    if unknown:
        raise TypeError(f"update_settings() cannot change {', '.join(unknown)}")
    with transaction.atomic():
        settings = credit_note_settings(installation_id)
        settings = CreditNoteSettings.objects.select_for_update().get(pk=settings.pk)
        if "number_prefix" in changes:
            prefix = (changes["number_prefix"] or "").strip()
            if not PREFIX_PATTERN.match(prefix):
                raise _invalid("number_prefix", _("A prefix has at most 16 letters, digits, '/', '_' or '-'."))
            settings.number_prefix = prefix
        if "number_start" in changes:
            if not isinstance(changes["number_start"], int) or changes["number_start"] < 1:
                raise _invalid("number_start", _("Numbers start at 1 or above."))
            settings.number_start = changes["number_start"]
        if "retention_years" in changes:
            if not isinstance(changes["retention_years"], int) or not 8 <= changes["retention_years"] <= 30:
                raise _invalid("retention_years", _("Credit notes are kept for 8 to 30 years (§14b UStG: at least 8)."))
            settings.retention_years = changes["retention_years"]
        for name in TEXT_FIELDS:
            if name in changes:
                setattr(settings, name, " ".join((changes[name] or "").split()))
        if "issuer_country" in changes:
            settings.issuer_country = clean_country(changes["issuer_country"]) or "DE"
        country = settings.issuer_country.code if hasattr(settings.issuer_country, "code") else settings.issuer_country
        if "issuer_tax_number" in changes:
            settings.issuer_tax_number = clean_tax_number(changes["issuer_tax_number"], country)
        if "issuer_vat_id" in changes:
            settings.issuer_vat_id = clean_vat_id(changes["issuer_vat_id"], country)
        if "logo_png" in changes:
            logo = changes["logo_png"]
            if logo and not logo.startswith(b"\x89PNG\r\n\x1a\n"):
                raise _invalid("logo_png", _("The logo must be a PNG image."))
            settings.logo_png = logo or None
        settings.save()
    return settings


def set_vat_rate(installation_id: int, country: str, rate) -> VatRate | None:
    """The VAT rate (percent) for REGULAR partners of `country`; None removes it."""
    country = clean_country(country)
    if not country:
        raise _invalid("country", _("Give a country."))
    if rate is None:
        VatRate.objects.filter(installation_id=installation_id, country=country).delete()
        return None
    try:
        value = Decimal(str(rate))
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or not 0 <= value <= 100 or value != value.quantize(Decimal("0.01")):
        raise _invalid("rate", _("A rate is a percentage from 0 to 100 with at most two decimals."))
    vat_rate, _created = VatRate.objects.update_or_create(installation_id=installation_id, country=country, defaults={"rate": value})
    return vat_rate
