"""The close run: figures equal to the engine's, stored once, resumable after a crash,
late refunds as clawback in the next period, previews replaced."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from saleor_mlm.calendar import PeriodStatus
from saleor_mlm.calendar.actions import open_period_for
from saleor_mlm.calendar.models import Period, PeriodEvent
from saleor_mlm.engine import simulate
from saleor_mlm.ledger.crediting import credit_order_event
from saleor_mlm.ledger.models import LedgerEntry
from saleor_mlm.network.fetch import network_partner_rows
from saleor_mlm.payouts import BalanceReason
from saleor_mlm.payouts.models import PartnerBalance
from saleor_mlm.periods import RunPhase, RunStatus
from saleor_mlm.periods import runs as runs_module
from saleor_mlm.periods.actions import close_period, standing_run
from saleor_mlm.periods.models import PartnerPeriodResult, PeriodRun, PeriodRunArray
from saleor_mlm.periods.runs import RUN_LOCK_NAMESPACE, execute_run
from tests.fixtures.orders import order_line
from tests.fixtures.periods import CLOSER, EXAMPLE_PLAN, after, period_volume_rows

pytestmark = pytest.mark.django_db


def results(run) -> dict[int, dict]:
    rows = PartnerPeriodResult.objects.filter(run=run).order_by("partner_id").values()
    return {row["partner_id"]: {k: v for k, v in row.items() if k not in ("id", "run_id")} for row in rows}


@pytest.fixture
def team(partner_factory, customer_factory, care_assignment_factory):
    """root <- anna <- bernd; kunde is anna's customer, looked after by root with 25 %."""
    root = partner_factory(first_name="Root")
    anna = partner_factory(root, first_name="Anna")
    bernd = partner_factory(anna, first_name="Bernd")
    kunde = customer_factory(anna, first_name="Kunde")
    care_assignment_factory(kunde, root, "0.25")
    return root, anna, bernd, kunde


def test_figures_by_hand(installation, active_plan, month, volume, team, close_and_run):
    root, anna, bernd, kunde = team
    october = month("2026-10")
    volume(root, october, 60)
    volume(anna, october, 200)
    volume(bernd, october, 40)  # below 50 PV: not qualified, passed over
    volume(kunde, october, 100)

    run = close_and_run(october)

    rows = results(run)
    # anna: PV 200 + 0.75 * 100 = 275; customer bonus 5 % of 75.00.
    assert (rows[anna.pk]["pv"], rows[anna.pk]["gv"], rows[anna.pk]["customer_bonus"]) == (Decimal("275"), Decimal("315"), Decimal("3.75"))
    # anna's level 1 is bernd (40.00 BV at 10 %), though he did not qualify himself.
    assert rows[anna.pk]["level_bonus"] == Decimal("4")
    # root: PV 60 + 25.00 of kunde; level 1 from anna's 275.00 PBV (10 %); bernd is level 2.
    assert (rows[root.pk]["pv"], rows[root.pk]["customer_bonus"], rows[root.pk]["level_bonus"]) == (Decimal("85"), Decimal("1.25"), Decimal("27.5"))
    assert (rows[bernd.pk]["qualified"], rows[bernd.pk]["paid_as_rank"], rows[bernd.pk]["total"]) == (False, "", Decimal(0))
    assert run.summary["totals"] == {
        "customer": "5.00", "level": "31.50", "difference": "0.00", "generation": "0.00", "advancement": "0.00",
        "total": "36.50", "pv": "400.00", "bv": "400.00",
    }  # fmt: skip
    assert run.summary["statistics"]["payout_ratio"] == "9.13"
    # what the API's `statistics` shows: the standing run's summary
    standing = standing_run(october)
    statistics = standing.summary["statistics"]
    assert (standing.kind, Period.objects.get(pk=october.pk).status, statistics["payout_ratio"]) == ("close", "closed", "9.13")
    assert statistics["paid_as_ranks"] == {"member": 2, "star": 0}
    assert (statistics["qualified"], statistics["not_qualified"], statistics["partners"]) == (2, 1, 3)
    assert standing.summary["balances"] == {"partners": 2, "payable": "36.50", "paid": "28.75", "carried_forward": "7.75", "reasons": {"paid": 1, "below_minimum": 1}}


