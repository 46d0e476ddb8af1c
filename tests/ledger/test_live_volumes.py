"""Live volumes equal the engine's figures on the same data, and are fresh.

The reference is what a period run hands the engine: `network.fetch.network_partner_rows`
and the close run's own volumes (`periods.fetch.own_volume_rows`), through
`engine.simulate`. The live state is brought up to date incrementally (new entries,
customers attributed or given a Betreuer in place, partner changes by a rebuild); after
every step it must still agree.
"""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone

from saleor_mlm.calendar.actions import open_period_for
from saleor_mlm.engine import parse_plan, simulate
from saleor_mlm.ledger.crediting import credit_order_event
from saleor_mlm.ledger.models import LedgerEntry
from saleor_mlm.live import feed as live_feed
from saleor_mlm.live import state as live_state
from saleor_mlm.live import volumes as live
from saleor_mlm.live.volumes import LiveVolumeError, OVBasis, live_volumes, live_volumes_bulk
from saleor_mlm.network import actions as network_actions
from saleor_mlm.network.fetch import network_partner_rows
from saleor_mlm.network.models import Partner
from tests.fixtures.ledger import adjustment_entry
from tests.fixtures.orders import order_line
from tests.fixtures.periods import CLOSER, after, period_volume_rows

NOW = timezone.now()
PLAIN_PLAN = {"name": "plain", "currency": "EUR", "bonuses": {}, "ranks": [{"code": "partner"}]}
# Two ranks; "lead" is a breakaway: a lead's line leaves its upline's OV.
BREAKAWAY_PLAN = {
    "name": "breakaway",
    "currency": "EUR",
    "active_min_pv": "10",
    "breakaway_rank": "lead",
    "bonuses": {"generation_rates": ["0.02"]},
    "ranks": [{"code": "partner"}, {"code": "lead", "min_pv": "20", "min_gv": "150", "generation_depth": 1}],
}


@pytest.fixture(autouse=True)
def fresh_live_state(monkeypatch):
    # Most tests run inside one transaction that is rolled back at the end; the shared
    # state is used there all the same (and forgotten after each test). The tests marked
    # `transaction=True` run with real commits and the production rule.
    monkeypatch.setattr(live, "SHARE_INSIDE_TRANSACTIONS", True)
    live.invalidate()
    yield
    live.invalidate()


@pytest.fixture
def committed(monkeypatch):
    monkeypatch.setattr(live, "SHARE_INSIDE_TRANSACTIONS", False)


@pytest.fixture
def no_plan(monkeypatch):
    monkeypatch.setattr(live_state, "_plan_in_force", lambda installation_id, starts_on: (None, None))


@pytest.fixture
def with_plan(monkeypatch):
    def use(document):
        plan = parse_plan(document)
        monkeypatch.setattr(live_state, "_plan_in_force", lambda installation_id, starts_on: (("test", document["name"]), plan))

    return use


def engine_figures(installation, plan=PLAIN_PLAN) -> dict[str, dict]:
    """{partner node id: result figures} of the engine for the current period."""
    period = open_period_for(installation, timezone.now())
    return simulate(plan, network_partner_rows(installation), period_volume_rows(installation.pk, period.pk))["partners"]


def assert_live_equals_engine(installation, plan=PLAIN_PLAN):
    expected = engine_figures(installation, plan)
    partners = list(Partner.objects.filter(installation=installation).values_list("pk", flat=True))
    figures = live_volumes_bulk(installation, partners)
    for pk in partners:
        want = expected[f"p{pk}"]
        got = figures[pk]
        assert (str(got.pv), str(got.gv), str(got.ov)) == (want["pv"], want["gv"], want["ov"]), f"partner p{pk}"
    return figures


def paid(order_event_factory, **kwargs):
    kwargs.setdefault("created", NOW)
    kwargs.setdefault("issued_at", NOW)
    return credit_order_event(order_event_factory(**kwargs))


@pytest.fixture
def split_network(ledger_partner, ledger_customer, care_assignment):
    """R1 <- A <- B and R2 <- C; B is looked after by C (half), customer k of A by C (0.3)."""
    r1, r2 = ledger_partner("R1"), ledger_partner("R2")
    a = ledger_partner("A", sponsor=r1, email="a@example.com")
    c = ledger_partner("C", sponsor=r2, email="c@example.com")
    b = ledger_partner("B", sponsor=a, email="b@example.com")
    k = ledger_customer("k@example.com", sponsor=a)
    care_assignment(k, c, "0.3")
    care_assignment(b, c, "0.5")
    return {"R1": r1, "R2": r2, "A": a, "B": b, "C": c, "k": k}


