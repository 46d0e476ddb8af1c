"""What-if per program: a draft of a program's plan is compared on that program's figures
of the month (its own network and volume), not on the default program's."""

import pytest

from saleor_mlm.periods import RunKind, RunStatus
from saleor_mlm.periods.close_runs import close_runs
from saleor_mlm.periods.runs import execute_run
from saleor_mlm.periods.whatif import start_what_if
from saleor_mlm.plans.actions import create_plan_version
from tests.fixtures.periods import SIMPLE_PLAN, plan_document

pytestmark = pytest.mark.django_db

ANALYST = "analyst@example.com"


def test_a_programs_draft_is_compared_on_that_programs_run(installation, month, shop, close_and_run):
    october = month("2026-10")
    close_and_run(october)
    wellness_run = close_runs(october.pk)[1]
    draft = create_plan_version(
        installation, "Wellness 20 %", plan_document(SIMPLE_PLAN, bonuses={"customer_rate": "0.05", "level_rates": ["0.20"]}), ANALYST, program=shop["wellness"]
    )

    run = execute_run(start_what_if(installation, october, draft, ANALYST, enqueue=False).pk)

    assert (run.kind, run.status, run.source_run, run.program) == (RunKind.WHAT_IF, RunStatus.SUCCEEDED, wellness_run, shop["wellness"])
    # Wellness: Clara 10 % of Anna's 100 tea and 5 % of Emil's 20 (11.00); the draft pays 20 %.
    assert (run.summary["base"]["totals"]["total"], run.summary["draft"]["totals"]["total"], run.summary["difference"]) == ("11.00", "21.00", "10.00")
    assert [(change["referral_code"], change["difference"]) for change in run.summary["changes"]] == [("CLARA", "10.00")]


def test_the_default_programs_draft_is_compared_on_the_default_run(installation, month, shop, close_and_run):
    october = month("2026-10")
    default_run = close_and_run(october)
    draft = create_plan_version(installation, "Main 20 %", plan_document(SIMPLE_PLAN, bonuses={"customer_rate": "0.05", "level_rates": ["0.20"]}), ANALYST)

    run = execute_run(start_what_if(installation, october, draft, ANALYST, enqueue=False).pk)

    assert (run.source_run, run.program_id) == (default_run, None)
    assert run.summary["base"]["totals"]["total"] == "28.00"
