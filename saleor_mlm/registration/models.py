"""Partner terms, registration settings and registrations (see the package's docstring).

Terms and acceptances are append-only: a change of the terms is a new version, and every
acceptance is a row of its own, never changed.
"""

from django.db import models
from django_countries.fields import CountryField

from saleor_mlm.network import TaxStatus

from . import RegistrationStatus


class RegistrationSettings(models.Model):
    installation = models.OneToOneField("installations.Installation", on_delete=models.CASCADE, related_name="registration_settings")
    # The merchant approves each registration before the partner is created and active.
    approval_required = models.BooleanField(default=False)
    updated_by = models.CharField(max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)


class PartnerTerms(models.Model):
    """One language's text of one version of the merchant's partner terms."""

    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="partner_terms")
    version = models.PositiveIntegerField()
    language = models.CharField(max_length=8)
    text = models.TextField()
    published_by = models.CharField(max_length=255)
    published_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["installation", "version", "language"], name="uniq_partner_terms_text")]
        ordering = ["-version", "language"]


class PartnerRegistration(models.Model):
    """A visitor's registration: what it entered, the terms it accepted, the decision."""

    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="partner_registrations")
    status = models.CharField(max_length=16, choices=RegistrationStatus.CHOICES, default=RegistrationStatus.PENDING)
    saleor_user_id = models.CharField(max_length=255)
    email = models.EmailField()
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    language = models.CharField(max_length=8)
    sponsor = models.ForeignKey("network.Partner", on_delete=models.CASCADE, related_name="+")
    # The tax profile as entered and cleaned (`network.actions.tax_profiles.clean_profile`).
    legal_name = models.CharField(max_length=255)
    street = models.CharField(max_length=255)
    postal_code = models.CharField(max_length=32)
    city = models.CharField(max_length=128)
    country = CountryField()
    tax_number = models.CharField(max_length=64, blank=True)
    vat_id = models.CharField(max_length=32, blank=True)
    tax_status = models.CharField(max_length=32, choices=TaxStatus.CHOICES)
    terms_version = models.PositiveIntegerField()
    terms_language = models.CharField(max_length=8)
    terms_accepted_at = models.DateTimeField()
    partner = models.OneToOneField("network.Partner", null=True, blank=True, on_delete=models.SET_NULL, related_name="registration")
    decided_by = models.CharField(max_length=255, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # One registration of a shop account waits at a time.
            models.UniqueConstraint(
                fields=["installation", "saleor_user_id"],
                condition=models.Q(status=RegistrationStatus.PENDING),
                name="uniq_pending_registration_user",
            )
        ]
        indexes = [models.Index(fields=["installation", "status", "created_at"])]


class TermsAcceptance(models.Model):
    """A partner accepted a version of the terms (append-only; the newest is in force)."""

    installation = models.ForeignKey("installations.Installation", on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey("network.Partner", on_delete=models.CASCADE, related_name="terms_acceptances")
    version = models.PositiveIntegerField()
    language = models.CharField(max_length=8)
    accepted_at = models.DateTimeField()
    source = models.CharField(max_length=32, default="registration")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["accepted_at", "id"]
