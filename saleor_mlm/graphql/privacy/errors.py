"""The privacy mutations' errors: `PrivacyError { field, code: PrivacyErrorCode!, message }`."""

from saleor_mlm.privacy.error_codes import PrivacyErrorCode as PrivacyDomainErrorCode

from ..core.errors import error_code_enum, error_type

PrivacyErrorCode = error_code_enum(
    "PrivacyErrorCode", PrivacyDomainErrorCode, description="Why a privacy mutation refused its input or the change it asked for."
)
PrivacyError = error_type("PrivacyError", PrivacyErrorCode, "PARTNER_NOT_TERMINATED, ALREADY_ERASED, NOT_FOUND")
