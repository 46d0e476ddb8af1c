"""Payouts in the API: a partner sets its payout profile and sees its payouts; the merchant
sets the shop's bank account and Stripe keys, sees profiles masked with their history,
confirms a changed IBAN, creates, approves (another person), executes a run, downloads the
SEPA file, lists items with filters and records rejected transfers; the four permission
cases write nothing when denied."""

import pytest
from graphql_relay import to_global_id

from saleor_mlm.credit_notes.models import CreditNote
from saleor_mlm.graphql.core.permissions import MlmPermission
from saleor_mlm.network import TaxStatus
from saleor_mlm.network.models import Partner
from saleor_mlm.payout_runs.models import PayoutRun
from saleor_mlm.payouts.models import PayoutProfile
from saleor_mlm.payouts.profiles import ProfileInput, set_payout_profile
from tests.fixtures.graphql import As

from . import sepa_xsd

pytestmark = pytest.mark.django_db
RITA_USER = "VXNlcjo3Nw=="
IBAN = "DE89370400440532013000"


@pytest.fixture
def installation(gql_installation):
    return gql_installation


@pytest.fixture
def merchants(tokens, gql_installation):
    """Two staff users with MANAGE_ORDERS: `merchants("ann@shop.example")`."""

    def make(email: str) -> As:
        token = tokens.thirdparty([MlmPermission.MANAGE_ORDERS], email=email, user_id=f"staff-{email}")
        return As({"HTTP_AUTHORIZATION_BEARER": token, "HTTP_SALEOR_API_URL": gql_installation.saleor_api_url}, email)

    return make


