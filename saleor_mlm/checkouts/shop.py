"""The shop a partner's checkout is made in: Saleor's public API, called as a storefront calls it.

Every call goes without a token, like a visitor's: the catalogue is what a visitor of the channel
sees (never an unpublished product, which the app's token might show), and the checkout belongs to
no shop account. The documents are checked against Saleor 3.20's and 3.24's schemas
(tests/checkouts/test_saleor_documents.py).

Saleor details this relies on (saleor/saleor, graphql/checkout/ and graphql/meta/):

- `checkoutCreate` takes the channel's slug, the e-mail, lines and both addresses; an address it
  cannot accept for its country comes back as an error with the address field (`postalCode`)
  and `addressType`; a line it cannot sell with `field: "lines"` (or `quantity`) and the
  variants' ids.
- `updateMetadata` on a checkout needs no permission (public metadata of checkouts is
  writable by anyone who has its id), and Saleor copies the checkout's metadata to the order.
- `checkoutAddPromoCode(id, promoCode)` applies a voucher code; a code that does not apply in
  the channel comes back as an error on `promoCode`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from django.utils.translation import gettext as _

from saleor_mlm.core.currency import to_decimal
from saleor_mlm.core.errors import DomainError
from saleor_mlm.installations.saleor_client import SaleorClient, SaleorError, SaleorGraphQLError

from .error_codes import CheckoutErrorCode

PRODUCTS = """
query MlmOfficeProducts($channel: String!, $search: String, $first: Int!) {
  products(channel: $channel, search: $search, first: $first, sortBy: {field: NAME, direction: ASC}) {
    edges { node {
      id name isAvailableForPurchase
      variants { id name sku pricing { price { gross { amount currency } } } }
    } }
  }
}
"""

COUNTRIES = """
query MlmOfficeCountries($channel: String!) {
  channel(slug: $channel) { countries { code } }
}
"""

CHECKOUT_CREATE = """
mutation MlmCustomerCheckoutCreate($input: CheckoutCreateInput!) {
  checkoutCreate(input: $input) {
    checkout { id token totalPrice { gross { amount currency } } }
    errors { field code message addressType variants }
  }
}
"""

CHECKOUT_METADATA = """
mutation MlmCustomerCheckoutMetadata($id: ID!, $input: [MetadataInput!]!) {
  updateMetadata(id: $id, input: $input) { errors { field code message } }
}
"""

CHECKOUT_PROMO_CODE = """
mutation MlmCustomerCheckoutPromoCode($id: ID!, $promoCode: String!) {
  checkoutAddPromoCode(id: $id, promoCode: $promoCode) {
    checkout { id voucherCode totalPrice { gross { amount currency } } }
    errors { field code message }
  }
}
"""

# Saleor's address fields (AddressInput) and the input fields of the office's form.
ADDRESS_FIELDS = {
    "firstName": "first_name",
    "lastName": "last_name",
    "companyName": "company_name",
    "streetAddress1": "street_address_1",
    "streetAddress2": "street_address_2",
    "postalCode": "postal_code",
    "city": "city",
    "countryArea": "country_area",
    "country": "country",
    "phone": "phone",
}
# Codes of Saleor's CheckoutErrorCode that mean: not this product, or not that many, now.
UNAVAILABLE_CODES = {
    "INSUFFICIENT_STOCK",
    "PRODUCT_NOT_PUBLISHED",
    "PRODUCT_UNAVAILABLE_FOR_PURCHASE",
    "UNAVAILABLE_VARIANT_IN_CHANNEL",
    "QUANTITY_GREATER_THAN_LIMIT",
    "NOT_FOUND",
}


@dataclass(frozen=True)
class Variant:
    id: str
    name: str
    sku: str
    price: Decimal  # gross, for one, in `currency`
    currency: str


@dataclass(frozen=True)
class Product:
    id: str
    name: str
    variants: tuple[Variant, ...]


@dataclass(frozen=True)
class CheckoutRequest:
    """A checkout to make: `address` in Saleor's AddressInput fields, `lines` (variant id, quantity)."""

    channel: str
    email: str
    address: dict[str, str]
    lines: tuple[tuple[str, int], ...]
    language_code: str
    metadata: dict[str, str]
    voucher_code: str = ""


@dataclass(frozen=True)
class MadeCheckout:
    id: str
    token: str
    total: Decimal
    currency: str
    voucher_code: str = ""  # the voucher code the checkout carries; "" when Saleor did not apply it
    metadata: dict[str, str] = field(default_factory=dict)


class Shop(Protocol):
    """What the office's checkouts need of a shop: Saleor's (below) or the demo's (demo_shop.py)."""

    def products(self, channel: str, search: str, first: int) -> list[Product]: ...

    def country_codes(self, channel: str) -> list[str]: ...

    def create_checkout(self, request: CheckoutRequest) -> MadeCheckout: ...


