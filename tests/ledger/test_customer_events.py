"""CUSTOMER_CREATED / CUSTOMER_UPDATED: a Saleor account becomes (or updates) a customer.

Deliveries are processed by the webhook pipeline (`process_delivery`, or posted signed to
the view); every test checks the rows written, not only the stored result.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection, transaction

from saleor_mlm.ledger import AttributionRule, customer_events
from saleor_mlm.ledger.customer_events import CustomerEventAction
from saleor_mlm.ledger.models import LedgerEntry, OrderAttribution, VolumeSettings
from saleor_mlm.network import AttributionSource, ChangedBy, ChangeKind
from saleor_mlm.network import actions as network_actions
from saleor_mlm.network.models import Customer, NetworkChange
from saleor_mlm.saleor.payloads import load_json, parse_payload
from saleor_mlm.webhooks import DeliveryStatus
from saleor_mlm.webhooks.actions import delivery_dedupe_key
from saleor_mlm.webhooks.models import WebhookDelivery
from saleor_mlm.webhooks.processing import process_delivery, reprocess_delivery
from saleor_mlm.webhooks.use_cases import ATTRIBUTE_CUSTOMER_STEP
from tests.fixtures.webhooks import customer_body, order_body

USER = "VXNlcjo1MDE="
EMAIL = "erika@example.com"


def deliver(installation, event="customer_created", *, user_id=USER, email=EMAIL, code=None, key="mlm_referral_code", **fields):
    """Queue a customer event for `installation` and process it; return the delivery."""
    metadata = {key: code} if code is not None else {}
    body = customer_body(event, user_id=user_id, email=email, metadata=metadata, **fields)
    delivery = WebhookDelivery.objects.create(
        installation=installation,
        event=event,
        body=body,
        status=DeliveryStatus.QUEUED,
        dedupe_key=delivery_dedupe_key(parse_payload(event, load_json(body))),
    )
    process_delivery(delivery.pk)
    delivery.refresh_from_db()
    return delivery


def outcome(delivery) -> dict:
    assert delivery.status == DeliveryStatus.PROCESSED, delivery.error
    return delivery.result[ATTRIBUTE_CUSTOMER_STEP]


def history(customer) -> list[tuple]:
    return list(NetworkChange.objects.filter(customer=customer).values_list("kind", "old_value", "new_value", "changed_by", "reason"))


# ------------------------------------------------------------------ rule 1: partners


@pytest.mark.django_db
def test_a_partner_by_user_id_is_left_alone(installation, ledger_partner):
    anna = ledger_partner("ANNA", saleor_user_id=USER, email="anna@example.com")

    result = outcome(deliver(installation, email="anna.new@example.com", code="ANNA"))

    assert (result["action"], result["partner"], result["rule"]) == ("partner", anna.pk, AttributionRule.PARTNER_USER)
    assert "nothing to do" in result["message"]
    assert not Customer.objects.exists()
    anna.refresh_from_db()
    assert anna.email == "anna@example.com"  # partners' details are the merchant's, not changed here


@pytest.mark.django_db
def test_a_partner_by_email_is_left_alone_even_with_a_customer_record(installation, ledger_partner, ledger_customer):
    ben = ledger_partner("BEN", email="Ben@Example.com")
    # An old guest record of the address: the partner takes precedence, as for orders.
    guest = ledger_customer("ben@example.com")

    result = outcome(deliver(installation, email="BEN@example.COM", code="BEN"))

    assert (result["action"], result["partner"], result["rule"]) == ("partner", ben.pk, AttributionRule.PARTNER_EMAIL)
    guest.refresh_from_db()
    assert (guest.saleor_user_id, guest.sponsor) == ("", None)
    assert Customer.objects.count() == 1
    assert not NetworkChange.objects.exists()


# ------------------------------------------------------------------ rule 2: known customer


@pytest.mark.django_db
def test_a_known_customer_follows_saleors_email_and_name_but_keeps_its_sponsor(installation, ledger_partner, ledger_customer):
    anna = ledger_partner("ANNA")
    ledger_partner("BEN")
    customer = ledger_customer("old@example.com", sponsor=anna, saleor_user_id=USER, first_name="Erika")

    delivery = deliver(installation, "customer_updated", email=EMAIL, firstName="Erika", lastName="Musterfrau", code="BEN")
    result = outcome(delivery)

    customer.refresh_from_db()
    assert (customer.email, customer.first_name, customer.last_name) == (EMAIL, "Erika", "Musterfrau")
    assert (customer.sponsor, customer.attribution_source) == (anna, "enrollment")  # customer protection
    assert result["action"] == CustomerEventAction.UPDATED
    assert result["changed"] == {"email": ["old@example.com", EMAIL], "last_name": ["", "Musterfrau"]}
    assert (result["customer"], result["sponsor"], result["sponsor_code"]) == (customer.pk, anna.pk, "ANNA")
    assert "referral code BEN in the customer's metadata ignored" in result["message"]
    assert history(customer) == [
        (
            ChangeKind.DETAILS,
            {"email": "old@example.com", "last_name": ""},
            {"email": EMAIL, "last_name": "Musterfrau"},
            ChangedBy.SYSTEM,
            f"changed in Saleor (CUSTOMER_UPDATED, delivery #{delivery.pk})",
        )
    ]
    assert not NetworkChange.objects.filter(kind=ChangeKind.SPONSOR).exists()
    assert Customer.objects.count() == 1


@pytest.mark.django_db
def test_a_house_customer_keeps_no_sponsor_until_an_order(installation, ledger_partner, ledger_customer):
    ledger_partner("ANNA")
    customer = ledger_customer(EMAIL, saleor_user_id=USER, first_name="Erika", last_name="Mustermann")

    result = outcome(deliver(installation, "customer_updated", code="ANNA", firstName="Erika", lastName="Mustermann"))

    customer.refresh_from_db()
    assert customer.sponsor is None
    assert result["action"] == CustomerEventAction.UNCHANGED
    assert "house customer" in result["message"]
    assert not NetworkChange.objects.exists()


@pytest.mark.django_db
def test_empty_fields_in_the_payload_keep_what_is_stored(installation, ledger_customer):
    customer = ledger_customer(EMAIL, saleor_user_id=USER, first_name="Erika", last_name="Mustermann")

    result = outcome(deliver(installation, "customer_updated", email=None, firstName=None, lastName=""))

    customer.refresh_from_db()
    assert (customer.email, customer.first_name, customer.last_name) == (EMAIL, "Erika", "Mustermann")
    assert result["action"] == CustomerEventAction.UNCHANGED


# ------------------------------------------------------------------ rule 3: guest customer


@pytest.mark.django_db
def test_a_guest_customer_of_the_email_is_linked_with_its_sponsor(installation, ledger_partner, ledger_customer):
    anna = ledger_partner("ANNA")
    ledger_partner("BEN")
    guest = ledger_customer("Erika@Example.COM", sponsor=anna, attribution_source="voucher")

    delivery = deliver(installation, code="BEN", firstName="Erika", lastName="Mustermann")
    result = outcome(delivery)

    guest.refresh_from_db()
    assert (guest.saleor_user_id, guest.sponsor, guest.attribution_source) == (USER, anna, "voucher")
    assert (guest.email, guest.first_name, guest.last_name) == (EMAIL, "Erika", "Mustermann")
    assert (result["action"], result["customer"], result["sponsor_code"]) == ("linked", guest.pk, "ANNA")
    assert result["changed"]["saleor_user_id"] == ["", USER]
    [(kind, old, new, changed_by, reason)] = history(guest)
    assert (kind, old["saleor_user_id"], new["saleor_user_id"], changed_by) == (ChangeKind.DETAILS, "", USER, ChangedBy.SYSTEM)
    assert reason == f"the guest customer registered in Saleor (CUSTOMER_CREATED, delivery #{delivery.pk})"
    assert Customer.objects.count() == 1


@pytest.mark.django_db
def test_a_customer_of_another_saleor_user_is_not_linked(installation, ledger_partner, ledger_customer):
    ben = ledger_partner("BEN")
    other = ledger_customer(EMAIL, saleor_user_id="VXNlcjo5OTk=", sponsor=ben)

    result = outcome(deliver(installation))

    assert result["action"] == CustomerEventAction.WAITING
    other.refresh_from_db()
    assert other.saleor_user_id == "VXNlcjo5OTk="
    assert Customer.objects.count() == 1


# ------------------------------------------------------------------ rule 4: code in the metadata


@pytest.mark.django_db
def test_a_code_in_the_users_metadata_creates_the_customer_under_its_partner(installation, ledger_partner):
    ledger_partner("ANNA")
    ben = ledger_partner("BEN", voucher_code="BEN-VOUCHER")

    delivery = deliver(installation, code=" ben ", firstName="Erika", lastName="Mustermann")
    result = outcome(delivery)

    customer = Customer.objects.get()
    assert (customer.saleor_user_id, customer.email, customer.first_name, customer.last_name) == (
        USER, EMAIL, "Erika", "Mustermann"
    )
    assert (customer.sponsor, customer.attribution_source) == (ben, AttributionSource.CUSTOMER_METADATA)
    assert customer.attributed_at is not None
    assert result == {
        "action": "created",
        "message": "customer created under partner BEN (referral code in the customer's metadata)",
        "customer": customer.pk,
        "sponsor": ben.pk,
        "sponsor_code": "BEN",
        "attribution_source": "customer_metadata",
        "rule": AttributionRule.CUSTOMER_METADATA,
        "code": "ben",
    }
    [change] = NetworkChange.objects.filter(customer=customer)
    assert (change.kind, change.old_value, change.new_value["source"], change.changed_by) == (
        ChangeKind.SPONSOR, {"sponsor": None}, AttributionSource.CUSTOMER_METADATA, ChangedBy.SYSTEM
    )
    assert change.new_value["sponsor"]["referral_code"] == "BEN"
    assert change.reason == f"referral code ben in the Saleor customer's metadata (CUSTOMER_CREATED, delivery #{delivery.pk})"


@pytest.mark.django_db
def test_the_installations_referral_key_is_read(installation, ledger_partner):
    ben = ledger_partner("BEN")
    VolumeSettings.objects.update_or_create(installation=installation, defaults={"referral_metadata_key": "ref"})

    ignored = outcome(deliver(installation, code="BEN", key="mlm_referral_code"))
    assert ignored["action"] == CustomerEventAction.WAITING
    assert not Customer.objects.exists()

    created = outcome(deliver(installation, "customer_updated", code="BEN", key="ref"))
    assert created["action"] == CustomerEventAction.CREATED
    assert Customer.objects.get().sponsor == ben


# ------------------------------------------------------------------ rule 5: nothing yet


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "why"),
    [
        (None, "no referral code in the customer's metadata (mlm_referral_code)"),
        ("", "no referral code in the customer's metadata (mlm_referral_code)"),
        ("NOBODY", "referral code 'NOBODY' in the customer's metadata names no partner who may sponsor"),
        ("GONE", "referral code 'GONE' in the customer's metadata names no partner who may sponsor"),
    ],
)
def test_without_a_usable_code_the_customer_waits_for_its_first_order(installation, ledger_partner, code, why):
    ledger_partner("GONE", status="terminated")

    result = outcome(deliver(installation, code=code))

    assert result["action"] == CustomerEventAction.WAITING
    assert result["message"] == f"{why}: no customer record yet, the first paid order attributes the customer"
    assert not Customer.objects.exists()  # no house customer created here
    assert not NetworkChange.objects.exists()


# ------------------------------------------------------------------ idempotency


@pytest.mark.django_db
def test_the_same_delivery_processed_again_changes_nothing(installation, ledger_partner):
    ledger_partner("BEN")
    delivery = deliver(installation, code="BEN")
    customer = Customer.objects.get()
    before = (history(customer), customer.updated_at)

    assert reprocess_delivery(delivery, force=True) == DeliveryStatus.PROCESSED

    delivery.refresh_from_db()
    assert (delivery.attempts, outcome(delivery)["action"]) == (2, CustomerEventAction.UNCHANGED)
    customer = Customer.objects.get()
    assert (history(customer), customer.updated_at) == before
    # CUSTOMER_UPDATED with the same data after the CUSTOMER_CREATED that created it.
    assert outcome(deliver(installation, "customer_updated", code="BEN"))["action"] == CustomerEventAction.UNCHANGED
    customer = Customer.objects.get()
    assert (history(customer), customer.updated_at) == before


@pytest.mark.django_db
def test_created_then_updated_with_the_same_data_changes_nothing(installation, ledger_partner, ledger_customer):
    ben = ledger_partner("BEN")
    guest = ledger_customer(EMAIL, sponsor=ben)
    assert outcome(deliver(installation, code="BEN", firstName="Erika"))["action"] == CustomerEventAction.LINKED
    guest.refresh_from_db()
    before = (history(guest), guest.updated_at)

    result = outcome(deliver(installation, "customer_updated", code="BEN", firstName="Erika"))

    assert result["action"] == CustomerEventAction.UNCHANGED
    guest.refresh_from_db()
    assert (history(guest), guest.updated_at) == before
    assert Customer.objects.count() == 1


# ------------------------------------------------------------------ races with orders


@pytest.mark.django_db
def test_a_customer_created_by_an_order_between_read_and_write_is_treated_as_existing(
    installation, ledger_partner, monkeypatch
):
    """The order commits after the rules looked and before the customer is created: the
    network action finds the record under its e-mail lock and declines; the rules run
    again on what is committed and update that customer instead."""
    anna = ledger_partner("ANNA")
    ledger_partner("BEN")
    real_find_customer = customer_events.find_customer
    calls = []

    def find_customer_before_the_order_committed(buyer):
        calls.append(buyer.user_id)
        if len(calls) == 1:
            # What an order of the same person does meanwhile (ledger.customers.attach_customer).
            order_customer, _ = network_actions.get_or_create_customer(installation, saleor_user_id=USER, email=EMAIL)
            network_actions.assign_house_customer(order_customer, anna, changed_by="system", source="voucher")
            return None
        return real_find_customer(buyer)

    monkeypatch.setattr(customer_events, "find_customer", find_customer_before_the_order_committed)

    result = outcome(deliver(installation, code="BEN", firstName="Erika"))

    assert len(calls) == 2
    customer = Customer.objects.get()
    assert (customer.sponsor, customer.attribution_source, customer.first_name) == (anna, "voucher", "Erika")
    assert (result["action"], result["customer"], result["sponsor_code"]) == ("updated", customer.pk, "ANNA")


def _lock_wait_of_another_backend(timeout=10.0) -> str:
    """The lock another backend of this database waits for (`wait_event`: "advisory" for
    the network's locks, "transactionid" for a row or unique index entry of an open
    transaction), once one does; "" if none did in time."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT wait_event FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            row = cursor.fetchone()
            if row:
                return row[0]
            time.sleep(0.02)
    return ""


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("order_email", "order_code", "waits_for"),
    [
        # The order attaches the new customer to Anna: the event waits on the e-mail lock.
        (EMAIL, "ANNA", "advisory"),
        # A house customer under another address: the event's INSERT waits on the unique
        # Saleor user id and fails once the order commits.
        ("checkout@example.com", None, "transactionid"),
    ],
    ids=["same-email-attached", "other-email-house"],
)
def test_a_concurrent_order_creating_the_customer_gives_no_error_and_no_duplicate(
    installation, ledger_partner, order_email, order_code, waits_for
):
    """Real transactions: an order's transaction creates the customer of the Saleor user
    and holds it open while the customer event is processed; the event ends as an update
    of the order's customer."""
    anna = ledger_partner("ANNA")
    ledger_partner("BEN")
    body = customer_body(user_id=USER, email=EMAIL, firstName="Erika", metadata={"mlm_referral_code": "BEN"})
    delivery = WebhookDelivery.objects.create(
        installation=installation,
        event="customer_created",
        body=body,
        status=DeliveryStatus.QUEUED,
        dedupe_key=delivery_dedupe_key(parse_payload("customer_created", load_json(body))),
    )
    order_started, release_order = threading.Event(), threading.Event()

    def order_transaction():
        # What ledger.customers.attach_customer does for the person's first paid order.
        try:
            with transaction.atomic():
                customer, _ = network_actions.get_or_create_customer(installation, saleor_user_id=USER, email=order_email)
                if order_code:
                    network_actions.assign_house_customer(customer, anna, changed_by="system", source="voucher")
                order_started.set()
                assert release_order.wait(20)
        finally:
            connection.close()

    def process():
        try:
            return process_delivery(delivery.pk)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        order = pool.submit(order_transaction)
        assert order_started.wait(20)
        processing = pool.submit(process)
        waited_for = _lock_wait_of_another_backend()
        release_order.set()
        order.result(timeout=30)
        status = processing.result(timeout=30)

    assert waited_for == waits_for
    assert status == DeliveryStatus.PROCESSED
    customer = Customer.objects.get(installation=installation)
    assert (customer.saleor_user_id, customer.email, customer.first_name) == (USER, EMAIL, "Erika")
    assert customer.sponsor == (anna if order_code else None)
    delivery.refresh_from_db()
    assert delivery.result[ATTRIBUTE_CUSTOMER_STEP]["action"] == CustomerEventAction.UPDATED
    assert NetworkChange.objects.filter(customer=customer, kind=ChangeKind.SPONSOR).count() == (1 if order_code else 0)


