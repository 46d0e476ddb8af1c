"""The period fields of partners: ranks, the next-rank report, volumes (live in the open
period, stored for a closed one), commissions and statements; who sees which."""

import pytest
from graphql_relay import to_global_id

from saleor_mlm.payouts.models import PartnerBalance
from saleor_mlm.periods.models import PartnerPeriodResult
from tests.fixtures.graphql import ANNA_USER, BERT_USER

ME_FIGURES = """
query Me($period: String) {
  me {
    partner {
      referralCode
      paidAsRank { code name }
      careerRank { code name }
      volumes { period live pv gv ov qualified paidAsRank { code } }
      closed: volumes(period: $period) { period periodStatus live pv gv ov qualified paidAsRank { code } asOf }
      nextRank {
        active qualified
        currentRank { code name }
        nextRank { code name }
        requirements { kind needed actual missing met legRank { code } legCap }
      }
    }
  }
}
"""


def gid(node) -> str:
    return to_global_id(type(node).__name__, node.pk)


def test_me_with_ranks_volumes_and_next_rank(gql, storefront, period_network):
    last = period_network.last_month
    stored = PartnerPeriodResult.objects.get(run=period_network.close_run, partner=period_network["anna"])

    result = gql(ME_FIGURES, {"period": last.label}, as_=storefront(ANNA_USER))

    assert result.errors == []
    partner = result.data["me"]["partner"]
    # This month: PV 120 + Kunde 100; GV + Ben's line 1500 + 700 + 0.3 of Dora's 1000 + 200.
    assert partner["volumes"] == {
        "period": period_network.this_month.label,
        "live": True,
        "pv": "220.00",
        "gv": "2780.00",
        "ov": "2780.00",
        "qualified": True,
        "paidAsRank": {"code": "consultant"},
    }
    assert partner["paidAsRank"] == {"code": "consultant", "name": "Consultant"}
    # Last month: GV 150 + 500 + 0.3 * 500 = 800, below the consultant's 1000.
    assert partner["careerRank"] == {"code": "partner", "name": "Partner"} == {"code": stored.career_rank, "name": "Partner"}
    closed = partner["closed"]
    assert (closed["period"], closed["periodStatus"], closed["live"], closed["asOf"]) == (last.label, "CLOSED", False, None)
    assert (closed["pv"], closed["gv"], closed["ov"]) == (str(stored.pv), str(stored.gv), str(stored.ov))
    assert closed["paidAsRank"] == ({"code": stored.paid_as_rank} if stored.paid_as_rank else None)
    assert partner["nextRank"] == {
        "active": True,
        "qualified": True,
        "currentRank": {"code": "consultant", "name": "Consultant"},
        "nextRank": {"code": "manager", "name": "Manager"},
        "requirements": [
            {"kind": "QUALIFYING_PV", "needed": "50.00", "actual": "220.00", "missing": "0.00", "met": True, "legRank": None, "legCap": None},
            {"kind": "MIN_PV", "needed": "100.00", "actual": "220.00", "missing": "0.00", "met": True, "legRank": None, "legCap": None},
            # Ben's line counts with at most half of 4000: 220 + 2000 + 0.3 * 1200.
            {"kind": "MIN_GV", "needed": "4000.00", "actual": "2580.00", "missing": "1420.00", "met": False, "legRank": None, "legCap": "2000.00"},
            {"kind": "MIN_OV", "needed": "1500.00", "actual": "2780.00", "missing": "0.00", "met": True, "legRank": None, "legCap": None},
            # Legs follow sponsor edges: Ben's line holds a consultant; Dora is looked after, not a leg.
            {"kind": "MIN_LEGS", "needed": "2", "actual": "1", "missing": "1", "met": False, "legRank": {"code": "consultant"}, "legCap": None},
        ],
    }


def test_rank_names_follow_the_language(gql, storefront, period_network):
    query = "{ me { partner { paidAsRank { code name en: name(languageCode: EN) } nextRank { nextRank { name } requirements { kind } } } } }"

    result = gql(query, as_=storefront(ANNA_USER), headers={"HTTP_ACCEPT_LANGUAGE": "de-DE,de;q=0.9"})

    partner = result.data["me"]["partner"]
    assert partner["paidAsRank"] == {"code": "consultant", "name": "Berater", "en": "Consultant"}
    # The plan document names "manager" itself: {de: Geschäftsführer, en: Manager}.
    assert partner["nextRank"]["nextRank"] == {"name": "Geschäftsführer"}


MY_MONEY = """
query Money($period: String!) {
  me {
    partner {
      commissions(period: $period) {
        period { label } runKind currency pv qualified paidAsRank { code } rankOverridden
        bonuses { kind kindName kindNameDe: kindName(languageCode: DE) amount } total paid carriedForward
        balance { earned adjustments carriedIn payable paid carriedForward reason }
      }
      statement(period: $period) {
        runKind currency total paidAsRank { code }
        bonuses { kind amount lineTotal lines { sourceType sourceName sourceCode level volume rate amount } }
        carriedIn payable paid carriedForward balanceReason overrideReason linesCsv
      }
      statements(first: 5) { totalCount edges { node { period { label } runKind total } } }
    }
  }
}
"""


