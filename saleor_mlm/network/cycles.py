"""Acyclicity of the network graph.

Terms. Edges point upwards: a *sponsor edge* `n -> sponsor(n)` and a *care edge*
`n -> care_partner(n)`. Both kinds together must form a directed acyclic graph, or
volume would flow in a circle (docs/compensation.md, section 1). Customers have no
incoming edges, so only edges between partners can close a cycle.

Setting the edge `n -> t` closes a cycle exactly when `n` is reachable upwards from `t`
(or `t` is `n`). We walk up from `t` over both kinds of edge with one recursive SQL
query; the caller holds the network tree lock, so the graph cannot change meanwhile.
Only when the answer is yes do we walk again, level by level, to name the path in the
error message.

Which care edges count: those in force now or later (`valid_to` null or in the future).
Ended assignments no longer carry volume and do not constrain new edges.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Q

from .error_codes import NetworkError, NetworkErrorCode
from .models import CareAssignment, Partner

SPONSOR = "sponsor"
CARE = "care"

# `id__in` lists are cut to this size: large enough for few round trips, small enough
# for the query planner and for SQLite's parameter limit.
ID_BATCH = 5_000


@dataclass(frozen=True)
class PathStep:
    """One edge of an upward path: `child` reaches `parent` by an edge of `kind`."""

    child_id: int
    parent_id: int
    kind: str  # SPONSOR or CARE


def _reaches_sql() -> str:
    partner = Partner._meta.db_table
    care = CareAssignment._meta.db_table
    if connection.vendor == "postgresql":
        # LATERAL keeps each step an index lookup on the node's own rows.
        edges = f"""
            CROSS JOIN LATERAL (
                SELECT p.sponsor_id AS parent_id FROM {partner} p
                WHERE p.id = up.node_id AND p.sponsor_id IS NOT NULL
              UNION ALL
                SELECT c.care_partner_id FROM {care} c
                WHERE c.partner_id = up.node_id AND (c.valid_to IS NULL OR c.valid_to > %s)
            ) AS edge
        """
    else:
        edges = f"""
            JOIN (
                SELECT id AS child_id, sponsor_id AS parent_id FROM {partner}
                WHERE sponsor_id IS NOT NULL
              UNION ALL
                SELECT partner_id, care_partner_id FROM {care}
                WHERE partner_id IS NOT NULL AND (valid_to IS NULL OR valid_to > %s)
            ) AS edge ON edge.child_id = up.node_id
        """
    # UNION (not UNION ALL) visits each node once, so the walk ends even on a graph
    # that is already cyclic; EXISTS stops it at the first hit.
    return f"""
        WITH RECURSIVE up(node_id) AS (
            SELECT CAST(%s AS bigint)
          UNION
            SELECT edge.parent_id FROM up {edges}
        )
        SELECT EXISTS (SELECT 1 FROM up WHERE node_id = %s)
    """


def reaches_upwards(start_id: int, target_id: int, now: datetime) -> bool:
    """True when `target_id` is `start_id` or above it by sponsor and care edges."""
    if start_id == target_id:
        return True
    now_param = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(_reaches_sql(), [start_id, now_param, target_id])
        return bool(cursor.fetchone()[0])


def _care_in_force(now: datetime) -> Q:
    return Q(valid_to__isnull=True) | Q(valid_to__gt=now)


def _upward_edges(frontier: list[int], now: datetime):
    for start in range(0, len(frontier), ID_BATCH):
        batch = frontier[start : start + ID_BATCH]
        for child, parent in Partner.objects.filter(id__in=batch, sponsor__isnull=False).values_list("id", "sponsor_id"):
            yield PathStep(child, parent, SPONSOR)
        care = CareAssignment.objects.filter(_care_in_force(now), partner_id__in=batch)
        for child, parent in care.values_list("partner_id", "care_partner_id"):
            yield PathStep(child, parent, CARE)


def find_path_upwards(start_id: int, target_id: int, now: datetime) -> list[PathStep] | None:
    """A shortest upward path from `start_id` to `target_id`, or None.

    Breadth first, two queries per level; used to explain a refusal, not to decide it.
    """
    if start_id == target_id:
        return []
    reached_by: dict[int, PathStep | None] = {start_id: None}
    frontier = [start_id]
    while frontier:
        next_frontier = []
        for step in _upward_edges(frontier, now):
            if step.parent_id in reached_by:
                continue
            reached_by[step.parent_id] = step
            if step.parent_id == target_id:
                path = []
                node: int = target_id
                while (edge := reached_by[node]) is not None:
                    path.append(edge)
                    node = edge.child_id
                return path[::-1]
            next_frontier.append(step.parent_id)
        frontier = next_frontier
    return None


def _label(partner: dict) -> str:
    name = " ".join(part for part in (partner["first_name"], partner["last_name"]) if part) or partner["email"]
    return f"{name} ({partner['referral_code']})"


def describe_path(path: list[PathStep]) -> str:
    """`Anna (K7Q2) -sponsor-> Ben (M3XP) -Betreuer-> Cem (Z9TT)`."""
    ids = {path[0].child_id, *(step.parent_id for step in path)}
    partners = {
        row["id"]: row
        for row in Partner.objects.filter(id__in=ids).values("id", "first_name", "last_name", "email", "referral_code")
    }
    text = _label(partners[path[0].child_id])
    for step in path:
        arrow = "-sponsor->" if step.kind == SPONSOR else "-Betreuer->"
        text += f" {arrow} {_label(partners[step.parent_id])}"
    return text


def ensure_no_cycle(child: Partner, parent: Partner, kind: str, now: datetime) -> None:
    """Refuse the edge `child -> parent` of `kind` when it would close a cycle.

    The caller holds `network_tree_lock` for the installation.
    """
    role = "sponsor" if kind == SPONSOR else "Betreuer"
    if child.pk == parent.pk:
        raise NetworkError(
            NetworkErrorCode.CYCLE if kind == SPONSOR else NetworkErrorCode.SELF_CARE,
            f"{child} cannot be its own {role}.",
            field=kind,
        )
    if not reaches_upwards(parent.pk, child.pk, now):
        return
    path = find_path_upwards(parent.pk, child.pk, now) or []
    via = f" ({describe_path(path)})" if path else ""
    raise NetworkError(
        NetworkErrorCode.CYCLE,
        f"Making {parent} the {role} of {child} would close a cycle: {parent} is below {child}{via}.",
        field=kind,
        params={"path": [path[0].child_id, *(step.parent_id for step in path)] if path else []},
    )
