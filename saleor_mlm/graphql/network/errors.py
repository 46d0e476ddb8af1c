"""The network mutations' errors: `NetworkError { field, code: NetworkErrorCode!, message }`."""

from enum import StrEnum

from saleor_mlm.network.error_codes import NetworkErrorCode as NetworkDomainErrorCode

from ..core.errors import error_code_enum, error_type


class ReferralCodeErrorCode(StrEnum):
    RATE_LIMITED = "RATE_LIMITED"  # referralCodeValidate: too many checks from one client


NetworkErrorCode = error_code_enum(
    "NetworkErrorCode",
    NetworkDomainErrorCode,
    ReferralCodeErrorCode,
    description="Why a network mutation refused its input or the change it asked for.",
)
NetworkError = error_type("NetworkError", NetworkErrorCode, "NOT_FOUND, CYCLE, INVALID")