def test_a_partner_sees_its_own_money(gql, storefront, period_network):
    run = period_network.close_run
    row = PartnerPeriodResult.objects.get(run=run, partner=period_network["anna"])
    balance = PartnerBalance.objects.filter(period=period_network.last_month, partner=period_network["anna"]).first()

    result = gql(MY_MONEY, {"period": period_network.last_month.label}, as_=storefront(ANNA_USER))

    assert result.errors == []
    commissions = result.data["me"]["partner"]["commissions"]
    assert commissions["period"] == {"label": period_network.last_month.label}
    assert (commissions["runKind"], commissions["currency"], commissions["pv"]) == ("CLOSE", "EUR", str(row.pv))
    assert commissions["total"] == str(row.total.quantize(row.total.__class__("0.01")))
    assert {bonus["kind"]: bonus["amount"] for bonus in commissions["bonuses"]} == {
        kind.upper(): str(getattr(row, f"{kind}_bonus").quantize(row.total.__class__("0.01")))
        for kind in ("customer", "level", "difference", "generation", "advancement")
    }
    assert commissions["bonuses"][1]["kindName"] == "Level bonus"
    assert commissions["bonuses"][1]["kindNameDe"] == "Ebenenbonus"
    # Below the minimum payout (25.00 by default) the money is carried forward.
    expected_balance = balance.carried_forward if balance else row.total
    assert commissions["carriedForward"] == commissions["balance"]["carriedForward"] == str(expected_balance.quantize(row.total.__class__("0.01")))
    statement = result.data["me"]["partner"]["statement"]
    assert (statement["runKind"], statement["total"]) == ("CLOSE", commissions["total"])
    assert sum(float(bonus["amount"]) for bonus in statement["bonuses"]) == pytest.approx(float(statement["total"]))
    level = next(bonus for bonus in statement["bonuses"] if bonus["kind"] == "LEVEL")
    assert {line["sourceCode"] for line in level["lines"]} == {"BEN1", "DORA1"}
    assert statement["overrideReason"] is None
    assert statement["linesCsv"].splitlines()[0] == "bonus,source_id,source_type,source_name,source_code,level,volume,rate,amount"
    statements = result.data["me"]["partner"]["statements"]
    assert statements["totalCount"] == 1
    assert statements["edges"][0]["node"] == {"period": {"label": period_network.last_month.label}, "runKind": "CLOSE", "total": commissions["total"]}


DOWNLINE_FIGURES = """
query Downline($period: String) {
  me {
    partner {
      sponsor { referralCode volumes { pv } paidAsRank { code } careerRank { code } nextRank { period } commissions(period: $period) { total } }
      downline(first: 10) {
        edges {
          node {
            referralCode
            volumes { pv gv }
            closed: volumes(period: $period) { pv }
            paidAsRank { code }
            nextRank { nextRank { code } }
            commissions(period: $period) { pv total }
            statement(period: $period) { total }
            statements { totalCount }
            sponsor { referralCode volumes { pv } paidAsRank { code } }
          }
        }
      }
    }
  }
}
"""


def test_the_upline_sees_volumes_and_ranks_of_its_downline_never_money(gql, storefront, period_network):
    result = gql(DOWNLINE_FIGURES, {"period": period_network.last_month.label}, as_=storefront(ANNA_USER))

    assert result.errors == []
    partner = result.data["me"]["partner"]
    # Her sponsor is outside her lines: the public profile only.
    assert partner["sponsor"] == {"referralCode": "ROOT1", "volumes": None, "paidAsRank": None, "careerRank": None, "nextRank": None, "commissions": None}
    nodes = {edge["node"]["referralCode"]: edge["node"] for edge in partner["downline"]["edges"]}
    assert nodes["BEN1"]["volumes"] == {"pv": "1500.00", "gv": "2200.00"}
    assert nodes["BEN1"]["closed"] == {"pv": "300.00"}
    assert nodes["BEN1"]["paidAsRank"] == {"code": "consultant"}
    assert nodes["BEN1"]["nextRank"] == {"nextRank": {"code": "manager"}}
    for node in nodes.values():
        assert (node["commissions"], node["statement"], node["statements"]) == (None, None, None)
    # Dora is looked after by Anna; her sponsor Bert is in another line: public profile.
    assert nodes["DORA1"]["volumes"] == {"pv": "1000.00", "gv": "1200.00"}
    assert nodes["DORA1"]["sponsor"] == {"referralCode": "BERT1", "volumes": None, "paidAsRank": None}


