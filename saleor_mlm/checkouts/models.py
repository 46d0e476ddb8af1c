"""Where the office's checkouts for customers are made and paid (docs/office.md)."""

from __future__ import annotations

from django.db import models

# saleor/storefront's checkout page takes the checkout's id in `checkout`.
DEFAULT_PAYMENT_URL = "{storefront}/checkout?checkout={id}"
DEFAULT_CHANNEL = "default-channel"  # the channel a new Saleor has


class CheckoutSettings(models.Model):
    """One row per installation; the defaults hold until the merchant changes them."""

    installation = models.OneToOneField("installations.Installation", on_delete=models.CASCADE, related_name="checkout_settings")
    # The Saleor channel (slug) whose catalogue, prices and countries the office shows and
    # in which it makes the checkouts.
    channel = models.CharField(max_length=255, default=DEFAULT_CHANNEL)
    # The storefront page where the customer pays a checkout: `{storefront}` is STOREFRONT_URL
    # without its trailing slash, `{id}` the checkout's id, `{token}` its token, `{channel}`
    # the channel's slug (the values URL-encoded).
    payment_url = models.CharField(max_length=500, default=DEFAULT_PAYMENT_URL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "checkout settings"

    def __str__(self) -> str:
        return f"checkout settings of {self.installation_id}"
