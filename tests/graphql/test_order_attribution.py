"""Query.orderAttribution: what the order widget shows (who was credited with what for a
Saleor order); the four permission cases."""

import datetime

import pytest
from graphql_relay import to_global_id

from saleor_mlm.ledger.crediting import CreditOutcome, credit_order_event
from tests.fixtures.orders import order_line

pytestmark = pytest.mark.django_db

ORDER_ATTRIBUTION = """
query OrderAttribution($orderId: ID!) {
  orderAttribution(orderId: $orderId) {
    orderId number credited rule ruleName period orderCurrency planCurrency exchangeRate
    partner { id }
    customer {
      id email
      sponsor { id referralCode }
      care { carePartner { id referralCode } effectiveShare shareSource }
    }
    viaPartner { referralCode }
    lines { lineId sku quantity pv bv pvSource bvSource }
    pv bv
    ledger { kind entries pv bv }
    netPv netBv
    parked { eventKind reason }
  }
}
"""

ORDER_ID = "T3JkZXI6OTAx"
LINE_ID = "T3JkZXJMaW5lOjkwMQ=="
PAID_AT = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)


def gid(node) -> str:
    return to_global_id(type(node).__name__, node.pk)


@pytest.fixture
def gast_order(gql_installation, sample_network, order_event_factory):
    """Gast (Bert's customer, looked after by Anna under Bert's 25 % split) pays 2 x 20.00
    EUR at PV 10 per unit, then 10.00 of it is refunded (a quarter)."""
    paid = order_event_factory(
        installation=gql_installation,
        order_id=ORDER_ID,
        number="901",
        issued_at=PAID_AT,
        email="gast@example.com",
        lines=[order_line(sku="TEA", quantity=2, net="20.00", variant_pv="10", line_id=LINE_ID)],
    )
    assert credit_order_event(paid).outcome == CreditOutcome.CREDITED
    refund = order_event_factory("refunded", order=paid.order, total_refunded="10.00", issued_at=PAID_AT + datetime.timedelta(days=2))
    assert credit_order_event(refund).outcome == CreditOutcome.CREDITED
    return paid.order


def test_order_attribution_four_cases(gql, four_requestors, sample_network, gast_order):
    cases = four_requestors("MANAGE_ORDERS")
    results = {name: gql(ORDER_ATTRIBUTION, {"orderId": ORDER_ID}, as_=as_) for name, as_ in cases.items()}

    for name in ("anonymous", "storefront", "dashboard_without"):
        assert results[name].data == {"orderAttribution": None}, name
        assert results[name].error_codes == ["PERMISSION_DENIED"], name

    result = results["dashboard_with"]
    assert result.errors == []
    bert, anna, gast = sample_network["bert"], sample_network["anna"], sample_network["gast"]
    assert result.data["orderAttribution"] == {
        "orderId": ORDER_ID,
        "number": "901",
        "credited": True,
        "rule": "KNOWN_CUSTOMER",
        "ruleName": "Known customer",
        "period": "2026-03",
        "orderCurrency": "EUR",
        "planCurrency": "EUR",
        "exchangeRate": None,
        "partner": None,
        "customer": {
            "id": gid(gast),
            "email": "gast@example.com",
            "sponsor": {"id": gid(bert), "referralCode": "BERT1"},
            "care": {"carePartner": {"id": gid(anna), "referralCode": "ANNA1"}, "effectiveShare": "0.2500", "shareSource": "SPLIT_AGREEMENT"},
        },
        "viaPartner": {"referralCode": "BERT1"},
        "lines": [{"lineId": LINE_ID, "sku": "TEA", "quantity": 2, "pv": "20.00", "bv": "40.00", "pvSource": "variant", "bvSource": "price"}],
        "pv": "20.0000",
        "bv": "40.0000",
        "ledger": [
            {"kind": "ORDER", "entries": 1, "pv": "20.0000", "bv": "40.0000"},
            {"kind": "REFUND", "entries": 1, "pv": "-5.0000", "bv": "-10.0000"},
        ],
        "netPv": "15.0000",
        "netBv": "30.0000",
        "parked": [],
    }


def test_order_attribution_parked_and_unknown(gql, dashboard, gql_installation, sample_network, order_event_factory):
    refund = order_event_factory("refunded", installation=gql_installation, order_id=ORDER_ID, number="902", total_refunded="5.00")
    credit_order_event(refund)
    as_ = dashboard("MANAGE_ORDERS")

    result = gql(ORDER_ATTRIBUTION, {"orderId": ORDER_ID}, as_=as_)

    assert result.errors == []
    data = result.data["orderAttribution"]
    assert (data["credited"], data["rule"], data["lines"], data["ledger"], data["netPv"]) == (False, None, [], [], "0")
    assert data["parked"] == [{"eventKind": "refunded", "reason": "AWAITING_PAYMENT"}]
    assert gql(ORDER_ATTRIBUTION, {"orderId": "T3JkZXI6MA=="}, as_=as_).data == {"orderAttribution": None}
