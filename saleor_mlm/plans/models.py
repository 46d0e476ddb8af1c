"""Plan versions: the compensation plan documents of an installation.

The table keeps the name it had in the periods app (`periods_planversion`): the model
moved here without touching the data (plans/migrations/0001_initial.py).
"""

from __future__ import annotations

from typing import Any

from django.db import models

from saleor_mlm.programs.fetch import default_program

from . import PlanStatus

# Users are identified by e-mail, as elsewhere in the app.
USER: dict[str, Any] = {"max_length": 255, "blank": True}


class PlanVersion(models.Model):
    """A compensation plan document, validated by the engine's plan loader.

    A draft may be edited and run in what-if comparisons. Activation freezes it and puts
    it in force from the first day of a month (`in_force_from`) until the next active
    version's start.
    """

    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="plan_versions")
    # The program whose plan it is (the installation's default program unless given).
    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="plan_versions")
    name = models.CharField(max_length=255)
    document = models.JSONField()
    status = models.CharField(max_length=16, choices=PlanStatus.CHOICES, default=PlanStatus.DRAFT)
    in_force_from = models.DateField(null=True, blank=True)
    # Set when the engine's plan loader accepted the document; `errors` lists what it
    # refused otherwise ([{"key": "ranks[1].difference_rate", "message": ...}]).
    validated_at = models.DateTimeField(null=True, blank=True)
    errors = models.JSONField(default=list, blank=True)
    created_by = models.CharField(**USER)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    activated_by = models.CharField(**USER)
    activated_at = models.DateTimeField(null=True, blank=True)
    retired_by = models.CharField(**USER)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "periods_planversion"
        ordering = ["installation_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "in_force_from"],
                condition=models.Q(status=PlanStatus.ACTIVE),
                name="uniq_active_plan_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=PlanStatus.ACTIVE) | models.Q(in_force_from__isnull=False),
                name="active_plan_has_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"

    def save(self, *args, **kwargs):
        if self.program_id is None and self.installation_id is not None:
            self.program = default_program(self.installation_id)
        super().save(*args, **kwargs)
