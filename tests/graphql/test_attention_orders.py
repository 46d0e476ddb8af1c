"""Query.parkedOrders and Query.unknownCodeOrders: what the merchant has to look at; the
four permission cases, filters, and assigning an unknown-code order with houseCustomerAssign."""

import pytest
from graphql_relay import to_global_id

from saleor_mlm.ledger.crediting import CreditOutcome, credit_order_event
from tests.fixtures.orders import order_line

pytestmark = pytest.mark.django_db

PARKED_ORDERS = """
query Parked($filter: ParkedOrderFilterInput) {
  parkedOrders(first: 10, filter: $filter) {
    totalCount
    edges { node { orderId number eventKind reason message attempts userEmail referralCode } }
  }
}
"""

UNKNOWN_CODE_ORDERS = """
query Unknown($filter: UnknownCodeOrderFilterInput) {
  unknownCodeOrders(first: 10, filter: $filter) {
    totalCount
    edges { node { orderId number referralCode userEmail pv bv customer { id email isHouseCustomer sponsor { referralCode } } } }
  }
}
"""

HOUSE_CUSTOMER_ASSIGN = """
mutation Assign($customerId: ID!, $sponsorId: ID!) {
  houseCustomerAssign(customerId: $customerId, sponsorId: $sponsorId) { errors { field code } customer { id } }
}
"""

LINE = {"sku": "TEA", "quantity": 2, "net": "20.00", "variant_pv": "10"}


@pytest.fixture
def attention_orders(gql_installation, sample_network, order_event_factory):
    dollars = order_event_factory(
        installation=gql_installation, number="601", currency="USD", email="dollar@example.com", metadata={"mlm_referral_code": "BERT1"}
    )
    assert credit_order_event(dollars).outcome == CreditOutcome.PARKED
    refund = order_event_factory("refunded", installation=gql_installation, number="602", total_refunded="5.00")
    assert credit_order_event(refund).outcome == CreditOutcome.PARKED
    typo = order_event_factory(
        installation=gql_installation,
        order_id="T3JkZXI6NjAz",
        number="603",
        email="typo@example.com",
        metadata={"mlm_referral_code": "BRET1"},
        lines=[order_line(**LINE)],
    )
    assert credit_order_event(typo).outcome == CreditOutcome.CREDITED
    return typo.order


def test_parked_orders_four_cases(gql, four_requestors, attention_orders):
    results = {name: gql(PARKED_ORDERS, as_=as_) for name, as_ in four_requestors("MANAGE_ORDERS").items()}

    for name in ("anonymous", "storefront", "dashboard_without"):
        assert results[name].data == {"parkedOrders": None}, name
        assert results[name].error_codes == ["PERMISSION_DENIED"], name
    result = results["dashboard_with"]
    assert result.errors == []
    nodes = [edge["node"] for edge in result.data["parkedOrders"]["edges"]]
    assert result.data["parkedOrders"]["totalCount"] == 2
    assert [(n["number"], n["eventKind"], n["reason"], n["attempts"], n["userEmail"], n["referralCode"]) for n in nodes] == [
        ("602", "refunded", "AWAITING_PAYMENT", 1, "buyer@example.com", None),
        ("601", "paid", "NO_EXCHANGE_RATE", 1, "dollar@example.com", "BERT1"),
    ]
    assert nodes[1]["message"].startswith("no exchange rate for USD->EUR")


def test_parked_orders_filters(gql, dashboard, attention_orders):
    as_ = dashboard("MANAGE_ORDERS")

    by_reason = gql(PARKED_ORDERS, {"filter": {"reasons": ["NO_EXCHANGE_RATE"]}}, as_=as_).data["parkedOrders"]
    by_number = gql(PARKED_ORDERS, {"filter": {"search": "#602"}}, as_=as_).data["parkedOrders"]

    assert [e["node"]["number"] for e in by_reason["edges"]] == ["601"]
    assert [e["node"]["number"] for e in by_number["edges"]] == ["602"]


def test_unknown_code_orders_four_cases_and_assign(gql, four_requestors, dashboard, sample_network, attention_orders):
    results = {name: gql(UNKNOWN_CODE_ORDERS, as_=as_) for name, as_ in four_requestors("MANAGE_ORDERS").items()}

    for name in ("anonymous", "storefront", "dashboard_without"):
        assert results[name].data == {"unknownCodeOrders": None}, name
        assert results[name].error_codes == ["PERMISSION_DENIED"], name
    result = results["dashboard_with"]
    assert result.errors == []
    (node,) = [edge["node"] for edge in result.data["unknownCodeOrders"]["edges"]]
    customer_id = node["customer"]["id"]
    assert node == {
        "orderId": "T3JkZXI6NjAz",
        "number": "603",
        "referralCode": "BRET1",
        "userEmail": "typo@example.com",
        "pv": "20.0000",
        "bv": "40.0000",
        "customer": {"id": customer_id, "email": "typo@example.com", "isHouseCustomer": True, "sponsor": None},
    }

    bert = to_global_id("Partner", sample_network["bert"].pk)
    assigned = gql(HOUSE_CUSTOMER_ASSIGN, {"customerId": customer_id, "sponsorId": bert}, as_=dashboard("MANAGE_USERS", "MANAGE_ORDERS"))
    assert assigned.data["houseCustomerAssign"] == {"errors": [], "customer": {"id": customer_id}}

    as_ = dashboard("MANAGE_ORDERS")
    still_house = gql(UNKNOWN_CODE_ORDERS, {"filter": {"isHouseCustomer": True}}, as_=as_).data["unknownCodeOrders"]
    assigned_since = gql(UNKNOWN_CODE_ORDERS, {"filter": {"isHouseCustomer": False, "referralCode": "bret1"}}, as_=as_).data
    assert still_house == {"totalCount": 0, "edges": []}
    assert assigned_since["unknownCodeOrders"]["edges"][0]["node"]["customer"]["sponsor"] == {"referralCode": "BERT1"}
