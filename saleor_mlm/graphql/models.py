from django.db import models


class ApiKey(models.Model):
    """A merchant's key for back-office scripts, bound to one installation.

    Only the SHA-256 of the key is stored; the key itself is shown once when it is
    created (`saleor-mlm api-key create`). A key acts as the merchant with every MLM
    permission. A revoked key stays for the audit trail (`revoked_at` set).
    """

    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100)
    # The first characters of the key, shown in listings so that people can tell keys apart.
    prefix = models.CharField(max_length=16)
    hashed_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
