"""The merchant's period queries: periods with runs and statistics, statements (also as
CSV), plan versions, runs, adjustments, overrides, holds; each in the four cases."""

import csv
import io

import pytest
from django.core import signing
from graphql_relay import to_global_id

from saleor_mlm.payouts.actions import add_adjustment, place_payout_hold
from saleor_mlm.periods.models import PartnerPeriodResult
from saleor_mlm.periods.ranks import set_rank_override
from saleor_mlm.statements.exports import SUMMARY_COLUMNS
from tests.fixtures.graphql import ANNA_USER

PERIODS = """
query Periods($first: Int) {
  periods(first: $first) {
    totalCount
    edges {
      node {
        label startsOn endsOn status statusName de: statusName(languageCode: DE) closedBy
        planVersion { name displayName de: displayName(languageCode: DE) status ranks { code name } }
        run { kind status phase phaseName percent error }
        standingRun { kind }
        closeRun { kind status }
        statistics {
          currency partners active inactive terminated qualified notQualified enrollments newCustomers
          paidAsRanks { rank { code } count } careerRanks { rank { code } count }
          pv bv total payoutRatio bonuses { kind amount }
          balances { partners payable paid carriedForward reasons { reason count } }
        }
        summary
      }
    }
  }
}
"""


@pytest.fixture
def accountant(dashboard):
    return dashboard("MANAGE_ORDERS")


def gid(node) -> str:
    return to_global_id(type(node).__name__, node.pk)


def test_periods_newest_first_with_runs_and_statistics(gql, accountant, period_network):
    run = period_network.close_run
    rows = PartnerPeriodResult.objects.filter(run=run)

    result = gql(PERIODS, as_=accountant)

    assert result.errors == []
    assert result.data["periods"]["totalCount"] == 2
    this_month, last_month = (edge["node"] for edge in result.data["periods"]["edges"])
    assert (this_month["label"], this_month["status"], this_month["statusName"], this_month["de"]) == (
        period_network.this_month.label,
        "OPEN",
        "Open",
        "Offen",
    )
    assert (this_month["run"], this_month["standingRun"], this_month["statistics"], this_month["summary"]) == (None, None, None, None)
    assert last_month["status"] == "CLOSED" and last_month["closedBy"] == "closer@example.com"
    assert last_month["planVersion"] == {
        "name": "Example career plan",
        "displayName": "Example career plan",
        "de": "Beispiel-Karriereplan",
        "status": "ACTIVE",
        "ranks": [{"code": "partner", "name": "Partner"}, {"code": "consultant", "name": "Consultant"}, {"code": "manager", "name": "Manager"}],
    }
    assert last_month["run"] == {"kind": "CLOSE", "status": "SUCCEEDED", "phase": "DONE", "phaseName": "Done", "percent": 100, "error": None}
    assert last_month["standingRun"] == {"kind": "CLOSE"} and last_month["closeRun"] == {"kind": "CLOSE", "status": "SUCCEEDED"}
    stats = last_month["statistics"]
    assert (stats["currency"], stats["partners"], stats["active"], stats["inactive"], stats["terminated"]) == ("EUR", 8, 8, 0, 0)
    assert stats["qualified"] == rows.filter(qualified=True).count()
    assert stats["qualified"] + stats["notQualified"] == 8
    assert stats["pv"] == "1300.00"  # everybody's own PV of last month
    assert sum(item["count"] for item in stats["paidAsRanks"]) == rows.exclude(paid_as_rank="").count()
    assert stats["total"] == run.summary["totals"]["total"]
    assert stats["payoutRatio"] == run.summary["statistics"]["payout_ratio"]
    assert stats["balances"]["partners"] == run.summary["balances"]["partners"]
    assert last_month["summary"] == run.summary


STATEMENTS = """
query Statements($period: String!, $first: Int, $after: String, $search: String, $sortBy: StatementSortingInput) {
  statements(period: $period, first: $first, after: $after, search: $search, sortBy: $sortBy) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { partner { referralCode email } pv gv qualified paidAsRank { code } total paid carriedForward bonuses { kind amount } } }
  }
}
"""


def test_statements_of_a_period_sorted_searched_and_paged(gql, accountant, period_network):
    label = period_network.last_month.label
    rows = PartnerPeriodResult.objects.filter(run=period_network.close_run)

    by_total = gql(STATEMENTS, {"period": label, "sortBy": {"field": "TOTAL", "direction": "DESC"}, "first": 3}, as_=accountant)
    following = gql(STATEMENTS, {"period": label, "sortBy": {"field": "TOTAL", "direction": "DESC"}, "first": 10, "after": by_total.data["statements"]["pageInfo"]["endCursor"]}, as_=accountant)
    searched = gql(STATEMENTS, {"period": label, "search": "anna"}, as_=accountant)
    open_month = gql(STATEMENTS, {"period": period_network.this_month.label}, as_=accountant)

    assert by_total.errors == []
    totals = [float(edge["node"]["total"]) for edge in by_total.data["statements"]["edges"] + following.data["statements"]["edges"]]
    assert totals == sorted(totals, reverse=True) and len(totals) == rows.count() == 8
    assert by_total.data["statements"]["totalCount"] == 8
    anna = searched.data["statements"]["edges"]
    assert [edge["node"]["partner"] for edge in anna] == [{"referralCode": "ANNA1", "email": "anna@example.com"}]
    row = rows.get(partner=period_network["anna"])
    assert anna[0]["node"]["pv"] == str(row.pv) and anna[0]["node"]["total"] == str(row.total.quantize(row.pv))
    assert open_month.data["statements"] is None  # no preview yet


