"""Refunds that name their lines (Saleor's granted refunds with lines) take back those lines'
volume; what no refund names (the shipping, refunds naming no line) is taken back
proportionally.

The deliveries are the ones a real Saleor 3.24 sent the app (`line_refund_samples/`, see its
README): the exact bodies with Saleor's own signatures, verified against that Saleor's JWKS and
posted through the webhook view, the whole paid-order path. Each expectation is the hand
calculation written out: the named lines' quantity over the line's, plus the refunded rest over
the order's gross total, of what each line was credited, rounded to the cent."""

import copy
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from django.db.models import Sum

from saleor_mlm.ledger import EntryKind
from saleor_mlm.ledger.models import LedgerEntry
from saleor_mlm.ledger.volume import LineVolume, refunded_line_shares
from saleor_mlm.orders.actions import refunded_lines
from saleor_mlm.orders.models import OrderEvent
from saleor_mlm.saleor.payloads import parse_body
from saleor_mlm.webhooks import DeliveryStatus
from saleor_mlm.webhooks.models import WebhookDelivery
from saleor_mlm.webhooks.verification import verify_detached

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parent / "line_refund_samples"
SAMPLE_NAMES = sorted(path.name.removesuffix(".body.json") for path in SAMPLES.glob("*.body.json"))
CAPTURED_APP_ID = "QXBwOjE="  # the app as that Saleor installed it (every body's recipient)

# Order #4: 2 kits (variant mlm.pv 20, mlm.bv 15.5 each, 49.90), a night cream (12.50 PV,
# 15.00 BV, 19.99), shipping 4.90: 124.69.
KIT = "T3JkZXJMaW5lOmRmN2ZhOTc0LWQ4MGEtNGM3MC04Mjc4LWEzZjFjYjNmNTIxZQ=="
CREAM = "T3JkZXJMaW5lOjJkYzdlMjUxLWMwNWQtNGIxOC1iYjllLWE2OGIzZGNmMTg5Mg=="
GROSS_4 = Decimal("124.69")
# Order #5: a kit, a cream, shipping 4.90: 74.79; refunded naming no line.
KIT_5 = "T3JkZXJMaW5lOjVhNmEzZGZlLWMzM2EtNDlmMy04NTIyLWUxMWU3OWRkNGNlYg=="
CREAM_5 = "T3JkZXJMaW5lOjJiM2ZlNWU2LTRmNTgtNGUwMy1iYjE3LTlhZjIyZjRkZGY3OQ=="
GROSS_5 = Decimal("74.79")


def load(name: str) -> tuple[dict[str, str], bytes]:
    headers = json.loads((SAMPLES / f"{name}.headers.json").read_text())
    return headers, (SAMPLES / f"{name}.body.json").read_bytes()


def left(credited: str, share: Decimal) -> Decimal:
    """What remains of a line credited `credited` once `share` of it was taken back."""
    value = Decimal(credited)
    return Decimal("0.00") if share >= 1 else value - (value * share).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.fixture
def shop(installation_factory, fake_saleor):
    """The captured Saleor's installation (its app id, its JWKS), reached at the fake's address."""
    jwks = json.loads((SAMPLES / "jwks.json").read_text())
    return installation_factory(saleor_api_url=fake_saleor.api_url, app_id=CAPTURED_APP_ID, jwks=jwks)


@pytest.fixture
def deliver(post_webhook, fake_saleor, shop, settings):
    """deliver(sample name): the captured delivery posted as Saleor posted it (the same signed
    bytes and signature; only its API URL header names the fake Saleor's address)."""
    settings.SALEOR_WRITE_BACK = False

    def post(name: str):
        headers, body = load(name)
        headers = {**headers, "Saleor-Api-Url": fake_saleor.api_url}
        response = post_webhook(headers["Saleor-Event"], body, headers)
        assert response.status_code < 300, response.content
        assert WebhookDelivery.objects.latest("id").status == DeliveryStatus.PROCESSED

    return post


def line_totals(number: str) -> dict[str, tuple[Decimal, Decimal]]:
    rows = LedgerEntry.objects.filter(order__number=number).values("order_line_id").annotate(pv=Sum("pv"), bv=Sum("bv"))
    return {row["order_line_id"]: (row["pv"], row["bv"]) for row in rows}


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_captured_delivery_verifies_with_that_saleors_jwks(name):
    headers, body = load(name)

    verify_detached(headers["Saleor-Signature"], body, json.loads((SAMPLES / "jwks.json").read_text()))

    assert parse_body(headers["Saleor-Event"], body, received_at=None).envelope.saleor_version == "3.24.0-a.0"


