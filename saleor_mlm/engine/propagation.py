"""Per-node vectors carried up the topological order: the walk sums without the walks.

Terms
-----
state
    For every partner ``x`` a row of numbers summed over the walks that end in ``x``,
    from the partners below it (its own volume not included):

    ``GV, GBV``     ``sum w * GV(q)`` over the edges ``q -> x`` (likewise BV);
    ``OV, OBV``     the same without breakaway ``q`` (only with a breakaway rank);
    ``L[k]``        ``sum W * PBV(o)`` over walks ``o -> x`` with ``k`` qualified partners
                    strictly between ``o`` and ``x`` (every partner counts under
                    ``compression: none``), ``k < len(level_rates)``;
    ``D[j]``        ``sum W * PBV(o)`` over walks ``o -> x`` whose highest rate before ``x``
                    (``o`` included) is the ``j``-th distinct difference rate;
    ``G[g]``        ``sum W * OBV(b)`` over breakaways ``b`` and walks ``b -> x`` with ``g``
                    breakaways after ``b``, strictly before ``x``;
    ``cap[i]``      ``sum min(w * GV(q), cap_i)`` over the edges ``q -> x``, one column per
                    distinct leg cap of the plan (``min_gv`` with ``max_leg_share``).
message
    What ``x`` sends along each of its edges before the edge weight: ``GV(x)``,
    ``L`` shifted by one when ``x`` is qualified, plus ``PBV(x)`` at level 0, ``D``
    folded at ``x``'s rate plus ``PBV(x)`` there, and so on (docs/engine.md).
error group
    A set of columns whose absolute errors are bounded together: each scalar volume
    and each cap column is its own group; ``L``, ``D`` and ``G`` are one group each. The
    group bound is a bound on the *sum* of the errors of its columns, which shifting and
    folding columns never increases.

The sweep visits layers from the leaves up. For the partners of a layer the state is
complete: ``decide`` sets their ranks (which need the state), then their messages go
up their edges, multiplied by the weights, summed per parent by ``np.add.reduceat``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .fixedpoint import WEIGHT_SCALE, FixedPoint
from .network import Network
from .plan import Compression, Plan, to_units

__all__ = ["Layout", "State", "sweep"]


class Layout:
    """Columns of the state and their error groups, for a plan (or volumes only)."""

    def __init__(
        self,
        *,
        open_volume: bool = False,
        levels: int = 0,
        rate_levels: int = 0,
        generations: int = 0,
        caps: tuple[tuple[int, int, bool], ...] = (),
    ):
        self.GV, self.GBV = 0, 1
        self.open_volume = open_volume
        column = 2
        self.OV = self.OBV = None
        if open_volume:
            self.OV, self.OBV = 2, 3
            column = 4
        self.levels = levels
        self.L = slice(column, column + levels)
        column += levels
        self.rate_levels = rate_levels
        self.D = slice(column, column + rate_levels)
        column += rate_levels
        self.generations = generations
        self.G = slice(column, column + generations)
        column += generations
        self.caps = caps
        self.CAPS = slice(column, column + len(caps))
        self.width = column + len(caps)

        starts = [self.GV, self.GBV]
        if open_volume:
            starts += [self.OV, self.OBV]
        self.group_L = self.group_D = self.group_G = None
        for name, part in (("group_L", self.L), ("group_D", self.D), ("group_G", self.G)):
            if part.stop > part.start:
                setattr(self, name, len(starts))
                starts.append(part.start)
        self.group_caps = len(starts)
        starts += list(range(self.CAPS.start, self.CAPS.stop))
        self.group_starts = np.array(starts, np.int64)
        self.groups = len(starts)
        # error group of each volume column
        self.group_GV, self.group_GBV = 0, 1
        self.group_OV, self.group_OBV = (2, 3) if open_volume else (None, None)

    @classmethod
    def for_plan(cls, plan: Plan, fp: FixedPoint) -> Layout:
        """Only the columns the plan can pay on: vectors are cut at the deepest level."""
        depths = [rank.level_depth for rank in plan.ranks]
        levels = len(plan.level_rates)
        if None not in depths:
            levels = min(levels, max(depths, default=0))
        rates = rate_levels(plan)
        generations = 0
        if plan.breakaway_rank is not None and plan.generation_rates:
            paying = [r.generation_depth or 0 for r in plan.ranks[plan.breakaway_rank :]]
            generations = min(len(plan.generation_rates), max(paying, default=0))
        return cls(
            open_volume=plan.breakaway_rank is not None,
            levels=levels,
            rate_levels=len(rates) if len(rates) > 1 else 0,
            generations=generations,
            caps=tuple(fp.floor_constant(cap) for cap in leg_caps(plan)),
        )


def rate_levels(plan: Plan) -> list[int]:
    """The distinct difference rates in millionths, 0 first, increasing."""
    return sorted({0} | {to_units(rank.difference_rate, 6) for rank in plan.ranks})


def leg_caps(plan: Plan) -> list:
    """The distinct leg caps of the plan, in the order of the cap columns."""
    caps = []
    for rank in plan.ranks:
        if rank.leg_cap is not None and rank.leg_cap not in caps:
            caps.append(rank.leg_cap)
    return caps


class State:
    """Incoming walk sums per position: limbs ``hi``, ``lo`` and error bounds ``err``."""

    def __init__(self, fp: FixedPoint, layout: Layout, count: int):
        self.hi = fp.zeros((count, layout.width))
        self.lo = fp.zeros((count, layout.width))
        self.err = np.zeros((count, layout.groups), np.int64)


Decide = Callable[[int, int, State], tuple[np.ndarray, np.ndarray]]


def sweep(
    network: Network,
    fp: FixedPoint,
    layout: Layout,
    pv: tuple[np.ndarray, np.ndarray],
    pbv: tuple[np.ndarray, np.ndarray],
    shift: np.ndarray,
    decide: Decide | None = None,
    progress: Callable[[float], None] | None = None,
) -> State:
    """Carry the state up the layers.

    Parameters
    ----------
    pv, pbv : limbs of PV and PBV by position.
    shift : bool by position: the partner counts as a level for those above it
        (qualified under dynamic compression; everyone under ``compression: none``).
    decide : called as ``decide(start, stop, state)`` once the state of the positions
        ``start:stop`` (a layer) is complete; returns ``(breakaway, rate_level)`` for them.
    """
    state = State(fp, layout, network.n_partners)
    total = max(network.n_partners, 1)
    for h in range(network.n_layers):
        start, stop = int(network.layer_bounds[h]), int(network.layer_bounds[h + 1])
        if decide is not None:
            breakaway, rate_level = decide(start, stop, state)
        else:
            breakaway = np.zeros(stop - start, bool)
            rate_level = np.zeros(stop - start, np.int64)
        e0, e1 = int(network.edge_bounds[h]), int(network.edge_bounds[h + 1])
        if e1 > e0:
            message = _message(
                fp, layout, state, start, stop, pv, pbv, shift[start:stop], breakaway, rate_level
            )
            _push(fp, layout, network, state, message, start, e0, e1)
        if progress is not None:
            progress(stop / total)
    return state


def _message(fp, layout, state, start, stop, pv, pbv, shift, breakaway, rate_level):
    rows = slice(start, stop)
    hi, lo = state.hi[rows].copy(), state.lo[rows].copy()
    err = state.err[rows].copy()
    pv_hi, pv_lo = pv[0][rows], pv[1][rows]
    pbv_hi, pbv_lo = pbv[0][rows], pbv[1][rows]

    hi[:, layout.GV], lo[:, layout.GV] = fp.add(hi[:, layout.GV], lo[:, layout.GV], pv_hi, pv_lo)
    hi[:, layout.GBV], lo[:, layout.GBV] = fp.add(
        hi[:, layout.GBV], lo[:, layout.GBV], pbv_hi, pbv_lo
    )
    if layout.open_volume:
        obv = fp.add(hi[:, layout.OBV], lo[:, layout.OBV], pbv_hi, pbv_lo)
        obv_err = err[:, layout.group_OBV].copy()
        for column, group, own in ((layout.OV, layout.group_OV, (pv_hi, pv_lo)),
                                   (layout.OBV, layout.group_OBV, (pbv_hi, pbv_lo))):  # fmt: skip
            total = fp.add(hi[:, column], lo[:, column], *own)
            hi[:, column] = np.where(breakaway, 0, total[0])
            lo[:, column] = np.where(breakaway, 0, total[1])
            err[:, group] = np.where(breakaway, 0, err[:, group])

    if layout.levels:
        _shift_right(hi, lo, layout.L, shift)
        _add_at_column(fp, hi, lo, layout.L.start, pbv_hi, pbv_lo)

    if layout.rate_levels:
        _fold(fp, hi, lo, layout.D, rate_level)
        _add_at_column(fp, hi, lo, layout.D.start + rate_level, pbv_hi, pbv_lo)

    if layout.generations and breakaway.any():
        _shift_right(hi, lo, layout.G, breakaway)
        first = layout.G.start
        hi[breakaway, first], lo[breakaway, first] = obv[0][breakaway], obv[1][breakaway]
        err[breakaway, layout.group_G] += obv_err[breakaway]

    hi[:, layout.CAPS] = 0
    lo[:, layout.CAPS] = 0
    return hi, lo, err


def _shift_right(hi, lo, part: slice, rows: np.ndarray) -> None:
    """Move the columns of ``part`` one to the right in the given rows; the last drops."""
    if not rows.any():
        return
    for limb in (hi, lo):
        block = limb[rows, part]
        block[:, 1:] = block[:, :-1].copy()
        block[:, 0] = 0
        limb[rows, part] = block


def _add_at_column(fp, hi, lo, column, add_hi, add_lo) -> None:
    """``row[column[i]] += add[i]`` for every row ``i`` (``column`` scalar or per row)."""
    rows = np.arange(hi.shape[0])
    hi[rows, column], lo[rows, column] = fp.add(hi[rows, column], lo[rows, column], add_hi, add_lo)


def _fold(fp, hi, lo, part: slice, rate_level: np.ndarray) -> None:
    """``D[max(j, r)] += D[j]``: columns below the row's rate level move onto it."""
    width = part.stop - part.start
    level = rate_level[:, None]
    column = np.arange(width)[None, :]
    folded = []
    for limb in (hi, lo):
        block = limb[:, part]
        at_level = np.take_along_axis(np.cumsum(block, axis=1), level, axis=1)
        folded.append(np.where(column > level, block, np.where(column == level, at_level, 0)))
    hi[:, part], lo[:, part] = fp.normalize(*folded)