pytestmark = pytest.mark.django_db


def test_split_volume_reaches_both_uplines_as_in_the_engine(installation, no_plan, split_network, order_event_factory):
    paid(order_event_factory, email="k@example.com", lines=[order_line(net="100.00")])
    paid(order_event_factory, email="b@example.com", lines=[order_line(net="40.00")])

    figures = assert_live_equals_engine(installation)
    by_name = {name: figures[node.pk] for name, node in split_network.items() if isinstance(node, Partner)}
    assert {name: v.pv for name, v in by_name.items()} == {"R1": 0, "R2": 0, "A": 70, "B": 40, "C": 30}
    assert {name: v.gv for name, v in by_name.items()} == {"R1": 90, "R2": 50, "A": 90, "B": 40, "C": 50}
    assert all(v.ov == v.gv and v.ov_basis == OVBasis.GV and v.rank is None for v in by_name.values())
    assert by_name["A"].pbv == 70 and by_name["R1"].gbv == 90


def test_a_new_order_shows_in_the_next_call(installation, no_plan, split_network, order_event_factory):
    r1 = split_network["R1"]
    assert live_volumes(installation, r1).gv == 0
    paid(order_event_factory, email="b@example.com", lines=[order_line(net="40.00")])
    first = live_volumes(installation, r1)
    assert first.gv == Decimal("20.00")
    paid(order_event_factory, email="a@example.com", lines=[order_line(net="12.34")])
    second = live_volumes(installation, r1.pk)
    assert second.gv == Decimal("32.34")
    assert second.as_of >= first.as_of
    # A refund takes volume back at once too.
    refund = order_event_factory("refunded", order=LedgerEntry.objects.filter(partner=split_network["A"]).first().order, total_refunded="6.17")
    credit_order_event(refund)
    assert live_volumes(installation, r1).gv == Decimal("26.17")
    assert_live_equals_engine(installation)


def test_new_customers_attributed_by_voucher_are_added_in_place(installation, no_plan, split_network, order_event_factory):
    paid(order_event_factory, email="a@example.com", lines=[order_line(net="1.00")])  # the period exists
    live_volumes(installation, split_network["R1"])  # build the state
    state = live._states[(installation.pk, None)]
    network_before = state.network
    # Two new customers of C, by C's code; one of them orders twice.
    paid(order_event_factory, email="new1@example.com", voucher_code="C", lines=[order_line(net="10.00")])
    paid(order_event_factory, email="new2@example.com", voucher_code="C", lines=[order_line(net="15.00")])
    paid(order_event_factory, email="new2@example.com", lines=[order_line(net="5.00")])
    # And a house customer.
    paid(order_event_factory, email="walk-in@example.com", lines=[order_line(net="7.00")])

    figures = assert_live_equals_engine(installation)
    assert figures[split_network["C"].pk].pv == 30
    assert figures[split_network["R2"].pk].gv == 30
    # Customers were added to the loaded partner structure, not by a rebuild.
    assert state.network.order is network_before.order


def test_customer_changes_through_the_network_actions(installation, no_plan, split_network, order_event_factory):
    paid(order_event_factory, email="walk-in@example.com", lines=[order_line(net="60.00")])
    paid(order_event_factory, email="k@example.com", lines=[order_line(net="100.00")])
    assert_live_equals_engine(installation)
    house = LedgerEntry.objects.get(customer__email="walk-in@example.com").customer

    # The merchant assigns the house customer: its open-period volume now counts for B.
    network_actions.assign_house_customer(house, split_network["B"], changed_by="m@example.com", reason="asked for B")
    assert live_volumes(installation, split_network["B"]).pv == 60
    # C looks after it from now on, with 0.4.
    network_actions.assign_care(house, split_network["C"], share=Decimal("0.4"), set_by="m@example.com")
    figures = assert_live_equals_engine(installation)
    assert figures[split_network["C"].pk].pv == Decimal("54.00")  # 0.3 * 100 + 0.4 * 60
    # k's Betreuer ends: all of k goes to A again.
    network_actions.unassign_care(split_network["k"], set_by="m@example.com")
    assert_live_equals_engine(installation)


