"""Two partner programs with overlapping members and different sponsors (issue 19), and
an October of orders in both.

    default program (the partner table)     wellness (enrollments)
    Anna                                    Clara
    └─ Bert  (customer Dora)                └─ Anna
       └─ Clara  (customer Emil)            (Bert is not a member: Dora is nobody's there)

Tea is in both programs, cream in the default program only. With the simple plan (10 %
on the first level, 5 % customer bonus) October earns, in the default program: Anna 10.00
(Bert's 100), Bert 17.00 (Dora's 40 and Clara's 150), Clara 1.00 (Emil's 20); in
wellness: Clara 11.00 (Anna's 100 tea and Emil's 20), Anna nothing.
"""

import datetime

import pytest

from saleor_mlm.ledger.crediting import CreditOutcome, credit_order_event
from saleor_mlm.network.models import ProgramEnrollment
from saleor_mlm.payouts.actions import set_minimum_payout
from saleor_mlm.plans.actions import activate_plan_version, create_plan_version
from saleor_mlm.programs import ProductScope
from saleor_mlm.programs.models import Program
from tests.fixtures.orders import order_line
from tests.fixtures.periods import SIMPLE_PLAN
from tests.periods.conftest import _period_cache_dir  # noqa: F401 (closing runs write statement arrays)

OCT = datetime.datetime(2026, 10, 12, 10, 0, tzinfo=datetime.UTC)
TEA = {"product_type_id": "PT-TEE", "category_id": "CAT-TEE"}  # in both programs
CREAM = {"product_type_id": "PT-CREME", "category_id": "CAT-KOSMETIK"}  # in the default program only


@pytest.fixture
def shop(installation, ledger_partner, ledger_customer, plan_version_factory, order_event_factory):
    plan_version_factory(SIMPLE_PLAN)
    set_minimum_payout(installation, "0", "finance@example.com")  # every cent paid, unless a test sets a minimum
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
