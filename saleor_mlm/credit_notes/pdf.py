"""The PDF of a credit note: a PDF/A-3b with its Factur-X XML embedded.

Drawn with `fpdf2` (no browser, no external program) from a `CreditNoteDocument` in the
document's language, with the texts from the gettext catalogs and numbers, amounts and
dates formatted by Babel for that language. The fonts (DejaVu Sans, `fonts/`, parsed once
per process by `pdf_fonts`) are embedded as subsets, as PDF/A requires (`pdf_subset`). What makes it Factur-X:

- the XML of `facturx.build_xml` embedded as `factur-x.xml` (MIME type text/xml), listed in
  the catalog's /AF with the relationship /Alternative: for the EN 16931 profile the XML is
  an equivalent of the visible document (ZUGFeRD 2 / Factur-X 1.0, 6.2.2);
- XMP metadata declaring PDF/A-3 conformance B (pdfaid) and the Factur-X extension schema
  (fx: DocumentType INVOICE, DocumentFileName, Version 1.0, ConformanceLevel EN 16931),
  written by the `factur-x` package's generator; the document information dictionary
  carries the same title, author, subject, producer and creation date;
- an sRGB output intent (fpdf2 adds it to every PDF/A document).

A commission statement (`DocumentKind.STATEMENT`) is the same PDF/A-3b without the XML.

The creation date is the issue date, so rendering the same document twice gives the same
bytes: a stored PDF can always be checked against its document.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time
from decimal import Decimal
from functools import cache
from io import BytesIO

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from facturx.facturx import generate_xmp_object
from fpdf.enums import MethodReturnValue, XPos, YPos
from lxml import etree

from .document import CreditNoteDocument, DocumentKind, Party
from .facturx import XML_FILENAME, build_xml, self_billing_note
from .pdf_fonts import FAMILY as FONT
from .pdf_fonts import DocumentPDF, add_fonts, variant_for

# fontTools logs every step of every font subset at INFO: dozens of lines per document
logging.getLogger("fontTools").setLevel(logging.WARNING)

CREATOR = "saleor-mlm"
PRODUCER = "fpdf2"
FACTURX_URN = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"  # Factur-X 1.0 XMP
FACTURX_LEVEL = "EN 16931"
XML_RELATIONSHIP = "Alternative"
MARGIN = 20  # mm, every side
WIDTH = 210 - 2 * MARGIN  # A4 content width
AMOUNT_WIDTH = 40  # mm: the right-aligned amount column
LOGO_HEIGHT = 18  # mm
LINES_KEPT = 10_000  # texts broken into lines, per process (names and streets are mostly short)
_LINES: dict[tuple, tuple[str, ...]] = {}


def render_pdf(document: CreditNoteDocument, xml: bytes | None = None) -> bytes:
    """The PDF/A-3b of the document, with `xml` (by default `build_xml(document)`) embedded.

    Pass the XML when the caller stores it too, so it is built once."""
    if document.kind != DocumentKind.STATEMENT and xml is None:
        xml = build_xml(document)
    with translation.override(document.language):
        return _Renderer(document, xml).render()


NARROW_NBSP, NBSP = "\u202f", "\u00a0"


class _Renderer:
    def __init__(self, document: CreditNoteDocument, xml: bytes | None):
        self.document = document
        self.xml = xml
        self.locale = document.language
        self.pdf = DocumentPDF(format="A4", unit="mm", enforce_compliance="PDFA_3B")
        self.variant = variant_for(_texts(document))

    # -- formatting in the document's language ------------------------------------------

    # CLDR writes French numbers with a narrow no-break space (U+202F), a glyph the `latin`
    # font lacks: the no-break space it has keeps the number together the same way.
    def money(self, amount: Decimal) -> str:
        return format_currency(amount, self.document.currency, locale=self.locale).replace(NARROW_NBSP, NBSP)

    def day(self, value: date) -> str:
        return format_date(value, format="medium", locale=self.locale).replace(NARROW_NBSP, NBSP)

    def percent(self, rate: Decimal) -> str:
        return format_decimal(rate, locale=self.locale).replace(NARROW_NBSP, NBSP)

    def paragraph(self, width: float, height: float, text: str, new_x: XPos = XPos.LMARGIN) -> None:
        """`text` in lines of at most `width` from the current position, then below it.

        Breaking a text into lines measures it glyph by glyph; the same texts (the notes, the
        labels, the bonus kinds) recur on every document, so the lines are kept per process."""
        pdf = self.pdf
        key = (self.variant, pdf.font_style, pdf.font_size_pt, width, text)
        lines = _LINES.get(key)
        if lines is None:
            lines = tuple(pdf.multi_cell(width, height, text, dry_run=True, output=MethodReturnValue.LINES))
            if len(_LINES) >= LINES_KEPT:
                _LINES.clear()
            _LINES[key] = lines
        x = pdf.get_x()
        for line in lines:
            pdf.set_x(x)
            pdf.cell(width, height, line, new_x=XPos.LEFT, new_y=YPos.NEXT)
        if new_x == XPos.LMARGIN:
            pdf.set_x(pdf.l_margin)

    # -- the document ----------------------------------------------------------------------

    def render(self) -> bytes:
        document, pdf = self.document, self.pdf
        title = self.title()
        created = datetime.combine(document.issue_date, time(0, 0), tzinfo=UTC)
        pdf.set_creation_date(created)
        pdf.set_title(f"{title} {document.number}")
        pdf.set_author(document.recipient.name)
        pdf.set_subject(self.subject())
        pdf.set_creator(CREATOR)
        pdf.set_producer(PRODUCER)
        pdf.set_lang(document.language)
        pdf.set_xmp_metadata(self.xmp(created))
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.set_auto_page_break(True, MARGIN + 10)
        add_fonts(pdf, self.variant)
        pdf.add_page()

        self.letterhead()
        self.addresses()
        pdf.set_y(max(pdf.get_y(), 95))
        pdf.set_font(FONT, "B", 15)
        self.paragraph(WIDTH, 8, title)
        pdf.ln(2)
        self.facts()
        pdf.ln(4)
        self.lines()
        self.totals()
        self.notes()
        if self.xml is not None:
            pdf.embed_file(
                bytes=self.xml,
                basename=XML_FILENAME,
                mime_type="text/xml",
                associated_file_relationship=XML_RELATIONSHIP,
                desc="Factur-X XML (EN 16931)",
                modification_date=created,
                compress=True,
            )
        return bytes(pdf.output())

    def title(self) -> str:
        document = self.document
        if document.kind == DocumentKind.CANCELLATION:
            return _("Cancellation of credit note no. %(number)s") % {"number": document.cancels_number}
        if document.kind == DocumentKind.STATEMENT:
            return _("Commission statement")
        return _("Self-billed invoice / credit note")

    def subject(self) -> str:
        document = self.document
        return _("%(partner)s, period of supply %(start)s to %(end)s") % {
            "partner": document.supplier.name,
            "start": self.day(document.period_start),
            "end": self.day(document.period_end),
        }

    def xmp(self, created: datetime) -> str:
        document = self.document
        metadata = {
            "pdfa3_flavor": "B",
            "title": f"{self.title()} {document.number}",
            "author": document.recipient.name,
            "subject": self.subject(),
            "producer": PRODUCER,
            "creator_tool": CREATOR,
            "timestamp": created.isoformat(),
        }
        if self.xml is not None:
            metadata.update(
                urn=FACTURX_URN,
                documenttype="INVOICE",
                xml_filename=XML_FILENAME,
                version="1.0",
                xmp_level=FACTURX_LEVEL,
            )
        return etree.tostring(generate_xmp_object(metadata), encoding="unicode")

    def letterhead(self) -> None:
        # the issuer (the merchant): logo on the right, one sender line above the address
        document, pdf = self.document, self.pdf
        if document.logo_png:
            pdf.image(BytesIO(document.logo_png), x=210 - MARGIN - 50, y=MARGIN, h=LOGO_HEIGHT, keep_aspect_ratio=True, w=50)
        pdf.set_xy(MARGIN, MARGIN + LOGO_HEIGHT + 6)
        pdf.set_font(FONT, "", 7)
        merchant = document.recipient
        pdf.cell(WIDTH / 2, 4, " · ".join([merchant.name, merchant.address.street, f"{merchant.address.postal_code} {merchant.address.city}"]), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)

    def addresses(self) -> None:
        # left: the partner, to whom the document goes (and who supplied the service);
        # right: the issuer (the merchant, who received it)
        document, pdf = self.document, self.pdf
        top = pdf.get_y()
        self.party_block(MARGIN, top, _("Supplier of the service"), document.supplier)
        left_bottom = pdf.get_y()
        self.party_block(MARGIN + WIDTH / 2 + 5, top, _("Issued by (recipient of the service)"), document.recipient)
        pdf.set_y(max(left_bottom, pdf.get_y()))

    def party_block(self, x: float, y: float, heading: str, party: Party) -> None:
        pdf = self.pdf
        width = WIDTH / 2 - 5
        pdf.set_xy(x, y)
        pdf.set_font(FONT, "", 7)
        pdf.cell(width, 4, heading, new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_font(FONT, "", 10)
        address = party.address
        lines = [party.name, address.street, f"{address.postal_code} {address.city}", self.country(address.country)]
        for line in lines:
            self.paragraph(width, 5, line, new_x=XPos.LEFT)
        pdf.set_font(FONT, "", 8)
        if party.tax_number:
            pdf.cell(width, 4, pgettext("credit note", "Tax number") + ": " + party.tax_number, new_x=XPos.LEFT, new_y=YPos.NEXT)
        if party.vat_id:
            pdf.cell(width, 4, pgettext("credit note", "VAT ID") + ": " + party.vat_id, new_x=XPos.LEFT, new_y=YPos.NEXT)

    def country(self, code: str) -> str:
        return _territory_name(code, self.locale)

    def facts(self) -> None:
        document, pdf = self.document, self.pdf
        facts = [
            (pgettext("credit note", "Number"), document.number),
            (pgettext("credit note", "Issue date"), self.day(document.issue_date)),
            (pgettext("credit note", "Period of supply"), f"{self.day(document.period_start)} – {self.day(document.period_end)}"),
            (pgettext("credit note", "Partner number"), document.partner_code),
            (pgettext("credit note", "Currency"), document.currency),
        ]
        if document.kind == DocumentKind.CANCELLATION:
            cancelled = document.cancels_number
            if document.cancels_issue_date is not None:
                cancelled = _("%(number)s of %(date)s") % {"number": cancelled, "date": self.day(document.cancels_issue_date)}
            facts.append((pgettext("credit note", "Cancelled credit note"), cancelled))
            if document.reason:
                facts.append((pgettext("credit note", "Reason"), document.reason))
        for label, value in facts:
            pdf.set_font(FONT, "", 9)
            pdf.cell(45, 5, label)
            pdf.set_font(FONT, "B" if label == facts[0][0] else "", 9)
            if label == pgettext("credit note", "Reason"):  # free text: may need lines
                self.paragraph(WIDTH - 45, 5, value)
            else:
                pdf.cell(WIDTH - 45, 5, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def lines(self) -> None:
        document, pdf = self.document, self.pdf
        pdf.set_font(FONT, "B", 9)
        pdf.set_fill_color(235, 235, 235)
        pdf.cell(12, 7, pgettext("credit note", "Pos."), fill=True)
        pdf.cell(WIDTH - 12 - AMOUNT_WIDTH, 7, pgettext("credit note", "Description"), fill=True)
        pdf.cell(AMOUNT_WIDTH, 7, pgettext("credit note", "Net amount"), fill=True, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FONT, "", 9)
        for position, line in enumerate(document.lines, start=1):
            pdf.cell(12, 6, str(position))
            x, y = pdf.get_x(), pdf.get_y()
            self.paragraph(WIDTH - 12 - AMOUNT_WIDTH, 6, line.description, new_x=XPos.LEFT)
            bottom = pdf.get_y()
            pdf.set_xy(x + WIDTH - 12 - AMOUNT_WIDTH, y)
            pdf.cell(AMOUNT_WIDTH, 6, self.money(line.net), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_y(max(bottom, pdf.get_y()))
        pdf.line(MARGIN, pdf.get_y() + 1, MARGIN + WIDTH, pdf.get_y() + 1)
        pdf.ln(3)

    def totals(self) -> None:
        document, pdf = self.document, self.pdf
        rows = [(pgettext("credit note", "Net total"), document.net, "")]
        if document.kind != DocumentKind.STATEMENT:
            rows.append((_("VAT %(rate)s %%") % {"rate": self.percent(document.vat_rate)}, document.vat, ""))
        rows.append((pgettext("credit note", "Total"), document.gross, "B"))
        for label, amount, style in rows:
            pdf.set_font(FONT, style, 10)
            pdf.cell(WIDTH - AMOUNT_WIDTH, 6, label, align="R")
            pdf.cell(AMOUNT_WIDTH, 6, self.money(amount), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(4)

    def notes(self) -> None:
        document, pdf = self.document, self.pdf
        pdf.set_font(FONT, "", 9)
        notes = []
        if document.tax_note:
            notes.append(document.tax_note)
        if document.kind == DocumentKind.STATEMENT:
            # The issuing app's tax note already says why this is not an invoice; the
            # generic sentence stands only where it gave none, so the page says it once.
            if not document.tax_note:
                notes.append(_("Statement of commissions for a partner who is not an entrepreneur: not an invoice, no VAT is shown."))
        else:
            notes.append(self_billing_note())
            notes.append(_("The attached file %(file)s holds this document as a Factur-X electronic invoice (EN 16931).") % {"file": XML_FILENAME})
        for note in notes:
            self.paragraph(WIDTH, 5, note)
            pdf.ln(1)


def _texts(document: CreditNoteDocument) -> list[str]:
    # every text of the document that does not come from the catalogs
    texts = [document.number, document.partner_code, document.tax_note, document.reason, document.cancels_number]
    for party in (document.supplier, document.recipient):
        address = party.address
        texts += [party.name, party.tax_number, party.vat_id, address.street, address.postal_code, address.city]
    texts += [line.description for line in document.lines]
    return texts


@cache
def _territory_name(code: str, locale: str) -> str:
    from babel import Locale

    return Locale.parse(locale).territories.get(code, code)
