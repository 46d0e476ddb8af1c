"""Two partner programs with overlapping members and different sponsors (issue 19): an
order of a product in both programs credits both networks, a product of one program only
that one; each program's run splits its volume by that program's sponsors, Betreuer and
customers, and explains it in a statement.

    default program (the partner table)     wellness (enrollments)
    Anna                                    Clara
    └─ Bert  (customer Dora)                └─ Anna
       └─ Clara  (customer Emil)            (Bert is not a member: Dora is nobody's there)
"""

import datetime
from decimal import Decimal

import pytest

from saleor_mlm.ledger.crediting import CreditOutcome, credit_order_event
from saleor_mlm.network.models import ProgramEnrollment
from saleor_mlm.periods import RunKind
from saleor_mlm.periods.actions import preview_period, standing_run
from saleor_mlm.periods.models import PartnerPeriodResult
from saleor_mlm.periods.runs import execute_run, load_inputs
from saleor_mlm.plans.actions import activate_plan_version, create_plan_version
from saleor_mlm.programs import ProductScope
from saleor_mlm.programs.models import Program
from saleor_mlm.statements.partner import partner_statement
from tests.fixtures.orders import order_line
from tests.fixtures.periods import SIMPLE_PLAN

pytestmark = pytest.mark.django_db

OCT = datetime.datetime(2026, 10, 12, 10, 0, tzinfo=datetime.UTC)
NOW = datetime.datetime(2026, 10, 20, 10, 0, tzinfo=datetime.UTC)
TEA = {"product_type_id": "PT-TEE", "category_id": "CAT-TEE"}  # in both programs
CREAM = {"product_type_id": "PT-CREME", "category_id": "CAT-KOSMETIK"}  # in the default program only


@pytest.fixture
def shop(installation, ledger_partner, ledger_customer, plan_version_factory, order_event_factory):
    plan_version_factory(SIMPLE_PLAN)
    wellness = Program.objects.create(
        installation=installation, code="wellness", name="Wellness", products=ProductScope.LISTED, product_type_ids=["PT-TEE"]
    )
    plan = create_plan_version(installation, "Wellness-Plan", SIMPLE_PLAN, "planner@example.com", program=wellness)
    activate_plan_version(plan, "2020-01", "planner@example.com")
    anna = ledger_partner("ANNA", email="anna@example.com")
    bert = ledger_partner("BERT", email="bert@example.com", sponsor=anna)
    clara = ledger_partner("CLARA", email="clara@example.com", sponsor=bert)
    dora = ledger_customer("dora@example.com", sponsor=bert)
    emil = ledger_customer("emil@example.com", sponsor=clara)
    ProgramEnrollment.objects.create(installation=installation, program=wellness, partner=clara, enrolled_at=OCT, created_by="test")
    ProgramEnrollment.objects.create(installation=installation, program=wellness, partner=anna, sponsor=clara, enrolled_at=OCT, created_by="test")
    for email, lines in (
        ("anna@example.com", [order_line(net="100.00", **TEA)]),
        ("bert@example.com", [order_line(net="60.00", **CREAM)]),
        ("clara@example.com", [order_line(net="50.00", **CREAM), order_line(net="80.00", **TEA)]),
        ("dora@example.com", [order_line(net="40.00", **TEA)]),
        ("emil@example.com", [order_line(net="20.00", **TEA)]),
    ):
        event = order_event_factory(email=email, created=OCT, issued_at=OCT, lines=lines)
        assert credit_order_event(event).outcome == CreditOutcome.CREDITED
    return {"wellness": wellness, "anna": anna, "bert": bert, "clara": clara, "dora": dora, "emil": emil}


def preview(installation, month, program=None):
    return execute_run(preview_period(installation, month("2026-10"), "closer@example.com", now=NOW, enqueue=False, program=program).pk)


def results(run) -> dict:
    rows = PartnerPeriodResult.objects.filter(run=run).select_related(None)
    return {row.partner_id: (row.pv, row.gv, row.customer_bonus, row.level_bonus, row.total) for row in rows}


def test_each_program_runs_on_its_own_network_and_volume(installation, month, shop):
    anna, bert, clara = shop["anna"], shop["bert"], shop["clara"]

    default = preview(installation, month)
    wellness = preview(installation, month, shop["wellness"])

    assert (default.program_id, wellness.program_id) == (None, shop["wellness"].pk)
    # Wellness: Clara above Anna; Anna's tea (100) and Clara's (80) and Emil's (20, Clara's
    # customer there too: a customer's volume is its sponsor's PV); Dora's tea counts for
    # nobody (Bert is no member).
    assert results(wellness) == {
        clara.pk: (Decimal("100.00"), Decimal("200.00"), Decimal("1.0000"), Decimal("10.0000"), Decimal("11.0000")),
        anna.pk: (Decimal("100.00"), Decimal("100.00"), Decimal("0.0000"), Decimal("0.0000"), Decimal("0.0000")),
    }
    inputs = load_inputs(wellness)
    assert inputs.partner_pk.tolist() == sorted([anna.pk, clara.pk])
    assert sorted(inputs.customer_pk.tolist()) == sorted([shop["dora"].pk, shop["emil"].pk])
    sponsors = dict(zip(inputs.customer_pk.tolist(), inputs.customer_sponsor.tolist(), strict=True))
    assert sponsors == {shop["dora"].pk: -1, shop["emil"].pk: int(inputs.ordinal_of(clara.pk))}
    # The default program: every line, the partner table's genealogy, as before programs.
    figures = results(default)
    assert {pk: row[0] for pk, row in figures.items()} == {anna.pk: Decimal("100.00"), bert.pk: Decimal("100.00"), clara.pk: Decimal("150.00")}
    assert figures[bert.pk][2] == Decimal("2.0000")  # 5 % of Dora's 40
    assert figures[clara.pk][2] == Decimal("1.0000")  # 5 % of Emil's 20
    assert figures[bert.pk][3] == Decimal("15.0000")  # 10 % of Clara's 150 (her cream, her tea, Emil's tea)


def test_a_programs_run_does_not_replace_the_default_programs(installation, month, shop):
    default = preview(installation, month)
    wellness = preview(installation, month, shop["wellness"])

    assert standing_run(month("2026-10")) == default
    assert default.kind == wellness.kind == RunKind.PREVIEW
    default.refresh_from_db()
    assert default.status == "succeeded"


def test_a_statement_explains_a_programs_figures(installation, month, shop):
    clara = shop["clara"]
    run = preview(installation, month, shop["wellness"])

    statement = partner_statement(installation, clara, month("2026-10"), run)

    assert statement.total == Decimal("11.00")
    assert {group.kind: group.amount for group in statement.groups if group.amount} == {"customer": Decimal("1.00"), "level": Decimal("10.00")}
