"""A statement opens with its groups and pages its lines: every line exactly once, the
same exact lines as the whole statement, group totals that are the sums of their lines."""

from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

import pytest

from saleor_mlm.periods.models import PartnerPeriodResult
from saleor_mlm.statements.partner import LINE_PLACES, partner_statement
from tests.periods.test_statements import network  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def places(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-LINE_PLACES), rounding=ROUND_HALF_UP)


def key(line):
    return (line.kind, line.source_id, line.level, line.volume, line.rate, line.amount)


def test_pages_hold_every_line_exactly_once(installation, network, close_and_run):  # noqa: F811
    october, partners = network
    close_and_run(october)
    for partner in partners:
        statement = partner_statement(installation, partner, october)
        every = [line for group in statement.groups for line in group.lines]
        pages = []
        for offset in range(0, statement.lines.count + 7, 7):
            pages += statement.lines.page(offset, 7)
        assert len(pages) == statement.lines.count == len(every) == sum(group.line_count for group in statement.groups)
        assert Counter(map(key, pages)) == Counter(map(key, every))
        assert [line.amount for line in pages] == sorted((line.amount for line in pages), reverse=True)
        for group in statement.groups:
            of_kind = statement.lines.page(0, 1000, kind=group.kind)
            assert Counter(map(key, of_kind)) == Counter(map(key, group.lines))
            assert statement.lines.count_of(group.kind) == group.line_count


def test_group_totals_are_the_sums_of_their_lines(installation, network, close_and_run):  # noqa: F811
    october, partners = network
    run = close_and_run(october)
    for partner in partners:
        statement = partner_statement(installation, partner, october)
        row = PartnerPeriodResult.objects.get(run=run, partner=partner)
        for group in statement.groups:
            assert group.line_total == places(sum((line.amount for line in group.lines), Decimal(0)))
            assert group.line_total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) == group.amount == getattr(row, f"{group.kind}_bonus")
            assert sum(part.count for part in group.parts) == len(group.lines)
            for part in group.parts:
                lines = [
                    line for line in group.lines
                    if (part.level is None or line.level == part.level) and (part.rate is None or line.rate == part.rate)
                ]  # fmt: skip
                assert part.count == len(lines)
                assert part.amount == places(sum((line.amount for line in lines), Decimal(0)))
                if part.volume is not None:
                    assert part.volume == places(sum((line.volume for line in lines), Decimal(0)))


LEADER_PLAN = {
    "name": "Five levels",
    "currency": "EUR",
    "active_min_pv": 50,
    "bonuses": {"level_rates": ["0.05", "0.04", "0.03", "0.02", "0.01"]},
    "ranks": [{"code": "leader", "difference_rate": "0.10", "level_depth": 5}],
}


def test_a_leader_with_many_lines(installation, plan_version_factory, partner_factory, month, volume, close_and_run):
    """A leader over 201 partners on five levels: 20 lines a page, in amount order, the
    groups per level add up to the level bonus."""
    plan_version_factory(LEADER_PLAN)
    october = month("2026-10")
    leader = partner_factory(first_name="Lea")
    volume(leader, october, 500, 500)
    layer = [leader]
    everybody = [leader]
    for depth in range(5):
        layer = [partner_factory(parent, first_name=f"D{depth}") for parent in layer for _ in range(3 if depth < 4 else 1)]
        for i, partner in enumerate(layer):
            volume(partner, october, 100 + (7 * i) % 90, 60 + (13 * i) % 400)
        everybody += layer
    close_and_run(october)

    statement = partner_statement(installation, leader, october)

    assert statement.lines.count == 202  # 201 level lines and its own difference line
    assert [(part.level, part.count) for part in statement.group("level").parts] == [(1, 3), (2, 9), (3, 27), (4, 81), (5, 81)]
    first, second = statement.lines.page(0, 20), statement.lines.page(20, 20)
    assert len(first) == len(second) == 20
    assert first[-1].amount >= second[0].amount
    level = statement.group("level")
    assert [part.level for part in level.parts] == sorted(part.level for part in level.parts)
    assert sum(part.count for part in level.parts) == level.line_count
    assert sum(part.amount for part in level.parts).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) == level.amount


def test_a_large_opening_is_stored_next_to_the_arrays(installation, network, close_and_run, monkeypatch):  # noqa: F811
    from saleor_mlm.periods import statement_pages

    october, partners = network
    close_and_run(october)
    monkeypatch.setattr(statement_pages, "STORE_LINES", 1)
    first = partner_statement(installation, partners[0], october)
    statement_pages._openings.clear()  # as in another process: read from the disk
    again = partner_statement(installation, partners[0], october)

    assert again.lines.opening is not first.lines.opening
    assert again.groups == first.groups
    assert [key(line) for line in again.lines.page(0, 50)] == [key(line) for line in first.lines.page(0, 50)]
    assert (again.lines.opening.paying == first.lines.opening.paying).all()
