"""Two partner programs with overlapping members and different sponsors (issue 19): an
order of a product in both programs credits both networks, a product of one program only
that one; each program's run splits its volume by that program's sponsors, Betreuer and
customers, and explains it in a statement (the shop: conftest.py)."""

import datetime
from decimal import Decimal

import pytest

from saleor_mlm.periods import RunKind
from saleor_mlm.periods.actions import preview_period, standing_run
from saleor_mlm.periods.models import PartnerPeriodResult
from saleor_mlm.periods.runs import execute_run, load_inputs
from saleor_mlm.statements.partner import partner_statement

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 10, 20, 10, 0, tzinfo=datetime.UTC)


def preview(installation, month, program=None):
    return execute_run(preview_period(installation, month("2026-10"), "closer@example.com", now=NOW, enqueue=False, program=program).pk)


def results(run) -> dict:
    rows = PartnerPeriodResult.objects.filter(run=run).select_related(None)
    return {row.partner_id: (row.pv, row.gv, row.customer_bonus, row.level_bonus, row.total) for row in rows}


def test_each_program_runs_on_its_own_network_and_volume(installation, month, shop):
    anna, bert, clara = shop["anna"], shop["bert"], shop["clara"]

    default = preview(installation, month)
    wellness = preview(installation, month, shop["wellness"])

    assert (default.program_id, wellness.program_id) == (None, shop["wellness"].pk)
    # Wellness: Clara above Anna; Anna's tea (100) and Clara's (80) and Emil's (20, Clara's
    # customer there too: a customer's volume is its sponsor's PV); Dora's tea counts for
    # nobody (Bert is no member).
    assert results(wellness) == {
        clara.pk: (Decimal("100.00"), Decimal("200.00"), Decimal("1.0000"), Decimal("10.0000"), Decimal("11.0000")),
        anna.pk: (Decimal("100.00"), Decimal("100.00"), Decimal("0.0000"), Decimal("0.0000"), Decimal("0.0000")),
    }
    inputs = load_inputs(wellness)
    assert inputs.partner_pk.tolist() == sorted([anna.pk, clara.pk])
    assert sorted(inputs.customer_pk.tolist()) == sorted([shop["dora"].pk, shop["emil"].pk])
    sponsors = dict(zip(inputs.customer_pk.tolist(), inputs.customer_sponsor.tolist(), strict=True))
    assert sponsors == {shop["dora"].pk: -1, shop["emil"].pk: int(inputs.ordinal_of(clara.pk))}
    # The default program: every line, the partner table's genealogy, as before programs.
    figures = results(default)
    assert {pk: row[0] for pk, row in figures.items()} == {
        anna.pk: Decimal("100.00"),
        bert.pk: Decimal("100.00"),
        clara.pk: Decimal("150.00"),
    }
    assert figures[bert.pk][2] == Decimal("2.0000")  # 5 % of Dora's 40
    assert figures[clara.pk][2] == Decimal("1.0000")  # 5 % of Emil's 20
    assert figures[bert.pk][3] == Decimal("15.0000")  # 10 % of Clara's 150 (her cream, her tea, Emil's tea)


def test_a_programs_run_does_not_replace_the_default_programs(installation, month, shop):
    default = preview(installation, month)
    wellness = preview(installation, month, shop["wellness"])

    assert standing_run(month("2026-10")) == default
    assert default.kind == wellness.kind == RunKind.PREVIEW
    default.refresh_from_db()
    assert default.status == "succeeded"


def test_a_statement_explains_a_programs_figures(installation, month, shop):
    clara = shop["clara"]
    run = preview(installation, month, shop["wellness"])

    statement = partner_statement(installation, clara, month("2026-10"), run)

    assert statement.total == Decimal("11.00")
    assert {group.kind: group.amount for group in statement.groups if group.amount} == {
        "customer": Decimal("1.00"),
        "level": Decimal("10.00"),
    }
