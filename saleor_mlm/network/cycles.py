"""Acyclicity of the network graph.

Terms. Edges point upwards: a *sponsor edge* `n -> sponsor(n)` and a *care edge*
`n -> care_partner(n)`. Both kinds together must form a directed acyclic graph, or
volume would flow in a circle (docs/compensation.md, section 1). Customers have no
incoming edges, so only edges between partners can close a cycle.

Setting the edge `n -> t` closes a cycle exactly when `n` is reachable upwards from `t`
(or `t` is `n`). We walk up from `t` over both kinds of edge with one recursive SQL
query; the caller holds the network tree lock, so the graph cannot change meanwhile.
Only when the answer is yes do we load the upline's edges to name the path in the
error message.

Which care edges count: those in force now or later (`valid_to` null or in the future).
Ended assignments no longer carry volume and do not constrain new edges.

A partner program other than the default has a network of its own (docs/programs.md): its
enrollments' sponsor and Betreuer edges (`ProgramEnrollment`, no validity range). Every
function here takes `program_id` and walks that network instead of the partner table's.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.utils.translation import gettext as _

from saleor_mlm.core.errors import DomainError

from .error_codes import NetworkErrorCode
from .models import CareAssignment, Partner, ProgramEnrollment

SPONSOR = "sponsor"
CARE = "care"

# A message names at most this many partners of the path; a long path is shortened in
# the middle ("... 37 more ...").
PATH_NAMES_SHOWN = 6


@dataclass(frozen=True)
class PathStep:
    """One edge of an upward path: `child` reaches `parent` by an edge of `kind`."""

    child_id: int
    parent_id: int
    kind: str  # SPONSOR or CARE


def _edges_sql(columns: str, program_id: int | None = None) -> str:
    """The upward edges of the node `up.node_id`, as a join on the recursive table: of the
    partner table and its care assignments, or of a program's enrollments.

    `columns` is "parent" (the parent id only) or "parent_kind" (the id and the kind). The
    default network's SQL takes the moment as its one parameter; a program's none.
    """
    partner = Partner._meta.db_table
    care = CareAssignment._meta.db_table
    with_kind = columns == "parent_kind"
    sponsor_kind = f", CAST('{SPONSOR}' AS text) AS kind" if with_kind else ""
    care_kind = f", CAST('{CARE}' AS text)" if with_kind else ""
    if program_id is not None:
        enrollment = ProgramEnrollment._meta.db_table
        return f"""
            JOIN (
                SELECT partner_id AS child_id, sponsor_id AS parent_id{sponsor_kind} FROM {enrollment}
                WHERE program_id = {int(program_id)} AND sponsor_id IS NOT NULL
              UNION ALL
                SELECT partner_id, care_partner_id{care_kind} FROM {enrollment}
                WHERE program_id = {int(program_id)} AND care_partner_id IS NOT NULL
            ) AS edge ON edge.child_id = up.node_id
        """
    if connection.vendor == "postgresql":
        # LATERAL keeps each step an index lookup on the node's own rows.
        return f"""
            CROSS JOIN LATERAL (
                SELECT p.sponsor_id AS parent_id{sponsor_kind} FROM {partner} p
                WHERE p.id = up.node_id AND p.sponsor_id IS NOT NULL
              UNION ALL
                SELECT c.care_partner_id{care_kind} FROM {care} c
                WHERE c.partner_id = up.node_id AND (c.valid_to IS NULL OR c.valid_to > %s)
            ) AS edge
        """
    return f"""
        JOIN (
            SELECT id AS child_id, sponsor_id AS parent_id{sponsor_kind} FROM {partner}
            WHERE sponsor_id IS NOT NULL
          UNION ALL
            SELECT partner_id, care_partner_id{care_kind} FROM {care}
            WHERE partner_id IS NOT NULL AND (valid_to IS NULL OR valid_to > %s)
        ) AS edge ON edge.child_id = up.node_id
    """


def _moment(now: datetime, program_id: int | None) -> list:
    """The parameters of `_edges_sql`: the moment, for the default network only."""
    return [] if program_id is not None else [connection.ops.adapt_datetimefield_value(now)]


def reaches_upwards(start_id: int, target_id: int, now: datetime, program_id: int | None = None) -> bool:
    """True when `target_id` is `start_id` or above it by sponsor and care edges.

    One query however deep the network: a recursive walk that visits each ancestor once
    (UNION, not UNION ALL, so it ends even on a graph that is already cyclic) and stops
    at the first hit (EXISTS).
    """
    if start_id == target_id:
        return True
    sql = f"""
        WITH RECURSIVE up(node_id) AS (
            SELECT CAST(%s AS bigint)
          UNION
            SELECT edge.parent_id FROM up {_edges_sql("parent", program_id)}
        )
        SELECT EXISTS (SELECT 1 FROM up WHERE node_id = %s)
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [start_id, *_moment(now, program_id), target_id])
        return bool(cursor.fetchone()[0])


