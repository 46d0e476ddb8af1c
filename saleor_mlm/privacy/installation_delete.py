"""Removing an installation and all its data, when the merchant leaves.

Refused while a period is approved but not committed: its payout is decided and not yet
final, so the figures a partner is owed would vanish half-way. Otherwise every row of the
installation goes, in one transaction, ledger entries included: PostgreSQL's append-only
trigger on the ledger lets a row go only while this transaction says it deletes that row's
installation (`saleor_mlm.deleting_installation`, migration ledger 0005).

The law may ask the merchant to keep some of it: booking records and issued credit notes for
ten years in Germany (HGB § 257, AO § 147). The app does not decide that for the merchant:
`saleor-mlm installation export` first, and keep the export (docs/privacy.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.translation import gettext as _

from saleor_mlm.calendar import PeriodStatus
from saleor_mlm.calendar.models import Period
from saleor_mlm.core.errors import DomainError
from saleor_mlm.credit_notes.models import CreditNote
from saleor_mlm.installations.models import Installation, normalize_api_url

from .error_codes import PrivacyErrorCode
from .inventory import installation_models, rows_of


@dataclass(frozen=True)
class DeleteResult:
    saleor_api_url: str
    rows: dict[str, int]  # model label -> rows deleted


def deletion_refusal(installation: Installation) -> DomainError | None:
    """Why the installation may not be deleted now, or None. Issued credit notes are kept
    by PostgreSQL itself (their append-only trigger): a shop that has issued any is not
    deleted by the app; its export is the merchant's copy, the database keeps the rest."""
    if CreditNote.objects.filter(installation=installation).exists():
        return DomainError(
            PrivacyErrorCode.CREDIT_NOTES_KEPT,
            _("The shop has issued credit notes, which are kept for the legal retention (10 years in Germany, "
            "§ 14b UStG): the app does not delete it. Export it (saleor-mlm installation export) and keep the export."),
            field="installation",
        )
    approved = Period.objects.filter(installation=installation, status=PeriodStatus.APPROVED).order_by("starts_on").first()
    if approved is not None:
        return DomainError(
            PrivacyErrorCode.PERIOD_APPROVED,
            _("Period %(period)s is approved but not committed: commit it (or re-open it) before deleting the installation.")
            % {"period": approved.label},
            field="installation",
        )
    return None


def delete_installation(installation: Installation, *, confirmation: str) -> DeleteResult:
    """Delete `installation` and every row that belongs to it. `confirmation` must be its
    Saleor API URL (what the merchant types to say they mean this shop)."""
    if normalize_api_url(confirmation or "") != installation.saleor_api_url:
        raise DomainError(
            PrivacyErrorCode.CONFIRMATION,
            _("Confirm with the installation's API URL, %(api_url)s.")
            % {"api_url": installation.saleor_api_url},
            field="confirmation",
        )
    rows: dict[str, int] = {}
    with transaction.atomic():
        installation = Installation.objects.select_for_update().get(pk=installation.pk)
        refusal = deletion_refusal(installation)
        if refusal is not None:
            raise refusal
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('saleor_mlm.deleting_installation', %s, true)", [str(installation.pk)])
        # Foreign keys are checked at commit (Django creates them deferrable): the order
        # of the deletes does not matter as long as all of them happen. Children first
        # anyway, for databases that check at once.
        for model in reversed(installation_models()):
            if model is Installation:
                continue
            rows[model._meta.label] = rows_of(model, installation)._raw_delete(connection.alias)
        Installation.objects.filter(pk=installation.pk)._raw_delete(connection.alias)
        rows[Installation._meta.label] = 1
    return DeleteResult(saleor_api_url=installation.saleor_api_url, rows=rows)
