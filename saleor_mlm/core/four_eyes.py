"""Four eyes: a change that moves money is approved by a second person.

The one rule, used by every approval (a period's figures, an adjustment, a rank override, a
payout run): the approver is not the person who did the first step. People are compared by
their label (an e-mail or an API key's name) without regard to case; an empty first step
(nobody recorded) is never the approver.
"""

from __future__ import annotations

from enum import StrEnum

from .errors import DomainError


def same_person(first: str, second: str) -> bool:
    """Whether two audit labels name the same person."""
    return bool(first) and first.strip().lower() == (second or "").strip().lower()


def require_second_person(approver: str, first: str, *, code: StrEnum, message: str, field: str = "approved_by") -> None:
    """Refuse with `DomainError(code, message)` on `field` when `approver` did the first step."""
    if same_person(first, approver):
        raise DomainError(code, message, field=field)
