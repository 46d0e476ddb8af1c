"""Online registration through the API (issue 18 item 3): `partnerRegister` from the partner
office with a shop account's token, the merchant's settings, approval and rejection, every
refusal at its field."""

from __future__ import annotations

import pytest

from saleor_mlm.network import PartnerStatus
from saleor_mlm.network.models import Customer, NetworkChange, Partner, TaxProfile
from saleor_mlm.registration import RegistrationStatus
from saleor_mlm.registration.models import PartnerRegistration, PartnerTerms, TermsAcceptance
from saleor_mlm.registration.terms import publish_terms, set_approval_required
from tests.fixtures.graphql import ANNA_USER, KUNDE_USER, STOREFRONT_USER_ID

pytestmark = pytest.mark.django_db

REGISTER = """
mutation Register($input: PartnerRegisterInput!) {
  partnerRegister(input: $input) {
    errors { field code message }
    registration { id status email sponsorName termsVersion legalName country taxStatus sponsor { id } decidedBy }
    partner { id email firstName status language sponsor { displayName } taxProfile { legalName city taxStatus vatId } }
  }
}
"""
SETTINGS = """
mutation Settings($input: RegistrationSettingsInput!) {
  registrationSettingsUpdate(input: $input) {
    errors { field code message }
    settings { approvalRequired termsVersion termsPublishedBy terms { version language text } }
  }
}
"""
TERMS = "query($language: LanguageCodeEnum) { partnerTerms(languageCode: $language) { version language text } }"
PENDING = "{ partnerRegistrations(status: [PENDING]) { totalCount edges { node { id email status sponsor { referralCode } } } } }"
APPROVE = "mutation($id: ID!) { partnerRegistrationApprove(id: $id) { errors { field code message } registration { status decidedBy } partner { id status email } } }"
REJECT = "mutation($id: ID!, $reason: String!) { partnerRegistrationReject(id: $id, reason: $reason) { errors { field code message } registration { status decisionReason } } }"
MINE = "{ myPartnerRegistration { status email sponsorName sponsor { id } decidedBy } }"

PROFILE = {"legalName": "Kim Berger", "street": "Hauptstraße 1", "postalCode": "10115", "city": "Berlin", "country": "DE", "taxStatus": "PRIVATE"}


def registration_input(**changes):
    return {"sponsorReferralCode": "anna1", "firstName": "Kim", "lastName": "Berger", "language": "de", "termsVersion": 1, "acceptTerms": True, **PROFILE, **changes}


@pytest.fixture
def terms(gql_installation):
    return publish_terms(gql_installation.pk, {"de": "Partnerbedingungen 1", "en": "Partner terms 1"}, published_by="owner@example.com")


@pytest.fixture
def kim(storefront):
    return storefront(STOREFRONT_USER_ID, "kim@example.com")


def register(gql, as_, **changes):
    return gql(REGISTER, {"input": registration_input(**changes)}, as_=as_, headers={"HTTP_ACCEPT_LANGUAGE": "en"}).data["partnerRegister"]


def test_a_visitor_becomes_an_active_partner_at_once(gql, kim, sample_network, terms):
    answer = register(gql, kim)

    assert answer["errors"] == []
    assert answer["registration"]["status"] == "APPROVED"
    assert answer["registration"]["sponsorName"] == "Anna Muster"
    assert answer["registration"]["sponsor"] is None  # the merchant's field
    partner = answer["partner"]
    assert (partner["email"], partner["firstName"], partner["status"], partner["language"]) == ("kim@example.com", "Kim", "ACTIVE", "de")
    assert partner["sponsor"] == {"displayName": "Anna Muster"}
    assert partner["taxProfile"] == {"legalName": "Kim Berger", "city": "Berlin", "taxStatus": "PRIVATE", "vatId": ""}
    node = Partner.objects.get(saleor_user_id=STOREFRONT_USER_ID)
    acceptance = TermsAcceptance.objects.get(partner=node)
    registration = PartnerRegistration.objects.get()
    assert (acceptance.version, acceptance.language, acceptance.accepted_at) == (1, "de", registration.terms_accepted_at)
    assert registration.partner == node
    assert NetworkChange.objects.filter(partner=node, reason="online registration").exists()


