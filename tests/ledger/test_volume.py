"""PV and BV of order lines (pure), and how an order's currency is handled (database)."""

import datetime
from decimal import Decimal

import pytest

from saleor_mlm.ledger import LineVolumeSource, ParkReason
from saleor_mlm.ledger.crediting import CreditOutcome, credit_order_event
from saleor_mlm.ledger.models import LedgerEntry, OrderAttribution, ParkedOrderEvent
from saleor_mlm.ledger.volume import (
    OrderLine,
    VolumeError,
    VolumeRules,
    line_volume,
    needs_exchange_rate,
    order_volumes,
    parse_line,
)
from tests.fixtures.orders import order_line

RULES = VolumeRules(plan_currency="EUR", pv_per_bv=Decimal("0.5"))


def line(quantity=2, total_net="44.98", variant=None, product=None) -> OrderLine:
    return OrderLine("L1", "SKU", quantity, Decimal(total_net), "V1", variant or {}, "P1", product or {})


def test_variant_metadata_per_unit_times_quantity():
    volume = line_volume(line(variant={"mlm.pv": "12.5", "mlm.bv": "15.00"}, product={"mlm.pv": "10"}), RULES, None)

    assert (volume.pv, volume.bv) == (Decimal("25.00"), Decimal("30.00"))
    assert (volume.pv_source, volume.bv_source) == (LineVolumeSource.VARIANT, LineVolumeSource.VARIANT)


def test_product_metadata_when_the_variant_has_none():
    volume = line_volume(line(product={"mlm.pv": "10", "mlm.bv": "7.255"}), RULES, None)

    # 7.255 x 2 = 14.51 exactly; PV 10 x 2.
    assert (volume.pv, volume.bv) == (Decimal("20.00"), Decimal("14.51"))
    assert (volume.pv_source, volume.bv_source) == (LineVolumeSource.PRODUCT, LineVolumeSource.PRODUCT)


def test_each_key_falls_back_on_its_own():
    # The captured sample: product mlm.pv=10, no BV anywhere: BV from the price.
    volume = line_volume(line(product={"mlm.pv": "10"}), RULES, Decimal(1))

    assert (volume.pv, volume.bv) == (Decimal("20.00"), Decimal("44.98"))
    assert (volume.pv_source, volume.bv_source) == (LineVolumeSource.PRODUCT, LineVolumeSource.PRICE)


def test_price_fallback_converts_and_applies_the_ratio():
    # 44.98 USD at 0.9215 EUR/USD = 41.449070 -> 41.45 EUR; PV = 41.45 x 0.5 = 20.725 -> 20.73.
    volume = line_volume(line(), RULES, Decimal("0.9215"))

    assert (volume.bv, volume.pv) == (Decimal("41.45"), Decimal("20.73"))
    assert (volume.pv_source, volume.bv_source) == (LineVolumeSource.PRICE, LineVolumeSource.PRICE)


def test_pv_from_bv_metadata_and_ratio():
    volume = line_volume(line(variant={"mlm.bv": "15"}), RULES, None)

    assert (volume.pv, volume.bv) == (Decimal("15.00"), Decimal("30.00"))


def test_empty_metadata_value_counts_as_absent():
    volume = line_volume(line(variant={"mlm.pv": " "}, product={"mlm.pv": "3"}), RULES, Decimal(1))

    assert volume.pv == Decimal("6.00")


@pytest.mark.parametrize("value", ["12,5", "abc", "-1", "NaN", "Infinity"])
def test_metadata_that_is_not_a_decimal_is_an_error(value):
    with pytest.raises(VolumeError) as error:
        line_volume(line(variant={"mlm.pv": value}), RULES, Decimal(1))

    assert "mlm.pv" in str(error.value) and repr(value) in str(error.value)


@pytest.mark.parametrize(
    "the_line, rate, message",
    [
        (line(variant={"mlm.pv": "1e400"}), Decimal(1), "variant V1 metadata mlm.pv='1e400' is too large (it must be below 1,000,000,000,000,000)"),
        (line(product={"mlm.bv": "1" * 5000}), Decimal(1), "product P1 metadata mlm.bv='" + "1" * 38 + "… is too large"),
        (line(quantity=2_000_000_000, variant={"mlm.pv": "999999"}), Decimal(1), "line L1: its PV (2.0000E+15) is too large"),
        (line(total_net="9999999999999999.99"), Decimal("9999999999"), "line L1: its BV (1.0000E+26) is too large"),
    ],
)
def test_volumes_beyond_what_an_entry_holds_are_errors_not_crashes(the_line, rate, message):
    with pytest.raises(VolumeError) as error:
        order_volumes([the_line], RULES, rate)

    assert message in str(error.value)


def test_an_order_whose_lines_add_up_beyond_an_entry_is_an_error():
    lines = [OrderLine(f"L{n}", "SKU", 1, Decimal(0), "V", {"mlm.pv": "600000000000000"}, "P", {}) for n in range(2)]

    with pytest.raises(VolumeError, match=r"the order's PV \(1.2000E\+15\) is too large"):
        order_volumes(lines, RULES, Decimal(1))


def test_rate_needed_only_when_a_line_takes_bv_from_a_foreign_price():
    with_bv = line(variant={"mlm.bv": "15"})
    without = line(variant={"mlm.pv": "3"})

    assert not needs_exchange_rate([with_bv], RULES, "USD")
    assert needs_exchange_rate([with_bv, without], RULES, "USD")
    assert not needs_exchange_rate([without], RULES, "EUR")


