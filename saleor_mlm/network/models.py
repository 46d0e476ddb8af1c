"""The partner network: partners, customers, Betreuer (care) assignments, split agreements.

The `sponsor` reference is the source of truth of the genealogy; anything derived from it
(levels, paths, arrays for the engine) is rebuildable. Every change of sponsor, care or
status is written to `NetworkChange` with who, when and why.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from django.db.models.functions import Upper
from django_countries.fields import CountryField

from . import AttributionSource, ChangeKind, PartnerStatus, TaxStatus

SHARE = {
    "max_digits": 5,
    "decimal_places": 4,
    "validators": [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
}


class Partner(models.Model):
    """A Vertriebspartner: recruits, sells, looks after customers, earns."""

    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="partners")
    saleor_user_id = models.CharField(max_length=255, blank=True)
    email = models.EmailField()
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    referral_code = models.CharField(max_length=64)
    sponsor = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="frontline")
    status = models.CharField(max_length=16, choices=PartnerStatus.CHOICES, default=PartnerStatus.ACTIVE)
    status_reason = models.TextField(blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    country = CountryField(blank=True)
    language = models.CharField(max_length=8, default="de")
    payout_currency = models.CharField(max_length=3, default="EUR")
    # The tax status and VAT id of the partner's current tax profile (`TaxProfile`, which
    # keeps every version); given at enrollment before the partner has a profile.
    tax_status = models.CharField(max_length=32, choices=TaxStatus.CHOICES, default=TaxStatus.REGULAR)
    vat_id = models.CharField(max_length=32, blank=True)
    # Set by the merchant after checking the tax profile: the partner can no longer change it.
    tax_profile_locked_at = models.DateTimeField(null=True, blank=True)
    tax_profile_locked_by = models.CharField(max_length=255, blank=True)
    # The partner's personal code on the installation's partner voucher in Saleor.
    voucher_code = models.CharField(max_length=64, blank=True)
    enrolled_at = models.DateTimeField()
    # The career rank the partner brought from the system its network was imported from
    # (`network import`): its career rank until the first period settled here has one.
    imported_career_rank = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["installation", "referral_code"], name="uniq_partner_referral_code"),
            models.UniqueConstraint(
                fields=["installation", "saleor_user_id"],
                condition=~models.Q(saleor_user_id=""),
                name="uniq_partner_saleor_user",
            ),
        ]
        # Attribution looks partners up case-insensitively (`__iexact` is UPPER(x) = UPPER(y)
        # in SQL) for every paid order: without these expression indexes each lookup scans
        # all of the installation's partners (57 ms at 20,000 partners).
        indexes = [
            models.Index(F("installation"), Upper("email"), name="partner_email_ci_idx"),
            models.Index(fields=["installation", "sponsor"]),
            models.Index(fields=["installation", "voucher_code"]),
            models.Index(F("installation"), Upper("voucher_code"), name="partner_voucher_code_ci_idx"),
            models.Index(F("installation"), Upper("referral_code"), name="partner_referral_code_ci_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.referral_code})"

    @property
    def display_name(self) -> str:
        return display_name(self.first_name, self.last_name, self.email)


def display_name(first_name: str, last_name: str, email: str) -> str:
    """How a partner is named in messages and history: "Anna Berg", else the e-mail."""
    return " ".join(part for part in (first_name, last_name) if part) or email


class TaxProfile(models.Model):
    """One version of a partner's tax profile: who it is for the tax office.

    Append-only: a change is a new row valid from a day on; the version in force on a day
    is the latest created one whose `valid_from` is not after it (`fetch.tax_profiles_in_force`).
    A credit note copies the version in force when it is issued.
    """

    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="tax_profiles")
    legal_name = models.CharField(max_length=255)
    street = models.CharField(max_length=255)
    postal_code = models.CharField(max_length=32)
    city = models.CharField(max_length=128)
    country = CountryField()
    tax_number = models.CharField(max_length=32, blank=True)  # Steuernummer (or the country's TIN)
    vat_id = models.CharField(max_length=32, blank=True)
    tax_status = models.CharField(max_length=32, choices=TaxStatus.CHOICES)
    valid_from = models.DateField()
    changed_by = models.CharField(max_length=255)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["valid_from", "id"]
        indexes = [models.Index(fields=["partner", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.legal_name} ({self.tax_status}) from {self.valid_from}"


class Customer(models.Model):
    """A buyer who is not a partner. No sponsor: a house customer of the company."""

    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="customers")
    saleor_user_id = models.CharField(max_length=255, blank=True)  # blank for guest checkouts
    email = models.EmailField()
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    sponsor = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.PROTECT, related_name="customers")
    attribution_source = models.CharField(max_length=32, choices=AttributionSource.CHOICES, default=AttributionSource.NONE)
    attributed_at = models.DateTimeField(null=True, blank=True)
    # Set when the customer enrolled as a partner. The record stays: its past volume and
    # history belong to it; later orders of the person are the partner's own.
    converted_to = models.OneToOneField(
        Partner, null=True, blank=True, on_delete=models.SET_NULL, related_name="former_customer"
    )
    converted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["installation", "saleor_user_id"],
                condition=~models.Q(saleor_user_id=""),
                name="uniq_customer_saleor_user",
            ),
        ]
        indexes = [
            models.Index(F("installation"), Upper("email"), name="customer_email_ci_idx"),
            models.Index(fields=["installation", "sponsor"]),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_house_customer(self) -> bool:
        return self.sponsor_id is None


class CareAssignment(models.Model):
    """A Betreuer looks after a partner or a customer and receives `share` of its volume.

    Exactly one of `partner` / `customer` is set. `share` null means: the recruiting
    side's split agreement in force decides. The current assignment has `valid_to` null.
    """

    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.CASCADE, related_name="care_assignments")
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.CASCADE, related_name="care_assignments")
    care_partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="cared_for")
    share = models.DecimalField(null=True, blank=True, **SHARE)
    valid_from = models.DateTimeField()
    valid_to = models.DateTimeField(null=True, blank=True)
    set_by = models.CharField(max_length=255)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(partner__isnull=False, customer__isnull=True) | models.Q(partner__isnull=True, customer__isnull=False)),
                name="care_assignment_one_node",
            ),
            models.UniqueConstraint(fields=["partner"], condition=models.Q(valid_to__isnull=True), name="uniq_current_care_partner"),
            models.UniqueConstraint(fields=["customer"], condition=models.Q(valid_to__isnull=True), name="uniq_current_care_customer"),
        ]
        indexes = [models.Index(fields=["installation", "care_partner"])]


class ProgramEnrollment(models.Model):
    """A partner's membership of a partner program other than the installation's default
    (whose network is the partner table itself: docs/adr/0007-partner-programs.md).

    `sponsor` is the partner's sponsor in that program (a member of it; null at the top),
    `care_partner` its Betreuer there with `care_share` of its volume (0 when null). The
    partner's status is the person's, in every program.
    """

    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="enrollments")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="program_enrollments")
    sponsor = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    care_partner = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    care_share = models.DecimalField(null=True, blank=True, **SHARE)
    enrolled_at = models.DateTimeField()
    created_by = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "partner"], name="uniq_program_enrollment"),
            models.CheckConstraint(condition=~models.Q(sponsor=F("partner")), name="program_enrollment_not_own_sponsor"),
        ]
        indexes = [models.Index(fields=["program", "sponsor"])]

    def __str__(self) -> str:
        return f"{self.partner_id} in program {self.program_id}"


class SplitAgreement(models.Model):
    """The share a recruiting partner gives to the Betreuer of the people it recruited,
    negotiated by the company per partner, valid for a time range."""

    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="split_agreements")
    share = models.DecimalField(**SHARE)
    valid_from = models.DateTimeField()
    valid_to = models.DateTimeField(null=True, blank=True)
    set_by = models.CharField(max_length=255)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["installation", "partner", "valid_from"])]


class NetworkChange(models.Model):
    """Audit trail of the genealogy: every sponsor, care, status and split change."""

    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32, choices=ChangeKind.CHOICES)
    partner = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.CASCADE, related_name="changes")
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.CASCADE, related_name="changes")
    old_value = models.JSONField(null=True, blank=True)
    new_value = models.JSONField(null=True, blank=True)
    changed_by = models.CharField(max_length=255)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["installation", "kind", "created_at"])]


class PartnerVoucher(models.Model):
    """The one Saleor voucher of an installation that holds every partner's code.

    Created on first need (see `vouchers.py`). `discount_percent` 0 means the code only
    attributes the order to the partner; `channel_slugs` empty means every channel.
    `listed_at` is cleared when the settings change, so the next sync lists again.
    """

    installation = models.OneToOneField("installations.Installation", on_delete=models.CASCADE, related_name="partner_voucher")
    saleor_voucher_id = models.CharField(max_length=255, blank=True)
    name = models.CharField(max_length=255, default="Partner codes")
    discount_percent = models.DecimalField(
        max_digits=6,
        decimal_places=3,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    channel_slugs = models.JSONField(default=list, blank=True)
    # Saleor channel ids the voucher is listed in, as last written by the app.
    listed_channel_ids = models.JSONField(default=list, blank=True)
    listed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.saleor_voucher_id or 'not created'})"


class NetworkImport(models.Model):
    """One run of `saleor-mlm network import` or `customers import` that changed
    something. The history it wrote (`NetworkChange`) names it in its reason."""

    NETWORK = "network"
    CUSTOMERS = "customers"
    KINDS = [(NETWORK, "Network"), (CUSTOMERS, "Customers")]

    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=KINDS)
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    # {"partners": {"created": n, "updated": n, "unchanged": n}, "customers": {...}}
    summary = models.JSONField(default=dict)
    imported_by = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"import #{self.pk} of {self.file_name}"
