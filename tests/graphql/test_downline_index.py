"""The downline index (network/tree.py) answers from the live network in memory; the
recursive SQL (network/downline.py) answers when the index is unavailable. Both give
the same pages, levels, counts and cursors; changes made through the API show at once."""

import datetime
import random

import pytest
from graphql_relay import to_global_id

from saleor_mlm.graphql.network import tree
from saleor_mlm.network import PartnerStatus
from tests.fixtures.graphql import ANNA_USER

GENEALOGY = """
query Genealogy($id: ID!, $depth: Int, $first: Int, $after: String, $last: Int, $before: String, $status: [PartnerStatusEnum!], $search: String) {
  genealogy(partnerId: $id, depth: $depth, first: $first, after: $after, last: $last, before: $before, status: $status, search: $search) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor level node { referralCode } }
  }
}
"""

DOWNLINE = """
query Downline($depth: Int, $first: Int, $after: String, $last: Int, $before: String, $status: [PartnerStatusEnum!], $search: String) {
  me { partner { downline(depth: $depth, first: $first, after: $after, last: $last, before: $before, status: $status, search: $search) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor level node { referralCode sponsor { referralCode } } }
  } } }
}
"""


@pytest.fixture
def random_network(gql_installation, partner_factory, care_assignment_factory):
    """120 partners under a root in a random tree; Anna (the 2nd) has a part of it below
    her by sponsor edges and more by Betreuer assignments (some of them ended)."""
    rng = random.Random(6)
    root = partner_factory(installation=gql_installation, referral_code="R000", last_name="Root")
    anna = partner_factory(root, referral_code="R001", saleor_user_id=ANNA_USER, first_name="Anna")
    partners = [root, anna]
    for i in range(2, 120):
        status = PartnerStatus.INACTIVE if i % 9 == 0 else PartnerStatus.ACTIVE
        partners.append(partner_factory(partners[rng.randrange(max(1, i - 30), i)], referral_code=f"R{i:03d}", status=status, first_name=f"N{i % 7}"))
    for i in range(12):
        node = partners[rng.randrange(40, 120)]
        if node.sponsor_id != anna.pk and not node.care_assignments.exists():
            ended = datetime.datetime(2021, 1, 1, tzinfo=datetime.UTC) if i % 4 == 0 else None
            care_assignment_factory(node, anna, share="0.2", valid_to=ended)
    return partners


def _unavailable(installation_id, context=None):
    raise tree.TreeUnavailable("forced by the test")


def _pages(gql, query, variables, as_, path, size, backwards=False):
    """Every page of a connection, following the cursors; [(edges, pageInfo, total)]."""
    pages, cursor = [], None
    while True:
        paging = {"last": size, "before": cursor} if backwards else {"first": size, "after": cursor}
        result = gql(query, {**variables, **paging}, as_=as_)
        assert result.errors == [], result.errors
        connection = result.data
        for key in path:
            connection = connection[key]
        pages.append(([(e["level"], e["node"]["referralCode"]) for e in connection["edges"]], connection["pageInfo"], connection["totalCount"]))
        more = connection["pageInfo"]["hasPreviousPage" if backwards else "hasNextPage"]
        if not more:
            return pages
        cursor = connection["pageInfo"]["startCursor" if backwards else "endCursor"]


CASES = [
    {},
    {"depth": 2},
    {"depth": 3, "status": ["ACTIVE"]},
    {"status": ["INACTIVE"]},
    {"search": "n3"},
    {"search": "r05"},  # a code that is nobody's: nothing
]


@pytest.mark.parametrize("variables", CASES, ids=lambda v: ",".join(v) or "all")
def test_memory_and_sql_answer_alike(gql, dashboard, storefront, random_network, variables, monkeypatch):
    merchant = dashboard("MANAGE_USERS")
    anna = storefront(ANNA_USER)
    root_id = to_global_id("Partner", random_network[0].pk)

    def answers():
        return (
            _pages(gql, GENEALOGY, {"id": root_id, **variables}, merchant, ["genealogy"], 7),
            _pages(gql, GENEALOGY, {"id": root_id, **variables}, merchant, ["genealogy"], 7, backwards=True),
            _pages(gql, DOWNLINE, variables, anna, ["me", "partner", "downline"], 5),
            _pages(gql, DOWNLINE, variables, anna, ["me", "partner", "downline"], 5, backwards=True),
        )

    from_memory = answers()
    assert random_network[0].installation_id in tree._indexes
    with monkeypatch.context() as patched:
        patched.setattr(tree, "tree_index", _unavailable)
        from_sql = answers()

    assert from_memory == from_sql
    forwards = [row for edges, _, _ in from_memory[2] for row in edges]
    backwards = [row for edges, _, _ in reversed(from_memory[3]) for row in edges]
    assert forwards == backwards
    assert forwards == sorted(forwards, key=lambda row: (row[0], int(row[1][1:])))
    assert len(forwards) == from_memory[2][0][2]


