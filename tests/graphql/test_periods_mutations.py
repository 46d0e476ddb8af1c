"""The periods' mutations: the lifecycle (preview, close with a run to poll, approve with
four eyes, reopen, commit), plan versions, adjustments, rank overrides, payout holds and
what-if; typed errors; the four permission cases with nothing written when denied."""

import pytest
from graphql_relay import to_global_id

from saleor_mlm.calendar.actions import get_period
from saleor_mlm.calendar.models import Period, PeriodEvent
from saleor_mlm.payouts.actions import place_payout_hold
from saleor_mlm.payouts.models import BalanceAdjustment, PartnerBalance, PayoutHold
from saleor_mlm.periods.actions import approve_period, reopen_period
from saleor_mlm.periods.models import PartnerPeriodResult, PeriodRun, RankOverride
from saleor_mlm.periods.ranks import set_rank_override
from saleor_mlm.plans.actions import create_plan_version
from saleor_mlm.plans.models import PlanVersion
from tests.fixtures.graphql import ANNA_USER, As
from tests.fixtures.periods import SIMPLE_PLAN

RUN = "run { id kind status phase percent }"
PERIOD = "period { label status }"
ERRORS = "errors { field code message }"

PERIOD_PREVIEW = f"mutation($id: ID!) {{ periodPreview(id: $id) {{ {ERRORS} {PERIOD} {RUN} }} }}"
PERIOD_CLOSE = f"mutation($id: ID!) {{ periodClose(id: $id) {{ {ERRORS} {PERIOD} {RUN} }} }}"
PERIOD_APPROVE = f"mutation($id: ID!) {{ periodApprove(id: $id) {{ {ERRORS} period {{ label status approvedBy }} {RUN} }} }}"
PERIOD_REOPEN = f"mutation($id: ID!, $reason: String!) {{ periodReopen(id: $id, reason: $reason) {{ {ERRORS} {PERIOD} }} }}"
PERIOD_COMMIT = f"mutation($id: ID!) {{ periodCommit(id: $id) {{ {ERRORS} period {{ label status committedBy }} }} }}"
PLAN = "planVersion { name status isValid validationErrors { key message } inForceFrom ranks { code } }"
PLAN_CREATE = f"mutation($input: PlanVersionInput!) {{ planVersionCreate(input: $input) {{ {ERRORS} {PLAN} }} }}"
PLAN_UPDATE = f"mutation($id: ID!, $input: PlanVersionInput!) {{ planVersionUpdate(id: $id, input: $input) {{ {ERRORS} {PLAN} }} }}"
PLAN_VALIDATE = f"mutation($id: ID, $doc: JSON, $text: String) {{ planVersionValidate(id: $id, document: $doc, documentText: $text) {{ {ERRORS} valid validationErrors {{ key message }} planVersion {{ name }} }} }}"
PLAN_ACTIVATE = f"mutation($id: ID!, $from: String!) {{ planVersionActivate(id: $id, inForceFrom: $from) {{ {ERRORS} {PLAN} }} }}"
PLAN_RETIRE = f"mutation($id: ID!) {{ planVersionRetire(id: $id) {{ {ERRORS} {PLAN} }} }}"
ADJUSTMENT_CREATE = f"mutation($input: AdjustmentCreateInput!) {{ adjustmentCreate(input: $input) {{ {ERRORS} adjustment {{ partner {{ referralCode }} period {{ label }} amount reason approvedBy createdBy }} }} }}"
RANK_OVERRIDE_SET = f"mutation($input: RankOverrideSetInput!) {{ rankOverrideSet(input: $input) {{ {ERRORS} rankOverride {{ id partner {{ referralCode }} rank {{ code name }} reason approvedBy createdBy }} }} }}"
RANK_OVERRIDE_REMOVE = f"mutation($id: ID!, $reason: String!) {{ rankOverrideRemove(id: $id, reason: $reason) {{ {ERRORS} removed }} }}"
PAYOUT_HOLD_SET = f"mutation($input: PayoutHoldSetInput!) {{ payoutHoldSet(input: $input) {{ {ERRORS} payoutHold {{ id partner {{ referralCode }} reason startsOn endsOn active }} }} }}"
PAYOUT_HOLD_RELEASE = f"mutation($id: ID!, $reason: String!) {{ payoutHoldRelease(id: $id, reason: $reason) {{ {ERRORS} payoutHold {{ active releasedBy releaseReason endsOn }} }} }}"
WHAT_IF_RUN = f"mutation($period: ID!, $plan: ID!, $top: Int) {{ whatIfRun(periodId: $period, planVersionId: $plan, top: $top) {{ {ERRORS} {RUN} }} }}"