def upward_edges(start_id: int, now: datetime, program_id: int | None = None) -> list[PathStep]:
    """Every edge above `start_id` (its ancestors' sponsor and care edges), one query.

    A node reached by k edges is expanded k times and its rows deduplicated, so this is
    bounded by (edges x in-degree) of the upline, never by the number of paths.
    """
    sql = f"""
        WITH RECURSIVE up(node_id, child_id, kind) AS (
            SELECT CAST(%s AS bigint), CAST(NULL AS bigint), CAST(NULL AS text)
          UNION
            SELECT edge.parent_id, up.node_id, edge.kind FROM up {_edges_sql("parent_kind", program_id)}
        )
        SELECT child_id, node_id, kind FROM up WHERE child_id IS NOT NULL
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [start_id, *_moment(now, program_id)])
        return [PathStep(child, parent, kind) for child, parent, kind in cursor.fetchall()]


def find_path_upwards(start_id: int, target_id: int, now: datetime, program_id: int | None = None) -> list[PathStep] | None:
    """A shortest upward path from `start_id` to `target_id`, or None.

    Used to explain a refusal, not to decide it: it loads the whole upline.
    """
    if start_id == target_id:
        return []
    parents: dict[int, list[PathStep]] = {}
    for step in upward_edges(start_id, now, program_id):
        parents.setdefault(step.child_id, []).append(step)
    reached_by: dict[int, PathStep | None] = {start_id: None}
    queue = deque([start_id])
    while queue:
        node = queue.popleft()
        # Sponsor edges first: of two equally short paths, name the genealogy.
        for step in sorted(parents.get(node, ()), key=lambda s: s.kind != SPONSOR):
            if step.parent_id in reached_by:
                continue
            reached_by[step.parent_id] = step
            if step.parent_id == target_id:
                path = []
                at: int = target_id
                while (edge := reached_by[at]) is not None:
                    path.append(edge)
                    at = edge.child_id
                return path[::-1]
            queue.append(step.parent_id)
    return None


def _label(partner: dict) -> str:
    name = " ".join(part for part in (partner["first_name"], partner["last_name"]) if part) or partner["email"]
    return f"{name} ({partner['referral_code']})"


def describe_path(path: list[PathStep]) -> str:
    """`Anna (K7Q2) -sponsor-> Ben (M3XP) -Betreuer-> Cem (Z9TT)`, shortened when long."""
    hops = [(path[0].child_id, None), *((step.parent_id, step.kind) for step in path)]
    if len(hops) > PATH_NAMES_SHOWN:
        head, tail = PATH_NAMES_SHOWN // 2, PATH_NAMES_SHOWN - PATH_NAMES_SHOWN // 2
        skipped = len(hops) - head - tail
        shown = hops[:head] + [(None, skipped)] + hops[-tail:]
    else:
        shown = hops
    ids = [node for node, _kind in shown if node is not None]
    partners = {
        row["id"]: row
        for row in Partner.objects.filter(id__in=ids).values("id", "first_name", "last_name", "email", "referral_code")
    }
    text = ""
    for node, kind in shown:
        if node is None:
            text += f" ... {kind} more ..."
            continue
        if kind is not None:
            text += " -sponsor-> " if kind == SPONSOR else " -Betreuer-> "
        text += _label(partners[node])
    return text


def ensure_no_cycle(child: Partner, parent: Partner, kind: str, now: datetime, program_id: int | None = None) -> None:
    """Refuse the edge `child -> parent` of `kind` when it would close a cycle (in the
    network of a program other than the default, with `program_id`).

    The caller holds `network_tree_lock` for the installation.
    """
    role = "sponsor" if kind == SPONSOR else "Betreuer"
    if child.pk == parent.pk:
        raise DomainError(
            NetworkErrorCode.CYCLE if kind == SPONSOR else NetworkErrorCode.SELF_CARE,
            _("%(child)s cannot be its own %(role)s.") % {"child": child, "role": role},
            field=kind,
        )
    if not reaches_upwards(parent.pk, child.pk, now, program_id):
        return
    path = find_path_upwards(parent.pk, child.pk, now, program_id) or []
    via = f" ({describe_path(path)})" if path else ""
    raise DomainError(
        NetworkErrorCode.CYCLE,
        _("Making %(parent)s the %(role)s of %(child)s would close a cycle: %(parent)s is below %(child)s%(via)s.")
        % {"parent": parent, "role": role, "child": child, "via": via},
        field=kind,
        params={"path": [path[0].child_id, *(step.parent_id for step in path)] if path else []},
    )
