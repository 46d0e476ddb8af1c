"""Correction by cancellation: a Storno with the amounts negated referencing the original,
then a new document with the profile in force now; the original never changes."""

from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from saleor_mlm.core.errors import DomainError
from saleor_mlm.credit_notes.document import DocumentKind, DocumentLine, Party, PostalAddress
from saleor_mlm.credit_notes.documents import document_of
from saleor_mlm.credit_notes.error_codes import CreditNoteErrorCode
from saleor_mlm.credit_notes.fetch import in_force
from saleor_mlm.credit_notes.issue import cancel_credit_note
from saleor_mlm.credit_notes.models import CreditNote
from saleor_mlm.network import TaxStatus
from saleor_mlm.network.actions.tax_profiles import ProfileInput, set_tax_profile

from .conftest import FINANCE

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture
def issued(month, earner, settle):
    october = month("2026-10")
    anna = earner("Anna", {october: "45.50"}, TaxStatus.SMALL_BUSINESS)
    ben = earner("Ben", {october: "30.00"}, TaxStatus.REGULAR)
    settle(october)
    return october, CreditNote.objects.get(partner=anna), CreditNote.objects.get(partner=ben)


def test_a_wrong_tax_profile_is_corrected_by_cancellation_and_a_new_note(issued, installation):
    october, note, _ = issued
    set_tax_profile(
        note.partner,
        ProfileInput(legal_name="Anna Muster GmbH", street="Hauptstr. 1", postal_code="10115", city="Berlin", country="DE",
                     tax_status=TaxStatus.REGULAR, tax_number="2181508150"),
        changed_by=FINANCE,
        by_partner=False,
    )

    cancellation, replacement = cancel_credit_note(installation, note, reason="Regelbesteuerung seit 2026", cancelled_by=FINANCE)

    assert (cancellation.kind, cancellation.cancels_id, cancellation.number, cancellation.net, cancellation.vat, cancellation.gross) == (
        "CANCELLATION", note.pk, f"GS-{YEAR}-00003", Decimal("-45.50"), 0, Decimal("-45.50")
    )
    assert cancellation.lines == [{"kind": "customer", "description": "Kundenbonus", "net": "-45.50"}]
    assert cancellation.reason == f"Storniert Gutschrift {note.number}: Regelbesteuerung seit 2026"
    assert (replacement.kind, replacement.number, replacement.tax_status, replacement.net, replacement.vat, replacement.gross) == (
        "CREDIT_NOTE", f"GS-{YEAR}-00004", TaxStatus.REGULAR, Decimal("45.50"), Decimal("8.65"), Decimal("54.15")
    )
    assert (replacement.supplier["name"], replacement.period_id, replacement.cancels_id) == ("Anna Muster GmbH", october.pk, None)
    original = CreditNote.objects.get(pk=note.pk)
    assert (original.net, original.tax_status, original.number) == (Decimal("45.50"), TaxStatus.SMALL_BUSINESS, note.number)
    # In force for the period: the replacement and the other partner's note.
    assert in_force(CreditNote.objects.filter(period=october)).aggregate(net=Sum("net"), vat=Sum("vat"), gross=Sum("gross")) == {"net": Decimal("75.50"), "vat": Decimal("14.35"), "gross": Decimal("89.85")}


def test_cancel_only_once_and_never_a_cancellation(issued, installation):
    _, note, other = issued
    cancellation, _ = cancel_credit_note(installation, note, reason="falsch", cancelled_by=FINANCE, reissue=False)

    twice = pytest.raises(DomainError)
    with twice as first:
        cancel_credit_note(installation, note, reason="nochmal", cancelled_by=FINANCE)
    with pytest.raises(DomainError) as storno:
        cancel_credit_note(installation, cancellation, reason="zurück", cancelled_by=FINANCE)
    with pytest.raises(DomainError) as no_reason:
        cancel_credit_note(installation, other, reason=" ", cancelled_by=FINANCE)

    assert (first.value.code, storno.value.code, no_reason.value.code) == (
        CreditNoteErrorCode.ALREADY_CANCELLED, CreditNoteErrorCode.NOT_CANCELLABLE, CreditNoteErrorCode.REASON_REQUIRED
    )
    assert CreditNote.objects.count() == 3


def test_another_shops_note_is_refused(issued, installation_factory):
    _, note, _ = issued

    with pytest.raises(DomainError) as caught:
        cancel_credit_note(installation_factory(), note, reason="x", cancelled_by=FINANCE)

    assert (caught.value.code, CreditNote.objects.count()) == (CreditNoteErrorCode.WRONG_INSTALLATION, 2)


def test_the_document_of_a_cancellation(issued, installation):
    october, note, _ = issued
    cancellation, _ = cancel_credit_note(installation, note, reason="falsch", cancelled_by=FINANCE, reissue=False)

    document = document_of(cancellation)

    assert (document.kind, document.number, document.cancels_number, document.cancels_issue_date) == (
        DocumentKind.CANCELLATION, cancellation.number, note.number, note.issue_date
    )
    assert (document.period_start, document.period_end, document.net, document.vat, document.gross) == (
        october.starts_on, october.ends_on, Decimal("-45.50"), Decimal("0.00"), Decimal("-45.50")
    )
    assert str(document.net) == "-45.50"
    assert document.lines == (DocumentLine(kind="customer", description="Kundenbonus", net=Decimal("-45.50")),)
    assert document.supplier == Party(
        name="Anna Muster", address=PostalAddress(street="Hauptstr. 1", postal_code="10115", city="Berlin", country="DE"),
        tax_number="2181508150", vat_id="", email="anna@example.com",
    )
