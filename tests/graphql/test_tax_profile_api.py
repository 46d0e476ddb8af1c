"""The tax profile in the API: the partner changes its own (until it is locked), the
merchant changes and locks any; the four permission cases write nothing when denied."""

import pytest
from graphql_relay import to_global_id

from saleor_mlm.graphql.core.permissions import MlmPermission
from saleor_mlm.network.models import TaxProfile
from tests.fixtures.graphql import ANNA_USER

PROFILE = {
    "legalName": "Anna Muster",
    "street": "Hauptstr. 5",
    "postalCode": "80331",
    "city": "München",
    "country": "DE",
    "taxNumber": "21/815/08150",
    "taxStatus": "REGULAR",
}

MY_UPDATE = """
mutation Mine($input: TaxProfileInput!) {
  myTaxProfileUpdate(input: $input) { errors { field code } taxProfile { legalName taxNumber taxStatus country changedBy } }
}
"""
MERCHANT_UPDATE = """
mutation Theirs($id: ID!, $input: TaxProfileInput!, $reason: String) {
  partnerTaxProfileUpdate(partnerId: $id, input: $input, reason: $reason) { errors { field code } taxProfile { taxStatus vatId reason } }
}
"""
LOCK = """
mutation Lock($id: ID!, $locked: Boolean!) {
  partnerTaxProfileLock(partnerId: $id, locked: $locked) { errors { field code } partner { taxProfileLockedAt } }
}
"""
ME = "{ me { partner { taxStatus taxProfile { legalName taxStatus } taxProfileHistory { taxStatus changedBy } } } }"


def test_a_partner_changes_its_profile_until_it_is_locked(gql, storefront, dashboard, sample_network):
    anna = storefront(user_id=ANNA_USER, email="anna@example.com")
    merchant = dashboard(MlmPermission.MANAGE_USERS)
    anna_id = to_global_id("Partner", sample_network["anna"].pk)

    mine = gql(MY_UPDATE, {"input": PROFILE}, as_=anna).data["myTaxProfileUpdate"]
    locked = gql(LOCK, {"id": anna_id, "locked": True}, as_=merchant).data["partnerTaxProfileLock"]
    refused = gql(MY_UPDATE, {"input": {**PROFILE, "taxStatus": "PRIVATE"}}, as_=anna).data["myTaxProfileUpdate"]
    theirs = gql(
        MERCHANT_UPDATE,
        {"id": anna_id, "input": {**PROFILE, "taxNumber": "", "vatId": "DE136695976"}, "reason": "checked"},
        as_=merchant,
    ).data["partnerTaxProfileUpdate"]
    me = gql(ME, as_=anna).data["me"]["partner"]

    assert mine == {
        "errors": [],
        "taxProfile": {"legalName": "Anna Muster", "taxNumber": "21/815/08150", "taxStatus": "REGULAR", "country": "DE", "changedBy": "anna@example.com"},
    }
    assert locked["errors"] == [] and locked["partner"]["taxProfileLockedAt"]
    assert refused == {"errors": [{"field": "taxProfile", "code": "TAX_PROFILE_LOCKED"}], "taxProfile": None}
    assert theirs == {"errors": [], "taxProfile": {"taxStatus": "REGULAR", "vatId": "DE136695976", "reason": "checked"}}
    assert me == {
        "taxStatus": "REGULAR",
        "taxProfile": {"legalName": "Anna Muster", "taxStatus": "REGULAR"},
        "taxProfileHistory": [
            {"taxStatus": "REGULAR", "changedBy": "anna@example.com"},
            {"taxStatus": "REGULAR", "changedBy": "staff@example.com"},
        ],
    }


def test_invalid_input_is_a_typed_error(gql, storefront, sample_network):
    anna = storefront(user_id=ANNA_USER, email="anna@example.com")

    result = gql(MY_UPDATE, {"input": {**PROFILE, "taxNumber": "", "vatId": "DE123456789"}}, as_=anna).data["myTaxProfileUpdate"]

    assert result == {"errors": [{"field": "vatId", "code": "INVALID"}], "taxProfile": None}
    assert not TaxProfile.objects.exists()


@pytest.mark.parametrize("who, allowed", [("anonymous", False), ("storefront", False), ("dashboard_without", False), ("dashboard_with", True)])
def test_merchant_update_permissions(gql, four_requestors, sample_network, who, allowed):
    requestor = four_requestors(MlmPermission.MANAGE_USERS)[who]

    result = gql(MERCHANT_UPDATE, {"id": to_global_id("Partner", sample_network["bert"].pk), "input": PROFILE}, as_=requestor)

    assert (result.error_codes == [], TaxProfile.objects.filter(partner=sample_network["bert"]).count()) == (allowed, int(allowed))
    assert allowed or result.error_codes in (["PERMISSION_DENIED"], ["UNKNOWN_INSTALLATION"])


def test_only_partners_change_their_own_profile(gql, storefront, anonymous, sample_network):
    customer = gql(MY_UPDATE, {"input": PROFILE}, as_=storefront())
    nobody = gql(MY_UPDATE, {"input": PROFILE}, as_=anonymous())

    assert (customer.error_codes, nobody.error_codes) == (["PERMISSION_DENIED"], ["PERMISSION_DENIED"])
    assert not TaxProfile.objects.exists()
