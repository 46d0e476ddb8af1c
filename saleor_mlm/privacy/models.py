"""What the privacy app records: that a person was erased (no personal data in it)."""

from django.db import models


class Erasure(models.Model):
    """A partner's or a customer's erasure: when, by whom, what was changed (counts per
    column). Also what tells the app the record is a pseudonym now (erased once only)."""

    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="+")
    partner = models.OneToOneField("network.Partner", null=True, blank=True, on_delete=models.PROTECT, related_name="erasure")
    customer = models.OneToOneField("network.Customer", null=True, blank=True, on_delete=models.PROTECT, related_name="erasure")
    erased_by = models.CharField(max_length=255)
    reason = models.TextField(blank=True)
    # {"model.field": rows changed}: what the erasure rewrote, for the accountability record.
    changed = models.JSONField(default=dict)
    erased_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(partner__isnull=False, customer__isnull=True) | models.Q(partner__isnull=True, customer__isnull=False)),
                name="erasure_one_person",
            ),
        ]

    def __str__(self) -> str:
        who = f"partner {self.partner_id}" if self.partner_id else f"customer {self.customer_id}"
        return f"erasure of {who} at {self.erased_at:%Y-%m-%d}"
