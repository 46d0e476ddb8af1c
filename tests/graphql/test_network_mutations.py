"""The network's mutations: what they change, the typed errors of refusals, and the
four permission cases, with a check that nothing was written when access is denied."""

import pytest
from graphql_relay import to_global_id

from saleor_mlm.network import ChangeKind, PartnerStatus
from saleor_mlm.network.models import CareAssignment, Customer, NetworkChange, Partner, SplitAgreement
from tests.fixtures.graphql import ANNA_USER

PARTNER_CREATE = """
mutation Create($input: PartnerCreateInput!) {
  partnerCreate(input: $input) {
    errors { field code message }
    partner { referralCode email firstName status language country sponsor { referralCode } }
  }
}
"""

PARTNER_SET_STATUS = """
mutation SetStatus($id: ID!, $status: PartnerStatusEnum!, $reason: String) {
  partnerSetStatus(id: $id, status: $status, reason: $reason) {
    errors { field code message }
    partner { referralCode status statusReason }
  }
}
"""

PARTNER_UPDATE = """
mutation Update($id: ID!, $input: PartnerUpdateInput!) {
  partnerUpdate(id: $id, input: $input) {
    errors { field code message }
    partner { referralCode email lastName country taxStatus vatId changes { edges { node { kind oldValue newValue reason } } } }
  }
}
"""

PARTNER_CHANGE_SPONSOR = """
mutation ChangeSponsor($id: ID!, $sponsorId: ID, $reason: String!) {
  partnerChangeSponsor(id: $id, sponsorId: $sponsorId, reason: $reason) {
    errors { field code message }
    partner { referralCode sponsor { referralCode } }
    endedCare { carePartner { referralCode } inForce }
  }
}
"""

CARE_ASSIGN = """
mutation CareAssign($input: CareAssignInput!) {
  careAssign(input: $input) {
    errors { field code message }
    careAssignment { partner { referralCode } customer { email } carePartner { referralCode } share effectiveShare inForce setBy reason }
  }
}
"""

CARE_UNASSIGN = """
mutation CareUnassign($partnerId: ID, $customerId: ID, $reason: String) {
  careUnassign(partnerId: $partnerId, customerId: $customerId, reason: $reason) {
    errors { field code message }
    careAssignment { partner { referralCode } carePartner { referralCode } inForce }
  }
}
"""

SPLIT_AGREEMENT_SET = """
mutation SplitSet($input: SplitAgreementSetInput!) {
  splitAgreementSet(input: $input) {
    errors { field code message }
    splitAgreement { partner { referralCode } share inForce setBy note }
  }
}
"""

HOUSE_CUSTOMER_ASSIGN = """
mutation HouseAssign($customerId: ID!, $sponsorId: ID!) {
  houseCustomerAssign(customerId: $customerId, sponsorId: $sponsorId) {
    errors { field code message }
    customer { email attributionSource sponsor { referralCode } }
  }
}
"""


def gid(node) -> str:
    return to_global_id(type(node).__name__, node.pk)