def test_with_approval_the_registration_waits_and_the_merchant_approves(gql, kim, dashboard, sample_network, terms, gql_installation):
    set_approval_required(gql_installation.pk, True, changed_by="owner@example.com")
    merchant = dashboard("MANAGE_USERS")

    answer = register(gql, kim)
    mine = gql(MINE, as_=kim).data["myPartnerRegistration"]
    pending = gql(PENDING, as_=merchant).data["partnerRegistrations"]

    assert answer["errors"] == [] and answer["partner"] is None
    assert answer["registration"]["status"] == "PENDING"
    assert mine == {"status": "PENDING", "email": "kim@example.com", "sponsorName": "Anna Muster", "sponsor": None, "decidedBy": None}
    assert not Partner.objects.filter(saleor_user_id=STOREFRONT_USER_ID).exists()
    assert pending["totalCount"] == 1 and pending["edges"][0]["node"]["sponsor"] == {"referralCode": "ANNA1"}
    again = register(gql, kim)
    assert again["errors"] == [{"field": "email", "code": "REGISTRATION_PENDING", "message": "Your registration waits for the company's approval already."}]

    approved = gql(APPROVE, {"id": pending["edges"][0]["node"]["id"]}, as_=merchant).data["partnerRegistrationApprove"]

    assert approved["errors"] == []
    assert approved["registration"]["status"] == "APPROVED"
    assert approved["partner"]["status"] == "ACTIVE" and approved["partner"]["email"] == "kim@example.com"
    partner = Partner.objects.get(saleor_user_id=STOREFRONT_USER_ID)
    assert partner.sponsor == sample_network["anna"]
    assert TaxProfile.objects.get(partner=partner).legal_name == "Kim Berger"
    assert TermsAcceptance.objects.get(partner=partner).accepted_at == PartnerRegistration.objects.get().terms_accepted_at
    twice = gql(APPROVE, {"id": pending["edges"][0]["node"]["id"]}, as_=merchant).data["partnerRegistrationApprove"]
    assert twice["errors"] == [{"field": "id", "code": "NOT_PENDING", "message": "This registration has been decided already."}]


def test_the_merchant_rejects_with_a_reason_and_the_person_may_register_again(gql, kim, dashboard, sample_network, terms, gql_installation):
    set_approval_required(gql_installation.pk, True, changed_by="owner@example.com")
    merchant = dashboard("MANAGE_USERS")
    register(gql, kim)
    registration_id = gql(PENDING, as_=merchant).data["partnerRegistrations"]["edges"][0]["node"]["id"]

    without = gql(REJECT, {"id": registration_id, "reason": " "}, as_=merchant).data["partnerRegistrationReject"]
    rejected = gql(REJECT, {"id": registration_id, "reason": "Unknown to us"}, as_=merchant).data["partnerRegistrationReject"]
    twice = gql(REJECT, {"id": registration_id, "reason": "again"}, as_=merchant).data["partnerRegistrationReject"]
    mine = gql(MINE, as_=kim).data["myPartnerRegistration"]

    assert without["errors"][0]["code"] == "REASON_REQUIRED"
    assert rejected == {"errors": [], "registration": {"status": "REJECTED", "decisionReason": "Unknown to us"}}
    assert twice["errors"][0]["code"] == "NOT_PENDING"
    assert mine["status"] == "REJECTED"
    assert not Partner.objects.filter(saleor_user_id=STOREFRONT_USER_ID).exists()
    assert register(gql, kim)["registration"]["status"] == "PENDING"


