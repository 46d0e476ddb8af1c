"""Webhook deliveries are stored before anything processes them (headers and exact body
bytes), so that nothing Saleor sent is lost and every decision can be audited and replayed.

A request whose signature does not verify is not Saleor's: it is kept as a bounded record
only (its first UNVERIFIED_BODY_KEPT_BYTES, size and SHA-256), and deleted after a retention
period (`sweep.purge_unverified_deliveries`). See docs/adr/0003-webhooks-stored-first.md.
"""

from django.db import models
from django.utils import timezone

from . import DeliveryStatus

# What is kept of a body that failed the signature (and the longest stored header).
UNVERIFIED_BODY_KEPT_BYTES = 1024


class WebhookDelivery(models.Model):
    # The installation whose Saleor signed the body; null while (or because) no signature
    # verified: such a delivery holds only the first UNVERIFIED_BODY_KEPT_BYTES of its body.
    installation = models.ForeignKey(
        "installations.Installation", null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=64)
    saleor_api_url = models.CharField(max_length=512, blank=True)
    headers = models.JSONField(default=dict)
    # The exact bytes when verified; otherwise the first UNVERIFIED_BODY_KEPT_BYTES of them.
    body = models.BinaryField()
    # Size and SHA-256 (hex) of the whole body as received (null: stored before they were kept).
    body_size = models.PositiveIntegerField(null=True, blank=True)
    body_sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=16, choices=DeliveryStatus.CHOICES, default=DeliveryStatus.RECEIVED)
    error = models.TextField(blank=True)
    # Saleor object the event is about (order id, user id), for idempotency and search.
    subject_id = models.CharField(max_length=255, blank=True)
    # What makes two deliveries the same event (e.g. "<order id>:refunded:5.00"): a delivery
    # whose key was already processed is answered 200 and skipped (`actions.delivery_dedupe_key`).
    dedupe_key = models.CharField(max_length=512, blank=True)
    # What processing did, by step (ids of recorded objects, parsed customer), for audit
    # (`use_cases`).
    result = models.JSONField(default=dict, blank=True)
    # The HTTP status we answered Saleor with.
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    # When the request came in (intake sets it, and checks the payload's dates against it).
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "received_at"]),
            models.Index(fields=["installation", "event", "subject_id"]),
            models.Index(fields=["installation", "event", "dedupe_key"]),
            # The drain's claim (`batch.process_queued_batch`): the oldest QUEUED deliveries in
            # id order. Every delivery passes through QUEUED once, so an index on the status
            # keeps an entry per processed delivery until VACUUM gets to it, and the claim
            # grew to half a second per batch at 100,000 deliveries. This one holds only the
            # queued few, and is read in id order with the LIMIT.
            models.Index(fields=["id"], condition=models.Q(status="queued"), name="webhook_delivery_queued_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} #{self.pk} ({self.status})"

    @property
    def body_is_complete(self) -> bool:
        """Whether `body` holds every byte received (not only the head of an unverified one)."""
        return self.body_size is None or len(self.body) >= self.body_size
