"""The figures the partner office shows beside the lists: what each customer bought in a
period (`Customer.volume`) and how many partners joined the downline (`Partner.newPartners`)."""

import datetime

import pytest
from django.utils import timezone

from saleor_mlm.ledger.crediting import CreditOutcome, credit_order_event
from tests.fixtures.graphql import ANNA_USER, BERT_USER
from tests.fixtures.orders import order_line
from tests.graphql.test_query_counts import count_queries, live_reads, wide_network  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

CUSTOMER_VOLUMES = """
query($period: String) {
  me { partner {
    customers { edges { node { displayName volume(period: $period) { period pv bv } } } }
    careRelations(role: AS_BETREUER) { edges { node { customer { displayName volume(period: $period) { pv } } } } }
  } }
}
"""

NEW_PARTNERS = """
query($period: String) { me { partner { newPartners(period: $period) frontline { edges { node { displayName newPartners(period: $period) } } } } } }
"""

APRIL = datetime.datetime(2026, 4, 8, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def april_orders(gql_installation, sample_network, order_event_factory):
    """Kunde (Anna's) buys 2 x PV 5 (BV 2 x 20.00), Gast (looked after by Anna) PV 10 and returns half."""
    kunde = order_event_factory(
        installation=gql_installation, issued_at=APRIL, created=APRIL, user_id="VXNlcjoxMDQ=", email="kunde@example.com",
        lines=[order_line(quantity=2, net="20.00", variant_pv="5")],
    )
    gast = order_event_factory(installation=gql_installation, issued_at=APRIL, created=APRIL, email="gast@example.com", lines=[order_line(net="20.00", variant_pv="10")])
    for event in (kunde, gast):
        assert credit_order_event(event).outcome == CreditOutcome.CREDITED
    refund = order_event_factory("refunded", order=gast.order, total_refunded="10.00", issued_at=APRIL)
    assert credit_order_event(refund).outcome == CreditOutcome.CREDITED


def test_each_customer_brings_its_volume_of_the_period(gql, storefront, april_orders):
    anna = storefront(ANNA_USER, "anna@example.com")

    april = gql(CUSTOMER_VOLUMES, {"period": "2026-04"}, as_=anna)

    assert april.errors == []
    partner = april.data["me"]["partner"]
    assert partner["customers"]["edges"] == [{"node": {"displayName": "Kunde Eins", "volume": {"period": "2026-04", "pv": "10.0000", "bv": "40.0000"}}}]
    cared_for = [edge["node"]["customer"] for edge in partner["careRelations"]["edges"] if edge["node"]["customer"]]
    assert cared_for == [{"displayName": "Gast Zwei", "volume": {"pv": "5.0000"}}]
    # A month without orders, and the open month (no entries): nothing bought.
    for period in ("2026-03", None):
        other = gql(CUSTOMER_VOLUMES, {"period": period}, as_=anna).data["me"]["partner"]
        assert other["customers"]["edges"][0]["node"]["volume"]["pv"] == "0", period


def test_new_partners_of_the_month_count_the_whole_downline(gql, storefront, sample_network):
    now = timezone.now()
    for name in ("ben", "carl", "dora", "frank"):
        partner = sample_network[name]
        partner.enrolled_at = now
        partner.save(update_fields=["enrolled_at"])

    anna = gql(NEW_PARTNERS, as_=storefront(ANNA_USER, "anna@example.com"))

    # Ben and Carl by sponsor, Dora because Anna looks after her (Emil joined long ago);
    # Frank is Bert's line. Ben's own downline: Carl. Bert's: Dora (whom Anna looks after)
    # and Frank.
    assert anna.errors == []
    assert anna.data["me"]["partner"]["newPartners"] == 3
    assert anna.data["me"]["partner"]["frontline"]["edges"] == [{"node": {"displayName": "Ben Muster", "newPartners": 1}}]
    assert gql(NEW_PARTNERS, as_=storefront(BERT_USER, "bert@example.com")).data["me"]["partner"]["newPartners"] == 2
    last_year = f"{now.year - 1}-{now.month:02d}"
    assert gql(NEW_PARTNERS, {"period": last_year}, as_=storefront(ANNA_USER, "anna@example.com")).data["me"]["partner"]["newPartners"] == 0


DOWNLINE_CUSTOMER_VOLUMES = """
query Downline($first: Int!) {
  me { partner { newPartners downline(first: $first) { edges { node { newPartners customers { edges { node { volume { pv } } } } } } } } }
}
"""


def test_volumes_and_new_partners_do_not_grow_with_the_page(gql, storefront, wide_network, live_reads, month):  # noqa: F811 (fixtures)
    month(f"{timezone.localdate():%Y-%m}", installation=wide_network.installation)
    anna = storefront(ANNA_USER)

    small = count_queries(gql, DOWNLINE_CUSTOMER_VOLUMES, {"first": 5}, anna, live_reads, live_calls=0)
    large = count_queries(gql, DOWNLINE_CUSTOMER_VOLUMES, {"first": 50}, anna, live_reads, live_calls=0)

    # installation; the viewer; the open period's start and its row; the month's enrolments
    # (once: the walks are in the live tree); the network version; the downline page; the
    # customers' first pages; the customers' volumes (one query for all of them).
    assert small == large == 9
