"""The credit notes mutations' errors: `CreditNoteError { field, code: CreditNoteErrorCode!, message }`."""

from saleor_mlm.credit_notes.error_codes import CreditNoteErrorCode as CreditNoteDomainErrorCode

from ..core.errors import error_code_enum, error_type

CreditNoteErrorCode = error_code_enum(
    "CreditNoteErrorCode", CreditNoteDomainErrorCode, description="Why a credit note mutation refused its input or the change it asked for."
)
CreditNoteError = error_type("CreditNoteError", CreditNoteErrorCode, "NOT_FOUND, ALREADY_CANCELLED, REASON_REQUIRED")
