"""A sync run: the window it reads, where it stands (the cursor of the next page), and
its report. A run stopped midway (a crash, Ctrl-C, Saleor down) is resumed from its
cursor by the next `orders sync` of the same window."""

from django.db import models

from . import SyncStatus, SyncTrigger


class SyncRun(models.Model):
    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="sync_runs")
    # Orders updated in Saleor within [since, until): new payments and later refunds alike.
    since = models.DateTimeField()
    until = models.DateTimeField(null=True, blank=True)  # open: up to now
    dry_run = models.BooleanField(default=False)
    trigger = models.CharField(max_length=16, choices=SyncTrigger.CHOICES, default=SyncTrigger.CLI)
    status = models.CharField(max_length=16, choices=SyncStatus.CHOICES, default=SyncStatus.RUNNING)
    # Saleor's `endCursor` of the last page whose orders are committed; "" before the first.
    cursor = models.TextField(blank=True)
    total_orders = models.IntegerField(default=0)  # Saleor's totalCount for the window
    # Counts by what happened (`actions.Counts`), and the differences left for a person:
    # [{"order": id, "number": ..., "kind": DifferenceKind, "detail": text}].
    counts = models.JSONField(default=dict, blank=True)
    differences = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    started_by = models.CharField(max_length=255, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["installation", "status"])]

    def __str__(self) -> str:
        return f"sync #{self.pk} from {self.since:%Y-%m-%d} ({self.status})"