def test_approval_checks_the_rules_again(gql, kim, dashboard, sample_network, terms, gql_installation):
    """A sponsor terminated while the registration waited cannot take the partner."""
    set_approval_required(gql_installation.pk, True, changed_by="owner@example.com")
    merchant = dashboard("MANAGE_USERS")
    register(gql, kim)
    registration_id = gql(PENDING, as_=merchant).data["partnerRegistrations"]["edges"][0]["node"]["id"]
    Partner.objects.filter(pk=sample_network["anna"].pk).update(status=PartnerStatus.TERMINATED)

    answer = gql(APPROVE, {"id": registration_id}, as_=merchant).data["partnerRegistrationApprove"]

    assert answer["errors"][0]["code"] == "SPONSOR_NOT_ACTIVE" and answer["errors"][0]["field"] == "id"
    assert PartnerRegistration.objects.get().status == RegistrationStatus.PENDING


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"sponsorReferralCode": "NOBODY1"}, "sponsorReferralCode", "UNKNOWN_SPONSOR"),
        ({"acceptTerms": False}, "acceptTerms", "TERMS_NOT_ACCEPTED"),
        ({"termsVersion": 0}, "termsVersion", "TERMS_OUTDATED"),
        ({"legalName": " "}, "legalName", "REQUIRED"),
        ({"country": "XX"}, "country", "INVALID"),
        ({"vatId": "DE123"}, "vatId", "INVALID"),
        ({"taxNumber": "12"}, "taxNumber", "INVALID"),
        ({"taxStatus": "REVERSE_CHARGE"}, "vatId", "VAT_ID_REQUIRED"),
        ({"taxStatus": "REVERSE_CHARGE", "vatId": "ATU13585627", "country": "DE"}, "taxStatus", "TAX_STATUS_COUNTRY"),
        ({"taxStatus": "REGULAR"}, "taxNumber", "TAX_ID_REQUIRED"),
        ({"language": "deutsch!"}, "language", "INVALID"),
    ],
)
def test_refusals_stand_at_their_fields(gql, kim, sample_network, terms, changes, field, code):
    answer = register(gql, kim, **changes)

    assert [(error["field"], error["code"]) for error in answer["errors"]] == [(field, code)]
    assert answer["errors"][0]["message"]
    assert answer["registration"] is None and answer["partner"] is None
    assert not PartnerRegistration.objects.exists()


def test_a_terminated_sponsor_an_existing_partner_and_a_protected_customer_are_refused(gql, storefront, kim, sample_network, terms):
    Partner.objects.filter(pk=sample_network["frank"].pk).update(status=PartnerStatus.TERMINATED)

    terminated = register(gql, kim, sponsorReferralCode="FRANK1")
    same_email = register(gql, storefront(STOREFRONT_USER_ID, "ben@example.com"))
    same_account = register(gql, storefront(ANNA_USER, "anna.new@example.com"))
    protected = register(gql, storefront(KUNDE_USER, "kunde@example.com"), sponsorReferralCode="BERT1")

    assert [(error["field"], error["code"]) for error in terminated["errors"]] == [("sponsorReferralCode", "SPONSOR_NOT_ACTIVE")]
    assert [(error["field"], error["code"]) for error in same_email["errors"]] == [("email", "ALREADY_PARTNER")]
    assert [(error["field"], error["code"]) for error in same_account["errors"]] == [("email", "ALREADY_PARTNER")]
    assert [(error["field"], error["code"]) for error in protected["errors"]] == [("sponsorReferralCode", "CUSTOMER_PROTECTED")]
    assert not PartnerRegistration.objects.exists()


def test_a_customer_registers_under_its_sponsor_and_is_converted(gql, storefront, sample_network, terms):
    answer = register(gql, storefront(KUNDE_USER, "kunde@example.com"))

    assert answer["errors"] == []
    assert Customer.objects.get(pk=sample_network["kunde"].pk).converted_to_id is not None


def test_without_published_terms_registration_is_closed(gql, kim, sample_network):
    answer = register(gql, kim)

    assert [(error["field"], error["code"]) for error in answer["errors"]] == [("termsVersion", "TERMS_MISSING")]


def test_messages_in_the_visitors_language(gql, kim, sample_network, terms):
    answer = gql(REGISTER, {"input": registration_input(acceptTerms=False)}, as_=kim, headers={"HTTP_ACCEPT_LANGUAGE": "de"}).data["partnerRegister"]

    assert answer["errors"][0]["message"] == "Akzeptieren Sie die Partnerbedingungen, um sich zu registrieren."