def test_partner_changes_rebuild_the_state(installation, settings, no_plan, split_network, order_event_factory):
    settings.SALEOR_WRITE_BACK = False  # no voucher code for the new partner
    paid(order_event_factory, email="b@example.com", lines=[order_line(net="40.00")])
    paid(order_event_factory, email="k@example.com", lines=[order_line(net="100.00")])
    assert_live_equals_engine(installation)

    # B moves to R2's line, a new partner joins under B and orders; a split agreement.
    network_actions.change_sponsor(split_network["B"], split_network["R2"], changed_by="m@example.com", reason="moved")
    dora = network_actions.create_partner(
        installation, email="dora@example.com", sponsor=split_network["B"], referral_code="DORA", created_by="m@example.com"
    )
    paid(order_event_factory, email="dora@example.com", lines=[order_line(net="25.00")])
    network_actions.set_split_agreement(split_network["A"], "0.6", set_by="m@example.com")
    figures = assert_live_equals_engine(installation)
    assert figures[dora.pk].pv == 25
    assert figures[split_network["R2"].pk].gv == Decimal("95.00")  # B 40 + Dora 25 + C's 30 of k


def test_adjustments_and_statuses(installation, no_plan, split_network, order_event_factory):
    paid(order_event_factory, email="a@example.com", lines=[order_line(net="30.00")])
    adjustment_entry(split_network["C"], "-5", "-5", "return not in Saleor", "chef@example.com")
    network_actions.set_status(split_network["A"], "inactive", changed_by="m@example.com", reason="paused")
    figures = assert_live_equals_engine(installation)
    assert figures[split_network["R2"].pk].gv == Decimal("-5.00")
    assert figures[split_network["R1"].pk].gv == Decimal("30.00")


def test_open_volume_with_the_plan_in_force_leaves_breakaway_lines_out(installation, with_plan, ledger_partner, order_event_factory):
    with_plan(BREAKAWAY_PLAN)
    top = ledger_partner("TOP", email="top@example.com")
    lead = ledger_partner("LEAD", sponsor=top, email="lead@example.com")
    under = ledger_partner("UNDER", sponsor=lead, email="under@example.com")
    ledger_partner("SMALL", sponsor=top, email="small@example.com")
    paid(order_event_factory, email="top@example.com", lines=[order_line(net="20.00")])
    paid(order_event_factory, email="lead@example.com", lines=[order_line(net="30.00")])
    paid(order_event_factory, email="under@example.com", lines=[order_line(net="130.00")])
    paid(order_event_factory, email="small@example.com", lines=[order_line(net="15.00")])

    figures = assert_live_equals_engine(installation, BREAKAWAY_PLAN)
    assert figures[lead.pk].rank == "lead" and figures[lead.pk].qualified is True
    assert figures[top.pk].gv == Decimal("195.00")
    assert figures[top.pk].ov == Decimal("35.00")  # its own 20 and SMALL's 15: LEAD's line broke away
    assert figures[top.pk].ov_basis == OVBasis.PLAN
    assert figures[under.pk].rank == "partner"
    # Without OV the plan is not computed.
    cheap = live_volumes_bulk(installation, [top.pk], with_ov=False)[top.pk]
    assert (cheap.ov, cheap.ov_basis, cheap.rank) == (Decimal("195.00"), OVBasis.GV, None)


def test_the_plan_computation_runs_at_most_once_per_second(installation, with_plan, ledger_partner, order_event_factory, monkeypatch):
    with_plan(BREAKAWAY_PLAN)
    top = ledger_partner("TOP", email="top@example.com")
    ledger_partner("LEAD", sponsor=top, email="lead@example.com")
    paid(order_event_factory, email="lead@example.com", lines=[order_line(net="30.00")])
    first = live_volumes(installation, top)
    assert (first.gv, first.ov, first.ov_as_of) == (Decimal("30.00"), Decimal("30.00"), first.as_of)
    calls = []
    original = live_state.compute
    monkeypatch.setattr(live_state, "compute", lambda *args, **kwargs: calls.append(1) or original(*args, **kwargs))

    paid(order_event_factory, email="lead@example.com", lines=[order_line(net="150.00")])  # LEAD breaks away
    second = live_volumes(installation, top)
    assert calls == []  # within OV_MAX_AGE: OV and ranks of the last run, PV/GV fresh
    assert (second.gv, second.ov, second.ov_as_of) == (Decimal("180.00"), Decimal("30.00"), first.as_of)

    monkeypatch.setattr(live_state, "OV_MAX_AGE", 0)
    third = live_volumes(installation, top)
    assert calls == [1]
    assert (third.gv, third.ov, third.ov_as_of) == (Decimal("180.00"), Decimal("0.00"), third.as_of)


