"""Error codes of the ledger and the exception its actions raise.

`LedgerError` is a Django `ValidationError` keyed by field (Saleor style), so an API
layer maps it to `{field, code, message}`.
"""

from __future__ import annotations

from enum import Enum

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class LedgerErrorCode(Enum):
    REQUIRED = "REQUIRED"  # a reason or an approver is missing
    INVALID = "INVALID"  # a malformed value (PV/BV not a decimal, zero adjustment)
    PERIOD_CLOSED = "PERIOD_CLOSED"  # entries go to open periods only
    WRONG_INSTALLATION = "WRONG_INSTALLATION"  # nodes or periods of two installations
    NOT_HOUSE_CUSTOMER = "NOT_HOUSE_CUSTOMER"  # the customer has a sponsor already


class LedgerError(ValidationError):
    """A refused ledger change: one field, one code, one message a person can act on."""

    def __init__(self, code: LedgerErrorCode, message: str, *, field: str | None = None):
        super().__init__({field or NON_FIELD_ERRORS: [ValidationError(message, code=code.value)]})
        self.error_code = code
        self.field = field
        self._message = message

    @property
    def code(self) -> str:
        return self.error_code.value

    @property
    def message(self) -> str:
        return self._message

    def __str__(self) -> str:
        return self._message
