"""What the dashboard's pages per program read and write (issue 19 item 4, issue 20 item 1):
a program's members and plan in force, a program's network by sponsor (`programMembers`),
plan versions created and listed per program, the program of a run."""

import datetime

import pytest
from graphql_relay import to_global_id

from saleor_mlm.network.models import ProgramEnrollment
from saleor_mlm.plans.actions import activate_plan_version, create_plan_version
from saleor_mlm.programs.fetch import default_program
from saleor_mlm.programs.models import Program
from tests.fixtures.periods import SIMPLE_PLAN

pytestmark = pytest.mark.django_db

WHEN = datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC)

MEMBERS = """
query($program: ID!, $sponsor: ID, $root: Boolean, $search: String) {
  programMembers(programId: $program, sponsorId: $sponsor, isRoot: $root, search: $search, first: 10) {
    totalCount
    edges { node { partner { referralCode } sponsor { referralCode } frontlineCount } }
  }
}
"""


def gid(kind, obj):
    return to_global_id(kind, obj.pk)


@pytest.fixture
def wellness(gql_installation, partner_factory):
    """wellness: Clara at the top, Anna and Bert below her, Dora below Anna."""
    program = Program.objects.create(installation=gql_installation, code="wellness", name="Wellness")
    people = {code: partner_factory(installation=gql_installation, referral_code=code, last_name=code.title()) for code in ("ANNA", "BERT", "CLARA", "DORA")}
    for code, sponsor in (("CLARA", None), ("ANNA", "CLARA"), ("BERT", "CLARA"), ("DORA", "ANNA")):
        ProgramEnrollment.objects.create(
            installation=gql_installation, program=program, partner=people[code], sponsor=people.get(sponsor), enrolled_at=WHEN, created_by="test"
        )
    return program


def test_a_programs_network_by_sponsor(gql, dashboard, gql_installation, wellness):
    manager = dashboard("MANAGE_USERS")
    clara = wellness.enrollments.get(partner__referral_code="CLARA").partner

    def members(**variables):
        result = gql(MEMBERS, {"program": gid("Program", wellness), **variables}, as_=manager)
        assert result.errors == []
        page = result.data["programMembers"]
        return page and [(e["node"]["partner"]["referralCode"], (e["node"]["sponsor"] or {}).get("referralCode"), e["node"]["frontlineCount"]) for e in page["edges"]]

    assert members(root=True) == [("CLARA", None, 2)]
    assert members(sponsor=gid("Partner", clara)) == [("ANNA", "CLARA", 1), ("BERT", "CLARA", 0)]
    assert members(search="dora") == [("DORA", "ANNA", 0)]
    assert len(members()) == 4
    assert members(program=gid("Program", default_program(gql_installation.pk))) is None


def test_a_programs_members_need_manage_users(gql, dashboard, wellness):
    result = gql(MEMBERS, {"program": gid("Program", wellness)}, as_=dashboard("MANAGE_ORDERS"))

    assert result.error_codes == ["PERMISSION_DENIED"]


def test_member_count_and_plan_in_force_per_program(gql, dashboard, gql_installation, wellness, partner_factory):
    partner_factory(installation=gql_installation)  # in the default program only
    plan = activate_plan_version(create_plan_version(gql_installation, "Wellness plan", SIMPLE_PLAN, "test", program=wellness), "2020-01", "test")

    result = gql("{ programs { edges { node { code memberCount planInForce { id name } } } } }", as_=dashboard("MANAGE_ORDERS"))

    assert result.errors == []
    assert [edge["node"] for edge in result.data["programs"]["edges"]] == [
        {"code": "main", "memberCount": 5, "planInForce": None},
        {"code": "wellness", "memberCount": 4, "planInForce": {"id": gid("PlanVersion", plan), "name": "Wellness plan"}},
    ]


def test_plan_versions_are_created_and_listed_per_program(gql, dashboard, gql_installation, wellness):
    accountant = dashboard("MANAGE_ORDERS")
    create_plan_version(gql_installation, "Main draft", SIMPLE_PLAN, "test")
    created = gql(
        "mutation($input: PlanVersionInput!) { planVersionCreate(input: $input) { errors { field code } planVersion { name program { code } } } }",
        {"input": {"name": "Wellness draft", "document": SIMPLE_PLAN, "programId": gid("Program", wellness)}},
        as_=accountant,
    )
    foreign = gql(
        "mutation($input: PlanVersionInput!) { planVersionCreate(input: $input) { errors { field code } } }",
        {"input": {"name": "x", "document": SIMPLE_PLAN, "programId": to_global_id("Program", 987654)}},
        as_=accountant,
    )

    assert created.data["planVersionCreate"] == {"errors": [], "planVersion": {"name": "Wellness draft", "program": {"code": "wellness"}}}
    assert [error["field"] for error in foreign.data["planVersionCreate"]["errors"]] == ["programId"]

    def listed(program):
        result = gql("query($p: ID) { planVersions(filter: {programId: $p}) { edges { node { name } } } }", {"p": program}, as_=accountant)
        return [edge["node"]["name"] for edge in result.data["planVersions"]["edges"]]

    assert listed(gid("Program", wellness)) == ["Wellness draft"]
    assert listed(gid("Program", default_program(gql_installation.pk))) == ["Main draft"]
