from urllib.parse import urlsplit, urlunsplit

from django.db import models

from saleor_mlm.core import crypto


class InstallationQuerySet(models.QuerySet):
    def for_api_url(self, saleor_api_url: str):
        return self.filter(saleor_api_url=normalize_api_url(saleor_api_url))


def normalize_api_url(url: str) -> str:
    """Saleor identifies itself by its GraphQL URL; keep one spelling per Saleor.

    Scheme and host are case-insensitive and lower-cased, a default port is dropped, query
    and fragment are dropped and the path ends with "/" (Saleor's own spelling is
    `https://shop.example.com/graphql/`).
    """
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    if port and not ((scheme == "https" and port == 443) or (scheme == "http" and port == 80)):
        host = f"{host}:{port}"
    path = parts.path or "/"
    if not path.endswith("/"):
        path += "/"
    return urlunsplit((scheme, host, path, "", ""))


class Installation(models.Model):
    """One Saleor that installed this app. Everything else is scoped to it."""

    saleor_api_url = models.URLField(max_length=512, unique=True)
    saleor_domain = models.CharField(max_length=255, blank=True)
    app_id = models.CharField(max_length=255, blank=True)
    # The app token, Fernet-encrypted (see saleor_mlm.core.crypto); use `auth_token`.
    encrypted_auth_token = models.TextField()
    jwks = models.JSONField(default=dict, blank=True)
    jwks_fetched_at = models.DateTimeField(null=True, blank=True)
    # Last time a webhook with an unknown key made us fetch the JWKS again (successful or
    # not); refetches are throttled on it so that forged signatures cannot make us hammer
    # Saleor (see installations.jwks.refresh_jwks_throttled).
    jwks_refetch_attempted_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)
    # Set when Saleor rejected the app token (HTTP 401/403): the app was uninstalled or its
    # token revoked. Cleared when Saleor registers the app again (installations.connection).
    disconnected_at = models.DateTimeField(null=True, blank=True)
    disconnected_reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InstallationQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.saleor_api_url

    @property
    def auth_token(self) -> str:
        return crypto.decrypt(self.encrypted_auth_token)

    @auth_token.setter
    def auth_token(self, value: str) -> None:
        self.encrypted_auth_token = crypto.encrypt(value)

