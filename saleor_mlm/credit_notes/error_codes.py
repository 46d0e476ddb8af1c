"""Error codes of the credit notes (`core.errors.DomainError(CreditNoteErrorCode.X, ...)`)."""

from enum import StrEnum


class CreditNoteErrorCode(StrEnum):
    ALREADY_CANCELLED = "ALREADY_CANCELLED"  # a cancellation references the credit note already
    INVALID = "INVALID"  # a malformed setting (prefix, start, rate ...)
    NOT_CANCELLABLE = "NOT_CANCELLABLE"  # a cancellation is not cancelled; a correction is a new document
    NOT_FOUND = "NOT_FOUND"
    REASON_REQUIRED = "REASON_REQUIRED"  # a cancellation says why
    WRONG_INSTALLATION = "WRONG_INSTALLATION"
    ISSUER_INCOMPLETE = "ISSUER_INCOMPLETE"  # the settings lack the merchant's name, address or (reverse charge) VAT id
    TAX_PROFILE_INCOMPLETE = "TAX_PROFILE_INCOMPLETE"  # no document without the partner's complete tax profile
