"""Settlement periods: one calendar month per installation.

This is the minimum the ledger needs (every entry belongs to a period, and a closed
period takes no new entries). Closing, runs and approval are added by the periods domain.
"""

from django.db import models

from . import PeriodStatus


class Period(models.Model):
    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="periods")
    # First and last day of the month, both inclusive, in the project's time zone (UTC).
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=16, choices=PeriodStatus.CHOICES, default=PeriodStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["installation_id", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["installation", "starts_on"], name="uniq_period_start"),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="period_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on:%Y-%m} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == PeriodStatus.OPEN
