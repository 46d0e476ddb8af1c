"""The sync mutations' errors: `SyncError { field, code: SyncErrorCode!, message }`."""

from saleor_mlm.reconciliation.error_codes import SyncErrorCode as SyncDomainErrorCode

from ..core.errors import error_code_enum, error_type

SyncErrorCode = error_code_enum(
    "SyncErrorCode", SyncDomainErrorCode, description="Why a sync with Saleor (a backfill) was refused."
)
SyncError = error_type("SyncError", SyncErrorCode, "DEMO_INSTALLATION, INVALID_MONTHS, SYNC_RUNNING")
