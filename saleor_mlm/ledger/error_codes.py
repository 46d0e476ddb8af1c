"""Error codes of the ledger.

Ledger actions refuse a change with `core.errors.DomainError(LedgerErrorCode.X, ...)`.
"""

from enum import StrEnum


class LedgerErrorCode(StrEnum):
    INVALID = "INVALID"  # a malformed setting (PV per BV, a metadata key) or exchange rates file
    WRONG_INSTALLATION = "WRONG_INSTALLATION"  # a customer and a partner of two installations
    NOT_HOUSE_CUSTOMER = "NOT_HOUSE_CUSTOMER"  # the customer has a sponsor already
    NOT_FOUND = "NOT_FOUND"  # no such order in the installation
