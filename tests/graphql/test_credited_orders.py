"""Query.myCreditedOrders: the orders whose volume reaches the logged-in partner (own,
its customers', those of customers it looks after), with rule, split and refunds; never
another line's, and a fixed number of queries whatever the page size."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleor_mlm.ledger.crediting import CreditOutcome, credit_order_event
from tests.fixtures.graphql import ANNA_USER, BERT_USER, FRANK_USER, KUNDE_USER
from tests.fixtures.orders import order_line

pytestmark = pytest.mark.django_db

MY_ORDERS = """
query Mine($period: String, $first: Int, $after: String) {
  myCreditedOrders(period: $period, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      orderId number period rule role share sponsorShare betreuerShare currency totalGross totalRefunded
      pv bv netPv netBv refunds { kind pv bv }
      customer { displayName email sponsor { displayName email } care { effectiveShare carePartner { displayName } } }
    } }
  }
}
"""

MARCH = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)
APRIL = datetime.datetime(2026, 4, 8, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def orders(gql_installation, sample_network, order_event_factory):
    """Anna buys (April); Kunde, Anna's customer, buys (April); Gast, Bert's customer
    looked after by Anna under Bert's 25 % split, buys in March and gets a quarter refunded;
    Bert buys (another line); Kunde's order number 4 is Anna's downline's business, so is
    Ben's own order (Ben has no shop account: by e-mail)."""

    def paid(number, issued_at, lines, **buyer):
        event = order_event_factory(installation=gql_installation, number=number, issued_at=issued_at, created=issued_at, lines=lines, **buyer)
        assert credit_order_event(event).outcome == CreditOutcome.CREDITED
        return event.order

    tea = [order_line(sku="TEA", quantity=2, net="20.00", variant_pv="10")]
    made = {
        "anna": paid("801", APRIL, tea, user_id=ANNA_USER, email="anna@example.com"),
        "kunde": paid("802", APRIL, [order_line(sku="CUP", net="30.00", variant_pv="5")], user_id=KUNDE_USER, email="kunde@example.com"),
        "gast": paid("803", MARCH, tea, email="gast@example.com"),
        "bert": paid("804", APRIL, tea, user_id=BERT_USER, email="bert@example.com"),
        "ben": paid("805", APRIL, tea, email="ben@example.com"),
    }
    refund = order_event_factory("refunded", order=made["gast"], total_refunded="10.00", issued_at=MARCH + datetime.timedelta(days=2))
    assert credit_order_event(refund).outcome == CreditOutcome.CREDITED
    return made


def nodes(result) -> dict:
    assert result.errors == []
    return {edge["node"]["number"]: edge["node"] for edge in result.data["myCreditedOrders"]["edges"]}


def test_a_partner_sees_its_own_its_customers_and_its_cared_for_orders(gql, storefront, orders):
    found = nodes(gql(MY_ORDERS, as_=storefront(ANNA_USER, "anna@example.com")))

    # Newest first; Bert's own order (another line) and Ben's (the downline's) are not Anna's.
    assert list(found) == ["802", "801", "803"]
    assert found["801"] == {
        "orderId": orders["anna"].saleor_order_id,
        "number": "801",
        "period": "2026-04",
        "rule": "PARTNER_USER",
        "role": "OWN",
        "share": "1",
        "sponsorShare": None,
        "betreuerShare": None,
        "currency": "EUR",
        "totalGross": "40.0000",
        "totalRefunded": "0.0000",
        "pv": "20.0000",
        "bv": "40.0000",
        "netPv": "20.0000",
        "netBv": "40.0000",
        "refunds": [],
        "customer": None,
    }
    kunde = found["802"]
    assert (kunde["rule"], kunde["role"], kunde["share"], kunde["sponsorShare"], kunde["betreuerShare"]) == ("KNOWN_CUSTOMER", "SPONSOR", "1", "1", None)
    assert kunde["customer"] == {
        "displayName": "Kunde Eins",
        "email": "kunde@example.com",
        "sponsor": {"displayName": "Anna Muster", "email": "anna@example.com"},
        "care": None,
    }
    gast = found["803"]
    assert (gast["period"], gast["role"], gast["share"], gast["sponsorShare"], gast["betreuerShare"]) == ("2026-03", "BETREUER", "0.2500", "0.7500", "0.2500")
    # The sponsor is one step outside Anna's line: its public profile only.
    assert gast["customer"] == {
        "displayName": "Gast Zwei",
        "email": "gast@example.com",
        "sponsor": {"displayName": "Bert Muster", "email": None},
        "care": {"effectiveShare": "0.2500", "carePartner": {"displayName": "Anna Muster"}},
    }
    assert gast["refunds"] == [{"kind": "REFUND", "pv": "-5.0000", "bv": "-10.0000"}]
    assert (gast["totalRefunded"], gast["netPv"], gast["netBv"]) == ("10.0000", "15.0000", "30.0000")


