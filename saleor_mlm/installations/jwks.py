"""Saleor's signing keys (JWKS): where they live and how they are refreshed."""

from __future__ import annotations

from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils import timezone


def jwks_url_for(saleor_api_url: str) -> str:
    parts = urlsplit(saleor_api_url)
    return f"{parts.scheme}://{parts.netloc}/.well-known/jwks.json"


def fetch_jwks(saleor_api_url: str, session: requests.Session | None = None) -> dict:
    response = (session or requests).get(jwks_url_for(saleor_api_url), timeout=settings.SALEOR_CLIENT_TIMEOUT)
    response.raise_for_status()
    keys = response.json()
    if not isinstance(keys, dict) or not isinstance(keys.get("keys"), list):
        raise ValueError("JWKS response has no 'keys' list")
    return keys


def refresh_jwks(installation) -> dict:
    """Fetch the JWKS again (key rotation) and store it on the installation."""
    installation.jwks = fetch_jwks(installation.saleor_api_url)
    installation.jwks_fetched_at = timezone.now()
    installation.save(update_fields=["jwks", "jwks_fetched_at", "updated_at"])
    return installation.jwks
