"""Plan versions, adjustments, holds, balances and the minimum payout left the periods app
(issue 14) with their data: a database migrated before the move, with rows in every moved
table, migrates forward without a statement touching a table, and the rows are read back
through the new models (plans, payouts) and the runs' references to plan versions."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from saleor_mlm.payouts.models import BalanceAdjustment, PartnerBalance, PayoutHold, PayoutSettings
from saleor_mlm.periods.models import PeriodRun
from saleor_mlm.plans.models import PlanVersion

BEFORE = [("periods", "0003_bulk_rows_without_constraints"), ("plans", None), ("payouts", None)]
MOVE = [("plans", "0001_initial"), ("payouts", "0001_initial"), ("periods", "0004_plans_and_payouts_moved_out")]
MOVED_TABLES = {"periods_planversion", "periods_adjustment", "periods_payouthold", "periods_partnerbalance", "periods_periodsettings"}


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
def test_the_moved_models_keep_their_rows(before_the_move, installation, partner_factory):
    old = before_the_move
    anna = partner_factory(first_name="Anna")
    version = old.get_model("periods", "PlanVersion").objects.create(
        installation_id=installation.pk, name="Karriereplan", document={"currency": "EUR"}, status="active", in_force_from=datetime.date(2026, 1, 1)
    )
    period = old.get_model("periods", "Period").objects.create(
        installation_id=installation.pk, starts_on=datetime.date(2026, 10, 1), ends_on=datetime.date(2026, 10, 31), status="closed"
    )
    run = old.get_model("periods", "PeriodRun").objects.create(installation_id=installation.pk, period=period, kind="close", plan_version=version)
    adjustment = old.get_model("periods", "Adjustment").objects.create(
        installation_id=installation.pk, partner_id=anna.pk, period=period, amount=Decimal("-12.5"), reason="Retoure", approved_by="chef@example.com"
    )
    hold = old.get_model("periods", "PayoutHold").objects.create(
        installation_id=installation.pk, partner_id=anna.pk, reason="Prüfung", starts_on=datetime.date(2026, 10, 1)
    )
    balance = old.get_model("periods", "PartnerBalance").objects.create(
        period=period, partner_id=anna.pk, run=run, earned=Decimal("40"), adjustments=Decimal("-12.5"), carried_in=Decimal("0"),
        payable=Decimal("27.5"), paid=Decimal("0"), carried_forward=Decimal("27.5"), reason="held",
    )  # fmt: skip
    settings = old.get_model("periods", "PeriodSettings").objects.create(installation_id=installation.pk, minimum_payout=Decimal("30"))
    with pytest.raises(LookupError):
        old.get_model("plans", "PlanVersion")
    executor = MigrationExecutor(connection)
    sql = executor.loader.collect_sql([(executor.loader.graph.nodes[key], False) for key in MOVE])
    statements = [line for line in sql if not line.startswith("--")]  # comments name the operations
    tables_before = set(connection.introspection.table_names())

    migrate(executor.loader.graph.leaf_nodes())

    assert statements == []
    # Apps and models that came after the move (and depend on it) create their own tables on
    # the way up: credit notes, payout runs, the payouts' profiles and Stripe accounts.
    later = {name for name in connection.introspection.table_names() if name.startswith(("credit_notes_", "payout_runs_", "payouts_"))}
    assert set(connection.introspection.table_names()) - later == tables_before
    assert MOVED_TABLES <= tables_before
    assert PlanVersion.objects.values_list("pk", "name", "status", "in_force_from").get() == (
        version.pk, "Karriereplan", "active", datetime.date(2026, 1, 1)
    )
    assert PeriodRun.objects.get(pk=run.pk).plan_version == PlanVersion.objects.get(pk=version.pk)
    assert BalanceAdjustment.objects.values_list("pk", "partner_id", "period_id", "amount", "reason").get() == (
        adjustment.pk, anna.pk, period.pk, Decimal("-12.5"), "Retoure"
    )
    assert PayoutHold.objects.values_list("pk", "partner_id", "starts_on", "ends_on").get() == (hold.pk, anna.pk, datetime.date(2026, 10, 1), None)
    assert PartnerBalance.objects.values_list("pk", "run_id", "payable", "carried_forward", "reason").get() == (
        balance.pk, run.pk, Decimal("27.5"), Decimal("27.5"), "held"
    )
    assert PayoutSettings.objects.values_list("pk", "minimum_payout").get() == (settings.pk, Decimal("30"))
