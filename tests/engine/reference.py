"""The slow, literal reference of the compensation contract (spec sections 1-5).

This module exists to be read next to the spec. It enumerates every walk explicitly,
computes with exact ``fractions.Fraction`` everywhere, evaluates ranks bottom-up by
memoised recursion (which is a topological order) and applies each formula as written.
It is exponential in the depth of the network and meant only for small test networks.
No numpy, no Django.

Terms (spec section 1):

- *edge* ``n -> sponsor(n)`` with weight ``1 - care_share(n)`` (1 without a care partner),
  ``n -> care(n)`` with weight ``care_share(n)``. Two edges to the same partner stay two
  edges when enumerating walks (the sum of walk weights is what the spec adds up) and are
  merged into one line for the leg cap of ``min_gv``.
- *walk* from ``o`` up to ``a``: a sequence of edges; its weight is the product of the
  edge weights; the empty walk from ``o`` to ``o`` has weight 1. A walk is represented as
  ``(nodes, weight)`` with ``nodes = (o, ..., a)``.

Readings of the spec (choices where the contract and the brief leave room):

1. A ``care_id`` with an empty ``care_share`` is no care assignment (the exchange file
   carries the share of every split; an empty share means "no care"). A share of 0 would
   give the same figures anyway.
2. A node with a care partner but without a sponsor (root partner, house customer) has
   only its care edge: the recruiting side's ``1 - share`` leaves the network.
3. The leg cap of ``min_gv`` counts partner lines only: customer volume is already in
   ``PV(p)``, and customers have no GV.
4. A bonus or volume that rounds to zero is written ``"0.00"``, never ``"-0.00"``.
5. A plan without ``compression`` is read as ``dynamic`` (the spec's example plan; the
   usual choice of German plans). The tests always state the key.
6. A rank's ``min_legs`` counts legs whose sponsor subtree holds a partner whose paid-as
   rank is at least the named rank; unqualified partners have no paid-as rank and never
   count. The leg itself belongs to its subtree.
7. Minor units of the currency are Babel's (CLDR) currency precision, as Saleor's
   prices use them: EUR 2, JPY 0, KWD 3, HUF 0.
8. The volume of a house customer without Betreuer reaches no partner; it counts only in
   the totals' ``pv`` and ``bv`` (the sum of all volume rows).
9. Thresholds, shares and rates are compared and multiplied exactly, whatever their
   number of decimals. (The engine rejects shares and rates with more than 6 decimals
   and volume rows above 10^11 as invalid input; the tests stay within those limits.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from babel.numbers import get_currency_precision

BONUS_KINDS = ("customer", "level", "difference", "generation", "advancement")



def exact(value) -> Fraction:
    """A plan or CSV number as an exact fraction ("0.05", 50, 0.5, "" -> 0)."""
    if value is None or value == "":
        return Fraction(0)
    if isinstance(value, Fraction):
        return value
    return Fraction(str(value).strip())


def round_half_up(value: Fraction, places: int) -> str:
    """Round to ``places`` decimals, ties away from zero (ROUND_HALF_UP), as a string."""
    scaled = abs(value) * 10**places
    units = (2 * scaled.numerator + scaled.denominator) // (2 * scaled.denominator)
    digits = str(units).rjust(places + 1, "0")
    text = digits if places == 0 else digits[:-places] + "." + digits[-places:]
    if value < 0 and units != 0:
        text = "-" + text
    return text


def round_floor(value: Fraction, places: int) -> str:
    """Round toward minus infinity to ``places`` decimals, as a string: how volumes are
    shown (``-0.005`` is ``-0.01``)."""
    scaled = value * 10**places
    units = scaled.numerator // scaled.denominator
    digits = str(abs(units)).rjust(places + 1, "0")
    text = digits if places == 0 else digits[:-places] + "." + digits[-places:]
    return "-" + text if units < 0 else text


# ---------------------------------------------------------------------------- plan (5)


@dataclass
class Rank:
    code: str
    index: int  # position in the plan, lowest first
    min_pv: Fraction | None
    min_gv: Fraction | None
    max_leg_share: Fraction | None
    min_ov: Fraction | None
    min_legs_count: int | None
    min_legs_rank: int | None  # index of the named rank
    difference_rate: Fraction
    level_depth: int | None  # None: every level of level_rates
    generation_depth: int | None  # None: no generation bonus
    advancement_bonus: Fraction


@dataclass
class Plan:
    currency: str
    active_min_pv: Fraction
    compression: str
    breakaway_rank: int | None  # index of the rank, None: no breakaways
    customer_rate: Fraction
    level_rates: list[Fraction]  # level_rates[0] is "level_rates[1]" of the spec
    generation_rates: list[Fraction]
    ranks: list[Rank]


def read_plan(plan_data: dict) -> Plan:
    codes = [rank["code"] for rank in plan_data.get("ranks", [])]

    def optional(data, key):
        return exact(data[key]) if data.get(key) is not None else None

    ranks = []
    for index, data in enumerate(plan_data.get("ranks", [])):
        legs = data.get("min_legs")
        ranks.append(
            Rank(
                code=data["code"],
                index=index,
                min_pv=optional(data, "min_pv"),
                min_gv=optional(data, "min_gv"),
                max_leg_share=optional(data, "max_leg_share"),
                min_ov=optional(data, "min_ov"),
                min_legs_count=int(legs["count"]) if legs else None,
                min_legs_rank=codes.index(legs["rank"]) if legs else None,
                difference_rate=exact(data.get("difference_rate")),
                level_depth=(
                    int(data["level_depth"]) if data.get("level_depth") is not None else None
                ),
                generation_depth=(
                    int(data["generation_depth"])
                    if data.get("generation_depth") is not None
                    else None
                ),
                advancement_bonus=exact(data.get("advancement_bonus")),
            )
        )
    bonuses = plan_data.get("bonuses") or {}
    breakaway = plan_data.get("breakaway_rank")
    return Plan(
        currency=plan_data.get("currency", "EUR"),
        active_min_pv=exact(plan_data.get("active_min_pv")),
        compression=plan_data.get("compression") or "dynamic",
        breakaway_rank=codes.index(breakaway) if breakaway else None,
        customer_rate=exact(bonuses.get("customer_rate")),
        level_rates=[exact(rate) for rate in bonuses.get("level_rates") or []],
        generation_rates=[exact(rate) for rate in bonuses.get("generation_rates") or []],
        ranks=ranks,
    )


# ------------------------------------------------------------------------- network (1)


@dataclass
class Node:
    id: str
    kind: str  # "partner" | "customer"
    status: str  # "active" | "inactive" | "terminated" | "" (customers)
    career_rank_before: int | None
    sponsor: str | None
    # Outgoing edges (target, weight, kind), kind "sponsor" or "care". An edge to the
    # same partner by both kinds stays two edges.
    edges: list[tuple[str, Fraction, str]] = field(default_factory=list)


def read_network(partner_rows, plan: Plan) -> dict[str, Node]:
    codes = [rank.code for rank in plan.ranks]
    nodes: dict[str, Node] = {}
    for row in partner_rows:
        sponsor = row.get("sponsor_id") or None
        care = row.get("care_id") or None
        share_text = row.get("care_share") or ""
        career = row.get("career_rank") or None
        node = Node(
            id=row["id"],
            kind=row["kind"],
            status=row.get("status") or "",
            career_rank_before=codes.index(career) if career else None,
            sponsor=sponsor,
        )
        has_care = care is not None and share_text != ""
        share = exact(share_text) if has_care else Fraction(0)
        if sponsor is not None:
            node.edges.append((sponsor, 1 - share, "sponsor"))
        if has_care:
            node.edges.append((care, share, "care"))
        nodes[node.id] = node
    for node in nodes.values():
        for target, _, _ in node.edges:
            if target not in nodes or nodes[target].kind != "partner":
                raise ValueError(f"{node.id}: edge to {target}, which is not a partner")
    return nodes


def walks_from(nodes: dict[str, Node], o: str) -> list[tuple[tuple[str, ...], Fraction]]:
    """Every walk from ``o`` upwards, the empty walk first: ``[((o, ..., a), W), ...]``."""
    walks = [((o,), Fraction(1))]
    for target, weight, _ in nodes[o].edges:
        for rest, rest_weight in walks_from(nodes, target):
            walks.append(((o,) + rest, weight * rest_weight))
    return walks


# ---------------------------------------------------------------------- simulation


def reference_simulate(plan_data: dict, partner_rows: list, volume_rows: list) -> dict:
    plan = read_plan(plan_data)
    nodes = read_network(partner_rows, plan)
    partners = [n.id for n in nodes.values() if n.kind == "partner"]

    # -- section 2: volumes ------------------------------------------------------------
    own_pv = {n: Fraction(0) for n in nodes}
    own_bv = {n: Fraction(0) for n in nodes}
    for row in volume_rows:
        if row["node_id"] not in nodes:
            raise ValueError(f"volume for unknown node {row['node_id']}")
        own_pv[row["node_id"]] += exact(row["pv"])
        own_bv[row["node_id"]] += exact(row["bv"])

    def incoming(p, kind):
        """Edges (q, w) into p from nodes of the given kind, one entry per edge."""
        return [
            (q, w)
            for q in nodes
            if nodes[q].kind == kind
            for target, w, _ in nodes[q].edges
            if target == p
        ]

    def attached(volume, p):
        """Sum of w * volume(c) over the customer edges c -> p."""
        return sum((w * volume[c] for c, w in incoming(p, "customer")), Fraction(0))

    PV = {p: own_pv[p] + attached(own_pv, p) for p in partners}
    PBV = {p: own_bv[p] + attached(own_bv, p) for p in partners}
    qualified = {
        p: nodes[p].status == "active" and PV[p] >= plan.active_min_pv for p in partners
    }

    GV: dict[str, Fraction] = {}

    def gv(p):
        if p not in GV:
            GV[p] = PV[p] + sum((w * gv(q) for q, w in incoming(p, "partner")), Fraction(0))
        return GV[p]

    # -- section 3: ranks, bottom-up -----------------------------------------------------
    paid_as: dict[str, int | None] = {}
    OV: dict[str, Fraction] = {}

    def breakaway(q) -> bool:
        r = rank_of(q)
        return plan.breakaway_rank is not None and r is not None and r >= plan.breakaway_rank

    def ov(p):
        if p not in OV:
            if plan.breakaway_rank is None:
                OV[p] = gv(p)
            else:
                OV[p] = PV[p] + sum(
                    (w * ov(q) for q, w in incoming(p, "partner") if not breakaway(q)),
                    Fraction(0),
                )
        return OV[p]

    OBV: dict[str, Fraction] = {}

    def obv(p):
        if p not in OBV:
            OBV[p] = PBV[p] + sum(
                (w * obv(q) for q, w in incoming(p, "partner") if not breakaway(q)),
                Fraction(0),
            )
        return OBV[p]

    def sponsor_subtree(q):
        """q and everyone below it by sponsor edges."""
        below = [q]
        for child in partners:
            if nodes[child].sponsor == q:
                below += sponsor_subtree(child)
        return below

    def holds(p, rank: Rank) -> bool:
        if rank.min_pv is not None and not PV[p] >= rank.min_pv:
            return False
        if rank.min_gv is not None:
            lines: dict[str, Fraction] = {}  # partner q -> merged weight of q's edges to p
            for q, w in incoming(p, "partner"):
                lines[q] = lines.get(q, Fraction(0)) + w
            total = PV[p]
            for q, w in lines.items():
                if rank.max_leg_share is not None:
                    total += min(w * gv(q), rank.max_leg_share * rank.min_gv)
                else:
                    total += w * gv(q)
            if not total >= rank.min_gv:
                return False
        if rank.min_ov is not None and not ov(p) >= rank.min_ov:
            return False
        if rank.min_legs_count is not None:
            legs = [q for q in partners if nodes[q].sponsor == p]
            strong = 0
            for q in legs:
                ranks_in_leg = [rank_of(x) for x in sponsor_subtree(q)]
                if any(r is not None and r >= rank.min_legs_rank for r in ranks_in_leg):
                    strong += 1
            if strong < rank.min_legs_count:
                return False
        return True

    def rank_of(p):
        if p not in paid_as:
            if not qualified[p]:
                paid_as[p] = None
            else:
                holding = [rank.index for rank in plan.ranks if holds(p, rank)]
                paid_as[p] = max(holding) if holding else None
        return paid_as[p]

    for p in partners:
        rank_of(p)

    def rate(x) -> Fraction:
        if not qualified[x] or paid_as[x] is None:
            return Fraction(0)
        return plan.ranks[paid_as[x]].difference_rate

    # -- section 4: bonuses, in full precision ----------------------------------------------
    earned = {p: {kind: Fraction(0) for kind in BONUS_KINDS} for p in partners}

    # 1. customer bonus
    for p in partners:
        if qualified[p]:
            earned[p]["customer"] += plan.customer_rate * attached(own_bv, p)

    def earns_rank_bonuses(a) -> bool:
        return qualified[a] and paid_as[a] is not None

    for o in partners:
        for walk, W in walks_from(nodes, o):
            a = walk[-1]
            between = walk[1:-1]

            # 2. level bonus: non-empty walks
            if len(walk) > 1 and earns_rank_bonuses(a):
                if plan.compression == "none":
                    level = len(walk) - 1
                else:
                    level = 1 + sum(1 for x in between if qualified[x])
                depth = plan.ranks[paid_as[a]].level_depth
                if level <= len(plan.level_rates) and (depth is None or level <= depth):
                    earned[a]["level"] += plan.level_rates[level - 1] * W * PBV[o]

            # 3. difference bonus: every walk, the empty one included
            if earns_rank_bonuses(a):
                before_a = walk[:-1]
                m = max((rate(x) for x in before_a), default=Fraction(0))
                earned[a]["difference"] += max(Fraction(0), rate(a) - m) * W * PBV[o]

    # 4. generation bonus
    if plan.breakaway_rank is not None:
        for b in partners:
            if not breakaway(b):
                continue
            for walk, W in walks_from(nodes, b):
                a = walk[-1]
                if len(walk) == 1 or not breakaway(a):
                    continue
                generation = sum(1 for x in walk[1:] if breakaway(x))
                depth = plan.ranks[paid_as[a]].generation_depth
                if depth is None:
                    continue
                if generation <= len(plan.generation_rates) and generation <= depth:
                    earned[a]["generation"] += (
                        plan.generation_rates[generation - 1] * W * obv(b)
                    )

    # 5. rank advancement bonus
    career_after: dict[str, int | None] = {}
    for p in partners:
        before = nodes[p].career_rank_before
        now = paid_as[p]
        if now is not None and (before is None or now > before):
            first = 0 if before is None else before + 1
            for index in range(first, now + 1):
                earned[p]["advancement"] += plan.ranks[index].advancement_bonus
        candidates = [r for r in (before, now) if r is not None]
        career_after[p] = max(candidates) if candidates else None

    # -- result -------------------------------------------------------------------------
    places = get_currency_precision(plan.currency)

    def code(index):
        return None if index is None else plan.ranks[index].code

    out_partners = {}
    totals = {kind: Fraction(0) for kind in BONUS_KINDS}
    for p in partners:
        rounded = {kind: Fraction(round_half_up(earned[p][kind], places)) for kind in BONUS_KINDS}
        total = sum(rounded.values(), Fraction(0))
        for kind in BONUS_KINDS:
            totals[kind] += rounded[kind]
        out_partners[p] = {
            "pv": round_floor(PV[p], 2),
            "gv": round_floor(gv(p), 2),
            "ov": round_floor(ov(p), 2),
            "qualified": qualified[p],
            "rank": code(paid_as[p]),
            "career_rank": code(career_after[p]),
            "bonuses": {kind: round_half_up(rounded[kind], places) for kind in BONUS_KINDS},
            "total": round_half_up(total, places),
        }
    grand_total = sum(totals.values(), Fraction(0))
    all_pv = sum((exact(row["pv"]) for row in volume_rows), Fraction(0))
    all_bv = sum((exact(row["bv"]) for row in volume_rows), Fraction(0))
    return {
        "currency": plan.currency,
        "partners": out_partners,
        "totals": {
            **{kind: round_half_up(totals[kind], places) for kind in BONUS_KINDS},
            "total": round_half_up(grand_total, places),
            "pv": round_floor(all_pv, 2),
            "bv": round_floor(all_bv, 2),
            "partners": len(partners),
            "qualified": sum(1 for p in partners if qualified[p]),
        },
    }