def test_levels_are_shortest_paths_over_both_edges(gql, storefront, sample_network, care_assignment_factory):
    """Carl is on level 2 under Anna by sponsor edges; a Betreuer assignment of Carl to
    Anna brings him to level 1 (his sponsor Ben stays on level 1)."""
    care_assignment_factory(sample_network["carl"], sample_network["anna"], share="0.5")

    result = gql(DOWNLINE, {}, as_=storefront(ANNA_USER))

    edges = result.data["me"]["partner"]["downline"]["edges"]
    assert [(e["level"], e["node"]["referralCode"]) for e in edges] == [(1, "BEN1"), (1, "CARL1"), (1, "DORA1"), (2, "EMIL1")]


def test_changes_through_the_api_show_on_the_next_request(gql, storefront, dashboard, sample_network):
    anna = storefront(ANNA_USER)
    merchant = dashboard("MANAGE_USERS")
    before = gql(DOWNLINE, {}, as_=anna).data["me"]["partner"]["downline"]["totalCount"]

    moved = gql(
        "mutation($id: ID!, $s: ID) { partnerChangeSponsor(id: $id, sponsorId: $s, reason: \"Umzug\") { errors { code } } }",
        {"id": to_global_id("Partner", sample_network["frank"].pk), "s": to_global_id("Partner", sample_network["carl"].pk)},
        as_=merchant,
    )
    after = gql(DOWNLINE, {}, as_=anna).data["me"]["partner"]["downline"]

    assert moved.data["partnerChangeSponsor"]["errors"] == []
    assert (before, after["totalCount"]) == (4, 5)
    assert after["edges"][-1] == {"cursor": after["edges"][-1]["cursor"], "level": 3, "node": {"referralCode": "FRANK1", "sponsor": {"referralCode": "CARL1"}}}


def test_a_bad_cursor_is_a_paging_error(gql, storefront, sample_network):
    from saleor_mlm.graphql.core.connection import encode_cursor

    result = gql(DOWNLINE, {"after": encode_cursor(["x", 1])}, as_=storefront(ANNA_USER))

    assert result.error_codes == ["INVALID_PAGINATION"]


def test_the_index_is_kept_until_the_partners_change(gql, storefront, sample_network, customer_factory):
    anna = storefront(ANNA_USER)
    gql(DOWNLINE, {}, as_=anna)
    index = tree._indexes[sample_network["anna"].installation_id]

    customer_factory(sample_network["ben"])  # a new customer: partners unchanged
    gql(DOWNLINE, {}, as_=anna)
    kept = tree._indexes[sample_network["anna"].installation_id]

    assert kept is index


def test_rows_written_without_the_actions_show_on_the_next_request(gql, storefront, sample_network, partner_factory, care_assignment_factory):
    """The network version also watches the tables' highest ids (imports, the admin)."""
    anna = storefront(ANNA_USER)
    assert gql(DOWNLINE, {}, as_=anna).data["me"]["partner"]["downline"]["totalCount"] == 4

    partner_factory(sample_network["carl"], referral_code="NEU1")
    after_partner = gql(DOWNLINE, {}, as_=anna).data["me"]["partner"]["downline"]["totalCount"]
    care_assignment_factory(sample_network["frank"], sample_network["ben"], share="0.1")
    after_care = gql(DOWNLINE, {}, as_=anna).data["me"]["partner"]["downline"]["totalCount"]

    assert (after_partner, after_care) == (5, 6)


def test_a_betreuer_starting_later_counts_from_its_start(gql, storefront, sample_network, care_assignment_factory, monkeypatch):
    """The index is as fresh as the next start or end of a care assignment."""
    import datetime

    from django.utils import timezone

    start = timezone.now() + datetime.timedelta(hours=1)
    care_assignment_factory(sample_network["frank"], sample_network["ben"], share="0.1", valid_from=start)
    anna = storefront(ANNA_USER)
    before = gql(DOWNLINE, {}, as_=anna).data["me"]["partner"]["downline"]["totalCount"]

    later = start + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    after = gql(DOWNLINE, {}, as_=anna).data["me"]["partner"]["downline"]["totalCount"]

    assert (before, after) == (4, 5)
