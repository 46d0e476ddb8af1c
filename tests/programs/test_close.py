"""Closing a month closes every program together (issue 19): one close run per program
with members, approval once all succeeded, the balances once over the programs' combined
totals (whichever run persists last), a re-open drops them all. See conftest.py for the
two programs and October's figures."""

from decimal import Decimal

import pytest

from saleor_mlm.calendar import PeriodStatus
from saleor_mlm.core.errors import DomainError
from saleor_mlm.network.models import ProgramEnrollment
from saleor_mlm.payouts.actions import add_adjustment
from saleor_mlm.payouts.models import PartnerBalance
from saleor_mlm.periods import RunKind, RunStatus
from saleor_mlm.periods.actions import approve_period, close_period, reopen_period
from saleor_mlm.periods.close_runs import close_runs
from saleor_mlm.periods.models import PartnerPeriodResult, PeriodRun
from saleor_mlm.periods.runs import execute_run
from saleor_mlm.plans.actions import activate_plan_version, create_plan_version
from saleor_mlm.programs.models import Program
from tests.fixtures.periods import APPROVER, CLOSER, SIMPLE_PLAN, after

from .conftest import OCT

pytestmark = pytest.mark.django_db


def close(installation, period):
    return close_period(installation, period, CLOSER, now=after(period), enqueue=False)


def balances(period) -> dict:
    rows = PartnerBalance.objects.filter(period=period)
    return {row.partner_id: (row.earned, row.paid, row.reason) for row in rows}


def test_a_close_starts_one_run_per_program_with_members(installation, month, shop):
    october = month("2026-10")
    Program.objects.create(installation=installation, code="empty", name="Nobody's")  # no members: no run

    default = close(installation, october)

    runs = close_runs(october.pk)
    assert [(run.program_id, run.kind, run.status) for run in runs] == [
        (None, RunKind.CLOSE, RunStatus.PENDING),
        (shop["wellness"].pk, RunKind.CLOSE, RunStatus.PENDING),
    ]
    assert runs[0] == default
    assert runs[1].plan_version.program == shop["wellness"]
    october.refresh_from_db()
    assert october.status == PeriodStatus.CLOSED


def test_the_months_balances_take_every_programs_totals(installation, month, shop, close_and_run):
    october = month("2026-10")

    run = close_and_run(october)

    wellness = close_runs(october.pk)[1]
    assert (run.status, wellness.status) == (RunStatus.SUCCEEDED, RunStatus.SUCCEEDED)
    october.refresh_from_db()
    assert october.close_run == run  # the default program's run
    paid = PartnerBalance.objects.filter(period=october)
    assert balances(october) == {
        shop["anna"].pk: (Decimal("10.0000"), Decimal("10.0000"), "paid"),
        shop["bert"].pk: (Decimal("17.0000"), Decimal("17.0000"), "paid"),
        shop["clara"].pk: (Decimal("12.0000"), Decimal("12.0000"), "paid"),  # 1.00 + wellness 11.00
    }
    assert {row.run_id for row in paid} == {run.pk}
    # The month's balance summary is the default program's run's, over both programs.
    assert run.summary["balances"]["paid"] == "39.00"
    assert "balances" not in wellness.summary


@pytest.mark.parametrize("first", ["default", "wellness"])
def test_the_last_run_to_finish_settles_the_month(installation, month, shop, first):
    october = month("2026-10")
    close(installation, october)
    default, wellness = close_runs(october.pk)
    early, late = (default, wellness) if first == "default" else (wellness, default)

    execute_run(early.pk)

    assert not PartnerBalance.objects.filter(period=october).exists()
    error = pytest.raises(DomainError, approve_period, installation, october, APPROVER).value
    assert error.code == "RUN_NOT_FINISHED"

    execute_run(late.pk)

    assert balances(october)[shop["clara"].pk] == (Decimal("12.0000"), Decimal("12.0000"), "paid")
    default.refresh_from_db()
    assert default.summary["balances"]["partners"] == 3
    assert approve_period(installation, october, APPROVER).status == PeriodStatus.APPROVED


def test_approve_waits_for_every_programs_run(installation, month, shop):
    october = month("2026-10")
    default = close(installation, october)
    execute_run(default.pk)

    error = pytest.raises(DomainError, approve_period, installation, october, APPROVER).value

    assert error.message == "The close run of 2026-10 in program wellness is pending: approve it once it has succeeded."
    # Closing again resumes the unfinished run, the other program's.
    assert close(installation, october) == close_runs(october.pk)[1]


def test_reopen_drops_every_programs_run_and_the_balances(installation, month, shop, close_and_run):
    october = month("2026-10")
    close_and_run(october)
    before = close_runs(october.pk)

    reopen_period(installation, october, "boss@example.com", "a late order")

    assert set(PeriodRun.objects.filter(pk__in=[run.pk for run in before]).values_list("status", flat=True)) == {RunStatus.SUPERSEDED}
    assert not PartnerBalance.objects.filter(period=october).exists()
    assert close_runs(october.pk) == []

    close_and_run(october)

    assert len(close_runs(october.pk)) == 2
    assert balances(october)[shop["clara"].pk][0] == Decimal("12.0000")


def test_an_adjustment_resettles_over_every_program(installation, month, shop, close_and_run):
    october = month("2026-10")
    close_and_run(october)

    add_adjustment(installation, shop["clara"], october, "3.00", "a late bonus", APPROVER, CLOSER)

    balance = PartnerBalance.objects.get(period=october, partner=shop["clara"])
    assert (balance.earned, balance.adjustments, balance.paid) == (Decimal("12.0000"), Decimal("3.0000"), Decimal("15.0000"))


def test_a_program_with_members_needs_its_plan_in_force(installation, month, shop):
    october = month("2026-10")
    beauty = Program.objects.create(installation=installation, code="beauty", name="Beauty")
    ProgramEnrollment.objects.create(installation=installation, program=beauty, partner=shop["clara"], enrolled_at=OCT, created_by="test")
    later = create_plan_version(installation, "Beauty-Plan", SIMPLE_PLAN, "planner@example.com", program=beauty)
    activate_plan_version(later, "2027-01", "planner@example.com")

    error = pytest.raises(DomainError, close, installation, october).value

    assert (error.code, error.message) == ("NO_PLAN", "No active plan version of program beauty is in force for 2026-10: activate one from that month or earlier.")
    october.refresh_from_db()
    assert (october.status, PeriodRun.objects.filter(period=october).count()) == (PeriodStatus.OPEN, 0)


def test_a_programs_next_month_starts_from_its_own_career_ranks(installation, month, shop, close_and_run):
    october, november = month("2026-10"), month("2026-11")
    close_and_run(october)
    october_rank = PartnerPeriodResult.objects.get(run=close_runs(october.pk)[1], partner=shop["clara"]).career_rank

    close_and_run(november)  # no orders in November

    row = PartnerPeriodResult.objects.get(run=close_runs(november.pk)[1], partner=shop["clara"])
    assert october_rank == "member"
    assert (row.previous_career_rank, row.career_rank, row.total) == ("member", "member", Decimal("0.0000"))
