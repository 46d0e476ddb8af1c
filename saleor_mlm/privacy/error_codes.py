"""Error codes of privacy actions: `core.errors.DomainError(PrivacyErrorCode.X, ...)`."""

from enum import StrEnum


class PrivacyErrorCode(StrEnum):
    PARTNER_NOT_TERMINATED = "PARTNER_NOT_TERMINATED"  # an active partner still earns: terminate first
    CUSTOMER_IS_PARTNER = "CUSTOMER_IS_PARTNER"  # the customer enrolled: erase the partner
    ALREADY_ERASED = "ALREADY_ERASED"  # erased before; nothing left to erase
    PERIOD_APPROVED = "PERIOD_APPROVED"  # an approved period awaits its commit: no deletion
    CREDIT_NOTES_KEPT = "CREDIT_NOTES_KEPT"  # issued credit notes must be kept: no deletion
    CONFIRMATION = "CONFIRMATION"  # the confirmation does not name the installation
