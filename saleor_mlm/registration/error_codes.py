"""Error codes of online registration (the network's codes come with it: unknown sponsor,
already a partner ...; `network.error_codes`)."""

from enum import StrEnum


class RegistrationErrorCode(StrEnum):
    TERMS_MISSING = "TERMS_MISSING"  # the merchant has published no partner terms: registration is closed
    TERMS_NOT_ACCEPTED = "TERMS_NOT_ACCEPTED"  # the visitor did not accept the terms
    TERMS_OUTDATED = "TERMS_OUTDATED"  # a newer version was published after the visitor read the terms
    REGISTRATION_PENDING = "REGISTRATION_PENDING"  # this shop account waits for approval already
    NOT_PENDING = "NOT_PENDING"  # approved or rejected already
    INVALID = "INVALID"  # a malformed value (a language without text ...)