@pytest.fixture
def committed(month, earner, settle, django_capture_on_commit_callbacks):
    may = month("2026-05")
    rita = earner("Rita", {may: "45.50"}, TaxStatus.REGULAR)
    Partner.objects.filter(pk=rita.pk).update(saleor_user_id=RITA_USER)
    sam = earner("Sam", {may: "40.00"}, TaxStatus.SMALL_BUSINESS, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        settle(may)
    set_payout_profile(sam, ProfileInput(method="SEPA", account_holder="Sam Muster", iban="AT611904300234573201"), changed_by="sam", by_partner=True)
    return {"period": may, "rita": rita, "sam": sam}


MY_PROFILE_UPDATE = """
mutation Mine($input: PayoutProfileInput!) {
  myPayoutProfileUpdate(input: $input) {
    errors { field code message }
    payoutProfile { method accountHolder ibanMasked bic bankChangePending history { kind ibanMasked previousIbanMasked byPartner changedBy } }
  }
}
"""
MY_PAYOUTS = "{ myPayoutProfile { method ibanMasked } myPayouts(first: 5) { edges { node { status amount currency method creditNote { number } } } } }"
SETTINGS = """
mutation Settings($input: PayoutSettingsInput!) {
  payoutSettingsUpdate(input: $input) { errors { field code } settings { debtorName debtorIbanMasked debtorBic stripeConfigured stripeWebhookConfigured } }
}
"""
PROFILE = """
query Profile($id: ID!) { payoutProfile(partnerId: $id) { method ibanMasked bankChangePending history { kind changedBy ibanMasked } } }
"""
CONFIRM = """
mutation Confirm($id: ID!) { payoutBankChangeConfirm(partnerId: $id, note: "called back") { errors { code } payoutProfile { bankChangePending } } }
"""
CREATE = "mutation Create($id: ID!) { payoutRunCreate(periodId: $id) { errors { field code } payoutRun { id status createdBy totals { status count amount } skipped } } }"
APPROVE = "mutation Approve($id: ID!) { payoutRunApprove(id: $id) { errors { field code message } payoutRun { status approvedBy } } }"
EXECUTE = "mutation Execute($id: ID!) { payoutRunExecute(id: $id) { errors { field code message } payoutRun { status } } }"
RUN = """
query Run { payoutRun(period: "2026-05") { status executedBy sepaFiles { id filename transactionCount controlSum content } } }
"""
ITEMS = """
query Items($filter: PayoutItemFilterInput) {
  payoutItems(first: 10, filter: $filter) { totalCount edges { node { partner { displayName } method status skipReason amount endToEndId } } }
}
"""
REJECT = """
mutation Reject($id: ID!, $ids: [String!]!) {
  sepaFileRejectItems(id: $id, endToEndIds: $ids, reason: "AC04 account closed") { errors { field code } payoutItems { status returnReason } }
}
"""


def test_a_partner_sets_its_profile_and_sees_it_masked(gql, storefront, committed):
    rita = storefront(user_id=RITA_USER, email="rita@example.com")

    bad = gql(MY_PROFILE_UPDATE, {"input": {"method": "SEPA", "accountHolder": "Rita Muster", "iban": "DE89370400440532013001"}}, as_=rita)
    first = gql(MY_PROFILE_UPDATE, {"input": {"method": "SEPA", "accountHolder": "Rita Muster", "iban": IBAN}}, as_=rita)
    changed = gql(MY_PROFILE_UPDATE, {"input": {"method": "SEPA", "accountHolder": "Rita Muster", "iban": "DE02120300000000202051"}}, as_=rita)
    stranger = gql(MY_PROFILE_UPDATE, {"input": {"method": "NONE"}}, as_=storefront())

    assert bad.data["myPayoutProfileUpdate"]["errors"][0]["field"] == "iban"
    assert bad.data["myPayoutProfileUpdate"]["errors"][0]["code"] == "INVALID_IBAN"
    assert first.data["myPayoutProfileUpdate"]["payoutProfile"]["ibanMasked"] == "DE89 **** **** **** **30 00"
    assert first.data["myPayoutProfileUpdate"]["payoutProfile"]["bic"] == "COBADEFFXXX"
    profile = changed.data["myPayoutProfileUpdate"]["payoutProfile"]
    assert profile["bankChangePending"] is True
    assert profile["history"][-1] == {
        "kind": "SET",
        "ibanMasked": "DE02 **** **** **** **20 51",
        "previousIbanMasked": "DE89 **** **** **** **30 00",
        "byPartner": True,
        "changedBy": "rita@example.com",
    }
    assert IBAN not in str(first.body) and IBAN not in str(changed.body)
    assert stranger.error_codes == ["PERMISSION_DENIED"]


def test_month_end_through_the_api(gql, merchants, storefront, committed, django_capture_on_commit_callbacks):
    ann, ben = merchants("ann@shop.example"), merchants("ben@shop.example")
    period_id = to_global_id("Period", committed["period"].pk)
    settings = gql(SETTINGS, {"input": {"debtorName": "Shop GmbH", "debtorIban": "DE75512108001245126199", "stripeSecretKey": "sk_test_x"}}, as_=ann)
    assert settings.data["payoutSettingsUpdate"]["settings"] == {
        "debtorName": "Shop GmbH",
        "debtorIbanMasked": "DE75 **** **** **** **61 99",
        "debtorBic": "SOGEDEFFXXX",
        "stripeConfigured": True,
        "stripeWebhookConfigured": False,
    }

    created = gql(CREATE, {"id": period_id}, as_=ann).data["payoutRunCreate"]
    run_id = created["payoutRun"]["id"]
    same = gql(APPROVE, {"id": run_id}, as_=ann).data["payoutRunApprove"]
    approved = gql(APPROVE, {"id": run_id}, as_=ben).data["payoutRunApprove"]
    with django_capture_on_commit_callbacks(execute=True):
        executed = gql(EXECUTE, {"id": run_id}, as_=ann).data["payoutRunExecute"]
    run = gql(RUN, as_=ben).data["payoutRun"]
    skipped = gql(ITEMS, {"filter": {"period": "2026-05", "skipped": True}}, as_=ben).data["payoutItems"]

    assert created["payoutRun"]["status"] == "CREATED" and created["payoutRun"]["createdBy"] == "ann@shop.example"
    assert created["payoutRun"]["totals"] == [{"status": "PENDING", "count": 2, "amount": "94.15"}]
    assert created["payoutRun"]["skipped"] == 1
    assert same["errors"] == [{"field": None, "code": "SAME_USER", "message": "ann@shop.example created this payout run: another person approves it."}]
    assert approved["payoutRun"] == {"status": "APPROVED", "approvedBy": "ben@shop.example"}
    assert executed == {"errors": [], "payoutRun": {"status": "EXECUTING"}}
    assert run["status"] == "EXECUTED" and run["executedBy"] == "ann@shop.example"
    (sepa_file,) = run["sepaFiles"]
    assert (sepa_file["transactionCount"], sepa_file["controlSum"]) == (1, "40.00")
    assert sepa_file["filename"].startswith("payouts-2026-05-")
    sepa_xsd.validated(sepa_file["content"])
    assert skipped["edges"] == [
        {"node": {"partner": {"displayName": "Rita Muster"}, "method": "NONE", "status": "PENDING", "skipReason": "NO_METHOD", "amount": "54.15",
                  "endToEndId": CreditNote.objects.get(partner=committed["rita"]).number}}
    ]  # fmt: skip

    sam_number = CreditNote.objects.get(partner=committed["sam"]).number
    rejected = gql(REJECT, {"id": sepa_file["id"], "ids": [sam_number]}, as_=ben).data["sepaFileRejectItems"]
    returned = gql(ITEMS, {"filter": {"status": ["RETURNED"]}}, as_=ben).data["payoutItems"]

    assert rejected == {"errors": [], "payoutItems": [{"status": "RETURNED", "returnReason": "AC04 account closed"}]}
    assert returned["totalCount"] == 1


def test_the_merchant_sees_profiles_masked_and_confirms_a_changed_iban(gql, merchants, committed):
    ann = merchants("ann@shop.example")
    sam = committed["sam"]
    set_payout_profile(sam, ProfileInput(method="SEPA", account_holder="Sam Muster", iban=IBAN), changed_by="sam", by_partner=True)

    before = gql(PROFILE, {"id": to_global_id("Partner", sam.pk)}, as_=ann).data["payoutProfile"]
    confirmed = gql(CONFIRM, {"id": to_global_id("Partner", sam.pk)}, as_=ann).data["payoutBankChangeConfirm"]
    again = gql(CONFIRM, {"id": to_global_id("Partner", sam.pk)}, as_=ann).data["payoutBankChangeConfirm"]

    assert (before["method"], before["ibanMasked"], before["bankChangePending"]) == ("SEPA", "DE89 **** **** **** **30 00", True)
    assert [entry["kind"] for entry in before["history"]] == ["SET", "SET"]
    assert confirmed == {"errors": [], "payoutProfile": {"bankChangePending": False}}
    assert again["errors"] == [{"code": "NOTHING_TO_CONFIRM"}]


def test_a_partner_sees_its_own_payouts_only(gql, storefront, merchants, committed):
    ann, ben = merchants("ann@shop.example"), merchants("ben@shop.example")
    run_id = gql(CREATE, {"id": to_global_id("Period", committed["period"].pk)}, as_=ann).data["payoutRunCreate"]["payoutRun"]["id"]
    gql(APPROVE, {"id": run_id}, as_=ben)
    rita = storefront(user_id=RITA_USER, email="rita@example.com")

    mine = gql(MY_PAYOUTS, as_=rita).data
    nobody = gql(MY_PAYOUTS, as_=storefront()).data

    assert mine["myPayoutProfile"] is None
    assert mine["myPayouts"]["edges"] == [
        {"node": {"status": "PENDING", "amount": "54.15", "currency": "EUR", "method": "NONE", "creditNote": {"number": CreditNote.objects.get(partner=committed["rita"]).number}}}
    ]
    assert nobody == {"myPayoutProfile": None, "myPayouts": {"edges": []}}


@pytest.mark.parametrize("who, allowed", [("anonymous", False), ("storefront", False), ("dashboard_without", False), ("dashboard_with", True)])
def test_create_permissions(gql, four_requestors, committed, who, allowed):
    result = gql(CREATE, {"id": to_global_id("Period", committed["period"].pk)}, as_=four_requestors(MlmPermission.MANAGE_ORDERS)[who])

    assert PayoutRun.objects.count() == (1 if allowed else 0)
    assert allowed or result.error_codes in (["PERMISSION_DENIED"], ["UNKNOWN_INSTALLATION"])


@pytest.mark.parametrize("who, allowed", [("anonymous", False), ("storefront", False), ("dashboard_without", False), ("dashboard_with", True)])
def test_merchant_profile_update_permissions(gql, four_requestors, committed, who, allowed):
    mutation = "mutation P($id: ID!) { payoutProfileUpdate(partnerId: $id, input: {method: STRIPE}) { errors { code } payoutProfile { method } } }"

    result = gql(mutation, {"id": to_global_id("Partner", committed["rita"].pk)}, as_=four_requestors(MlmPermission.MANAGE_ORDERS)[who])

    assert PayoutProfile.objects.filter(partner=committed["rita"]).exists() is allowed
    assert allowed or result.error_codes in (["PERMISSION_DENIED"], ["UNKNOWN_INSTALLATION"])


ACCOUNT_LINK = """
mutation Link($refresh: String!, $return: String!) {
  payoutAccountLink(refreshUrl: $refresh, returnUrl: $return) { errors { field code message } url stripeAccount { accountId payoutsEnabled } }
}
"""


def test_a_partner_gets_its_stripe_onboarding_link(gql, storefront, merchants, committed, settings):
    from .stripe_server import LocalStripe

    server = LocalStripe("sk_test_local").start()
    settings.STRIPE_API_BASE = server.url
    rita = storefront(user_id=RITA_USER, email="rita@example.com")
    links = {"refresh": "https://shop.example.com/refresh", "return": "https://shop.example.com/done"}
    try:
        unconfigured = gql(ACCOUNT_LINK, links, as_=rita).data["payoutAccountLink"]
        gql(SETTINGS, {"input": {"stripeSecretKey": "sk_test_local", "stripeWebhookSecret": "whsec_x"}}, as_=merchants("ann@shop.example"))
        linked = gql(ACCOUNT_LINK, links, as_=rita).data["payoutAccountLink"]
        webhook_url = gql("{ payoutSettings { stripeWebhookUrl stripeWebhookConfigured } }", as_=merchants("ann@shop.example")).data
    finally:
        server.stop()

    assert unconfigured["errors"] == [{"field": None, "code": "STRIPE_NOT_CONFIGURED", "message": "The shop has not set up Stripe yet (its secret key is missing)."}]
    (account_id,) = server.accounts
    assert linked["errors"] == [] and linked["url"].startswith(f"{server.url}/setup/e/{account_id}/")
    assert linked["stripeAccount"] == {"accountId": account_id, "payoutsEnabled": False}
    assert PayoutProfile.objects.get(partner=committed["rita"]).method == "stripe"
    assert webhook_url == {
        "payoutSettings": {"stripeWebhookUrl": f"http://testserver/api/stripe/webhooks/{committed['rita'].installation_id}", "stripeWebhookConfigured": True}
    }
    assert server.violations == []