# ------------------------------------------------------------------ end to end


@pytest.mark.django_db
def test_a_later_order_stays_with_the_sponsor_of_the_registration(post_webhook, fake_saleor, saleor_installation, ledger_partner):
    """Signed deliveries through the view: the account is created with Anna's referral
    code; its first order carries Ben's voucher code and is still Anna's customer's order."""
    anna = ledger_partner("ANNA", installation=saleor_installation)
    ledger_partner("BEN", installation=saleor_installation)
    body = customer_body(app_id=fake_saleor.app_id, user_id=USER, email=EMAIL, metadata={"mlm_referral_code": "anna"})
    assert post_webhook("customer_created", body, fake_saleor.webhook_headers("customer_created", body)).status_code == 202
    customer = Customer.objects.get()
    assert (customer.sponsor, customer.attribution_source) == (anna, AttributionSource.CUSTOMER_METADATA)

    order = order_body(
        app_id=fake_saleor.app_id,
        order_id="T3JkZXI6ZXJpa2E=",
        user={"id": USER, "email": EMAIL, "metadata": []},
        userEmail=EMAIL,
        voucherCode="BEN",
    )
    assert post_webhook("order_fully_paid", order, fake_saleor.webhook_headers("order_fully_paid", order)).status_code == 202

    attribution = OrderAttribution.objects.get(order__saleor_order_id="T3JkZXI6ZXJpa2E=")
    assert (attribution.rule, attribution.customer, attribution.via_partner) == (AttributionRule.KNOWN_CUSTOMER, customer, anna)
    assert set(LedgerEntry.objects.values_list("customer", "partner")) == {(customer.pk, None)}
    assert LedgerEntry.objects.get().pv > Decimal(0)
    customer.refresh_from_db()
    assert customer.sponsor == anna
    assert Customer.objects.count() == 1
    assert NetworkChange.objects.filter(kind=ChangeKind.SPONSOR).count() == 1
