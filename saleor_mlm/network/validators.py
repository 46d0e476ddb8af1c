"""Checks of single values of partners and customers: one function per field.

Each returns the cleaned value or raises a `DomainError` (code INVALID) naming its
field. The actions check a partner's details with them as a whole
(`actions.partners._clean_details`); an import checks every cell of a file with the same
functions, so that a value is refused for the same reason both ways.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django_countries import countries
from stdnum import get_cc_module
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError as NumberError

from saleor_mlm.core.errors import DomainError

from . import PartnerStatus, TaxStatus
from .error_codes import NetworkErrorCode

LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")
CURRENCY_PATTERN = re.compile(r"^[A-Z]{3}$")
VAT_ID_PATTERN = re.compile(r"^[A-Z]{2}[A-Z0-9+*]{2,13}$")
TAX_NUMBER_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9 /.-]{2,31}$")
# The member states of the EU (python-stdnum's list of VAT areas without Northern Ireland).
EU_COUNTRIES = frozenset(code.upper() for code in eu_vat.MEMBER_STATES) - {"XI"}
_EU_VAT_PREFIXES = {code.upper() for code in eu_vat.MEMBER_STATES} | {"EL"}  # Greece's VAT ids start with EL
TAX_STATUSES = {value for value, _label in TaxStatus.CHOICES}
STATUSES = {value for value, _label in PartnerStatus.CHOICES}
NAME_LENGTH = 150  # first_name, last_name: longer names are cut, as Saleor's are


def clean_email(email: str) -> str:
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(NetworkErrorCode.INVALID, _("'%(email)s' is not an e-mail address.") % {"email": email}, field="email") from None
    return email


# The plain addresses `validate_email` accepts for certain: its own user part (dot-atom)
# and its domain pattern without the non-ASCII ranges, at most 320 characters, nothing
# around them. One scan over a million addresses finds the few lines that are not of
# this form; only those go through `clean_email` (whose verdict is the rule).
_PLAIN_EMAIL = (
    r"(?!.{321})[-!#$%&'*+/=?^_`{}|~0-9a-z]+(?:\.[-!#$%&'*+/=?^_`{}|~0-9a-z]+)*"
    r"@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.(?!-)[a-z0-9-]{1,63}(?<!-))*\.(?!-)(?:[a-z-]{2,63}|xn--[a-z0-9]{1,59})(?<!-)"
)
_NOT_PLAIN_EMAIL_LINE = re.compile(rf"^(?!{_PLAIN_EMAIL}$).*$", re.IGNORECASE | re.MULTILINE)


def emails_to_clean(texts: list[str]) -> list[int]:
    """Indexes of the values that may not be plain e-mail addresses: run `clean_email`
    on these; every other value is an address that `clean_email` returns unchanged."""
    joined = "\n".join(texts)
    if joined.count("\n") != len(texts) - 1:  # a value with a line break: one by one
        return list(range(len(texts)))
    found, line, position = [], 0, 0
    for match in _NOT_PLAIN_EMAIL_LINE.finditer(joined):
        line += joined.count("\n", position, match.start())
        position = match.start()
        found.append(line)
    return found


def clean_country(country: str) -> str:
    """An ISO 3166 code as django-countries knows it (upper case), or ""."""
    country = (country or "").strip().upper()
    if country and country not in countries:
        raise DomainError(NetworkErrorCode.INVALID, _("'%(country)s' is not an ISO 3166 country code.") % {"country": country}, field="country")
    return country


def clean_language(language: str) -> str:
    language = (language or "").strip().lower().replace("_", "-")
    if not LANGUAGE_PATTERN.match(language):
        raise DomainError(NetworkErrorCode.INVALID, _("'%(language)s' is not a language code such as 'de'.") % {"language": language}, field="language")
    return language


def clean_payout_currency(payout_currency: str) -> str:
    payout_currency = (payout_currency or "").strip().upper()
    if not CURRENCY_PATTERN.match(payout_currency):
        raise DomainError(
            NetworkErrorCode.INVALID, _("'%(currency)s' is not a currency code such as 'EUR'.") % {"currency": payout_currency}, field="payout_currency"
        )
    return payout_currency


def clean_tax_status(tax_status: str) -> str:
    if tax_status not in TAX_STATUSES:
        raise DomainError(NetworkErrorCode.INVALID, _("'%(tax_status)s' is not a tax status.") % {"tax_status": tax_status}, field="tax_status")
    return tax_status


def clean_vat_id(vat_id: str, country: str = "") -> str:
    """A VAT id in its compact form, checked with its country's check digits (python-stdnum):
    an EU VAT id by its prefix (DE136695976, ATU13585627), another country's with that
    country's rules where python-stdnum knows them, else by its shape."""
    text = re.sub(r"[\s.-]", "", vat_id or "").upper()
    if not text:
        return ""
    module = eu_vat if text[:2] in _EU_VAT_PREFIXES else get_cc_module((country or text[:2]).lower(), "vat")
    try:
        if module is not None:
            return module.validate(text).upper()
    except NumberError:
        pass
    else:
        if VAT_ID_PATTERN.match(text):
            return text
    raise DomainError(
        NetworkErrorCode.INVALID, _("'%(vat_id)s' is not a valid VAT id.") % {"vat_id": text}, field="vat_id"
    )


def clean_tax_number(tax_number: str, country: str) -> str:
    """A tax number (Steuernummer, or the country's TIN) as entered, checked with the
    country's rules where python-stdnum knows them (Germany: `de.stnr`), else by its shape."""
    text = " ".join((tax_number or "").split()).upper()
    if not text:
        return ""
    country = (country or "").lower()
    module = get_cc_module(country, "stnr" if country == "de" else "tin") if country else None
    try:
        valid = module.is_valid(text) if module is not None else bool(TAX_NUMBER_PATTERN.match(text))
    except NumberError:
        valid = False
    if not valid:
        raise DomainError(
            NetworkErrorCode.INVALID, _("'%(tax_number)s' is not a valid tax number.") % {"tax_number": text}, field="tax_number"
        )
    return text


def clean_status(status: str) -> str:
    if status not in STATUSES:
        raise DomainError(NetworkErrorCode.INVALID, _("'%(status)s' is not a partner status.") % {"status": status}, field="status")
    return status


def clean_name(name: str) -> str:
    return (name or "").strip()[:NAME_LENGTH]
