"""Attribution of a paid order: each rule of docs/ledger.md, first match wins."""

from decimal import Decimal

import pytest

from saleor_mlm.core.errors import DomainError
from saleor_mlm.ledger import AttributionRule
from saleor_mlm.ledger.actions import assign_house_customer
from saleor_mlm.ledger.crediting import CreditOutcome, credit_order_event, credit_order_events
from saleor_mlm.ledger.models import LedgerEntry, OrderAttribution
from saleor_mlm.network import AttributionSource, ChangeKind
from saleor_mlm.network.models import Customer, NetworkChange
from tests.fixtures.orders import order_line

pytestmark = pytest.mark.django_db

# One line of 2 x 20.00 EUR net with PV 10 per unit: PV 20, BV 40.00.
LINE = {"sku": "TEA", "quantity": 2, "net": "20.00", "variant_pv": "10"}


def credited(event):
    result = credit_order_event(event)
    assert result.outcome == CreditOutcome.CREDITED
    return OrderAttribution.objects.get(order=event.order)


def entries(attribution):
    return list(LedgerEntry.objects.filter(order=attribution.order).values_list("partner_id", "customer_id", "pv", "bv"))


def test_buyer_is_partner_by_saleor_user_id(order_event_factory, ledger_partner):
    anna = ledger_partner("ANNA", saleor_user_id="VXNlcjo1", email="anna@example.com")
    ledger_partner("BERT", voucher_code="BERT10")
    # Another e-mail on the order and another partner's voucher: the user id decides.
    event = order_event_factory(user_id="VXNlcjo1", email="other@example.com", voucher_code="BERT10", lines=[order_line(**LINE)])

    attribution = credited(event)

    assert (attribution.rule, attribution.partner, attribution.customer) == (AttributionRule.PARTNER_USER, anna, None)
    assert entries(attribution) == [(anna.pk, None, Decimal("20.0000"), Decimal("40.0000"))]
    assert not Customer.objects.exists()


def test_buyer_is_partner_by_email_case_insensitive(order_event_factory, ledger_partner):
    anna = ledger_partner("ANNA", email="anna@example.com")
    event = order_event_factory(email="Anna@Example.COM", lines=[order_line(**LINE)])  # guest checkout

    attribution = credited(event)

    assert (attribution.rule, attribution.partner) == (AttributionRule.PARTNER_EMAIL, anna)
    assert entries(attribution) == [(anna.pk, None, Decimal("20.0000"), Decimal("40.0000"))]


def test_known_customer_keeps_sponsor_despite_another_partners_voucher(order_event_factory, ledger_partner, ledger_customer):
    anna = ledger_partner("ANNA")
    ledger_partner("BERT", voucher_code="BERT10")
    erika = ledger_customer("erika@example.com", sponsor=anna, saleor_user_id="VXNlcjo0Nw==")
    event = order_event_factory(user_id="VXNlcjo0Nw==", email="erika@example.com", voucher_code="BERT10", lines=[order_line(**LINE)])

    attribution = credited(event)

    assert (attribution.rule, attribution.customer, attribution.via_partner) == (AttributionRule.KNOWN_CUSTOMER, erika, anna)
    erika.refresh_from_db()
    assert erika.sponsor == anna
    assert not NetworkChange.objects.filter(customer=erika).exists()
    # The customer's own volume, on the customer: the engine attaches it to the sponsor.
    assert entries(attribution) == [(None, erika.pk, Decimal("20.0000"), Decimal("40.0000"))]


def test_known_guest_customer_found_by_email(order_event_factory, ledger_partner, ledger_customer):
    anna = ledger_partner("ANNA")
    ledger_partner("BERT", voucher_code="BERT10")
    erika = ledger_customer("erika@example.com", sponsor=anna)
    event = order_event_factory(email="ERIKA@example.com", voucher_code="bert10")

    attribution = credited(event)

    assert (attribution.rule, attribution.customer) == (AttributionRule.KNOWN_CUSTOMER, erika)


