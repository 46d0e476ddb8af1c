"""The settlement periods and their audit log (the models of the `calendar` package).

A period is one calendar month per installation; it takes ledger entries while open. Its
figures come from a close run (`periods.models.PeriodRun`, above the ledger); `close_run`
names the run whose figures stand for it, by reference, as the ledger entries name their
period. Both tables kept the names of the periods app, where they began (migration
`calendar.0001_initial`, state only).
"""

from __future__ import annotations

from typing import Any

from django.db import models

from . import PeriodEventKind, PeriodStatus

USER: dict[str, Any] = {"max_length": 255, "blank": True}


class Period(models.Model):
    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="periods")
    # First and last day of the month, both inclusive, in the project's time zone (UTC).
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=16, choices=PeriodStatus.CHOICES, default=PeriodStatus.OPEN)
    # The run whose figures stand for the period (set when a close run succeeds).
    close_run = models.ForeignKey("periods.PeriodRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.CharField(**USER)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.CharField(**USER)
    committed_at = models.DateTimeField(null=True, blank=True)
    committed_by = models.CharField(**USER)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "periods_period"  # the table of the periods app, where it began
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

    @property
    def label(self) -> str:
        return f"{self.starts_on:%Y-%m}"


class PeriodEvent(models.Model):
    """The audit log of periods, plan versions, overrides, adjustments and holds.

    Written inside the transaction of the change it records: a refused change leaves none.
    """

    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=32, choices=PeriodEventKind.CHOICES)
    actor = models.CharField(**USER)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "periods_periodevent"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["installation", "kind", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} by {self.actor or '-'}"
