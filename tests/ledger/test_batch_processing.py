"""Batched processing (webhooks/batch.py) gives exactly what processing each delivery
alone gives: one path (`processing.process_claimed`), with a batch of one or of many.

The same network is built in two installations and the same deliveries are queued for
both: installation A's are processed one by one (`process_delivery`, the eager path: each
a batch of one), installation B's by the drain (`process_queued_batch`, batches of 8). Everything that processing
writes is then compared, with database ids replaced by codes and e-mails: attributions,
ledger entries, parked events, customers created and attached, network history, and the
final status of each delivery. The deliveries cover every rule, in one batch: partners
by user id and by e-mail, known customers, new and house customers (also two orders of
one new customer, and a house customer taken by a code), a repeated payment, a refund of
an order paid in the same batch, a refund before its payment, a foreign currency without
a rate, bad metadata, a non-ASCII address, an unparseable body and customer events (one
waiting for its first order, one creating a customer by the code in its metadata, one
linking a guest customer).
"""

from __future__ import annotations

import datetime
import json
import random
import re
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum

from saleor_mlm.ledger.models import LedgerEntry, OrderAttribution, ParkedOrderEvent
from saleor_mlm.network.models import Customer, NetworkChange
from saleor_mlm.orders.models import OrderEvent
from saleor_mlm.saleor.payloads import load_json, parse_payload
from saleor_mlm.webhooks import DeliveryStatus, use_cases
from saleor_mlm.webhooks import batch as webhook_batch
from saleor_mlm.webhooks.actions import delivery_dedupe_key
from saleor_mlm.webhooks.models import WebhookDelivery
from saleor_mlm.webhooks.processing import process_delivery
from tests.fixtures.orders import order_line, order_payload, webhook_body
from tests.fixtures.webhooks import customer_body

NOW = datetime.datetime(2026, 11, 24, 14, 0, tzinfo=datetime.UTC)


def build_network(installation, ledger_partner, ledger_customer, care_assignment):
    anna = ledger_partner("ANNA", installation=installation, saleor_user_id="VXNlcjoxMDE=", email="anna@example.com")
    ben = ledger_partner("BEN", sponsor=anna, installation=installation, email="Ben@Example.com")
    # Two partners under one address: the earlier enrolled is the person.
    ledger_partner("TWIN2", sponsor=anna, installation=installation, email="twin@example.com", enrolled_at=NOW)
    ledger_partner(
        "TWIN1", sponsor=anna, installation=installation, email="twin@example.com", enrolled_at=NOW - datetime.timedelta(days=9)
    )
    ledger_partner("GONE", sponsor=anna, installation=installation, status="terminated")
    carla = ledger_customer("carla@example.com", sponsor=ben, installation=installation, saleor_user_id="VXNlcjoyMDE=")
    ledger_customer("guest@example.com", sponsor=anna, installation=installation)
    ledger_customer("house@example.com", installation=installation)
    ledger_customer("house2@example.com", installation=installation)
    # Same address, another Saleor user: another person.
    ledger_customer("shared@example.com", sponsor=ben, installation=installation, saleor_user_id="VXNlcjo5OTk=")
    care_assignment(carla, anna, "0.4")


def paid(number, **kwargs):
    lines = kwargs.pop("lines", None) or [order_line(line_id=f"L{number}", net="20.00", quantity=2, variant_pv="10")]
    return ("order_fully_paid", order_payload(order_id=f"O{number}", number=str(number), lines=lines, created=NOW, **kwargs))


def refunded(number, total_refunded, event="order_refunded", **kwargs):
    lines = [order_line(line_id=f"L{number}", net="20.00", quantity=2, variant_pv="10")]
    order = order_payload(order_id=f"O{number}", number=str(number), lines=lines, created=NOW, total_refunded=total_refunded, **kwargs)
    return (event, order)


