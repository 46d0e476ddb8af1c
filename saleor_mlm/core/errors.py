"""The one exception domain code raises when it refuses a change.

Each domain names its refusals in an enum of its own (`network/error_codes.py`,
`ledger/error_codes.py`, `plans/error_codes.py`, `calendar/error_codes.py`); they all raise
`DomainError` with a member of it:

    raise DomainError(PeriodErrorCode.SAME_USER, "Another person approves it.", field="approved_by")

It is a Django `ValidationError` keyed by field (Saleor style): `error.error_dict` works as
usual, and the GraphQL layer turns it into a typed error `{field, code, message}` whose
`code` is a member of the mutation's error code enum (`graphql/core/errors.py`).

The codes are `StrEnum`s: a member equals its text (`PeriodErrorCode.SAME_USER ==
"SAME_USER"`), so callers may compare with either.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _


class DomainError(ValidationError):
    """A refused change: one field, one code, one message a person can act on."""

    def __init__(self, code: StrEnum, message: str, *, field: str | None = None, params: dict[str, Any] | None = None):
        # `ValidationError` %-formats messages that carry params; names may contain "%".
        text = message.replace("%", "%%") if params else message
        super().__init__({field or NON_FIELD_ERRORS: [ValidationError(text, code=code, params=params)]})
        self.field = field
        self.params = params or {}
        self._code = code
        self._message = message

    # Read-only: in its dict form `ValidationError.__init__` never assigns these.
    @property
    def code(self) -> StrEnum:
        """The member of the domain's error code enum."""
        return self._code

    @property
    def message(self) -> str:
        return self._message

    # The names the three error classes this one replaced used for `code` and `params`.
    error_code = code

    @property
    def error_params(self) -> dict[str, Any]:
        return self.params

    def __str__(self) -> str:
        return self._message

    def __repr__(self) -> str:
        return f"DomainError({type(self._code).__name__}.{self._code.name}, field={self.field!r}, {self._message!r})"


def required(value: str | None, name: str, *, code: StrEnum) -> str:
    """`value` without surrounding blanks; `DomainError(code)` on the field `name` when
    nothing is left ("Approved by is required.")."""
    value = (value or "").strip()
    if not value:
        raise DomainError(code, _("%(name)s is required.") % {"name": name.replace('_', ' ').capitalize()}, field=name)
    return value