def test_the_sponsor_of_a_cared_for_customer_sees_its_part_and_nothing_of_another_line(gql, storefront, orders):
    found = nodes(gql(MY_ORDERS, as_=storefront(BERT_USER, "bert@example.com")))

    assert list(found) == ["804", "803"]
    gast = found["803"]
    assert (gast["role"], gast["share"], gast["sponsorShare"], gast["betreuerShare"]) == ("SPONSOR", "0.7500", "0.7500", "0.2500")
    # Anna looks after Gast but is not in Bert's line: her public profile.
    assert gast["customer"]["care"]["carePartner"] == {"displayName": "Anna Muster"}

    # Frank (Bert's line, no orders of his own or of customers) sees none of Bert's.
    frank = gql(MY_ORDERS, as_=storefront(FRANK_USER, "frank@example.com"))
    assert frank.data == {"myCreditedOrders": {"totalCount": 0, "pageInfo": {"hasNextPage": False, "endCursor": None}, "edges": []}}


def test_nobody_but_a_partner_gets_orders(gql, anonymous, storefront, dashboard, orders):
    for as_ in (anonymous(), storefront(KUNDE_USER, "kunde@example.com"), dashboard("MANAGE_ORDERS", "MANAGE_USERS")):
        result = gql(MY_ORDERS, as_=as_)
        assert result.errors == [], as_
        assert result.data["myCreditedOrders"]["totalCount"] == 0, as_


def test_a_month_and_pages(gql, storefront, orders):
    anna = storefront(ANNA_USER, "anna@example.com")

    assert list(nodes(gql(MY_ORDERS, {"period": "2026-03"}, as_=anna))) == ["803"]
    first = gql(MY_ORDERS, {"first": 2}, as_=anna)
    assert list(nodes(first)) == ["802", "801"]
    cursor = first.data["myCreditedOrders"]["pageInfo"]["endCursor"]
    assert list(nodes(gql(MY_ORDERS, {"first": 2, "after": cursor}, as_=anna))) == ["803"]

    wrong = gql(MY_ORDERS, {"period": "March"}, as_=anna)
    assert wrong.error_codes == ["INVALID_ARGUMENT"]


def test_queries_do_not_grow_with_the_page(gql, storefront, gql_installation, sample_network, order_event_factory):
    """Each of Kunde (Anna's) and Gast (looked after by Anna) buys 12 times."""
    for _ in range(12):
        for buyer in ({"user_id": KUNDE_USER, "email": "kunde@example.com"}, {"email": "gast@example.com"}):
            event = order_event_factory(installation=gql_installation, issued_at=APRIL, lines=[order_line(variant_pv="1")], **buyer)
            assert credit_order_event(event).outcome == CreditOutcome.CREDITED
    anna = storefront(ANNA_USER, "anna@example.com")

    def count(first: int) -> int:
        gql(MY_ORDERS, {"first": first}, as_=anna)
        with CaptureQueriesContext(connection) as queries:
            result = gql(MY_ORDERS, {"first": first}, as_=anna)
        assert len(result.data["myCreditedOrders"]["edges"]) == first
        return len(queries)

    # installation; the viewer; the count; the page (with orders and periods); customers;
    # care in force; the sponsors' split agreements; ledger entries; sponsors and Betreuer
    # (one query: peers); the network version (whether they are below Anna: in memory).
    assert count(4) == count(20) == 10
