"""Settings, number series and the issued documents.

`CreditNote` rows are append-only: the model refuses to save an existing row or delete
one, and on PostgreSQL a trigger refuses UPDATE and DELETE (migration 0001). What a
document shows is copied into it when it is issued (both parties, the tax profile in force,
the lines and amounts), so later changes of the partner, its profile or the settings never
change it. Money is `numeric(20, 4)` in the plan currency, exact to its minor unit.

The rendered PDF (with its Factur-X XML) is stored through a Django storage and recorded
in `CreditNoteFile`, one row per document, written once by the rendering task.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django_countries.fields import CountryField

from .document import DocumentKind

MONEY: dict[str, Any] = {"max_digits": 20, "decimal_places": 4}
KINDS = [(kind.value, kind.name.replace("_", " ").capitalize()) for kind in DocumentKind]


class CreditNoteSettings(models.Model):
    """Per installation: the number series, the retention and the issuer (the merchant)."""

    installation = models.OneToOneField("installations.Installation", on_delete=models.CASCADE, related_name="credit_note_settings")
    # Numbers are "<prefix><year>-<sequence, 5 digits>", e.g. GS-2026-00001; the first
    # sequence of each year is `number_start`.
    number_prefix = models.CharField(max_length=16, default="GS-")
    number_start = models.PositiveIntegerField(default=1, validators=[MinValueValidator(1)])
    # §14b UStG: invoices are kept 8 years from the end of the year they were issued in.
    retention_years = models.PositiveSmallIntegerField(default=8, validators=[MinValueValidator(1), MaxValueValidator(30)])
    issuer_name = models.CharField(max_length=255, blank=True)
    issuer_street = models.CharField(max_length=255, blank=True)
    issuer_postal_code = models.CharField(max_length=32, blank=True)
    issuer_city = models.CharField(max_length=128, blank=True)
    issuer_country = CountryField(default="DE")
    issuer_tax_number = models.CharField(max_length=32, blank=True)
    issuer_vat_id = models.CharField(max_length=32, blank=True)
    issuer_email = models.EmailField(blank=True)
    logo_png = models.BinaryField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "credit note settings"

    def __str__(self) -> str:
        return f"credit notes {self.number_prefix}YYYY-NNNNN from {self.number_start}"


class VatRate(models.Model):
    """The VAT rate (percent) the merchant applies to REGULAR partners of a country.
    Without a row for the partner's country the German rate applies (19 % unless set)."""

    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="+")
    country = CountryField()
    rate = models.DecimalField(max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["installation", "country"], name="uniq_vat_rate_country")]

    def __str__(self) -> str:
        return f"{self.country.code} {self.rate} %"


class NumberSeries(models.Model):
    """The next sequence number of an installation's year, taken under a row lock by the
    transaction that issues (`numbers.next_number`): a rolled-back issue gives it back."""

    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    next_sequence = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["installation", "year"], name="uniq_number_series_year")]

    def __str__(self) -> str:
        return f"{self.year}: next {self.next_sequence}"


class ImmutableRow(Exception):
    """An issued document or its file is never changed or deleted."""


class CreditNote(models.Model):
    """One issued document: a credit note, a commission statement or a cancellation."""

    # PROTECT: a retained document outlives nothing it refers to by accident.
    installation = models.ForeignKey("installations.Installation", on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey("calendar.Period", on_delete=models.PROTECT, related_name="credit_notes")
    partner = models.ForeignKey("network.Partner", on_delete=models.PROTECT, related_name="credit_notes")
    kind = models.CharField(max_length=16, choices=KINDS)
    number = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    issue_date = models.DateField()
    language = models.CharField(max_length=2)
    currency = models.CharField(max_length=3)
    tax_status = models.CharField(max_length=32)
    vat_rate = models.DecimalField(max_digits=5, decimal_places=2)
    net = models.DecimalField(**MONEY)
    vat = models.DecimalField(**MONEY)
    gross = models.DecimalField(**MONEY)
    tax_note = models.TextField(blank=True)
    # The parties as on the document: `document.Party` as JSON (address included).
    supplier = models.JSONField()
    recipient = models.JSONField()
    partner_code = models.CharField(max_length=64)
    # [{"kind": ..., "description": ..., "net": "12.34"}, ...]
    lines = models.JSONField()
    cancels = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="cancellations")
    reason = models.TextField(blank=True)
    issued_by = models.CharField(max_length=255)
    retain_until = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["installation", "number"], name="uniq_credit_note_number"),
            models.UniqueConstraint(fields=["installation", "year", "sequence"], name="uniq_credit_note_sequence"),
            # At most one cancellation per document.
            models.UniqueConstraint(fields=["cancels"], condition=models.Q(cancels__isnull=False), name="uniq_cancellation"),
        ]
        indexes = [models.Index(fields=["installation", "period"]), models.Index(fields=["partner", "issue_date"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableRow(f"credit note {self.number} is issued: it never changes (cancel it instead)")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRow(f"credit note {self.number} is kept until {self.retain_until} (§14b UStG)")

    @property
    def period_label(self) -> str:
        return f"{self.period.starts_on:%Y-%m}"


def retention_end(issue_date: datetime.date, years: int) -> datetime.date:
    """The last day a document must be kept: the end of the `years`-th year after the year
    it was issued in (§14b UStG counts from the end of the calendar year)."""
    return datetime.date(issue_date.year + years, 12, 31)


class CreditNoteFile(models.Model):
    """The stored PDF of a document (with its Factur-X XML), written once."""

    credit_note = models.OneToOneField(CreditNote, on_delete=models.PROTECT, related_name="file")
    path = models.CharField(max_length=255)  # the name in the storage (`CREDIT_NOTES_STORAGE`)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.path

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableRow(f"the file of credit note {self.credit_note_id} is stored: it never changes")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRow("a stored credit note file is kept for the retention period")
