"""Period runs without a broker: in the request (tests, commands), or in a thread of the web
process when `MLM_PERIOD_RUNS_IN_THREAD` is on (the demo server), so that the request
returns with the run pending and the page follows its progress."""

import threading

import pytest

from saleor_mlm.periods import RunPhase, RunStatus, tasks
from saleor_mlm.periods.actions import close_period
from saleor_mlm.periods.models import PeriodRun
from tests.fixtures.periods import CLOSER, after


@pytest.fixture
def october(installation, active_plan, month, volume, partner_factory):
    root = partner_factory(first_name="Root")
    anna = partner_factory(root, first_name="Anna")
    period = month("2026-10")
    volume(root, period, 60)
    volume(anna, period, 200)
    return period


@pytest.mark.django_db
def test_without_the_setting_a_close_has_finished_when_the_call_returns(settings, installation, october, django_capture_on_commit_callbacks):
    settings.MLM_PERIOD_RUNS_IN_THREAD = False

    with django_capture_on_commit_callbacks(execute=True):
        run = close_period(installation, october, CLOSER, now=after(october))

    run.refresh_from_db()
    assert (run.status, run.phase, run.percent) == (RunStatus.SUCCEEDED, RunPhase.DONE, 100)


@pytest.mark.django_db(transaction=True)
def test_with_the_setting_the_close_runs_in_a_thread_and_reports_progress(settings, installation, october, monkeypatch):
    settings.MLM_PERIOD_RUNS_IN_THREAD = True
    started = threading.Event()
    release = threading.Event()
    real_execute_run = tasks.execute_run
    seen: list[tuple[str, int]] = []

    def held_execute_run(run_id, progress=None):
        # Hold the thread until the caller has looked at the run as the request returns.
        started.set()
        release.wait(10)
        return real_execute_run(run_id, progress=lambda phase, percent, detail: seen.append((phase, percent)))

    monkeypatch.setattr(tasks, "execute_run", held_execute_run)

    run = close_period(installation, october, CLOSER, now=after(october))

    assert started.wait(10)
    thread = next(thread for thread in threading.enumerate() if thread.name == f"period-run-{run.pk}")
    assert PeriodRun.objects.get(pk=run.pk).status == RunStatus.PENDING  # returned before the run
    release.set()
    thread.join(30)
    stored = PeriodRun.objects.get(pk=run.pk)
    assert (stored.status, stored.phase, stored.percent) == (RunStatus.SUCCEEDED, RunPhase.DONE, 100)
    assert [phase for phase, _ in seen][0] == RunPhase.FETCH
    assert seen[-1] == (RunPhase.PERSIST, 100)
    assert [percent for _, percent in seen] == sorted(percent for _, percent in seen)


def test_with_a_broker_the_setting_changes_nothing(settings, monkeypatch):
    settings.MLM_PERIOD_RUNS_IN_THREAD = True
    settings.CELERY_TASK_ALWAYS_EAGER = False
    queued = []
    monkeypatch.setattr(tasks.execute_period_run_task, "delay", queued.append)

    tasks.start_period_run(42)

    assert queued == [42]
