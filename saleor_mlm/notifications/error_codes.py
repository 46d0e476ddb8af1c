"""Error codes of the notification settings (`core.errors.DomainError(NotificationErrorCode.X, ...)`)."""

from enum import StrEnum


class NotificationErrorCode(StrEnum):
    INVALID = "INVALID"  # an unknown kind, or a language the app does not write in
    NOT_A_PARTNER = "NOT_A_PARTNER"  # only partners are sent notifications
