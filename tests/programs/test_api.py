"""The combined statement and the programs' figures through the API (issue 19): the
conftest's two programs (Clara in both, under different sponsors) seen by the merchant
(`statement`) and by the partner itself (`me.partner.statement`, `myPrograms`)."""

from decimal import Decimal

import pytest
from django.utils import timezone
from graphql_relay import to_global_id

from saleor_mlm.ledger import EntryKind
from saleor_mlm.ledger.models import LedgerEntry
from saleor_mlm.network import ChangeKind
from saleor_mlm.network.models import CareAssignment, NetworkChange, ProgramEnrollment
from saleor_mlm.periods.actions import preview_period
from saleor_mlm.periods.runs import execute_run
from tests.fixtures.graphql import STOREFRONT_USER_ID

pytestmark = pytest.mark.django_db

SECTIONS = """
    program { code isDefault }
    total combinedTotal carriedIn payable paid carriedForward
    adjustments { amount }
    sections {
      program { code }
      total
      statement { program { code } total combinedTotal payable pv bonuses { kind amount } sections { program { code } } }
    }
"""
MERCHANT = "query($period: String!, $partner: ID!) { statement(period: $period, partnerId: $partner) { " + SECTIONS + " } }"
PARTNER = "query($period: String) { me { partner { statement(period: $period) { " + SECTIONS + " } } } }"


@pytest.fixture
def installation(gql_installation):
    """The conftest's two programs in the shop the API tests talk to."""
    return gql_installation


@pytest.fixture
def clara(shop):
    clara = shop["clara"]
    clara.saleor_user_id = STOREFRONT_USER_ID
    clara.save(update_fields=["saleor_user_id"])
    return clara


def _sums_to_the_cent(statement):
    totals = [Decimal(section["total"]) for section in statement["sections"]]
    assert [Decimal(section["statement"]["total"]) for section in statement["sections"]] == totals
    assert Decimal(statement["combinedTotal"]) == sum(totals)


def test_the_merchant_and_the_partner_see_a_section_per_program(gql, dashboard, storefront, month, shop, clara, close_and_run):
    october = month("2026-10")
    close_and_run(october)

    merchant = gql(MERCHANT, {"period": "2026-10", "partner": to_global_id("Partner", clara.pk)}, as_=dashboard("MANAGE_ORDERS"))
    mine = gql(PARTNER, {"period": "2026-10"}, as_=storefront(email="clara@example.com"))

    assert merchant.errors == mine.errors == []
    statement = merchant.data["statement"]
    assert mine.data["me"]["partner"]["statement"] == statement
    _sums_to_the_cent(statement)
    assert statement["program"] == {"code": "main", "isDefault": True}
    assert [(section["program"]["code"], section["total"]) for section in statement["sections"]] == [
        ("main", "1.00"),
        ("wellness", "11.00"),
    ]
    # The month's balance takes the combined total; the default program's statement is the first section.
    assert (statement["total"], statement["combinedTotal"], statement["carriedIn"], statement["payable"], statement["carriedForward"]) == (
        "1.00", "12.00", "0.00", "12.00", "0.00",
    )  # fmt: skip
    wellness = statement["sections"][1]["statement"]
    assert wellness["program"] == {"code": "wellness"}
    assert {bonus["kind"]: bonus["amount"] for bonus in wellness["bonuses"]} == {"CUSTOMER": "1.00", "LEVEL": "10.00"}
    assert (wellness["combinedTotal"], wellness["payable"], wellness["sections"]) == ("11.00", None, [{"program": {"code": "wellness"}}])
    assert statement["sections"][0]["statement"]["sections"] == [{"program": {"code": "main"}}, {"program": {"code": "wellness"}}]


def test_a_partner_in_one_program_has_one_section(gql, dashboard, month, shop, close_and_run):
    close_and_run(month("2026-10"))

    result = gql(MERCHANT, {"period": "2026-10", "partner": to_global_id("Partner", shop["bert"].pk)}, as_=dashboard("MANAGE_ORDERS"))

    statement = result.data["statement"]
    assert [section["program"]["code"] for section in statement["sections"]] == ["main"]
    assert statement["total"] == statement["combinedTotal"] == statement["payable"] == "17.00"


def test_an_open_month_shows_each_programs_preview(gql, storefront, gql_installation, month, shop, clara):
    october = month("2026-10")
    for program in (None, shop["wellness"]):
        execute_run(preview_period(gql_installation, october, "closer@example.com", enqueue=False, program=program).pk)

    result = gql(PARTNER, {"period": "2026-10"}, as_=storefront(email="clara@example.com"))

    statement = result.data["me"]["partner"]["statement"]
    _sums_to_the_cent(statement)
    assert [(section["program"]["code"], section["total"]) for section in statement["sections"]] == [
        ("main", "1.00"),
        ("wellness", "11.00"),
    ]
    assert (statement["combinedTotal"], statement["payable"]) == ("12.00", None)


MY_PROGRAMS = """
{ myPrograms {
    program { code } sponsor { referralCode }
    live { period pv gv ov qualified paidAsRank { code } }
    nextRank { period currentRank { code } nextRank { code } requirements { kind needed actual missing met } }
} }
"""
PARTNER_PROGRAMS = "query($id: ID!) { partner(id: $id) { programs { program { code } sponsor { referralCode } live { pv gv } } } }"


