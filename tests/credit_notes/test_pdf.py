"""The PDF of a credit note: the legally required fields (§14 Abs. 4 UStG) in the document's
language as a PDF text library reads them, the Factur-X XML embedded as `build_xml` makes it,
and the PDF/A-3 and Factur-X identification."""

import re
from dataclasses import replace
from io import BytesIO

import pytest
from facturx import get_xml_from_pdf
from fontTools.ttLib import TTFont
from lxml import etree
from PIL import Image
from pypdf import PdfReader

from saleor_mlm.credit_notes.document import DocumentKind
from saleor_mlm.credit_notes.facturx import build_xml
from saleor_mlm.credit_notes.pdf import render_pdf
from saleor_mlm.credit_notes.pdf_fonts import FONTS, variant_for
from saleor_mlm.credit_notes.texts import tax_note
from saleor_mlm.network import TaxStatus

from .documents import MERCHANT, PARTNERS, TAX_NOTES, cancellation, credit_note

XMP = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "fx": "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#",
    "dc": "http://purl.org/dc/elements/1.1/",
}
# what each language calls things, and how it writes the example's numbers
WORDS = {
    "de": {
        "title": "Gutschrift",
        "number": "Belegnummer GS-2026-000042",
        "issue_date": "Ausstellungsdatum 03.12.2026",
        "period": "Leistungszeitraum 01.11.2026 – 30.11.2026",
        "tax_number": "Steuernummer: ",
        "vat_id": "USt-IdNr.: ",
        "lines": ["1 Direktprovision 812,40 €", "2 Unilevel-Bonus 433,17 €", "3 Korrektur März -20,00 €"],
        "net": "Summe netto 1.225,57 €",
        "vat": {"19": "Umsatzsteuer 19 % 232,86 €", "0": "Umsatzsteuer 0 % 0,00 €"},
        "gross": {"19": "Gesamtbetrag 1.458,43 €", "0": "Gesamtbetrag 1.225,57 €"},
        "currency": "Währung EUR",
        "self_billing": "Gutschrift im Sinne des § 14 Abs. 2 Satz 2 UStG, ausgestellt vom Leistungsempfänger.",
        "country": "Deutschland",
    },
    "en": {
        "title": "Self-billed invoice / credit note",
        "number": "Number GS-2026-000042",
        "issue_date": "Issue date Dec 3, 2026",
        "period": "Period of supply Nov 1, 2026 – Nov 30, 2026",
        "tax_number": "Tax number: ",
        "vat_id": "VAT ID: ",
        "lines": ["1 Direct commission €812.40", "2 Unilevel bonus €433.17", "3 Adjustment March -€20.00"],
        "net": "Net total €1,225.57",
        "vat": {"19": "VAT 19 % €232.86", "0": "VAT 0 % €0.00"},
        "gross": {"19": "Total €1,458.43", "0": "Total €1,225.57"},
        "currency": "Currency EUR",
        "self_billing": "Self-billed invoice (credit note) issued by the recipient of the service.",
        "country": "Germany",
    },
    # French: "Autofacturation", the word a French reader expects on a self-billed invoice
    "fr": {
        "title": "Facture – Autofacturation",
        "number": "Numéro GS-2026-000042",
        "issue_date": "Date d'émission 3 déc. 2026",
        "period": "Période de prestation 1 nov. 2026 – 30 nov. 2026",
        "tax_number": "Numéro fiscal: ",
        "vat_id": "N° de TVA: ",
        "lines": ["1 Direct commission 812,40 €", "2 Unilevel bonus 433,17 €", "3 Adjustment March -20,00 €"],
        "net": "Total HT 1 225,57 €",
        "vat": {"19": "TVA 19 % 232,86 €", "0": "TVA 0 % 0,00 €"},
        "gross": {"19": "Total TTC 1 458,43 €", "0": "Total TTC 1 225,57 €"},
        "currency": "Devise EUR",
        "self_billing": "Autofacturation : facture émise par le preneur de la prestation.",
        "country": "Allemagne",
    },
}


