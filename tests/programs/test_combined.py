"""One statement, one credit note and one payout per partner and month over every
program (issue 19): the combined statement has a section per program and their total to
the cent, the balance takes that total, the minimum payout applies to it, the credit
note lists each program's bonuses, and the partner gets one payout item. See conftest.py
for the two programs and October's figures."""

from decimal import Decimal

import pytest

from saleor_mlm.credit_notes.models import CreditNote
from saleor_mlm.network import TaxStatus
from saleor_mlm.network.actions.tax_profiles import ProfileInput, set_tax_profile
from saleor_mlm.payout_runs.models import PayoutItem
from saleor_mlm.payout_runs.runs import create_run
from saleor_mlm.payouts.actions import set_minimum_payout
from saleor_mlm.payouts.models import PartnerBalance
from saleor_mlm.periods.actions import approve_period, commit_period, preview_period
from saleor_mlm.periods.close_runs import close_runs
from saleor_mlm.periods.runs import execute_run
from saleor_mlm.statements.combined import combined_statement
from saleor_mlm.statements.partner import partner_statement
from tests.credit_notes.conftest import _credit_note_storage, issuer  # noqa: F401
from tests.fixtures.periods import APPROVER

pytestmark = pytest.mark.django_db
FINANCE = "finance@example.com"


@pytest.fixture
def profiles(shop):
    for name in ("anna", "bert", "clara"):
        partner = shop[name]
        data = ProfileInput(
            legal_name=f"{name.title()} Muster", tax_status=TaxStatus.SMALL_BUSINESS, tax_number="2181508150",
            street="Hauptstr. 1", postal_code="10115", city="Berlin", country="DE",
        )  # fmt: skip
        set_tax_profile(partner, data, changed_by=FINANCE, by_partner=False, valid_from=None)


@pytest.fixture
def committed(installation, month, shop, issuer, profiles, close_and_run):  # noqa: F811
    """October closed over both programs, approved and committed (its credit notes issued)."""

    def settle(minimum="0"):
        set_minimum_payout(installation, minimum, FINANCE)
        october = month("2026-10")
        close_and_run(october)
        approve_period(installation, october, APPROVER)
        return commit_period(installation, october, FINANCE)

    return settle


def test_the_combined_statement_is_the_sum_of_the_program_statements(installation, month, shop, committed):
    october = committed()
    clara = shop["clara"]
    default_run, wellness_run = close_runs(october.pk)

    statement = combined_statement(installation, clara, october)

    assert [(section.program_code, section.is_default) for section in statement.sections] == [("main", True), ("wellness", False)]
    each = [partner_statement(installation, clara, october, run) for run in (default_run, wellness_run)]
    assert [section.statement.total for section in statement.sections] == [one.total for one in each] == [Decimal("1.00"), Decimal("11.00")]
    assert statement.total == each[0].total + each[1].total == Decimal("12.00")
    # The tea Anna and Emil bought counts in wellness, under Clara there; only Emil's in the default program.
    assert {group.kind: group.amount for group in statement.section("wellness").statement.groups} == {"customer": Decimal("1.00"), "level": Decimal("10.00")}
    assert {group.kind: group.amount for group in statement.section("main").statement.groups} == {"customer": Decimal("1.00")}
    balance = PartnerBalance.objects.get(period=october, partner=clara)
    assert (statement.payable, statement.paid, statement.balance_reason) == (Decimal("12.00"), Decimal("12.00"), "paid")
    assert balance.earned == statement.total


def test_a_partner_in_one_program_has_one_section(installation, month, shop, committed):
    october = committed()

    statement = combined_statement(installation, shop["bert"], october)  # Bert is not in wellness

    assert [section.program_code for section in statement.sections] == ["main"]
    assert statement.total == statement.paid == Decimal("17.00")


def test_an_open_month_combines_each_programs_preview(installation, month, shop):
    october = month("2026-10")
    for program in (None, shop["wellness"]):
        execute_run(preview_period(installation, october, "closer@example.com", enqueue=False, program=program).pk)

    statement = combined_statement(installation, shop["clara"], october)

    assert [(section.program_code, section.statement.total) for section in statement.sections] == [("main", Decimal("1.00")), ("wellness", Decimal("11.00"))]
    assert (statement.total, statement.payable, statement.balance_reason) == (Decimal("12.00"), None, None)


def test_the_credit_note_lists_each_programs_bonuses_and_pays_the_total(installation, month, shop, committed):
    committed()

    note = CreditNote.objects.get(partner=shop["clara"])

    assert [(line["description"], line.get("program"), line["net"]) for line in note.lines] == [
        ("Partnerprogramm: Kundenbonus", "main", "1.00"),
        ("Wellness: Kundenbonus", "wellness", "1.00"),
        ("Wellness: Ebenenbonus", "wellness", "10.00"),
    ]
    assert note.net == Decimal("12.00")


def test_one_payout_item_per_partner_over_every_program(installation, month, shop, committed):
    october = committed()

    run = create_run(installation, october, FINANCE)

    items = {item.partner_id: item.amount for item in PayoutItem.objects.filter(run=run)}
    assert items == {shop["anna"].pk: Decimal("10.00"), shop["bert"].pk: Decimal("17.00"), shop["clara"].pk: Decimal("12.00")}


def test_the_minimum_payout_applies_to_the_combined_amount(installation, month, shop, committed):
    october = committed(minimum="12.00")  # Clara: 1.00 and 11.00, each below; together 12.00

    rows = {row.partner_id: (row.paid, row.carried_forward, row.reason) for row in PartnerBalance.objects.filter(period=october)}

    assert rows[shop["clara"].pk] == (Decimal("12.0000"), Decimal("0.0000"), "paid")
    assert rows[shop["anna"].pk] == (Decimal("0.0000"), Decimal("10.0000"), "below_minimum")
    assert CreditNote.objects.get(partner=shop["clara"]).net == Decimal("12.00")
