"""`orders sync` against a recorded Saleor (a real local HTTP port answering the pages in
saleor_pages/): what the webhooks missed is credited, what they delivered is not credited
again, whichever comes first, and a run stopped midway resumes where it stopped."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Sum

from saleor_mlm.installations.saleor_client import SaleorUnavailable
from saleor_mlm.ledger import EntryKind
from saleor_mlm.ledger.crediting import credit_new_order_events
from saleor_mlm.ledger.models import LedgerEntry, OrderAttribution
from saleor_mlm.orders import OrderEventKind
from saleor_mlm.orders import actions as orders
from saleor_mlm.orders.models import OrderEvent, OrderRecord
from saleor_mlm.reconciliation import DifferenceKind, SyncStatus
from saleor_mlm.reconciliation.actions import Counts, run_sync, start_sync
from saleor_mlm.reconciliation.models import SyncRun
from saleor_mlm.saleor.payloads import parse_body
from saleor_mlm.webhooks import DeliveryStatus
from saleor_mlm.webhooks.models import WebhookDelivery
from tests.fixtures.webhooks import load_sample

SINCE = datetime.datetime(2026, 11, 24, tzinfo=datetime.UTC)


def totals(number: str) -> tuple[Decimal | None, Decimal | None]:
    found = LedgerEntry.objects.filter(order__number=number).aggregate(pv=Sum("pv"), bv=Sum("bv"))
    return found["pv"], found["bv"]


def sync(installation, **kwargs) -> SyncRun:
    return run_sync(start_sync(installation, since=SINCE, **kwargs), sleep=lambda seconds: None)


def counts(run: SyncRun) -> dict:
    return run.counts


# What the captured deliveries credit (tests/ledger/test_webhook_to_ledger.py): #25 2 x 10 PV,
# 44.98 BV, 5.00 of 49.88 refunded; #26 12.50 PV, 15.00 BV; #27 paid and cancelled.
AFTER_REFUND_25 = (Decimal("18.00"), Decimal("40.47"))
PAID_26 = (Decimal("12.50"), Decimal("15.00"))


@pytest.mark.django_db
def test_the_sync_credits_what_the_webhooks_missed(recorded_saleor, sync_installation):
    run = sync(sync_installation)

    assert (run.status, run.total_orders, run.cursor) == (SyncStatus.DONE, 5, "WyIyOSJd")
    assert totals("25") == AFTER_REFUND_25
    assert totals("26") == PAID_26
    assert totals("27") == (Decimal("0.00"), Decimal("0.00"))
    assert LedgerEntry.objects.filter(order__number="27", kind=EntryKind.CANCELLATION).count() == 1
    assert run.counts == {
        "orders": 5,
        "payments": 3,  # 25, 26, 27
        "take_backs": 2,  # the refund of 25, the cancellation of 27
        "parked": 0,
        "already_recorded": 0,
        "not_paid": 1,  # 29
        "differences": 1,  # 28
    }
    [difference] = run.differences
    assert (difference["number"], difference["kind"]) == ("28", DifferenceKind.UNKNOWN_CURRENCY)
    assert "USD" in difference["detail"] and "rates import" in difference["detail"]
    # Nothing of the orders left for a person, or not paid, was recorded.
    assert not OrderRecord.objects.filter(number__in=["28", "29"]).exists()
    # Booked in the month the payments and the refund happened, dated as their webhooks.
    refund = OrderEvent.objects.get(order__number="25", kind=OrderEventKind.REFUNDED)
    assert (refund.dedupe_key, refund.issued_at.isoformat()) == ("refunded:5.00", "2026-11-24T14:01:57.209041+00:00")
    assert set(LedgerEntry.objects.values_list("period__starts_on", flat=True)) == {datetime.date(2026, 11, 1)}
    # The app token, pages of the configured size, the window as an updatedAt filter.
    first, second = recorded_saleor.variables()
    assert first == {"first": 50, "after": None, "updatedAt": {"gte": "2026-11-24T00:00:00+00:00"}}
    assert second["after"] == "WyIyNiJd"
    assert recorded_saleor.fake.requests_to("/graphql/")[0].headers["Authorization"] == "Bearer app-token"


@pytest.mark.django_db
def test_a_second_sync_changes_nothing(recorded_saleor, sync_installation):
    sync(sync_installation)
    entries = list(LedgerEntry.objects.order_by("pk").values_list("pk", "pv", "bv"))

    again = sync(sync_installation, restart=True)

    assert list(LedgerEntry.objects.order_by("pk").values_list("pk", "pv", "bv")) == entries
    assert (again.counts["payments"], again.counts["take_backs"], again.counts["already_recorded"]) == (0, 0, 5)


@pytest.mark.django_db
def test_what_webhooks_delivered_is_not_credited_again(recorded_saleor, sync_installation, deliver):
    deliver("order_fully_paid")  # 25 paid; its refund never arrived
    deliver("order_fully_paid_2")  # 26 paid

    run = sync(sync_installation)

    assert totals("25") == AFTER_REFUND_25
    assert totals("26") == PAID_26
    assert (run.counts["payments"], run.counts["take_backs"], run.counts["already_recorded"]) == (1, 2, 2)
    assert OrderAttribution.objects.filter(order__number__in=["25", "26"]).count() == 2
    assert LedgerEntry.objects.filter(order__number="26").count() == 1

    # The refund's own delivery arrives after the sync recorded it: a duplicate.
    deliver("order_refunded")
    assert WebhookDelivery.objects.get(event="order_refunded").status == DeliveryStatus.SKIPPED
    assert totals("25") == AFTER_REFUND_25


@pytest.mark.django_db
def test_a_dry_run_reports_and_writes_nothing(recorded_saleor, sync_installation):
    run = sync(sync_installation, dry_run=True)

    assert (run.dry_run, run.status) == (True, SyncStatus.DONE)
    assert (run.counts["payments"], run.counts["take_backs"], run.counts["differences"]) == (3, 2, 1)
    assert not OrderRecord.objects.exists()
    assert not LedgerEntry.objects.exists()


@pytest.mark.django_db
def test_an_amount_that_differs_from_the_credited_one_is_reported_and_left_alone(recorded_saleor, sync_installation, deliver):
    deliver("order_fully_paid_2")  # 26 credited at 24.89
    node = recorded_saleor.node("26")
    node["total"]["gross"]["amount"] = node["totalCharged"]["amount"] = 30.0  # edited in Saleor since

    run = sync(sync_installation)

    [difference] = [item for item in run.differences if item["number"] == "26"]
    assert difference["kind"] == DifferenceKind.AMOUNT_MISMATCH
    assert difference["detail"] == "gross total 30.00 EUR in Saleor, 24.89 EUR when the ledger credited it"
    assert OrderRecord.objects.get(number="26").total_gross == Decimal("24.89")
    assert totals("26") == PAID_26


@pytest.mark.django_db
def test_a_run_stopped_by_saleor_resumes_after_its_last_page(recorded_saleor, sync_installation):
    recorded_saleor.fail_after["WyIyNiJd"] = (503, {"error": "upstream down"})
    run = start_sync(sync_installation, since=SINCE)

    with pytest.raises(SaleorUnavailable):
        run_sync(run, sleep=lambda seconds: None)

    run.refresh_from_db()
    assert (run.status, run.cursor, run.counts["orders"]) == (SyncStatus.FAILED, "WyIyNiJd", 2)
    assert "503" in run.error
    assert totals("25") == AFTER_REFUND_25  # the first page is committed

    resumed = start_sync(sync_installation, since=SINCE)
    assert resumed.pk == run.pk
    run_sync(resumed, sleep=lambda seconds: None)

    assert (resumed.status, resumed.counts["orders"], resumed.counts["payments"]) == (SyncStatus.DONE, 5, 3)
    assert [variables["after"] for variables in recorded_saleor.variables()] == [None, "WyIyNiJd", "WyIyNiJd"]
    assert LedgerEntry.objects.filter(order__number="25", kind=EntryKind.ORDER).count() == 1


@pytest.mark.django_db
def test_the_rate_is_limited_and_a_429_is_waited_out(recorded_saleor, sync_installation, settings):
    settings.SALEOR_SYNC_PAGE_INTERVAL = 2.0
    recorded_saleor.fail_after["WyIyNiJd"] = (429, {"error": "slow down"})
    waits = []

    run = run_sync(start_sync(sync_installation, since=SINCE), sleep=waits.append)

    assert run.status == SyncStatus.DONE
    # Before page 2 the interval (less what passed since page 1), then the 429's wait.
    assert len(waits) == 2 and 0 <= waits[0] <= 2.0 and waits[1] == 2.0
    assert [variables["after"] for variables in recorded_saleor.variables()] == [None, "WyIyNiJd", "WyIyNiJd"]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_webhook_recording_the_same_payment_meanwhile_wins_and_the_sync_counts_it_once(recorded_saleor, sync_installation):
    """The webhook of #26's payment holds the order's row (recorded and credited, not yet
    committed) while the sync reads page 1 and tries to record the same payment: the sync
    waits for the row, then finds the payment recorded. Credited once."""
    payload = parse_body("order_fully_paid", load_sample("order_fully_paid_2")[1], received_at=None)
    webhook_holds_row, release_webhook = threading.Event(), threading.Event()
    outcome: dict = {}

    def webhook():
        try:
            with transaction.atomic():
                outcome["webhook"] = orders.record_order_events(
                    sync_installation, [(payload, OrderEventKind.PAID, None)], on_new=credit_new_order_events
                )
                webhook_holds_row.set()
                release_webhook.wait(30)
        finally:
            connection.close()

    def synchronise():
        try:
            outcome["run"] = sync(sync_installation)
        finally:
            connection.close()

    webhook_thread = threading.Thread(target=webhook)
    webhook_thread.start()
    assert webhook_holds_row.wait(30)
    sync_thread = threading.Thread(target=synchronise)
    sync_thread.start()
    _wait_for_a_lock_wait(sync_thread)
    release_webhook.set()
    webhook_thread.join(30)
    sync_thread.join(60)

    [(_event, created)] = outcome["webhook"]
    assert created
    run = outcome["run"]
    assert run.counts["already_recorded"] == 1 and run.counts["payments"] == 2  # 25 and 27
    assert totals("26") == PAID_26
    assert LedgerEntry.objects.filter(order__number="26").count() == 1
    assert OrderEvent.objects.filter(order__number="26").count() == 1


def _wait_for_a_lock_wait(thread: threading.Thread) -> None:
    """Until a session of this database waits for a lock (the sync, on #26's row)."""
    import time

    for _ in range(600):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
        if not thread.is_alive():
            return
        time.sleep(0.05)
    raise AssertionError("the sync never waited for the order's row")


@pytest.mark.django_db
def test_the_command_prints_the_report(recorded_saleor, sync_installation, capsys):
    call_command("orders", "sync", "--since", "2026-11-24", "--no-progress")

    out = capsys.readouterr().out
    assert "Payments credited: 3" in out
    assert "Refunds and cancellations taken back: 2" in out
    assert "Differences left for you: 1" in out
    assert "#28  unknown_currency  USD: no exchange rate to EUR imported" in out
    assert Counts.of(SyncRun.objects.get()).payments == 3


@pytest.mark.django_db
def test_backfill_is_a_sync_of_the_last_months(recorded_saleor, sync_installation, capsys):
    call_command("orders", "backfill", "--months", "3", "--dry-run", "--no-progress")

    run = SyncRun.objects.get()
    assert run.dry_run and run.until is None
    today = datetime.date.today()
    assert (today - run.since.date()).days in range(88, 93)
    assert "Dry run" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_refund_the_sync_finds_takes_back_the_lines_it_names(recorded_saleor, sync_installation):
    """#25's 5.00 refund granted for one of its two shirts (a granted refund with lines)."""
    node = recorded_saleor.node("25")
    line_id = node["lines"][0]["id"]
    node["grantedRefunds"] = [
        {
            "id": "T3JkZXJHcmFudGVkUmVmdW5kOjc=",
            "createdAt": "2026-11-24T14:01:57.050013+00:00",
            "status": "SUCCESS",
            "amount": {"amount": 5.0, "currency": "EUR"},
            "lines": [{"quantity": 1, "orderLine": {"id": line_id}}],
        }
    ]

    sync(sync_installation)

    # Half the line (1 of 2 shirts), not 5.00 / 49.88 of it.
    assert totals("25") == (Decimal("10.00"), Decimal("22.49"))
    assert OrderEvent.objects.get(order__number="25", kind=OrderEventKind.REFUNDED).refunded_lines == {line_id: 1}