def test_statements_as_csv_text_and_download(gql, accountant, period_network, client, settings):
    query = 'query($id: ID!) { period(id: $id) { statementsCsv statementsCsvUrl } }'

    result = gql(query, {"id": gid(period_network.last_month)}, as_=accountant)

    text, url = result.data["period"]["statementsCsv"], result.data["period"]["statementsCsvUrl"]
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == SUMMARY_COLUMNS and len(rows) == 9
    assert url.startswith("http://testserver/graphql/exports/statements/")
    download = client.get(url.removeprefix("http://testserver"))
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="statements-{period_network.last_month.label}.csv"'
    assert b"".join(download.streaming_content).decode() == text
    settings.GRAPHQL_EXPORT_LINK_SECONDS = -1
    assert client.get(url.removeprefix("http://testserver")).status_code == 404
    forged = signing.dumps({"installation": period_network.last_month.installation_id, "period": period_network.last_month.pk}, salt="other")
    assert client.get(f"/graphql/exports/statements/{forged}/").status_code == 404


def test_statement_of_a_partner_with_the_override_reason(gql, accountant, period_network, preview_and_run, gql_installation):
    this_month = period_network.this_month
    set_rank_override(gql_installation, period_network["anna"], this_month, "manager", "Messe-Aktion", "chef@example.com", "staff@example.com")
    preview_and_run(this_month, installation=gql_installation)
    query = "query($p: String!, $id: ID!) { statement(period: $p, partnerId: $id) { runKind total overrideReason paidAsRank { code } calculatedRank { code } partner { referralCode } period { label } } }"

    previewed = gql(query, {"p": this_month.label, "id": gid(period_network["anna"])}, as_=accountant)
    closed = gql(query, {"p": period_network.last_month.label, "id": gid(period_network["anna"])}, as_=accountant)
    no_period = gql(query, {"p": "2019-01", "id": gid(period_network["anna"])}, as_=accountant)

    statement = previewed.data["statement"]
    assert (statement["runKind"], statement["overrideReason"]) == ("PREVIEW", "Messe-Aktion")
    assert (statement["paidAsRank"], statement["calculatedRank"]) == ({"code": "manager"}, {"code": "consultant"})
    assert statement["partner"] == {"referralCode": "ANNA1"} and statement["period"] == {"label": this_month.label}
    assert closed.data["statement"]["runKind"] == "CLOSE" and closed.data["statement"]["overrideReason"] is None
    assert no_period.data["statement"] is None


def test_statistics_of_a_range(gql, accountant, period_network):
    label = period_network.last_month.label

    result = gql("query($f: String, $t: String) { statistics(fromMonth: $f, toMonth: $t) { period { label } partners total } }", {"f": label, "t": label}, as_=accountant)
    none = gql('{ statistics(fromMonth: "2019-01", toMonth: "2019-12") { partners } }', as_=accountant)

    assert result.data["statistics"] == [{"period": {"label": label}, "partners": 8, "total": period_network.close_run.summary["totals"]["total"]}]
    assert none.data["statistics"] == []


