"""Installing the app in a Saleor: what `POST /api/register` does.

Saleor posts `{"auth_token": ...}` with `Saleor-Api-Url` right after the merchant approved the
app. `install()` checks the API URL against `SALEOR_ALLOWED_API_URLS`, asks Saleor for the
app's id with the token (`{ app { id } }`), fetches Saleor's JWKS and stores the
installation, replacing token, app id and JWKS when that Saleor installed the app before
(reinstall). Anything that goes wrong raises an `InstallError` whose message Saleor shows
the merchant.

`SALEOR_ALLOWED_API_URLS` entries
---------------------------------
Empty: any Saleor may install. Otherwise an API URL must match one entry:

- an exact URL, `https://shop.example.com/graphql/`: the same URL (after normalization:
  lower-case scheme and host, default port dropped, trailing slash);
- a host pattern, `https://*.saleor.cloud`: same scheme, the host is any subdomain of
  `saleor.cloud` (one or more labels; not `saleor.cloud` itself), same port;
- an entry without a path (`https://shop.example.com`, `https://*.example.com`) allows any
  path on its hosts; an entry with a path allows that path only
  (`https://*.example.com/graphql/`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .jwks import JWKSFetchError, fetch_jwks
from .models import Installation, normalize_api_url
from .saleor_client import (
    SaleorAuthError,
    SaleorClient,
    SaleorError,
    SaleorGraphQLError,
    SaleorHTTPError,
    SaleorUnavailable,
)

logger = logging.getLogger(__name__)

APP_ID_QUERY = "query AppId { app { id } }"
# Saleor waits for our answer to the token POST: keep our calls back to it short.
INSTALL_TIMEOUT = (3.0, 8.0)
INSTALL_RETRIES = 1


class InstallError(Exception):
    """Installing failed; `message` is shown to the merchant by Saleor."""

    http_status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidRegistration(InstallError):
    """The register request itself is incomplete or malformed."""


class ApiUrlNotAllowed(InstallError):
    http_status = 403


class TokenRejected(InstallError):
    """Saleor did not accept the token we were given."""


class SaleorUnreachable(InstallError):
    """Saleor did not answer, or answered with an error, when we called it back."""

    http_status = 502


@dataclass(frozen=True)
class AllowedApiUrl:
    """One parsed SALEOR_ALLOWED_API_URLS entry."""

    scheme: str
    host: str  # "shop.example.com", or "*.example.com"
    port: int | None
    path: str  # "" means any path

    @classmethod
    def parse(cls, entry: str) -> AllowedApiUrl:
        parts = urlsplit(entry.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"SALEOR_ALLOWED_API_URLS entry {entry!r} is not an http(s) URL")
        host = parts.netloc.rsplit("@", 1)[-1].lower()
        port = None
        if host.rsplit(":", 1)[-1].isdigit() and not host.endswith("]"):
            host, port_text = host.rsplit(":", 1)
            port = int(port_text)
        if "*" in host and not (host.startswith("*.") and "*" not in host[2:]):
            raise ValueError(f"SALEOR_ALLOWED_API_URLS entry {entry!r}: only a leading '*.' is supported")
        path = parts.path if parts.path not in ("", "/") else ""
        if path and not path.endswith("/"):
            path += "/"
        return cls(parts.scheme, host, port or _default_port(parts.scheme), path)

    def matches(self, api_url: str) -> bool:
        parts = urlsplit(api_url)
        host = (parts.hostname or "").lower()
        try:
            port = parts.port or _default_port(parts.scheme)
        except ValueError:
            return False
        if parts.scheme != self.scheme or port != self.port:
            return False
        if self.host.startswith("*."):
            suffix = self.host[1:]  # ".example.com"
            if not (host.endswith(suffix) and len(host) > len(suffix)):
                return False
        elif host != self.host:
            return False
        return not self.path or parts.path == self.path


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def is_api_url_allowed(api_url: str, allowed: list[str] | None = None) -> bool:
    entries = settings.SALEOR_ALLOWED_API_URLS if allowed is None else allowed
    if not entries:
        return True
    return any(AllowedApiUrl.parse(entry).matches(api_url) for entry in entries)


def install(
    saleor_api_url: str,
    auth_token: str,
    *,
    saleor_domain: str = "",
    client: SaleorClient | None = None,
) -> tuple[Installation, bool]:
    """Store (or replace) the installation of the Saleor at `saleor_api_url`.

    Returns (installation, created). Raises an InstallError subclass.
    """
    api_url = normalize_api_url(saleor_api_url)
    parts = urlsplit(api_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidRegistration(f"Saleor-Api-Url {saleor_api_url!r} is not an http(s) URL")
    if not auth_token or not isinstance(auth_token, str):
        raise InvalidRegistration("the request has no auth_token")
    if not is_api_url_allowed(api_url):
        raise ApiUrlNotAllowed(f"this app does not accept installations from {api_url}")

    app_id = _fetch_app_id(client or SaleorClient(api_url, auth_token, timeout=INSTALL_TIMEOUT, retries=INSTALL_RETRIES))
    try:
        jwks = fetch_jwks(api_url, timeout=INSTALL_TIMEOUT)
    except JWKSFetchError as exc:
        raise SaleorUnreachable(f"could not fetch Saleor's signing keys: {exc}") from exc

    now = timezone.now()
    with transaction.atomic():
        installation = Installation.objects.select_for_update().filter(saleor_api_url=api_url).first()
        created = installation is None
        if created:
            installation = Installation(saleor_api_url=api_url)
        installation.saleor_domain = (saleor_domain or parts.netloc)[:255]
        installation.app_id = app_id
        installation.auth_token = auth_token
        installation.jwks = jwks
        installation.jwks_fetched_at = now
        installation.jwks_refetch_attempted_at = None
        installation.save()
    logger.info(
        "app installed" if created else "app reinstalled",
        extra={"api_url": api_url, "app_id": app_id, "installation": installation.pk},
    )
    return installation, created


def _fetch_app_id(client: SaleorClient) -> str:
    try:
        data = client.execute(APP_ID_QUERY)
    except SaleorUnavailable as exc:
        raise SaleorUnreachable(f"Saleor did not answer at {client.api_url}: {exc}") from exc
    except SaleorAuthError as exc:
        raise TokenRejected(f"Saleor refused the app token (HTTP {exc.status_code})") from exc
    except SaleorGraphQLError as exc:
        raise TokenRejected(f"Saleor refused the app token: {exc}") from exc
    except SaleorHTTPError as exc:
        raise SaleorUnreachable(f"Saleor answered HTTP {exc.status_code} at {client.api_url}") from exc
    except SaleorError as exc:
        raise SaleorUnreachable(f"calling Saleor failed: {exc}") from exc
    app = (data or {}).get("app")
    if not isinstance(app, dict) or not app.get("id"):
        raise TokenRejected("the token is not an app token: Saleor returned no app for it")
    return str(app["id"])
