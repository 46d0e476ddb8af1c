"""Managing programs (issue 19): programCreate and programUpdate (name, code, volume
source, metadata keys), enrollments created, moved (the cycle check of the network, on
the program's own network) and removed; the partner's `myPrograms` with its rank and
volumes in each (its statements stay the default program's)."""

from decimal import Decimal

import pytest
from graphql_relay import to_global_id

from saleor_mlm.ledger import EntryKind
from saleor_mlm.ledger.models import LedgerEntry
from saleor_mlm.network.models import NetworkChange, ProgramEnrollment
from saleor_mlm.periods.actions import preview_period
from saleor_mlm.periods.runs import execute_run
from saleor_mlm.plans.actions import activate_plan_version, create_plan_version
from saleor_mlm.programs import ProductScope
from saleor_mlm.programs.fetch import default_program
from saleor_mlm.programs.models import Program
from tests.fixtures.graphql import STOREFRONT_USER_ID
from tests.fixtures.periods import SIMPLE_PLAN

pytestmark = pytest.mark.django_db

CREATE = """
mutation($input: ProgramInput!) {
  programCreate(input: $input) {
    errors { field code message }
    program { code name isDefault volumeSource { products productTypeIds categoryIds collectionIds pvMetadataKey bvMetadataKey } }
  }
}
"""
UPDATE = """
mutation($id: ID!, $input: ProgramInput!) {
  programUpdate(id: $id, input: $input) { errors { field code } program { code name volumeSource { products collectionIds pvMetadataKey } } }
}
"""
ENROLL = """
mutation($program: ID!, $partner: ID!, $sponsor: ID) {
  programEnrollmentCreate(programId: $program, partnerId: $partner, sponsorId: $sponsor) {
    errors { field code message }
    enrollment { program { code } partner { referralCode } sponsor { referralCode } }
  }
}
"""
MOVE = """
mutation($program: ID!, $partner: ID!, $sponsor: ID) {
  programEnrollmentMove(programId: $program, partnerId: $partner, sponsorId: $sponsor, reason: "reorganised") {
    errors { field code message }
    enrollment { sponsor { referralCode } }
  }
}
"""
REMOVE = """
mutation($program: ID!, $partner: ID!) {
  programEnrollmentRemove(programId: $program, partnerId: $partner, reason: "left") { errors { field code } program { code } }
}
"""


def gid(kind, obj):
    return to_global_id(kind, obj.pk)


@pytest.fixture
def accountant(dashboard):
    return dashboard("MANAGE_ORDERS")


@pytest.fixture
def manager(dashboard):
    return dashboard("MANAGE_USERS")


@pytest.fixture
def wellness(gql_installation):
    return Program.objects.create(installation=gql_installation, code="wellness", name="Wellness")


def test_a_program_is_created_with_its_source_and_keys(gql, accountant, gql_installation):
    source = {"products": "LISTED", "productTypeIds": ["PT-1"], "categoryIds": [], "collectionIds": ["COL-1", "COL-1"]}
    variables = {"input": {"code": "beauty", "name": "Beauty", "volumeSource": source, "pvMetadataKey": "beauty.points"}}

    result = gql(CREATE, variables, as_=accountant)

    assert result.errors == []
    assert result.data["programCreate"] == {
        "errors": [],
        "program": {
            "code": "beauty",
            "name": "Beauty",
            "isDefault": False,
            "volumeSource": {
                "products": "LISTED",
                "productTypeIds": ["PT-1"],
                "categoryIds": [],
                "collectionIds": ["COL-1"],
                "pvMetadataKey": "beauty.points",
                "bvMetadataKey": "mlm.beauty.bv",
            },
        },
    }
    assert Program.objects.get(installation=gql_installation, code="beauty").created_by