def test_plan_without_breakaway_gives_ov_equal_gv_with_ranks(installation, with_plan, ledger_partner, order_event_factory):
    with_plan({**PLAIN_PLAN, "active_min_pv": "10"})
    top = ledger_partner("TOP", email="top@example.com")
    paid(order_event_factory, email="top@example.com", lines=[order_line(net="20.00")])
    figures = live_volumes(installation, top)
    assert (figures.ov, figures.ov_basis, figures.rank, figures.qualified) == (Decimal("20.00"), OVBasis.GV, "partner", True)


def test_unknown_partner_and_other_installation(installation, installation_factory, no_plan, ledger_partner):
    mine = ledger_partner("MINE")
    theirs = ledger_partner("THEIRS", installation=installation_factory())
    assert live_volumes(installation, mine).gv == 0
    with pytest.raises(LiveVolumeError):
        live_volumes(installation, theirs)


def test_no_period_yet_gives_zeros_for_this_month(installation, no_plan, ledger_partner):
    partner = ledger_partner("EMPTY")
    figures = live_volumes(installation, partner)
    assert figures.period_id is None
    assert figures.period_starts_on == timezone.localdate().replace(day=1)
    assert (figures.pv, figures.gv, figures.ov) == (0, 0, 0)


def test_closed_month_sends_live_volumes_to_the_next_open_period(installation, active_plan):
    from saleor_mlm.periods.actions import close_period

    today = timezone.localdate()
    period = open_period_for(installation, today)
    assert live.current_period_start(installation.pk, today) == (period.pk, period.starts_on)
    close_period(installation, period, CLOSER, now=after(period), enqueue=False)
    following = (period.ends_on + datetime.timedelta(days=1))
    assert live.current_period_start(installation.pk, today) == (None, following)


# ------------------------------------------------------------------ the feed


def test_feed_reads_a_late_commit_below_the_top_exactly_once():
    feed = live_feed.Feed()
    snap = live_feed.Snapshot
    # Read 1: ids 1 and 3 visible; transaction 50 (holding id 2) still running.
    assert [row[0] for row in feed.accept([(1,), (3,)])] == [1, 3]
    feed.settle(None, snap(bound=51, oldest=50))
    assert feed.floor == 0
    # Read 2: 50 still running, nothing new; the rows read again are skipped.
    assert feed.accept([(1,), (3,)]) == []
    feed.settle(snap(51, 50), snap(52, 50))
    assert feed.floor == 0
    # Read 3: 50 committed id 2 just before it; the look before this read still saw 50.
    assert [row[0] for row in feed.accept([(1,), (2,), (3,), (4,)])] == [2, 4]
    feed.settle(snap(52, 50), snap(53, None))
    assert feed.floor == 0
    # Read 4: the look before it found nothing older than the bounds: the floor moves.
    assert feed.accept([(2,), (3,), (4,)]) == []
    feed.settle(snap(53, None), snap(54, None))
    assert feed.floor == 4 and feed.seen == set()


