"""The order sync over the pages a real Saleor 3.24 answered after refunds granted by line
(saleor_pages/captured_refunds_*.json), and with the same Saleor's deliveries of those refunds
(tests/ledger/line_refund_samples): the sync takes back per line what the webhooks take back,
whichever comes first, and nothing twice."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import Sum

from saleor_mlm.ledger import EntryKind
from saleor_mlm.ledger.models import LedgerEntry
from saleor_mlm.reconciliation import DifferenceKind, SyncStatus
from saleor_mlm.reconciliation.actions import run_sync, start_sync
from tests.reconciliation.conftest import captured_refund_pages

SINCE = datetime.datetime(2026, 12, 7, tzinfo=datetime.UTC)
DELIVERIES = Path(__file__).resolve().parent.parent / "ledger" / "line_refund_samples"
# What the deliveries leave of #4 (tests/ledger/test_line_refunds.py, by hand): of the kits
# half by line plus 14.90 / 124.69, the cream by line.
KIT = "T3JkZXJMaW5lOmRmN2ZhOTc0LWQ4MGEtNGM3MC04Mjc4LWEzZjFjYjNmNTIxZQ=="
CREAM = "T3JkZXJMaW5lOjJkYzdlMjUxLWMwNWQtNGIxOC1iYjllLWE2OGIzZGNmMTg5Mg=="
AFTER_REFUNDS_4 = {KIT: (Decimal("15.22"), Decimal("11.80")), CREAM: (Decimal("0.00"), Decimal("0.00"))}
ORDER_4 = ("order_fully_paid", "order_refunded_line", "order_refunded_line_shipping", "order_refunded_unnamed")
ORDER_5 = (
    "proportional_order_fully_paid",
    "proportional_order_refunded",
    "proportional_order_refunded_2",
    "proportional_order_fully_refunded",
)


@pytest.fixture
def refunds_saleor(recorded_saleor):
    recorded_saleor.pages = captured_refund_pages()
    return recorded_saleor


@pytest.fixture
def shop(installation_factory, fake_saleor):
    """The captured Saleor's installation (its app id, its JWKS), at the fake Saleor's address."""
    jwks = json.loads((DELIVERIES / "jwks.json").read_text())
    return installation_factory(saleor_api_url=fake_saleor.api_url, app_id="QXBwOjE=", jwks=jwks, auth_token="app-token")


@pytest.fixture
def deliver(post_webhook, fake_saleor):
    def post(name: str):
        headers = json.loads((DELIVERIES / f"{name}.headers.json").read_text())
        body = (DELIVERIES / f"{name}.body.json").read_bytes()
        response = post_webhook(headers["Saleor-Event"], body, {**headers, "Saleor-Api-Url": fake_saleor.api_url})
        assert response.status_code < 300, response.content

    return post


def sync(installation):
    return run_sync(start_sync(installation, since=SINCE), sleep=lambda seconds: None)


def line_totals(number: str) -> dict[str, tuple[Decimal, Decimal]]:
    rows = LedgerEntry.objects.filter(order__number=number).values("order_line_id").annotate(pv=Sum("pv"), bv=Sum("bv"))
    return {row["order_line_id"]: (row["pv"], row["bv"]) for row in rows}


def order_total(number: str) -> tuple[Decimal | None, Decimal | None]:
    found = LedgerEntry.objects.filter(order__number=number).aggregate(pv=Sum("pv"), bv=Sum("bv"))
    return found["pv"], found["bv"]


@pytest.mark.django_db
def test_the_sync_takes_back_the_lines_the_granted_refunds_name(refunds_saleor, shop):
    run = sync(shop)

    assert (run.status, run.total_orders) == (SyncStatus.DONE, 5)
    assert line_totals("4") == AFTER_REFUNDS_4
    assert order_total("5") == (Decimal("0.00"), Decimal("0.00"))
    assert order_total("6") == (Decimal("0.00"), Decimal("0.00"))
    assert LedgerEntry.objects.filter(order__number="6", kind=EntryKind.CANCELLATION).exists()
    assert run.counts == {
        "orders": 5,
        "payments": 3,  # 4, 5, 6
        "take_backs": 4,  # the refunds of 4, of 5 (refunded, fully refunded), the cancellation of 6
        "parked": 0,
        "already_recorded": 0,
        "not_paid": 1,  # 8
        "differences": 1,  # 7, in USD
    }
    [difference] = run.differences
    assert (difference["number"], difference["kind"]) == ("7", DifferenceKind.UNKNOWN_CURRENCY)


@pytest.mark.django_db
def test_webhooks_first_then_the_sync_finds_everything_recorded(refunds_saleor, shop, deliver, settings):
    settings.SALEOR_WRITE_BACK = False
    for name in ORDER_4 + ORDER_5:
        deliver(name)
    entries = LedgerEntry.objects.count()

    run = sync(shop)

    assert line_totals("4") == AFTER_REFUNDS_4
    assert order_total("5") == (Decimal("0.00"), Decimal("0.00"))
    # #4's and #5's payments and refunds were delivered: recorded once, by the webhooks.
    assert run.counts["already_recorded"] == 5
    assert LedgerEntry.objects.exclude(order__number__in=["4", "5"]).count() == LedgerEntry.objects.count() - entries


@pytest.mark.django_db
def test_the_sync_first_then_late_webhooks_take_nothing_more(refunds_saleor, shop, deliver, settings):
    settings.SALEOR_WRITE_BACK = False
    sync(shop)

    for name in ORDER_4 + ORDER_5:
        deliver(name)

    assert line_totals("4") == AFTER_REFUNDS_4
    assert order_total("5") == (Decimal("0.00"), Decimal("0.00"))
