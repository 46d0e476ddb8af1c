"""Statement lines: every bonus of one partner by source (spec section 4, walk by walk).

Terms
-----
statement line
    One part of one bonus of a partner ``a``: from whose volume (``source``), at which
    level or generation, on what volume (the weighted BV the rate applied to), at what
    rate, and the amount before rounding. The lines of a partner and bonus sum exactly
    to the bonus before its one rounding.
walk weight to ``a``
    For a source ``o`` below ``a``, ``f(o)[k]`` is the sum of ``W`` over the walks
    ``o -> a`` whose level index is ``k`` (level bonus), whose highest rate strictly
    between ``o`` and ``a`` is the ``k``-th distinct rate (difference bonus), or with
    ``k`` breakaways strictly between (generation bonus). It is carried *down* from
    ``a`` by the same rules the engine carries volumes up, so lines are as cheap as the
    downline of ``a`` is large: no walk is ever enumerated.

Everything here is exact: Python integers at a scale with enough decimal places, turned
into ``Decimal`` at the end.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from .fixedpoint import WEIGHT_SCALE
from .network import Network
from .period import PeriodResult, exact_arithmetic
from .plan import Compression, Plan, to_units
from .propagation import Layout, leg_caps, pass_through, sweep
from .ranks import RankEvaluator
from .volumes import PERSONAL_PLACES, Volumes, personal_volumes

__all__ = ["NextRank", "Requirement", "StatementLine", "explain", "next_rank"]

_KIND_ORDER = {"customer": 0, "level": 1, "difference": 2, "generation": 3, "advancement": 4}


@dataclass(frozen=True)
class StatementLine:
    """One part of one bonus of a partner."""

    kind: str  # customer, level, difference, generation, advancement
    source: str  # id of the node whose volume it is (the partner itself for advancement)
    level: int | None  # level (level bonus), generation (generation bonus), else None
    volume: Decimal | None  # weighted BV the rate applied to; None for advancement
    rate: Decimal | None  # None for advancement
    amount: Decimal  # before rounding


@dataclass(frozen=True)
class Requirement:
    """One requirement of a rank for one partner: what it needs and what there is."""

    key: str  # min_pv, min_gv (capped per line when the rank has max_leg_share), min_ov, min_legs
    needed: Decimal | int
    actual: Decimal | int
    met: bool


@dataclass(frozen=True)
class NextRank:
    """The next-rank report (spec section 3): the rank above the paid-as rank."""

    rank: str
    qualified: bool  # without qualification no rank is paid, whatever the requirements
    requirements: list[Requirement]


def _decimal(units: int, places: int) -> Decimal:
    """``units / 10^places`` exactly, without trailing zeros beyond two places."""
    sign, digits, exponent = Decimal(int(units)).scaleb(-places).as_tuple()
    digits = list(digits)
    while exponent < -2 and len(digits) > 1 and digits[-1] == 0:
        digits.pop()
        exponent += 1
    return Decimal((sign, tuple(digits), exponent))


def explain(
    plan: Plan, network: Network, volumes: Volumes, result: PeriodResult, node: str, sources=None, open_bv=None
) -> list[StatementLine]:
    """The statement lines of partner ``node`` (an id) for a computed period.

    Ranks and qualification are taken from ``result``; volumes and walk weights are
    recomputed exactly on the partner's downline.

    Parameters
    ----------
    plan, network, volumes : the inputs of ``compute``.
    result : PeriodResult
        What ``compute`` returned for them.
    node : str
        The partner's id.
    sources : collection of str, optional
        Only the lines from these sources (node ids; advancement lines always): a page
        of a statement whose lines are known from ``engine.opening``.
    open_bv : tuple (dict of str to int, int), optional
        Exact OBV of the generation sources (integers at ``10^-places``, and ``places``),
        when ``network`` does not hold their open groups.

    Returns
    -------
    list of StatementLine
        By bonus (customer, level, difference, generation, advancement), then level. Empty
        for a partner who earns nothing. The amounts of one bonus sum exactly to the bonus
        before rounding.

    Examples
    --------
    >>> from saleor_mlm.engine import compute, parse_plan
    >>> plan = parse_plan({"currency": "EUR", "bonuses": {"level_rates": ["0.05"]},
    ...                    "ranks": [{"code": "partner"}]})
    >>> net = Network.from_arrays(["a", "b"], [True, True], [-1, 0])
    >>> volumes = Volumes.from_rows(net, [1], [1250000], [1250000])
    >>> [(l.kind, l.source, l.level, str(l.volume), str(l.amount))
    ...  for l in explain(plan, net, volumes, compute(plan, net, volumes), "a")]
    [('level', 'b', 1, '125.00', '6.25')]
    """
    top = network.partner_position(node)
    ordinal = int(network.order[top])
    if not result.qualified[ordinal]:
        return []
    closure = network.downline([top])
    sub, nodes = network.subnetwork(closure)
    sub_volumes = volumes.subset(nodes)
    main_ordinal = network.order[closure]  # main ordinal of each sub ordinal
    rank = result.rank[main_ordinal][sub.order]  # by sub position
    qualified = result.qualified[main_ordinal][sub.order]
    a = int(sub.position[np.searchsorted(closure, top)])
    ids = [sub.ids[n] for n in sub.partner_nodes[sub.order].tolist()]  # by sub position

    wanted = None
    if sources is not None:
        sources = set(sources)
        wanted = np.array([name in sources for name in ids], bool)
    lines = _customer_lines(plan, sub, sub_volumes, a, ids[a])
    if sources is not None:
        lines = [line for line in lines if line.source in sources]
    a_rank = int(rank[a])
    if a_rank >= 0:
        lines += _walk_lines(plan, sub, sub_volumes, rank, qualified, a, ids, wanted, open_bv)
        previous = int(result.previous_career_rank[ordinal])
        for index in range(previous + 1, a_rank + 1):
            bonus = plan.ranks[index].advancement_bonus
            if bonus:
                lines.append(StatementLine("advancement", ids[a], None, None, None, bonus))
    lines.sort(key=lambda line: (_KIND_ORDER[line.kind], line.level or 0))
    return lines


def _customer_lines(plan, sub, volumes, a, a_id) -> list[StatementLine]:
    lines = []
    rate = to_units(plan.customer_rate, 6)
    at_a = np.flatnonzero(sub.customer_parent == a)
    for edge in at_a.tolist():
        customer = int(sub.customer_node[edge])
        volume = int(volumes.own_bv[customer]) * int(sub.customer_weight[edge])  # 10^10
        if volume and rate:
            lines.append(
                StatementLine(
                    "customer", sub.ids[customer], None, _decimal(volume, PERSONAL_PLACES),
                    plan.customer_rate, _decimal(volume * rate, PERSONAL_PLACES + 6),
                )
            )  # fmt: skip
    return lines


def _walk_lines(plan, sub: Network, volumes, rank, qualified, a, ids, wanted=None, open_bv=None) -> list[StatementLine]:
    """Level, difference and generation lines of the partner at position ``a`` (from the
    sources at the positions ``wanted``, a mask; all when None)."""
    personal = personal_volumes(sub, volumes)
    pbv = personal.pbv.astype(object)  # 10^10, by position
    breakaway = np.zeros(sub.n_partners, bool)
    if plan.breakaway_rank is not None:
        breakaway = rank >= plan.breakaway_rank
    if open_bv is None:
        obv, obv_places = _open_bv(plan, sub, personal, breakaway)
    else:
        obv, obv_places = np.array([open_bv[0].get(name, 0) for name in ids], dtype=object), open_bv[1]

    hops = sub.max_split_hops()
    weight_places = 6 * hops
    levels = len(plan.level_rates)
    distinct = plan.rate_levels
    rate_of_rank = plan.difference_rates
    level_of_rank = plan.rate_level_of_rank
    generations = len(plan.generation_rates) if plan.breakaway_rank is not None else 0
    layout = Layout(levels=levels, rate_levels=len(distinct), generations=generations)

    shift = np.ones(sub.n_partners, bool)
    if plan.compression == Compression.DYNAMIC:
        shift = qualified.copy()
    rate_level = np.array([level_of_rank[r + 1] for r in rank.tolist()], np.int64)
    # a itself passes walks on unchanged
    shift[a], rate_level[a], breakaway_pass = False, 0, breakaway.copy()
    breakaway_pass[a] = False

    f = np.zeros((sub.n_partners, layout.width), dtype=object)
    f.fill(0)
    one = 10**weight_places
    if levels:
        f[a, layout.L.start] = one
    f[a, layout.D.start] = one
    if generations:
        f[a, layout.G.start] = one
    edges = sub.edges
    for h in reversed(range(sub.n_layers)):
        e0, e1 = int(edges.bounds[h]), int(edges.bounds[h + 1])
        if e1 == e0:
            continue
        parent = edges.parent[e0:e1]
        passed = _pass_down(f[parent], layout, shift[parent], rate_level[parent], breakaway_pass[parent])
        weight = edges.weight[e0:e1].astype(object)[:, None]
        np.add.at(f, edges.child[e0:e1], passed * weight // WEIGHT_SCALE)

    a_rank = int(rank[a])
    rank_data = plan.ranks[a_rank]
    lines: list[StatementLine] = []
    places = PERSONAL_PLACES + weight_places  # of f * PBV

    def line(kind, source, level, volume, rate_units, places=places):
        if volume and rate_units:
            lines.append(
                StatementLine(
                    kind, ids[source], level, _decimal(volume, places),
                    _decimal(rate_units, 6), _decimal(volume * rate_units, places + 6),
                )
            )  # fmt: skip

    depth = min(levels, levels if rank_data.level_depth is None else rank_data.level_depth)
    level_rates = [to_units(r, 6) for r in plan.level_rates]
    generation_depth = min(generations, rank_data.generation_depth or 0)
    generation_rates = [to_units(r, 6) for r in plan.generation_rates]
    own = rate_of_rank[a_rank + 1]
    for o in range(sub.n_partners) if wanted is None else np.flatnonzero(wanted).tolist():
        row = f[o]
        if o != a and pbv[o]:
            for k in range(depth):
                line("level", o, k + 1, row[layout.L.start + k] * pbv[o], level_rates[k])
            by_rate: dict[int, int] = defaultdict(int)
            for j, rate in enumerate(distinct):
                effective = own - max(rate, rate_of_rank[int(rank[o]) + 1])
                if effective > 0:
                    by_rate[effective] += row[layout.D.start + j]
            for effective, weight in sorted(by_rate.items()):
                line("difference", o, None, weight * pbv[o], effective)
        if o == a:
            line("difference", o, None, one * pbv[o], own)
        if o != a and breakaway[o] and obv[o]:
            for g in range(generation_depth):
                volume = row[layout.G.start + g] * obv[o]
                line("generation", o, g + 1, volume, generation_rates[g], obv_places + weight_places)
    return lines


def _pass_down(rows, layout, shift, rate_level, breakaway):
    """What a partner ``y`` passes to the partners below it: the map of the upward
    messages (``propagation.pass_through``), applied to walk weights instead of volumes."""
    out = rows.copy()
    pass_through(out, layout, shift, rate_level, breakaway)
    return out


def _open_bv(plan: Plan, sub: Network, personal, breakaway) -> tuple[np.ndarray, int]:
    """Exact OBV by position, as integers at a scale returned with them."""
    if plan.breakaway_rank is None:
        return np.zeros(sub.n_partners, dtype=object), 0
    fp = exact_arithmetic(sub)
    layout = Layout(open_volume=True)
    pv = fp.from_units(personal.pv, PERSONAL_PLACES)
    pbv = fp.from_units(personal.pbv, PERSONAL_PLACES)

    def decide(start, stop, state):
        return breakaway[start:stop], np.zeros(stop - start, np.int64)

    state = sweep(sub, fp, layout, pv, pbv, np.zeros(sub.n_partners, bool), decide)
    hi, lo = fp.add(state.hi[:, layout.OBV], state.lo[:, layout.OBV], *pbv)
    total = np.array([fp.to_fine(high, low) for high, low in zip(hi, lo)], dtype=object)
    return total, fp.fine_digits


def next_rank(
    plan: Plan, network: Network, volumes: Volumes, result: PeriodResult, node: str
) -> NextRank | None:
    """The rank above the paid-as rank of partner ``node`` with each requirement's needed
    and actual value; None at the highest rank.

    The figures come from the rank evaluator itself (``RankEvaluator.measures``), run
    exactly on the partner's downline with the ranks of ``result``.

    Parameters
    ----------
    plan, network, volumes, result : as for ``explain``.
    node : str
        The partner's id.

    Returns
    -------
    NextRank or None

    Examples
    --------
    >>> from saleor_mlm.engine import compute, parse_plan
    >>> plan = parse_plan({"currency": "EUR", "ranks": [
    ...     {"code": "partner"}, {"code": "consultant", "min_pv": 50, "min_gv": 1000}]})
    >>> net = Network.from_arrays(["a", "b"], [True, True], [-1, 0])
    >>> volumes = Volumes.from_rows(net, [0, 1], [600000, 3000000], [0, 0])
    >>> report = next_rank(plan, net, volumes, compute(plan, net, volumes), "a")
    >>> [(r.key, str(r.needed), str(r.actual), r.met) for r in report.requirements]
    [('min_pv', '50', '60.00', True), ('min_gv', '1000', '360.00', False)]
    """
    top = network.partner_position(node)
    ordinal = int(network.order[top])
    target = int(result.rank[ordinal]) + 1
    if target >= len(plan.ranks):
        return None
    closure = network.downline([top])
    sub, nodes = network.subnetwork(closure)
    main_ordinal = network.order[closure]
    qualified = result.qualified[main_ordinal][sub.order]
    personal = personal_volumes(sub, volumes.subset(nodes))
    fp = exact_arithmetic(sub, leg_caps(plan))
    layout = Layout(
        open_volume=plan.breakaway_rank is not None,
        caps=tuple(fp.floor_constant(cap) for cap in leg_caps(plan)),
    )
    pv = fp.from_units(personal.pv, PERSONAL_PLACES)
    pbv = fp.from_units(personal.pbv, PERSONAL_PLACES)
    forced = result.rank[main_ordinal][sub.order]
    evaluator = RankEvaluator(plan, sub, fp, layout, personal, pv, qualified, forced=forced)
    state = sweep(sub, fp, layout, pv, pbv, np.zeros(sub.n_partners, bool), evaluator.decide)
    a = int(sub.position[np.searchsorted(closure, top)])
    rank = plan.ranks[target]
    requirements = []
    for key, (value, _, _) in evaluator.measures(slice(a, a + 1), state, target).items():
        if key == "min_legs":
            needed, actual = rank.min_legs.count, int(value[0])
        elif key == "min_pv":
            needed, actual = rank.min_pv, _decimal(int(value[0]), PERSONAL_PLACES)
        else:
            needed = getattr(rank, key)
            actual = _decimal(fp.to_fine(value[0][0], value[1][0]), fp.fine_digits)
        requirements.append(Requirement(key, needed, actual, actual >= needed))
    return NextRank(rank.code, bool(qualified[a]), requirements)