@pytest.mark.parametrize(
    "input, field, code",
    [
        ({"code": "Beauty!", "name": "Beauty"}, "code", "INVALID"),
        ({"code": "main", "name": "Beauty"}, "code", "DUPLICATE_CODE"),
        ({"code": "beauty", "name": " "}, "name", "REQUIRED"),
        ({"code": "beauty", "name": "Beauty", "volumeSource": {"products": "LISTED"}}, "volumeSource", "REQUIRED"),
        ({"code": "beauty", "name": "Beauty", "pvMetadataKey": "a key"}, "pvMetadataKey", "INVALID"),
    ],
)
def test_a_program_is_refused_at_its_field(gql, accountant, gql_installation, input, field, code):
    result = gql(CREATE, {"input": input}, as_=accountant)

    assert [(error["field"], error["code"]) for error in result.data["programCreate"]["errors"]] == [(field, code)]
    assert not Program.objects.filter(installation=gql_installation, is_default=False).exists()


def test_a_program_is_updated_and_the_defaults_source_stays(gql, accountant, gql_installation, wellness):
    result = gql(UPDATE, {"id": gid("Program", wellness), "input": {"name": "Wellness & Tea", "volumeSource": {"products": "LISTED", "collectionIds": ["C9"]}}}, as_=accountant)

    assert result.data["programUpdate"] == {
        "errors": [],
        "program": {"code": "wellness", "name": "Wellness & Tea", "volumeSource": {"products": "LISTED", "collectionIds": ["C9"], "pvMetadataKey": "mlm.wellness.pv"}},
    }
    default = default_program(gql_installation.pk)
    refused = gql(UPDATE, {"id": gid("Program", default), "input": {"volumeSource": {"products": "LISTED", "collectionIds": ["C9"]}}}, as_=accountant)
    assert [(e["field"], e["code"]) for e in refused.data["programUpdate"]["errors"]] == [("volumeSource", "DEFAULT_PROGRAM")]
    default.refresh_from_db()
    assert default.products == ProductScope.ALL


def test_enrollments_are_created_moved_and_removed(gql, manager, gql_installation, wellness, partner_factory):
    anna, bert, clara = (partner_factory(installation=gql_installation, referral_code=code) for code in ("ANNA", "BERT", "CLARA"))
    program = gid("Program", wellness)

    def enroll(partner, sponsor=None):
        return gql(ENROLL, {"program": program, "partner": gid("Partner", partner), "sponsor": sponsor and gid("Partner", sponsor)}, as_=manager)

    assert enroll(clara).data["programEnrollmentCreate"]["enrollment"] == {"program": {"code": "wellness"}, "partner": {"referralCode": "CLARA"}, "sponsor": None}
    assert enroll(anna, clara).data["programEnrollmentCreate"]["errors"] == []
    not_member = enroll(bert, bert.sponsor or partner_factory(installation=gql_installation)).data["programEnrollmentCreate"]["errors"]
    assert [(e["field"], e["code"]) for e in not_member] == [("sponsorId", "NOT_A_MEMBER")]
    assert [e["code"] for e in enroll(anna, clara).data["programEnrollmentCreate"]["errors"]] == ["ALREADY_MEMBER"]
    enroll(bert, anna)

    moved = gql(MOVE, {"program": program, "partner": gid("Partner", bert), "sponsor": gid("Partner", clara)}, as_=manager)

    assert moved.data["programEnrollmentMove"] == {"errors": [], "enrollment": {"sponsor": {"referralCode": "CLARA"}}}
    assert NetworkChange.objects.filter(partner=bert, new_value__source="program wellness: moved").exists()
    still_below = gql(REMOVE, {"program": program, "partner": gid("Partner", clara)}, as_=manager)
    assert [(e["field"], e["code"]) for e in still_below.data["programEnrollmentRemove"]["errors"]] == [("partnerId", "HAS_MEMBERS")]
    removed = gql(REMOVE, {"program": program, "partner": gid("Partner", bert)}, as_=manager)
    assert removed.data["programEnrollmentRemove"] == {"errors": [], "program": {"code": "wellness"}}
    assert sorted(ProgramEnrollment.objects.filter(program=wellness).values_list("partner__referral_code", flat=True)) == ["ANNA", "CLARA"]


