"""The notification settings' errors: `NotificationError { field, code: NotificationErrorCode!, message }`."""

from saleor_mlm.notifications.error_codes import NotificationErrorCode as NotificationDomainErrorCode

from ..core.errors import error_code_enum, error_type

NotificationErrorCode = error_code_enum(
    "NotificationErrorCode", NotificationDomainErrorCode, description="Why a change of the notification settings was refused."
)
NotificationError = error_type("NotificationError", NotificationErrorCode, "INVALID")