def test_plan_versions_runs_and_records(gql, accountant, period_network, plan_version_factory, gql_installation):
    draft = plan_version_factory({"currency": "EUR", "ranks": [{"code": "a", "difference_rate": "-1"}]}, name="Entwurf", active_from=None, installation=gql_installation)
    installation, anna = gql_installation, period_network["anna"]
    add_adjustment(installation, anna, period_network.this_month, "12.50", "Gutschrift", "chef@example.com", "staff@example.com")
    place_payout_hold(installation, anna, "Prüfung", "staff@example.com")
    set_rank_override(installation, anna, period_network.this_month, "manager", "Messe", "chef@example.com", "staff@example.com")
    query = """
    query($id: ID!) {
      planVersions(first: 5) { totalCount edges { node { name status isValid validationErrors { key message } inForceFrom } } }
      draft: planVersion(id: $id) { name currency isValid }
      periodRuns(first: 5) { totalCount edges { node { kind status period { label } planVersion { name } requestedBy statistics { partners } whatIf { difference } } } }
      adjustments(first: 5) { edges { node { partner { referralCode } period { label } amount reason approvedBy createdBy } } }
      payoutHolds(first: 5, filter: {active: true}) { edges { node { partner { referralCode } reason active startsOn endsOn } } }
      rankOverrides(first: 5) { edges { node { partner { referralCode } rank { code name } reason approvedBy } } }
    }
    """

    result = gql(query, {"id": gid(draft)}, as_=accountant)

    assert result.errors == []
    data = result.data
    assert data["planVersions"]["edges"][0]["node"] == {
        "name": "Entwurf",
        "status": "DRAFT",
        "isValid": False,
        "validationErrors": [{"key": "ranks[0].difference_rate", "message": "negative rate -1"}],
        "inForceFrom": None,
    }
    assert data["planVersions"]["edges"][1]["node"]["inForceFrom"] == "2020-01-01"
    assert data["draft"] == {"name": "Entwurf", "currency": "EUR", "isValid": False}
    assert data["periodRuns"]["edges"][0]["node"] == {
        "kind": "CLOSE",
        "status": "SUCCEEDED",
        "period": {"label": period_network.last_month.label},
        "planVersion": {"name": "Example career plan"},
        "requestedBy": "closer@example.com",
        "statistics": {"partners": 8},
        "whatIf": None,
    }
    assert data["adjustments"]["edges"] == [
        {"node": {"partner": {"referralCode": "ANNA1"}, "period": {"label": period_network.this_month.label}, "amount": "12.50", "reason": "Gutschrift", "approvedBy": "chef@example.com", "createdBy": "staff@example.com"}}
    ]
    assert data["payoutHolds"]["edges"][0]["node"]["active"] is True
    assert data["rankOverrides"]["edges"] == [
        {"node": {"partner": {"referralCode": "ANNA1"}, "rank": {"code": "manager", "name": "Manager"}, "reason": "Messe", "approvedBy": "chef@example.com"}}
    ]


def test_ids_of_another_shop_are_not_found(gql, accountant, period_network, installation_factory, month):
    other = month("2026-01", installation=installation_factory())

    result = gql("query($id: ID!) { period(id: $id) { label } }", {"id": gid(other)}, as_=accountant)

    assert result.data == {"period": None}


# --- four cases for every root query ----------------------------------------------------

ROOT_QUERIES = {
    "periods": ("{ periods { totalCount } }", lambda n: {}),
    "period": ("query($m: String) { period(month: $m) { label } }", lambda n: {"m": n.last_month.label}),
    "periodRun": ("query($id: ID!) { periodRun(id: $id) { percent } }", lambda n: {"id": gid(n.close_run)}),
    "periodRuns": ("{ periodRuns { totalCount } }", lambda n: {}),
    "planVersions": ("{ planVersions { totalCount } }", lambda n: {}),
    "planVersion": ("query($id: ID!) { planVersion(id: $id) { name } }", lambda n: {"id": gid(n.plan)}),
    "statistics": ("{ statistics { partners } }", lambda n: {}),
    "statements": ("query($p: String!) { statements(period: $p) { totalCount } }", lambda n: {"p": n.last_month.label}),
    "statement": ("query($p: String!, $id: ID!) { statement(period: $p, partnerId: $id) { total } }", lambda n: {"p": n.last_month.label, "id": gid(n["bert"])}),
    "adjustments": ("{ adjustments { totalCount } }", lambda n: {}),
    "rankOverrides": ("{ rankOverrides { totalCount } }", lambda n: {}),
    "payoutHolds": ("{ payoutHolds { totalCount } }", lambda n: {}),
}


@pytest.mark.parametrize("query", ROOT_QUERIES)
@pytest.mark.parametrize("who", ["anonymous", "storefront", "dashboard_without", "dashboard_with"])
def test_period_queries_in_four_cases(gql, four_requestors, request, query, who):
    document, variables = ROOT_QUERIES[query]
    # Figures of a real close run for the allowed case; a denied one never reads them.
    net = request.getfixturevalue("period_network" if who == "dashboard_with" else "period_network_not_run")

    result = gql(document, variables(net), as_=four_requestors("MANAGE_ORDERS")[who])

    if who == "dashboard_with":
        assert result.errors == []
        assert result.data[query] is not None
    else:
        assert result.data == {query: None} or result.data is None
        assert result.error_codes == ["PERMISSION_DENIED"]


def test_manage_users_is_not_enough(gql, dashboard, period_network_not_run):
    result = gql("{ periods { totalCount } }", as_=dashboard("MANAGE_USERS"))

    assert result.error_codes == ["PERMISSION_DENIED"]
    assert result.errors[0]["extensions"]["permissions"] == ["MANAGE_ORDERS"]


@pytest.mark.parametrize("query", ["statement", "statements", "periods"])
def test_a_partner_cannot_read_another_line(gql, storefront, period_network_not_run, query):
    """Anna, logged in to the storefront, asks for Bert's statement or everyone's: refused."""
    document, variables = ROOT_QUERIES[query]

    result = gql(document, variables(period_network_not_run), as_=storefront(ANNA_USER, "anna@example.com"))

    assert result.error_codes == ["PERMISSION_DENIED"]
