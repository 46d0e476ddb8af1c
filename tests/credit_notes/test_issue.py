"""Issuing at commit: one document per partner paid in the period, per tax status the
right amounts, VAT (once per document, half up) and notes; totals equal the payable
amounts to the cent (a partner without a tax profile is carried forward, not issued a
document); numbers gap-free; a failed issue commits nothing and burns no number."""

import datetime
from decimal import Decimal

import pytest
from django.db import DatabaseError, transaction
from django.db.models import Sum
from django.utils import timezone

from saleor_mlm.calendar import PeriodStatus
from saleor_mlm.calendar.models import Period
from saleor_mlm.credit_notes.issue import vat_amount
from saleor_mlm.credit_notes.models import CreditNote, ImmutableRow, NumberSeries, VatRate
from saleor_mlm.credit_notes.settings_actions import update_settings
from saleor_mlm.network import TaxStatus
from saleor_mlm.payouts import BalanceReason
from saleor_mlm.payouts.actions import add_adjustment, place_payout_hold
from saleor_mlm.payouts.models import PartnerBalance
from saleor_mlm.periods.actions import approve_period, commit_period
from tests.fixtures.periods import APPROVER

from .conftest import FINANCE

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture
def october(month, earner, installation, settle):
    period = month("2026-10")
    partners = {
        "regular": earner("Rita", {period: "45.50"}, TaxStatus.REGULAR),
        "small": earner("Sam", {period: "40.00"}, TaxStatus.SMALL_BUSINESS, language="en"),
        "reverse": earner("Resi", {period: "30.00"}, TaxStatus.REVERSE_CHARGE),
        "non_eu": earner("Nina", {period: "45.00"}, TaxStatus.NON_EU, language="en"),
        "private": earner("Paul", {period: "26.00"}, TaxStatus.PRIVATE),
        "no_profile": earner("Otto", {period: "27.00"}),
        "below_minimum": earner("Bea", {period: "5.00"}, TaxStatus.REGULAR),
        "held": earner("Hans", {period: "80.00"}, TaxStatus.REGULAR),
    }
    place_payout_hold(installation, partners["held"], "documents missing", FINANCE)
    settle(period)
    return period, partners


def note_of(partner) -> CreditNote:
    return CreditNote.objects.get(partner=partner)


def test_one_document_per_paid_partner_with_the_figures_of_its_tax_status(october):
    period, p = october

    rows = {
        name: (n.kind, n.tax_status, n.vat_rate, n.net, n.vat, n.gross, n.language)
        for name, n in ((name, note_of(p[name])) for name in ("regular", "small", "reverse", "non_eu", "private"))
    }

    assert rows == {
        # 45.50 * 19 % = 8.645: half up once, on the document's net (banker's rounding: 8.64)
        "regular": ("CREDIT_NOTE", TaxStatus.REGULAR, Decimal("19"), Decimal("45.50"), Decimal("8.65"), Decimal("54.15"), "de"),
        "small": ("CREDIT_NOTE", TaxStatus.SMALL_BUSINESS, 0, Decimal("40"), 0, Decimal("40"), "en"),
        "reverse": ("CREDIT_NOTE", TaxStatus.REVERSE_CHARGE, 0, Decimal("30"), 0, Decimal("30"), "de"),
        "non_eu": ("CREDIT_NOTE", TaxStatus.NON_EU, 0, Decimal("45"), 0, Decimal("45"), "en"),
        "private": ("STATEMENT", TaxStatus.PRIVATE, 0, Decimal("26"), 0, Decimal("26"), "de"),
    }
    assert not CreditNote.objects.filter(partner__in=[p["below_minimum"], p["held"]]).exists()


