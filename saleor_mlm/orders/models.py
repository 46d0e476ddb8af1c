"""Orders as Saleor reported them, recorded for crediting.

`OrderRecord` holds the latest known state of a Saleor order; `OrderEvent` is one
volume-relevant event (paid, refunded, cancelled). The unique `dedupe_key` makes
recording idempotent: Saleor may deliver the same event several times.
"""

from typing import Any

from django.db import models

from . import OrderEventKind

MONEY: dict[str, Any] = {"max_digits": 20, "decimal_places": 4}


class OrderRecord(models.Model):
    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="orders")
    saleor_order_id = models.CharField(max_length=255)
    number = models.CharField(max_length=64, blank=True)
    channel_slug = models.CharField(max_length=255, blank=True)
    currency = models.CharField(max_length=3)
    # The Saleor user who placed the order (null for guest checkouts) and the e-mail on it.
    user_id = models.CharField(max_length=255, blank=True)
    user_email = models.EmailField(blank=True)
    voucher_code = models.CharField(max_length=255, blank=True)
    language_code = models.CharField(max_length=35, blank=True)
    billing_country = models.CharField(max_length=2, blank=True)
    status = models.CharField(max_length=32, blank=True)
    charge_status = models.CharField(max_length=32, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    private_metadata = models.JSONField(default=dict, blank=True)
    user_metadata = models.JSONField(default=dict, blank=True)
    # Lines as parsed at the boundary (amounts as decimal strings); see saleor.payloads.
    lines = models.JSONField(default=list, blank=True)
    total_net = models.DecimalField(**MONEY)
    total_gross = models.DecimalField(**MONEY)
    total_charged = models.DecimalField(**MONEY, default=0)
    total_refunded = models.DecimalField(**MONEY, default=0)
    saleor_created_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["installation", "saleor_order_id"], name="uniq_order_per_installation"),
        ]

    def __str__(self) -> str:
        return f"order #{self.number or self.saleor_order_id}"


class OrderEvent(models.Model):
    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(OrderRecord, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=32, choices=OrderEventKind.CHOICES)
    # Identifies the event across duplicate deliveries: the kind, plus the refunded total
    # for partial refunds (each partial refund raises totalRefunded).
    dedupe_key = models.CharField(max_length=128)
    delivery = models.ForeignKey("webhooks.WebhookDelivery", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    total_refunded = models.DecimalField(**MONEY, default=0)
    # Refunds only: the order lines Saleor's refunds so far name (line id -> quantity) and
    # what of those refunds was for the lines (`actions.refunded_lines`: not a shipping
    # refunded with them); the ledger takes back those lines, and the rest of
    # `total_refunded` proportionally.
    refunded_lines = models.JSONField(default=dict, blank=True)
    refunded_lines_amount = models.DecimalField(**MONEY, default=0)
    issued_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set by the ledger once the event's volume has been credited or taken back.
    credited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["order", "dedupe_key"], name="uniq_order_event"),
        ]
        indexes = [models.Index(fields=["installation", "credited_at"])]
