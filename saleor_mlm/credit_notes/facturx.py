"""The Factur-X / ZUGFeRD XML of a credit note: UN/CEFACT CII in the EN 16931 profile.

Built with `drafthorse`, and checked against the Factur-X EN 16931 schema it ships, from a
`CreditNoteDocument` and nothing else. Terms as EN 16931 uses them:

- **Seller** (BG-4) is the party that supplies the service and is paid: in self-billing the
  partner. **Buyer** (BG-7) is the merchant, who receives the service and issues the
  document in the seller's name (§14 Abs. 2 Satz 2 UStG).
- **Document type** (BT-3, UNTDID 1001): a credit note is 389 "self-billed invoice"; its
  cancellation is 261 "self-billed credit note" referencing the cancelled note (BT-25,
  BT-26). A credit-note type carries the direction of the money itself, so EN 16931 wants
  its amounts with the sign of the invoice it corrects: the cancellation's amounts (negative
  in the `CreditNoteDocument`, as the PDF shows them) are written positive here. Nothing
  else is computed: every amount is the document's.
- **VAT category** (BT-118/BT-151, UNCL 5305) by the partner's tax status, see
  `VAT_CATEGORY`. The exemption note of the document goes into the VAT breakdown's
  exemption reason (BT-120), which EN 16931 requires for E and AE (BR-E-10, BR-AE-10).

A commission statement for a partner who is not an entrepreneur (`DocumentKind.STATEMENT`)
is no invoice and has no XML: `build_xml` refuses it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import drafthorse
from django.utils import translation
from django.utils.translation import gettext as _
from drafthorse.models.accounting import ApplicableTradeTax
from drafthorse.models.document import Document
from drafthorse.models.note import IncludedNote
from drafthorse.models.party import TaxRegistration
from drafthorse.models.payment import PaymentTerms
from drafthorse.models.tradelines import LineItem
from lxml import etree

from ..network import TaxStatus
from .document import CreditNoteDocument, DocumentKind, Party

PROFILE = "urn:cen.eu:en16931:2017"  # BT-24: Factur-X / ZUGFeRD EN 16931 (COMFORT)
# The Factur-X EN 16931 schema that drafthorse ships and checks against when asked to while
# serialising; drafthorse reads and compiles it on every call (4 ms), so it is compiled once
# per thread here and checked after serialising (`_checked`).
SCHEMA = Path(drafthorse.__file__).parent / "schema" / "Factur-X_1.0.07_EN16931.xsd"
_SCHEMAS = threading.local()
XML_FILENAME = "factur-x.xml"  # the name Factur-X prescribes for the embedded file

SELF_BILLED_INVOICE = "389"  # UNTDID 1001: invoice issued by the buyer in the seller's name
SELF_BILLED_CREDIT_NOTE = "261"  # UNTDID 1001: credit note in a self-billing relationship
TYPE_CODE = {
    DocumentKind.CREDIT_NOTE: SELF_BILLED_INVOICE,
    DocumentKind.CANCELLATION: SELF_BILLED_CREDIT_NOTE,
}
UNIT = "C62"  # UN/ECE Rec 20 "one": every line is one commission of its amount


@dataclass(frozen=True)
class VatCategory:
    code: str  # UNCL 5305
    exemption_code: str = ""  # VATEX code (BT-121), where one applies


STANDARD = VatCategory("S")
# §19 UStG: since 2025 the small business's turnover is tax-exempt (steuerfrei), so E with
# the §19 note as the reason (BR-E-10); VATEX has no code for it, the text is the reason.
EXEMPT = VatCategory("E")
# The partner's commission is a service to the merchant's business: its place of supply is
# Germany (§3a Abs. 2 UStG) and the merchant owes the VAT (§13b UStG): Abs. 1 for a partner
# in another EU state, Abs. 2 Nr. 1 for one outside the EU. Both are EN 16931's "reverse
# charge" (AE). "O" (outside the scope of VAT) would say the supply is not taxable at all,
# and "G" is the export of goods *from* the seller's EU country: neither fits a service
# received in Germany.
REVERSE_CHARGE = VatCategory("AE", "VATEX-EU-AE")
VAT_CATEGORY = {
    TaxStatus.REGULAR: STANDARD,
    TaxStatus.SMALL_BUSINESS: EXEMPT,
    TaxStatus.REVERSE_CHARGE: REVERSE_CHARGE,
    TaxStatus.NON_EU: REVERSE_CHARGE,
}


class NotAnInvoice(ValueError):
    """The document is a commission statement, which has no Factur-X XML."""


def vat_category(tax_status: str) -> VatCategory:
    try:
        return VAT_CATEGORY[tax_status]
    except KeyError:
        raise ValueError(f"no VAT category for tax status {tax_status!r}") from None


def build_xml(document: CreditNoteDocument) -> bytes:
    """The document's Factur-X XML (EN 16931), validated against the schema, as UTF-8 bytes."""
    if document.kind not in TYPE_CODE:
        raise NotAnInvoice(f"a {document.kind.value} document has no Factur-X XML")
    category = vat_category(document.tax_status)
    sign = -1 if document.kind == DocumentKind.CANCELLATION else 1
    with translation.override(document.language):
        xml = _build(document, category, sign)
    return xml


