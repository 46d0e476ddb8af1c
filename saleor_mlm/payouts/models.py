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

from saleor_mlm.core import crypto
from saleor_mlm.periods.models import MONEY, USER

from . import BalanceReason, PayoutMethod, ProfileChangeKind


def _decrypted(token: str) -> str:
    return crypto.decrypt(token) if token else ""


def _encrypted(value: str) -> str:
    return crypto.encrypt(value) if value else ""


class PayoutSettings(models.Model):
    """Per installation: the minimum payout (Mindestauszahlung) in the plan currency, the
    merchant's bank account the SEPA files debit, and the Stripe keys (both encrypted with
    `FIELD_ENCRYPTION_KEY`, `core.crypto`; read them through the properties)."""

    installation = models.OneToOneField("installations.Installation", on_delete=models.CASCADE, related_name="payout_settings")
    minimum_payout = models.DecimalField(max_digits=20, decimal_places=4, default=Decimal("25"))
    debtor_name = models.CharField(max_length=70, blank=True)
    encrypted_debtor_iban = models.TextField(blank=True)
    encrypted_debtor_bic = models.TextField(blank=True)
    encrypted_stripe_secret_key = models.TextField(blank=True)
    encrypted_stripe_webhook_secret = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    @property
    def debtor_iban(self) -> str:
        return _decrypted(self.encrypted_debtor_iban)

    @debtor_iban.setter
    def debtor_iban(self, value: str) -> None:
        self.encrypted_debtor_iban = _encrypted(value)

    @property
    def debtor_bic(self) -> str:
        return _decrypted(self.encrypted_debtor_bic)

    @debtor_bic.setter
    def debtor_bic(self, value: str) -> None:
        self.encrypted_debtor_bic = _encrypted(value)

    @property
    def stripe_secret_key(self) -> str:
        return _decrypted(self.encrypted_stripe_secret_key)

    @stripe_secret_key.setter
    def stripe_secret_key(self, value: str) -> None:
        self.encrypted_stripe_secret_key = _encrypted(value)

    @property
    def stripe_webhook_secret(self) -> str:
        return _decrypted(self.encrypted_stripe_webhook_secret)

    @stripe_webhook_secret.setter
    def stripe_webhook_secret(self, value: str) -> None:
        self.encrypted_stripe_webhook_secret = _encrypted(value)

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


class PayoutProfile(models.Model):
    """How a partner is paid: the method and, for SEPA, the account holder and bank account.

    IBAN and BIC are encrypted at rest (`core.crypto`); `iban_masked` is what every page and
    answer shows (`payouts.bank.mask_iban`). A changed IBAN sets `bank_change_pending`: the
    partner's next payout waits until the merchant confirms the change (`confirm_bank_change`).
    Every change is kept in `PayoutProfileChange`.
    """

    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="+")
    partner = models.OneToOneField("network.Partner", on_delete=models.PROTECT, related_name="payout_profile")
    method = models.CharField(max_length=8, choices=PayoutMethod.CHOICES, default=PayoutMethod.NONE)
    account_holder = models.CharField(max_length=70, blank=True)
    encrypted_iban = models.TextField(blank=True)
    encrypted_bic = models.TextField(blank=True)
    iban_masked = models.CharField(max_length=48, blank=True)
    bank_change_pending = models.BooleanField(default=False)
    updated_by = models.CharField(**USER)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["installation", "method"])]

    def __str__(self) -> str:
        return f"{self.partner_id}: {self.method} {self.iban_masked}".strip()

    @property
    def iban(self) -> str:
        return _decrypted(self.encrypted_iban)

    @iban.setter
    def iban(self, value: str) -> None:
        self.encrypted_iban = _encrypted(value)

    @property
    def bic(self) -> str:
        return _decrypted(self.encrypted_bic)

    @bic.setter
    def bic(self, value: str) -> None:
        self.encrypted_bic = _encrypted(value)


class PayoutProfileChange(models.Model):
    """One entry of a payout profile's history: who changed what and when (IBANs masked).
    Append-only: entries are written, never changed."""

    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey("network.Partner", on_delete=models.PROTECT, related_name="payout_profile_changes")
    kind = models.CharField(max_length=16, choices=ProfileChangeKind.CHOICES)
    method = models.CharField(max_length=8, choices=PayoutMethod.CHOICES)
    account_holder = models.CharField(max_length=70, blank=True)
    iban_masked = models.CharField(max_length=48, blank=True)
    previous_iban_masked = models.CharField(max_length=48, blank=True)
    by_partner = models.BooleanField(default=False)  # the partner itself (else the merchant)
    changed_by = models.CharField(max_length=255)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["partner", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.partner_id} by {self.changed_by}"


class StripeAccount(models.Model):
    """A partner's Stripe Connect Express account, mirrored from Stripe.

    Created by the first `payoutAccountLink`; `payouts_enabled` and the rest follow Stripe's
    `account.updated` events (never a redirect back from the onboarding). `event_created` is
    the creation time of the newest event applied: an older event arriving late changes nothing.
    """

    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="+")
    partner = models.OneToOneField("network.Partner", on_delete=models.PROTECT, related_name="stripe_account")
    account_id = models.CharField(max_length=255)
    payouts_enabled = models.BooleanField(default=False)
    details_submitted = models.BooleanField(default=False)
    default_currency = models.CharField(max_length=3, blank=True)
    event_created = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["installation", "account_id"], name="uniq_stripe_account")]

    def __str__(self) -> str:
        return f"{self.account_id} ({'payouts enabled' if self.payouts_enabled else 'not ready'})"