def test_a_partner_without_a_tax_profile_gets_no_document_and_its_amount_is_carried_forward(october):
    period, p = october

    balance = PartnerBalance.objects.get(period=period, partner=p["no_profile"])

    assert not CreditNote.objects.filter(partner=p["no_profile"]).exists()
    assert (balance.payable, balance.paid, balance.carried_forward, balance.reason) == (Decimal("27"), 0, Decimal("27"), BalanceReason.TAX_PROFILE)
    # the close run's figures say so too
    balances = Period.objects.get(pk=period.pk).close_run.summary["balances"]
    assert (balances["paid"], balances["reasons"][BalanceReason.TAX_PROFILE], balances["reasons"][BalanceReason.PAID]) == ("186.50", 1, 5)


def test_notes_per_tax_status_in_the_documents_language(october):
    _, p = october

    assert note_of(p["regular"]).tax_note == ""
    assert note_of(p["small"]).tax_note == "No VAT is charged: the supplier is a small business under § 19 UStG."
    assert "Steuerschuldnerschaft des Leistungsempfängers" in note_of(p["reverse"]).tax_note
    assert "§ 13b UStG" in note_of(p["non_eu"]).tax_note and "outside the EU" in note_of(p["non_eu"]).tax_note
    assert note_of(p["private"]).tax_note.startswith("Provisionsabrechnung")


def test_the_document_copies_parties_lines_and_settings(october, installation):
    _, p = october
    note = note_of(p["reverse"])

    assert note.supplier == {
        "name": "Resi Muster",
        "address": {"street": "Ring 2", "postal_code": "1010", "city": "Wien", "country": "AT"},
        "tax_number": "",
        "vat_id": "ATU13585627",
        "email": "resi@example.com",
    }
    assert note.lines == [{"kind": "customer", "description": "Kundenbonus", "net": "30.00"}]
    assert (note.partner_code, note.period_id, note.issue_date, note.issued_by) == (p["reverse"].referral_code, october[0].pk, timezone.localdate(), FINANCE)
    assert note.retain_until == datetime.date(YEAR + 8, 12, 31)


def test_totals_equal_the_payable_amounts_to_the_cent(october):
    period, _ = october

    paid = PartnerBalance.objects.filter(period=period).aggregate(total=Sum("paid"))["total"]
    issued = CreditNote.objects.filter(period=period).aggregate(total=Sum("net"))["total"]
    not_issued = PartnerBalance.objects.filter(period=period, reason=BalanceReason.TAX_PROFILE).aggregate(total=Sum("carried_forward"))["total"]

    assert issued == paid == Decimal("186.50")
    # what was to be paid is issued or carried forward for want of a tax profile, to the cent
    assert issued + not_issued == Decimal("213.50")


def test_numbers_are_gap_free_in_partner_order(october):
    notes = list(CreditNote.objects.order_by("sequence"))

    assert [n.number for n in notes] == [f"GS-{YEAR}-{i:05d}" for i in range(1, 6)]
    assert [n.partner_id for n in notes] == sorted(n.partner_id for n in notes)
    assert NumberSeries.objects.get().next_sequence == 6


def test_adjustments_and_carried_in_amounts_are_lines(month, earner, installation, settle, close_and_run):
    october, november = month("2026-10"), month("2026-11")
    anna = earner("Anna", {october: "20.00", november: "10.00"}, TaxStatus.SMALL_BUSINESS)
    settle(october)  # 20.00: below the minimum, carried forward
    close_and_run(november)
    add_adjustment(installation, anna, november, "-2.50", "Retoure Bestellung 17", APPROVER, FINANCE)
    approve_period(installation, november, APPROVER)
    commit_period(installation, november, FINANCE)

    note = CreditNote.objects.get(partner=anna)
    assert note.lines == [
        {"kind": "customer", "description": "Kundenbonus", "net": "10.00"},
        {"kind": "ADJUSTMENT", "description": "Korrektur: Retoure Bestellung 17", "net": "-2.50"},
        {"kind": "CARRIED_IN", "description": "Übertrag aus früheren Perioden", "net": "20.00"},
    ]
    assert (note.net, note.period_id) == (Decimal("27.50"), november.pk)


