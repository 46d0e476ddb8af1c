"""The payouts mutations' errors: `PayoutError { field, code: PayoutErrorCode!, message }`."""

from saleor_mlm.payouts.error_codes import PayoutErrorCode as PayoutDomainErrorCode

from ..core.errors import error_code_enum, error_type

PayoutErrorCode = error_code_enum(
    "PayoutErrorCode", PayoutDomainErrorCode, description="Why a payout mutation refused its input or the change it asked for."
)
PayoutError = error_type("PayoutError", PayoutErrorCode, "INVALID_IBAN, SAME_USER, CURRENCY_NOT_EUR")
