"""The Factur-X XML of a credit note: valid against the Factur-X EN 16931 schema and the
EN 16931 schematron for every tax status and for a cancellation, with the codes and amounts
of the document."""

from dataclasses import replace
from decimal import Decimal

import pytest
from lxml import etree

from saleor_mlm.credit_notes.document import DocumentKind
from saleor_mlm.credit_notes.facturx import NotAnInvoice, build_xml
from saleor_mlm.network import TaxStatus

from .documents import MERCHANT, PARTNERS, TAX_NOTES, cancellation, credit_note
from .validation import check_schema, schematron_errors

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}
TRADE = "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/"
SETTLEMENT = TRADE + "ram:ApplicableHeaderTradeSettlement/"
TOTALS = SETTLEMENT + "ram:SpecifiedTradeSettlementHeaderMonetarySummation/"
SELLER = TRADE + "ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty/"
BUYER = TRADE + "ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty/"
EXPECTED_CATEGORY = {
    TaxStatus.REGULAR: ("S", "19", None),
    TaxStatus.SMALL_BUSINESS: ("E", "0", None),
    TaxStatus.REVERSE_CHARGE: ("AE", "0", "VATEX-EU-AE"),
    TaxStatus.NON_EU: ("AE", "0", "VATEX-EU-AE"),
}


def texts(tree, path):
    return [node if isinstance(node, str) else node.text for node in tree.xpath(path, namespaces=NS)]


def text(tree, path):
    (value,) = texts(tree, path)
    return value


@pytest.mark.parametrize("tax_status", list(TAX_NOTES))
@pytest.mark.parametrize("make", [credit_note, cancellation], ids=["credit_note", "cancellation"])
@pytest.mark.parametrize("language", ["de", "en"])
def test_every_tax_status_and_a_cancellation_are_valid_factur_x(tax_status, make, language):
    xml = build_xml(make(tax_status, language))

    check_schema(xml)
    assert schematron_errors(xml) == []


@pytest.mark.parametrize("tax_status", list(TAX_NOTES))
def test_codes_parties_and_amounts_of_a_credit_note(tax_status):
    document = credit_note(tax_status)
    tree = etree.fromstring(build_xml(document))
    category, rate, reason_code = EXPECTED_CATEGORY[tax_status]

    assert text(tree, "/rsm:CrossIndustryInvoice/rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID") == "urn:cen.eu:en16931:2017"
    assert text(tree, "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:ID") == "GS-2026-000042"
    assert text(tree, "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:TypeCode") == "389"
    assert text(tree, "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString") == "20261203"
    # the partner supplies and is the seller; the merchant is the buyer
    assert text(tree, SELLER + "ram:Name") == PARTNERS[tax_status].name
    assert text(tree, SELLER + "ram:ID") == "ANNA42"
    assert text(tree, BUYER + "ram:Name") == "Vitalwerk GmbH"
    assert texts(tree, BUYER + "ram:SpecifiedTaxRegistration/ram:ID") == [MERCHANT.vat_id]
    seller_ids = dict(zip(texts(tree, SELLER + "ram:SpecifiedTaxRegistration/ram:ID/@schemeID"), texts(tree, SELLER + "ram:SpecifiedTaxRegistration/ram:ID")))
    partner = PARTNERS[tax_status]
    assert seller_ids == {key: value for key, value in (("VA", partner.vat_id), ("FC", partner.tax_number)) if value}
    assert text(tree, SETTLEMENT + "ram:BillingSpecifiedPeriod/ram:StartDateTime/udt:DateTimeString") == "20261101"
    assert text(tree, SETTLEMENT + "ram:BillingSpecifiedPeriod/ram:EndDateTime/udt:DateTimeString") == "20261130"
    assert text(tree, SETTLEMENT + "ram:InvoiceCurrencyCode") == "EUR"

    assert text(tree, SETTLEMENT + "ram:ApplicableTradeTax/ram:CategoryCode") == category
    assert text(tree, SETTLEMENT + "ram:ApplicableTradeTax/ram:RateApplicablePercent") == rate
    assert set(texts(tree, TRADE + "ram:IncludedSupplyChainTradeLineItem//ram:ApplicableTradeTax/ram:CategoryCode")) == {category}
    assert texts(tree, SETTLEMENT + "ram:ApplicableTradeTax/ram:ExemptionReason") == ([TAX_NOTES[tax_status]] if category != "S" else [])
    assert texts(tree, SETTLEMENT + "ram:ApplicableTradeTax/ram:ExemptionReasonCode") == ([reason_code] if reason_code else [])

    vat = "232.86" if tax_status == TaxStatus.REGULAR else "0.00"
    gross = "1458.43" if tax_status == TaxStatus.REGULAR else "1225.57"
    assert text(tree, SETTLEMENT + "ram:ApplicableTradeTax/ram:BasisAmount") == "1225.57"
    assert text(tree, SETTLEMENT + "ram:ApplicableTradeTax/ram:CalculatedAmount") == vat
    assert text(tree, TOTALS + "ram:LineTotalAmount") == "1225.57"
    assert text(tree, TOTALS + "ram:TaxBasisTotalAmount") == "1225.57"
    assert text(tree, TOTALS + "ram:TaxTotalAmount") == vat
    assert text(tree, TOTALS + "ram:TaxTotalAmount/@currencyID") == "EUR"
    assert text(tree, TOTALS + "ram:GrandTotalAmount") == gross
    assert text(tree, TOTALS + "ram:DuePayableAmount") == gross
    assert (document.net, document.vat, document.gross) == (Decimal("1225.57"), Decimal(vat), Decimal(gross))
    # one line per bonus kind and adjustment; a negative line is its amount billed -1 times
    lines = TRADE + "ram:IncludedSupplyChainTradeLineItem/"
    assert texts(tree, lines + "ram:SpecifiedTradeProduct/ram:SellerAssignedID") == ["DIRECT", "UNILEVEL", "ADJUSTMENT"]
    assert texts(tree, lines + "ram:SpecifiedTradeProduct/ram:Name") == ["Direktprovision", "Unilevel-Bonus", "Korrektur März"]
    assert texts(tree, lines + "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:ChargeAmount") == ["812.40", "433.17", "20.00"]
    assert texts(tree, lines + "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity") == ["1", "1", "-1"]
    assert texts(tree, lines + "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount") == ["812.40", "433.17", "-20.00"]


