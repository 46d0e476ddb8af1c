"""Runs of settlement periods and what they store per partner (the periods themselves and
their audit log are `calendar.models`).

Plan versions live in `plans`, adjustments, payout holds and balances in `payouts`
(docs/architecture.md, "Packages for the money").

A period is one calendar month per installation. Its figures come from a *close run*:
fetch (network and ledger -> arrays) -> compute (the pure engine) -> persist. The run
keeps the engine's inputs (`PeriodRunArray`, the snapshot), the plan and the exchange
rates it used, so that its figures and every statement line can be recomputed exactly,
whatever happens to the network later. See docs/periods.md.

Money is stored as `numeric(20, 4)` in the plan currency (wide enough for every ISO 4217
minor unit; the run's `currency` says which), volumes as `numeric(20, 2)`. Rank codes are
the plan's codes, "" for none.

The per-partner tables (`PartnerPeriodResult`, `payouts.PartnerBalance`) hold a million rows per
period: their references (partner, run, period) have no database constraint, which keeps
the bulk insert free of a lookup per row (a deferred foreign key check costs ten seconds
per million rows at commit). Partners are never deleted (the ledger protects them); runs
and periods drop their rows explicitly (`runs.supersede_runs`, `actions.reopen_period`).
"""

from __future__ import annotations

from typing import Any

from django.db import models

from saleor_mlm.calendar.models import Period

from . import RunKind, RunPhase, RunStatus

MONEY: dict[str, Any] = {"max_digits": 20, "decimal_places": 4}
VOLUME: dict[str, Any] = {"max_digits": 20, "decimal_places": 2}
RANK: dict[str, Any] = {"max_length": 64, "blank": True}
USER: dict[str, Any] = {"max_length": 255, "blank": True}


class PeriodRun(models.Model):
    """One computation of a period: a close, a preview or a what-if comparison.

    `phase` and `percent` are written while it runs (readable by the API and dashboard).
    `plan_document`, `rates` and `settings` are the snapshot of what it used; the network
    and volumes are in `PeriodRunArray`. `summary` holds totals and statistics.
    """

    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="runs")
    kind = models.CharField(max_length=16, choices=RunKind.CHOICES)
    # The partner program whose network and volume it computes; null: the installation's
    # default program (every run before programs existed; docs/programs.md).
    program = models.ForeignKey("programs.Program", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=RunStatus.CHOICES, default=RunStatus.PENDING)
    phase = models.CharField(max_length=16, choices=RunPhase.CHOICES, default=RunPhase.QUEUED)
    percent = models.PositiveSmallIntegerField(default=0)
    plan_version = models.ForeignKey("plans.PlanVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="runs")
    # What-if: the draft compared with `plan_version`.
    compared_plan_version = models.ForeignKey("plans.PlanVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # What-if: the run whose snapshot it used.
    source_run = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    plan_document = models.JSONField(null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    minor_digits = models.PositiveSmallIntegerField(default=2)
    rates = models.JSONField(default=list, blank=True)
    settings = models.JSONField(default=dict, blank=True)
    # Care assignments and split agreements in force at this moment were used.
    network_at = models.DateTimeField(null=True, blank=True)
    # sha256 over the snapshot arrays, checked when a statement loads them.
    snapshot_digest = models.CharField(max_length=64, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    requested_by = models.CharField(**USER)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["period", "kind", "status"])]

    def __str__(self) -> str:
        return f"{self.kind} run {self.pk} of {self.period_id} ({self.status}, {self.phase} {self.percent}%)"

    @property
    def has_snapshot(self) -> bool:
        return bool(self.snapshot_digest)


class PeriodRunArray(models.Model):
    """One array of a run's snapshot: a zlib-compressed `.npy` (see `snapshot`)."""

    run = models.ForeignKey(PeriodRun, on_delete=models.CASCADE, related_name="arrays")
    name = models.CharField(max_length=64)
    data = models.BinaryField()
    size = models.BigIntegerField()  # bytes of the uncompressed .npy

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "name"], name="uniq_run_array")]

    def __str__(self) -> str:
        return f"{self.name} of run {self.run_id}"


class PartnerPeriodResult(models.Model):
    """A partner's figures in one run: volumes (shown volumes: hundredths rounded toward
    minus infinity, `engine.volumes.shown_volume`), ranks, bonuses (rounded once, half up).

    Rows are removed with their run by `runs.supersede_runs` (one DELETE), not by a
    cascade that would load a million rows first.
    """

    # Indexed by the unique (run, partner) and (partner, run) below: no index of their own.
    run = models.ForeignKey(PeriodRun, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="results")
    partner = models.ForeignKey("network.Partner", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+")
    pv = models.DecimalField(**VOLUME)
    gv = models.DecimalField(**VOLUME)
    ov = models.DecimalField(**VOLUME)
    pbv = models.DecimalField(**VOLUME)
    gbv = models.DecimalField(**VOLUME)
    obv = models.DecimalField(**VOLUME)
    qualified = models.BooleanField()
    # The rank the requirements give; `paid_as_rank` differs when an override applied.
    calculated_rank = models.CharField(**RANK)
    paid_as_rank = models.CharField(**RANK)
    career_rank = models.CharField(**RANK)
    previous_career_rank = models.CharField(**RANK)
    rank_overridden = models.BooleanField(default=False)
    customer_bonus = models.DecimalField(**MONEY)
    level_bonus = models.DecimalField(**MONEY)
    difference_bonus = models.DecimalField(**MONEY)
    generation_bonus = models.DecimalField(**MONEY)
    advancement_bonus = models.DecimalField(**MONEY)
    total = models.DecimalField(**MONEY)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "partner"], name="uniq_result_per_run_partner")]
        indexes = [models.Index(fields=["partner", "run"], name="result_partner_run_idx")]

    def __str__(self) -> str:
        return f"{self.partner_id} in run {self.run_id}: {self.paid_as_rank or '-'} {self.total}"


class RankOverride(models.Model):
    """A rank set by the company for one partner and period; beats the calculation.

    It counts as the paid-as rank of a qualified partner, bonuses included (docs/periods.md).
    """

    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey("network.Partner", on_delete=models.PROTECT, related_name="rank_overrides")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="rank_overrides")
    rank = models.CharField(max_length=64)
    reason = models.TextField()
    approved_by = models.CharField(max_length=255)
    created_by = models.CharField(**USER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partner", "period"], name="uniq_rank_override"),
            models.CheckConstraint(condition=~models.Q(reason="") & ~models.Q(approved_by=""), name="rank_override_reason_approver"),
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} as {self.rank} in {self.period_id}"
