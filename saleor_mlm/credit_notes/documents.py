"""The plain value a stored credit note is rendered from (`document.CreditNoteDocument`),
built from what the row copied when it was issued: rendering it today or in eight years
gives the same document."""

from __future__ import annotations

from decimal import Decimal

from saleor_mlm.core.currency import to_decimal

from .document import CreditNoteDocument, DocumentKind, DocumentLine, Party, PostalAddress
from .models import CreditNote


def _party(data: dict) -> Party:
    return Party(**{**data, "address": PostalAddress(**data["address"])})


def document_of(note: CreditNote, *, logo_png: bytes | None = None) -> CreditNoteDocument:
    cancelled = note.cancels if note.cancels_id else None
    return CreditNoteDocument(
        number=note.number,
        kind=DocumentKind(note.kind),
        issue_date=note.issue_date,
        period_start=note.period.starts_on,
        period_end=note.period.ends_on,
        language=note.language,
        currency=note.currency,
        supplier=_party(note.supplier),
        recipient=_party(note.recipient),
        partner_code=note.partner_code,
        tax_status=note.tax_status,
        vat_rate=note.vat_rate,
        lines=tuple(DocumentLine(kind=line["kind"], description=line["description"], net=Decimal(line["net"])) for line in note.lines),
        net=to_decimal(note.net, note.currency),
        vat=to_decimal(note.vat, note.currency),
        gross=to_decimal(note.gross, note.currency),
        tax_note=note.tax_note,
        cancels_number=cancelled.number if cancelled else "",
        cancels_issue_date=cancelled.issue_date if cancelled else None,
        reason=note.reason,
        logo_png=logo_png,
    )
