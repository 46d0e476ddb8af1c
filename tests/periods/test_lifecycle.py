"""Who may do what when: open -> closed -> approved -> committed, re-open before commit."""

import datetime

import pytest

from saleor_mlm.calendar import PeriodEventKind, PeriodStatus
from saleor_mlm.calendar.actions import open_period_for
from saleor_mlm.calendar.models import Period, PeriodEvent
from saleor_mlm.core.errors import DomainError
from saleor_mlm.ledger.models import LedgerEntry
from saleor_mlm.payouts.models import PartnerBalance
from saleor_mlm.periods import RunKind, RunStatus
from saleor_mlm.periods.actions import approve_period, close_period, commit_period, preview_period, reopen_period
from saleor_mlm.periods.models import PartnerPeriodResult, PeriodRun, PeriodRunArray
from saleor_mlm.periods.runs import execute_run
from tests.fixtures.ledger import adjustment_entry
from tests.fixtures.periods import APPROVER, CLOSER, after

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(partner_factory):
    return partner_factory(first_name="Anna")


@pytest.fixture
def october(month, volume, anna, active_plan):
    period = month("2026-10")
    volume(anna, period, 120)
    return period


def refresh(period) -> Period:
    return Period.objects.get(pk=period.pk)


def error_of(call, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    return caught.value


# ------------------------------------------------------------------ close


def test_close_stops_entries_and_runs_the_period(installation, october, anna):
    run = close_period(installation, october, CLOSER, now=after(october), enqueue=False)

    period = refresh(october)
    assert (period.status, period.closed_by, period.close_run) == (PeriodStatus.CLOSED, CLOSER, None)
    assert (run.kind, run.status, run.requested_by) == (RunKind.CLOSE, RunStatus.PENDING, CLOSER)
    assert run.plan_document["name"] == "Simple plan"
    assert run.settings == {"minimum_payout": "25.00"}
    # A late entry for October goes to November from now on.
    assert open_period_for(installation, datetime.date(2026, 10, 20)).starts_on == datetime.date(2026, 11, 1)

    run = execute_run(run.pk)

    assert run.status == RunStatus.SUCCEEDED
    assert refresh(october).close_run == run
    assert PartnerPeriodResult.objects.get(run=run, partner=anna).pv == 120
    assert list(PeriodEvent.objects.filter(period=october).values_list("kind", "actor")) == [
        (PeriodEventKind.CLOSED, CLOSER),
        (PeriodEventKind.RUN_SUCCEEDED, "system"),
    ]


def test_a_period_closes_only_after_its_last_day(installation, october):
    error = error_of(close_period, installation, october, CLOSER, now=datetime.datetime(2026, 10, 31, 23, 59, tzinfo=datetime.UTC), enqueue=False)

    assert error.code == "PERIOD_NOT_ENDED"
    assert refresh(october).status == PeriodStatus.OPEN
    assert not PeriodRun.objects.exists()


def test_periods_close_in_order(installation, month, october):
    november = month("2026-11")

    error = error_of(close_period, installation, november, CLOSER, now=after(november), enqueue=False)

    assert (error.code, error.field) == ("EARLIER_PERIOD_OPEN", "period")
    assert "2026-10" in error.message


def test_close_needs_a_plan_in_force(installation, month, plan_version_factory):
    plan_version_factory(active_from="2026-11")
    october = month("2026-10")

    error = error_of(close_period, installation, october, CLOSER, now=after(october), enqueue=False)

    assert error.code == "NO_PLAN"
    assert refresh(october).status == PeriodStatus.OPEN


def test_close_needs_who_closes(installation, october):
    assert error_of(close_period, installation, october, " ", now=after(october), enqueue=False).code == "REQUIRED"


def test_close_refuses_another_installations_period(installation_factory, october):
    error = error_of(close_period, installation_factory(), october, CLOSER, now=after(october), enqueue=False)

    assert error.code == "WRONG_INSTALLATION"


def test_closing_a_closed_period_resumes_its_unfinished_run(installation, october):
    first = close_period(installation, october, CLOSER, now=after(october), enqueue=False)

    again = close_period(installation, october, "someone@example.com", now=after(october), enqueue=False)

    assert again == first
    execute_run(first.pk)
    assert error_of(close_period, installation, october, CLOSER, now=after(october), enqueue=False).code == "INVALID_STATUS"


def test_close_enqueues_its_run_after_commit(installation, october, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = close_period(installation, october, CLOSER, now=after(october))

    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED


# ------------------------------------------------------------------ approve


def test_approve_needs_a_second_person(installation, october, close_and_run):
    close_and_run(october, by=CLOSER)

    error = error_of(approve_period, installation, october, CLOSER.upper())

    assert (error.code, error.field) == ("SAME_USER", "approved_by")
    assert refresh(october).status == PeriodStatus.CLOSED

    period = approve_period(installation, october, APPROVER)

    assert (period.status, period.approved_by, period.closed_by) == (PeriodStatus.APPROVED, APPROVER, CLOSER)
    assert period.approved_at is not None
    assert PeriodEvent.objects.filter(period=october, kind=PeriodEventKind.APPROVED, actor=APPROVER).exists()


def test_approve_waits_for_the_close_run(installation, october):
    close_period(installation, october, CLOSER, now=after(october), enqueue=False)

    error = error_of(approve_period, installation, october, APPROVER)

    assert (error.code, error.message) == ("RUN_NOT_FINISHED", "The close run of 2026-10 is pending: approve it once it has succeeded.")


@pytest.mark.parametrize("status", [PeriodStatus.OPEN, PeriodStatus.APPROVED, PeriodStatus.COMMITTED])
def test_only_closed_periods_are_approved(installation, october, status):
    Period.objects.filter(pk=october.pk).update(status=status)

    assert error_of(approve_period, installation, october, APPROVER).code == "INVALID_STATUS"


def test_periods_are_approved_in_order(installation, month, volume, anna, october, close_and_run):
    close_and_run(october)
    november = month("2026-11")
    volume(anna, november, 80)
    close_and_run(november)

    assert error_of(approve_period, installation, november, APPROVER).code == "EARLIER_PERIOD_OPEN"


# ------------------------------------------------------------------ reopen


def test_reopen_drops_the_figures_and_takes_entries_again(installation, october, anna, close_and_run):
    run = close_and_run(october)
    approve_period(installation, october, APPROVER)

    period = reopen_period(installation, october, "boss@example.com", "a late order from October was forgotten")

    assert (period.status, period.close_run, period.closed_by, period.approved_by) == (PeriodStatus.OPEN, None, "", "")
    run.refresh_from_db()
    assert run.status == RunStatus.SUPERSEDED
    assert run.summary["totals"]["total"] == "0.00"  # kept on record
    assert not PartnerPeriodResult.objects.filter(run=run).exists()
    assert not PeriodRunArray.objects.filter(run=run).exists()
    assert not PartnerBalance.objects.filter(period=october).exists()
    event = PeriodEvent.objects.get(period=october, kind=PeriodEventKind.REOPENED)
    assert (event.actor, event.reason, event.data["previous_status"]) == ("boss@example.com", "a late order from October was forgotten", "approved")
    assert open_period_for(installation, datetime.date(2026, 10, 20)) == october


def test_reopen_needs_a_reason(installation, october, close_and_run):
    close_and_run(october)

    error = error_of(reopen_period, installation, october, "boss@example.com", "  ")

    assert (error.code, error.field) == ("REQUIRED", "reason")
    assert refresh(october).status == PeriodStatus.CLOSED
    assert not PeriodEvent.objects.filter(kind=PeriodEventKind.REOPENED).exists()


def test_a_committed_period_is_never_reopened(installation, october, close_and_run):
    close_and_run(october)
    approve_period(installation, october, APPROVER)
    commit_period(installation, october, APPROVER)

    assert error_of(reopen_period, installation, october, "boss@example.com", "why").code == "INVALID_STATUS"


def test_only_the_latest_settled_period_is_reopened(installation, month, anna, volume, october, close_and_run):
    close_and_run(october)
    november = month("2026-11")
    volume(anna, november, 60)
    close_and_run(november)

    error = error_of(reopen_period, installation, october, "boss@example.com", "why")

    assert error.code == "LATER_PERIOD_CLOSED"
    reopen_period(installation, november, "boss@example.com", "why")
    reopen_period(installation, october, "boss@example.com", "why")


def test_a_run_finishing_after_a_reopen_is_superseded(installation, october):
    run = close_period(installation, october, CLOSER, now=after(october), enqueue=False)
    reopen_period(installation, october, "boss@example.com", "closed too early")

    run = execute_run(run.pk)

    assert run.status == RunStatus.SUPERSEDED
    assert not PartnerPeriodResult.objects.exists()
    assert refresh(october).close_run is None


def test_reclosing_after_reopen_counts_the_late_entries(installation, october, anna, close_and_run):
    close_and_run(october)
    reopen_period(installation, october, "boss@example.com", "late entries")
    adjustment_entry(anna, 30, 30, "missing order", "boss@example.com", october)

    run = close_and_run(october)

    assert PartnerPeriodResult.objects.get(run=run, partner=anna).pv == 150


# ------------------------------------------------------------------ commit


def test_commit_needs_approval(installation, october, close_and_run):
    close_and_run(october)

    assert error_of(commit_period, installation, october, APPROVER).code == "INVALID_STATUS"

    approve_period(installation, october, APPROVER)
    period = commit_period(installation, october, "finance@example.com")

    assert (period.status, period.committed_by) == (PeriodStatus.COMMITTED, "finance@example.com")
    assert PeriodEvent.objects.filter(period=october, kind=PeriodEventKind.COMMITTED).exists()


def test_periods_are_committed_in_order(installation, month, anna, volume, october, close_and_run):
    close_and_run(october)
    approve_period(installation, october, APPROVER)
    november = month("2026-11")
    volume(anna, november, 60)
    close_and_run(november)
    Period.objects.filter(pk=november.pk).update(status=PeriodStatus.APPROVED)

    assert error_of(commit_period, installation, november, APPROVER).code == "EARLIER_PERIOD_NOT_COMMITTED"

    commit_period(installation, october, APPROVER)
    commit_period(installation, november, APPROVER)


# ------------------------------------------------------------------ preview


def test_preview_only_for_open_periods(installation, october, close_and_run):
    close_and_run(october)

    assert error_of(preview_period, installation, october, CLOSER, enqueue=False).code == "INVALID_STATUS"


def test_a_preview_does_not_change_the_period(installation, october, anna, preview_and_run):
    run = preview_and_run(october)

    assert run.status == RunStatus.SUCCEEDED
    assert refresh(october).status == PeriodStatus.OPEN
    assert PartnerPeriodResult.objects.get(run=run, partner=anna).pv == 120
    assert LedgerEntry.objects.filter(period=october).count() == 1


def test_no_period_is_opened_behind_a_settled_one(installation, month, october, close_and_run):
    close_and_run(october)

    # A late entry for August (a month that never had a period) goes to November.
    assert open_period_for(installation, datetime.date(2026, 8, 15)).starts_on == datetime.date(2026, 11, 1)
    assert not Period.objects.filter(starts_on=datetime.date(2026, 8, 1)).exists()
    with pytest.raises(DomainError) as caught:
        month("2026-08")
    assert caught.value.code == "INVALID_STATUS"
