"""Statements explain every cent: lines per bonus with source, level and volume, summing
to the stored amounts; recomputed from the run's snapshot; CSV for everybody."""

import csv
import io
import shutil
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pytest

from saleor_mlm.core.errors import DomainError
from saleor_mlm.engine import explain
from saleor_mlm.payouts import BalanceReason
from saleor_mlm.payouts.actions import add_adjustment
from saleor_mlm.periods import snapshot
from saleor_mlm.periods.compute import RankView
from saleor_mlm.periods.models import PartnerPeriodResult, PeriodRunArray
from saleor_mlm.periods.ranks import set_rank_override
from saleor_mlm.periods.runs import load_inputs
from saleor_mlm.periods.snapshot import SnapshotError, cache_dir, load_arrays
from saleor_mlm.statements.exports import SUMMARY_COLUMNS, write_statement_lines_csv, write_statements_csv
from saleor_mlm.statements.partner import partner_statement, statement_lines
from tests.fixtures.periods import EXAMPLE_PLAN

pytestmark = pytest.mark.django_db


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.fixture
def network(plan_version_factory, partner_factory, customer_factory, care_assignment_factory, month, volume):
    """40 partners in a binary tree with customers, Betreuer splits and a refund; the
    example plan (levels, differences, breakaways, generations, advancement)."""
    plan_version_factory(EXAMPLE_PLAN)
    october = month("2026-10")
    partners = [partner_factory(first_name="P0")]
    for i in range(1, 40):
        partners.append(partner_factory(partners[(i - 1) // 2], first_name=f"P{i}"))
    for i, partner in enumerate(partners):
        volume(partner, october, 100 + 97 * i % 900, 80 + 61 * i % 1200)
        customer = customer_factory(partner, first_name=f"K{i}")
        volume(customer, october, 150 + 7 * i, 140 + 3 * i)
        if i % 4 == 1:
            care_assignment_factory(customer, partners[max(i - 3, 0)], "0.35")
        if i > 6 and i % 5 == 0:
            care_assignment_factory(partner, partners[2], "0.4")
    volume(partners[11], october, "-70", "-95.5")
    return october, partners


def test_every_cent_is_explained(installation, network, close_and_run):
    october, partners = network
    run = close_and_run(october)
    assert sum(1 for p in partners if PartnerPeriodResult.objects.get(run=run, partner=p).total) > 20

    for partner in partners:
        statement = partner_statement(installation, partner, october)
        row = PartnerPeriodResult.objects.get(run=run, partner=partner)
        for group in statement.groups:
            assert cents(group.line_total) == group.amount == getattr(row, f"{group.kind}_bonus")
            assert all(line.kind == group.kind for line in group.lines)
        assert sum(group.amount for group in statement.groups) == statement.total == row.total


def test_lines_from_the_downline_equal_the_lines_on_the_whole_network(network, close_and_run):
    october, partners = network
    run = close_and_run(october)
    inputs = load_inputs(run)
    stored = load_arrays(run, ["result_rank", "result_qualified"])
    view = RankView(stored["result_rank"].astype(np.int64), stored["result_qualified"], inputs.previous_career.astype(np.int64))
    from saleor_mlm.statements.partner import run_plan

    full_network, volumes, plan = inputs.network(), inputs.volumes(), run_plan(run)
    for partner in partners:
        expected = explain(plan, full_network, volumes, view, f"p{partner.pk}")
        assert sorted(statement_lines(run, partner.pk), key=repr) == sorted(expected, key=repr)


def test_a_statement_names_sources_levels_and_volumes(installation, active_plan, partner_factory, customer_factory, month, volume, close_and_run):
    root = partner_factory(first_name="Rita", last_name="Root")
    anna = partner_factory(root, first_name="Anna", referral_code="ANNA1")
    kunde = customer_factory(root, first_name="Karl", last_name="Kunde")
    october = month("2026-10")
    volume(root, october, 60)
    volume(anna, october, "123.45")
    volume(kunde, october, "80.10")
    close_and_run(october)
    add_adjustment(installation, root, october, "-1.50", "sample kit", "boss@example.com", "finance@example.com")

    statement = partner_statement(installation, root, october)

    assert (statement.period, statement.currency, statement.paid_as_rank, statement.pv, statement.gv) == (
        "2026-10", "EUR", "member", Decimal("140.10"), Decimal("263.55"),
    )  # fmt: skip
    customer, level = statement.groups
    assert (customer.kind, customer.amount) == ("customer", Decimal("4.01"))
    (line,) = customer.lines
    assert (line.source_type, line.source_name, line.volume, line.rate, line.amount) == ("customer", "Karl Kunde", Decimal("80.10"), Decimal("0.05"), Decimal("4.005"))
    (line,) = level.lines
    assert (line.source_id, line.source_name, line.source_code, line.level, line.volume, line.rate, line.amount) == (
        f"p{anna.pk}", "Anna", "ANNA1", 1, Decimal("123.45"), Decimal("0.10"), Decimal("12.345"),
    )  # fmt: skip
    assert level.amount == Decimal("12.35")
    assert statement.total == Decimal("16.36")
    assert [(a.amount, a.reason) for a in statement.adjustments] == [(Decimal("-1.50"), "sample kit")]
    assert (statement.carried_in, statement.payable, statement.paid, statement.carried_forward) == (0, Decimal("14.86"), 0, Decimal("14.86"))
    assert statement.balance_reason == BalanceReason.BELOW_MINIMUM


@pytest.mark.parametrize("index", [0, 3, 5])
def test_an_overridden_rank_is_explained_too(installation, network, preview_and_run, close_and_run, index):
    october, partners = network
    partner = partners[index]
    calculated = PartnerPeriodResult.objects.get(run=preview_and_run(october), partner=partner).paid_as_rank
    rank = "consultant" if calculated != "consultant" else "manager"
    set_rank_override(installation, partner, october, rank, "Rangschutz", "boss@example.com", "hr@example.com")
    run = close_and_run(october)

    statement = partner_statement(installation, partner, october)

    row = PartnerPeriodResult.objects.get(run=run, partner=partner)
    assert (statement.paid_as_rank, statement.rank_overridden, statement.override_reason) == (rank, True, "Rangschutz")
    assert row.calculated_rank == calculated != rank
    for group in statement.groups:
        assert cents(group.line_total) == group.amount == getattr(row, f"{group.kind}_bonus")
    assert statement.total == row.total


def test_a_preview_has_statements_without_a_balance(installation, active_plan, partner_factory, month, volume, preview_and_run):
    root = partner_factory()
    anna = partner_factory(root)
    october = month("2026-10")
    volume(root, october, 60)
    volume(anna, october, 100)
    preview_and_run(october)

    statement = partner_statement(installation, root, october)

    assert (statement.run_kind, statement.total, statement.payable, statement.balance_reason) == ("preview", Decimal("10.00"), None, None)


def test_statement_errors(installation, active_plan, partner_factory, month, volume, close_and_run):
    anna = partner_factory()
    october = month("2026-10")

    with pytest.raises(DomainError) as caught:
        partner_statement(installation, anna, october)
    assert caught.value.code == "NO_SNAPSHOT"

    volume(anna, october, 60)
    close_and_run(october)
    newcomer = partner_factory()
    with pytest.raises(DomainError) as caught:
        partner_statement(installation, newcomer, october)
    assert caught.value.code == "NOT_IN_RUN"


def test_the_cache_is_rebuilt_from_the_database_and_checked(installation, active_plan, partner_factory, month, volume, close_and_run):
    root = partner_factory()
    anna = partner_factory(root)
    october = month("2026-10")
    volume(root, october, 60)
    volume(anna, october, 100)
    run = close_and_run(october)
    first = partner_statement(installation, root, october)

    snapshot._open.clear()
    shutil.rmtree(cache_dir())
    assert partner_statement(installation, root, october) == first

    snapshot._open.clear()
    shutil.rmtree(cache_dir())
    row = PeriodRunArray.objects.get(run=run, name="partner_bv")
    from saleor_mlm.periods.snapshot import _pack

    row.data = _pack(np.array([1, 2], np.int64))[0]
    row.save()
    with pytest.raises(SnapshotError):
        partner_statement(installation, root, october)


def test_the_csv_export_has_every_partner(installation, network, close_and_run):
    october, partners = network
    run = close_and_run(october)
    handle = io.StringIO()

    count = write_statements_csv(installation, october, handle)

    rows = list(csv.DictReader(io.StringIO(handle.getvalue())))
    assert count == len(rows) == 40
    assert list(rows[0]) == SUMMARY_COLUMNS
    by_id = {int(row["partner_id"]): row for row in rows}
    for partner in partners:
        result = PartnerPeriodResult.objects.get(run=run, partner=partner)
        row = by_id[partner.pk]
        assert (row["name"], Decimal(row["total"]), row["paid_as_rank"]) == (partner.first_name, result.total, result.paid_as_rank)
        assert Decimal(row["payable"]) == result.total and row["balance_reason"] in {"paid", "below_minimum", "negative", "nothing"}


def test_the_lines_of_one_statement_as_csv(installation, network, close_and_run):
    october, partners = network
    close_and_run(october)
    statement = partner_statement(installation, partners[0], october)
    handle = io.StringIO()

    count = write_statement_lines_csv(statement, handle)

    rows = list(csv.DictReader(io.StringIO(handle.getvalue())))
    assert count == len(rows) == sum(len(group.lines) for group in statement.groups)
    assert {row["bonus"] for row in rows} == {group.kind for group in statement.groups}
    assert cents(sum(Decimal(row["amount"]) for row in rows)) == statement.total


@pytest.mark.parametrize("kind", ["close", "preview"])
def test_the_csv_written_by_postgresql_equals_the_python_one(installation, network, close_and_run, preview_and_run, kind):
    from saleor_mlm.calendar.models import Period
    from saleor_mlm.statements.exports import _copy_statements_csv, _python_statements_csv

    october, partners = network
    run = close_and_run(october) if kind == "close" else preview_and_run(october)
    add_adjustment(installation, partners[3], october, "7.10", "x", "boss@example.com", "finance@example.com") if kind == "close" else None
    partners[4].first_name, partners[4].last_name = "", ""
    partners[4].save()
    october = Period.objects.get(pk=october.pk)
    by_copy, by_python = io.StringIO(), io.StringIO()

    assert _copy_statements_csv(october, run, by_copy) == _python_statements_csv(october, run, by_python) == 40

    assert by_copy.getvalue() == by_python.getvalue()
