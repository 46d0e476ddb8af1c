"""An order line's volume is credited in every partner program it belongs to (issue 19):
the default program takes every line, as before; another program takes the lines of its
product types, categories or collections, with its own PV/BV keys first. Refunds take back
per program with the same shares; bad program metadata parks the event."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum

from saleor_mlm.ledger import EntryKind, ParkReason
from saleor_mlm.ledger.crediting import CreditOutcome, credit_order_event
from saleor_mlm.ledger.models import LedgerEntry, OrderAttribution, ParkedOrderEvent
from saleor_mlm.periods.fetch import own_volume_rows
from saleor_mlm.programs import ProductScope
from saleor_mlm.programs.models import Program
from tests.fixtures.orders import order_line

pytestmark = pytest.mark.django_db

NOV = datetime.datetime(2026, 11, 10, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def wellness(installation):
    """Takes the products of type "Tee" and the collection "Sommer"."""
    return Program.objects.create(
        installation=installation, code="wellness", name="Wellness", products=ProductScope.LISTED,
        product_type_ids=["PT-TEE"], collection_ids=["COL-SOMMER"],
    )  # fmt: skip


@pytest.fixture
def brand(installation):
    """Takes the category "Kosmetik"."""
    return Program.objects.create(
        installation=installation, code="brand", name="Zweitmarke", products=ProductScope.LISTED, category_ids=["CAT-KOSMETIK"]
    )


@pytest.fixture
def anna(ledger_partner):
    return ledger_partner("ANNA", email="anna@example.com")


def by_program(order, kind=None) -> dict:
    """{(program id or None, line id): (pv, bv)} of an order's entries."""
    entries = LedgerEntry.objects.filter(order=order)
    if kind:
        entries = entries.filter(kind=kind)
    rows = entries.values("program_id", "order_line_id").annotate(pv=Sum("pv"), bv=Sum("bv")).order_by()
    return {(row["program_id"], row["order_line_id"]): (row["pv"], row["bv"]) for row in rows}


@pytest.fixture
def paid(order_event_factory, anna, wellness, brand):
    """Anna's order: a tea (type "Tee", 2 x 30.00, variant mlm.pv 10, product
    mlm.wellness.pv 7), a cream (category "Kosmetik", 40.00, no metadata) and a book
    (nothing of either program, 10.00, in the collection "Sommer")."""
    event = order_event_factory(
        email="anna@example.com",
        created=NOV,
        issued_at=NOV,
        lines=[
            order_line(line_id="TEA", quantity=2, net="30.00", variant_pv="10", product_metadata={"mlm.wellness.pv": "7"},
                       product_type_id="PT-TEE", category_id="CAT-TEE"),
            order_line(line_id="CREAM", net="40.00", product_type_id="PT-CREME", category_id="CAT-KOSMETIK"),
            order_line(line_id="BOOK", net="10.00", product_type_id="PT-BUCH", category_id="CAT-BUCH", collection_ids=["COL-SOMMER"]),
        ],
    )  # fmt: skip
    assert credit_order_event(event).outcome == CreditOutcome.CREDITED
    return event


def test_a_line_is_credited_in_every_program_it_belongs_to(paid, anna, wellness, brand):
    assert by_program(paid.order) == {
        # The default program takes every line, as before programs.
        (None, "TEA"): (Decimal("20"), Decimal("60")),
        (None, "CREAM"): (Decimal("40"), Decimal("40")),
        (None, "BOOK"): (Decimal("10"), Decimal("10")),
        # Wellness: the tea by its type, with its own PV key; the book by its collection.
        (wellness.pk, "TEA"): (Decimal("14"), Decimal("60")),
        (wellness.pk, "BOOK"): (Decimal("10"), Decimal("10")),
        # The second brand: the cream by its category.
        (brand.pk, "CREAM"): (Decimal("40"), Decimal("40")),
    }
    assert set(LedgerEntry.objects.filter(order=paid.order).values_list("partner_id", flat=True)) == {anna.pk}
    attribution = OrderAttribution.objects.get(order=paid.order)
    # The attribution's totals are the default program's; each line keeps what the others credited.
    assert (attribution.pv, attribution.bv) == (Decimal("70"), Decimal("110"))
    assert [line.get("programs") for line in attribution.lines] == [
        {str(wellness.pk): {"pv": "14.00", "bv": "60.00", "pv_source": "product", "bv_source": "price"}},
        {str(brand.pk): {"pv": "40.00", "bv": "40.00", "pv_source": "price", "bv_source": "price"}},
        {str(wellness.pk): {"pv": "10.00", "bv": "10.00", "pv_source": "price", "bv_source": "price"}},
    ]


