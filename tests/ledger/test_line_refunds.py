"""Refunds that name their lines (Saleor's granted refunds with lines) take back those lines'
volume; what no refund names is taken back proportionally, as before.

The deliveries are the bodies in `line_refund_samples/` (see its README for where each part
of their shape comes from), signed by the fake Saleor and posted through the webhook view:
the whole paid-order path."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import Sum

from saleor_mlm.ledger import EntryKind
from saleor_mlm.ledger.models import LedgerEntry
from saleor_mlm.ledger.volume import LineVolume, refunded_line_shares
from saleor_mlm.orders.actions import refunded_lines
from saleor_mlm.orders.models import OrderEvent
from saleor_mlm.saleor.payloads import parse_body
from tests.fixtures.webhooks import SAMPLE_APP_ID

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parent / "line_refund_samples"
M_LINE = "T3JkZXJMaW5lOmE1ZDM0ZjBmLTZmYmYtNGE4Ny1hMjI0LTNkZjE1ZmJjNzY1Mw=="  # 2 x T-shirt M: 20.00 PV, 44.98 BV
S_LINE = "T3JkZXJMaW5lOjBiOGQwYjUyLTk5ZjMtNDY4ZS04N2Y3LTFmZjY0OTU5N2UxOA=="  # 1 x T-shirt S: 12.50 PV, 15.00 BV


def sample(name: str) -> bytes:
    return (SAMPLES / f"{name}.body.json").read_bytes()


@pytest.fixture
def shop(installation_factory, fake_saleor):
    return installation_factory(saleor_api_url=fake_saleor.api_url, app_id=SAMPLE_APP_ID, jwks=fake_saleor.jwks())


@pytest.fixture
def deliver(post_webhook, fake_saleor, shop, settings):
    settings.SALEOR_WRITE_BACK = False

    def post(event: str, name_or_body: str | bytes):
        body = sample(name_or_body) if isinstance(name_or_body, str) else name_or_body
        response = post_webhook(event, body, fake_saleor.webhook_headers(event, body))
        assert response.status_code < 300, response.content

    return post


def line_totals() -> dict[str, tuple[Decimal, Decimal]]:
    rows = LedgerEntry.objects.filter(order__number="30").values("order_line_id").annotate(pv=Sum("pv"), bv=Sum("bv"))
    return {row["order_line_id"]: (row["pv"], row["bv"]) for row in rows}


def test_a_refund_of_named_lines_takes_back_those_lines(deliver, shop):
    deliver("order_fully_paid", "order_fully_paid")
    assert line_totals() == {M_LINE: (Decimal("20.00"), Decimal("44.98")), S_LINE: (Decimal("12.50"), Decimal("15.00"))}

    # The S line refunded (19.99 of 69.87): the S line's volume, none of the M line's. The
    # proportional rule would have taken 28.6 % of both lines.
    deliver("order_refunded", "order_refunded_line")
    assert line_totals() == {M_LINE: (Decimal("20.00"), Decimal("44.98")), S_LINE: (Decimal("0.00"), Decimal("0.00"))}

    # One of the two M shirts, its granted refund still PENDING while its 22.49 are refunded.
    deliver("order_refunded", "order_refunded_line_2")
    assert line_totals() == {M_LINE: (Decimal("10.00"), Decimal("22.49")), S_LINE: (Decimal("0.00"), Decimal("0.00"))}

    # The shipping (4.90, no lines): 4.90 / 69.87 of each line on top, at most the whole line.
    deliver("order_refunded", "order_refunded_shipping")
    share = Decimal("4.90") / Decimal("69.87")
    expected_pv = (Decimal("20.00") * (Decimal("0.5") + share)).quantize(Decimal("0.01"))
    expected_bv = (Decimal("44.98") * (Decimal("0.5") + share)).quantize(Decimal("0.01"))
    assert line_totals() == {
        M_LINE: (Decimal("20.00") - expected_pv, Decimal("44.98") - expected_bv),
        S_LINE: (Decimal("0.00"), Decimal("0.00")),
    }
    assert (expected_pv, expected_bv) == (Decimal("11.40"), Decimal("25.64"))
    # One entry per refund and line it took something from (the S line had nothing left).
    assert LedgerEntry.objects.filter(order__number="30", kind=EntryKind.REFUND).count() == 3

    # What each refund event recorded: the lines named so far and what those refunds amount to.
    recorded = OrderEvent.objects.filter(order__number="30", kind="refunded").order_by("total_refunded")
    assert [(event.refunded_lines, event.refunded_lines_amount) for event in recorded] == [
        ({S_LINE: 1}, Decimal("19.99")),
        ({S_LINE: 1, M_LINE: 1}, Decimal("42.48")),
        ({S_LINE: 1, M_LINE: 1}, Decimal("42.48")),
    ]


def test_the_full_refund_takes_back_what_remains(deliver, shop):
    deliver("order_fully_paid", "order_fully_paid")
    deliver("order_refunded", "order_refunded_line")
    body = json.loads(sample("order_refunded_shipping"))
    body["__typename"] = "OrderFullyRefunded"
    body["order"]["totalRefunded"]["amount"], body["order"]["totalCharged"]["amount"] = 69.87, 0.0

    deliver("order_fully_refunded", json.dumps(body).encode())

    assert line_totals() == {M_LINE: (Decimal("0.00"), Decimal("0.00")), S_LINE: (Decimal("0.00"), Decimal("0.00"))}


def test_which_granted_refunds_count():
    body = json.loads(sample("order_refunded_line_2"))
    order = body["order"]

    def named(**changes):
        for index, status in changes.get("statuses", {}).items():
            order["grantedRefunds"][index]["status"] = status
        if "refunded" in changes:
            order["totalRefunded"]["amount"] = changes["refunded"]
        return refunded_lines(parse_body("order_refunded", json.dumps(body).encode(), received_at=None).order)

    # SUCCESS, and a PENDING one that totalRefunded covers after it.
    assert named() == ({S_LINE: 1, M_LINE: 1}, Decimal("42.48"))
    # Not yet refunded: totalRefunded does not cover the PENDING one.
    assert named(refunded=19.99) == ({S_LINE: 1}, Decimal("19.99"))
    # A failed refund never counts, whatever was refunded.
    assert named(refunded=42.48, statuses={1: "FAILURE"}) == ({S_LINE: 1}, Decimal("19.99"))
    # Deliveries of a subscription registered before the app asked for granted refunds.
    del order["grantedRefunds"]
    assert named() == ({}, Decimal(0))


def test_without_named_lines_the_share_is_proportional_as_before():
    lines = [
        LineVolume(M_LINE, "E2E-TSHIRT-M", 2, Decimal("20.00"), Decimal("44.98"), "product", "price"),
        LineVolume(S_LINE, "E2E-TSHIRT-S", 1, Decimal("12.50"), Decimal("15.00"), "variant", "variant"),
    ]

    shares = refunded_line_shares(lines, total_refunded=Decimal("5.00"), gross=Decimal("49.88"), named={}, named_amount=Decimal(0))

    assert shares == {M_LINE: Decimal("5.00") / Decimal("49.88"), S_LINE: Decimal("5.00") / Decimal("49.88")}
    # Named beyond the line's quantity, or with more refunded besides: never more than the line.
    shares = refunded_line_shares(
        lines, total_refunded=Decimal("69.87"), gross=Decimal("69.87"), named={S_LINE: 3}, named_amount=Decimal("19.99")
    )
    assert shares[S_LINE] == Decimal(1)