def _amount(value: Decimal, sign: int) -> Decimal:
    # fixed-point text exactly as given ("100.00", never "1E+2"), sign flipped if asked
    # (never "-0.00")
    value = value * sign
    return Decimal(format(abs(value) if value == 0 else value, "f"))


def _build(document: CreditNoteDocument, category: VatCategory, sign: int) -> bytes:
    currency = document.currency
    doc = Document()
    doc.context.guideline_parameter.id = PROFILE
    doc.header.id = document.number
    doc.header.type_code = TYPE_CODE[document.kind]
    doc.header.issue_date_time = document.issue_date
    for text in _notes(document):
        note = IncludedNote()
        note.content = text
        doc.header.notes.add(note)

    agreement = doc.trade.agreement
    _party(agreement.seller, document.supplier, seller=True)
    agreement.seller.id = document.partner_code  # BT-29: how the merchant knows the partner
    _party(agreement.buyer, document.recipient, seller=False)

    settlement = doc.trade.settlement
    settlement.currency_code = currency
    settlement.period.start = document.period_start
    settlement.period.end = document.period_end
    if document.kind == DocumentKind.CANCELLATION:
        reference = settlement.invoice_referenced_document  # BT-25, BT-26
        reference.issuer_assigned_id = document.cancels_number
        if document.cancels_issue_date is not None:
            reference.issue_date_time = document.cancels_issue_date
    terms = PaymentTerms()
    terms.description = _("Paid by the issuer of this self-billed invoice by bank transfer.")
    settlement.terms.add(terms)

    tax = ApplicableTradeTax()
    tax.calculated_amount = _amount(document.vat, sign)
    tax.type_code = "VAT"
    tax.basis_amount = _amount(document.net, sign)
    tax.category_code = category.code
    tax.rate_applicable_percent = document.vat_rate
    if category != STANDARD:
        tax.exemption_reason = document.tax_note
        if category.exemption_code:
            tax.exemption_reason_code = category.exemption_code
    settlement.trade_tax.add(tax)

    for position, line in enumerate(document.lines, start=1):
        item = LineItem()
        item.document.line_id = str(position)
        item.product.seller_assigned_id = line.kind
        item.product.name = line.description
        # BR-27: a price is never negative, so a negative line is one unit of its amount,
        # billed -1 times (the line total keeps the sign)
        total = _amount(line.net, sign)
        item.agreement.net.amount = abs(total)
        item.delivery.billed_quantity = (Decimal(-1) if total < 0 else Decimal(1), UNIT)
        item.settlement.trade_tax.type_code = "VAT"
        item.settlement.trade_tax.category_code = category.code
        item.settlement.trade_tax.rate_applicable_percent = document.vat_rate
        item.settlement.monetary_summation.total_amount = total
        doc.trade.items.add(item)

    totals = settlement.monetary_summation
    totals.line_total = _amount(document.net, sign)
    totals.tax_basis_total = _amount(document.net, sign)
    totals.tax_total = (_amount(document.vat, sign), currency)
    totals.grand_total = _amount(document.gross, sign)
    totals.due_amount = _amount(document.gross, sign)
    return _checked(doc.serialize(schema=None))


def _checked(xml: bytes) -> bytes:
    """`xml`, once it is valid against the schema (lxml's DocumentInvalid if not)."""
    schema = getattr(_SCHEMAS, "schema", None)
    if schema is None:  # an XMLSchema is not to be shared by threads
        schema = _SCHEMAS.schema = etree.XMLSchema(file=str(SCHEMA))
    schema.assertValid(etree.fromstring(xml))
    return xml


def _notes(document: CreditNoteDocument) -> list[str]:
    # BT-22: what a reader of the XML alone must know (the PDF shows the same)
    notes = [self_billing_note()]
    if document.kind == DocumentKind.CANCELLATION:
        notes.append(
            _("Cancels the credit note %(number)s.") % {"number": document.cancels_number}
        )
        if document.reason:
            notes.append(document.reason)
    if document.tax_note:
        notes.append(document.tax_note)
    return notes


def self_billing_note() -> str:
    """The note that names the document a self-billed invoice (§14 Abs. 4 Satz 1 Nr. 10 UStG:
    "Gutschrift"), in the active language; the PDF shows it too."""
    return _("Self-billed invoice (credit note) issued by the recipient of the service.")


def _party(trade_party, party: Party, *, seller: bool) -> None:
    trade_party.name = party.name
    address = trade_party.address
    address.line_one = party.address.street
    address.postcode = party.address.postal_code
    address.city_name = party.address.city
    address.country_id = party.address.country
    if party.email:
        trade_party.electronic_address.uri_ID = ("EM", party.email)  # BT-34/BT-49, scheme EM
    if party.vat_id:
        trade_party.tax_registrations.add(_registration("VA", party.vat_id))
    if party.tax_number and seller:  # the buyer has no tax number in EN 16931, only BT-48
        trade_party.tax_registrations.add(_registration("FC", party.tax_number))


def _registration(scheme: str, value: str) -> TaxRegistration:
    registration = TaxRegistration()
    registration.id = (scheme, value)  # VA: VAT id (BT-31/BT-48), FC: tax number (BT-32)
    return registration

