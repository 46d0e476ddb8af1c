"""Storefront mutations: enrollment (logged-in users only) and referral code checks
(public, rate limited, revealing only the sponsor's name)."""

import pytest

from saleor_mlm.graphql.network.mutations.referral_code_validate import RATE_LIMIT
from saleor_mlm.network import PartnerStatus
from saleor_mlm.network.models import Customer, NetworkChange, Partner
from tests.fixtures.graphql import ANNA_USER, STOREFRONT_USER_ID

PARTNER_ENROLL = """
mutation Enroll($input: PartnerEnrollInput!) {
  partnerEnroll(input: $input) {
    errors { field code message }
    partner { referralCode email firstName language status taxStatus sponsor { displayName email } }
  }
}
"""

REFERRAL_CODE_VALIDATE = """
mutation Validate($code: String!) {
  referralCodeValidate(code: $code) { valid sponsorName errors { field code message } }
}
"""


def test_a_customer_enrolls_under_a_code(gql, storefront, sample_network):
    result = gql(
        PARTNER_ENROLL,
        {"input": {"sponsorReferralCode": "anna1", "firstName": "Kim"}},
        as_=storefront(STOREFRONT_USER_ID, "kim@example.com"),
        headers={"HTTP_ACCEPT_LANGUAGE": "en-GB"},
    )

    partner = result.data["partnerEnroll"]["partner"]
    assert result.data["partnerEnroll"]["errors"] == []
    assert partner["referralCode"] == Partner.objects.get(saleor_user_id=STOREFRONT_USER_ID).referral_code
    del partner["referralCode"]
    assert partner == {
        "email": "kim@example.com",
        "firstName": "Kim",
        "language": "en",
        "status": "ACTIVE",
        "taxStatus": "REGULAR",
        "sponsor": {"displayName": "Anna Muster", "email": None},
    }
    assert NetworkChange.objects.get(partner__saleor_user_id=STOREFRONT_USER_ID).changed_by == "kim@example.com"


def test_enrollment_refusals(gql, storefront, sample_network):
    sample_network["frank"].status = PartnerStatus.INACTIVE
    sample_network["frank"].save()
    kim = storefront(STOREFRONT_USER_ID, "kim@example.com")

    unknown = gql(PARTNER_ENROLL, {"input": {"sponsorReferralCode": "NOBODY1"}}, as_=kim)
    inactive = gql(PARTNER_ENROLL, {"input": {"sponsorReferralCode": "FRANK1"}}, as_=kim)
    without = gql(PARTNER_ENROLL, {"input": {}}, as_=kim)
    already = gql(PARTNER_ENROLL, {"input": {"sponsorReferralCode": "BEN1"}}, as_=storefront(ANNA_USER, "anna.new@example.com"))
    same_email = gql(PARTNER_ENROLL, {"input": {"sponsorReferralCode": "BEN1"}}, as_=storefront(STOREFRONT_USER_ID, "ben@example.com"))

    assert unknown.data["partnerEnroll"]["errors"] == [
        {"field": "sponsorReferralCode", "code": "UNKNOWN_SPONSOR", "message": "No partner has the referral code 'NOBODY1'."}
    ]
    assert inactive.data["partnerEnroll"]["errors"][0]["code"] == "SPONSOR_NOT_ACTIVE"
    assert without.data["partnerEnroll"]["errors"][0]["code"] == "SPONSOR_REQUIRED"
    assert already.data["partnerEnroll"]["errors"] == [{"field": "saleorUserId", "code": "ALREADY_PARTNER", "message": "This Saleor user is a partner already."}]
    assert same_email.data["partnerEnroll"]["errors"] == [
        {
            "field": "email",
            "code": "ALREADY_PARTNER",
            "message": "A partner with this e-mail address exists already; please ask the company to link your account.",
        }
    ]
    assert Partner.objects.count() == 8


@pytest.mark.parametrize("who", ["anonymous", "storefront", "dashboard_without", "dashboard_with"])
def test_enrollment_in_four_cases(gql, four_requestors, sample_network, who):
    """Only a storefront user can enroll: the Dashboard's staff are not shop customers."""
    before = (Partner.objects.count(), Customer.objects.count(), NetworkChange.objects.count())

    result = gql(PARTNER_ENROLL, {"input": {"sponsorReferralCode": "ANNA1"}}, as_=four_requestors("MANAGE_USERS")[who])

    if who == "storefront":
        assert result.data["partnerEnroll"]["errors"] == []
        assert Partner.objects.count() == before[0] + 1
    else:
        assert result.data == {"partnerEnroll": None}
        assert result.errors[0]["message"] == "Log in to the shop to enroll as a partner."
        assert (Partner.objects.count(), Customer.objects.count(), NetworkChange.objects.count()) == before


