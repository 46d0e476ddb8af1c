"""A partner's checkout for a customer, the catalogue and countries it is made from, and the
merchant's settings (docs/office.md, "Orders for a customer")."""

from __future__ import annotations

import string
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries import countries

from saleor_mlm.core.errors import DomainError
from saleor_mlm.installations.models import Installation
from saleor_mlm.ledger.attention import referral_key
from saleor_mlm.network import PartnerStatus
from saleor_mlm.network.models import Partner
from saleor_mlm.network.validators import clean_country, clean_email

from .demo_shop import DemoShop
from .error_codes import CheckoutErrorCode
from .models import CheckoutSettings
from .shop import CheckoutRequest, MadeCheckout, Product, SaleorShop, Shop

MAX_LINES = 50
MAX_QUANTITY = 999
MAX_PRODUCTS = 50
PLACEHOLDERS = ("storefront", "id", "token", "channel")
# The address the form asks for: (field, Saleor's AddressInput field, required).
ADDRESS = (
    ("first_name", "firstName", True),
    ("last_name", "lastName", True),
    ("company_name", "companyName", False),
    ("street_address_1", "streetAddress1", True),
    ("street_address_2", "streetAddress2", False),
    ("postal_code", "postalCode", True),
    ("city", "city", True),
    ("country_area", "countryArea", False),
    ("country", "country", True),
    ("phone", "phone", False),
)


@dataclass(frozen=True)
class CustomerCheckout:
    """A checkout made for a customer and where the customer pays it."""

    checkout: MadeCheckout
    email: str
    payment_url: str
    referral_code: str


def checkout_settings(installation: Installation) -> CheckoutSettings:
    """The installation's settings as stored, or the defaults (not stored until changed)."""
    return CheckoutSettings.objects.filter(installation=installation).first() or CheckoutSettings(installation=installation)


def shop_for(installation: Installation) -> Shop:
    """The demo installation's fake Saleor has the demo catalogue; every other installation its Saleor."""
    return DemoShop() if installation.is_demo else SaleorShop(installation.saleor_api_url)


def catalogue(installation: Installation, search: str = "", first: int = 20) -> list[Product]:
    """Products of the checkout channel a visitor of the shop can buy, by name or SKU."""
    first = max(1, min(int(first or 20), MAX_PRODUCTS))
    return shop_for(installation).products(checkout_settings(installation).channel, (search or "").strip()[:100], first)


def shop_countries(installation: Installation) -> list[tuple[str, str]]:
    """(code, name) of the countries the channel ships to, named in the request's language
    (django-countries); every country when Saleor names none."""
    codes = shop_for(installation).country_codes(checkout_settings(installation).channel)
    named = [(code, str(countries.name(code))) for code in codes if code in countries]
    return sorted(named, key=lambda item: _collation_key(item[1])) if named else [(code, str(name)) for code, name in countries]


def _collation_key(name: str) -> str:
    """Österreich beside Oman, not after Zypern: letters without their accents."""
    return "".join(char for char in unicodedata.normalize("NFKD", name) if not unicodedata.combining(char)).casefold()


def _placeholders(template: str) -> list[str]:
    try:
        return [name for _text, name, _spec, _conversion in string.Formatter().parse(template) if name is not None]
    except ValueError:
        return ["{"]


def clean_payment_url(template: str) -> str:
    """A payment URL pattern: placeholders of PLACEHOLDERS only, the checkout's id or token among
    them, an http(s) address once filled in."""
    template = (template or "").strip()
    names = _placeholders(template)
    filled = template.format(**dict.fromkeys(PLACEHOLDERS, "https://x")) if set(names) <= set(PLACEHOLDERS) else ""
    if not ({"id", "token"} & set(names)) or not set(names) <= set(PLACEHOLDERS) or urlsplit(filled).scheme not in ("http", "https"):
        raise DomainError(
            CheckoutErrorCode.INVALID,
            _("A web address with {id} or {token} for the checkout; {storefront} stands for the storefront's address, {channel} for the channel."),
            field="payment_url",
        )
    return template


