"""Saleor's signing keys (JWKS): where they live and how they are refreshed.

Saleor publishes its public keys at `<origin of the API URL>/.well-known/jwks.json`. We fetch
them when the app is installed and again when a webhook is signed with a key we do not know
(Saleor rotated its key). That second fetch is triggered by unauthenticated requests, so it
is throttled per installation: at most one attempt per `SALEOR_JWKS_REFETCH_INTERVAL`
seconds (30), claimed atomically in the database so that concurrent requests and several
processes agree on who fetches.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger(__name__)

DEFAULT_REFETCH_INTERVAL = 30  # seconds


class JWKSFetchError(Exception):
    """Saleor's JWKS could not be fetched or is not a key set."""


def jwks_url_for(saleor_api_url: str) -> str:
    parts = urlsplit(saleor_api_url)
    return f"{parts.scheme}://{parts.netloc}/.well-known/jwks.json"


def fetch_jwks(saleor_api_url: str, session: requests.Session | None = None, *, timeout=None) -> dict:
    url = jwks_url_for(saleor_api_url)
    try:
        response = (session or requests).get(url, timeout=timeout or settings.SALEOR_CLIENT_TIMEOUT)
        response.raise_for_status()
        keys = response.json()
    except requests.RequestException as exc:
        raise JWKSFetchError(f"could not fetch {url}: {exc}") from exc
    except ValueError as exc:
        raise JWKSFetchError(f"{url} did not return JSON") from exc
    if not isinstance(keys, dict) or not isinstance(keys.get("keys"), list):
        raise JWKSFetchError(f"{url} has no 'keys' list")
    return keys


def refresh_jwks(installation) -> dict:
    """Fetch the JWKS again (key rotation) and store it on the installation."""
    installation.jwks = fetch_jwks(installation.saleor_api_url)
    installation.jwks_fetched_at = timezone.now()
    installation.save(update_fields=["jwks", "jwks_fetched_at", "updated_at"])
    return installation.jwks


def refetch_interval() -> timedelta:
    return timedelta(seconds=getattr(settings, "SALEOR_JWKS_REFETCH_INTERVAL", DEFAULT_REFETCH_INTERVAL))


def refresh_jwks_throttled(installation, *, now=None) -> dict:
    """The freshest JWKS we may have, fetching from Saleor at most once per interval.

    Returns the installation's JWKS after the attempt: freshly fetched when this call won the
    claim and the fetch worked; otherwise what the database holds now (another request may
    just have refreshed it). Never raises for fetch failures: the caller's verification
    then fails with the keys it has.
    """
    from .models import Installation

    now = now or timezone.now()
    claimed = (
        Installation.objects.filter(pk=installation.pk)
        .filter(Q(jwks_refetch_attempted_at__isnull=True) | Q(jwks_refetch_attempted_at__lte=now - refetch_interval()))
        .update(jwks_refetch_attempted_at=now)
    )
    if claimed and not installation.is_demo:
        try:
            jwks = fetch_jwks(installation.saleor_api_url)
        except JWKSFetchError as exc:
            logger.warning("JWKS refetch failed", extra={"api_url": installation.saleor_api_url, "error": str(exc)})
        else:
            Installation.objects.filter(pk=installation.pk).update(jwks=jwks, jwks_fetched_at=now, updated_at=now)
            installation.jwks, installation.jwks_fetched_at = jwks, now
            logger.info("JWKS refetched", extra={"api_url": installation.saleor_api_url, "keys": len(jwks["keys"])})
            return jwks
    # Throttled (or the fetch failed): use what is stored, possibly refreshed by a peer.
    stored = Installation.objects.filter(pk=installation.pk).values_list("jwks", flat=True).first()
    if stored is not None:
        installation.jwks = stored
    return installation.jwks