def test_referral_code_reveals_only_the_name(gql, anonymous, sample_network):
    valid = gql(REFERRAL_CODE_VALIDATE, {"code": " anna1 "}, as_=anonymous())
    unknown = gql(REFERRAL_CODE_VALIDATE, {"code": "NOPE"}, as_=anonymous())

    assert valid.body == {"data": {"referralCodeValidate": {"valid": True, "sponsorName": "Anna Muster", "errors": []}}}
    assert unknown.body == {"data": {"referralCodeValidate": {"valid": False, "sponsorName": None, "errors": []}}}


def test_referral_code_of_an_inactive_partner_or_without_a_name(gql, anonymous, sample_network, partner_factory):
    sample_network["frank"].status = PartnerStatus.TERMINATED
    sample_network["frank"].save()
    partner_factory(installation=sample_network["root"].installation, referral_code="NONAME1", email="secret@example.com")

    terminated = gql(REFERRAL_CODE_VALIDATE, {"code": "FRANK1"}, as_=anonymous())
    nameless = gql(REFERRAL_CODE_VALIDATE, {"code": "NONAME1"}, as_=anonymous())

    assert terminated.data["referralCodeValidate"] == {"valid": False, "sponsorName": None, "errors": []}
    assert nameless.data["referralCodeValidate"] == {"valid": True, "sponsorName": None, "errors": []}


def test_referral_code_checks_are_rate_limited_per_client(gql, anonymous, sample_network):
    for _ in range(RATE_LIMIT):
        assert gql(REFERRAL_CODE_VALIDATE, {"code": "NOPE"}, as_=anonymous()).data["referralCodeValidate"]["errors"] == []

    limited = gql(REFERRAL_CODE_VALIDATE, {"code": "ANNA1"}, as_=anonymous())
    other_client = gql(REFERRAL_CODE_VALIDATE, {"code": "ANNA1"}, as_=anonymous(), headers={"REMOTE_ADDR": "203.0.113.9"})

    assert limited.data["referralCodeValidate"] == {
        "valid": False,
        "sponsorName": None,
        "errors": [{"field": "code", "code": "RATE_LIMITED", "message": "Too many checks; try again in a minute (at most 10 a minute)."}],
    }
    assert other_client.data["referralCodeValidate"]["valid"] is True


def test_rate_limit_behind_a_trusted_proxy(gql, anonymous, sample_network, settings):
    settings.GRAPHQL_TRUSTED_PROXY_COUNT = 1
    for _ in range(RATE_LIMIT):
        gql(REFERRAL_CODE_VALIDATE, {"code": "NOPE"}, as_=anonymous(), headers={"HTTP_X_FORWARDED_FOR": "198.51.100.1"})

    same_client = gql(REFERRAL_CODE_VALIDATE, {"code": "ANNA1"}, as_=anonymous(), headers={"HTTP_X_FORWARDED_FOR": "198.51.100.1"})
    forged_prefix = gql(REFERRAL_CODE_VALIDATE, {"code": "ANNA1"}, as_=anonymous(), headers={"HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.1"})
    next_client = gql(REFERRAL_CODE_VALIDATE, {"code": "ANNA1"}, as_=anonymous(), headers={"HTTP_X_FORWARDED_FOR": "198.51.100.2"})

    assert same_client.data["referralCodeValidate"]["errors"][0]["code"] == "RATE_LIMITED"
    assert forged_prefix.data["referralCodeValidate"]["errors"][0]["code"] == "RATE_LIMITED"
    assert next_client.data["referralCodeValidate"]["valid"] is True


@pytest.mark.parametrize("who", ["anonymous", "storefront", "dashboard_without", "dashboard_with"])
def test_referral_code_check_is_public(gql, four_requestors, sample_network, who):
    result = gql(REFERRAL_CODE_VALIDATE, {"code": "ANNA1"}, as_=four_requestors("MANAGE_USERS")[who])

    assert result.data == {"referralCodeValidate": {"valid": True, "sponsorName": "Anna Muster", "errors": []}}


def test_referral_code_check_needs_to_know_the_shop(gql, sample_network):
    result = gql(REFERRAL_CODE_VALIDATE, {"code": "ANNA1"})

    assert result.data == {"referralCodeValidate": None}
    assert result.error_codes == ["UNKNOWN_INSTALLATION"]