def test_settings_number_series_and_vat_rates(month, earner, installation, settle):
    update_settings(installation.pk, number_prefix="PV/", number_start=500, retention_years=10)
    VatRate.objects.create(installation=installation, country="DE", rate=Decimal("7"))
    october = month("2026-10")
    anna = earner("Anna", {october: "35.50"}, TaxStatus.REGULAR)

    settle(october)

    note = note_of(anna)
    # 35.50 * 7 % = 2.485 -> 2.49 (half up; banker's rounding would give 2.48)
    assert (note.number, note.vat_rate, note.vat, note.gross) == (f"PV/{YEAR}-00500", Decimal("7"), Decimal("2.49"), Decimal("37.99"))
    assert note.retain_until == datetime.date(YEAR + 10, 12, 31)


def test_vat_is_rounded_half_up_to_the_minor_unit():
    assert vat_amount(Decimal("35.50"), Decimal("7"), "EUR") == Decimal("2.49")
    assert vat_amount(Decimal("150"), Decimal("10"), "JPY") == Decimal("15")
    assert vat_amount(Decimal("155"), Decimal("10"), "JPY") == Decimal("16")  # 15.5 -> 16
    assert vat_amount(Decimal("1.005"), Decimal("50"), "KWD") == Decimal("0.503")


def test_the_profile_in_force_at_issue_is_used(month, earner, settle):
    from saleor_mlm.network.actions.tax_profiles import ProfileInput, set_tax_profile

    october = month("2026-10")
    anna = earner("Anna", {october: "30.00"}, TaxStatus.REGULAR)
    later = timezone.localdate() + datetime.timedelta(days=5)
    set_tax_profile(
        anna,
        ProfileInput(legal_name="Anna Neu", street="X 1", postal_code="10115", city="Berlin", country="DE", tax_status=TaxStatus.PRIVATE),
        changed_by=FINANCE,
        by_partner=False,
        valid_from=later,
    )

    settle(october)

    assert (note_of(anna).tax_status, note_of(anna).supplier["name"]) == (TaxStatus.REGULAR, "Anna Muster")


def test_an_issued_document_never_changes(october):
    _, p = october
    note = note_of(p["regular"])

    with pytest.raises(ImmutableRow):
        note.save()
    with pytest.raises(ImmutableRow):
        note.delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        CreditNote.objects.filter(pk=note.pk).update(net=1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        CreditNote.objects.filter(pk=note.pk).delete()
    assert CreditNote.objects.get(pk=note.pk).net == Decimal("45.50")


def test_a_failed_issue_commits_nothing_and_burns_no_number(month, earner, installation, settings, close_and_run):
    october = month("2026-10")
    earner("Anna", {october: "30.00"}, TaxStatus.REGULAR)
    earner("Ben", {october: "40.00"}, TaxStatus.REGULAR)
    close_and_run(october)
    approve_period(installation, october, APPROVER)
    settings.PERIOD_COMMITTED_STEPS = [*settings.PERIOD_COMMITTED_STEPS, "tests.credit_notes.test_issue.failing_step"]

    with pytest.raises(RuntimeError, match="printer on fire"):
        commit_period(installation, october, FINANCE)

    assert (Period.objects.get(pk=october.pk).status, CreditNote.objects.count()) == (PeriodStatus.APPROVED, 0)
    settings.PERIOD_COMMITTED_STEPS = settings.PERIOD_COMMITTED_STEPS[:-1]
    commit_period(installation, october, FINANCE)
    assert list(CreditNote.objects.order_by("sequence").values_list("number", flat=True)) == [f"GS-{YEAR}-00001", f"GS-{YEAR}-00002"]


def failing_step(period, committed_by):
    """A step after the credit notes that fails (the test above)."""
    assert CreditNote.objects.filter(period=period).count() == 2
    raise RuntimeError("printer on fire")
