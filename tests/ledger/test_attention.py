"""Orders a merchant has to look at (ledger.attention): parked events listed with their
reasons, and an order whose referral code was nobody's keeps the code and can be given
to the partner meant."""

import io

import pytest
from django.core.management import CommandError, call_command

from saleor_mlm.core.errors import DomainError
from saleor_mlm.ledger import AttributionRule, ParkReason
from saleor_mlm.ledger.attention import (
    assign_unknown_code_order,
    carried_referral_code,
    find_order,
    parked_order_events,
    referral_key,
    unknown_code_orders,
)
from saleor_mlm.ledger.crediting import CreditOutcome, credit_order_event
from saleor_mlm.ledger.models import LedgerEntry, OrderAttribution
from saleor_mlm.network.models import Customer
from saleor_mlm.orders.models import OrderEvent
from tests.fixtures.orders import order_line

pytestmark = pytest.mark.django_db

LINE = {"sku": "TEA", "quantity": 2, "net": "20.00", "variant_pv": "10"}


def test_an_unknown_referral_code_is_kept_on_the_attribution(order_event_factory, ledger_partner):
    ledger_partner("ANNA")
    typo = order_event_factory(number="71", email="typo@example.com", voucher_code="SUMMER", metadata={"mlm_referral_code": "AN NA"})
    user_code = order_event_factory(number="72", email="u@example.com", user_id="VXNlcjo3", user_metadata={"mlm_referral_code": "Anja"})
    plain = order_event_factory(number="73", email="walk-in@example.com")
    matched = order_event_factory(number="74", email="new@example.com", metadata={"mlm_referral_code": "anna"})
    for event in (typo, user_code, plain, matched):
        assert credit_order_event(event).outcome == CreditOutcome.CREDITED

    codes = dict(OrderAttribution.objects.values_list("order__number", "unknown_referral_code"))
    # As the storefront sent it; a voucher code nobody has is a discount, not a referral.
    assert codes == {"71": "AN NA", "72": "Anja", "73": "", "74": ""}
    listed = unknown_code_orders(typo.installation_id)
    assert sorted(a.order.number for a in listed) == ["71", "72"]
    assert [a.order.number for a in unknown_code_orders(typo.installation_id, code="an na")] == ["71"]
    assert OrderAttribution.objects.get(order__number="71").rule == AttributionRule.HOUSE


def test_a_terminated_partners_code_is_listed_as_unknown(order_event_factory, ledger_partner):
    ledger_partner("GONE", status="terminated")
    event = order_event_factory(metadata={"mlm_referral_code": "GONE"})
    credit_order_event(event)

    assert [a.unknown_referral_code for a in unknown_code_orders(event.installation_id)] == ["GONE"]


def test_the_merchant_assigns_the_order_to_the_partner_meant(order_event_factory, ledger_partner):
    anna = ledger_partner("ANNA")
    event = order_event_factory(number="75", email="typo@example.com", metadata={"mlm_referral_code": "ANAN"}, lines=[order_line(**LINE)])
    credit_order_event(event)
    entries_before = list(LedgerEntry.objects.values_list("pk", "customer_id", "pv", "bv"))

    order = find_order(event.installation_id, "#75")
    assigned = assign_unknown_code_order(order, anna, changed_by="merchant@example.com")

    customer = Customer.objects.get(email="typo@example.com")
    assert assigned == customer and customer.sponsor == anna
    # The ledger does not move: the customer's volume counts for the sponsor in force.
    assert list(LedgerEntry.objects.values_list("pk", "customer_id", "pv", "bv")) == entries_before
    # Still listed (the code was unknown), but no longer a house customer.
    assert [a.order.number for a in unknown_code_orders(event.installation_id, house_only=False)] == ["75"]
    assert list(unknown_code_orders(event.installation_id, house_only=True)) == []
    with pytest.raises(DomainError) as refused:
        assign_unknown_code_order(order, ledger_partner("BERT"), changed_by="merchant@example.com")
    assert refused.value.code == "NOT_HOUSE_CUSTOMER"


def test_find_order_refuses_an_unknown_reference(installation):
    with pytest.raises(DomainError) as refused:
        find_order(installation.pk, "404")
    assert refused.value.code == "NOT_FOUND"


def test_parked_events_are_listed_with_reasons_until_resolved(order_event_factory, ledger_partner):
    ledger_partner("ANNA")
    usd = order_event_factory(number="81", currency="USD", metadata={"mlm_referral_code": "ANNA"})
    refund = order_event_factory("refunded", number="82", total_refunded="5.00")
    for event in (usd, refund):
        assert credit_order_event(event).outcome == CreditOutcome.PARKED
    installation_id = usd.installation_id

    listed = {p.order.number: p.reason for p in parked_order_events(installation_id)}
    assert listed == {"81": ParkReason.NO_EXCHANGE_RATE, "82": ParkReason.AWAITING_PAYMENT}
    assert [p.order.number for p in parked_order_events(installation_id, reasons=[ParkReason.AWAITING_PAYMENT])] == ["82"]
    assert [p.order.number for p in parked_order_events(installation_id, search="#81")] == ["81"]
    assert carried_referral_code(usd.order, referral_key(installation_id)) == "ANNA"

    paid = order_event_factory(order=refund.order)
    assert credit_order_event(paid).outcome == CreditOutcome.CREDITED
    assert [p.order.number for p in parked_order_events(installation_id)] == ["81"]


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_cli_lists_parked_and_unknown_codes_and_assigns(order_event_factory, ledger_partner):
    ledger_partner("ANNA")
    bert = ledger_partner("BERT")
    order_event_factory(number="91", currency="USD", email="dollar@example.com", metadata={"mlm_referral_code": "ANNA"})
    credit_order_event(order_event_factory("refunded", number="92", total_refunded="5.00"))
    credit_order_event(order_event_factory(number="93", email="typo@example.com", metadata={"mlm_referral_code": "BRET"}, lines=[order_line(**LINE)]))
    credit_order_event(OrderEvent.objects.get(order__number="91"))

    lines = run("orders", "parked").splitlines()
    assert [line.split("\t")[:3] + line.split("\t")[5:6] for line in lines[:-1]] == [
        ["#92", "refunded", "awaiting_payment", "-"],
        ["#91", "paid", "no_exchange_rate", "ANNA"],
    ]
    assert lines[-1] == "2 parked order events."
    assert run("orders", "parked", "--reason", "awaiting_payment").splitlines()[-1] == "1 parked order events."
    assert run("orders", "parked", "--unknown-codes").splitlines() == [
        "#93\tBRET\ttypo@example.com\tPV 20.0000 BV 40.0000\thouse customer",
        "1 orders with an unknown referral code.",
    ]

    assert run("orders", "assign", "93", "--partner", "bert", "--by", "merchant") == "typo@example.com is a customer of BERT now.\n"
    assert Customer.objects.get(email="typo@example.com").sponsor == bert
    with pytest.raises(CommandError, match="No partner with the code NOBODY"):
        run("orders", "assign", "93", "--partner", "NOBODY")
    with pytest.raises(CommandError, match="No order 404"):
        run("orders", "assign", "404", "--partner", "BERT")
