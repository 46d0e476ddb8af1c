"""Registration mutations' errors: `RegistrationError { field, code: RegistrationErrorCode!, message }`.

Registering runs the network's rules of enrollment and the tax profile's: their codes
(UNKNOWN_SPONSOR, ALREADY_PARTNER, VAT_ID_REQUIRED ...) are in the enum too."""

from saleor_mlm.network.error_codes import NetworkErrorCode
from saleor_mlm.registration.error_codes import RegistrationErrorCode as RegistrationDomainErrorCode

from ..core.errors import error_code_enum, error_type

RegistrationErrorCode = error_code_enum(
    "RegistrationErrorCode",
    RegistrationDomainErrorCode,
    NetworkErrorCode,
    description="Why a registration mutation refused its input or the change it asked for.",
)
RegistrationError = error_type("RegistrationError", RegistrationErrorCode, "TERMS_NOT_ACCEPTED, UNKNOWN_SPONSOR, ALREADY_PARTNER")
