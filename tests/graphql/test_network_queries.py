"""The merchant's queries: lists with filters, search, sorting and paging; one partner;
the genealogy; customers; care and split records; the history. Each in four cases."""

import pytest
from graphql_relay import to_global_id

from saleor_mlm.network import ChangeKind, PartnerStatus
from saleor_mlm.network.models import NetworkChange
from tests.fixtures.graphql import ANNA_USER, KUNDE_USER

PARTNERS = """
query Partners($filter: PartnerFilterInput, $search: String, $sortBy: PartnerSortingInput, $first: Int, $after: String, $last: Int, $before: String) {
  partners(filter: $filter, search: $search, sortBy: $sortBy, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { node { referralCode } }
  }
}
"""

PARTNER = """
query Partner($id: ID, $code: String) {
  partner(id: $id, referralCode: $code) {
    id referralCode email taxStatus vatId saleorUserId createdAt
    sponsor { referralCode email }
    care { carePartner { referralCode } share effectiveShare setBy }
    frontline { totalCount edges { node { referralCode } } }
  }
}
"""

GENEALOGY = """
query Genealogy($id: ID!, $depth: Int) {
  genealogy(partnerId: $id, depth: $depth) { totalCount edges { level node { referralCode } } }
}
"""

CUSTOMERS = """
query Customers($filter: CustomerFilterInput, $search: String) {
  customers(filter: $filter, search: $search) {
    totalCount edges { node { displayName email isHouseCustomer sponsor { referralCode } care { carePartner { referralCode } } } }
  }
  houseCustomers { totalCount edges { node { email } } }
}
"""

CARE_AND_SPLITS = """
query Care($care: CareAssignmentFilterInput, $splits: SplitAgreementFilterInput) {
  careAssignments(filter: $care) {
    totalCount
    edges { node { partner { referralCode } customer { email } carePartner { referralCode } share effectiveShare shareSource setBy } }
  }
  splitAgreements(filter: $splits) { totalCount edges { node { partner { referralCode } share inForce setBy } } }
}
"""

CHANGES = """
query Changes($filter: NetworkChangeFilterInput) {
  networkChanges(filter: $filter) { totalCount edges { node { kind partner { referralCode } oldValue newValue changedBy reason } } }
}
"""


def codes(result, field="partners"):
    return [edge["node"]["referralCode"] for edge in result.data[field]["edges"]]


@pytest.fixture
def merchant(dashboard):
    return dashboard("MANAGE_USERS")


def test_partners_sorted_by_name_by_default(gql, merchant, sample_network):
    result = gql(PARTNERS, as_=merchant)

    assert result.data["partners"]["totalCount"] == 8
    assert codes(result) == ["ANNA1", "BEN1", "BERT1", "CARL1", "DORA1", "EMIL1", "FRANK1", "ROOT1"]


def test_partners_filter_search_and_sort(gql, merchant, sample_network):
    sample_network["frank"].status = PartnerStatus.INACTIVE
    sample_network["frank"].save()
    bert_id = to_global_id("Partner", sample_network["bert"].pk)

    by_sponsor = gql(PARTNERS, {"filter": {"sponsorId": bert_id}, "sortBy": {"field": "NAME", "direction": "DESC"}}, as_=merchant)
    inactive = gql(PARTNERS, {"filter": {"status": ["INACTIVE", "TERMINATED"]}}, as_=merchant)
    roots = gql(PARTNERS, {"filter": {"isRoot": True}}, as_=merchant)
    searched = gql(PARTNERS, {"search": "dora muster"}, as_=merchant)
    by_code = gql(PARTNERS, {"search": "emil1"}, as_=merchant)
    by_email = gql(PARTNERS, {"sortBy": {"field": "EMAIL"}, "first": 3}, as_=merchant)

    assert codes(by_sponsor) == ["FRANK1", "DORA1"]
    assert codes(inactive) == ["FRANK1"]
    assert codes(roots) == ["ROOT1"]
    assert codes(searched) == ["DORA1"]
    assert codes(by_code) == ["EMIL1"]
    assert codes(by_email) == ["ANNA1", "BEN1", "BERT1"]


