"""Erasure of a partner and of a customer (GDPR Art. 17): afterwards no column of any table
holds their e-mail or names, while every volume, booking and total is what it was."""

from decimal import Decimal

import pytest
from django.db.models import Count, Sum

from saleor_mlm.core.errors import DomainError
from saleor_mlm.ledger.models import LedgerEntry, OrderAttribution
from saleor_mlm.network.models import Customer, NetworkChange, Partner
from saleor_mlm.orders.models import OrderRecord
from saleor_mlm.payouts import PayoutMethod
from saleor_mlm.payouts.models import PayoutProfile, PayoutProfileChange
from saleor_mlm.payouts.profiles import ProfileInput, set_payout_profile
from saleor_mlm.privacy.erasure import erase_customer, erase_partner
from saleor_mlm.privacy.models import Erasure
from saleor_mlm.webhooks.models import WebhookDelivery

from .conftest import OTTILIE, ZENOBIA, find_in_database

pytestmark = pytest.mark.django_db(transaction=False)


def totals() -> dict:
    """Every figure erasure must not touch: ledger sums per node and kind, attributions."""
    ledger = LedgerEntry.objects.values("partner_id", "customer_id", "kind").annotate(n=Count("pk"), pv=Sum("pv"), bv=Sum("bv"))
    attributions = OrderAttribution.objects.values("order_id", "partner_id", "customer_id", "rule", "pv", "bv")
    return {
        "ledger": sorted((row["partner_id"] or 0, row["customer_id"] or 0, row["kind"], row["n"], row["pv"], row["bv"]) for row in ledger),
        "attributions": sorted(tuple(str(v) for v in row.values()) for row in attributions),
        "sponsors": sorted(Partner.objects.values_list("pk", "sponsor_id", "status")),
        "customers": sorted(Customer.objects.values_list("pk", "sponsor_id")),
    }


ZENOBIA_IBAN = "DE02120300000000202051"
WORDS = [ZENOBIA["email"], "Zenobia", "Quackenbush", OTTILIE["email"], "Ottilie", "Wunderlich", "Lindenweg", "97688", "971 123456"]


def test_erasure_leaves_no_personal_data_and_every_total(shop):
    zenobia, ottilie = shop["zenobia"], shop["ottilie"]
    # Zenobia was paid by SEPA: her bank account is encrypted at rest, its holder a name.
    set_payout_profile(
        zenobia, ProfileInput(method="SEPA", account_holder="Zenobia Quackenbush", iban=ZENOBIA_IBAN), changed_by="zq", by_partner=True
    )
    before = totals()
    assert before["ledger"] and LedgerEntry.objects.filter(customer=ottilie).exists()
    # The shop spread them over the records, the deliveries, the history and the orders.
    found_before = {(table, word) for table, _, word in find_in_database(WORDS)}
    assert {("network_partner", "Zenobia"), ("network_customer", "Ottilie"), ("webhooks_webhookdelivery", "Lindenweg")} <= found_before
    assert ("network_networkchange", "Quackenbush") in found_before
    assert {("payouts_payoutprofile", ZENOBIA_IBAN), ("payouts_payoutprofile", "Zenobia")} <= {
        (table, word) for table, _, word in find_in_database([*WORDS, ZENOBIA_IBAN])
    }

    result_customer = erase_customer(ottilie, erased_by="dpo@example.com", reason="Ottilie Wunderlich asked by letter")
    result_partner = erase_partner(zenobia, erased_by="dpo@example.com")

    assert find_in_database([*WORDS, ZENOBIA_IBAN]) == []
    assert totals() == before
    ottilie.refresh_from_db()
    zenobia.refresh_from_db()
    assert (ottilie.email, ottilie.first_name, ottilie.last_name, ottilie.saleor_user_id) == (
        f"erased-customer-{ottilie.pk}@erased.invalid", "", "", ""
    )
    assert (zenobia.email, zenobia.vat_id, zenobia.voucher_code) == (f"erased-partner-{zenobia.pk}@erased.invalid", "", "")
    assert zenobia.referral_code != "ZQ7K2"
    # Her orders keep their amounts and lines; the buyer is the pseudonym.
    assert set(OrderRecord.objects.filter(attribution__customer=ottilie).values_list("user_email", flat=True)) == {ottilie.email}
    assert OrderRecord.objects.get(saleor_order_id="T3JkZXI6b3R0Mg==").total_refunded == Decimal("10.0000")
    # Others keep theirs.
    assert Partner.objects.get(email="friend@example.com").first_name == "Fritz"
    assert sum(b"Birkenallee 3" in bytes(body) for body in WebhookDelivery.objects.values_list("body", flat=True)) == 1
    # The accountability record: who, when, what, without the person.
    erasure = Erasure.objects.get(customer=ottilie)
    assert (erasure.erased_by, erasure.reason) == ("dpo@example.com", "[erased] asked by letter")
    assert result_customer.changed["network.Customer"] == 1
    assert result_customer.changed["orders.OrderRecord"] == 2
    assert result_customer.changed["webhooks.WebhookDelivery"] == 4  # registration, two payments, the refund
    assert result_partner.changed["network.NetworkChange"] >= 2
    assert NetworkChange.objects.filter(partner=zenobia, reason__contains="[erased]").count() == 2
    # Her payout profile keeps the method and the masked IBAN the retained payment orders need.
    profile = PayoutProfile.objects.get(partner=zenobia)
    assert (profile.method, profile.account_holder, profile.iban, profile.bic, profile.iban_masked) == (
        PayoutMethod.SEPA,
        "[erased]",
        "",
        "",
        "DE02 **** **** **** **20 51",
    )
    assert list(PayoutProfileChange.objects.filter(partner=zenobia).values_list("account_holder", "iban_masked")) == [
        ("[erased]", "DE02 **** **** **** **20 51")
    ]
    assert (result_partner.changed["payouts.PayoutProfile"], result_partner.changed["payouts.PayoutProfileChange"]) == (1, 1)


