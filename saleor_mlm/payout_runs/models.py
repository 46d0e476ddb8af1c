"""Payout runs, their items, the SEPA files and Stripe's stored webhook events.

Money is `numeric(20, 4)` in the plan currency, as everywhere. An item's state only moves
forward (`ItemStatus`) and is changed under its row lock (`select_for_update`); a SEPA file is
written once and never changed, and an item is in at most one file (`sepa_file` is set once,
in the transaction that writes the file).
"""

from __future__ import annotations

from django.db import models

from saleor_mlm.payouts import PayoutMethod
from saleor_mlm.periods.models import MONEY, USER

from . import ItemStatus, RunStatus, SkipReason, StripeEventStatus


class PayoutRun(models.Model):
    """The payout of one committed period: created by one merchant user, approved by another."""

    installation = models.ForeignKey("installations.Installation", on_delete=models.PROTECT, related_name="+")
    period = models.OneToOneField("calendar.Period", on_delete=models.PROTECT, related_name="payout_run")
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=16, choices=RunStatus.CHOICES, default=RunStatus.CREATED)
    created_by = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.CharField(**USER)
    approved_at = models.DateTimeField(null=True, blank=True)
    executed_by = models.CharField(**USER)
    started_at = models.DateTimeField(null=True, blank=True)  # first execution
    executed_at = models.DateTimeField(null=True, blank=True)  # last execution that finished

    class Meta:
        ordering = ["-period__starts_on"]

    def __str__(self) -> str:
        return f"payout run {self.pk} ({self.status})"


class PayoutItem(models.Model):
    """One partner's payout of the run: the amount of its credit note in force (its gross;
    the net where there is no VAT, which is the same)."""

    run = models.ForeignKey(PayoutRun, on_delete=models.PROTECT, related_name="items")
    installation = models.ForeignKey("installations.Installation", on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey("network.Partner", on_delete=models.PROTECT, related_name="payout_items")
    credit_note = models.ForeignKey("credit_notes.CreditNote", on_delete=models.PROTECT, related_name="payout_items")
    method = models.CharField(max_length=8, choices=PayoutMethod.CHOICES)
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=16, choices=ItemStatus.CHOICES, default=ItemStatus.PENDING)
    skip_reason = models.CharField(max_length=16, choices=SkipReason.CHOICES, blank=True)
    # Stripe: the key every attempt of this item's Transfer is sent with (payout-<run>-<partner>).
    idempotency_key = models.CharField(max_length=64, blank=True)
    stripe_transfer_id = models.CharField(max_length=255, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # SEPA: the file the item is in (set once) and its end-to-end id (the credit note's number).
    sepa_file = models.ForeignKey("SepaFile", null=True, blank=True, on_delete=models.PROTECT, related_name="items")
    end_to_end_id = models.CharField(max_length=35, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True)
    # Stripe: what of the Transfer was reversed so far, in all (`PayoutReversal`, a part each).
    amount_reversed = models.DecimalField(**MONEY, default=0)
    # The adjustment that put a failed or returned amount back on the partner's balance.
    balance_adjustment = models.OneToOneField(
        "payouts.BalanceAdjustment", null=True, blank=True, on_delete=models.PROTECT, related_name="returned_payout"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "partner"], name="uniq_payout_item_partner"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payout_item_positive"),
        ]
        indexes = [
            models.Index(fields=["run", "status"]),
            models.Index(fields=["partner", "status"]),
            models.Index(fields=["installation", "stripe_transfer_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} to {self.partner_id} ({self.method}, {self.status})"


class PayoutReversal(models.Model):
    """A part of a paid Stripe Transfer that was reversed (`returns.reversed_in_part`): the
    credit note in force was cancelled and reissued for what stays paid, and the part went
    back on the partner's balance. `total_reversed` is Stripe's `amount_reversed` after this
    part: a redelivered or late event with a total already recorded changes nothing."""

    item = models.ForeignKey(PayoutItem, on_delete=models.PROTECT, related_name="reversals")
    installation = models.ForeignKey("installations.Installation", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(**MONEY)  # this part, gross, in the plan currency
    total_reversed = models.DecimalField(**MONEY)
    cancellation = models.OneToOneField("credit_notes.CreditNote", on_delete=models.PROTECT, related_name="+")
    replacement = models.OneToOneField("credit_notes.CreditNote", on_delete=models.PROTECT, related_name="+")
    balance_adjustment = models.OneToOneField("payouts.BalanceAdjustment", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    recorded_by = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "total_reversed"], name="uniq_payout_reversal_total"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payout_reversal_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} of {self.item_id} reversed ({self.total_reversed} in all)"


class SepaFile(models.Model):
    """A pain.001.001.09 credit transfer file of a run, validated before it was stored.
    Written once; the merchant uploads it to the bank and marks it executed."""

    run = models.ForeignKey(PayoutRun, on_delete=models.PROTECT, related_name="sepa_files")
    installation = models.ForeignKey("installations.Installation", on_delete=models.PROTECT, related_name="+")
    message_id = models.CharField(max_length=35)
    content = models.TextField()
    sha256 = models.CharField(max_length=64)
    transaction_count = models.PositiveIntegerField()
    control_sum = models.DecimalField(**MONEY)
    created_by = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    executed_by = models.CharField(**USER)
    executed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["installation", "message_id"], name="uniq_sepa_message_id")]

    def __str__(self) -> str:
        return f"SEPA file {self.message_id}: {self.transaction_count} transfers, {self.control_sum}"

    @property
    def filename(self) -> str:
        return f"payouts-{self.run.period.starts_on:%Y-%m}-{self.pk}.xml"


class StripeEvent(models.Model):
    """A request to the Stripe webhook endpoint, stored before it is trusted
    (`stripe_webhooks`): the body and signature as they came; the event's id and type once
    the signature verified. A verified event id is stored once per installation."""

    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="+")
    event_id = models.CharField(max_length=255, blank=True)
    type = models.CharField(max_length=255, blank=True)
    created = models.BigIntegerField(default=0)  # Stripe's `created` of the event (Unix time)
    body = models.TextField()
    signature = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=16, choices=StripeEventStatus.CHOICES, default=StripeEventStatus.UNVERIFIED)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["received_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["installation", "event_id"], condition=~models.Q(event_id=""), name="uniq_stripe_event"),
        ]
        indexes = [models.Index(fields=["installation", "status", "received_at"])]

    def __str__(self) -> str:
        return f"{self.type or 'stripe event'} {self.event_id} ({self.status})"
