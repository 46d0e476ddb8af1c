"""What-if: a draft plan on a period's snapshot, side by side with the plan it ran with."""

import pytest

from saleor_mlm.core.errors import DomainError
from saleor_mlm.periods import RunKind, RunStatus
from saleor_mlm.periods.models import PartnerPeriodResult
from saleor_mlm.periods.runs import execute_run
from saleor_mlm.periods.whatif import start_what_if
from saleor_mlm.plans.actions import create_plan_version
from tests.fixtures.periods import plan_document

pytestmark = pytest.mark.django_db

ANALYST = "analyst@example.com"


@pytest.fixture
def october(active_plan, partner_factory, customer_factory, month, volume):
    """root <- anna <- bernd; root 100 PV, anna 300, bernd 600, a customer of root 200."""
    period = month("2026-10")
    root = partner_factory(first_name="Root", referral_code="ROOT")
    anna = partner_factory(root, first_name="Anna", referral_code="ANNA")
    bernd = partner_factory(anna, first_name="Bernd", referral_code="BERND")
    for node, pv in ((root, 100), (anna, 300), (bernd, 600), (customer_factory(root), 200)):
        volume(node, period, pv)
    return period


def draft(installation, **changes):
    return create_plan_version(installation, "draft", plan_document(**changes), ANALYST)


def test_a_draft_side_by_side_with_the_active_plan(installation, october, close_and_run):
    close_and_run(october)
    version = draft(installation, bonuses={"customer_rate": "0.05", "level_rates": ["0.15"]})

    run = execute_run(start_what_if(installation, october, version, ANALYST, top=2, enqueue=False).pk)

    assert (run.kind, run.status, run.compared_plan_version) == (RunKind.WHAT_IF, RunStatus.SUCCEEDED, version)
    result = run.summary  # what the API's `PeriodRun.whatIf` reads
    # Active: root 10 % of anna's 300, 5 % of its customer's 200 and 100.00 for reaching
    # star (GV 1200); anna 10 % of bernd's 600. Draft: 15 % on the level.
    assert result["base"]["totals"]["level"] == "90.00"
    assert result["draft"]["totals"]["level"] == "135.00"
    assert (result["base"]["totals"]["total"], result["draft"]["totals"]["total"], result["difference"]) == ("200.00", "245.00", "45.00")
    assert (result["bv"], result["base"]["payout_ratio"], result["draft"]["payout_ratio"]) == ("1200.00", "16.67", "20.42")
    assert result["base"]["paid_as_ranks"] == result["draft"]["paid_as_ranks"] == {"member": 2, "star": 1}
    assert result["partners_changed"] == 2
    assert [(c["referral_code"], c["base_total"], c["draft_total"], c["difference"]) for c in result["changes"]] == [
        ("ANNA", "60.00", "90.00", "30.00"),
        ("ROOT", "140.00", "155.00", "15.00"),
    ]
    # Nothing of the period changed.
    assert PartnerPeriodResult.objects.filter(run=run).count() == 0


def test_what_if_on_an_open_period_uses_its_preview(installation, october, preview_and_run):
    version = draft(installation, bonuses={"level_rates": ["0.10"]})

    with pytest.raises(DomainError) as caught:
        start_what_if(installation, october, version, ANALYST, enqueue=False)
    assert caught.value.code == "NO_SNAPSHOT"

    preview = preview_and_run(october)
    run = execute_run(start_what_if(installation, october, version, ANALYST, enqueue=False).pk)

    assert run.source_run == preview
    assert run.summary["draft"]["totals"]["customer"] == "0.00"


def test_an_invalid_draft_is_refused(installation, october, close_and_run):
    close_and_run(october)
    version = draft(installation, ranks=[])

    with pytest.raises(DomainError) as caught:
        start_what_if(installation, october, version, ANALYST, enqueue=False)

    assert caught.value.code == "INVALID_PLAN"


def test_career_ranks_and_overrides_are_matched_by_code(installation, october, close_and_run, month, volume, partner_factory):
    close_and_run(october)
    # The draft knows "star" under another position: careers carry over by code.
    version = draft(
        installation,
        ranks=[{"code": "starter"}, {"code": "member", "level_depth": 1}, {"code": "star", "min_gv": 1000, "level_depth": 1, "advancement_bonus": "100.00"}],
    )
    november = month("2026-11")
    root = PartnerPeriodResult.objects.filter(paid_as_rank="star").order_by("partner_id").first().partner
    volume(root, november, 2000)
    close_and_run(november)

    run = execute_run(start_what_if(installation, november, version, ANALYST, enqueue=False).pk)

    assert run.summary["base"]["totals"]["advancement"] == run.summary["draft"]["totals"]["advancement"] == "0.00"