def deliveries():
    eur_rate_missing = [order_line(line_id="L12", net="30.00", currency="USD")]
    bad_metadata = [order_line(line_id="L13", net="10.00", variant_pv="1,5")]
    return [
        paid(1, email="x@example.com", user_id="VXNlcjoxMDE="),  # Anna by user id
        paid(2, email="BEN@example.COM"),  # Ben by e-mail, another case
        paid(3, email="twin@example.com"),  # the earlier twin
        paid(4, email="carla@example.com", user_id="VXNlcjoyMDE=", voucher_code="ANNA"),  # protected customer
        paid(5, email="Guest@Example.com"),  # guest customer by e-mail
        paid(6, email="new1@example.com", user_id="VXNlcjozMDE=", voucher_code="ben"),  # new, voucher
        paid(7, email="new1@example.com", user_id="VXNlcjozMDE=", voucher_code="ANNA"),  # same new customer again
        paid(8, email="new2@example.com", metadata={"mlm_referral_code": "BEN"}),  # new, referral metadata
        paid(9, email="new3@example.com", voucher_code="GONE"),  # terminated code: house customer
        paid(10, email="house@example.com", voucher_code="BEN"),  # house customer taken by a code
        paid(11, email="shared@example.com", user_id="VXNlcjo4ODg="),  # same address, other user: new
        paid(12, email="usd@example.com", user_id="VXNlcjoxMDE=", currency="USD", lines=eur_rate_missing),  # parked
        paid(13, email="anna@example.com", lines=bad_metadata),  # parked: bad metadata
        paid(14, email="jürgen@example.com", voucher_code="BEN"),  # non-ASCII address
        paid(1, email="x@example.com", user_id="VXNlcjoxMDE="),  # the payment of 1 delivered again
        refunded(2, "10.00", email="BEN@example.COM"),  # refund of an order paid in this batch
        refunded(15, "40.00", event="order_fully_refunded", email="anna@example.com"),  # before its payment
        paid(15, email="anna@example.com"),
        ("customer_created", None),
        ("broken", None),
        paid(16, email="carla@example.com", user_id="VXNlcjoyMDE="),
        paid(19, email="house2@example.com"),  # a house customer's order without a code
        paid(18, email="house2@example.com", voucher_code="BEN"),  # then with one, same batch
        paid(17, email="house@example.com"),  # attached by order 10 two batches ago
        ("customer_created", {"user_id": "VXNlcjo3MDE=", "email": "signup@example.com", "metadata": {"mlm_referral_code": "ben"}}),
        ("customer_updated", {"user_id": "VXNlcjo3MDI=", "email": "guest@example.com", "firstName": "Gina"}),  # links the guest
        # A registration with Anna's code and the first order with Ben's voucher, in one
        # batch: the registration comes first, so the customer is Anna's.
        ("customer_created", {"user_id": "VXNlcjo3MDM=", "email": "both@example.com", "metadata": {"mlm_referral_code": "ANNA"}}),
        paid(20, email="both@example.com", user_id="VXNlcjo3MDM=", voucher_code="BEN"),
    ]


def queue(installation, items):
    for event, order in items:
        if event.startswith("customer_"):
            body = customer_body(event, **(order or {}))
        elif event == "broken":
            event, body = "order_fully_paid", b'{"order": {"id": "broken"}}'
        else:
            body = json.dumps(webhook_body(event, order, issued_at=NOW)).encode()
        dedupe_key = ""
        try:
            dedupe_key = delivery_dedupe_key(parse_payload(event, load_json(body)))
        except Exception:
            pass
        WebhookDelivery.objects.create(
            installation=installation, event=event, body=body, status=DeliveryStatus.QUEUED, dedupe_key=dedupe_key
        )


def without_ids(value):
    """A history value with the database ids left out (they differ between installations)."""
    if isinstance(value, dict):
        return json.dumps({key: without_ids(item) for key, item in value.items() if key != "id"}, sort_keys=True)
    return json.dumps(value, sort_keys=True)


def node_name(partner, customer):
    if partner is not None:
        return f"partner:{partner.referral_code}"
    return f"customer:{customer.email}" if customer is not None else ""