def page_lines(pdf: bytes) -> list[str]:
    reader = PdfReader(BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return [" ".join(line.replace("\xa0", " ").split()) for line in text.splitlines()]


def xmp(pdf: bytes):
    reader = PdfReader(BytesIO(pdf))
    stream = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    return etree.fromstring(stream)


@pytest.mark.parametrize("tax_status", list(TAX_NOTES))
@pytest.mark.parametrize("language", ["de", "en", "fr"])
def test_the_legally_required_fields_in_the_documents_language(tax_status, language):
    document = credit_note(tax_status, language)
    words = WORDS[language]
    lines = page_lines(render_pdf(document))
    partner = PARTNERS[tax_status]

    assert words["title"] in lines
    # both parties: names, addresses, tax number or VAT id
    for party in (partner, MERCHANT):
        assert party.name in lines
        assert party.address.street in lines
        assert f"{party.address.postal_code} {party.address.city}" in lines
        if party.tax_number:
            assert words["tax_number"] + party.tax_number in lines
        if party.vat_id:
            assert words["vat_id"] + party.vat_id in lines
    assert words["country"] in lines
    # issue date, the number, the period of supply, the currency
    for key in ("number", "issue_date", "period", "currency"):
        assert words[key] in lines
    # one line per bonus kind and adjustment, net, VAT rate and amount, gross
    for line in words["lines"]:
        assert line in lines
    rate = "19" if tax_status == TaxStatus.REGULAR else "0"
    assert words["net"] in lines
    assert words["vat"][rate] in lines
    assert words["gross"][rate] in lines
    # the exemption or reverse-charge note, and the word for a self-billed invoice
    if TAX_NOTES[tax_status]:
        assert TAX_NOTES[tax_status] in lines
    assert words["self_billing"] in lines


@pytest.mark.parametrize(("language", "title", "cancelled", "reason", "gross"), [
    ("de", "Stornorechnung zur Gutschrift Nr. GS-2026-000042", "Stornierte Gutschrift GS-2026-000042 vom 03.12.2026", "Grund Falsches Steuerprofil", "Gesamtbetrag -1.458,43 €"),
    ("en", "Cancellation of credit note no. GS-2026-000042", "Cancelled credit note GS-2026-000042 of Dec 3, 2026", "Reason Wrong tax profile", "Total -€1,458.43"),
    ("fr", "Annulation de l'autofacture n° GS-2026-000042", "Autofacture annulée GS-2026-000042 du 3 déc. 2026", "Motif Wrong tax profile", "Total TTC -1 458,43 €"),
])
def test_a_cancellation_names_the_credit_note_it_cancels(language, title, cancelled, reason, gross):
    lines = page_lines(render_pdf(cancellation(TaxStatus.REGULAR, language)))

    assert title in lines
    assert cancelled in lines
    assert reason in lines
    assert gross in lines


@pytest.mark.parametrize("make", [credit_note, cancellation], ids=["credit_note", "cancellation"])
def test_the_embedded_xml_is_the_one_build_xml_makes(make):
    document = make(TaxStatus.REVERSE_CHARGE, "en")
    pdf = render_pdf(document)
    reader = PdfReader(BytesIO(pdf))

    assert reader.attachments["factur-x.xml"] == [build_xml(document)]
    # the factur-x package finds it the way a receiving system does
    assert get_xml_from_pdf(pdf, check_xsd=True) == ("factur-x.xml", build_xml(document))
    # an associated file of the document, an equivalent of what the page shows
    (filespec,) = [reference.get_object() for reference in reader.trailer["/Root"]["/AF"]]
    assert filespec["/F"] == filespec["/UF"] == "factur-x.xml"
    assert filespec["/AFRelationship"] == "/Alternative"
    assert filespec["/EF"]["/F"].get_object()["/Subtype"] == "/text/xml"


def test_pdf_a_3b_and_factur_x_identification():
    pdf = render_pdf(credit_note(TaxStatus.REGULAR, "de"))
    reader = PdfReader(BytesIO(pdf))
    metadata = xmp(pdf)

    assert pdf.startswith(b"%PDF-1.7")
    assert metadata.xpath("//pdfaid:part/text()", namespaces=XMP) == ["3"]
    assert metadata.xpath("//pdfaid:conformance/text()", namespaces=XMP) == ["B"]
    assert metadata.xpath("//fx:DocumentType/text()", namespaces=XMP) == ["INVOICE"]
    assert metadata.xpath("//fx:DocumentFileName/text()", namespaces=XMP) == ["factur-x.xml"]
    assert metadata.xpath("//fx:Version/text()", namespaces=XMP) == ["1.0"]
    assert metadata.xpath("//fx:ConformanceLevel/text()", namespaces=XMP) == ["EN 16931"]
    # the extension schema that PDF/A needs to accept the fx: properties
    assert "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#" in metadata.xpath("//*[local-name()='namespaceURI']/text()")
    assert metadata.xpath("//dc:title//rdf:li/text()", namespaces=XMP) == ["Gutschrift GS-2026-000042"]
    (intent,) = reader.trailer["/Root"]["/OutputIntents"]
    assert intent["/S"] == "/GTS_PDFA1"
    assert "/DestOutputProfile" in intent
    assert reader.trailer["/Root"]["/Lang"] == "de"
    # every font is embedded
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert len(fonts) == 2
    for font in fonts.values():
        descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert "/FontFile2" in descriptor


@pytest.mark.parametrize(("name", "variant"), [("Jörg Meißner", "latin"), ("Γιώργος Παπαδόπουλος", "extended")])
def test_the_embedded_fonts_hold_the_glyphs_the_page_shows_and_no_others(name, variant):
    supplier = replace(PARTNERS[TaxStatus.REGULAR], name=name)
    pdf = render_pdf(replace(credit_note(TaxStatus.REGULAR, "de"), supplier=supplier))
    reader = PdfReader(BytesIO(pdf))

    files = {"/MPDFAA+DejaVuSansBook": "DejaVuSans.ttf", "/MPDFAA+DejaVuSansBold": "DejaVuSans-Bold.ttf"}
    fonts = [font.get_object() for font in reader.pages[0]["/Resources"]["/Font"].values()]
    assert sorted(font["/BaseFont"] for font in fonts) == sorted(files)
    for font in fonts:
        cid_font = font["/DescendantFonts"][0].get_object()
        data = cid_font["/FontDescriptor"]["/FontFile2"].get_object().get_data()
        program = TTFont(BytesIO(data), checkChecksums=2)  # a wrong table checksum raises
        program.ensureDecompiled()
        source = TTFont(FONTS / variant / files[font["/BaseFont"]])
        names, source_names = program.getGlyphOrder(), source.getGlyphOrder()
        assert len(names) == len(source_names)  # glyph ids kept (the names are not: no post names)
        cid_to_gid = cid_font["/CIDToGIDMap"].get_object().get_data()
        shown = {int.from_bytes(cid_to_gid[code : code + 2], "big") for code in range(0, len(cid_to_gid), 2)}
        source_glyf, glyf = source["glyf"], program["glyf"]
        parts = {source.getGlyphID(c.glyphName) for gid in shown if source_glyf[source_names[gid]].isComposite() for c in source_glyf[source_names[gid]].components}
        kept = shown | parts | {0}
        for gid in kept:  # outlines as in the font file
            assert glyf[names[gid]].getCoordinates(glyf)[0] == source_glyf[source_names[gid]].getCoordinates(source_glyf)[0]
        drawn = {gid for gid, glyph in enumerate(names) if glyf[glyph].numberOfContours != 0}
        assert drawn <= kept  # every other glyph is empty
        assert len(drawn) < len(names) / 4
    assert name in page_lines(pdf)


def test_the_same_document_renders_to_the_same_bytes():
    document = credit_note(TaxStatus.SMALL_BUSINESS, "de")

    assert render_pdf(document) == render_pdf(document)


def test_the_merchants_logo_is_on_the_page():
    logo = BytesIO()
    Image.new("RGB", (120, 40), (200, 30, 30)).save(logo, format="PNG")
    document = replace(credit_note(), logo_png=logo.getvalue())
    reader = PdfReader(BytesIO(render_pdf(document)))

    (image,) = reader.pages[0].images
    assert image.image.size == (120, 40)
    assert len(PdfReader(BytesIO(render_pdf(credit_note()))).pages[0].images) == 0


@pytest.mark.parametrize(("language", "title", "note"), [
    ("de", "Provisionsabrechnung", "Provisionsabrechnung für einen Partner, der kein Unternehmer ist: keine Rechnung, ohne Ausweis von Umsatzsteuer."),
    ("en", "Commission statement", "Statement of commissions for a partner who is not an entrepreneur: not an invoice, no VAT is shown."),
])
def test_a_commission_statement_is_a_pdf_a_without_xml_or_vat(language, title, note):
    document = replace(credit_note(TaxStatus.REGULAR, language), kind=DocumentKind.STATEMENT, vat_rate=0, tax_note="")
    document = replace(document, vat=document.vat * 0, gross=document.net)
    pdf = render_pdf(document)
    lines = page_lines(pdf)

    assert title in lines
    assert note in " ".join(lines)  # wrapped over two lines
    assert not any(re.match(r"(VAT|Umsatzsteuer) [\d,.]+ %", line) for line in lines)  # no VAT row
    assert PdfReader(BytesIO(pdf)).attachments == {}
    assert xmp(pdf).xpath("//pdfaid:part/text()", namespaces=XMP) == ["3"]
    assert xmp(pdf).xpath("//fx:DocumentType", namespaces=XMP) == []


def test_greek_and_cyrillic_names_are_written_with_the_extended_font():
    supplier = replace(PARTNERS[TaxStatus.REVERSE_CHARGE], name="Γιώργος Παπαδόπουλος")
    recipient = replace(MERCHANT, name="Торговый дом Иванов")
    document = replace(credit_note(TaxStatus.REVERSE_CHARGE, "en"), supplier=supplier, recipient=recipient)
    lines = page_lines(render_pdf(document))

    assert "Γιώργος Παπαδόπουλος" in lines
    assert "Торговый дом Иванов" in lines
    assert "1 Direct commission €812.40" in lines


def test_fonts_are_chosen_by_the_texts():
    assert variant_for(["Jörg Meißner", "Łukasz Wójcik", "Ștefan Țurcanu", "1.225,57 €"]) == "latin"
    assert variant_for(["Jörg", "Иван"]) == "extended"


def test_french_documents_are_written_with_the_latin_font():
    """Every French text of the catalog (é, è, ç, œ, «, the no-break spaces before : and ;) has
    its glyph in the `latin` font; the narrow no-break space CLDR puts in French numbers does
    not, so the PDF writes them with the no-break space."""
    import polib

    catalog = polib.pofile(str(FONTS.parent.parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    texts = [entry.msgstr for entry in catalog if entry.msgstr] + [text for entry in catalog for text in entry.msgstr_plural.values()]
    texts = [line for text in texts for line in text.splitlines()]
    assert len(texts) > 500
    assert variant_for(texts) == "latin"
    assert "\u202f" not in "".join(page_lines(render_pdf(credit_note(TaxStatus.REGULAR, "fr"))))


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_commission_statement_says_once_why_it_is_not_an_invoice(language):
    issued_note = tax_note(TaxStatus.PRIVATE, language)
    document = replace(credit_note(TaxStatus.REGULAR, language), kind=DocumentKind.STATEMENT, vat_rate=0, tax_note=issued_note)
    document = replace(document, vat=document.vat * 0, gross=document.net)
    text = " ".join(page_lines(render_pdf(document)))

    assert issued_note in text
    generic = {"de": "der kein Unternehmer ist", "en": "who is not an entrepreneur"}[language]
    assert generic not in text
