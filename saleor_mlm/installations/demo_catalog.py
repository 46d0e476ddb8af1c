"""The demo shop's products: wellness and cosmetics with PV and BV in product metadata
(`mlm.pv`, `mlm.bv` per unit, docs/ledger.md), prices in EUR and CHF.

The catalogue of the demo installation's fake Saleor (demo.py): the demo's orders are bought
from it (saleor_mlm/demo/orders.py), and the office's orders for customers pick from it in the
demo (saleor_mlm/checkouts/demo_shop.py)."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    net_eur: Decimal
    pv: Decimal
    bv: Decimal
    number: int

    @property
    def product_id(self) -> str:
        return base64.b64encode(f"Product:{self.number}".encode()).decode()

    @property
    def variant_id(self) -> str:
        return base64.b64encode(f"ProductVariant:{self.number}".encode()).decode()

    def net(self, currency: str) -> Decimal:
        # The Swiss channel's prices are a little higher; BV stays in EUR (metadata).
        return self.net_eur if currency == "EUR" else (self.net_eur * Decimal("1.06")).quantize(Decimal("0.05"))


def _product(number: int, sku: str, name: str, net: str, pv: str, bv: str) -> Product:
    return Product(sku, name, Decimal(net), Decimal(pv), Decimal(bv), number)


PRODUCTS = (
    _product(1, "ALOE-GEL-250", "Aloe Vera Gel 250 ml", "24.90", "20", "19.50"),
    _product(2, "ALOE-DRINK-1L", "Aloe Vera Trinkgel 1 l", "32.50", "28", "26.00"),
    _product(3, "VIT-D3K2", "Vitamin D3 + K2 Tropfen", "19.90", "15", "14.90"),
    _product(4, "OMEGA3-120", "Omega-3 Kapseln, 120 Stück", "29.90", "25", "23.90"),
    _product(5, "PROTEIN-VAN", "Proteinshake Vanille 500 g", "39.90", "35", "31.90"),
    _product(6, "PROTEIN-SCHOKO", "Proteinshake Schoko 500 g", "39.90", "35", "31.90"),
    _product(7, "TEE-KRAEUTER", "Kräutertee Abendruhe", "9.90", "7", "6.90"),
    _product(8, "SERUM-HYAL", "Hyaluron-Serum 30 ml", "49.00", "40", "38.50"),
    _product(9, "CREME-NACHT", "Nachtcreme Regeneration", "44.00", "36", "34.00"),
    _product(10, "DUSCH-MINZE", "Duschgel Minze 250 ml", "8.50", "6", "5.90"),
    _product(11, "ZAHN-PASTE", "Zahncreme Aloe & Salbei", "6.90", "5", "4.90"),
    _product(12, "STARTER-SET", "Starterpaket Wellness", "149.00", "120", "110.00"),
)
STARTER = PRODUCTS[-1]
