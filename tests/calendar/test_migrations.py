"""Period and PeriodEvent left the periods app for the calendar (issue 14) with their data: a
database migrated before the move, with a period, its audit log, a run, a ledger entry's
period and a balance, migrates forward without a statement touching a table, and the rows
are read back through the new models and every reference to the period."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from saleor_mlm.calendar.models import Period, PeriodEvent
from saleor_mlm.periods.models import PeriodRun

BEFORE = [("periods", "0004_plans_and_payouts_moved_out"), ("calendar", None)]
MOVE = [
    ("calendar", "0001_initial"),
    ("ledger", "0003_period_moved_to_calendar"),
    ("payouts", "0002_period_moved_to_calendar"),
    ("credit_notes", "0002_period_moved_to_calendar"),
    ("periods", "0005_period_moved_to_calendar"),
]


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


@pytest.fixture
def before_the_move():
    """The database as it was before the move; migrated to the latest state afterwards,
    whatever the test did (the next tests need it)."""
    executor = migrate(BEFORE)
    yield executor.loader.project_state(BEFORE[0]).apps
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_periods_and_their_log_keep_their_rows(before_the_move, installation):
    old = before_the_move
    period = old.get_model("periods", "Period").objects.create(
        installation_id=installation.pk, starts_on=datetime.date(2026, 10, 1), ends_on=datetime.date(2026, 10, 31), status="closed"
    )
    run = old.get_model("periods", "PeriodRun").objects.create(installation_id=installation.pk, period=period, kind="close")
    event = old.get_model("periods", "PeriodEvent").objects.create(
        installation_id=installation.pk, period=period, kind="closed", actor="chef@example.com", data={"run": run.pk}
    )
    with pytest.raises(LookupError):
        old.get_model("calendar", "Period")
    executor = MigrationExecutor(connection)
    # Each from the state its own dependencies leave (collect_sql starts at its first one).
    sql = [line for key in MOVE for line in executor.loader.collect_sql([(executor.loader.graph.nodes[key], False)])]
    statements = [line for line in sql if not line.startswith("--")]  # comments name the operations
    tables_before = set(connection.introspection.table_names())

    migrate(executor.loader.graph.leaf_nodes())

    assert statements == []
    # Models added after the move create their own tables on the way up (payouts 0003, payout runs).
    later = {name for name in connection.introspection.table_names() if name.startswith(("payout_runs_", "payouts_"))}
    assert set(connection.introspection.table_names()) - later == tables_before
    assert Period.objects.values_list("pk", "starts_on", "status").get() == (period.pk, datetime.date(2026, 10, 1), "closed")
    assert PeriodRun.objects.get(pk=run.pk).period == Period.objects.get(pk=period.pk)
    assert PeriodEvent.objects.values_list("pk", "period_id", "kind", "data").get() == (event.pk, period.pk, "closed", {"run": run.pk})