def test_parse_line_reads_the_stored_shape():
    stored = {
        "id": "L1",
        "product_sku": "E2E-TSHIRT-M",
        "quantity": 2,
        "unit_price": {"net": {"amount": "22.49", "currency": "EUR"}, "gross": {"amount": "22.49", "currency": "EUR"}},
        "total_price": {"net": {"amount": "44.98", "currency": "EUR"}, "gross": {"amount": "44.98", "currency": "EUR"}},
        "variant_id": "V",
        "variant_metadata": {},
        "product_id": "P",
        "product_metadata": {"mlm.pv": "10"},
    }

    parsed = parse_line(stored)

    assert (parsed.line_id, parsed.sku, parsed.quantity, parsed.total_net) == ("L1", "E2E-TSHIRT-M", 2, Decimal("44.98"))
    assert parsed.product_metadata == {"mlm.pv": "10"}


# --- orders, with the database ------------------------------------------------------------


@pytest.mark.django_db
def test_order_volume_in_the_plan_currency(order_event_factory, ledger_partner):
    anna = ledger_partner("ANNA", email="anna@example.com")
    event = order_event_factory(
        email="anna@example.com",
        shipping="4.90",
        lines=[
            order_line(sku="S", quantity=1, net="19.99", variant_pv="12.5", variant_bv="15.00", product_pv="10"),
            order_line(sku="M", quantity=2, net="22.49", product_pv="10"),
            order_line(sku="X", quantity=3, net="5.00"),
        ],
    )

    assert credit_order_event(event).outcome == CreditOutcome.CREDITED

    rows = list(LedgerEntry.objects.filter(partner=anna).order_by("id").values_list("pv", "bv"))
    # S: variant 12.5 / 15.00; M: product PV 10 x 2, BV = 44.98 net; X: BV 15.00, PV = BV x 1.
    assert rows == [(Decimal("12.5"), Decimal("15")), (Decimal("20"), Decimal("44.98")), (Decimal("15"), Decimal("15"))]
    attribution = OrderAttribution.objects.get()
    assert (attribution.pv, attribution.bv, attribution.exchange_rate) == (Decimal("47.50"), Decimal("74.98"), None)


@pytest.mark.django_db
def test_foreign_currency_uses_the_rate_of_the_order_date_or_the_latest_before(order_event_factory, ledger_partner, exchange_rate, volume_settings):
    volume_settings.pv_per_bv = Decimal("2")
    volume_settings.save()
    anna = ledger_partner("ANNA", email="anna@example.com")
    exchange_rate("USD", "0.90", on=datetime.date(2026, 10, 30))
    exchange_rate("USD", "0.92", on=datetime.date(2026, 11, 2))
    exchange_rate("USD", "0.99", on=datetime.date(2026, 11, 4))  # after the order: not used
    event = order_event_factory(
        currency="USD",
        email="anna@example.com",
        created=datetime.datetime(2026, 11, 3, 23, 30, tzinfo=datetime.UTC),
        lines=[order_line(currency="USD", quantity=1, net="100.00")],
    )

    credit_order_event(event)

    entry = LedgerEntry.objects.get(partner=anna)
    assert (entry.bv, entry.pv) == (Decimal("92.00"), Decimal("184.00"))
    attribution = OrderAttribution.objects.get()
    assert (attribution.exchange_rate, attribution.exchange_rate_valid_on) == (Decimal("0.92"), datetime.date(2026, 11, 2))


@pytest.mark.django_db
def test_foreign_currency_with_metadata_bv_needs_no_rate(order_event_factory, ledger_partner):
    anna = ledger_partner("ANNA", email="anna@example.com")
    event = order_event_factory(currency="CHF", email="anna@example.com", lines=[order_line(currency="CHF", variant_bv="15", variant_pv="12")])

    assert credit_order_event(event).outcome == CreditOutcome.CREDITED
    assert LedgerEntry.objects.get(partner=anna).bv == Decimal("15")


@pytest.mark.django_db
def test_no_rate_parks_the_order_with_its_reason(order_event_factory, ledger_partner):
    ledger_partner("ANNA", email="anna@example.com")
    event = order_event_factory(
        currency="USD",
        email="anna@example.com",
        created=datetime.datetime(2026, 11, 3, 10, 0, tzinfo=datetime.UTC),
        lines=[order_line(currency="USD")],
    )

    result = credit_order_event(event)

    assert result.outcome == CreditOutcome.PARKED
    parked = ParkedOrderEvent.objects.get()
    assert (parked.reason, parked.message, parked.resolved_at) == (
        ParkReason.NO_EXCHANGE_RATE,
        "no exchange rate for USD->EUR on 2026-11-03",
        None,
    )
    event.refresh_from_db()
    assert event.credited_at is None
    assert not LedgerEntry.objects.exists() and not OrderAttribution.objects.exists()

    # Trying again without a rate keeps it parked and counts the attempt.
    assert credit_order_event(event).outcome == CreditOutcome.PARKED
    parked.refresh_from_db()
    assert parked.attempts == 2


@pytest.mark.django_db
def test_invalid_metadata_parks_the_order_instead_of_crashing(order_event_factory, ledger_partner):
    ledger_partner("ANNA", email="anna@example.com")
    event = order_event_factory(number="77", email="anna@example.com", lines=[order_line(sku="S", variant_pv="12,5")])

    assert credit_order_event(event).outcome == CreditOutcome.PARKED

    parked = ParkedOrderEvent.objects.get()
    assert parked.reason == ParkReason.INVALID_METADATA
    assert parked.message.startswith("order #77: variant ") and "mlm.pv='12,5' is not a decimal" in parked.message
    assert not LedgerEntry.objects.exists()