def _push(fp, layout, network, state, message, start, e0, e1) -> None:
    """Send the messages of a layer along its edges, weighted, summed per parent."""
    m_hi, m_lo, m_err = message
    child = network.edge_child[e0:e1] - start
    parent = network.edge_parent[e0:e1]
    weight = network.edge_weight[e0:e1]
    hi, lo, err = m_hi[child], m_lo[child], m_err[child]

    split = np.flatnonzero(weight != WEIGHT_SCALE)
    if split.size:
        w = weight[split, None]
        s_hi, s_lo, inexact = fp.mul(hi[split], lo[split], w)
        hi[split], lo[split] = s_hi, s_lo
        counts = np.add.reduceat(inexact.astype(np.int64), layout.group_starts, axis=1)
        err[split] = fp.mul_error(err[split], w) + counts

    for index, (cap_hi, cap_lo, cap_inexact) in enumerate(layout.caps):
        column = layout.CAPS.start + index
        hi[:, column], lo[:, column] = fp.minimum(hi[:, layout.GV], lo[:, layout.GV], cap_hi, cap_lo)
        err[:, layout.group_caps + index] = err[:, layout.group_GV] + int(cap_inexact)

    boundaries = np.flatnonzero(parent[1:] != parent[:-1]) + 1
    if boundaries.size + 1 < parent.size:
        starts = np.concatenate([[0], boundaries])
        parent = parent[starts]
        hi = np.add.reduceat(hi, starts, axis=0)
        lo = np.add.reduceat(lo, starts, axis=0)
        err = np.add.reduceat(err, starts, axis=0)
    state.hi[parent], state.lo[parent] = fp.normalize(state.hi[parent] + hi, state.lo[parent] + lo)
    state.err[parent] += err