def payment_url(checkout_settings_row: CheckoutSettings, checkout_id: str, token: str) -> str:
    """Where the customer pays the checkout; refused when the pattern needs a storefront
    address and none is set (STOREFRONT_URL)."""
    storefront = (getattr(settings, "STOREFRONT_URL", "") or "").rstrip("/")
    template = checkout_settings_row.payment_url
    if "storefront" in _placeholders(template) and not storefront:
        raise DomainError(
            CheckoutErrorCode.NO_PAYMENT_URL,
            _("The shop has not set its storefront's address, so there is no page to pay on yet. Ask the company."),
        )
    values = {"id": checkout_id, "token": token, "channel": checkout_settings_row.channel}
    return template.format(storefront=storefront, **{name: quote(value, safe="") for name, value in values.items()})


def set_checkout_settings(installation: Installation, *, channel: str | None = None, payment_url: str | None = None) -> CheckoutSettings:
    row, _created = CheckoutSettings.objects.select_for_update().get_or_create(installation=installation)
    if channel is not None:
        channel = channel.strip()
        if not channel:
            raise DomainError(CheckoutErrorCode.REQUIRED, _("The channel's slug is required."), field="channel")
        row.channel = channel
    if payment_url is not None:
        row.payment_url = clean_payment_url(payment_url)
    row.save()
    return row


def _clean_address(values: dict[str, str]) -> dict[str, str]:
    """The address in Saleor's fields; every missing required field named at once."""
    missing = [name for name, _saleor, required in ADDRESS if required and not (values.get(name) or "").strip()]
    if missing:
        raise ValidationError({name: [ValidationError(_("This field is required."), code=CheckoutErrorCode.REQUIRED)] for name in missing})
    address = {saleor: (values.get(name) or "").strip() for name, saleor, _required in ADDRESS}
    address["country"] = _in_checkout_errors(lambda: clean_country(address["country"]))
    return address


def _in_checkout_errors(clean):
    """A network validator's refusal as a checkout error (same field, same message)."""
    try:
        return clean()
    except DomainError as error:
        raise DomainError(CheckoutErrorCode.INVALID, error.message, field=error.field) from None


def _clean_lines(lines: list[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    """One line per variant (quantities of a variant chosen twice added up)."""
    if not lines:
        raise DomainError(CheckoutErrorCode.REQUIRED, _("Choose at least one product."), field="lines")
    merged: dict[str, int] = {}
    for variant_id, quantity in lines:
        if not (variant_id or "").strip() or not 1 <= int(quantity) <= MAX_QUANTITY:
            raise DomainError(CheckoutErrorCode.INVALID, _("A quantity from 1 to %(max)d of a product.") % {"max": MAX_QUANTITY}, field="lines")
        merged[variant_id.strip()] = merged.get(variant_id.strip(), 0) + int(quantity)
    if len(merged) > MAX_LINES or any(quantity > MAX_QUANTITY for quantity in merged.values()):
        raise DomainError(CheckoutErrorCode.INVALID, _("At most %(max)d products in one order.") % {"max": MAX_LINES}, field="lines")
    return tuple(merged.items())


def create_customer_checkout(partner: Partner, *, email: str, address: dict[str, str], lines: list[tuple[str, int]]) -> CustomerCheckout:
    """A checkout of `partner`'s shop for the customer at `email`, attributed to `partner`: its
    referral code in the checkout's metadata, its voucher code applied where Saleor accepts it."""
    if partner.status == PartnerStatus.TERMINATED:
        raise DomainError(CheckoutErrorCode.PARTNER_TERMINATED, _("Your partnership has ended: orders can no longer be credited to you."))
    problems: dict[str, list[ValidationError]] = {}
    cleaned: dict = {}
    for name, clean in (
        ("email", lambda: _in_checkout_errors(lambda: clean_email(email))),
        ("address", lambda: _clean_address(address)),
        ("lines", lambda: _clean_lines(lines)),
    ):
        try:
            cleaned[name] = clean()
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                problems.setdefault(field, []).extend(errors)
    if problems:
        raise ValidationError(problems)
    installation = partner.installation
    row = checkout_settings(installation)
    payment_url(row, "", "")  # refused before a checkout is made when there is no page to pay on
    request = CheckoutRequest(
        channel=row.channel,
        email=cleaned["email"],
        address=cleaned["address"],
        lines=cleaned["lines"],
        language_code=(get_language() or "en").split("-")[0].upper(),
        metadata={referral_key(installation.pk): partner.referral_code},
        voucher_code=partner.voucher_code,
    )
    made = shop_for(installation).create_checkout(request)
    return CustomerCheckout(made, cleaned["email"], payment_url(row, made.id, made.token), partner.referral_code)