def outcome(installation) -> dict:
    attributions = sorted(
        (
            a.order.number,
            a.rule,
            node_name(a.partner, a.customer),
            a.via_partner.referral_code if a.via_partner else "",
            a.pv,
            a.bv,
            a.period.starts_on,
            a.exchange_rate,
            json.dumps(a.lines, sort_keys=True),
        )
        for a in OrderAttribution.objects.filter(installation=installation).select_related("order", "partner", "customer", "via_partner", "period")
    )
    entries = sorted(
        (e.order.number if e.order else "", e.kind, node_name(e.partner, e.customer), e.order_line_id, e.pv, e.bv, e.period.starts_on)
        for e in LedgerEntry.objects.filter(installation=installation).select_related("order", "partner", "customer", "period")
    )
    # Still parked. (A batch records its new payments before the other deliveries, so a
    # refund that came just before its payment in the same batch never waits parked; the
    # entries are the same either way.)
    parked = sorted(
        (p.order.number, p.reason, p.message)
        for p in ParkedOrderEvent.objects.filter(installation=installation, resolved_at__isnull=True).select_related("order")
    )
    customers = sorted(
        (c.email, c.saleor_user_id, c.sponsor.referral_code if c.sponsor else "", c.attribution_source)
        for c in Customer.objects.filter(installation=installation).select_related("sponsor")
    )
    changes = sorted(
        # Customer events name their delivery in the reason; its id differs between installations.
        (
            c.kind,
            node_name(c.partner, c.customer),
            without_ids(c.old_value),
            without_ids(c.new_value),
            re.sub(r"delivery #\d+", "delivery #N", c.reason),
        )
        for c in NetworkChange.objects.filter(installation=installation).select_related("partner", "customer")
    )
    events = sorted(
        (e.order.number, e.kind, e.dedupe_key, e.credited_at is not None)
        for e in OrderEvent.objects.filter(installation=installation).select_related("order")
    )
    statuses = list(WebhookDelivery.objects.filter(installation=installation).order_by("id").values_list("status", "attempts"))
    return {
        "attributions": attributions,
        "entries": entries,
        "parked": parked,
        "customers": customers,
        "changes": changes,
        "events": events,
        "statuses": statuses,
    }


@pytest.mark.django_db
def test_batch_processing_writes_what_one_by_one_writes(installation_factory, ledger_partner, ledger_customer, care_assignment):
    one_by_one, batched = installation_factory(), installation_factory()
    for installation in (one_by_one, batched):
        build_network(installation, ledger_partner, ledger_customer, care_assignment)

    items = deliveries()
    queue(one_by_one, items)
    for delivery_id in WebhookDelivery.objects.filter(installation=one_by_one).order_by("id").values_list("id", flat=True):
        process_delivery(delivery_id)

    queue(batched, items)
    claimed = []
    while count := webhook_batch.process_queued_batch(8):  # four batches
        claimed.append(count)
    assert claimed == [8, 8, 8, 4]

    expected, got = outcome(one_by_one), outcome(batched)
    for key in expected:
        assert got[key] == expected[key], key
    # The scenario is not trivial: every path was taken.
    statuses = {status for status, _ in got["statuses"]}
    assert statuses == {DeliveryStatus.PROCESSED, DeliveryStatus.SKIPPED, DeliveryStatus.REJECTED}
    assert {rule for _, rule, *_ in got["attributions"]} == {
        "partner_user", "partner_email", "known_customer", "voucher", "referral_metadata", "house"
    }
    assert {reason for _, reason, _ in got["parked"]} == {"no_exchange_rate", "invalid_metadata"}
    customers = {email: rest for email, *rest in got["customers"]}
    assert customers["signup@example.com"] == ["VXNlcjo3MDE=", "BEN", "customer_metadata"]
    assert customers["guest@example.com"][:2] == ["VXNlcjo3MDI=", "ANNA"]
    assert customers["both@example.com"][:2] == ["VXNlcjo3MDM=", "ANNA"]


