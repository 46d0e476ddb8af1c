"""Installing the app in a Saleor: what `POST /api/register` does.

Saleor posts `{"auth_token": ...}` with `Saleor-Api-Url` right after the merchant approved the
app. `install()` checks the API URL against `SALEOR_ALLOWED_API_URLS`, asks Saleor which app
the token belongs to (`{ app { id identifier } }`), fetches Saleor's JWKS and stores the
installation, replacing token, app id and JWKS when that Saleor installed the app before
(reinstall). Anything that goes wrong raises an `InstallError` whose message Saleor shows
the merchant.

Two rules keep the register endpoint, which anyone can call, from being turned against us:

- **Only this app's token.** Another app of the same Saleor has a valid token too; posted
  here, it used to replace the installation's token and app id, and the next real delivery
  was refused (403, which Saleor does not retry). The app Saleor reports for the token must
  carry this app's manifest id (`identifier`, Saleor 3.19+, = `SALEOR_APP_IDENTIFIER`):
  otherwise 403 and nothing changes. A reinstall (a new app id, the same identifier) still
  replaces the installation.
- **No port scanner.** With an empty allow-list the register endpoint calls whatever URL it is
  given. Every way that call can fail (refused, timeout, not HTTP, HTTP errors, not GraphQL,
  not Saleor, no JWKS) answers the same `SaleorNotConfirmed`: one message, one status; what
  happened goes to the server log only.

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
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from saleor_mlm.core import crypto

from .jwks import JWKSFetchError, fetch_jwks
from .models import Installation, normalize_api_url
from .saleor_client import SaleorClient, SaleorError

logger = logging.getLogger(__name__)

APP_IDENTITY_QUERY = "query AppIdentity { app { id identifier } }"
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


class AnotherAppsToken(InstallError):
    """Saleor knows the token, but as the token of another app than this one."""

    http_status = 403


class SaleorNotConfirmed(InstallError):
    """Calling the API URL back did not confirm the token, for whatever reason.

    One message and one status for every reason (the reason is logged), so that the answer
    does not tell what listens at an address (see the module docstring).
    """

    http_status = 502

    def __init__(self):
        super().__init__(
            _(
                "Saleor at this API URL did not confirm the app token, so the app was not installed. "
                "The app's server log has the details."
            )
        )


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

    app_id = _fetch_this_apps_id(
        client or SaleorClient(api_url, auth_token, timeout=INSTALL_TIMEOUT, retries=INSTALL_RETRIES)
    )
    try:
        jwks = fetch_jwks(api_url, timeout=INSTALL_TIMEOUT)
    except JWKSFetchError as exc:
        _log_not_confirmed(api_url, f"could not fetch Saleor's signing keys: {exc}")
        raise SaleorNotConfirmed() from exc

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
        # Saleor registers the app again: the new token is accepted (installations.connection).
        installation.disconnected_at = None
        installation.disconnected_reason = ""
        installation.save()
    logger.info(
        "app installed" if created else "app reinstalled",
        extra={"api_url": api_url, "app_id": app_id, "installation": installation.pk},
    )
    return installation, created


def _fetch_this_apps_id(client: SaleorClient) -> str:
    """The app id Saleor reports for the token, when that app is this app (by identifier)."""
    try:
        data = client.execute(APP_IDENTITY_QUERY)
    except SaleorError as exc:
        # Refused, timed out, not HTTP, an HTTP error, not JSON, a GraphQL error: all alike.
        _log_not_confirmed(client.api_url, str(exc))
        raise SaleorNotConfirmed() from exc
    app = data.get("app") if isinstance(data, dict) else None
    if not isinstance(app, dict) or not app.get("id"):
        _log_not_confirmed(client.api_url, f"no app for the token: {str(data)[:300]}")
        raise SaleorNotConfirmed()
    if app.get("identifier") != settings.SALEOR_APP_IDENTIFIER:
        logger.warning(
            "register refused: the token belongs to another app",
            extra={"api_url": client.api_url, "app_id": app["id"], "app_identifier": app.get("identifier")},
        )
        raise AnotherAppsToken(
            _("This token belongs to another app, not to %(app)s: nothing was changed.")
            % {"app": settings.SALEOR_APP_IDENTIFIER}
        )
    return str(app["id"])


def _log_not_confirmed(api_url: str, reason: str) -> None:
    logger.warning("register refused: Saleor did not confirm the token", extra={"api_url": api_url, "reason": reason})


@dataclass
class ColumnRotation:
    """What `rotate_token_encryption` did to one other encrypted column (by row id)."""

    reencrypted: int = 0
    already_current: int = 0
    unreadable: list[int] = field(default_factory=list)


@dataclass
class TokenRotation:
    """What `rotate_token_encryption` did: app tokens by API URL, every other encrypted
    column ("payouts.PayoutProfile.encrypted_iban") by its label, when it holds values."""

    reencrypted: list[str] = field(default_factory=list)
    already_current: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # no configured key decrypts them
    columns: dict[str, ColumnRotation] = field(default_factory=dict)


# The one convention for secrets at rest: a text column named `encrypted_<what>` holds a
# `core.crypto` token (IBANs, BICs, Stripe keys, ...); rotation finds them all by the name, so
# a column added later is rotated without a change here.
ENCRYPTED_PREFIX = "encrypted_"
ROTATION_BATCH = 1000


def encrypted_columns() -> dict[type[models.Model], list[str]]:
    """The app's encrypted columns besides the app token, by model."""
    found: dict[type[models.Model], list[str]] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("saleor_mlm.") or model is Installation:
            continue
        names = [f.attname for f in model._meta.concrete_fields if f.name.startswith(ENCRYPTED_PREFIX)]
        if names:
            found[model] = names
    return found