def test_a_move_that_would_close_a_cycle_in_the_program_is_refused_at_the_sponsor(gql, manager, gql_installation, wellness, partner_factory):
    # In the default network Clara is below Anna; in wellness Anna is below Clara.
    anna = partner_factory(installation=gql_installation, referral_code="ANNA")
    clara = partner_factory(anna, referral_code="CLARA")
    ProgramEnrollment.objects.create(installation=gql_installation, program=wellness, partner=clara, enrolled_at=clara.enrolled_at)
    ProgramEnrollment.objects.create(installation=gql_installation, program=wellness, partner=anna, sponsor=clara, enrolled_at=anna.enrolled_at)
    program = gid("Program", wellness)

    refused = gql(MOVE, {"program": program, "partner": gid("Partner", clara), "sponsor": gid("Partner", anna)}, as_=manager)

    errors = refused.data["programEnrollmentMove"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("sponsorId", "CYCLE")]
    assert "ANNA" in errors[0]["message"] and "CLARA" in errors[0]["message"]
    assert ProgramEnrollment.objects.get(program=wellness, partner=clara).sponsor is None
    # Moving Anna to the top of wellness closes nothing.
    allowed = gql(MOVE, {"program": program, "partner": gid("Partner", anna), "sponsor": None}, as_=manager)
    assert allowed.data["programEnrollmentMove"]["errors"] == []


@pytest.mark.parametrize("who", ["anonymous", "storefront", "dashboard_without"])
def test_program_mutations_need_their_permission(gql, four_requestors, gql_installation, who):
    result = gql(CREATE, {"input": {"code": "beauty", "name": "Beauty"}}, as_=four_requestors("MANAGE_ORDERS")[who])

    assert result.data is None or result.data["programCreate"] is None
    assert not Program.objects.filter(installation=gql_installation, code="beauty").exists()


def test_my_programs_give_rank_and_volumes_in_each(gql, storefront, gql_installation, wellness, partner_factory, plan_version_factory, month, volume):
    plan_version_factory(installation=gql_installation)
    plan = create_plan_version(gql_installation, "Wellness-Plan", SIMPLE_PLAN, "planner@example.com", program=wellness)
    activate_plan_version(plan, "2020-01", "planner@example.com")
    me = partner_factory(installation=gql_installation, referral_code="ME", saleor_user_id=STOREFRONT_USER_ID)
    ProgramEnrollment.objects.create(installation=gql_installation, program=wellness, partner=me, enrolled_at=me.enrolled_at)
    october = month("2026-10", installation=gql_installation)
    volume(me, october, pv="80")
    LedgerEntry.objects.create(
        installation=gql_installation, period=october, partner=me, program=wellness, kind=EntryKind.ORDER, pv=Decimal("55"), bv=Decimal("55")
    )
    for program in (None, wellness):
        execute_run(preview_period(gql_installation, october, "closer@example.com", enqueue=False, program=program).pk)

    result = gql("{ myPrograms { program { code } period settled qualified paidAsRank pv gv } }", as_=storefront())

    assert result.errors == []
    assert result.data["myPrograms"] == [
        {"program": {"code": "main"}, "period": "2026-10", "settled": False, "qualified": True, "paidAsRank": "member", "pv": "80.00", "gv": "80.00"},
        {"program": {"code": "wellness"}, "period": "2026-10", "settled": False, "qualified": True, "paidAsRank": "member", "pv": "55.00", "gv": "55.00"},
    ]
    assert gql("{ myPrograms { program { code } } }", as_=storefront("other-user")).data["myPrograms"] == []
    # The partner's statements are the default program's: the other program's preview is no second row.
    statements = gql("{ me { partner { statements(first: 5) { totalCount edges { node { runKind pv } } } } } }", as_=storefront())
    assert statements.data["me"]["partner"]["statements"] == {"totalCount": 1, "edges": [{"node": {"runKind": "PREVIEW", "pv": "80.00"}}]}