def test_refunds_granted_by_line_take_back_those_lines(deliver, shop):
    deliver("order_fully_paid")
    assert line_totals("4") == {KIT: (Decimal("40.00"), Decimal("31.00")), CREAM: (Decimal("12.50"), Decimal("15.00"))}

    # The cream granted by line and refunded (19.99, its granted refund still NONE in the
    # delivery): all of the cream, nothing of the kits. Proportionally it would have been
    # 19.99 / 124.69 of every line.
    deliver("order_refunded_line")
    assert line_totals("4") == {KIT: (Decimal("40.00"), Decimal("31.00")), CREAM: (Decimal("0.00"), Decimal("0.00"))}

    # One of the two kits granted by line with the shipping (54.80 = 49.90 + 4.90, refunded
    # PENDING, then confirmed): half the kits' line, and the shipping's 4.90 / 124.69 of it.
    deliver("order_refunded_line_shipping")
    shipping = Decimal("4.90") / GROSS_4
    after_shipping = (left("40.00", Decimal("0.5") + shipping), left("31.00", Decimal("0.5") + shipping))
    assert after_shipping == (Decimal("18.43"), Decimal("14.28"))
    assert line_totals("4") == {KIT: after_shipping, CREAM: (Decimal("0.00"), Decimal("0.00"))}

    # 10.00 naming no line: 14.90 / 124.69 (the shipping and the 10.00) on top of the half.
    deliver("order_refunded_unnamed")
    rest = Decimal("14.90") / GROSS_4
    assert line_totals("4") == {
        KIT: (left("40.00", Decimal("0.5") + rest), left("31.00", Decimal("0.5") + rest)),
        CREAM: (Decimal("0.00"), Decimal("0.00")),
    }
    assert line_totals("4")[KIT] == (Decimal("15.22"), Decimal("11.80"))  # as the live app showed (docs/real-saleor-check.md)
    # One entry per refund and line it took something from (the cream had nothing left).
    assert LedgerEntry.objects.filter(order__number="4", kind=EntryKind.REFUND).count() == 3

    # What each refund event recorded: the lines named so far and what they are worth.
    recorded = OrderEvent.objects.filter(order__number="4", kind="refunded").order_by("total_refunded")
    assert [(event.total_refunded, event.refunded_lines, event.refunded_lines_amount) for event in recorded] == [
        (Decimal("19.99"), {CREAM: 1}, Decimal("19.99")),
        (Decimal("74.79"), {CREAM: 1, KIT: 1}, Decimal("69.89")),
        (Decimal("84.79"), {CREAM: 1, KIT: 1}, Decimal("69.89")),
    ]


def test_refunds_naming_no_line_are_proportional_and_the_full_refund_takes_the_rest(deliver, shop):
    deliver("proportional_order_fully_paid")
    deliver("proportional_order_refunded")
    share = Decimal("20.00") / GROSS_5
    assert line_totals("5") == {
        KIT_5: (left("20.00", share), left("15.50", share)),
        CREAM_5: (left("12.50", share), left("15.00", share)),
    }
    assert sum((pv for pv, _bv in line_totals("5").values()), Decimal(0)) == Decimal("23.81")  # the live app's net PV

    # The rest refunded: ORDER_REFUNDED, then ORDER_FULLY_REFUNDED, which takes nothing more.
    deliver("proportional_order_refunded_2")
    deliver("proportional_order_fully_refunded")
    assert line_totals("5") == {KIT_5: (Decimal("0.00"), Decimal("0.00")), CREAM_5: (Decimal("0.00"), Decimal("0.00"))}
    assert LedgerEntry.objects.filter(order__number="5", kind=EntryKind.REFUND).count() == 4


def test_a_refund_delivered_twice_or_late_takes_nothing_more(deliver, shop, post_webhook, fake_saleor):
    deliver("order_fully_paid")
    deliver("order_refunded_line_shipping")
    after = line_totals("4")

    # The earlier refund (the cream alone) arriving after the later one: its lines are
    # already among those the later one names.
    deliver("order_refunded_line")
    assert line_totals("4") == after
    headers, body = load("order_refunded_line_shipping")
    response = post_webhook(headers["Saleor-Event"], body, {**headers, "Saleor-Api-Url": fake_saleor.api_url})
    assert response.status_code == 200
    assert line_totals("4") == after


def test_which_granted_refunds_count():
    """Saleor sends ORDER_REFUNDED before it sets the granted refund's status: the kit's refund
    arrives PENDING (the cream's SUCCESS) while its 54.80 is in totalRefunded."""
    _headers, body = load("order_refunded_line_shipping")
    captured = json.loads(body)
    assert [refund["status"] for refund in captured["order"]["grantedRefunds"]] == ["SUCCESS", "PENDING"]

    def named(refunded=None, statuses=None, drop=False):
        data = copy.deepcopy(captured)
        order = data["order"]
        for index, status in (statuses or {}).items():
            order["grantedRefunds"][index]["status"] = status
        if refunded is not None:
            order["totalRefunded"]["amount"] = refunded
        if drop:
            del order["grantedRefunds"]
        return refunded_lines(parse_body("order_refunded", json.dumps(data).encode(), received_at=None).order)

    # SUCCESS, and the PENDING one that totalRefunded covers after it; of its 54.80 only the
    # kit's 49.90 is for the line (the rest is the shipping).
    assert named() == ({CREAM: 1, KIT: 1}, Decimal("69.89"))
    # Not yet refunded: totalRefunded does not cover the PENDING one.
    assert named(refunded=19.99) == ({CREAM: 1}, Decimal("19.99"))
    # A failed refund never counts, whatever was refunded.
    assert named(statuses={1: "FAILURE"}) == ({CREAM: 1}, Decimal("19.99"))
    # Deliveries of a subscription registered before the app asked for granted refunds.
    assert named(drop=True) == ({}, Decimal(0))


def test_without_named_lines_the_share_is_proportional_as_before():
    lines = [
        LineVolume(KIT, "MLM-KIT", 2, Decimal("40.00"), Decimal("31.00"), "variant", "variant"),
        LineVolume(CREAM, "MLM-CREAM", 1, Decimal("12.50"), Decimal("15.00"), "variant", "variant"),
    ]

    shares = refunded_line_shares(lines, total_refunded=Decimal("10.00"), gross=GROSS_4, named={}, named_amount=Decimal(0))

    assert shares == {KIT: Decimal("10.00") / GROSS_4, CREAM: Decimal("10.00") / GROSS_4}
    # Named beyond the line's quantity, or with more refunded besides: never more than the line.
    shares = refunded_line_shares(lines, total_refunded=GROSS_4, gross=GROSS_4, named={CREAM: 3}, named_amount=Decimal("19.99"))
    assert shares[CREAM] == Decimal(1)
