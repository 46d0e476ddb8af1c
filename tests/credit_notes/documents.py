"""`CreditNoteDocument`s for the renderer tests: one per tax status, and a cancellation."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from saleor_mlm.credit_notes.document import CreditNoteDocument, DocumentKind, DocumentLine, Party, PostalAddress
from saleor_mlm.network import TaxStatus

MERCHANT = Party(
    name="Vitalwerk GmbH",
    address=PostalAddress(street="Hafenstraße 12", postal_code="20457", city="Hamburg", country="DE"),
    tax_number="27/123/45678",
    vat_id="DE123456789",
    email="buchhaltung@vitalwerk.example",
)

TAX_NOTES = {
    TaxStatus.REGULAR: "",
    TaxStatus.SMALL_BUSINESS: "Kein Ausweis von Umsatzsteuer, da Kleinunternehmer gemäß § 19 UStG.",
    TaxStatus.REVERSE_CHARGE: "Steuerschuldnerschaft des Leistungsempfängers (§ 13b UStG).",
    TaxStatus.NON_EU: "Steuerschuldnerschaft des Leistungsempfängers (§ 13b Abs. 2 Nr. 1 UStG).",
}

PARTNERS = {
    TaxStatus.REGULAR: Party(
        name="Anna Köhler Vertrieb",
        address=PostalAddress(street="Lindenallee 3", postal_code="50667", city="Köln", country="DE"),
        tax_number="217/5432/1098",
        vat_id="DE987654321",
        email="anna@koehler.example",
    ),
    TaxStatus.SMALL_BUSINESS: Party(
        name="Jörg Meißner",
        address=PostalAddress(street="Am Markt 7", postal_code="04109", city="Leipzig", country="DE"),
        tax_number="231/100/50003",
    ),
    TaxStatus.REVERSE_CHARGE: Party(
        name="Sophie Dubois EURL",
        address=PostalAddress(street="12 rue de la Paix", postal_code="75002", city="Paris", country="FR"),
        vat_id="FR40303265045",
    ),
    TaxStatus.NON_EU: Party(
        name="Lukas Brunner GmbH",
        address=PostalAddress(street="Bahnhofstrasse 1", postal_code="8001", city="Zürich", country="CH"),
        vat_id="CHE123456789",
    ),
}

RATES = {TaxStatus.REGULAR: Decimal("19")}


def credit_note(tax_status: str = TaxStatus.REGULAR, language: str = "de") -> CreditNoteDocument:
    rate = RATES.get(tax_status, Decimal("0"))
    lines = (
        DocumentLine(kind="DIRECT", description="Direktprovision" if language == "de" else "Direct commission", net=Decimal("812.40")),
        DocumentLine(kind="UNILEVEL", description="Unilevel-Bonus" if language == "de" else "Unilevel bonus", net=Decimal("433.17")),
        DocumentLine(kind="ADJUSTMENT", description="Korrektur März" if language == "de" else "Adjustment March", net=Decimal("-20.00")),
    )
    net = sum((line.net for line in lines), Decimal("0.00"))
    vat = (net * rate / 100).quantize(Decimal("0.01")) if rate else Decimal("0.00")
    return CreditNoteDocument(
        number="GS-2026-000042",
        kind=DocumentKind.CREDIT_NOTE,
        issue_date=date(2026, 12, 3),
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30),
        language=language,
        currency="EUR",
        supplier=PARTNERS[tax_status],
        recipient=MERCHANT,
        partner_code="ANNA42",
        tax_status=tax_status,
        vat_rate=rate,
        lines=lines,
        net=net,
        vat=vat,
        gross=net + vat,
        tax_note=TAX_NOTES[tax_status],
    )


def cancellation(tax_status: str = TaxStatus.REGULAR, language: str = "de") -> CreditNoteDocument:
    original = credit_note(tax_status, language)
    return replace(
        original,
        number="GS-2026-000057",
        kind=DocumentKind.CANCELLATION,
        issue_date=date(2026, 12, 10),
        lines=tuple(replace(line, net=-line.net) for line in original.lines),
        net=-original.net,
        vat=-original.vat,
        gross=-original.gross,
        cancels_number=original.number,
        cancels_issue_date=original.issue_date,
        reason="Falsches Steuerprofil" if language == "de" else "Wrong tax profile",
    )