def test_partners_paging_forwards_and_backwards(gql, merchant, sample_network):
    page1 = gql(PARTNERS, {"first": 3}, as_=merchant).data["partners"]
    page2 = gql(PARTNERS, {"first": 3, "after": page1["pageInfo"]["endCursor"]}, as_=merchant).data["partners"]
    page3 = gql(PARTNERS, {"first": 3, "after": page2["pageInfo"]["endCursor"]}, as_=merchant).data["partners"]
    back = gql(PARTNERS, {"last": 3, "before": page3["pageInfo"]["startCursor"]}, as_=merchant).data["partners"]

    assert [e["node"]["referralCode"] for e in page1["edges"]] == ["ANNA1", "BEN1", "BERT1"]
    assert [e["node"]["referralCode"] for e in page2["edges"]] == ["CARL1", "DORA1", "EMIL1"]
    assert [e["node"]["referralCode"] for e in page3["edges"]] == ["FRANK1", "ROOT1"]
    assert (page1["pageInfo"]["hasNextPage"], page1["pageInfo"]["hasPreviousPage"]) == (True, False)
    assert (page3["pageInfo"]["hasNextPage"], page3["pageInfo"]["hasPreviousPage"]) == (False, True)
    assert [e["node"]["referralCode"] for e in back["edges"]] == ["CARL1", "DORA1", "EMIL1"]
    assert (back["pageInfo"]["hasNextPage"], back["pageInfo"]["hasPreviousPage"]) == (True, True)


def test_partner_by_id_and_by_code(gql, merchant, sample_network):
    anna = sample_network["anna"]

    by_id = gql(PARTNER, {"id": to_global_id("Partner", anna.pk)}, as_=merchant)
    by_code = gql(PARTNER, {"code": "anna1"}, as_=merchant)

    assert by_id.data == by_code.data
    partner = by_id.data["partner"]
    assert partner["createdAt"] is not None
    del partner["createdAt"]
    assert partner == {
        "id": to_global_id("Partner", anna.pk),
        "referralCode": "ANNA1",
        "email": "anna@example.com",
        "taxStatus": "REGULAR",
        "vatId": "DE136695976",
        "saleorUserId": "VXNlcjoxMDE=",
        "sponsor": {"referralCode": "ROOT1", "email": "root@example.com"},
        "care": None,
        "frontline": {"totalCount": 1, "edges": [{"node": {"referralCode": "BEN1"}}]},
    }


def test_partner_care_as_the_merchant_sees_it(gql, merchant, sample_network):
    result = gql(PARTNER, {"code": "DORA1"}, as_=merchant)

    assert result.data["partner"]["care"] == {"carePartner": {"referralCode": "ANNA1"}, "share": "0.3000", "effectiveShare": "0.3000", "setBy": "test"}


def test_partner_arguments(gql, merchant, sample_network, installation_factory, partner_factory):
    other_shop_partner = partner_factory(installation=installation_factory())

    neither = gql(PARTNER, {}, as_=merchant)
    unknown = gql(PARTNER, {"code": "NOPE"}, as_=merchant)
    other_shop = gql(PARTNER, {"id": to_global_id("Partner", other_shop_partner.pk)}, as_=merchant)
    wrong_type = gql(PARTNER, {"id": to_global_id("Customer", sample_network["kunde"].pk)}, as_=merchant)

    assert neither.error_codes == ["INVALID_ARGUMENT"]
    assert neither.errors[0]["message"] == "Give exactly one of `id`, `referralCode` and `saleorUserId`."
    assert unknown.data == {"partner": None} and unknown.errors == []
    assert other_shop.data == {"partner": None}
    assert wrong_type.errors[0]["message"] == "`id` is not the id of a Partner."