def test_a_cancellation_is_a_self_billed_credit_note_referencing_the_original():
    document = cancellation(TaxStatus.REGULAR, "en")
    tree = etree.fromstring(build_xml(document))

    assert text(tree, "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:TypeCode") == "261"
    assert text(tree, "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:ID") == "GS-2026-000057"
    assert text(tree, SETTLEMENT + "ram:InvoiceReferencedDocument/ram:IssuerAssignedID") == "GS-2026-000042"
    assert text(tree, SETTLEMENT + "ram:InvoiceReferencedDocument/ram:FormattedIssueDateTime/qdt:DateTimeString") == "20261203"
    # the document's negative amounts, with the sign of the credit note they cancel
    assert document.gross == Decimal("-1458.43")
    assert text(tree, TOTALS + "ram:GrandTotalAmount") == "1458.43"
    assert text(tree, TOTALS + "ram:TaxTotalAmount") == "232.86"
    assert text(tree, SETTLEMENT + "ram:ApplicableTradeTax/ram:BasisAmount") == "1225.57"
    assert texts(tree, TRADE + "ram:IncludedSupplyChainTradeLineItem//ram:LineTotalAmount") == ["812.40", "433.17", "-20.00"]
    notes = texts(tree, "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:IncludedNote/ram:Content")
    assert "Cancels the credit note GS-2026-000042." in notes
    assert "Wrong tax profile" in notes


def test_a_cancelled_zero_vat_is_never_minus_zero():
    tree = etree.fromstring(build_xml(cancellation(TaxStatus.SMALL_BUSINESS)))

    assert text(tree, TOTALS + "ram:TaxTotalAmount") == "0.00"
    assert text(tree, SETTLEMENT + "ram:ApplicableTradeTax/ram:CalculatedAmount") == "0.00"


@pytest.mark.parametrize(("language", "note"), [
    ("de", "Gutschrift im Sinne des § 14 Abs. 2 Satz 2 UStG, ausgestellt vom Leistungsempfänger."),
    ("en", "Self-billed invoice (credit note) issued by the recipient of the service."),
])
def test_notes_are_in_the_documents_language(language, note):
    tree = etree.fromstring(build_xml(credit_note(TaxStatus.SMALL_BUSINESS, language)))

    notes = texts(tree, "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:IncludedNote/ram:Content")
    assert notes == [note, TAX_NOTES[TaxStatus.SMALL_BUSINESS]]


def test_the_schematron_check_finds_a_missing_exemption_reason():
    # the check itself is live: an exempt note without its reason breaks BR-E-10
    xml = build_xml(replace(credit_note(TaxStatus.SMALL_BUSINESS), tax_note=""))

    errors = schematron_errors(xml)
    assert any("[BR-E-10]" in error for error in errors), errors


def test_a_commission_statement_has_no_xml():
    statement = replace(credit_note(TaxStatus.REGULAR), kind=DocumentKind.STATEMENT)

    with pytest.raises(NotAnInvoice):
        build_xml(statement)


def test_an_unknown_tax_status_is_refused():
    with pytest.raises(ValueError, match="no VAT category"):
        build_xml(replace(credit_note(), tax_status="private"))


def test_an_xml_the_schema_refuses_is_not_returned():
    # the number (BT-1) is required and may not be empty: the schema check, compiled once
    # per thread, still runs on every document
    with pytest.raises(etree.DocumentInvalid):
        build_xml(replace(credit_note(TaxStatus.REGULAR, "de"), number=""))