@pytest.mark.parametrize("who", ["anonymous", "dashboard_with", "api_key"])
def test_only_a_shop_account_registers(gql, anonymous, dashboard, api_key, sample_network, terms, who):
    as_ = {"anonymous": anonymous, "dashboard_with": lambda: dashboard("MANAGE_USERS"), "api_key": api_key}[who]()

    result = gql(REGISTER, {"input": registration_input()}, as_=as_)

    assert result.error_codes == ["PERMISSION_DENIED"]
    assert not PartnerRegistration.objects.exists()


def test_merchant_fields_and_mutations_need_manage_users(gql, kim, dashboard, sample_network, terms):
    for query, variables in ((PENDING, None), (APPROVE, {"id": "x"}), (REJECT, {"id": "x", "reason": "r"}), (SETTINGS, {"input": {"approvalRequired": True}})):
        assert gql(query, variables, as_=kim).error_codes == ["PERMISSION_DENIED"]
        assert gql(query, variables, as_=dashboard("MANAGE_ORDERS")).error_codes == ["PERMISSION_DENIED"]


def test_unknown_registration_ids(gql, dashboard, sample_network):
    answer = gql(APPROVE, {"id": "UGFydG5lcjox"}, as_=dashboard("MANAGE_USERS")).data["partnerRegistrationApprove"]

    assert answer["errors"] == [{"field": "id", "code": "NOT_FOUND", "message": "No registration of this shop has this id."}]


def test_the_merchant_publishes_terms_and_sets_approval(gql, dashboard, anonymous, gql_installation):
    merchant = dashboard("MANAGE_USERS")
    first = gql(SETTINGS, {"input": {"terms": [{"language": "de", "text": "AGB eins"}, {"language": "en", "text": "Terms one"}]}}, as_=merchant)
    second = gql(SETTINGS, {"input": {"approvalRequired": True, "terms": [{"language": "DE", "text": " AGB zwei "}]}}, as_=merchant)
    empty = gql(SETTINGS, {"input": {"terms": [{"language": "de", "text": " "}]}}, as_=merchant)
    bad_language = gql(SETTINGS, {"input": {"terms": [{"language": "deutsch!", "text": "x"}]}}, as_=merchant)

    assert first.data["registrationSettingsUpdate"]["settings"]["termsVersion"] == 1
    settings = second.data["registrationSettingsUpdate"]["settings"]
    assert settings == {
        "approvalRequired": True,
        "termsVersion": 2,
        "termsPublishedBy": settings["termsPublishedBy"],
        "terms": [{"version": 2, "language": "de", "text": "AGB zwei"}],
    }
    assert settings["termsPublishedBy"]
    assert empty.data["registrationSettingsUpdate"]["errors"][0]["code"] == "INVALID"
    assert bad_language.data["registrationSettingsUpdate"]["errors"][0]["code"] == "INVALID"
    assert PartnerTerms.objects.filter(version=1).count() == 2  # version 1 is kept as it was
    # Public: the newest version, in the language asked for, else English or German.
    assert gql(TERMS, {"language": "EN"}, as_=anonymous()).data["partnerTerms"] == {"version": 2, "language": "de", "text": "AGB zwei"}


def test_the_partner_shows_its_acceptances(gql, kim, dashboard, sample_network, terms):
    register(gql, kim)
    partner_id = gql("{ me { partner { id } } }", as_=kim).data["me"]["partner"]["id"]

    own = gql("{ me { partner { termsAcceptances { version language acceptedAt } } } }", as_=kim).data["me"]["partner"]["termsAcceptances"]
    merchant = gql("query($id: ID!) { partner(id: $id) { termsAcceptances { version } } }", {"id": partner_id}, as_=dashboard("MANAGE_USERS"))

    assert [(item["version"], item["language"]) for item in own] == [(1, "de")]
    assert merchant.data["partner"]["termsAcceptances"] == [{"version": 1}]
