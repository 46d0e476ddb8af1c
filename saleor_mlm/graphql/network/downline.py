"""Reading the network's shape: who is below whom, and on which level.

Terms. Edges point upwards (docs/compensation.md): a sponsor edge `n -> sponsor(n)` and
a care edge `n -> Betreuer(n)`. The *genealogy* of a partner is everyone below it by
sponsor edges (its legs and their lines). Its *downline* is everyone below it by both
kinds of edge, care assignments in force now: the people whose volume reaches it. A
node's *level* is the length of the shortest path down to it (frontline: 1).

Both are one recursive SQL query; only partners are walked (customers have no incoming
edges and hang off their sponsor). Reads only: no lock is taken.
"""

from __future__ import annotations

from datetime import datetime

from django.db import connection
from django.db.models import QuerySet

from saleor_mlm.network.models import CareAssignment, Partner

# The walk stops here even without a `depth`: deeper networks exist only by mistake,
# and a bound keeps a walk through many care edges finite in time.
MAX_LEVELS = 100


def _params_at(at: datetime) -> list:
    value = connection.ops.adapt_datetimefield_value(at)
    return [value, value]


def _children_sql(include_care: bool) -> tuple[str, int]:
    """SQL joining `walk` to the nodes one edge below it; returns (sql, number of `at` params)."""
    partner = Partner._meta.db_table
    care = CareAssignment._meta.db_table
    in_force = "c.valid_from <= %s AND (c.valid_to IS NULL OR c.valid_to > %s)"
    if connection.vendor == "postgresql":
        # LATERAL keeps each step an index lookup on the sponsor and care_partner columns.
        care_part = (
            f" UNION ALL SELECT c.partner_id FROM {care} c WHERE c.care_partner_id = walk.node_id "
            f"AND c.partner_id IS NOT NULL AND {in_force}"
            if include_care
            else ""
        )
        return f"CROSS JOIN LATERAL (SELECT p.id AS child_id FROM {partner} p WHERE p.sponsor_id = walk.node_id{care_part}) AS edge", (
            2 if include_care else 0
        )
    care_part = (
        f" UNION ALL SELECT c.partner_id, c.care_partner_id FROM {care} c WHERE c.partner_id IS NOT NULL AND {in_force}"
        if include_care
        else ""
    )
    return (
        f"JOIN (SELECT p.id AS child_id, p.sponsor_id AS parent_id FROM {partner} p WHERE p.sponsor_id IS NOT NULL{care_part}) "
        "AS edge ON edge.parent_id = walk.node_id",
        2 if include_care else 0,
    )


def levels_cte(root_id: int, *, include_care: bool, max_depth: int | None, at: datetime) -> tuple[str, list]:
    """`WITH RECURSIVE ... below(node_id, level)`: the nodes under `root_id`, root excluded."""
    children, at_params = _children_sql(include_care)
    depth = min(max_depth or MAX_LEVELS, MAX_LEVELS)
    sql = f"""
        WITH RECURSIVE walk(node_id, level) AS (
            SELECT CAST(%s AS bigint), 0
          UNION
            SELECT edge.child_id, walk.level + 1 FROM walk {children}
            WHERE walk.level < %s
        ),
        below(node_id, level) AS (
            SELECT node_id, MIN(level) FROM walk WHERE level > 0 GROUP BY node_id
        )
    """
    return sql, [root_id, *(_params_at(at) if at_params else []), depth]


def partners_below(queryset: QuerySet, root_id: int, *, include_care: bool, max_depth: int | None, at: datetime):
    """(rows, count): `rows(order, keyset, limit)` runs one page; `count()` counts all.

    `queryset` selects and filters the partners (installation, status, search); the
    page is ordered by (level, id). Each row carries its `level`.
    """
    cte, cte_params = levels_cte(root_id, include_care=include_care, max_depth=max_depth, at=at)
    inner_sql, inner_params = queryset.order_by().query.sql_with_params()
    base = f"{cte} SELECT p.*, below.level AS level FROM ({inner_sql}) p JOIN below ON below.node_id = p.id"

    def rows(*, descending: bool, after: tuple[int, int] | None, limit: int) -> list[Partner]:
        sql, params = base, [*cte_params, *inner_params]
        if after is not None:
            op = "<" if descending else ">"
            sql += f" WHERE (below.level {op} %s OR (below.level = %s AND p.id {op} %s))"
            params += [after[0], after[0], after[1]]
        direction = "DESC" if descending else "ASC"
        sql += f" ORDER BY below.level {direction}, p.id {direction} LIMIT %s"
        return list(Partner.objects.raw(sql, [*params, limit]))

    def count() -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"{cte} SELECT COUNT(*) FROM ({inner_sql}) p JOIN below ON below.node_id = p.id", [*cte_params, *inner_params])
            return cursor.fetchone()[0]

    return rows, count


def _parents_sql() -> str:
    partner = Partner._meta.db_table
    care = CareAssignment._meta.db_table
    in_force = "c.valid_from <= %s AND (c.valid_to IS NULL OR c.valid_to > %s)"
    if connection.vendor == "postgresql":
        return (
            f"CROSS JOIN LATERAL (SELECT p.sponsor_id AS parent_id FROM {partner} p WHERE p.id = up.node_id AND p.sponsor_id IS NOT NULL "
            f"UNION ALL SELECT c.care_partner_id FROM {care} c WHERE c.partner_id = up.node_id AND {in_force}) AS edge"
        )
    return (
        f"JOIN (SELECT p.id AS child_id, p.sponsor_id AS parent_id FROM {partner} p WHERE p.sponsor_id IS NOT NULL "
        f"UNION ALL SELECT c.partner_id, c.care_partner_id FROM {care} c WHERE c.partner_id IS NOT NULL AND {in_force}) "
        "AS edge ON edge.child_id = up.node_id"
    )


def which_are_below(root_id: int, candidate_ids: list[int], *, at: datetime) -> set[int]:
    """The candidates that are in the downline of `root_id` (both kinds of edge).

    Walks up from every candidate at once; UNION visits each (candidate, node) pair
    once, so the walk ends even on a graph that is (wrongly) cyclic."""
    candidates = [int(pk) for pk in candidate_ids if pk is not None and int(pk) != root_id]
    if not candidates:
        return set()
    placeholders = ", ".join(["%s"] * len(candidates))
    sql = f"""
        WITH RECURSIVE up(origin, node_id) AS (
            SELECT id, id FROM {Partner._meta.db_table} WHERE id IN ({placeholders})
          UNION
            SELECT up.origin, edge.parent_id FROM up {_parents_sql()}
            WHERE up.node_id <> %s
        )
        SELECT DISTINCT origin FROM up WHERE node_id = %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*candidates, *_params_at(at), root_id, root_id])
        return {row[0] for row in cursor.fetchall()}