def test_partner_b_sees_its_own_line_not_anna(gql, storefront, period_network):
    """Bert's line holds Dora (his recruit, looked after by Anna): he sees her figures; Anna,
    in another line, stays a public profile to him, and Anna's money is hers."""
    query = "{ me { partner { referralCode downline { edges { node { referralCode volumes { pv } } } } } } }"

    bert = gql(query, as_=storefront(BERT_USER)).data["me"]["partner"]
    care = gql(
        '{ me { partner { downline(search: "dora") { edges { node { care { carePartner { referralCode volumes { pv } commissions { total } } } } } } } } }',
        as_=storefront(BERT_USER),
    )

    assert {edge["node"]["referralCode"]: edge["node"]["volumes"] for edge in bert["downline"]["edges"]} == {
        "DORA1": {"pv": "1000.00"},
        "FRANK1": {"pv": "0.00"},
        "EMIL1": {"pv": "200.00"},
    }
    assert care.data["me"]["partner"]["downline"]["edges"][0]["node"]["care"]["carePartner"] == {
        "referralCode": "ANNA1",
        "volumes": None,
        "commissions": None,
    }


PARTNER_FIGURES = """
query Partner($id: ID!, $period: String) {
  partner(id: $id) { referralCode volumes { pv } commissions(period: $period) { total } statement(period: $period) { total } }
}
"""


@pytest.mark.parametrize("who", ["manage_users", "both", "api_key"])
def test_the_merchant_needs_manage_orders_for_figures(gql, dashboard, api_key, period_network, who):
    requestor = {
        "manage_users": lambda: dashboard("MANAGE_USERS"),
        "both": lambda: dashboard("MANAGE_USERS", "MANAGE_ORDERS"),
        "api_key": api_key,
    }[who]()

    result = gql(PARTNER_FIGURES, {"id": gid(period_network["anna"]), "period": period_network.last_month.label}, as_=requestor)

    partner = result.data["partner"]
    assert partner["referralCode"] == "ANNA1"
    if who == "manage_users":
        assert (partner["volumes"], partner["commissions"], partner["statement"]) == (None, None, None)
        assert result.error_codes == ["PERMISSION_DENIED"] * 3
    else:
        assert result.errors == []
        assert partner["volumes"] == {"pv": "220.00"}
        assert partner["commissions"]["total"] == partner["statement"]["total"]


def test_period_arguments(gql, storefront, period_network):
    anna = storefront(ANNA_USER)

    no_period = gql('{ me { partner { volumes(period: "2019-01") { pv } commissions(period: "2019-01") { total } } } }', as_=anna)
    by_id = gql(
        "query($p: String) { me { partner { volumes(period: $p) { period live } } } }",
        {"p": to_global_id("Period", period_network.last_month.pk)},
        as_=anna,
    )
    bad = gql('{ me { partner { volumes(period: "last month") { pv } } } }', as_=anna)

    assert no_period.data["me"]["partner"] == {"volumes": None, "commissions": None}
    assert by_id.data["me"]["partner"]["volumes"] == {"period": period_network.last_month.label, "live": False}
    assert bad.error_codes == ["INVALID_ARGUMENT"]


def test_without_a_plan_there_is_no_rank(gql, storefront, sample_network):
    result = gql("{ me { partner { paidAsRank { code } careerRank { code } nextRank { period } volumes { pv qualified } } } }", as_=storefront(ANNA_USER))

    assert result.errors == []
    assert result.data["me"]["partner"] == {"paidAsRank": None, "careerRank": None, "nextRank": None, "volumes": {"pv": "0.00", "qualified": None}}


@pytest.mark.parametrize("who", ["anonymous", "storefront", "dashboard_without", "dashboard_with", "anna"])
def test_own_money_in_the_four_cases_and_for_the_partner(gql, four_requestors, storefront, period_network, who):
    """`me` is the logged-in user: only a partner gets its money, nobody else anyone's."""
    query = "query($p: String) { me { partner { commissions(period: $p) { total } statements { totalCount } } } }"
    requestor = storefront(ANNA_USER) if who == "anna" else four_requestors("MANAGE_ORDERS")[who]

    result = gql(query, {"p": period_network.last_month.label}, as_=requestor)

    assert result.errors == []
    if who == "anna":
        assert result.data["me"]["partner"]["statements"] == {"totalCount": 1}
    elif who == "anonymous":
        assert result.data == {"me": None}
    else:
        assert result.data == {"me": {"partner": None}}


def test_a_partner_cannot_walk_from_its_figures_to_the_period(gql, storefront, period_network):
    """From its own statements a partner reaches the Period: month and status only, never
    the period's statements (everyone's money), statistics, runs or plan."""
    query = """
    { me { partner { statements(first: 1) { edges { node { period {
        label status closedBy planVersion { name } run { percent } statistics { total } summary
        statements(first: 1) { totalCount } statementsCsv statementsCsvUrl adjustments(first: 1) { totalCount } rankOverrides(first: 1) { totalCount }
    } statement { period { label statements(first: 1) { totalCount } } } } } } } } }
    """

    result = gql(query, as_=storefront(ANNA_USER))

    assert result.errors == []
    node = result.data["me"]["partner"]["statements"]["edges"][0]["node"]
    assert node["period"] == {
        "label": period_network.last_month.label,
        "status": "CLOSED",
        "closedBy": None,
        "planVersion": None,
        "run": None,
        "statistics": None,
        "summary": None,
        "statements": None,
        "statementsCsv": None,
        "statementsCsvUrl": None,
        "adjustments": None,
        "rankOverrides": None,
    }
    assert node["statement"]["period"] == {"label": period_network.last_month.label, "statements": None}