def test_feed_floor_moves_after_settle_seconds_even_if_a_transaction_hangs(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(live_feed.time, "monotonic", lambda: clock[0])
    feed = live_feed.Feed()
    snap = live_feed.Snapshot
    feed.accept([(1,), (2,)])
    feed.settle(None, snap(10, 9))
    clock[0] += live_feed.SETTLE_SECONDS + 1
    feed.accept([(1,), (2,), (3,)])
    feed.settle(snap(10, 9), snap(12, 9))
    assert feed.floor == 2 and feed.seen == {3}


def test_without_snapshots_the_floor_follows_the_top():
    feed = live_feed.Feed()
    feed.accept([(1,), (2,)])
    feed.settle(None, None)
    assert feed.floor == 2 and feed.seen == set()


def test_widening_32_bit_transaction_ids():
    assert live_feed._widen(5, (3 << 32) + 10) == (3 << 32) + 5
    assert live_feed._widen(0xFFFFFFF0, (3 << 32) + 10) == (2 << 32) + 0xFFFFFFF0
    assert live_feed._widen(20, (3 << 32) + 0xFFFFFFF0) == (4 << 32) + 20


# ------------------------------------------------------------------ PostgreSQL: commits out of id order


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_entry_committed_after_a_higher_id_is_not_lost(installation, committed, no_plan, ledger_partner):
    if connection.vendor != "postgresql":
        pytest.skip("commit order only differs from id order with concurrent writers (PostgreSQL)")
    anna = ledger_partner("ANNA")
    period = open_period_for(installation, timezone.now())
    assert live_volumes(installation, anna).gv == 0

    inserted, release = threading.Event(), threading.Event()

    def slow_writer():
        try:
            with transaction.atomic():
                adjustment_entry(anna, "7", "7", "slow", "chef@example.com", period)  # takes the lower id
                inserted.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert inserted.wait(10)
    adjustment_entry(anna, "5", "5", "fast", "chef@example.com", period)  # higher id, committed first
    assert live_volumes(installation, anna).gv == 5
    release.set()
    thread.join()
    assert live_volumes(installation, anna).gv == 12
    assert live_volumes(installation, anna).gv == 12  # and only once


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_live_volumes_while_orders_are_credited_in_parallel(
    installation, committed, no_plan, order_event_factory, ledger_partner, ledger_customer
):
    if connection.vendor != "postgresql":
        pytest.skip("parallel writers need PostgreSQL")
    from concurrent.futures import ThreadPoolExecutor

    line = []
    for index in range(6):
        line.append(ledger_partner(f"L{index}", sponsor=line[-1] if line else None, email=f"l{index}@example.com"))
    events = []
    for number in range(120):
        if number % 3 == 0:
            buyer = {"email": f"l{number % 6}@example.com"}
        else:
            buyer = {"email": f"buyer{number % 30}@example.com", "voucher_code": f"L{number % 6}"}
        events.append(order_event_factory(number=str(number), created=NOW, issued_at=NOW, lines=[order_line(net="3.00")], **buyer))

    def credit(event_id):
        try:
            credit_order_event(event_id)
        finally:
            connection.close()

    stop = threading.Event()
    seen = []

    def poll():
        try:
            while not stop.is_set():
                seen.append(live_volumes(installation, line[0]).gv)
        finally:
            connection.close()

    poller = threading.Thread(target=poll)
    poller.start()
    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(credit, [event.pk for event in events]))
    stop.set()
    poller.join()
    assert seen == sorted(seen)  # never more than what was there, never going back
    assert live_volumes(installation, line[0]).gv == Decimal("360.00")
    assert_live_equals_engine(installation)


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_uncommitted_entries_do_not_reach_the_shared_state(installation, committed, no_plan, ledger_partner):
    anna = ledger_partner("ANNA")
    adjustment_entry(anna, "5", "5", "first", "chef@example.com")
    assert live_volumes(installation, anna).gv == 5
    shared = live._states[(installation.pk, None)]

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback):
        with transaction.atomic():
            adjustment_entry(anna, "7", "7", "rolled back", "chef@example.com")
            assert live_volumes(installation, anna).gv == 12  # its own transaction sees it
            raise Rollback
    assert live._states[(installation.pk, None)] is shared
    assert live_volumes(installation, anna).gv == 5


@pytest.mark.django_db(transaction=True)
def test_refreshed_state_inside_a_transaction_is_private_unless_always_shared(installation, committed, no_plan, ledger_partner):
    anna = ledger_partner("ANNA")
    assert live_volumes(installation, anna).gv == 0
    shared = live._states[(installation.pk, None)]
    with transaction.atomic():
        with live.refreshed_state(installation) as state:
            assert state is not shared
        with live.refreshed_state(installation, always_shared=True) as state:
            assert state is shared  # the next-rank report and the downline index read it so
    assert live._states[(installation.pk, None)] is shared


def test_refreshed_state_for_readers_of_the_whole_network(installation, no_plan, split_network, order_event_factory):
    paid(order_event_factory, email="b@example.com", lines=[order_line(net="40.00")])
    with live.refreshed_state(installation) as state:
        ordinal = state.partner_node[split_network["R1"].pk]
        figures = state.all_figures(with_ov=False)
        assert figures.gv[ordinal] == 2000  # hundredths
        assert state.network.n_partners == Partner.objects.filter(installation=installation).count()
        assert list(state.partner_node) == sorted(state.partner_node)
