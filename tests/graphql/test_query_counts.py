"""The number of SQL queries follows the shape of a query, never the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleor_mlm.periods import next_rank
from tests.fixtures.graphql import ANNA_USER

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
    """Counts the calls of the live network (`periods.next_rank.live_snapshot`) and the
    queries they make: bringing it up to date is `ledger.live`'s business (a few small
    queries, whatever the page), so the counts below leave them out."""
    calls = {"calls": 0, "queries": 0}
    original = next_rank.live_snapshot

    def counted(*args, **kwargs):
        before = len(connection.queries_log)
        try:
            return original(*args, **kwargs)
        finally:
            calls["calls"] += 1
            calls["queries"] += len(connection.queries_log) - before

    monkeypatch.setattr(next_rank, "live_snapshot", counted)
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


def count_queries(gql, query, variables, as_, live_reads=None) -> int:
    """Queries of one request (after a first one: a process loads the live network once),
    without those of bringing the live network up to date, which happens once."""
    gql(query, variables, as_=as_)
    live = dict(live_reads or {"calls": 0, "queries": 0})
    with CaptureQueriesContext(connection) as queries:
        result = gql(query, variables, as_=as_)
    assert result.errors == []
    if live_reads is None:
        return len(queries)
    assert live_reads["calls"] - live["calls"] == 1
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

    small = count_queries(gql, DOWNLINE_WITH_RELATIONS, {"first": 5}, anna, live_reads)
    large = count_queries(gql, DOWNLINE_WITH_RELATIONS, {"first": 50}, anna, live_reads)

    # installation; the viewer as partner and customer; (the live network brought up to
    # date, once); the downline page (its walk and count are in memory); sponsors;
    # customers' counts (their edges are not asked for, so not fetched); care in force;
    # Betreuer (whether they are below the viewer is answered in memory).
    assert small == large == 8