def test_erasure_is_refused_for_an_active_partner_and_twice(shop):
    with pytest.raises(DomainError) as active:
        erase_partner(shop["anna"], erased_by="dpo@example.com")
    assert active.value.code == "PARTNER_NOT_TERMINATED"
    assert Partner.objects.get(pk=shop["anna"].pk).email == "anna@example.com"

    erase_customer(shop["ottilie"], erased_by="dpo@example.com")
    with pytest.raises(DomainError) as twice:
        erase_customer(shop["ottilie"], erased_by="dpo@example.com")
    assert twice.value.code == "ALREADY_ERASED"
    assert Erasure.objects.count() == 1


def test_a_persons_export_holds_their_data_and_not_others(shop):
    from saleor_mlm.privacy.person_export import export_person
    from saleor_mlm.privacy.serialize import dumps

    document = export_person(shop["zenobia"])
    text = dumps(document)

    assert document["kind"] == "partner" and document["record"]["email"] == ZENOBIA["email"]
    assert document["record"]["vat_id"] == "DE811907980" and document["sponsor_referral_code"] == "ANNA"
    assert [order["saleor_order_id"] for order in document["orders"]] == ["T3JkZXI6emVuMQ=="]
    assert {"network.NetworkChange", "ledger.LedgerEntry", "ledger.OrderAttribution"} <= set(document["rows"])
    assert {entry["pv"] for entry in document["rows"]["ledger.LedgerEntry"]} and all(
        entry["partner_id"] == shop["zenobia"].pk for entry in document["rows"]["ledger.LedgerEntry"]
    )
    # Her customer Ottilie and her recruit Fritz are other people.
    assert OTTILIE["email"] not in text and "friend@example.com" not in text and "anna@example.com" not in text

    customer = export_person(shop["ottilie"])
    assert customer["record"]["first_name"] == "Ottilie"
    assert sorted(order["saleor_order_id"] for order in customer["orders"]) == ["T3JkZXI6b3R0MQ==", "T3JkZXI6b3R0Mg=="]
    assert len(customer["rows"]["ledger.LedgerEntry"]) == 3  # two payments and a refund
