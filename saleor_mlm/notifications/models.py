"""What was sent to whom, and the kinds a partner switched off.

`Notification` is the record of one mail about one event: unique per partner, kind and
event (`dedupe_key`), so an event is never mailed twice. It holds ids, no personal data:
the mail is written from the rows as they are when it is sent.
"""

from __future__ import annotations

from django.db import models

from . import NotificationKind, NotificationStatus, OptOutSource


class Notification(models.Model):
    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey("network.Partner", on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32, choices=NotificationKind.CHOICES)
    # What happened, e.g. "partner:17", "period:3", "payout:120", "reversal:4": with the
    # partner and the kind it makes `dedupe_key`.
    event_key = models.CharField(max_length=64)
    dedupe_key = models.CharField(max_length=128, unique=True)
    # The ids the mail is written from (a period, a payout item, a new partner ...).
    data = models.JSONField(default=dict)
    status = models.CharField(max_length=16, choices=NotificationStatus.CHOICES, default=NotificationStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    language = models.CharField(max_length=8, blank=True)  # the language it was sent in
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["partner", "kind"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.partner_id} ({self.event_key}, {self.status})"


def dedupe_key(partner_id: int, kind: str, event_key: str) -> str:
    return f"{partner_id}:{kind}:{event_key}"


class NotificationOptOut(models.Model):
    """A kind of notification the partner does not want; without a row, it is sent."""

    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey("network.Partner", on_delete=models.CASCADE, related_name="notification_opt_outs")
    kind = models.CharField(max_length=32, choices=NotificationKind.CHOICES)
    source = models.CharField(max_length=16, choices=OptOutSource.CHOICES)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partner", "kind"], name="uniq_notification_opt_out")]

    def __str__(self) -> str:
        return f"{self.partner_id} does not want {self.kind}"