def test_partner_and_customer_by_saleor_user(gql, merchant, sample_network):
    """The Dashboard's customer widget knows Saleor's user id."""
    query = "query($u: String!) { partner(saleorUserId: $u) { referralCode } customer(saleorUserId: $u) { email } }"

    anna = gql(query, {"u": ANNA_USER}, as_=merchant)
    kunde = gql(query, {"u": KUNDE_USER}, as_=merchant)
    nobody = gql(query, {"u": ""}, as_=merchant)
    both = gql("query($u: String!) { customer(id: \"x\", saleorUserId: $u) { email } }", {"u": KUNDE_USER}, as_=merchant)

    assert anna.data == {"partner": {"referralCode": "ANNA1"}, "customer": None}
    assert kunde.data == {"partner": None, "customer": {"email": "kunde@example.com"}}
    assert nobody.data == {"partner": None, "customer": None}
    assert both.error_codes == ["INVALID_ARGUMENT"]


def test_genealogy_follows_sponsor_edges_only(gql, merchant, sample_network):
    """Anna looks after Dora, but Dora is in Bert's genealogy, not in Anna's."""
    anna_id = to_global_id("Partner", sample_network["anna"].pk)
    root_id = to_global_id("Partner", sample_network["root"].pk)

    anna = gql(GENEALOGY, {"id": anna_id}, as_=merchant)
    root_two_levels = gql(GENEALOGY, {"id": root_id, "depth": 2}, as_=merchant)

    assert anna.data == {
        "genealogy": {"totalCount": 2, "edges": [{"level": 1, "node": {"referralCode": "BEN1"}}, {"level": 2, "node": {"referralCode": "CARL1"}}]}
    }
    assert [(e["level"], e["node"]["referralCode"]) for e in root_two_levels.data["genealogy"]["edges"]] == [
        (1, "ANNA1"),
        (1, "BERT1"),
        (2, "BEN1"),
        (2, "DORA1"),
        (2, "FRANK1"),
    ]


def test_genealogy_depth_must_be_positive(gql, merchant, sample_network):
    result = gql(GENEALOGY, {"id": to_global_id("Partner", sample_network["anna"].pk), "depth": 0}, as_=merchant)

    assert result.errors[0]["message"] == "`depth` counts levels from 1 (the frontline)."


def test_customers_and_house_customers(gql, merchant, sample_network, customer_factory):
    customer_factory(installation=sample_network["root"].installation, email="haus@example.com")

    result = gql(CUSTOMERS, as_=merchant)
    of_anna = gql(CUSTOMERS, {"filter": {"sponsorId": to_global_id("Partner", sample_network["anna"].pk)}}, as_=merchant)
    searched = gql(CUSTOMERS, {"search": "gast"}, as_=merchant)

    assert result.data == {
        "customers": {
            "totalCount": 3,
            "edges": [
                {"node": {"displayName": "haus@example.com", "email": "haus@example.com", "isHouseCustomer": True, "sponsor": None, "care": None}},
                {"node": {"displayName": "Kunde Eins", "email": "kunde@example.com", "isHouseCustomer": False, "sponsor": {"referralCode": "ANNA1"}, "care": None}},
                {
                    "node": {
                        "displayName": "Gast Zwei",
                        "email": "gast@example.com",
                        "isHouseCustomer": False,
                        "sponsor": {"referralCode": "BERT1"},
                        "care": {"carePartner": {"referralCode": "ANNA1"}},
                    }
                },
            ],
        },
        "houseCustomers": {"totalCount": 1, "edges": [{"node": {"email": "haus@example.com"}}]},
    }
    assert [e["node"]["email"] for e in of_anna.data["customers"]["edges"]] == ["kunde@example.com"]
    assert [e["node"]["email"] for e in searched.data["customers"]["edges"]] == ["gast@example.com"]


def test_care_assignments_and_split_agreements(gql, merchant, sample_network):
    anna_id = to_global_id("Partner", sample_network["anna"].pk)

    result = gql(CARE_AND_SPLITS, {"care": {"carePartnerId": anna_id, "inForce": True}}, as_=merchant)

    care = result.data["careAssignments"]
    assert care["totalCount"] == 2
    # Newest first: same start, so the later assignment (Gast's) comes first.
    assert [
        ((e["node"]["partner"] or {}).get("referralCode"), (e["node"]["customer"] or {}).get("email"), e["node"]["effectiveShare"], e["node"]["shareSource"])
        for e in care["edges"]
    ] == [(None, "gast@example.com", "0.2500", "SPLIT_AGREEMENT"), ("DORA1", None, "0.3000", "ASSIGNMENT")]
    assert result.data["splitAgreements"] == {
        "totalCount": 1,
        "edges": [{"node": {"partner": {"referralCode": "BERT1"}, "share": "0.2500", "inForce": True, "setBy": "test"}}],
    }


