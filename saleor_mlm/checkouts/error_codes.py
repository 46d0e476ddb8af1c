"""Why a checkout for a customer was refused (`core.errors.DomainError(CheckoutErrorCode.X, ...)`)."""

from enum import StrEnum


class CheckoutErrorCode(StrEnum):
    INVALID = "INVALID"  # a malformed value: e-mail, country, quantity, the payment URL's pattern
    REQUIRED = "REQUIRED"  # a field of the customer's address, or no product at all
    PARTNER_TERMINATED = "PARTNER_TERMINATED"  # a terminated partner's code attributes nothing (docs/ledger.md)
    NO_PAYMENT_URL = "NO_PAYMENT_URL"  # the payment URL needs the storefront's address, which is not set
    NOT_AVAILABLE = "NOT_AVAILABLE"  # the shop does not sell a product in the channel now, or not that many
    SHOP_REFUSED = "SHOP_REFUSED"  # Saleor refused the checkout for another reason (its message is kept)
    SHOP_UNAVAILABLE = "SHOP_UNAVAILABLE"  # Saleor could not be reached
    RATE_LIMITED = "RATE_LIMITED"  # too many checkouts in a short time