@pytest.mark.django_db
def test_bulk_path_takes_known_and_new_buyers(installation, ledger_partner, ledger_customer, django_assert_max_num_queries):
    """The point of batching: 60 orders of known and new buyers in a few dozen queries,
    not 60 x 16 (or 60 x 25 for new customers)."""
    anna = ledger_partner("ANNA", saleor_user_id="VXNlcjoxMDE=")
    people = [ledger_customer(f"c{index}@example.com", sponsor=anna) for index in range(20)]
    items = [paid(index, email=people[index % 20].email) for index in range(30)]
    items += [paid(100 + index, email=f"new{index}@example.com", voucher_code="anna") for index in range(20)]
    items += [paid(200 + index, email=f"house{index}@example.com") for index in range(10)]
    queue(installation, items)
    with django_assert_max_num_queries(40):
        assert webhook_batch.process_queued_batch(100) == 60
    assert WebhookDelivery.objects.filter(status=DeliveryStatus.PROCESSED).count() == 60
    assert LedgerEntry.objects.aggregate(pv=Sum("pv"))["pv"] == Decimal(60 * 20)
    assert Customer.objects.filter(email__startswith="new", sponsor=anna, attribution_source="voucher").count() == 20
    assert Customer.objects.filter(email__startswith="house", sponsor=None).count() == 10
    assert NetworkChange.objects.filter(customer__email__startswith="new").count() == 20


@pytest.mark.django_db
def test_a_failing_batch_falls_back_to_one_by_one(installation, ledger_partner, monkeypatch):
    ledger_partner("ANNA", saleor_user_id="VXNlcjoxMDE=")
    queue(installation, [paid(index, email="a@example.com", user_id="VXNlcjoxMDE=") for index in range(5)])
    credit = use_cases.credit_new_order_events

    def broken_for_batches(new):
        if len(new) > 1:
            raise RuntimeError("a bug that only a batch meets")
        credit(new)

    monkeypatch.setattr(use_cases, "credit_new_order_events", broken_for_batches)
    assert webhook_batch.process_queued_batch(100) == 5
    # Nothing of the failed batch was kept; every delivery was processed alone.
    assert WebhookDelivery.objects.filter(status=DeliveryStatus.PROCESSED).count() == 5
    assert OrderEvent.objects.filter(credited_at__isnull=False).count() == 5
    assert LedgerEntry.objects.count() == 5


def drain_in_thread(_):
    try:
        return webhook_batch.drain(batch_size=7)
    finally:
        connection.close()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_parallel_drains_lose_nothing_and_credit_nothing_twice(installation, ledger_partner, ledger_customer, settings):
    settings.SALEOR_WRITE_BACK = False  # no Saleor to write to here
    rng = random.Random(7)
    anna = ledger_partner("ANNA", saleor_user_id="VXNlcjoxMDE=")
    ben = ledger_partner("BEN", sponsor=anna)
    known = [ledger_customer(f"k{index}@example.com", sponsor=ben) for index in range(10)]
    items = []
    for number in range(120):
        kind = number % 3
        if kind == 0:
            buyer = {"email": "anna@x.example.com", "user_id": "VXNlcjoxMDE="}
        elif kind == 1:
            buyer = {"email": known[number % 10].email}
        else:  # new customers, 20 people with two orders each
            buyer = {"email": f"new{number % 20}@example.com", "voucher_code": "BEN"}
        items.append(paid(number, **buyer))
        if number % 6 == 0:
            items.append(refunded(number, "20.00", **buyer))
    items = items + items[:30]  # duplicate deliveries
    rng.shuffle(items)
    queue(installation, items)

    with ThreadPoolExecutor(max_workers=4) as pool:
        drained = sum(pool.map(drain_in_thread, range(4)))

    assert drained >= len(items)  # a delivery left to the one-by-one path can be claimed twice
    assert not WebhookDelivery.objects.filter(status__in=[DeliveryStatus.QUEUED, DeliveryStatus.FAILED]).exists()
    # ... but is processed once.
    assert set(WebhookDelivery.objects.values_list("attempts", flat=True)) == {1}
    # 120 orders of 2 x 10 PV; every sixth half refunded (unless its refund came first and
    # was parked until the payment applied it: the same total).
    expected = Decimal(120 * 20) - Decimal(20 * 10)
    assert LedgerEntry.objects.aggregate(pv=Sum("pv"))["pv"] == expected
    assert OrderAttribution.objects.count() == 120
    assert not OrderEvent.objects.filter(credited_at__isnull=True).exists()
    assert Customer.objects.filter(email__startswith="new").count() == 20
    assert not Customer.objects.filter(email__startswith="new", sponsor__isnull=True).exists()
