"""API keys for merchants' back-office scripts: create, authenticate, revoke."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone

from .models import ApiKey

# Every key starts with this, so that the API tells keys from JWTs without decoding.
KEY_PREFIX = "mlm_"
# `last_used_at` is written at most this often per key: a script polling the API
# should not turn every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_key(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


def looks_like_api_key(token: str) -> bool:
    return token.startswith(KEY_PREFIX)


def create_api_key(installation, name: str) -> tuple[ApiKey, str]:
    """Create a key; the raw key is returned once and never stored."""
    raw_key = KEY_PREFIX + secrets.token_urlsafe(32)
    api_key = ApiKey.objects.create(
        installation=installation,
        name=name,
        prefix=raw_key[: len(KEY_PREFIX) + 6],
        hashed_key=hash_key(raw_key),
    )
    return api_key, raw_key


def authenticate_api_key(raw_key: str, now=None) -> ApiKey | None:
    """The active key for `raw_key`, or None (unknown or revoked)."""
    api_key = ApiKey.objects.select_related("installation").filter(hashed_key=hash_key(raw_key)).first()
    if api_key is None or not api_key.is_active:
        return None
    now = now or timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at >= LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
    return api_key


def revoke_api_key(api_key: ApiKey, now=None) -> None:
    if api_key.revoked_at is None:
        api_key.revoked_at = now or timezone.now()
        api_key.save(update_fields=["revoked_at"])
