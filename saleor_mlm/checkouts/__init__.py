"""Orders for customers: checkouts partners make in the office (docs/office.md, "Orders for a customer").

A partner picks products from the shop's public catalogue, enters the customer's e-mail and
address, and the app makes a checkout of the shop exactly as a storefront makes one for a
visitor who came by the partner's referral link: `checkoutCreate` (e-mail, lines, addresses),
the partner's referral code in the checkout's metadata under the key the ledger reads
(`VolumeSettings.referral_metadata_key`) and its voucher code applied (`checkoutAddPromoCode`).
Saleor carries both over to the order; when the customer has paid, the paid-order path credits
it by the usual rules (docs/ledger.md, "Attribution"). The customer pays on the storefront's
checkout page (`CheckoutSettings.payment_url`).

The code is always the signed-in partner's own: nothing a partner sends names a code or a
partner. The app calls Saleor's public API without any token, as a visitor of the shop does, so
the checkout belongs to no shop account (not the partner's: its order would be the partner's
own) and the catalogue is what a visitor sees. The demo installation has no Saleor: its shop is
the demo catalogue (`demo_shop.py`).
"""
