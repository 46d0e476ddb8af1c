"""The volume ledger: what each node (partner or customer) bought, period by period.

`LedgerEntry` rows are never updated or deleted (the model refuses, and on PostgreSQL a
trigger from migration 0002 refuses too): a refund or a correction is a new entry. An
entry holds the *own* volume of the node that bought; splits between sponsor and Betreuer
happen when the engine rolls volumes up (docs/adr/0004-append-only-ledger.md).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models

from . import AttributionRule, EntryKind, ParkReason

VOLUME: dict[str, Any] = {"max_digits": 20, "decimal_places": 4}


class AppendOnlyError(Exception):
    """Raised on an attempt to change or remove a ledger entry."""


class VolumeSettings(models.Model):
    """How an installation's order lines turn into PV and BV (one row per installation).

    `plan_currency` must be the currency of the installation's compensation plan: BV is
    commissionable value in that currency.
    """

    installation = models.OneToOneField("installations.Installation", on_delete=models.CASCADE, related_name="volume_settings")
    plan_currency = models.CharField(max_length=3, default="EUR")
    # PV of a line without PV metadata: its BV times this ratio (1 = one point per euro).
    pv_per_bv = models.DecimalField(max_digits=12, decimal_places=6, default=Decimal(1))
    # Metadata keys on variants and products holding PV / BV per unit.
    pv_metadata_key = models.CharField(max_length=64, default="mlm.pv")
    bv_metadata_key = models.CharField(max_length=64, default="mlm.bv")
    # Key of a partner's referral code in order metadata (set by storefronts from a
    # referral link) and in the Saleor customer's metadata.
    referral_metadata_key = models.CharField(max_length=64, default="mlm_referral_code")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "volume settings"

    def __str__(self) -> str:
        return f"volume settings of {self.installation_id}"


class ExchangeRate(models.Model):
    """A daily rate, maintained by the merchant (`saleor-mlm rates import`).

    `rate` is plan-currency units per 1 unit of `currency`: 100 USD at 0.92 is 92 EUR.
    An order uses the rate of its date, else the latest one before it.
    """

    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="exchange_rates")
    currency = models.CharField(max_length=3)
    plan_currency = models.CharField(max_length=3)
    rate = models.DecimalField(max_digits=20, decimal_places=10)
    valid_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["installation", "currency", "plan_currency", "valid_on"], name="uniq_exchange_rate_per_day"
            ),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="exchange_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.rate} {self.plan_currency} on {self.valid_on}"


class LedgerEntryQuerySet(models.QuerySet):
    """Refuses bulk changes: `update()` and `delete()` would bypass `save()`."""

    def update(self, **kwargs):
        raise AppendOnlyError("Ledger entries are append-only: add an adjustment instead of updating.")

    def delete(self):
        raise AppendOnlyError("Ledger entries are append-only: add an adjustment instead of deleting.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("Ledger entries are append-only: add an adjustment instead of updating.")

    def own_volumes(self):
        """Per node sums of this queryset: rows of partner_id, customer_id, pv, bv."""
        return self.values("partner_id", "customer_id").annotate(pv=models.Sum("pv"), bv=models.Sum("bv")).order_by()


class LedgerEntry(models.Model):
    """One line of volume on one node in one period. Exactly one of partner / customer.

    A customer's entry is the customer's own volume: the engine attaches it to the
    customer's sponsor and Betreuer by the edge weights in force, so the ledger is never
    rewritten when a customer is assigned or a split changes.
    """

    installation = models.ForeignKey("installations.Installation", on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey("calendar.Period", on_delete=models.PROTECT, related_name="ledger_entries")
    partner = models.ForeignKey("network.Partner", null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries")
    customer = models.ForeignKey("network.Customer", null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries")
    kind = models.CharField(max_length=16, choices=EntryKind.CHOICES)
    # The partner program the volume counts in; null: the installation's default program
    # (every entry written before programs existed, and every default entry since:
    # docs/adr/0007-partner-programs.md).
    program = models.ForeignKey("programs.Program", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey("orders.OrderRecord", null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries")
    # Saleor's order line id; blank for adjustments.
    order_line_id = models.CharField(max_length=255, blank=True)
    pv = models.DecimalField(**VOLUME)
    bv = models.DecimalField(**VOLUME)
    # The order event that caused the entry, and the webhook delivery that brought it.
    # The delivery is kept as a bare id (no foreign key constraint): deliveries may be
    # pruned one day, and an entry must never be changed by that.
    source_event = models.ForeignKey("orders.OrderEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries")
    delivery = models.ForeignKey(
        "webhooks.WebhookDelivery", null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    reason = models.TextField(blank=True)
    approved_by = models.CharField(max_length=255, blank=True)
    created_by = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(partner__isnull=False, customer__isnull=True) | models.Q(partner__isnull=True, customer__isnull=False)),
                name="ledger_entry_one_node",
            ),
            # An order event writes at most one entry per order line and program: a second
            # attempt to credit the same event fails here even if every other guard were
            # bypassed. (Two constraints: the default program's entries have no program.)
            models.UniqueConstraint(
                fields=["source_event", "order_line_id"],
                condition=models.Q(source_event__isnull=False, program__isnull=True),
                name="uniq_ledger_entry_per_event_line",
            ),
            models.UniqueConstraint(
                fields=["source_event", "order_line_id", "program"],
                condition=models.Q(source_event__isnull=False, program__isnull=False),
                name="uniq_ledger_entry_per_event_line_program",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=EntryKind.ADJUSTMENT) | (~models.Q(reason="") & ~models.Q(approved_by="")),
                name="ledger_adjustment_reason_and_approver",
            ),
        ]
        indexes = [
            # The per-period sum of own PV/BV per node of a program is one index-only scan on
            # PostgreSQL (the columns summed are included in the index).
            models.Index(
                fields=["installation", "period", "program", "partner", "customer"], include=["pv", "bv"], name="ledger_period_node_idx"
            ),
            models.Index(fields=["order", "order_line_id"], name="ledger_order_line_idx"),
        ]

    def __str__(self) -> str:
        node = f"partner {self.partner_id}" if self.partner_id else f"customer {self.customer_id}"
        return f"{self.kind} {node}: PV {self.pv} BV {self.bv}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Ledger entries are append-only: add an adjustment instead of updating.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Ledger entries are append-only: add an adjustment instead of deleting.")

    @property
    def node(self):
        return self.partner if self.partner_id else self.customer


class OrderAttribution(models.Model):
    """Who an order's volume was recorded on, by which rule, and exactly what was credited
    per line: refunds take back from this snapshot, never from a recomputation."""

    installation = models.ForeignKey("installations.Installation", on_delete=models.PROTECT, related_name="+")
    order = models.OneToOneField("orders.OrderRecord", on_delete=models.PROTECT, related_name="attribution")
    partner = models.ForeignKey("network.Partner", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey("network.Customer", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(max_length=32, choices=AttributionRule.CHOICES)
    # The partner whose code or sponsorship decided (for customers), for the audit trail.
    via_partner = models.ForeignKey("network.Partner", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source_event = models.ForeignKey("orders.OrderEvent", on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey("calendar.Period", on_delete=models.PROTECT, related_name="+")
    order_currency = models.CharField(max_length=3)
    plan_currency = models.CharField(max_length=3)
    # The rate used for price-based BV (null when no line needed one).
    exchange_rate = models.DecimalField(max_digits=20, decimal_places=10, null=True, blank=True)
    exchange_rate_valid_on = models.DateField(null=True, blank=True)
    # [{"line_id", "sku", "quantity", "pv", "bv", "pv_source", "bv_source"}], decimals as strings.
    lines = models.JSONField(default=list)
    pv = models.DecimalField(**VOLUME)
    bv = models.DecimalField(**VOLUME)
    # A house customer's order (rule 4) that carried a referral code no partner has: the
    # code as the storefront sent it, listed for the merchant (`unknown_code_orders`).
    unknown_referral_code = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(partner__isnull=False, customer__isnull=True) | models.Q(partner__isnull=True, customer__isnull=False)),
                name="order_attribution_one_node",
            ),
        ]
        indexes = [models.Index(fields=["installation", "rule"])]

    def __str__(self) -> str:
        return f"{self.order} -> {self.rule}"


class ParkedOrderEvent(models.Model):
    """An order event that could not be credited yet, with the reason.

    Resolved (not deleted) once credited; `attempts` counts the tries.
    """

    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="+")
    order_event = models.OneToOneField("orders.OrderEvent", on_delete=models.CASCADE, related_name="parked")
    order = models.ForeignKey("orders.OrderRecord", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=32, choices=ParkReason.CHOICES)
    message = models.TextField()
    attempts = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(auto_now=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["installation", "resolved_at", "reason"])]

    def __str__(self) -> str:
        return f"{self.order_event_id}: {self.message}"