def test_the_stored_figures_are_the_engines_on_the_exchange_files(
    installation, plan_version_factory, month, volume, partner_factory, customer_factory, care_assignment_factory, close_and_run
):
    plan_version_factory(EXAMPLE_PLAN)
    october = month("2026-10")
    partners = [partner_factory()]
    for i in range(1, 30):
        partners.append(partner_factory(partners[(i - 1) // 2], status="inactive" if i == 7 else "active"))
    for i, partner in enumerate(partners):
        volume(partner, october, 40 + 37 * i % 400, 30 + 53 * i % 700)
        customer = customer_factory(partner)
        volume(customer, october, 120 + i, 110 + i)
        if i % 5 == 3:
            care_assignment_factory(customer, partners[0], "0.3")
        if i > 4 and i % 6 == 0:
            care_assignment_factory(partner, partners[1], "0.2")
    volume(partners[9], october, "-35.5", "-60.25")  # a refund

    run = close_and_run(october)

    expected = simulate(EXAMPLE_PLAN, network_partner_rows(installation, run.network_at), period_volume_rows(installation.pk, october.pk))
    rows = results(run)
    for pk, row in rows.items():
        figures = expected["partners"][f"p{pk}"]
        assert (str(row["pv"]), str(row["gv"]), str(row["ov"]), row["qualified"]) == (figures["pv"], figures["gv"], figures["ov"], figures["qualified"])
        assert (row["paid_as_rank"] or None, row["career_rank"] or None) == (figures["rank"], figures["career_rank"])
        assert {kind: f"{row[f'{kind}_bonus']:.2f}" for kind in figures["bonuses"]} == figures["bonuses"]
        assert f"{row['total']:.2f}" == figures["total"]
    assert run.summary["totals"]["total"] == expected["totals"]["total"]


def test_progress_goes_through_the_phases_in_order(installation, active_plan, month, volume, team):
    october = month("2026-10")
    volume(team[1], october, 100)
    run = close_period(installation, october, CLOSER, now=after(october), enqueue=False)
    seen = []

    execute_run(run.pk, progress=lambda phase, percent, detail: seen.append((phase, percent)))

    phases = [phase for phase, _ in seen]
    assert [p for i, p in enumerate(phases) if i == 0 or phases[i - 1] != p] == [RunPhase.FETCH, RunPhase.SNAPSHOT, RunPhase.COMPUTE, RunPhase.PERSIST]
    percents = [percent for _, percent in seen]
    assert percents == sorted(percents) and percents[-1] == 100


def test_rerunning_a_finished_run_changes_nothing(installation, active_plan, month, volume, team, close_and_run):
    october = month("2026-10")
    volume(team[1], october, 100)
    run = close_and_run(october)
    ids = list(PartnerPeriodResult.objects.filter(run=run).values_list("id", flat=True))

    again = execute_run(run.pk)

    assert again.status == RunStatus.SUCCEEDED
    assert list(PartnerPeriodResult.objects.filter(run=run).values_list("id", flat=True)) == ids
    assert PeriodEvent.objects.filter(kind="run_succeeded").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_crash_while_persisting_leaves_no_rows_and_the_rerun_gives_the_same_figures(
    installation, active_plan, month, volume, team, monkeypatch, partner_factory
):
    root, anna, bernd, kunde = team
    october = month("2026-10")
    for node, pv in ((root, 70), (anna, 400), (bernd, 700), (kunde, 90)):
        volume(node, october, pv)
    run = close_period(installation, october, CLOSER, now=after(october), enqueue=False)
    real_persist = runs_module.persist

    def crash_half_way(run, period, inputs, figures, report=None):
        real_persist(run, period, inputs, figures, report)  # every row written ...
        raise RuntimeError("worker killed")  # ... and the transaction never commits

    monkeypatch.setattr(runs_module, "persist", crash_half_way)
    with pytest.raises(RuntimeError):
        execute_run(run.pk)

    run.refresh_from_db()
    # Failed in the persist phase, with its inputs stored: a rerun starts at compute.
    assert (run.status, run.phase, run.has_snapshot) == (RunStatus.FAILED, RunPhase.PERSIST, True)
    assert "worker killed" in run.error
    assert not PartnerPeriodResult.objects.exists() and not PartnerBalance.objects.exists()
    # The network changes before the rerun: the run keeps the inputs it was started with.
    bernd.sponsor = root
    bernd.save()
    partner_factory(root)

    monkeypatch.setattr(runs_module, "persist", real_persist)
    rerun = execute_run(run.pk)

    assert (rerun.status, rerun.attempts) == (RunStatus.SUCCEEDED, 2)
    rows = results(rerun)
    assert len(rows) == 3 == PartnerPeriodResult.objects.count()
    assert PartnerBalance.objects.filter(period=october).count() == len([r for r in rows.values() if r["total"]])
    # anna's level 1 is bernd as when the period was closed (700.00 at 10 %).
    assert rows[anna.pk]["level_bonus"] == Decimal("70")
    assert Period.objects.get(pk=october.pk).close_run == rerun


@pytest.mark.django_db(transaction=True)
def test_a_run_held_by_another_worker_is_left_alone(installation, active_plan, month, volume, team):
    october = month("2026-10")
    volume(team[1], october, 100)
    run = close_period(installation, october, CLOSER, now=after(october), enqueue=False)
    default = connection
    other = type(default._connections[default._alias])(dict(default.settings_dict), alias="other")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [RUN_LOCK_NAMESPACE, run.pk])
        assert execute_run(run.pk).status == RunStatus.PENDING
        assert not PartnerPeriodResult.objects.exists()
        with other.cursor() as cursor:
            # Released explicitly: a closed connection's server process may hold its
            # locks for a moment after the client has gone.
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [RUN_LOCK_NAMESPACE, run.pk])
    finally:
        other.close()
    assert execute_run(run.pk).status == RunStatus.SUCCEEDED


def test_a_refund_after_the_close_is_a_clawback_in_the_next_period(
    installation, active_plan, team, order_event_factory, volume, month, close_and_run
):
    root, anna, bernd, kunde = team
    october_day = datetime.datetime(2026, 10, 12, 10, tzinfo=datetime.UTC)
    paid = order_event_factory(
        email=anna.email, created=october_day, issued_at=october_day, lines=[order_line(line_id="L", net="500.00")]
    )
    credit_order_event(paid)
    october = Period.objects.get(installation=installation, starts_on=datetime.date(2026, 10, 1))
    volume(root, october, 60)
    close_and_run(october)
    root_october = PartnerPeriodResult.objects.get(run__period=october, partner=root)
    assert root_october.level_bonus == Decimal("50")  # 10 % of anna's 500.00

    # The customer returns the goods; the refund is dated in October but arrives late.
    refund = order_event_factory("fully_refunded", order=paid.order, issued_at=october_day + datetime.timedelta(days=5))
    credit_order_event(refund)

    entry = LedgerEntry.objects.get(source_event=refund)
    november = open_period_for(installation, datetime.date(2026, 11, 1))
    assert (entry.period, entry.bv) == (november, Decimal("-500"))
    october_run = Period.objects.get(pk=october.pk).close_run
    assert PartnerPeriodResult.objects.get(run=october_run, partner=root).level_bonus == Decimal("50")  # unchanged

    volume(root, november, 60)
    volume(anna, november, 100)
    run = close_and_run(november)

    rows = results(run)
    assert (rows[anna.pk]["pv"], rows[anna.pk]["qualified"]) == (Decimal("-400"), False)
    assert rows[root.pk]["level_bonus"] == Decimal("-40")  # the clawback: 10 % of -400.00
    balance = PartnerBalance.objects.get(period=november, partner=root)
    # October's 50.00 were paid (above the 25.00 minimum); November's -40.00 is carried, never charged.
    assert (balance.payable, balance.paid, balance.carried_forward, balance.reason) == (Decimal("-40"), 0, Decimal("-40"), BalanceReason.NEGATIVE)


def test_a_new_preview_replaces_the_previous_and_the_close_replaces_both(
    installation, active_plan, month, volume, team, preview_and_run, close_and_run
):
    october = month("2026-10")
    volume(team[1], october, 100)
    first = preview_and_run(october, now=datetime.datetime(2026, 10, 20, tzinfo=datetime.UTC))
    volume(team[1], october, 50)

    second = preview_and_run(october, now=datetime.datetime(2026, 10, 21, tzinfo=datetime.UTC))

    first.refresh_from_db()
    assert first.status == RunStatus.SUPERSEDED
    assert not PartnerPeriodResult.objects.filter(run=first).exists()
    assert not PeriodRunArray.objects.filter(run=first).exists()
    assert PartnerPeriodResult.objects.get(run=second, partner=team[1]).pv == 150

    close = close_and_run(october)

    second.refresh_from_db()
    assert second.status == RunStatus.SUPERSEDED
    assert set(PartnerPeriodResult.objects.values_list("run_id", flat=True)) == {close.pk}


def test_runs_of_other_installations_are_separate(installation_factory, plan_version_factory, partner_factory, volume, month, close_and_run):
    first, second = installation_factory(), installation_factory()
    for shop in (first, second):
        plan_version_factory(installation=shop)
        volume(partner_factory(installation=shop), month("2026-10", installation=shop), 100)

    run = close_and_run(month("2026-10", installation=first), installation=first)

    assert PartnerPeriodResult.objects.filter(run=run).count() == 1
    assert Period.objects.get(installation=second).status == PeriodStatus.OPEN


def test_a_period_without_any_volume_closes(installation, active_plan, month, team, close_and_run):
    run = close_and_run(month("2026-10"))

    assert run.status == RunStatus.SUCCEEDED
    assert run.summary["totals"]["total"] == "0.00"
    assert PartnerPeriodResult.objects.filter(run=run).count() == 3
    assert not PartnerBalance.objects.exists()
    assert PeriodRun.objects.get(pk=run.pk).snapshot_digest


def test_the_task_runs_and_reports_and_a_failed_run_is_rerun(installation, active_plan, month, volume, team, monkeypatch):
    from saleor_mlm.periods.tasks import execute_period_run_task

    october = month("2026-10")
    volume(team[1], october, 100)
    run = close_period(installation, october, CLOSER, now=after(october), enqueue=False)
    monkeypatch.setattr(runs_module, "compute_figures", lambda *args, **kwargs: 1 / 0)

    assert execute_period_run_task(run.pk) == RunStatus.FAILED
    run.refresh_from_db()
    assert "ZeroDivisionError" in run.error
    assert PeriodEvent.objects.filter(kind="run_failed").exists()

    monkeypatch.undo()
    assert execute_period_run_task(run.pk) == RunStatus.SUCCEEDED
    assert execute_period_run_task(run.pk) == RunStatus.SUCCEEDED  # again: nothing to do
    assert execute_period_run_task(10**9) == "missing"


def test_stale_runs_are_requeued(installation, active_plan, month, volume, team, monkeypatch):
    from saleor_mlm.periods import tasks

    october = month("2026-10")
    volume(team[1], october, 100)
    run = close_period(installation, october, CLOSER, now=after(october), enqueue=False)
    PeriodRun.objects.filter(pk=run.pk).update(created_at=run.created_at - datetime.timedelta(hours=1))
    queued = []
    monkeypatch.setattr(tasks.execute_period_run_task, "delay", queued.append)

    assert tasks.resume_stale_runs_task() == 1
    assert queued == [run.pk]
