"""The checkout mutations' errors: `CustomerCheckoutError { field, code: CustomerCheckoutErrorCode!, message }`."""

from saleor_mlm.checkouts.error_codes import CheckoutErrorCode

from ..core.errors import error_code_enum, error_type

CustomerCheckoutErrorCode = error_code_enum(
    "CustomerCheckoutErrorCode", CheckoutErrorCode, description="Why a checkout for a customer, or the checkout settings, were refused."
)
CustomerCheckoutError = error_type("CustomerCheckoutError", CustomerCheckoutErrorCode, "REQUIRED, NOT_AVAILABLE, NO_PAYMENT_URL")
