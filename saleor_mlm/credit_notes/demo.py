"""Demo credit notes: the demo shop as the issuer, and one correction.

`prepare_demo_credit_notes` runs before the demo commits its past months (which issues the
documents), `correct_one_demo_credit_note` after: it cancels one credit note of the
committed month, as if a partner had reported a new address, and issues the new one.
"""

from __future__ import annotations

from saleor_mlm.installations.models import Installation

from .document import DocumentKind
from .fetch import in_force
from .issue import cancel_credit_note
from .models import CreditNote
from .settings_actions import set_vat_rate, update_settings
from .tasks import enqueue_rendering

DEMO_FINANCE = "demo-finance@saleor-mlm.local"
DEMO_ISSUER = {
    "issuer_name": "Vitalia Naturkosmetik GmbH",
    "issuer_street": "Friedrichstraße 123",
    "issuer_postal_code": "10117",
    "issuer_city": "Berlin",
    "issuer_country": "DE",
    "issuer_tax_number": "21/815/08150",
    "issuer_vat_id": "DE136695976",
    "issuer_email": "partner@vitalia.example",
}


def prepare_demo_credit_notes(installation: Installation) -> None:
    update_settings(installation.pk, number_prefix="VN-", **DEMO_ISSUER)
    set_vat_rate(installation.pk, "DE", "19")


def correct_one_demo_credit_note(installation: Installation) -> CreditNote | None:
    """Cancel the demo's first credit note and reissue it (once); returns the cancellation."""
    if CreditNote.objects.filter(installation=installation, kind=DocumentKind.CANCELLATION).exists():
        return None
    note = in_force(CreditNote.objects.filter(installation=installation, kind=DocumentKind.CREDIT_NOTE)).order_by("year", "sequence").first()
    if note is None:
        return None
    cancellation, replacement = cancel_credit_note(
        installation, note, reason="Anschrift des Partners war veraltet / partner's address was outdated", cancelled_by=DEMO_FINANCE
    )
    enqueue_rendering([document.pk for document in (cancellation, replacement) if document is not None])
    return cancellation
