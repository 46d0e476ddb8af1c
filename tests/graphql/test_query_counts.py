"""The number of SQL queries follows the shape of a query, never the page size."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleor_mlm.live import volumes as live
from saleor_mlm.periods import next_rank
from tests.fixtures.graphql import ANNA_USER, GRAPHQL_PLAN

PARTNERS_WITH_RELATIONS = """
query Partners($first: Int!) {
  partners(first: $first) {
    totalCount
    edges {
      node {
        referralCode
        sponsor { referralCode sponsor { referralCode } }
        care { effectiveShare carePartner { referralCode } }
        customers { totalCount edges { node { email } } }
        frontline(first: 3) { totalCount edges { node { referralCode } } }
      }
    }
  }
}
"""

DOWNLINE_WITH_RELATIONS = """
query Downline($first: Int!) {
  me {
    partner {
      downline(first: $first) {
        totalCount
        edges { level node { displayName email sponsor { displayName email } customers { totalCount } care { carePartner { displayName } } } }
      }
    }
  }
}
"""


@pytest.fixture
def live_reads(monkeypatch):
    """Counts the calls of the live volumes (`periods.next_rank.live_snapshot` for the
    network and ranks, `live.volumes.live_volumes_bulk` for figures) and the queries they
    make: bringing the live state up to date is `live.volumes`'s business (a few small
    queries, whatever the page), so the counts below leave them out."""
    calls = {"calls": 0, "queries": 0}

    def counting(original):
        def counted(*args, **kwargs):
            before = len(connection.queries_log)
            try:
                return original(*args, **kwargs)
            finally:
                calls["calls"] += 1
                calls["queries"] += len(connection.queries_log) - before

        return counted

    monkeypatch.setattr(next_rank, "live_snapshot", counting(next_rank.live_snapshot))
    monkeypatch.setattr(live, "live_volumes_bulk", counting(live.live_volumes_bulk))
    return calls


@pytest.fixture
def wide_network(gql_installation, partner_factory, customer_factory, care_assignment_factory, split_agreement_factory):
    """57 partners under Anna in 3 lines, each with 2 customers; every 2nd looked after by
    Bert. They sort first by name, so that every page shows all kinds of rows."""
    top = {"installation": gql_installation, "last_name": "Zentrale"}
    root = partner_factory(referral_code="ROOT", **top)
    anna = partner_factory(root, referral_code="ANNA", saleor_user_id=ANNA_USER, **top)
    bert = partner_factory(root, referral_code="BERT", **top)
    split_agreement_factory(anna, "0.2")
    leaders = [partner_factory(anna, **top) for _ in range(3)]
    for i in range(57):
        partner = partner_factory(leaders[i % 3], last_name="Muster", first_name=f"P{i:03d}")
        customer_factory(partner)
        customer_factory(partner)
        if i % 2 == 0:
            care_assignment_factory(partner, bert, share=None if i % 4 else "0.1")
    return anna


def count_queries(gql, query, variables, as_, live_reads=None, live_calls=1) -> int:
    """Queries of one request (after a first one: a process loads the live network once),
    without those of bringing the live state up to date (`live_calls` times a request)."""
    gql(query, variables, as_=as_)
    live = dict(live_reads or {"calls": 0, "queries": 0})
    with CaptureQueriesContext(connection) as queries:
        result = gql(query, variables, as_=as_)
    assert result.errors == []
    if live_reads is None:
        return len(queries)
    assert live_reads["calls"] - live["calls"] == live_calls
    return len(queries) - (live_reads["queries"] - live["queries"])


def test_merchant_list_queries_do_not_grow_with_the_page(gql, dashboard, wide_network):
    merchant = dashboard("MANAGE_USERS")

    small = count_queries(gql, PARTNERS_WITH_RELATIONS, {"first": 5}, merchant)
    large = count_queries(gql, PARTNERS_WITH_RELATIONS, {"first": 50}, merchant)

    # installation; page and count; care in force; customers' first pages and counts;
    # frontlines' first pages and counts; sponsors; their sponsors; Betreuer; cared nodes
    # and their sponsors' split agreements (for effectiveShare).
    assert small == large == 13


def test_storefront_downline_queries_do_not_grow_with_the_page(gql, storefront, wide_network, live_reads):
    anna = storefront(ANNA_USER)

    # Nothing changed since the first request: the network version says so, and the live
    # state is not asked (live_calls=0).
    small = count_queries(gql, DOWNLINE_WITH_RELATIONS, {"first": 5}, anna, live_reads, live_calls=0)
    large = count_queries(gql, DOWNLINE_WITH_RELATIONS, {"first": 50}, anna, live_reads, live_calls=0)

    # installation; the viewer as partner (the customer side is not asked for); the network
    # version; the downline page (walk and count in memory); sponsors;
    # customers' counts (their edges are not asked for, so not fetched); care in force;
    # Betreuer (whether they are below the viewer is answered in memory).
    assert small == large == 8


# --- periods -------------------------------------------------------------------------

DOWNLINE_WITH_FIGURES = """
query Downline($first: Int!, $period: String) {
  me {
    partner {
      nextRank { nextRank { code name } requirements { kind actual } }
      downline(first: $first) {
        edges {
          node {
            referralCode
            volumes { pv gv paidAsRank { name } }
            closed: volumes(period: $period) { pv paidAsRank { name } }
            paidAsRank { code name }
            careerRank { code }
            nextRank { nextRank { code } }
            commissions(period: $period) { total }
          }
        }
      }
    }
  }
}
"""

PERIODS_WITH_RUNS = """
query Periods($first: Int!) {
  periods(first: $first) {
    totalCount
    edges {
      node {
        label status
        planVersion { name ranks { name } }
        run { status percent }
        standingRun { kind }
        closeRun { status }
        statistics { partners total paidAsRanks { rank { name } count } }
      }
    }
  }
}
"""

STATEMENTS_PAGE = """
query Statements($period: String!, $first: Int!) {
  statements(period: $period, first: $first, sortBy: {field: TOTAL, direction: DESC}) {
    totalCount
    edges { node { partner { referralCode sponsor { referralCode } } pv paidAsRank { name } total paid carriedForward balance { reason } } }
  }
}
"""


@pytest.fixture
def wide_periods(wide_network, gql_installation, plan_version_factory, month, volume, close_and_run):
    """`wide_network` with the example plan, last month closed, this month open; every
    partner bought something in both."""
    from saleor_mlm.network.models import Partner

    plan_version_factory(GRAPHQL_PLAN, installation=gql_installation)
    today = datetime.date.today().replace(day=1)
    last = month(f"{(today - datetime.timedelta(days=1)):%Y-%m}", installation=gql_installation)
    current = month(f"{today:%Y-%m}", installation=gql_installation)
    for i, partner in enumerate(Partner.objects.filter(installation=gql_installation).order_by("pk")):
        volume(partner, last, 40 + 7 * i)
        volume(partner, current, 60 + 11 * i)
    run = close_and_run(last, installation=gql_installation)
    return last, current, run


def test_storefront_downline_with_figures_does_not_grow_with_the_page(gql, storefront, wide_periods, live_reads):
    anna = storefront(ANNA_USER)
    last, _, _ = wide_periods
    variables = {"period": last.label}

    # The live state is read for the live volumes of the page and the next-rank reports of
    # the viewer and of the page (two batches: the viewer is resolved before its downline
    # is known); the downline index checks the network version instead.
    small = count_queries(gql, DOWNLINE_WITH_FIGURES, {**variables, "first": 5}, anna, live_reads, live_calls=3)
    large = count_queries(gql, DOWNLINE_WITH_FIGURES, {**variables, "first": 50}, anna, live_reads, live_calls=3)

    # installation; the viewer as partner; the network version; the plan in force for each batch
    # of next-rank reports (2) and for rank names (1); the downline page; the open period
    # (live's current period, its row); last month by month, its standing run (the
    # period, its close run), its rows for the page; the latest settled period (career
    # ranks) and its rows.
    assert small == large == 17


def test_me_next_rank_queries(gql, storefront, wide_periods, live_reads):
    query = "{ me { partner { nextRank { currentRank { name } nextRank { name } requirements { kind needed actual met legRank { name } } } } } }"

    queries = count_queries(gql, query, {}, storefront(ANNA_USER), live_reads)

    # installation; the viewer as partner; the plan in force (the report carries its
    # document for the rank names).
    assert queries == 3


def test_periods_with_runs_do_not_grow_with_the_page(gql, dashboard, wide_periods, gql_installation):
    from saleor_mlm.calendar import PeriodStatus
    from saleor_mlm.calendar.models import Period
    from saleor_mlm.periods.models import PeriodRun

    _, _, run = wide_periods
    for year in range(2015, 2020):
        for month_number in range(1, 13):
            period = Period.objects.create(
                installation=gql_installation, starts_on=datetime.date(year, month_number, 1), ends_on=datetime.date(year, month_number, 28), status=PeriodStatus.COMMITTED
            )
            copy = PeriodRun.objects.create(
                installation=gql_installation, period=period, kind=run.kind, status=run.status, phase=run.phase, percent=100,
                plan_version=run.plan_version, plan_document=run.plan_document, currency=run.currency, summary=run.summary,
            )  # fmt: skip
            Period.objects.filter(pk=period.pk).update(close_run=copy)
    merchant = dashboard("MANAGE_ORDERS")

    small = count_queries(gql, PERIODS_WITH_RUNS, {"first": 5}, merchant)
    large = count_queries(gql, PERIODS_WITH_RUNS, {"first": 50}, merchant)

    # installation; page and count; plan versions; latest runs; standing runs (periods,
    # close runs, previews); close runs.
    assert small == large == 9


def test_statements_do_not_grow_with_the_page(gql, dashboard, wide_periods):
    last, _, _ = wide_periods
    merchant = dashboard("MANAGE_ORDERS")

    small = count_queries(gql, STATEMENTS_PAGE, {"period": last.label, "first": 5}, merchant)
    large = count_queries(gql, STATEMENTS_PAGE, {"period": last.label, "first": 50}, merchant)

    # installation; the period by month; its standing run (the period, its close run);
    # page and count; partners; their sponsors; balances.
    assert small == large == 9
