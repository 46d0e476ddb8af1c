"""A statement's lines in pages, and their groups per level, rate and generation.

`Statement.lines(first, after, kind)` pages the lines in statement order (amount
descending): only the page's lines are computed as exact decimals, so a leader with a
million lines opens as fast as anybody (docs/periods.md). A cursor is the line's place
in that order: the order of a run's statement never changes.
"""

from __future__ import annotations

import graphene

from ..core.connection import ConnectionSlice, CountableConnection, PaginationError, decode_cursor, encode_cursor, page_size
from .enums import BonusKindEnum


class StatementLine(graphene.ObjectType):
    kind = graphene.Field(BonusKindEnum, description="The bonus the line belongs to.")
    source_id = graphene.ID(required=True, description="The Partner or Customer the volume comes from.")
    source_type = graphene.String(required=True, description="PARTNER or CUSTOMER.")
    source_name = graphene.String(required=True)
    source_code = graphene.String(description="The partner's referral code; null for customers.")
    level = graphene.Int(description="Level (level bonus) or generation (generation bonus).")
    volume = graphene.Decimal(description="The weighted BV the rate applied to.")
    rate = graphene.Decimal()
    amount = graphene.Decimal(required=True, description="Before rounding; a bonus's lines add up to its amount before the one rounding.")


class StatementLineGroup(graphene.ObjectType):
    level = graphene.Int(description="The level (level bonus) or generation (generation bonus); null for the others.")
    rate = graphene.Decimal(description="The rate of the group's lines (difference bonus: the difference that applies); null for advancement.")
    count = graphene.Int(required=True, description="Lines in the group: one per source.")
    volume = graphene.Decimal(description="The lines' volumes summed (6 decimal places, half up); null for advancement.")
    amount = graphene.Decimal(required=True, description="The lines' amounts summed (6 decimal places, half up).")

    class Meta:
        description = "The lines of a bonus at one level, generation or rate: how many and what they add up to."


class StatementLineCountableConnection(CountableConnection):
    class Meta:
        node = StatementLine


def line_value(line) -> StatementLine:
    return StatementLine(
        kind=line.kind,
        source_id=graphene.relay.Node.to_global_id("Partner" if line.source_type == "partner" else "Customer", line.source_pk),
        source_type=line.source_type.upper(),
        source_name=line.source_name,
        source_code=line.source_code or None,
        level=line.level,
        volume=line.volume,
        rate=line.rate,
        amount=line.amount,
    )


def group_values(bonus) -> list[StatementLineGroup]:
    return [StatementLineGroup(level=p.level, rate=p.rate, count=p.count, volume=p.volume, amount=p.amount) for p in bonus.parts]


def statement_lines_args() -> dict:
    return {
        "first": graphene.Int(description="Lines from the start or after `after` (default 20, at most 100)."),
        "after": graphene.String(description="Cursor of the line to continue after."),
        "kind": graphene.Argument(BonusKindEnum, description="Only the lines of this bonus."),
    }


def resolve_statement_lines(statement, first=None, after=None, kind=None) -> ConnectionSlice:
    """One page of a statement's lines (a domain `Statement`), in statement order."""
    size, _ = page_size(first, None)
    start = 0
    if after:
        (offset,) = decode_cursor(after, 1)
        if not isinstance(offset, int) or offset < 0:
            raise PaginationError("The cursor is not valid for this connection and sort order.")
        start = offset + 1
    kind = getattr(kind, "value", kind)
    lines = statement.lines

    def fetch_page():
        page = lines.page(start, size, kind=kind)
        cursors = [encode_cursor([start + i]) for i in range(len(page))]
        page_info = graphene.relay.PageInfo(
            has_next_page=start + len(page) < lines.count_of(kind),
            has_previous_page=start > 0,
            start_cursor=cursors[0] if cursors else None,
            end_cursor=cursors[-1] if cursors else None,
        )
        return [line_value(line) for line in page], cursors, page_info

    return ConnectionSlice(StatementLineCountableConnection, fetch_page, lambda: lines.count_of(kind))
