"""Error codes of the network domain and the one exception it raises.

The GraphQL layer maps a `NetworkError` to `{field, code, message}`: it is a Django
`ValidationError` keyed by field (Saleor style), so `error.error_dict` works as usual.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class NetworkErrorCode(Enum):
    ALREADY_PARTNER = "ALREADY_PARTNER"  # the Saleor user (or customer) is a partner already
    CARE_IS_SPONSOR = "CARE_IS_SPONSOR"  # the Betreuer would be the node's own sponsor
    CUSTOMER_PROTECTED = "CUSTOMER_PROTECTED"  # the customer belongs to another sponsor already
    CYCLE = "CYCLE"  # the new sponsor or care edge would close a cycle
    DUPLICATE_REFERRAL_CODE = "DUPLICATE_REFERRAL_CODE"
    INVALID = "INVALID"  # a malformed value (e-mail, country, currency, dates ...)
    INVALID_REFERRAL_CODE = "INVALID_REFERRAL_CODE"  # not a well-formed code
    INVALID_SHARE = "INVALID_SHARE"  # a share outside [0, 1] or with more than 4 decimals
    NO_SPLIT_AGREEMENT = "NO_SPLIT_AGREEMENT"  # no share given and no agreement in force
    OVERLAPPING_AGREEMENT = "OVERLAPPING_AGREEMENT"  # a split agreement starts inside the new one
    OVERLAPPING_ASSIGNMENT = "OVERLAPPING_ASSIGNMENT"  # a care assignment would start in the past of another
    REASON_REQUIRED = "REASON_REQUIRED"  # sponsor changes and terminations need a reason
    SELF_CARE = "SELF_CARE"  # a partner cannot be its own Betreuer
    SPONSOR_NOT_ACTIVE = "SPONSOR_NOT_ACTIVE"  # storefront enrollment needs an active sponsor
    SPONSOR_REQUIRED = "SPONSOR_REQUIRED"  # storefront enrollment without any sponsor
    TERMINATED = "TERMINATED"  # a terminated partner cannot take part in the change
    UNKNOWN_SPONSOR = "UNKNOWN_SPONSOR"  # no partner of this installation has the code
    VAT_ID_REQUIRED = "VAT_ID_REQUIRED"  # EU reverse charge needs the partner's VAT id
    WRONG_INSTALLATION = "WRONG_INSTALLATION"  # nodes of two different Saleor installations


class NetworkError(ValidationError):
    """A refused network change: one field, one code, one message a person can act on."""

    def __init__(
        self,
        code: NetworkErrorCode,
        message: str,
        *,
        field: str | None = None,
        params: dict[str, Any] | None = None,
    ):
        # `ValidationError` %-formats messages that carry params; names may contain "%".
        text = message.replace("%", "%%") if params else message
        super().__init__({field or NON_FIELD_ERRORS: [ValidationError(text, code=code.value, params=params)]})
        self.error_code = code
        self.field = field
        self.error_params = params or {}
        self._message = message

    # Read-only: in its dict form `ValidationError.__init__` never assigns these.
    @property
    def code(self) -> str:
        return self.error_code.value

    @property
    def message(self) -> str:
        return self._message

    def __str__(self) -> str:
        return self._message

    def __repr__(self) -> str:
        return f"NetworkError({self.code}, field={self.field!r}, {self._message!r})"
