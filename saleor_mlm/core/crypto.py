"""Secrets at rest (app tokens) are encrypted with Fernet.

The key comes from FIELD_ENCRYPTION_KEY, or is derived from SECRET_KEY so that a
deployment that sets only SECRET_KEY is still encrypted. Rotating SECRET_KEY without
setting FIELD_ENCRYPTION_KEY to the old derived key makes stored tokens unreadable:
reinstalling the app in Saleor stores a fresh token.
"""

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

__all__ = ["encrypt", "decrypt", "InvalidToken"]


@lru_cache(maxsize=4)
def _fernet(key_material: str) -> Fernet:
    try:
        return Fernet(key_material.encode())
    except ValueError:
        digest = hashlib.sha256(("saleor-mlm:" + key_material).encode()).digest()
        return Fernet(base64.urlsafe_b64encode(digest))


def _key() -> str:
    return settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY


def encrypt(plain: str) -> str:
    return _fernet(_key()).encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet(_key()).decrypt(token.encode()).decode()
