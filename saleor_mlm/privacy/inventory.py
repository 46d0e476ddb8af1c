"""Where an installation's data is: every model of the app, the rows of one installation,
and the columns that may hold text about a person.

Nothing here lists tables by hand: a model belongs to an installation through its
`installation` foreign key, or through a foreign key to a model that has one (a run's
arrays through the run). A model added later is exported, deleted and searched for
personal data without a change here. Only what must stay as written is named
(`RETAINED`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models import Q, QuerySet

from saleor_mlm.installations.models import Installation

# Records the law asks to keep unchanged for the retention of business records (HGB § 257,
# AO § 147: ten years for booking records and issued invoices/credit notes). An erasure
# leaves them as they are (GDPR Art. 17(3)(b)); docs/privacy.md says so.
RETAINED = frozenset(
    {
        "ledger.LedgerEntry",  # append-only volume bookings; hold no e-mail or name of a buyer
        "credit_notes.CreditNote",  # issued documents: name, address, VAT id as issued
        "credit_notes.CreditNoteFile",
        "payout_runs.SepaFile",  # payment orders as sent to the bank: booking records
    }
)
# Columns that are no personal data and never searched: secrets, hashes, binary arrays.
NOT_SEARCHED = frozenset(
    {
        "installations.Installation.encrypted_auth_token",
        "installations.Installation.jwks",
        "mlm_graphql.ApiKey.hashed_key",
        "periods.PeriodRunArray.data",
        "payouts.PayoutSettings.encrypted_debtor_iban",
        "payouts.PayoutSettings.encrypted_debtor_bic",
        "payouts.PayoutSettings.encrypted_stripe_secret_key",
        "payouts.PayoutSettings.encrypted_stripe_webhook_secret",
        "payouts.PayoutProfile.encrypted_iban",
        "payouts.PayoutProfile.encrypted_bic",
    }
)
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField, models.BinaryField)


def app_models() -> list[type[models.Model]]:
    """The app's own concrete models (not Django's), in `INSTALLED_APPS` order."""
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("saleor_mlm.") and not model._meta.abstract and not model._meta.proxy
    ]


def _installation_path(model: type[models.Model]) -> str | None:
    """The lookup from `model` to its installation: "installation", "run__installation", ..."""
    if model is Installation:
        return "pk"
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and field.related_model is Installation:
            return field.name
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and field.related_model is not model:
            parent = field.related_model
            for parent_field in parent._meta.concrete_fields:
                if isinstance(parent_field, models.ForeignKey) and parent_field.related_model is Installation:
                    return f"{field.name}__{parent_field.name}"
    return None


def rows_of(model: type[models.Model], installation: Installation) -> QuerySet:
    """The rows of `model` that belong to `installation` (also webhook records Saleor sent
    to it that never verified, which carry its API URL but no installation)."""
    path = _installation_path(model)
    if path is None:
        return model.objects.none()
    condition = Q(**{path: installation.pk})
    if model._meta.label == "webhooks.WebhookDelivery":
        condition |= Q(installation__isnull=True, saleor_api_url=installation.saleor_api_url)
    return model._default_manager.filter(condition)


def installation_models() -> list[type[models.Model]]:
    """The app's models whose rows belong to an installation."""
    return [model for model in app_models() if _installation_path(model) is not None]


def unscoped_models() -> list[type[models.Model]]:
    """The app's models without a path to an installation (none today; a check)."""
    return [model for model in app_models() if _installation_path(model) is None]


@dataclass(frozen=True)
class TextColumn:
    model: type[models.Model]
    field: models.Field

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field.name}"


def text_columns(*, include_retained: bool = False) -> Iterator[TextColumn]:
    """Every column of the installation models that may hold text about a person."""
    for model in installation_models():
        if model._meta.label in RETAINED and not include_retained:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, TEXT_FIELDS) and not field.choices and f"{model._meta.label}.{field.name}" not in NOT_SEARCHED:
                yield TextColumn(model, field)