def gid(node) -> str:
    return to_global_id(type(node).__name__, node.pk)


def periods_state() -> dict:
    """Every row the periods domain writes, to compare before and after a refused call."""
    models = (Period, PeriodRun, PlanVersion, RankOverride, BalanceAdjustment, PayoutHold, PartnerBalance, PeriodEvent)
    state = {model.__name__: list(model.objects.order_by("pk").values()) for model in models}
    state["results"] = PartnerPeriodResult.objects.count()
    return state


@pytest.fixture
def accountant(dashboard):
    return dashboard("MANAGE_ORDERS")


@pytest.fixture
def second_accountant(tokens, gql_installation):
    """Another staff user with MANAGE_ORDERS: approvals need a second person."""
    token = tokens.thirdparty(["MANAGE_ORDERS"], email="approver@example.com", user_id="VXNlcjoy")
    return As({"HTTP_AUTHORIZATION_BEARER": token, "HTTP_SALEOR_API_URL": gql_installation.saleor_api_url}, "approver")


def errors(result, name):
    return [(error["field"], error["code"]) for error in result.data[name]["errors"]]


# --- the lifecycle ---------------------------------------------------------------------


def test_reopen_close_poll_approve_commit(gql, accountant, second_accountant, period_network, django_capture_on_commit_callbacks):
    last = period_network.last_month

    reopened = gql(PERIOD_REOPEN, {"id": gid(last), "reason": "Nachbuchung"}, as_=accountant)
    with django_capture_on_commit_callbacks(execute=True):
        closed = gql(PERIOD_CLOSE, {"id": gid(last)}, as_=accountant)
    run_id = closed.data["periodClose"]["run"]["id"]
    polled = gql("query($id: ID!) { periodRun(id: $id) { kind status phase percent period { status } } }", {"id": run_id}, as_=accountant)
    same_person = gql(PERIOD_APPROVE, {"id": gid(last)}, as_=accountant)
    approved = gql(PERIOD_APPROVE, {"id": gid(last)}, as_=second_accountant)
    committed = gql(PERIOD_COMMIT, {"id": gid(last)}, as_=accountant)
    too_late = gql(PERIOD_REOPEN, {"id": gid(last), "reason": "noch mal"}, as_=accountant)

    assert reopened.data["periodReopen"] == {"errors": [], "period": {"label": last.label, "status": "OPEN"}}
    assert closed.data["periodClose"]["errors"] == []
    assert closed.data["periodClose"]["period"] == {"label": last.label, "status": "CLOSED"}
    assert closed.data["periodClose"]["run"]["kind"] == "CLOSE"
    assert polled.data["periodRun"] == {"kind": "CLOSE", "status": "SUCCEEDED", "phase": "DONE", "percent": 100, "period": {"status": "CLOSED"}}
    assert errors(same_person, "periodApprove") == [(None, "SAME_USER")]
    assert approved.data["periodApprove"]["errors"] == []
    assert approved.data["periodApprove"]["period"] == {"label": last.label, "status": "APPROVED", "approvedBy": "approver@example.com"}
    assert approved.data["periodApprove"]["run"]["id"] == run_id
    assert committed.data["periodCommit"] == {"errors": [], "period": {"label": last.label, "status": "COMMITTED", "committedBy": "staff@example.com"}}
    assert errors(too_late, "periodReopen") == [("id", "INVALID_STATUS")]


def test_close_refusals_are_typed(gql, accountant, period_network):
    this_month = period_network.this_month
    before = periods_state()

    not_ended = gql(PERIOD_CLOSE, {"id": gid(this_month)}, as_=accountant)
    unknown = gql(PERIOD_CLOSE, {"id": to_global_id("Period", 0)}, as_=accountant)
    wrong_type = gql(PERIOD_CLOSE, {"id": gid(period_network["anna"])}, as_=accountant)
    not_closed = gql(PERIOD_APPROVE, {"id": gid(this_month)}, as_=accountant)

    assert errors(not_ended, "periodClose") == [("id", "PERIOD_NOT_ENDED")]
    assert errors(unknown, "periodClose") == [("id", "NOT_FOUND")] == errors(wrong_type, "periodClose")
    assert errors(not_closed, "periodApprove") == [("id", "INVALID_STATUS")]
    assert periods_state() == before