def rotate_token_encryption(*, dry_run: bool = False) -> TokenRotation:
    """Re-encrypt every stored app token, and every other encrypted column
    (`encrypted_columns`), with the current FIELD_ENCRYPTION_KEY.

    Values encrypted with a key in FIELD_ENCRYPTION_KEYS_OLD are rewritten; the rows are
    locked meanwhile, so a concurrent register or settings change (which lock their row too)
    cannot be lost. A value no configured key decrypts is left as it is and reported.
    """
    result = TokenRotation()
    with transaction.atomic():
        for installation in Installation.objects.select_for_update().exclude(encrypted_auth_token="").order_by("pk"):
            token = installation.encrypted_auth_token
            if crypto.is_current(token):
                result.already_current.append(installation.saleor_api_url)
                continue
            try:
                rotated = crypto.reencrypt(token)
            except crypto.InvalidToken:
                result.unreadable.append(installation.saleor_api_url)
                continue
            if not dry_run:
                Installation.objects.filter(pk=installation.pk).update(encrypted_auth_token=rotated)
            result.reencrypted.append(installation.saleor_api_url)
        for model, names in encrypted_columns().items():
            _rotate_columns(model, names, result, dry_run=dry_run)
    return result


def _rotate_columns(model: type[models.Model], names: list[str], result: TokenRotation, *, dry_run: bool) -> None:
    stored = Q()
    for name in names:
        stored |= ~Q(**{name: ""})
    rows = model._default_manager.select_for_update().filter(stored).order_by("pk").only("pk", *names)
    changed: list[models.Model] = []
    for row in rows.iterator(chunk_size=ROTATION_BATCH):
        touched = False
        for name in names:
            value = getattr(row, name)
            if not value:
                continue
            column = result.columns.setdefault(f"{model._meta.label}.{name}", ColumnRotation())
            if crypto.is_current(value):
                column.already_current += 1
                continue
            try:
                setattr(row, name, crypto.reencrypt(value))
            except crypto.InvalidToken:
                column.unreadable.append(row.pk)
                continue
            column.reencrypted += 1
            touched = True
        if touched:
            changed.append(row)
    if changed and not dry_run:
        model._default_manager.bulk_update(changed, names, batch_size=ROTATION_BATCH)
