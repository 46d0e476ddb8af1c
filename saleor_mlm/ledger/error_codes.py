"""Error codes of the ledger.

Ledger actions refuse a change with `core.errors.DomainError(LedgerErrorCode.X, ...)`.
"""

from enum import StrEnum


class LedgerErrorCode(StrEnum):
    REQUIRED = "REQUIRED"  # a reason or an approver is missing
    INVALID = "INVALID"  # a malformed value (PV/BV not a decimal, zero adjustment)
    PERIOD_CLOSED = "PERIOD_CLOSED"  # entries go to open periods only
    WRONG_INSTALLATION = "WRONG_INSTALLATION"  # nodes or periods of two installations
    NOT_HOUSE_CUSTOMER = "NOT_HOUSE_CUSTOMER"  # the customer has a sponsor already
