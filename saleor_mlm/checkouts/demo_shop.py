"""The demo installation's shop: the demo catalogue, where no Saleor is there to ask.

The demo's fake Saleor (installations/demo.py) signs its partners' tokens; here it also has a
shop: the products its demo orders were bought from (installations/demo_catalog.py), a channel
in euro that ships to Germany, Austria and Switzerland, and checkouts that exist only as the
answer (an id shaped like Saleor's, the partner's voucher code taken as given). The payment
link leads to the storefront's address like a real one; nobody pays there in the demo.
"""

from __future__ import annotations

import base64
import uuid
from decimal import Decimal

from django.utils.translation import gettext as _

from saleor_mlm.core.errors import DomainError
from saleor_mlm.installations.demo_catalog import PRODUCTS

from .error_codes import CheckoutErrorCode
from .shop import CheckoutRequest, MadeCheckout, Product, Variant

COUNTRIES = ("DE", "AT", "CH")
CURRENCY = "EUR"


def _variant(item) -> Variant:
    return Variant(item.variant_id, "", item.sku, item.net_eur, CURRENCY)


class DemoShop:
    def products(self, channel: str, search: str, first: int) -> list[Product]:
        needle = (search or "").strip().casefold()
        found = [
            Product(item.product_id, item.name, (_variant(item),))
            for item in sorted(PRODUCTS, key=lambda item: item.name)
            if not needle or needle in item.name.casefold() or needle in item.sku.casefold()
        ]
        return found[:first]

    def country_codes(self, channel: str) -> list[str]:
        return list(COUNTRIES)

    def create_checkout(self, request: CheckoutRequest) -> MadeCheckout:
        prices = {item.variant_id: item.net_eur for item in PRODUCTS}
        if any(variant_id not in prices for variant_id, _quantity in request.lines):
            raise DomainError(CheckoutErrorCode.NOT_AVAILABLE, _("The shop does not sell this product now."), field="lines")
        total = sum((prices[variant_id] * quantity for variant_id, quantity in request.lines), Decimal(0))
        token = str(uuid.uuid4())
        checkout_id = base64.b64encode(f"Checkout:{token}".encode()).decode()
        return MadeCheckout(checkout_id, token, total, CURRENCY, request.voucher_code, dict(request.metadata))
