"""The default program changes no figure (issue 19): the demo data's months are closed
(approved, committed, one month previewed), every statement is taken; the database goes
back to before the programs existed (no program table, no plan version's program) and
forward again through the migrations; then every statement is taken again, every closed
month's inputs are fetched and computed anew, and the open month is previewed anew. All
equal what they were."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from saleor_mlm.calendar import PeriodStatus
from saleor_mlm.calendar.models import Period
from saleor_mlm.demo import load_demo_data
from saleor_mlm.network.models import Partner
from saleor_mlm.periods import RunKind
from saleor_mlm.periods.actions import preview_period, standing_run
from saleor_mlm.periods.compute import compute_figures
from saleor_mlm.periods.fetch import fetch_inputs
from saleor_mlm.periods.models import PartnerPeriodResult
from saleor_mlm.periods.runs import execute_run, load_inputs
from saleor_mlm.plans.documents import plan_from_document
from saleor_mlm.plans.models import PlanVersion
from saleor_mlm.programs import DEFAULT_CODE, ProductScope
from saleor_mlm.programs.models import Program
from saleor_mlm.statements.partner import partner_statement

pytestmark = [pytest.mark.slow]

BEFORE_PROGRAMS = [("plans", "0001_initial"), ("programs", None)]
RESULT_FIELDS = [field.name for field in PartnerPeriodResult._meta.fields if field.name not in {"id", "run"}]


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


def statements(installation) -> dict[tuple[str, int], object]:
    """Every partner's statement of every period with a standing run, the run's id left out
    (a new preview is a new run)."""
    found = {}
    for period in Period.objects.filter(installation=installation).order_by("starts_on"):
        run = standing_run(period)
        if run is None:
            continue
        for partner in Partner.objects.filter(pk__in=PartnerPeriodResult.objects.filter(run=run).values("partner_id")).order_by("pk"):
            statement = partner_statement(installation, partner, period, run)
            found[(period.label, partner.pk)] = dataclasses.replace(statement, run_id=0)
    return found


@pytest.fixture
def demo_before_programs(installation_factory):
    """The demo data, closed and previewed; migrated to the latest state afterwards,
    whatever the test did (the next tests need it)."""
    shop = installation_factory(is_demo=True)
    load_demo_data(shop, None, partners=100, customers=200)
    yield shop
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_default_program_changes_no_statement(demo_before_programs):
    shop = demo_before_programs
    before = statements(shop)
    closed = list(Period.objects.filter(installation=shop, close_run__isnull=False).order_by("starts_on"))
    open_period = Period.objects.get(installation=shop, status=PeriodStatus.OPEN)
    assert [period.status for period in closed] == [PeriodStatus.COMMITTED, PeriodStatus.APPROVED]
    assert standing_run(open_period).kind == RunKind.PREVIEW
    assert len(before) > 3 * 90
    assert sum(statement.total for statement in before.values()) > 0

    migrate(BEFORE_PROGRAMS)
    with connection.cursor() as cursor:
        assert "programs_program" not in connection.introspection.table_names(cursor)
        assert "program_id" not in {column.name for column in connection.introspection.get_table_description(cursor, "periods_planversion")}
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    program = Program.objects.get(installation=shop)
    assert (program.is_default, program.code, program.products) == (True, DEFAULT_CODE, ProductScope.ALL)
    assert set(PlanVersion.objects.filter(installation=shop).values_list("program_id", flat=True)) == {program.pk}
    assert statements(shop) == before
    for period in closed:
        run = period.close_run
        stored = load_inputs(run)
        fetched = fetch_inputs(period, plan_from_document(run.plan_document), run.network_at)
        assert all(np.array_equal(array, stored.arrays()[name]) for name, array in fetched.arrays().items())
        figures = compute_figures(plan_from_document(run.plan_document), fetched)
        rows = list(PartnerPeriodResult.objects.filter(run=run).order_by("partner_id").values_list("total", flat=True))
        assert [figures.total[ordinal] for ordinal in range(fetched.n_partners)] == [
            int(total.scaleb(run.minor_digits)) for total in rows
        ]
    execute_run(preview_period(shop, open_period, "preview@example.com", enqueue=False).pk)
    assert statements(shop) == before