def test_network_changes(gql, merchant, sample_network):
    NetworkChange.objects.create(
        installation=sample_network["ben"].installation,
        kind=ChangeKind.STATUS,
        partner=sample_network["ben"],
        old_value={"status": "active"},
        new_value={"status": "inactive"},
        changed_by="staff@example.com",
        reason="paused",
    )

    result = gql(CHANGES, {"filter": {"kinds": ["STATUS"]}}, as_=merchant)

    assert result.data == {
        "networkChanges": {
            "totalCount": 1,
            "edges": [
                {
                    "node": {
                        "kind": "STATUS",
                        "partner": {"referralCode": "BEN1"},
                        "oldValue": {"status": "active"},
                        "newValue": {"status": "inactive"},
                        "changedBy": "staff@example.com",
                        "reason": "paused",
                    }
                }
            ],
        }
    }


SENSITIVE_QUERIES = {
    "partners": ("{ partners { totalCount } }", {"partners": {"totalCount": 8}}),
    "partner": ('{ partner(referralCode: "ANNA1") { email } }', {"partner": {"email": "anna@example.com"}}),
    "customers": ("{ customers { totalCount } }", {"customers": {"totalCount": 2}}),
    "houseCustomers": ("{ houseCustomers { totalCount } }", {"houseCustomers": {"totalCount": 0}}),
    "careAssignments": ("{ careAssignments { totalCount } }", {"careAssignments": {"totalCount": 2}}),
    "splitAgreements": ("{ splitAgreements { totalCount } }", {"splitAgreements": {"totalCount": 1}}),
    "networkChanges": ("{ networkChanges { totalCount } }", {"networkChanges": {"totalCount": 0}}),
}


@pytest.mark.parametrize("name", sorted(SENSITIVE_QUERIES))
@pytest.mark.parametrize("who", ["anonymous", "storefront", "dashboard_without", "dashboard_with"])
def test_merchant_queries_in_four_cases(gql, four_requestors, sample_network, name, who):
    query, expected = SENSITIVE_QUERIES[name]

    result = gql(query, as_=four_requestors("MANAGE_USERS")[who])

    if who == "dashboard_with":
        assert result.body == {"data": expected}
    else:
        assert result.data == {name: None}
        assert result.error_codes == ["PERMISSION_DENIED"]


@pytest.mark.parametrize("who", ["anonymous", "storefront", "dashboard_without", "dashboard_with"])
def test_genealogy_in_four_cases(gql, four_requestors, sample_network, who):
    variables = {"id": to_global_id("Partner", sample_network["anna"].pk)}

    result = gql(GENEALOGY, variables, as_=four_requestors("MANAGE_USERS")[who])

    if who == "dashboard_with":
        assert result.data["genealogy"]["totalCount"] == 2
    else:
        assert result.data == {"genealogy": None}
        assert result.error_codes == ["PERMISSION_DENIED"]


def test_customers_who_became_partners_are_listed_as_partners(gql, merchant, sample_network, customer_factory):
    anna = sample_network["anna"]
    converted = customer_factory(anna, email="ben-als-kunde@example.com", converted_to=sample_network["ben"])
    query = """
    query($id: ID!) {
      customers { totalCount }
      partner(referralCode: "ANNA1") { customers { totalCount edges { node { email } } } customers2: customers(first: 1, search: "example") { totalCount } }
      customer(id: $id) { email convertedTo { referralCode } }
    }
    """

    result = gql(query, {"id": to_global_id("Customer", converted.pk)}, as_=merchant)

    assert result.data == {
        "customers": {"totalCount": 2},
        "partner": {
            "customers": {"totalCount": 1, "edges": [{"node": {"email": "kunde@example.com"}}]},
            "customers2": {"totalCount": 1},
        },
        "customer": {"email": "ben-als-kunde@example.com", "convertedTo": {"referralCode": "BEN1"}},
    }
