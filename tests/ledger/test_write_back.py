"""Write-back to Saleor: `mlm.credited` on the order (private metadata) and `mlm.sponsor`
on the customer, sent to a real local HTTP server that records the GraphQL requests."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest

from saleor_mlm.installations.saleor_client import SaleorGraphQLError, SaleorUnavailable
from saleor_mlm.ledger import write_back
from saleor_mlm.ledger.crediting import credit_order_event
from saleor_mlm.ledger.tasks import write_back_order_task
from saleor_mlm.ledger.write_back import MetadataWriteRefused, credited_summary, write_back_order
from saleor_mlm.orders.models import OrderRecord
from tests.fixtures.orders import order_line

pytestmark = pytest.mark.django_db

NOV = datetime.datetime(2026, 11, 10, tzinfo=datetime.UTC)


@pytest.fixture
def saleor(fake_saleor):
    """The fake Saleor answering metadata mutations like Saleor; `fake.calls` lists
    (mutation field, variables) in order."""
    fake_saleor.calls = []
    fake_saleor.refuse = None

    def handle(request):
        body = json.loads(request.body)
        field = "updatePrivateMetadata" if "updatePrivateMetadata" in body["query"] else "updateMetadata"
        fake_saleor.calls.append((field, body["variables"]))
        errors = [{"field": "id", "code": fake_saleor.refuse, "message": "refused"}] if fake_saleor.refuse else []
        return 200, {"data": {field: {"errors": errors}}}

    fake_saleor.graphql_handler = handle
    return fake_saleor


@pytest.fixture
def shop(installation_factory, saleor, settings):
    settings.SALEOR_WRITE_BACK = True
    return installation_factory(saleor_api_url=saleor.api_url, app_id=saleor.app_id, jwks=saleor.jwks())


@pytest.fixture
def network(shop, ledger_partner, ledger_customer, care_assignment):
    anna = ledger_partner("ANNA", installation=shop, first_name="Anna", last_name="Berger", email="anna@example.com")
    ben = ledger_partner("BEN", installation=shop, sponsor=anna, first_name="Ben", last_name="Huber", email="ben@example.com")
    cora = ledger_partner("CORA", installation=shop, first_name="Cora", last_name="Meier")
    kunde = ledger_customer("kunde@example.com", installation=shop, sponsor=ben, saleor_user_id="VXNlcjo3")
    care_assignment(kunde, cora, "0.3")
    care_assignment(ben, cora, "0.5")
    return {"anna": anna, "ben": ben, "cora": cora, "kunde": kunde}


def pay(order_event_factory, shop, **kwargs):
    event = order_event_factory(installation=shop, created=NOV, issued_at=NOV, **kwargs)
    credit_order_event(event)
    return event.order


def metadata_written(call) -> tuple[str, str, dict | str]:
    field, variables = call
    (item,) = variables["input"]
    value = json.loads(item["value"]) if item["key"] == "mlm.credited" else item["value"]
    return field, variables["id"], {item["key"]: value}


def test_customer_order_credited_with_split_and_sponsor_on_the_customer(shop, saleor, network, order_event_factory):
    order = pay(
        order_event_factory,
        shop,
        order_id="T3JkZXI6MTAx",
        email="kunde@example.com",
        user_id="VXNlcjo3",
        lines=[order_line(net="40.00", product_pv="25", product_bv="33.33")],
    )
    result = write_back_order(order.pk)

    assert (result.order_written, result.customer_written) == (True, True)
    assert [metadata_written(call) for call in saleor.calls] == [
        (
            "updatePrivateMetadata",
            "T3JkZXI6MTAx",
            {
                "mlm.credited": {
                    "period": "2026-11",
                    "rule": "known_customer",
                    "buyer": "customer",
                    "pv": "25.00",
                    "bv": "33.33",
                    "ordered": {"pv": "25.00", "bv": "33.33"},
                    "partners": [
                        {"code": "BEN", "name": "Ben Huber", "role": "sponsor", "share": "0.7", "pv": "17.50", "bv": "23.33"},
                        {"code": "CORA", "name": "Cora Meier", "role": "betreuer", "share": "0.3", "pv": "7.50", "bv": "10.00"},
                    ],
                }
            },
        ),
        ("updateMetadata", "VXNlcjo3", {"mlm.sponsor": "BEN"}),
    ]
    request = saleor.requests_to("/graphql/")[0]
    assert request.headers["Authorization"] == f"Bearer {shop.auth_token}"
    body = json.loads(request.body)
    assert "updatePrivateMetadata(id: $id, input: $input)" in body["query"]
    assert "errors { field code message }" in body["query"]


def test_partner_order_and_refund_rewrite_the_net_volume(shop, saleor, network, order_event_factory):
    order = pay(order_event_factory, shop, email="ben@example.com", lines=[order_line(net="50.00")])
    write_back_order(order.pk)
    credit_order_event(order_event_factory("refunded", order=order, total_refunded="20.00"))
    write_back_order(order.pk)

    first, second = (metadata_written(call)[2]["mlm.credited"] for call in saleor.calls)
    assert first["partners"] == [{"code": "BEN", "name": "Ben Huber", "role": "own", "share": "1", "pv": "50.00", "bv": "50.00"}]
    assert first["split"] == {"code": "CORA", "name": "Cora Meier", "share": "0.5"}
    assert first["rule"] == "partner_email" and first["buyer"] == "partner"
    assert (second["pv"], second["bv"], second["ordered"]) == ("30.00", "30.00", {"pv": "50.00", "bv": "50.00"})
    assert second["partners"][0]["pv"] == "30.00"
    # Partners are no Saleor customers here: no customer metadata.
    assert [call[0] for call in saleor.calls] == ["updatePrivateMetadata", "updatePrivateMetadata"]


def test_guest_and_house_customers(shop, saleor, network, order_event_factory):
    # A guest checkout with Anna's code: a new customer without Saleor user -> order only.
    guest = pay(order_event_factory, shop, email="gast@example.com", voucher_code="ANNA", lines=[order_line(net="10.00")])
    write_back_order(guest.pk)
    # No code at all: a house customer, credited to nobody yet.
    house = pay(order_event_factory, shop, email="walk-in@example.com", user_id="VXNlcjo5", lines=[order_line(net="8.00")])
    write_back_order(house.pk)

    fields = [call[0] for call in saleor.calls]
    assert fields == ["updatePrivateMetadata", "updatePrivateMetadata"]
    guest_summary = metadata_written(saleor.calls[0])[2]["mlm.credited"]
    assert guest_summary["rule"] == "voucher"
    assert guest_summary["partners"] == [{"code": "ANNA", "name": "Anna Berger", "role": "sponsor", "share": "1", "pv": "10.00", "bv": "10.00"}]
    house_summary = metadata_written(saleor.calls[1])[2]["mlm.credited"]
    assert (house_summary["rule"], house_summary["partners"]) == ("house", [])


def test_sponsor_already_in_the_customer_metadata_is_not_written_again(shop, saleor, network, order_event_factory):
    order = pay(
        order_event_factory,
        shop,
        email="kunde@example.com",
        user_id="VXNlcjo3",
        user_metadata={"mlm.sponsor": "BEN"},
        lines=[order_line(net="10.00")],
    )
    write_back_order(order.pk)
    assert [call[0] for call in saleor.calls] == ["updatePrivateMetadata"]


def test_unchanged_summary_already_in_saleor_is_not_written(shop, saleor, network, order_event_factory):
    order = pay(order_event_factory, shop, email="ben@example.com", lines=[order_line(net="10.00")])
    summary = json.dumps(credited_summary(order), separators=(",", ":"))
    OrderRecord.objects.filter(pk=order.pk).update(private_metadata={"mlm.credited": summary})
    assert write_back_order(order.pk).order_written is False
    assert saleor.calls == []


def test_off_switch_and_demo_installation(shop, saleor, network, order_event_factory, settings, installation_factory):
    order = pay(order_event_factory, shop, email="ben@example.com", lines=[order_line(net="10.00")])
    settings.SALEOR_WRITE_BACK = False
    assert write_back_order(order.pk).skipped
    settings.SALEOR_WRITE_BACK = True
    shop.is_demo = True
    shop.save()
    assert write_back_order(order.pk).skipped
    assert saleor.calls == []


def test_crediting_schedules_the_write_back_after_commit(shop, saleor, network, order_event_factory, django_capture_on_commit_callbacks):
    event = order_event_factory(installation=shop, email="ben@example.com", created=NOV, issued_at=NOV, lines=[order_line(net="12.00")])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        credit_order_event(event)
    assert saleor.calls == []  # nothing before the commit
    for callback in callbacks:
        callback()  # runs the (eager) task
    assert [call[0] for call in saleor.calls] == ["updatePrivateMetadata"]
    # A duplicate event credits nothing and schedules nothing.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        credit_order_event(event)
    assert callbacks == []


def test_nothing_is_scheduled_for_a_demo_installation(shop, saleor, network, order_event_factory, django_capture_on_commit_callbacks):
    shop.is_demo = True
    shop.save()
    event = order_event_factory(installation=shop, email="ben@example.com", created=NOV, issued_at=NOV, lines=[order_line(net="12.00")])
    with django_capture_on_commit_callbacks(execute=True):
        credit_order_event(event)
    assert saleor.calls == []


def test_refusals_are_errors_not_retries(shop, saleor, network, order_event_factory):
    order = pay(order_event_factory, shop, email="ben@example.com", lines=[order_line(net="10.00")])
    saleor.refuse = "NOT_FOUND"
    with pytest.raises(MetadataWriteRefused, match="updatePrivateMetadata refused: id: NOT_FOUND"):
        write_back_order(order.pk)
    saleor.graphql_handler = lambda request: (200, {"errors": [{"message": "You need MANAGE_ORDERS"}]})
    with pytest.raises(SaleorGraphQLError):
        write_back_order(order.pk)
    assert not issubclass(MetadataWriteRefused, SaleorUnavailable)
    assert write_back_order_task.autoretry_for == (SaleorUnavailable,)


def test_unavailable_saleor_in_process_is_one_attempt_without_retry(shop, saleor, network, order_event_factory):
    order = pay(order_event_factory, shop, email="ben@example.com", lines=[order_line(net="10.00")])
    saleor.graphql_status = 503
    saleor.graphql_handler = None
    result = write_back_order_task.apply(args=[order.pk]).get()
    assert result["skipped"] == "Saleor unavailable"
    assert len(saleor.requests_to("/graphql/")) == 1
    with pytest.raises(SaleorUnavailable):
        write_back_order(order.pk, client_retries=0)


def test_a_refund_credited_while_writing_is_written_too(shop, saleor, network, order_event_factory, monkeypatch):
    order = pay(order_event_factory, shop, email="ben@example.com", lines=[order_line(net="40.00")])
    refund = order_event_factory("refunded", order=order, total_refunded="10.00")
    original = write_back._mutate

    def mutate_then_refund(client, document, name, object_id, key, value):
        original(client, document, name, object_id, key, value)
        if refund.credited_at is None:
            credit_order_event(refund)  # lands while the first write is on its way
            refund.refresh_from_db()

    monkeypatch.setattr(write_back, "_mutate", mutate_then_refund)
    write_back_order(order.pk)
    written = [metadata_written(call)[2]["mlm.credited"]["pv"] for call in saleor.calls]
    assert written == ["40.00", "30.00"]
    assert Decimal(written[-1]) == Decimal("30.00")