def test_each_program_sums_only_its_own_entries(paid, anna, installation, wellness, brand):
    period_id = paid.order.ledger_entries.first().period_id

    def own(program):
        rows = own_volume_rows(installation.pk, period_id, program.pk if program else None)
        return rows["partner_id"].tolist(), rows["pv"].tolist(), rows["bv"].tolist()

    assert own(None) == ([anna.pk], [700_000], [1_100_000])
    assert own(wellness) == ([anna.pk], [240_000], [700_000])
    assert own(brand) == ([anna.pk], [400_000], [400_000])


def test_refunds_take_back_in_every_program(paid, order_event_factory, wellness, brand):
    order = paid.order
    partly = order_event_factory("refunded", order=order, total_refunded="27.50", issued_at=NOV)  # 25 % of 110.00
    assert credit_order_event(partly).outcome == CreditOutcome.CREDITED

    assert by_program(order, EntryKind.REFUND) == {
        (None, "TEA"): (Decimal("-5"), Decimal("-15")),
        (None, "CREAM"): (Decimal("-10"), Decimal("-10")),
        (None, "BOOK"): (Decimal("-2.5"), Decimal("-2.5")),
        (wellness.pk, "TEA"): (Decimal("-3.5"), Decimal("-15")),
        (wellness.pk, "BOOK"): (Decimal("-2.5"), Decimal("-2.5")),
        (brand.pk, "CREAM"): (Decimal("-10"), Decimal("-10")),
    }

    cancelled = order_event_factory("cancelled", order=order, issued_at=NOV)
    credit_order_event(cancelled)

    assert set(by_program(order).values()) == {(Decimal(0), Decimal(0))}


def test_a_program_without_a_line_of_the_order_gets_nothing(order_event_factory, anna, wellness, brand):
    event = order_event_factory(
        email="anna@example.com", created=NOV, issued_at=NOV, lines=[order_line(line_id="CREAM", net="40.00", category_id="CAT-KOSMETIK")]
    )

    credit_order_event(event)

    assert by_program(event.order) == {(None, "CREAM"): (Decimal("40"), Decimal("40")), (brand.pk, "CREAM"): (Decimal("40"), Decimal("40"))}
    assert OrderAttribution.objects.get(order=event.order).lines[0]["programs"] == {
        str(brand.pk): {"pv": "40.00", "bv": "40.00", "pv_source": "price", "bv_source": "price"}
    }


def test_bad_program_metadata_parks_the_order(order_event_factory, anna, wellness):
    event = order_event_factory(
        email="anna@example.com",
        created=NOV,
        issued_at=NOV,
        lines=[order_line(line_id="TEA", net="30.00", product_type_id="PT-TEE", variant_metadata={"mlm.wellness.pv": "zehn"})],
    )

    result = credit_order_event(event)

    assert result.outcome == CreditOutcome.PARKED
    assert ParkedOrderEvent.objects.get(order_event=event).reason == ParkReason.INVALID_METADATA
    assert "mlm.wellness.pv" in result.message
    assert not LedgerEntry.objects.filter(order=event.order).exists()


def test_without_other_programs_nothing_changes(order_event_factory, anna, installation):
    event = order_event_factory(
        email="anna@example.com", created=NOV, issued_at=NOV, lines=[order_line(line_id="TEA", net="30.00", product_type_id="PT-TEE")]
    )

    credit_order_event(event)

    assert by_program(event.order) == {(None, "TEA"): (Decimal("30"), Decimal("30"))}
    assert "programs" not in OrderAttribution.objects.get(order=event.order).lines[0]
