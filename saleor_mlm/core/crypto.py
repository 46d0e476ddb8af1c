"""Secrets at rest (app tokens) are encrypted with Fernet.

`FIELD_ENCRYPTION_KEY` encrypts; it is a key of its own, never SECRET_KEY (core/startup.py
refuses that outside the demo and DEBUG=1), so rotating SECRET_KEY leaves the tokens
readable. Rotating the encryption key itself:

1. set the new key as `FIELD_ENCRYPTION_KEY` and the former one in
   `FIELD_ENCRYPTION_KEYS_OLD` (comma-separated): new tokens are encrypted with the new key,
   stored ones still decrypt with the old;
2. run `saleor-mlm rotate-encryption-key`: every stored token and every other `encrypted_*`
   column (IBANs, Stripe keys) is re-encrypted with the new key;
3. remove the old key from `FIELD_ENCRYPTION_KEYS_OLD`.

A key is a Fernet key (urlsafe base64 of 32 bytes) or any other string, stretched with
SHA-256 into one; the demo and DEBUG=1 use a key derived that way from SECRET_KEY.
"""

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

__all__ = ["encrypt", "decrypt", "reencrypt", "is_current", "InvalidToken"]


@lru_cache(maxsize=8)
def _fernet(key_material: str) -> Fernet:
    try:
        return Fernet(key_material.encode())
    except ValueError:
        digest = hashlib.sha256(("saleor-mlm:" + key_material).encode()).digest()
        return Fernet(base64.urlsafe_b64encode(digest))


def _current() -> Fernet:
    return _fernet(settings.FIELD_ENCRYPTION_KEY)


def _all_keys() -> MultiFernet:
    """The current key first (it encrypts), then the old ones (they only decrypt)."""
    return MultiFernet([_current(), *(_fernet(key) for key in settings.FIELD_ENCRYPTION_KEYS_OLD)])


def encrypt(plain: str) -> str:
    return _current().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    return _all_keys().decrypt(token.encode()).decode()


def is_current(token: str) -> bool:
    """Encrypted with the current key (nothing to rotate)."""
    try:
        _current().decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def reencrypt(token: str) -> str:
    """The same secret encrypted with the current key; InvalidToken when no key reads it."""
    return _all_keys().rotate(token.encode()).decode()