def test_new_customer_by_voucher_code(order_event_factory, ledger_partner):
    ledger_partner("ANNA")
    bert = ledger_partner("BERT", voucher_code="BERT10")
    event = order_event_factory(
        user_id="VXNlcjo0Nw==",
        email="erika@example.com",
        voucher_code="bert10",
        metadata={"mlm_referral_code": "ANNA"},
        lines=[order_line(**LINE)],
    )

    attribution = credited(event)

    customer = Customer.objects.get()
    assert (customer.email, customer.saleor_user_id, customer.sponsor) == ("erika@example.com", "VXNlcjo0Nw==", bert)
    assert customer.attribution_source == AttributionSource.VOUCHER
    assert (attribution.rule, attribution.customer, attribution.via_partner) == (AttributionRule.VOUCHER, customer, bert)
    change = NetworkChange.objects.get(customer=customer, kind=ChangeKind.SPONSOR)
    assert change.changed_by == "system"
    assert "BERT10".lower() in change.reason.lower()
    assert entries(attribution) == [(None, customer.pk, Decimal("20.0000"), Decimal("40.0000"))]


def test_voucher_code_may_be_the_referral_code(order_event_factory, ledger_partner):
    bert = ledger_partner("BERT", voucher_code="")
    event = order_event_factory(voucher_code="BERT")

    assert credited(event).via_partner == bert


def test_new_customer_by_order_metadata_referral_code(order_event_factory, ledger_partner):
    anna = ledger_partner("ANNA")
    event = order_event_factory(voucher_code="SUMMER-SALE", metadata={"mlm_referral_code": "anna"})

    attribution = credited(event)

    assert (attribution.rule, attribution.via_partner) == (AttributionRule.REFERRAL_METADATA, anna)
    assert attribution.customer.attribution_source == AttributionSource.REFERRAL_METADATA


def test_new_customer_by_saleor_customer_metadata(order_event_factory, ledger_partner):
    anna = ledger_partner("ANNA")
    event = order_event_factory(user_id="VXNlcjo5", email="new@example.com", user_metadata={"mlm_referral_code": "ANNA"})

    attribution = credited(event)

    assert (attribution.rule, attribution.via_partner) == (AttributionRule.CUSTOMER_METADATA, anna)
    assert attribution.customer.attribution_source == AttributionSource.CUSTOMER_METADATA


def test_referral_metadata_key_is_configurable(order_event_factory, ledger_partner, volume_settings):
    volume_settings.referral_metadata_key = "ref"
    volume_settings.save()
    anna = ledger_partner("ANNA")
    event = order_event_factory(metadata={"ref": "ANNA", "mlm_referral_code": "NOBODY"})

    assert credited(event).via_partner == anna


def test_house_customer_when_no_rule_matches(order_event_factory, ledger_partner):
    ledger_partner("ANNA")
    event = order_event_factory(email="walk-in@example.com", voucher_code="UNKNOWN", metadata={"mlm_referral_code": "NOPE"}, lines=[order_line(**LINE)])

    attribution = credited(event)

    customer = Customer.objects.get()
    assert customer.is_house_customer and customer.attribution_source == AttributionSource.NONE
    assert (attribution.rule, attribution.customer, attribution.via_partner) == (AttributionRule.HOUSE, customer, None)
    # Recorded on the customer, credited to nobody until assigned.
    assert entries(attribution) == [(None, customer.pk, Decimal("20.0000"), Decimal("40.0000"))]


def test_terminated_partners_code_is_ignored(order_event_factory, ledger_partner):
    ledger_partner("GONE", status="terminated")
    event = order_event_factory(voucher_code="GONE")

    assert credited(event).rule == AttributionRule.HOUSE


def test_house_customer_coming_back_with_a_code_is_attached(order_event_factory, ledger_partner, ledger_customer):
    anna = ledger_partner("ANNA")
    house = ledger_customer("walk-in@example.com")
    event = order_event_factory(email="walk-in@example.com", voucher_code="ANNA")

    attribution = credited(event)

    house.refresh_from_db()
    assert house.sponsor == anna
    assert (attribution.rule, attribution.customer) == (AttributionRule.VOUCHER, house)


