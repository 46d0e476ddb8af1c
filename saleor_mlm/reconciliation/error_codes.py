"""Error codes of the sync with Saleor (`core.errors.DomainError(SyncErrorCode.X, ...)`)."""

from enum import StrEnum


class SyncErrorCode(StrEnum):
    DEMO_INSTALLATION = "DEMO_INSTALLATION"  # the demo has no Saleor to read orders from
    INVALID_MONTHS = "INVALID_MONTHS"  # a backfill of fewer than 1 or more than MAX_BACKFILL_MONTHS
    SYNC_RUNNING = "SYNC_RUNNING"  # a backfill of this shop is running already