def test_preview_of_the_open_period(gql, accountant, period_network, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        previewed = gql(PERIOD_PREVIEW, {"id": gid(period_network.this_month)}, as_=accountant)
    statements = gql("query($p: String!) { statements(period: $p) { totalCount edges { node { runKind } } } }", {"p": period_network.this_month.label}, as_=accountant)
    closed = gql(PERIOD_PREVIEW, {"id": gid(period_network.last_month)}, as_=accountant)

    assert previewed.data["periodPreview"]["errors"] == []
    assert previewed.data["periodPreview"]["run"]["kind"] == "PREVIEW"
    assert statements.data["statements"]["totalCount"] == 8
    assert {edge["node"]["runKind"] for edge in statements.data["statements"]["edges"]} == {"PREVIEW"}
    assert errors(closed, "periodPreview") == [("id", "INVALID_STATUS")]


# --- plan versions -----------------------------------------------------------------------

INVALID_YAML = """
name: Sommerplan
currency: EUR
ranks:
  - code: a
    difference_rate: "0.05"
  - code: b
    difference_rate: "0.01"
"""


def test_plan_versions_from_draft_to_active(gql, accountant, period_network):
    created = gql(PLAN_CREATE, {"input": {"name": "Sommerplan", "documentText": INVALID_YAML}}, as_=accountant)
    version_id = gql("{ planVersions(first: 1) { edges { node { id } } } }", as_=accountant).data["planVersions"]["edges"][0]["node"]["id"]
    refused = gql(PLAN_ACTIVATE, {"id": version_id, "from": "2030-01"}, as_=accountant)
    checked = gql(PLAN_VALIDATE, {"doc": SIMPLE_PLAN}, as_=accountant)
    checked_stored = gql(PLAN_VALIDATE, {"id": version_id}, as_=accountant)
    updated = gql(PLAN_UPDATE, {"id": version_id, "input": {"document": SIMPLE_PLAN}}, as_=accountant)
    settled_month = gql(PLAN_ACTIVATE, {"id": version_id, "from": period_network.last_month.label}, as_=accountant)
    activated = gql(PLAN_ACTIVATE, {"id": version_id, "from": "2030-01"}, as_=accountant)
    frozen = gql(PLAN_UPDATE, {"id": version_id, "input": {"name": "anders"}}, as_=accountant)
    used = gql(PLAN_RETIRE, {"id": gid(period_network.plan)}, as_=accountant)

    invalid = [{"key": "ranks[1].difference_rate", "message": "falls from 0.05 (ranks[0]) to 0.01; difference rates must not fall from one rank to the next"}]
    assert created.data["planVersionCreate"] == {
        "errors": [],
        "planVersion": {"name": "Sommerplan", "status": "DRAFT", "isValid": False, "validationErrors": invalid, "inForceFrom": None, "ranks": [{"code": "a"}, {"code": "b"}]},
    }
    assert errors(refused, "planVersionActivate") == [("document", "INVALID_PLAN")]
    assert checked.data["planVersionValidate"] == {"errors": [], "valid": True, "validationErrors": [], "planVersion": None}
    assert checked_stored.data["planVersionValidate"] == {"errors": [], "valid": False, "validationErrors": invalid, "planVersion": {"name": "Sommerplan"}}
    assert updated.data["planVersionUpdate"]["planVersion"]["isValid"] is True
    assert errors(settled_month, "planVersionActivate") == [("inForceFrom", "INVALID_STATUS")]
    assert activated.data["planVersionActivate"]["planVersion"]["status"] == "ACTIVE"
    assert activated.data["planVersionActivate"]["planVersion"]["inForceFrom"] == "2030-01-01"
    assert errors(frozen, "planVersionUpdate") == [("id", "PLAN_NOT_DRAFT")]
    assert errors(used, "planVersionRetire") == [("id", "PLAN_IN_USE")]


def test_plan_document_input_errors(gql, accountant, period_network):
    both = gql(PLAN_CREATE, {"input": {"name": "x", "document": SIMPLE_PLAN, "documentText": "a: 1"}}, as_=accountant)
    neither = gql(PLAN_CREATE, {"input": {"name": "x"}}, as_=accountant)
    not_yaml = gql(PLAN_CREATE, {"input": {"name": "x", "documentText": "a: [1"}}, as_=accountant)
    no_name = gql(PLAN_CREATE, {"input": {"document": SIMPLE_PLAN}}, as_=accountant)

    assert errors(both, "planVersionCreate") == [("document", "INVALID")]
    assert errors(neither, "planVersionCreate") == [("document", "REQUIRED")]
    assert errors(not_yaml, "planVersionCreate") == [("document", "INVALID_PLAN")]
    assert errors(no_name, "planVersionCreate") == [("name", "REQUIRED")]


# --- money and ranks ---------------------------------------------------------------------


def test_adjustments_with_four_eyes(gql, accountant, period_network):
    anna = gid(period_network["anna"])
    base = {"partnerId": anna, "periodId": gid(period_network.last_month), "reason": "Kulanz", "approvedBy": "chef@example.com"}

    same_person = gql(ADJUSTMENT_CREATE, {"input": {**base, "amount": "10", "approvedBy": "STAFF@example.com"}}, as_=accountant)
    too_precise = gql(ADJUSTMENT_CREATE, {"input": {**base, "amount": "10.005"}}, as_=accountant)
    unknown_partner = gql(ADJUSTMENT_CREATE, {"input": {**base, "amount": "10", "partnerId": to_global_id("Partner", 0)}}, as_=accountant)
    created = gql(ADJUSTMENT_CREATE, {"input": {**base, "amount": "30.00"}}, as_=accountant)

    assert errors(same_person, "adjustmentCreate") == [("approvedBy", "SAME_USER")]
    assert errors(too_precise, "adjustmentCreate") == [("amount", "INVALID")]
    assert errors(unknown_partner, "adjustmentCreate") == [("partnerId", "NOT_FOUND")]
    assert created.data["adjustmentCreate"] == {
        "errors": [],
        "adjustment": {
            "partner": {"referralCode": "ANNA1"},
            "period": {"label": period_network.last_month.label},
            "amount": "30.00",
            "reason": "Kulanz",
            "approvedBy": "chef@example.com",
            "createdBy": "staff@example.com",
        },
    }
    # The closed period's balance is settled again with it.
    assert PartnerBalance.objects.get(period=period_network.last_month, partner=period_network["anna"]).adjustments == 30


def test_rank_overrides(gql, accountant, period_network):
    base = {"partnerId": gid(period_network["anna"]), "periodId": gid(period_network.this_month), "reason": "Messe", "approvedBy": "chef@example.com"}

    unknown = gql(RANK_OVERRIDE_SET, {"input": {**base, "rank": "gold"}}, as_=accountant)
    settled = gql(RANK_OVERRIDE_SET, {"input": {**base, "rank": "manager", "periodId": gid(period_network.last_month)}}, as_=accountant)
    set_ = gql(RANK_OVERRIDE_SET, {"input": {**base, "rank": "manager"}}, as_=accountant)
    removed = gql(RANK_OVERRIDE_REMOVE, {"id": set_.data["rankOverrideSet"]["rankOverride"]["id"], "reason": "Irrtum"}, as_=accountant)
    again = gql(RANK_OVERRIDE_REMOVE, {"id": set_.data["rankOverrideSet"]["rankOverride"]["id"], "reason": "Irrtum"}, as_=accountant)

    assert errors(unknown, "rankOverrideSet") == [("rank", "UNKNOWN_RANK")]
    assert errors(settled, "rankOverrideSet") == [("periodId", "INVALID_STATUS")]
    override = set_.data["rankOverrideSet"]["rankOverride"]
    assert (override["rank"], override["createdBy"]) == ({"code": "manager", "name": "Manager"}, "staff@example.com")
    assert removed.data["rankOverrideRemove"] == {"errors": [], "removed": True}
    assert again.data["rankOverrideRemove"] == {"errors": [{"field": "id", "code": "NOT_FOUND", "message": "No rank override of this shop has this id."}], "removed": False}
    assert not RankOverride.objects.exists()


def test_payout_holds(gql, accountant, period_network):
    placed = gql(PAYOUT_HOLD_SET, {"input": {"partnerId": gid(period_network["anna"]), "reason": "Prüfung", "endsOn": "2031-02"}}, as_=accountant)
    bad_month = gql(PAYOUT_HOLD_SET, {"input": {"partnerId": gid(period_network["anna"]), "reason": "x", "startsOn": "Februar"}}, as_=accountant)
    hold_id = placed.data["payoutHoldSet"]["payoutHold"]["id"]
    released = gql(PAYOUT_HOLD_RELEASE, {"id": hold_id, "reason": "geklärt"}, as_=accountant)
    twice = gql(PAYOUT_HOLD_RELEASE, {"id": hold_id, "reason": "geklärt"}, as_=accountant)

    hold = placed.data["payoutHoldSet"]["payoutHold"]
    assert (hold["startsOn"], hold["endsOn"], hold["active"]) == (f"{period_network.last_month.starts_on}", "2031-02-28", True)
    assert errors(bad_month, "payoutHoldSet") == [("startsOn", "INVALID")]
    assert released.data["payoutHoldRelease"]["payoutHold"]["active"] is False
    assert released.data["payoutHoldRelease"]["payoutHold"]["releasedBy"] == "staff@example.com"
    assert errors(twice, "payoutHoldRelease") == [("id", "HOLD_RELEASED")]


def test_what_if_comparison(gql, accountant, period_network, gql_installation, django_capture_on_commit_callbacks):
    richer = {**period_network.plan.document, "bonuses": {**period_network.plan.document["bonuses"], "customer_rate": "0.10"}}
    draft = create_plan_version(gql_installation, "Mehr Kundenbonus", richer, "planner@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        started = gql(WHAT_IF_RUN, {"period": gid(period_network.last_month), "plan": gid(draft), "top": 3}, as_=accountant)
    run_id = started.data["whatIfRun"]["run"]["id"]
    comparison = gql(
        """query($id: ID!) { periodRun(id: $id) { status whatIf {
            base { planName total bonuses { kind amount } } draft { planName planVersion { name } total bonuses { kind amount } }
            difference partnersChanged changes { partner { referralCode } referralCode baseTotal draftTotal difference draftRank { code } } } } }""",
        {"id": run_id},
        as_=accountant,
    )
    no_figures = gql(WHAT_IF_RUN, {"period": gid(period_network.this_month), "plan": gid(draft)}, as_=accountant)

    assert started.data["whatIfRun"]["errors"] == [] and started.data["whatIfRun"]["run"]["kind"] == "WHAT_IF"
    what_if = comparison.data["periodRun"]["whatIf"]
    assert comparison.data["periodRun"]["status"] == "SUCCEEDED"
    customer = {side: next(b["amount"] for b in what_if[side]["bonuses"] if b["kind"] == "CUSTOMER") for side in ("base", "draft")}
    # Kunde bought 50: 5 % is 2.50, 10 % is 5.00, both Anna's.
    assert customer == {"base": "2.50", "draft": "5.00"}
    assert what_if["difference"] == "2.50" and what_if["partnersChanged"] == 1
    assert what_if["draft"]["planVersion"] == {"name": "Mehr Kundenbonus"}
    assert what_if["changes"] == [
        {"partner": {"referralCode": "ANNA1"}, "referralCode": "ANNA1", "baseTotal": what_if["changes"][0]["baseTotal"], "draftTotal": what_if["changes"][0]["draftTotal"], "difference": "2.50", "draftRank": {"code": "partner"}}
    ]
    assert errors(no_figures, "whatIfRun") == [("periodId", "NO_SNAPSHOT")]


# --- four cases for every mutation -------------------------------------------------------


def network_for(request, who: str):
    """The allowed case works on the figures of a real close run; a denied one is refused
    before anything runs, so its network skips the run (the same objects and ids)."""
    return request.getfixturevalue("period_network" if who == "dashboard_with" else "period_network_not_run")


def period_objects(net, installation):
    """What the mutations of the four-case test act on."""
    draft = create_plan_version(installation, "Entwurf", SIMPLE_PLAN, "planner@example.com")
    override = set_rank_override(installation, net["ben"], net.this_month, "manager", "Messe", "chef@example.com", "x@example.com")
    hold = place_payout_hold(installation, net["ben"], "Prüfung", "x@example.com")
    return {"draft": draft, "override": override, "hold": hold}


def _mutation_calls(net, objects):
    anna, this_month, last_month = gid(net["anna"]), gid(net.this_month), gid(net.last_month)
    draft = gid(objects["draft"])
    money = {"partnerId": anna, "reason": "r", "approvedBy": "chef@example.com"}
    return {
        "periodPreview": (PERIOD_PREVIEW, {"id": this_month}),
        "periodClose": (PERIOD_CLOSE, {"id": last_month}),
        "periodApprove": (PERIOD_APPROVE, {"id": last_month}),
        "periodReopen": (PERIOD_REOPEN, {"id": last_month, "reason": "r"}),
        "periodCommit": (PERIOD_COMMIT, {"id": last_month}),
        "planVersionCreate": (PLAN_CREATE, {"input": {"name": "neu", "document": SIMPLE_PLAN}}),
        "planVersionUpdate": (PLAN_UPDATE, {"id": draft, "input": {"name": "umbenannt"}}),
        "planVersionValidate": (PLAN_VALIDATE, {"id": draft}),
        "planVersionActivate": (PLAN_ACTIVATE, {"id": draft, "from": "2031-01"}),
        "planVersionRetire": (PLAN_RETIRE, {"id": draft}),
        "adjustmentCreate": (ADJUSTMENT_CREATE, {"input": {**money, "periodId": this_month, "amount": "5"}}),
        "rankOverrideSet": (RANK_OVERRIDE_SET, {"input": {**money, "periodId": this_month, "rank": "manager"}}),
        "rankOverrideRemove": (RANK_OVERRIDE_REMOVE, {"id": gid(objects["override"]), "reason": "r"}),
        "payoutHoldSet": (PAYOUT_HOLD_SET, {"input": {"partnerId": anna, "reason": "r"}}),
        "payoutHoldRelease": (PAYOUT_HOLD_RELEASE, {"id": gid(objects["hold"]), "reason": "r"}),
        "whatIfRun": (WHAT_IF_RUN, {"period": last_month, "plan": draft}),
    }


PERIOD_MUTATIONS = [
    "periodPreview", "periodClose", "periodApprove", "periodReopen", "periodCommit", "planVersionCreate", "planVersionUpdate",
    "planVersionValidate", "planVersionActivate", "planVersionRetire", "adjustmentCreate", "rankOverrideSet", "rankOverrideRemove",
    "payoutHoldSet", "payoutHoldRelease", "whatIfRun",
]  # fmt: skip
WRITES_NOTHING = {"planVersionValidate"}
# What a mutation needs before it can succeed (the allowed case): a re-opened period to
# close, an approved one to commit.
SETUP = {
    "periodClose": lambda installation, net: reopen_period(installation, net.last_month, "x@example.com", "Nachbuchung"),
    "periodCommit": lambda installation, net: approve_period(installation, net.last_month, "approver@example.com"),
}


@pytest.mark.parametrize("mutation", PERIOD_MUTATIONS)
@pytest.mark.parametrize("who", ["anonymous", "storefront", "dashboard_without", "dashboard_with"])
def test_period_mutations_in_four_cases(gql, four_requestors, request, gql_installation, mutation, who):
    net = network_for(request, who)
    objects = period_objects(net, gql_installation)
    if who == "dashboard_with":
        SETUP.get(mutation, lambda *args: None)(gql_installation, net)
    document, variables = _mutation_calls(net, objects)[mutation]
    before = periods_state()

    result = gql(document, variables, as_=four_requestors("MANAGE_ORDERS")[who])

    if who == "dashboard_with":
        assert result.errors == [] and result.data[mutation]["errors"] == []
        assert (periods_state() == before) == (mutation in WRITES_NOTHING)
    else:
        assert result.data == {mutation: None}
        assert result.error_codes == ["PERMISSION_DENIED"]
        assert periods_state() == before


@pytest.mark.parametrize("mutation", PERIOD_MUTATIONS)
def test_a_partner_cannot_change_periods_or_money(gql, storefront, period_network_not_run, gql_installation, mutation):
    """Anna, logged in to the storefront, tries every period mutation (on her own money
    among others): all refused, nothing written."""
    net = period_network_not_run
    document, variables = _mutation_calls(net, period_objects(net, gql_installation))[mutation]
    before = periods_state()

    result = gql(document, variables, as_=storefront(ANNA_USER, "anna@example.com"))

    assert result.error_codes == ["PERMISSION_DENIED"]
    assert periods_state() == before


def test_manage_users_cannot_close(gql, dashboard, period_network_not_run, gql_installation):
    net = period_network_not_run
    reopen_period(gql_installation, net.last_month, "x@example.com", "Nachbuchung")
    before = periods_state()

    result = gql(PERIOD_CLOSE, {"id": gid(net.last_month)}, as_=dashboard("MANAGE_USERS"))

    assert result.error_codes == ["PERMISSION_DENIED"]
    assert periods_state() == before
    assert get_period(gql_installation, net.last_month.label).status == "open"