def test_second_order_of_new_customer_is_known_customer(order_event_factory, ledger_partner):
    anna = ledger_partner("ANNA")
    ledger_partner("BERT")
    first = order_event_factory(email="erika@example.com", voucher_code="ANNA")
    second = order_event_factory(email="erika@example.com", voucher_code="BERT")

    assert credited(first).rule == AttributionRule.VOUCHER
    attribution = credited(second)

    assert (attribution.rule, attribution.via_partner) == (AttributionRule.KNOWN_CUSTOMER, anna)
    assert Customer.objects.count() == 1


def test_assigning_a_house_customer_keeps_the_ledger_and_sets_the_sponsor(order_event_factory, ledger_partner):
    anna = ledger_partner("ANNA")
    event = order_event_factory(email="walk-in@example.com", lines=[order_line(**LINE)])
    attribution = credited(event)
    house = attribution.customer
    before = entries(attribution)

    customer = assign_house_customer(house, anna, changed_by="merchant@example.com", reason="called the shop")

    assert customer.sponsor == anna and customer.attribution_source == AttributionSource.MANUAL
    # Nothing in the ledger moved: the entries stay the customer's own volume, which the
    # engine now attaches to Anna (see test_split.py for the rollup).
    assert entries(attribution) == before
    change = NetworkChange.objects.get(customer=house, kind=ChangeKind.SPONSOR)
    assert (change.changed_by, change.reason) == ("merchant@example.com", "called the shop")


def test_assigning_a_customer_with_a_sponsor_is_refused(ledger_partner, ledger_customer):
    anna, bert = ledger_partner("ANNA"), ledger_partner("BERT")
    customer = ledger_customer(sponsor=anna)

    with pytest.raises(DomainError) as error:
        assign_house_customer(customer, bert, changed_by="merchant@example.com", reason="")

    assert error.value.code == "NOT_HOUSE_CUSTOMER"
    customer.refresh_from_db()
    assert customer.sponsor == anna


def test_a_batch_matches_addresses_and_codes_as_the_database_does(order_event_factory, ledger_partner, ledger_customer):
    """Python writes ß as SS in upper case, PostgreSQL keeps it (and SQLite upper-cases
    ASCII only): a batch compares upper-case forms the database computed, so it matches
    exactly what `__iexact` matches (`core.upper`)."""
    strasse = ledger_partner("STRASSE", email="strasse@example.com", voucher_code="GROSS")
    grosse = ledger_partner("GROSSE", email="große@example.com", voucher_code="GROßE")
    jurgen = ledger_customer("Jürgen@Example.com", sponsor=strasse)
    events = [
        order_event_factory(email="straße@example.com", lines=[order_line(**LINE)]),  # no partner: a new customer
        order_event_factory(email="GROßE@example.com", lines=[order_line(**LINE)]),  # the partner, by e-mail
        order_event_factory(email="jürgen@example.com", lines=[order_line(**LINE)]),  # the known customer
        order_event_factory(email="gross@example.com", voucher_code="große", lines=[order_line(**LINE)]),  # Grosse's code
        order_event_factory(email="klein@example.com", voucher_code="straße", lines=[order_line(**LINE)]),  # nobody's code
    ]

    assert [result.outcome for result in credit_order_events(events)] == [CreditOutcome.CREDITED] * 5

    rules = [OrderAttribution.objects.get(order=event.order) for event in events]
    assert [(a.rule, a.partner, a.via_partner) for a in rules] == [
        (AttributionRule.HOUSE, None, None),
        (AttributionRule.PARTNER_EMAIL, grosse, None),
        (AttributionRule.KNOWN_CUSTOMER, None, strasse),
        (AttributionRule.VOUCHER, None, grosse),
        (AttributionRule.HOUSE, None, None),
    ]
    assert rules[2].customer == jurgen