def test_my_programs_give_live_figures_and_next_rank_per_program(gql, storefront, dashboard, gql_installation, month, volume, shop, clara):
    """This month, live: Clara buys 60 PV in the default program, 70 in wellness; Anna,
    below her only in wellness, 100 there. Each program has its own sponsor, figures and
    distance to "star" (GV 1000)."""
    now = month(f"{timezone.localdate():%Y-%m}")
    volume(clara, now, pv="60")
    for partner, pv in ((clara, "70"), (shop["anna"], "100")):
        LedgerEntry.objects.create(
            installation=gql_installation,
            period=now,
            partner=partner,
            program=shop["wellness"],
            kind=EntryKind.ORDER,
            pv=Decimal(pv),
            bv=Decimal(pv),
        )

    result = gql(MY_PROGRAMS, as_=storefront(email="clara@example.com"))

    assert result.errors == []
    month_label = f"{timezone.localdate():%Y-%m}"
    main, wellness = result.data["myPrograms"]
    assert (main["program"], main["sponsor"], wellness["program"], wellness["sponsor"]) == (
        {"code": "main"},
        {"referralCode": "BERT"},
        {"code": "wellness"},
        None,
    )
    assert main["live"] == {
        "period": month_label,
        "pv": "60.00",
        "gv": "60.00",
        "ov": "60.00",
        "qualified": True,
        "paidAsRank": {"code": "member"},
    }
    assert wellness["live"] == {
        "period": month_label,
        "pv": "70.00",
        "gv": "170.00",
        "ov": "170.00",
        "qualified": True,
        "paidAsRank": {"code": "member"},
    }
    assert main["nextRank"]["nextRank"] == wellness["nextRank"]["nextRank"] == {"code": "star"}
    assert [(item["kind"], item["actual"], item["missing"], item["met"]) for item in wellness["nextRank"]["requirements"]] == [
        ("QUALIFYING_PV", "70.00", "0.00", True),
        ("MIN_GV", "170.00", "830.00", False),
    ]
    assert [(item["kind"], item["actual"], item["missing"]) for item in main["nextRank"]["requirements"]] == [
        ("QUALIFYING_PV", "60.00", "0.00"),
        ("MIN_GV", "60.00", "940.00"),
    ]
    # The merchant sees the same per partner; Anna's sponsor in wellness is Clara.
    anna = gql(PARTNER_PROGRAMS, {"id": to_global_id("Partner", shop["anna"].pk)}, as_=dashboard("MANAGE_ORDERS", "MANAGE_USERS"))
    assert anna.errors == []
    assert anna.data["partner"]["programs"] == [
        {"program": {"code": "main"}, "sponsor": None, "live": {"pv": "0.00", "gv": "60.00"}},
        {"program": {"code": "wellness"}, "sponsor": {"referralCode": "CLARA"}, "live": {"pv": "100.00", "gv": "100.00"}},
    ]


SET_CARE = """
mutation($program: ID!, $partner: ID!, $care: ID, $share: Decimal) {
  programEnrollmentSetCare(programId: $program, partnerId: $partner, carePartnerId: $care, share: $share, reason: "looks after her") {
    errors { field code }
    enrollment { partner { referralCode } carePartner { referralCode } careShare }
  }
}
"""


def test_a_programs_betreuer_and_share_follow_the_networks_rules(gql, dashboard, gql_installation, shop, ledger_partner):
    """In wellness Clara is at the top, Anna below her; Bert is no member, Eva and Finn are
    (Finn below Anna)."""
    wellness, anna, clara = shop["wellness"], shop["anna"], shop["clara"]
    eva, finn = ledger_partner("EVA"), ledger_partner("FINN")
    for partner, sponsor in ((eva, clara), (finn, anna)):
        ProgramEnrollment.objects.create(installation=gql_installation, program=wellness, partner=partner, sponsor=sponsor, enrolled_at=timezone.now())
    admin = dashboard("MANAGE_USERS")

    def set_care(care, share=None, partner=anna):
        ids = {"program": to_global_id("Program", wellness.pk), "partner": to_global_id("Partner", partner.pk)}
        result = gql(SET_CARE, {**ids, "care": to_global_id("Partner", care.pk) if care else None, "share": share}, as_=admin)
        assert result.errors == []
        return result.data["programEnrollmentSetCare"]

    assert set_care(shop["bert"], "0.25")["errors"] == [{"field": "carePartnerId", "code": "NOT_A_MEMBER"}]
    assert set_care(clara, "0.25")["errors"] == [{"field": "carePartnerId", "code": "CARE_IS_SPONSOR"}]  # her sponsor there
    assert set_care(anna, "0.25")["errors"] == [{"field": "carePartnerId", "code": "SELF_CARE"}]
    assert set_care(finn, "0.25")["errors"] == [{"field": "carePartnerId", "code": "CYCLE"}]  # Finn is below Anna there
    assert set_care(eva, "1.5")["errors"] == [{"field": "share", "code": "INVALID_SHARE"}]
    assert set_care(eva)["errors"] == [{"field": "share", "code": "NO_SPLIT_AGREEMENT"}]  # Clara has no split agreement
    assert ProgramEnrollment.objects.get(program=wellness, partner=anna).care_partner_id is None

    done = set_care(eva, "0.25")

    assert done == {"errors": [], "enrollment": {"partner": {"referralCode": "ANNA"}, "carePartner": {"referralCode": "EVA"}, "careShare": "0.2500"}}
    change = NetworkChange.objects.filter(partner=anna, kind=ChangeKind.CARE).get()
    assert (change.old_value, change.new_value, change.reason) == (
        {"care": None, "share": None},
        {"care": {"id": eva.pk, "referral_code": "EVA", "name": eva.display_name}, "share": "0.2500", "source": "program wellness: Betreuer"},
        "looks after her",
    )  # fmt: skip
    # The default network is untouched: there Anna has no Betreuer.
    assert not CareAssignment.objects.filter(partner=anna).exists()
    removed = set_care(None)
    assert removed["enrollment"]["carePartner"] is None and removed["enrollment"]["careShare"] is None
    assert NetworkChange.objects.filter(partner=anna, kind=ChangeKind.CARE).count() == 2
