"""What a credit note shows, independent of how it is stored or rendered.

The credit notes app builds one `CreditNoteDocument` per issued note from the snapshot it
took at issue (parties, tax profile, amounts); `facturx.py` turns it into the EN 16931
(Factur-X / ZUGFeRD) XML and `pdf.py` into the PDF/A-3 that embeds that XML. Nothing here
touches Django or the database, so the renderers are tested and benchmarked on plain values.

In self-billing the roles are the other way round from an ordinary invoice: the partner
*supplies* the service (and is paid), the merchant *receives* it and issues the document in
the partner's name. The amounts arrive already computed and rounded (VAT once per document,
half-up to the currency's minor unit); a renderer never computes money.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum


class DocumentKind(StrEnum):
    CREDIT_NOTE = "CREDIT_NOTE"  # Gutschrift: a self-billed invoice
    CANCELLATION = "CANCELLATION"  # Storno: cancels an earlier credit note, amounts negated
    STATEMENT = "STATEMENT"  # a PRIVATE partner's commission statement: not a VAT document


@dataclass(frozen=True)
class PostalAddress:
    street: str
    postal_code: str
    city: str
    country: str  # ISO 3166-1 alpha-2, e.g. "DE"


@dataclass(frozen=True)
class Party:
    name: str  # legal name
    address: PostalAddress
    tax_number: str = ""  # Steuernummer
    vat_id: str = ""  # USt-IdNr. / VAT identification number
    email: str = ""


@dataclass(frozen=True)
class DocumentLine:
    kind: str  # what the amount is for: a bonus kind code, or "ADJUSTMENT"
    description: str  # already in the document's language
    net: Decimal  # exact in the currency's minor unit; negative on a cancellation


@dataclass(frozen=True)
class CreditNoteDocument:
    number: str
    kind: DocumentKind
    issue_date: date
    period_start: date  # period of supply (Leistungszeitraum), both days included
    period_end: date
    language: str  # "de", "en", "fr", ...: the language of every text on the document
    currency: str  # ISO 4217
    supplier: Party  # the partner
    recipient: Party  # the merchant (the issuer of the self-billed document)
    partner_code: str  # the partner's referral code, the merchant's reference to them
    tax_status: str  # a saleor_mlm.network.TaxStatus value
    vat_rate: Decimal  # percent, e.g. Decimal("19"); Decimal("0") where no VAT is charged
    lines: tuple[DocumentLine, ...]
    net: Decimal  # sum of the lines
    vat: Decimal
    gross: Decimal  # net + vat
    tax_note: str = ""  # the exemption or reverse-charge note, in the document's language
    cancels_number: str = ""  # CANCELLATION: the number of the credit note it cancels
    cancels_issue_date: date | None = None
    reason: str = ""  # CANCELLATION: why
    logo_png: bytes | None = None  # the merchant's logo from settings
