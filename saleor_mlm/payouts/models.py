"""Adjustments, payout holds, the minimum payout and the balances of settled periods.

The models moved here from the periods app with their data untouched: each keeps its
table (`db_table`, payouts/migrations/0001_initial.py), so existing databases migrate
without copying a row. Money is `numeric(20, 4)` in the plan currency, as in the periods'
tables.

`PartnerBalance` holds a row per partner and period: its references have no database
constraint, which keeps the close run's bulk insert free of a lookup per row (see
`periods.models`).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from saleor_mlm.periods.models import MONEY, USER

from . import BalanceReason


class PayoutSettings(models.Model):
    """Per installation: the minimum payout (Mindestauszahlung) in the plan currency."""

    installation = models.OneToOneField("installations.Installation", on_delete=models.CASCADE, related_name="payout_settings")
    minimum_payout = models.DecimalField(max_digits=20, decimal_places=4, default=Decimal("25"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "periods_periodsettings"
        verbose_name_plural = "payout settings"

    def __str__(self) -> str:
        return f"minimum payout {self.minimum_payout}"


class BalanceAdjustment(models.Model):
    """Money added to (or taken from) a partner's balance of a period after the run.

    Not to be confused with the ledger's volume adjustments, which change PV/BV before it.
    The API calls it `Adjustment` (type, `adjustmentCreate`, `adjustments`).
    """

    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey("network.Partner", on_delete=models.PROTECT, related_name="money_adjustments")
    period = models.ForeignKey("calendar.Period", on_delete=models.PROTECT, related_name="adjustments")
    amount = models.DecimalField(**MONEY)
    reason = models.TextField()
    approved_by = models.CharField(max_length=255)
    created_by = models.CharField(**USER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "periods_adjustment"
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
        db_table = "periods_payouthold"
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

    period = models.ForeignKey("calendar.Period", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="balances")
    partner = models.ForeignKey("network.Partner", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+")
    run = models.ForeignKey(
        "periods.PeriodRun", null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    earned = models.DecimalField(**MONEY)
    adjustments = models.DecimalField(**MONEY)
    carried_in = models.DecimalField(**MONEY)
    payable = models.DecimalField(**MONEY)
    paid = models.DecimalField(**MONEY)
    carried_forward = models.DecimalField(**MONEY)
    reason = models.CharField(max_length=16, choices=BalanceReason.CHOICES, blank=True)

    class Meta:
        db_table = "periods_partnerbalance"
        constraints = [models.UniqueConstraint(fields=["period", "partner"], name="uniq_balance_per_period_partner")]
        indexes = [models.Index(fields=["partner", "period"], name="balance_partner_period_idx")]

    def __str__(self) -> str:
        return f"{self.partner_id} in {self.period_id}: paid {self.paid}, carried {self.carried_forward}"