def network_state() -> dict:
    """Every row of the network, to compare before and after a refused call."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in (Partner, Customer, CareAssignment, SplitAgreement, NetworkChange)}


@pytest.fixture
def merchant(dashboard):
    return dashboard("MANAGE_USERS")


@pytest.fixture
def house_customer(sample_network, customer_factory):
    return customer_factory(installation=sample_network["root"].installation, email="haus@example.com")


# --- what each mutation does --------------------------------------------------------


def test_partner_create_under_a_sponsor(gql, merchant, sample_network):
    variables = {"input": {"email": "neu@example.com", "firstName": "Neu", "sponsorId": gid(sample_network["anna"]), "referralCode": "neu-1", "country": "at"}}

    result = gql(PARTNER_CREATE, variables, as_=merchant)

    assert result.data == {
        "partnerCreate": {
            "errors": [],
            "partner": {
                "referralCode": "NEU-1",
                "email": "neu@example.com",
                "firstName": "Neu",
                "status": "ACTIVE",
                "language": "de",
                "country": "AT",
                "sponsor": {"referralCode": "ANNA1"},
            },
        }
    }
    change = NetworkChange.objects.get(partner__referral_code="NEU-1")
    assert (change.kind, change.changed_by) == (ChangeKind.CREATED, "staff@example.com")


def test_partner_create_with_a_sponsor_code(gql, merchant, sample_network):
    result = gql(PARTNER_CREATE, {"input": {"email": "neu@example.com", "sponsorReferralCode": "bert1", "referralCode": "NEU2"}}, as_=merchant)

    assert result.data["partnerCreate"]["partner"]["sponsor"] == {"referralCode": "BERT1"}


def test_partner_create_refusals_are_typed_errors(gql, merchant, sample_network):
    unknown_code = gql(PARTNER_CREATE, {"input": {"email": "neu@example.com", "sponsorReferralCode": "NOBODY"}}, as_=merchant)
    taken_code = gql(PARTNER_CREATE, {"input": {"email": "neu@example.com", "referralCode": "anna1"}}, as_=merchant)
    bad_email = gql(PARTNER_CREATE, {"input": {"email": "not-an-email"}}, as_=merchant)
    unknown_id = gql(PARTNER_CREATE, {"input": {"email": "neu@example.com", "sponsorId": to_global_id("Partner", 999999)}}, as_=merchant)

    assert unknown_code.data["partnerCreate"] == {
        "errors": [{"field": "sponsorReferralCode", "code": "UNKNOWN_SPONSOR", "message": "No partner has the referral code 'NOBODY'."}],
        "partner": None,
    }
    assert taken_code.data["partnerCreate"]["errors"] == [
        {"field": "referralCode", "code": "DUPLICATE_REFERRAL_CODE", "message": "The referral code 'ANNA1' is taken."}
    ]
    assert bad_email.data["partnerCreate"]["errors"] == [{"field": "email", "code": "INVALID", "message": "'not-an-email' is not an e-mail address."}]
    assert unknown_id.data["partnerCreate"]["errors"] == [{"field": "sponsorId", "code": "NOT_FOUND", "message": "No partner of this shop has this id."}]
    assert Partner.objects.count() == 8


def test_partner_set_status(gql, merchant, sample_network):
    result = gql(PARTNER_SET_STATUS, {"id": gid(sample_network["ben"]), "status": "INACTIVE", "reason": "Pause"}, as_=merchant)

    assert result.data == {"partnerSetStatus": {"errors": [], "partner": {"referralCode": "BEN1", "status": "INACTIVE", "statusReason": "Pause"}}}
    assert Partner.objects.get(pk=sample_network["ben"].pk).status == PartnerStatus.INACTIVE


def test_termination_needs_a_reason(gql, merchant, sample_network):
    result = gql(PARTNER_SET_STATUS, {"id": gid(sample_network["ben"]), "status": "TERMINATED"}, as_=merchant)

    assert result.data["partnerSetStatus"] == {
        "errors": [{"field": "reason", "code": "REASON_REQUIRED", "message": "Terminating a partner needs a reason; it is kept in the history."}],
        "partner": None,
    }


def test_partner_update(gql, merchant, sample_network):
    variables = {
        "id": gid(sample_network["ben"]),
        "input": {"lastName": "Neu", "country": "at", "taxStatus": "REVERSE_CHARGE", "vatId": "ATU13585627", "email": None, "reason": "Heirat"},
    }

    result = gql(PARTNER_UPDATE, variables, as_=merchant)

    assert result.data["partnerUpdate"] == {
        "errors": [],
        "partner": {
            "referralCode": "BEN1",
            "email": "ben@example.com",
            "lastName": "Neu",
            "country": "AT",
            "taxStatus": "REVERSE_CHARGE",
            "vatId": "ATU13585627",
            "changes": {
                "edges": [
                    {
                        "node": {
                            "kind": "DETAILS",
                            "oldValue": {"last_name": "Muster", "country": "", "tax_status": "regular", "vat_id": ""},
                            "newValue": {"last_name": "Neu", "country": "AT", "tax_status": "reverse_charge", "vat_id": "ATU13585627"},
                            "reason": "Heirat",
                        }
                    }
                ]
            },
        },
    }


def test_partner_update_refusals_are_typed_errors(gql, merchant, sample_network):
    Partner.objects.filter(pk=sample_network["anna"].pk).update(voucher_code="ANNA1")
    before = network_state()

    taken = gql(PARTNER_UPDATE, {"id": gid(sample_network["ben"]), "input": {"referralCode": "carl1"}}, as_=merchant)
    issued = gql(PARTNER_UPDATE, {"id": gid(sample_network["anna"]), "input": {"referralCode": "ANNA-NEU", "lastName": "X"}}, as_=merchant)
    no_vat = gql(PARTNER_UPDATE, {"id": gid(sample_network["ben"]), "input": {"taxStatus": "REVERSE_CHARGE"}}, as_=merchant)
    email = gql(PARTNER_UPDATE, {"id": gid(sample_network["ben"]), "input": {"email": "anna@example.com"}}, as_=merchant)

    assert [e["field"] + ":" + e["code"] for e in taken.data["partnerUpdate"]["errors"]] == ["referralCode:DUPLICATE_REFERRAL_CODE"]
    assert [e["field"] + ":" + e["code"] for e in issued.data["partnerUpdate"]["errors"]] == ["referralCode:INVALID_REFERRAL_CODE"]
    assert [e["field"] + ":" + e["code"] for e in no_vat.data["partnerUpdate"]["errors"]] == ["vatId:VAT_ID_REQUIRED"]
    assert [e["field"] + ":" + e["code"] for e in email.data["partnerUpdate"]["errors"]] == ["email:ALREADY_PARTNER"]
    assert network_state() == before


def test_partner_change_sponsor(gql, merchant, sample_network):
    variables = {"id": gid(sample_network["carl"]), "sponsorId": gid(sample_network["anna"]), "reason": "Wechsel"}

    result = gql(PARTNER_CHANGE_SPONSOR, variables, as_=merchant)

    assert result.data == {"partnerChangeSponsor": {"errors": [], "partner": {"referralCode": "CARL1", "sponsor": {"referralCode": "ANNA1"}}, "endedCare": None}}


def test_partner_change_sponsor_to_the_betreuer_ends_care(gql, merchant, sample_network):
    variables = {"id": gid(sample_network["dora"]), "sponsorId": gid(sample_network["anna"]), "reason": "Anna übernimmt"}

    result = gql(PARTNER_CHANGE_SPONSOR, variables, as_=merchant)

    assert result.data["partnerChangeSponsor"]["endedCare"] == {"carePartner": {"referralCode": "ANNA1"}, "inForce": False}


def test_a_cycle_is_refused_with_the_path(gql, merchant, sample_network):
    variables = {"id": gid(sample_network["anna"]), "sponsorId": gid(sample_network["carl"]), "reason": "test"}

    result = gql(PARTNER_CHANGE_SPONSOR, variables, as_=merchant)

    assert result.data["partnerChangeSponsor"] == {
        "errors": [
            {
                "field": "sponsorId",
                "code": "CYCLE",
                "message": "Making Carl Muster (CARL1) the sponsor of Anna Muster (ANNA1) would close a cycle: "
                "Carl Muster (CARL1) is below Anna Muster (ANNA1) "
                "(Carl Muster (CARL1) -sponsor-> Ben Muster (BEN1) -sponsor-> Anna Muster (ANNA1)).",
            }
        ],
        "partner": None,
        "endedCare": None,
    }
    assert Partner.objects.get(pk=sample_network["anna"].pk).sponsor_id == sample_network["root"].pk


def test_care_assign_and_unassign(gql, merchant, sample_network):
    assign = {"input": {"partnerId": gid(sample_network["ben"]), "carePartnerId": gid(sample_network["bert"]), "share": "0.2", "reason": "nah dran"}}

    assigned = gql(CARE_ASSIGN, assign, as_=merchant)
    ended = gql(CARE_UNASSIGN, {"partnerId": gid(sample_network["ben"]), "reason": "umgezogen"}, as_=merchant)
    nothing = gql(CARE_UNASSIGN, {"partnerId": gid(sample_network["ben"])}, as_=merchant)

    assert assigned.data == {
        "careAssign": {
            "errors": [],
            "careAssignment": {
                "partner": {"referralCode": "BEN1"},
                "customer": None,
                "carePartner": {"referralCode": "BERT1"},
                "share": "0.2000",
                "effectiveShare": "0.2000",
                "inForce": True,
                "setBy": "staff@example.com",
                "reason": "nah dran",
            },
        }
    }
    assert ended.data == {
        "careUnassign": {"errors": [], "careAssignment": {"partner": {"referralCode": "BEN1"}, "carePartner": {"referralCode": "BERT1"}, "inForce": False}}
    }
    assert nothing.data == {"careUnassign": {"errors": [], "careAssignment": None}}


def test_care_assign_refusals(gql, merchant, sample_network):
    sponsor_as_care = {"input": {"partnerId": gid(sample_network["ben"]), "carePartnerId": gid(sample_network["anna"]), "share": "0.2"}}
    both_nodes = {"input": {"partnerId": gid(sample_network["ben"]), "customerId": gid(sample_network["kunde"]), "carePartnerId": gid(sample_network["bert"])}}
    bad_share = {"input": {"partnerId": gid(sample_network["ben"]), "carePartnerId": gid(sample_network["bert"]), "share": "1.5"}}

    assert gql(CARE_ASSIGN, sponsor_as_care, as_=merchant).data["careAssign"]["errors"] == [
        {
            "field": "carePartnerId",
            "code": "CARE_IS_SPONSOR",
            "message": "Anna Muster (ANNA1) is the sponsor of Ben Muster (BEN1): a sponsor as Betreuer would get its own share back. "
            "Remove the Betreuer instead.",
        }
    ]
    assert gql(CARE_ASSIGN, both_nodes, as_=merchant).data["careAssign"]["errors"] == [
        {"field": "partnerId", "code": "INVALID", "message": "Give either `partnerId` or `customerId`."}
    ]
    assert gql(CARE_ASSIGN, bad_share, as_=merchant).data["careAssign"]["errors"] == [
        {"field": "share", "code": "INVALID_SHARE", "message": "A share must be between 0 and 1 (0.25 is 25 %); got 1.5."}
    ]


def test_split_agreement_set(gql, merchant, sample_network):
    variables = {"input": {"partnerId": gid(sample_network["anna"]), "share": "0.4", "note": "Vereinbarung 2026"}}

    result = gql(SPLIT_AGREEMENT_SET, variables, as_=merchant)

    assert result.data == {
        "splitAgreementSet": {
            "errors": [],
            "splitAgreement": {"partner": {"referralCode": "ANNA1"}, "share": "0.4000", "inForce": True, "setBy": "staff@example.com", "note": "Vereinbarung 2026"},
        }
    }


def test_house_customer_assign(gql, merchant, sample_network, house_customer):
    result = gql(HOUSE_CUSTOMER_ASSIGN, {"customerId": gid(house_customer), "sponsorId": gid(sample_network["ben"])}, as_=merchant)
    again = gql(HOUSE_CUSTOMER_ASSIGN, {"customerId": gid(house_customer), "sponsorId": gid(sample_network["carl"])}, as_=merchant)

    assert result.data == {
        "houseCustomerAssign": {"errors": [], "customer": {"email": "haus@example.com", "attributionSource": "MANUAL", "sponsor": {"referralCode": "BEN1"}}}
    }
    assert again.data["houseCustomerAssign"]["errors"][0]["code"] == "CUSTOMER_PROTECTED"
    assert again.data["houseCustomerAssign"]["errors"][0]["field"] == "sponsorId"


def test_ids_of_another_shop_are_not_found(gql, merchant, sample_network, installation_factory, partner_factory):
    stranger = partner_factory(installation=installation_factory())

    result = gql(PARTNER_SET_STATUS, {"id": gid(stranger), "status": "INACTIVE"}, as_=merchant)

    assert result.data["partnerSetStatus"]["errors"] == [{"field": "id", "code": "NOT_FOUND", "message": "No partner of this shop has this id."}]
    assert Partner.objects.get(pk=stranger.pk).status == PartnerStatus.ACTIVE


# --- four cases for every merchant mutation -------------------------------------------


def _merchant_calls(network, house_customer):
    return {
        "partnerCreate": (PARTNER_CREATE, {"input": {"email": "neu@example.com", "referralCode": "NEU9"}}),
        "partnerUpdate": (PARTNER_UPDATE, {"id": gid(network["ben"]), "input": {"lastName": "Neu"}}),
        "partnerSetStatus": (PARTNER_SET_STATUS, {"id": gid(network["ben"]), "status": "INACTIVE", "reason": "x"}),
        "partnerChangeSponsor": (PARTNER_CHANGE_SPONSOR, {"id": gid(network["carl"]), "sponsorId": gid(network["anna"]), "reason": "x"}),
        "careAssign": (CARE_ASSIGN, {"input": {"partnerId": gid(network["ben"]), "carePartnerId": gid(network["bert"]), "share": "0.1"}}),
        "careUnassign": (CARE_UNASSIGN, {"partnerId": gid(network["dora"])}),
        "splitAgreementSet": (SPLIT_AGREEMENT_SET, {"input": {"partnerId": gid(network["anna"]), "share": "0.4"}}),
        "houseCustomerAssign": (HOUSE_CUSTOMER_ASSIGN, {"customerId": gid(house_customer), "sponsorId": gid(network["ben"])}),
    }


MERCHANT_MUTATIONS = ["partnerCreate", "partnerUpdate", "partnerSetStatus", "partnerChangeSponsor", "careAssign", "careUnassign", "splitAgreementSet", "houseCustomerAssign"]


@pytest.mark.parametrize("mutation", MERCHANT_MUTATIONS)
@pytest.mark.parametrize("who", ["anonymous", "storefront", "dashboard_without", "dashboard_with"])
def test_merchant_mutations_in_four_cases(gql, four_requestors, sample_network, house_customer, mutation, who):
    document, variables = _merchant_calls(sample_network, house_customer)[mutation]
    before = network_state()

    result = gql(document, variables, as_=four_requestors("MANAGE_USERS")[who])

    if who == "dashboard_with":
        assert result.data[mutation]["errors"] == []
        assert network_state() != before
    else:
        assert result.data == {mutation: None}
        assert result.error_codes == ["PERMISSION_DENIED"]
        assert network_state() == before


@pytest.mark.parametrize("mutation", MERCHANT_MUTATIONS)
def test_a_partner_cannot_change_any_line(gql, storefront, sample_network, house_customer, mutation):
    """Anna, logged in to the storefront, tries every merchant mutation on her own and on
    Bert's line: all refused, nothing written."""
    document, variables = _merchant_calls(sample_network, house_customer)[mutation]
    before = network_state()

    result = gql(document, variables, as_=storefront(ANNA_USER, "anna@example.com"))

    assert result.error_codes == ["PERMISSION_DENIED"]
    assert network_state() == before
