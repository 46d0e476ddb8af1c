"""Referral codes: one per partner and installation, also the partner's voucher code.

A generated code is 8 characters from an alphabet without look-alikes (0/O, 1/I/L):
30**8 ≈ 6.6e11 codes, so a collision is rare and simply drawn again. Codes are stored
upper case and compared case-insensitively: people type them from paper.
"""

from __future__ import annotations

import re
import secrets

from django.utils.translation import gettext

from saleor_mlm.core.errors import DomainError

from . import REFERRAL_CODE_ALPHABET, REFERRAL_CODE_LENGTH
from .error_codes import NetworkErrorCode
from .models import Partner

# Merchant-chosen codes (e.g. "ANNA2025") may use letters, digits, "-" and "_"; Saleor
# accepts any string as a voucher code, but these survive URLs and checkout forms.
CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]{2,31}$")
GENERATE_ATTEMPTS = 20


def normalize_code(code: str) -> str:
    return (code or "").strip().upper()


def clean_referral_code(code: str, *, field: str = "referral_code") -> str:
    normalized = normalize_code(code)
    if not CODE_PATTERN.match(normalized):
        raise DomainError(
            NetworkErrorCode.INVALID_REFERRAL_CODE,
            gettext("'%(code)s' is not a valid referral code: use 3 to 32 letters, digits, '-' or '_'.") % {"code": code},
            field=field,
        )
    return normalized


def generate_code() -> str:
    return "".join(secrets.choice(REFERRAL_CODE_ALPHABET) for _ in range(REFERRAL_CODE_LENGTH))


def code_taken(installation_id: int, code: str) -> bool:
    # Codes are stored normalized (upper case), so the unique index answers this.
    return Partner.objects.filter(installation_id=installation_id, referral_code=normalize_code(code)).exists()


def generate_unique_code(installation_id: int) -> str:
    for _ in range(GENERATE_ATTEMPTS):
        code = generate_code()
        if not code_taken(installation_id, code):
            return code
    raise RuntimeError("could not draw a free referral code")  # 20 collisions in a row: a bug


def partner_by_referral_code(installation_id: int, code: str) -> Partner | None:
    """The partner whose referral code (or voucher code) is `code`, any case."""
    normalized = normalize_code(code)
    if not normalized:
        return None
    partners = Partner.objects.filter(installation_id=installation_id)
    return (
        partners.filter(referral_code=normalized).first()
        or partners.filter(voucher_code=normalized).order_by("id").first()
        # Codes written by other means (imports, the admin) may not be normalized.
        or partners.filter(referral_code__iexact=normalized).order_by("id").first()
    )