def _money(money: dict | None) -> tuple[Decimal, str]:
    """Saleor's Money (`amount` a JSON float) as an exact amount of its currency."""
    if not money:
        return Decimal(0), ""
    return to_decimal(money["amount"], str(money["currency"])), str(money["currency"])


def refusal(errors: list[dict]) -> DomainError:
    """Saleor's checkout errors as one refusal at the form's field (the first error decides;
    Saleor reports a wrong address field by field, so the partner corrects them in turn)."""
    error = errors[0]
    saleor_field = error.get("field") or ""
    code = str(error.get("code") or "")
    if saleor_field in ADDRESS_FIELDS:
        message = _("The shop needs this field for an address in this country.") if code == "REQUIRED" else _(
            "The shop does not accept this for an address in this country."
        )
        invalid = CheckoutErrorCode.REQUIRED if code == "REQUIRED" else CheckoutErrorCode.INVALID
        return DomainError(invalid, message, field=ADDRESS_FIELDS[saleor_field])
    if saleor_field == "email":
        return DomainError(CheckoutErrorCode.INVALID, _("The shop does not accept this e-mail address."), field="email")
    if code in UNAVAILABLE_CODES or saleor_field in ("lines", "quantity", "variantId"):
        message = _("Not that many in stock.") if code in ("INSUFFICIENT_STOCK", "QUANTITY_GREATER_THAN_LIMIT") else _(
            "The shop does not sell this product now."
        )
        return DomainError(CheckoutErrorCode.NOT_AVAILABLE, message, field="lines")
    return DomainError(
        CheckoutErrorCode.SHOP_REFUSED, _("The shop refused the checkout: %(message)s") % {"message": error.get("message") or code}
    )


def unreachable(error: SaleorError) -> DomainError:
    if isinstance(error, SaleorGraphQLError):
        return DomainError(CheckoutErrorCode.SHOP_REFUSED, _("The shop refused the request: %(message)s") % {"message": str(error)})
    return DomainError(CheckoutErrorCode.SHOP_UNAVAILABLE, _("The shop cannot be reached just now. Try again in a moment."))


class SaleorShop:
    """The installation's Saleor, called without a token, like a visitor's browser."""

    def __init__(self, api_url: str, client: SaleorClient | None = None):
        self.client = client or SaleorClient(api_url, token=None)

    def _call(self, document: str, variables: dict) -> dict:
        try:
            return self.client.execute(document, variables)
        except SaleorError as error:
            raise unreachable(error) from error

    def products(self, channel: str, search: str, first: int) -> list[Product]:
        data = self._call(PRODUCTS, {"channel": channel, "search": search or None, "first": first})
        found = []
        for edge in (data.get("products") or {}).get("edges") or []:
            node = edge["node"]
            if node.get("isAvailableForPurchase") is False:
                continue
            variants = []
            for variant in node.get("variants") or []:
                price = ((variant.get("pricing") or {}).get("price") or {}).get("gross")
                if not price:  # not priced in this channel: not for sale here
                    continue
                amount, currency = _money(price)
                variants.append(Variant(variant["id"], variant.get("name") or "", variant.get("sku") or "", amount, currency))
            if variants:
                found.append(Product(node["id"], node["name"], tuple(variants)))
        return found

    def country_codes(self, channel: str) -> list[str]:
        data = self._call(COUNTRIES, {"channel": channel})
        return [country["code"] for country in ((data.get("channel") or {}).get("countries") or [])]

    def create_checkout(self, request: CheckoutRequest) -> MadeCheckout:
        address = {key: value for key, value in request.address.items() if value}
        created = self._call(
            CHECKOUT_CREATE,
            {
                "input": {
                    "channel": request.channel,
                    "email": request.email,
                    "lines": [{"variantId": variant_id, "quantity": quantity} for variant_id, quantity in request.lines],
                    "shippingAddress": address,
                    "billingAddress": address,
                    "languageCode": request.language_code,
                }
            },
        )["checkoutCreate"]
        if created.get("errors"):
            raise refusal(created["errors"])
        checkout = created["checkout"]
        # The referral code first: it attributes the order even when the voucher does not apply.
        written = self._call(CHECKOUT_METADATA, {"id": checkout["id"], "input": [{"key": k, "value": v} for k, v in request.metadata.items()]})
        if written["updateMetadata"].get("errors"):
            raise refusal(written["updateMetadata"]["errors"])
        total, currency = _money(checkout["totalPrice"]["gross"])
        voucher_code = ""
        if request.voucher_code:
            applied = self._call(CHECKOUT_PROMO_CODE, {"id": checkout["id"], "promoCode": request.voucher_code})["checkoutAddPromoCode"]
            if not applied.get("errors") and applied.get("checkout"):
                voucher_code = applied["checkout"].get("voucherCode") or ""
                total, currency = _money(applied["checkout"]["totalPrice"]["gross"])
        return MadeCheckout(checkout["id"], checkout["token"], total, currency, voucher_code, dict(request.metadata))
