"""Plan versions: stored, validated by the engine, in force from a month, frozen once used."""

import datetime
from decimal import Decimal

import pytest

from saleor_mlm.calendar import PeriodEventKind
from saleor_mlm.calendar.models import PeriodEvent
from saleor_mlm.core.errors import DomainError
from saleor_mlm.ledger.models import VolumeSettings
from saleor_mlm.periods.actions import approve_period, reopen_period
from saleor_mlm.periods.models import PartnerPeriodResult
from saleor_mlm.plans import PlanStatus
from saleor_mlm.plans.actions import activate_plan_version, create_plan_version, retire_plan_version, update_plan_draft
from saleor_mlm.plans.fetch import plan_in_force
from saleor_mlm.plans.models import PlanVersion
from tests.fixtures.periods import APPROVER, SIMPLE_PLAN, plan_document

pytestmark = pytest.mark.django_db

PLANNER = "planner@example.com"


def error_of(call, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    return caught.value


def test_a_valid_draft_is_stored_validated(installation):
    version = create_plan_version(installation, "Plan 2027", SIMPLE_PLAN, PLANNER)

    assert (version.status, version.errors, version.in_force_from) == (PlanStatus.DRAFT, [], None)
    assert version.validated_at is not None
    assert PeriodEvent.objects.get(kind=PeriodEventKind.PLAN_CREATED).data == {"plan_version": version.pk, "name": "Plan 2027", "valid": True}


def test_yaml_text_is_accepted(installation):
    text = """
name: From YAML
currency: EUR
bonuses: {level_rates: [0.05]}
ranks:
  - code: partner
"""
    version = create_plan_version(installation, "yaml", text, PLANNER)

    assert version.document["bonuses"]["level_rates"] == [0.05]
    assert version.errors == []


def test_an_invalid_draft_is_kept_with_the_engines_objections_and_cannot_be_activated(installation):
    document = plan_document(ranks=[{"code": "a", "difference_rate": "0.1"}, {"code": "b", "difference_rate": "0.05"}])
    version = create_plan_version(installation, "broken", document, PLANNER)

    assert version.validated_at is None
    assert version.errors == [
        {"key": "ranks[1].difference_rate", "message": "falls from 0.1 (ranks[0]) to 0.05; difference rates must not fall from one rank to the next"}
    ]

    error = error_of(activate_plan_version, version, "2026-10", PLANNER)

    assert (error.code, error.field, error.error_params) == ("INVALID_PLAN", "document", {"key": "ranks[1].difference_rate"})
    assert PlanVersion.objects.get(pk=version.pk).status == PlanStatus.DRAFT


def test_a_draft_is_edited_until_activated(installation):
    version = create_plan_version(installation, "draft", plan_document(ranks="nope"), PLANNER)
    assert version.errors[0]["key"] == "ranks"

    version = update_plan_draft(version, PLANNER, document=SIMPLE_PLAN, name="fixed")

    assert (version.name, version.errors) == ("fixed", [])
    activate_plan_version(version, "2026-10", PLANNER)
    assert error_of(update_plan_draft, version, PLANNER, name="again").code == "PLAN_NOT_DRAFT"


def test_the_plan_in_force_is_the_latest_start_on_or_before_the_month(installation, plan_version_factory):
    first = plan_version_factory(name="2026", active_from="2026-01")
    second = plan_version_factory(plan_document(name="2027"), active_from="2027-01")
    plan_version_factory(plan_document(name="draft"), active_from=None)

    assert plan_in_force(installation.pk, datetime.date(2025, 12, 1)) is None
    assert plan_in_force(installation.pk, datetime.date(2026, 12, 1)) == first
    assert plan_in_force(installation.pk, datetime.date(2027, 1, 1)) == second
    assert plan_in_force(installation.pk, datetime.date(2030, 5, 1)) == second


def test_each_period_runs_with_the_plan_in_force_for_it(installation, plan_version_factory, partner_factory, month, volume, close_and_run):
    plan_version_factory(name="10 %", active_from="2026-01")
    plan_version_factory(plan_document(name="20 %", bonuses={"level_rates": ["0.20"]}), active_from="2026-11")
    root = partner_factory()
    anna = partner_factory(root)
    october, november = month("2026-10"), month("2026-11")
    for period in (october, november):
        volume(root, period, 100)
        volume(anna, period, 100)

    runs = [close_and_run(october), close_and_run(november)]

    assert [run.plan_version.name for run in runs] == ["10 %", "20 %"]
    assert [run.plan_document["bonuses"]["level_rates"] for run in runs] == [["0.10"], ["0.20"]]
    assert [PartnerPeriodResult.objects.get(run=run, partner=root).level_bonus for run in runs] == [Decimal("10"), Decimal("20")]


def test_a_settled_period_keeps_its_plan(installation, active_plan, partner_factory, month, volume, close_and_run):
    volume(partner_factory(), month("2026-10"), 100)
    close_and_run(month("2026-10"))
    draft = create_plan_version(installation, "new", plan_document(name="new"), PLANNER)

    error = error_of(activate_plan_version, draft, "2026-10", PLANNER)

    assert (error.code, error.field) == ("INVALID_STATUS", "in_force_from")
    assert activate_plan_version(draft, "2026-11", PLANNER).in_force_from == datetime.date(2026, 11, 1)


def test_a_used_plan_is_never_retired_and_a_reopened_period_frees_it(installation, active_plan, partner_factory, month, volume, close_and_run):
    october = month("2026-10")
    volume(partner_factory(), october, 100)
    close_and_run(october)

    assert error_of(retire_plan_version, active_plan, PLANNER).code == "PLAN_IN_USE"

    reopen_period(installation, october, APPROVER, "wrong plan")
    retired = retire_plan_version(active_plan, PLANNER)

    assert (retired.status, retired.retired_by) == (PlanStatus.RETIRED, PLANNER)


def test_one_active_version_per_start_month(installation, plan_version_factory):
    plan_version_factory(active_from="2026-10")
    other = create_plan_version(installation, "other", SIMPLE_PLAN, PLANNER)

    assert error_of(activate_plan_version, other, "2026-10", PLANNER).code == "PLAN_START_TAKEN"


@pytest.mark.parametrize("start", ["2026-10-02", "October", "2026-13"])
def test_a_plan_starts_on_the_first_of_a_month(installation, start):
    version = create_plan_version(installation, "p", SIMPLE_PLAN, PLANNER)

    assert error_of(activate_plan_version, version, start, PLANNER).code == "INVALID"


def test_the_plan_currency_is_the_ledgers(installation):
    VolumeSettings.objects.create(installation=installation, plan_currency="CHF")
    version = create_plan_version(installation, "p", SIMPLE_PLAN, PLANNER)

    error = error_of(activate_plan_version, version, "2026-10", PLANNER)

    assert (error.code, error.error_params) == ("INVALID_PLAN", {"key": "currency"})


def test_approving_does_not_touch_the_plan(installation, active_plan, partner_factory, month, volume, close_and_run):
    october = month("2026-10")
    volume(partner_factory(), october, 100)
    run = close_and_run(october)
    approve_period(installation, october, APPROVER)

    assert run.plan_version == active_plan
    assert PlanVersion.objects.get(pk=active_plan.pk).status == PlanStatus.ACTIVE


@pytest.mark.parametrize("document", ["[1, 2", "- just a list", {"when": datetime.date(2026, 1, 1)}])
def test_documents_that_are_no_plan_mapping_are_refused(installation, document):
    assert error_of(create_plan_version, installation, "x", document, PLANNER).code == "INVALID_PLAN"
    assert not PlanVersion.objects.exists()
