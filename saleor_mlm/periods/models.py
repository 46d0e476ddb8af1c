"""Settlement periods, plan versions, runs and what they store per partner.

A period is one calendar month per installation. Its figures come from a *close run*:
fetch (network and ledger -> arrays) -> compute (the pure engine) -> persist. The run
keeps the engine's inputs (`PeriodRunArray`, the snapshot), the plan and the exchange
rates it used, so that its figures and every statement line can be recomputed exactly,
whatever happens to the network later. See docs/periods.md.

Money is stored as `numeric(20, 4)` in the plan currency (wide enough for every ISO 4217
minor unit; the run's `currency` says which), volumes as `numeric(20, 2)`. Rank codes are
the plan's codes, "" for none.

The per-partner tables (`PartnerPeriodResult`, `PartnerBalance`) hold a million rows per
period: their references (partner, run, period) have no database constraint, which keeps
the bulk insert free of a lookup per row (a deferred foreign key check costs ten seconds
per million rows at commit). Partners are never deleted (the ledger protects them); runs
and periods drop their rows explicitly (`runs.supersede_runs`, `actions.reopen_period`).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from . import BalanceReason, PeriodEventKind, PeriodStatus, PlanStatus, RunKind, RunPhase, RunStatus

MONEY = {"max_digits": 20, "decimal_places": 4}
VOLUME = {"max_digits": 20, "decimal_places": 2}
RANK = {"max_length": 64, "blank": True}
USER = {"max_length": 255, "blank": True}


class Period(models.Model):
    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="periods")
    # First and last day of the month, both inclusive, in the project's time zone (UTC).
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=16, choices=PeriodStatus.CHOICES, default=PeriodStatus.OPEN)
    # The run whose figures stand for the period (set when a close run succeeds).
    close_run = models.ForeignKey("PeriodRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.CharField(**USER)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.CharField(**USER)
    committed_at = models.DateTimeField(null=True, blank=True)
    committed_by = models.CharField(**USER)
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
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["installation", "kind", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} by {self.actor or '-'}"


class PeriodSettings(models.Model):
    """Per installation: the minimum payout (Mindestauszahlung) in the plan currency."""

    installation = models.OneToOneField("installations.Installation", on_delete=models.CASCADE, related_name="period_settings")
    minimum_payout = models.DecimalField(max_digits=20, decimal_places=4, default=Decimal("25"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "period settings"

    def __str__(self) -> str:
        return f"minimum payout {self.minimum_payout}"


class PlanVersion(models.Model):
    """A compensation plan document, validated by the engine's plan loader.

    A draft may be edited and run in what-if comparisons. Activation freezes it and puts
    it in force from the first day of a month (`in_force_from`) until the next active
    version's start.
    """

    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="plan_versions")
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
        ordering = ["installation_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["installation", "in_force_from"],
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


class PeriodRun(models.Model):
    """One computation of a period: a close, a preview or a what-if comparison.

    `phase` and `percent` are written while it runs (readable by the API and dashboard).
    `plan_document`, `rates` and `settings` are the snapshot of what it used; the network
    and volumes are in `PeriodRunArray`. `summary` holds totals and statistics.
    """

    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="runs")
    kind = models.CharField(max_length=16, choices=RunKind.CHOICES)
    status = models.CharField(max_length=16, choices=RunStatus.CHOICES, default=RunStatus.PENDING)
    phase = models.CharField(max_length=16, choices=RunPhase.CHOICES, default=RunPhase.QUEUED)
    percent = models.PositiveSmallIntegerField(default=0)
    plan_version = models.ForeignKey(PlanVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="runs")
    # What-if: the draft compared with `plan_version`.
    compared_plan_version = models.ForeignKey(PlanVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
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


class Adjustment(models.Model):
    """Money added to (or taken from) a partner's balance of a period after the run.

    Not to be confused with the ledger's volume adjustments, which change PV/BV before it.
    """

    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey("network.Partner", on_delete=models.PROTECT, related_name="money_adjustments")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="adjustments")
    amount = models.DecimalField(**MONEY)
    reason = models.TextField()
    approved_by = models.CharField(max_length=255)
    created_by = models.CharField(**USER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["period", "partner"])]
        constraints = [
            models.CheckConstraint(condition=~models.Q(amount=0), name="adjustment_not_zero"),
            models.CheckConstraint(condition=~models.Q(reason="") & ~models.Q(approved_by=""), name="adjustment_reason_approver"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} for {self.partner_id} in {self.period_id}"


class PayoutHold(models.Model):
    """Nothing is paid to the partner for the periods from `starts_on` to `ends_on`
    (months, inclusive; open-ended while `ends_on` is null): the balance is carried forward."""

    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey("network.Partner", on_delete=models.PROTECT, related_name="payout_holds")
    reason = models.TextField()
    starts_on = models.DateField()  # first day of the first month held
    ends_on = models.DateField(null=True, blank=True)  # last day of the last month held
    created_by = models.CharField(**USER)
    created_at = models.DateTimeField(auto_now_add=True)
    released_by = models.CharField(**USER)
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["starts_on", "id"]
        indexes = [models.Index(fields=["installation", "partner"])]

    def __str__(self) -> str:
        return f"hold on {self.partner_id} from {self.starts_on} to {self.ends_on or 'release'}"

    def covers(self, starts_on) -> bool:
        """Whether the month starting on `starts_on` is held."""
        return self.starts_on <= starts_on and (self.ends_on is None or starts_on <= self.ends_on)


class PartnerBalance(models.Model):
    """What a partner is owed for a period and what of it is paid or carried forward.

    `payable = earned + adjustments + carried_in`; then either `paid = payable` or, when it
    is below the minimum payout, negative or held, `carried_forward = payable` (into the next
    period's `carried_in`). Rows exist only for partners with something to settle.
    """

    period = models.ForeignKey(Period, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="balances")
    partner = models.ForeignKey("network.Partner", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+")
    run = models.ForeignKey(PeriodRun, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+")
    earned = models.DecimalField(**MONEY)
    adjustments = models.DecimalField(**MONEY)
    carried_in = models.DecimalField(**MONEY)
    payable = models.DecimalField(**MONEY)
    paid = models.DecimalField(**MONEY)
    carried_forward = models.DecimalField(**MONEY)
    reason = models.CharField(max_length=16, choices=BalanceReason.CHOICES, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "partner"], name="uniq_balance_per_period_partner")]
        indexes = [models.Index(fields=["partner", "period"], name="balance_partner_period_idx")]

    def __str__(self) -> str:
        return f"{self.partner_id} in {self.period_id}: paid {self.paid}, carried {self.carried_forward}"
