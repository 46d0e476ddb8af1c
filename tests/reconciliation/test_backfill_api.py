"""The first install's backfill offer: `ordersBackfill` starts a sync of the last months in
the background; `orderSyncRuns` shows how it stands (the dashboard polls it)."""

import datetime

import pytest

from saleor_mlm.reconciliation import SyncStatus, SyncTrigger
from saleor_mlm.reconciliation.actions import start_backfill
from saleor_mlm.reconciliation.models import SyncRun

pytestmark = pytest.mark.django_db

BACKFILL = """
mutation Backfill($months: Int!) {
  ordersBackfill(months: $months) {
    errors { field code message }
    run { id status trigger dryRun since percent counts { orders payments } }
  }
}
"""
RUNS = """
query Runs {
  orderSyncRuns { status trigger percent totalOrders counts { orders payments takeBacks differences }
    differences { number kind detail } }
}
"""


@pytest.mark.parametrize("who", ["anonymous", "storefront", "dashboard_without", "dashboard_with"])
def test_the_backfill_in_four_cases(gql, four_requestors, who, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        result = gql(BACKFILL, {"months": 6}, as_=four_requestors("MANAGE_ORDERS")[who])

    if who != "dashboard_with":
        assert result.data == {"ordersBackfill": None}
        assert result.error_codes == ["PERMISSION_DENIED"]
        assert not SyncRun.objects.exists() and queued == []
        return
    payload = result.data["ordersBackfill"]
    assert payload["errors"] == []
    assert payload["run"]["status"] == "RUNNING" and payload["run"]["trigger"] == "BACKFILL"
    assert payload["run"]["dryRun"] is False and payload["run"]["percent"] == 0
    since = datetime.datetime.fromisoformat(payload["run"]["since"]).date()
    assert (datetime.date.today() - since).days in range(178, 186)
    assert len(queued) == 1  # the worker's task, once the mutation commits


def test_one_backfill_at_a_time_and_a_sensible_number_of_months(gql, dashboard):
    as_ = dashboard("MANAGE_ORDERS")
    assert gql(BACKFILL, {"months": 3}, as_=as_).data["ordersBackfill"]["errors"] == []

    running = gql(BACKFILL, {"months": 3}, as_=as_).data["ordersBackfill"]
    too_far = gql(BACKFILL, {"months": 121}, as_=as_).data["ordersBackfill"]

    assert [(error["field"], error["code"]) for error in running["errors"]] == [(None, "SYNC_RUNNING")]
    assert [(error["field"], error["code"]) for error in too_far["errors"]] == [("months", "INVALID_MONTHS")]
    assert SyncRun.objects.count() == 1


def test_the_backfill_runs_in_the_worker_and_reports(recorded_saleor, sync_installation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = start_backfill(sync_installation, 1, "staff@example.com")

    run.refresh_from_db()
    assert (run.trigger, run.status, run.counts["payments"]) == (SyncTrigger.BACKFILL, SyncStatus.DONE, 3)


def test_the_runs_as_the_dashboard_polls_them(gql, dashboard, gql_installation):
    SyncRun.objects.create(
        installation=gql_installation,
        since=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC),
        status=SyncStatus.DONE,
        total_orders=5,
        counts={"orders": 5, "payments": 3, "take_backs": 2, "differences": 1},
        differences=[{"order": "T3JkZXI6Mjg=", "number": "28", "kind": "unknown_currency", "detail": "USD: no rate"}],
    )

    result = gql(RUNS, as_=dashboard("MANAGE_ORDERS"))

    assert result.data["orderSyncRuns"] == [
        {
            "status": "DONE",
            "trigger": "CLI",
            "percent": 100,
            "totalOrders": 5,
            "counts": {"orders": 5, "payments": 3, "takeBacks": 2, "differences": 1},
            "differences": [{"number": "28", "kind": "UNKNOWN_CURRENCY", "detail": "USD: no rate"}],
        }
    ]
