"""What a document needs before it is issued (docs/credit-notes.md, "Who is issued a
document"): a partner without a complete tax profile is carried forward, not issued a VAT
document, and paid with the first document after its profile is complete; the commit is
refused while the merchant's own details are missing; every XML the app issues passes the
Factur-X schema and the EN 16931 business rules (BR-S-02, BR-E-02, BR-AE-02 among them) for
every tax status, including partners who had no profile at first."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from saleor_mlm.calendar import PeriodStatus
from saleor_mlm.calendar.models import Period
from saleor_mlm.core.errors import DomainError
from saleor_mlm.credit_notes.document import DocumentKind
from saleor_mlm.credit_notes.documents import document_of
from saleor_mlm.credit_notes.error_codes import CreditNoteErrorCode
from saleor_mlm.credit_notes.facturx import NotAnInvoice, build_xml
from saleor_mlm.credit_notes.issue import cancel_credit_note
from saleor_mlm.credit_notes.models import CreditNote
from saleor_mlm.credit_notes.settings_actions import update_settings
from saleor_mlm.network import TaxStatus
from saleor_mlm.network.actions.tax_profiles import ProfileInput, set_tax_profile
from saleor_mlm.network.models import TaxProfile
from saleor_mlm.payouts import BalanceReason
from saleor_mlm.payouts.models import PartnerBalance
from saleor_mlm.periods.actions import approve_period, commit_period
from tests.fixtures.periods import APPROVER

from .conftest import ADDRESSES, FINANCE
from .validation import check_schema, schematron_errors

pytestmark = pytest.mark.django_db


def legacy_profile(partner, tax_status, *, tax_number="", vat_id="", country="DE"):
    """A version stored before the profile rules (an import, an older release): it lacks
    the ids its tax status needs. `set_tax_profile` refuses such a version."""
    address = ADDRESSES[country]
    return TaxProfile.objects.create(
        installation_id=partner.installation_id,
        partner=partner,
        legal_name=f"{partner.first_name} Muster",
        tax_status=tax_status,
        tax_number=tax_number,
        vat_id=vat_id,
        valid_from=datetime.date(2026, 1, 1),
        changed_by="import",
        **address,
    )


def complete_profile(partner, tax_status=TaxStatus.REGULAR):
    return set_tax_profile(
        partner,
        ProfileInput(legal_name=f"{partner.first_name} Muster", tax_status=tax_status, tax_number="2181508150", **ADDRESSES["DE"]),
        changed_by=FINANCE,
        by_partner=False,
    )


def balance(period, partner):
    row = PartnerBalance.objects.get(period=period, partner=partner)
    return (row.carried_in, row.payable, row.paid, row.carried_forward, row.reason)


def test_without_a_complete_profile_the_amount_waits_and_is_paid_once_it_is_complete(month, earner, settle):
    october, november = month("2026-10"), month("2026-11")
    otto = earner("Otto", {october: "27.00", november: "30.00"})  # no profile at all
    ida = earner("Ida", {october: "40.00", november: "30.00"})
    legacy_profile(ida, TaxStatus.REGULAR)  # REGULAR without tax number or VAT id
    rita = earner("Rita", {october: "45.50", november: "30.00"}, TaxStatus.REGULAR)

    settle(october)

    assert list(CreditNote.objects.values_list("partner_id", flat=True)) == [rita.pk]
    assert balance(october, otto) == (0, Decimal("27"), 0, Decimal("27"), BalanceReason.TAX_PROFILE)
    assert balance(october, ida) == (0, Decimal("40"), 0, Decimal("40"), BalanceReason.TAX_PROFILE)

    complete_profile(otto)  # Otto completes his profile; Ida does not
    settle(november)

    note = CreditNote.objects.get(partner=otto)
    assert (note.period_id, note.net, note.tax_status) == (november.pk, Decimal("57"), TaxStatus.REGULAR)
    assert note.lines == [
        {"kind": "customer", "description": "Kundenbonus", "net": "30.00"},
        {"kind": "CARRIED_IN", "description": "Übertrag aus früheren Perioden", "net": "27.00"},
    ]
    assert balance(november, ida) == (Decimal("40"), Decimal("70"), 0, Decimal("70"), BalanceReason.TAX_PROFILE)
    assert not CreditNote.objects.filter(partner=ida).exists()
    # Every cent earned is on a document or still carried forward, visibly.
    issued = CreditNote.objects.aggregate(total=Sum("net"))["total"]
    carried = PartnerBalance.objects.filter(period=november).aggregate(total=Sum("carried_forward"))["total"]
    assert issued + carried == Decimal("27.00") + Decimal("40.00") + Decimal("45.50") + 3 * Decimal("30.00")


def test_a_later_period_closed_before_the_commit_takes_the_carried_amount_in(installation, month, earner, close_and_run):
    october, november = month("2026-10"), month("2026-11")
    otto = earner("Otto", {october: "27.00", november: "30.00"})
    close_and_run(october)
    close_and_run(november)
    assert balance(november, otto) == (0, Decimal("30"), Decimal("30"), 0, BalanceReason.PAID)

    approve_period(installation, october, APPROVER)
    commit_period(installation, october, FINANCE)

    assert balance(november, otto) == (Decimal("27"), Decimal("57"), Decimal("57"), 0, BalanceReason.PAID)


@pytest.mark.parametrize(
    ("tax_status", "cleared", "named"),
    [
        (TaxStatus.REGULAR, "issuer_name", "your name"),
        (TaxStatus.SMALL_BUSINESS, "issuer_street", "your street"),
        (TaxStatus.REVERSE_CHARGE, "issuer_vat_id", "your VAT id"),
        (TaxStatus.NON_EU, "issuer_vat_id", "your VAT id"),
    ],
)
def test_the_commit_is_refused_while_the_merchants_details_are_missing(installation, month, earner, close_and_run, tax_status, cleared, named):
    october = month("2026-10")
    partner = earner("Rita", {october: "45.50"}, tax_status)
    update_settings(installation.pk, **{cleared: ""})
    close_and_run(october)
    approve_period(installation, october, APPROVER)

    with pytest.raises(DomainError) as refused:
        commit_period(installation, october, FINANCE)

    assert refused.value.code == CreditNoteErrorCode.ISSUER_INCOMPLETE
    assert named in refused.value.messages[0]
    assert Period.objects.get(pk=october.pk).status == PeriodStatus.APPROVED
    assert not CreditNote.objects.exists()
    assert balance(october, partner)[2:] == (Decimal("45.50"), 0, BalanceReason.PAID)


def test_documents_that_do_not_name_the_merchants_vat_id_are_issued_without_it(installation, month, earner, settle):
    october = month("2026-10")
    earner("Rita", {october: "45.50"}, TaxStatus.REGULAR)
    earner("Sam", {october: "40.00"}, TaxStatus.SMALL_BUSINESS)
    update_settings(installation.pk, issuer_vat_id="", issuer_tax_number="")

    settle(october)

    for note in CreditNote.objects.all():
        xml = build_xml(document_of(note))
        check_schema(xml)
        assert schematron_errors(xml) == []


def test_a_reissue_needs_a_complete_profile(installation, month, earner, settle):
    october = month("2026-10")
    rita = earner("Rita", {october: "45.50"}, TaxStatus.REGULAR)
    settle(october)
    note = CreditNote.objects.get(partner=rita)
    legacy = legacy_profile(rita, TaxStatus.SMALL_BUSINESS)
    TaxProfile.objects.filter(pk=legacy.pk).update(valid_from=timezone.localdate())

    with pytest.raises(DomainError) as refused:
        cancel_credit_note(installation, note, reason="Kleinunternehmerin", cancelled_by=FINANCE)

    assert (refused.value.code, CreditNote.objects.count()) == (CreditNoteErrorCode.TAX_PROFILE_INCOMPLETE, 1)
    cancellation, replacement = cancel_credit_note(installation, note, reason="Kleinunternehmerin", cancelled_by=FINANCE, reissue=False)
    assert (cancellation.kind, replacement) == (DocumentKind.CANCELLATION, None)


@pytest.mark.slow
def test_every_issued_xml_passes_the_schema_and_the_en16931_rules(installation, month, earner, settle):
    october, november = month("2026-10"), month("2026-11")
    partners = {status: earner(status.title(), {october: "45.50", november: "30.00"}, status) for status, _ in TaxStatus.CHOICES}
    partners["none"] = earner("Otto", {october: "27.00", november: "30.00"})
    partners["legacy"] = earner("Ida", {october: "40.00", november: "30.00"})
    legacy_profile(partners["legacy"], TaxStatus.NON_EU, country="CH")  # NON_EU without an id
    settle(october)
    complete_profile(partners["none"], TaxStatus.SMALL_BUSINESS)
    settle(november)
    reverse = CreditNote.objects.get(partner=partners[TaxStatus.REVERSE_CHARGE], period=october)
    cancel_credit_note(installation, reverse, reason="Anschrift veraltet", cancelled_by=FINANCE)

    notes = list(CreditNote.objects.order_by("sequence"))
    # October: four VAT documents and a statement; November: those five again and Otto's
    # first (after his profile); a cancellation and its replacement. Ida has none.
    assert len(notes) == 13
    assert not CreditNote.objects.filter(partner=partners["legacy"]).exists()
    for note in notes:
        document = document_of(note)
        if note.kind == DocumentKind.STATEMENT:
            assert note.tax_status == TaxStatus.PRIVATE
            with pytest.raises(NotAnInvoice):
                build_xml(document)
            continue
        xml = build_xml(document)
        check_schema(xml)
        assert schematron_errors(xml) == [], (note.number, note.tax_status)
        # BR-S-02, BR-E-02, BR-AE-02: the seller (the partner) names its tax number or VAT id
        assert document.supplier.tax_number or document.supplier.vat_id
