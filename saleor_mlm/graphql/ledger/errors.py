"""The ledger's mutations' errors: `LedgerError { field, code: LedgerErrorCode!, message }`
(the volume settings and the exchange rates)."""

from saleor_mlm.ledger.error_codes import LedgerErrorCode as LedgerDomainErrorCode

from ..core.errors import error_code_enum, error_type

LedgerErrorCode = error_code_enum(
    "LedgerErrorCode", LedgerDomainErrorCode, description="Why a volume settings or exchange rates mutation refused its input."
)
LedgerError = error_type("LedgerError", LedgerErrorCode, "INVALID, REQUIRED")
