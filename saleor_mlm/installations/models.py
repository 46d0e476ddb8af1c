from django.db import models

from saleor_mlm.core import crypto


class InstallationQuerySet(models.QuerySet):
    def for_api_url(self, saleor_api_url: str):
        return self.filter(saleor_api_url=normalize_api_url(saleor_api_url))


def normalize_api_url(url: str) -> str:
    """Saleor identifies itself by its GraphQL URL; keep one spelling per Saleor."""
    url = (url or "").strip()
    if url and not url.endswith("/"):
        url += "/"
    return url


class Installation(models.Model):
    """One Saleor that installed this app. Everything else is scoped to it."""

    saleor_api_url = models.URLField(max_length=512, unique=True)
    saleor_domain = models.CharField(max_length=255, blank=True)
    app_id = models.CharField(max_length=255, blank=True)
    # The app token, Fernet-encrypted (see saleor_mlm.core.crypto); use `auth_token`.
    encrypted_auth_token = models.TextField()
    jwks = models.JSONField(default=dict, blank=True)
    jwks_fetched_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)
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

    @property
    def jwks_url(self) -> str:
        from .jwks import jwks_url_for

        return jwks_url_for(self.saleor_api_url)
