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
                    distinct leg cap of the plan (``min_gv`` with ``max_leg_share``), kept
                    apart from the rest because it is made at the edge, not sent up.
message
    What ``x`` sends along each of its edges before the edge weight: ``GV(x)``, ``L``
    shifted by one when ``x`` counts as a level, plus ``PBV(x)`` at level 0, ``D``
    folded at ``x``'s rate plus ``PBV(x)`` there, ``G`` shifted with ``OBV(x)`` at 0 when
    ``x`` is a breakaway, nothing of ``OV`` from a breakaway.
error group
    Columns whose errors are bounded together (one ``err`` column each): ``VOL`` bounds
    the error of *each* of GV, GBV, OV, OBV (and, with the caps' own rounding, of each
    cap column); ``L``, ``D`` and ``G`` bound the *sum* of the errors of their columns,
    which shifting and folding never increase.

The sweep visits layers from the leaves up. For the partners of a layer the state is
complete: ``decide`` sets their ranks (which need the state); then, block by block, their
messages go up the edges, multiplied by the weights, and are summed per parent with
``np.add.reduceat``: the sponsor edges of consecutive positions are already grouped by
parent in increasing order (``Network`` sorts each layer by sponsor position), the care
edges are gathered.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .fixedpoint import WEIGHT_SCALE, FixedPoint
from .network import Network
from .plan import Plan

__all__ = ["Layout", "State", "fold", "fold_prefix", "leg_caps", "pass_through", "shift_right", "sweep"]

VOL, GROUP_L, GROUP_D, GROUP_G = range(4)  # error groups


class Layout:
    """Columns of the state for a plan (or for volumes only)."""

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
        self.OV, self.OBV = (2, 3) if open_volume else (None, None)
        column = 4 if open_volume else 2
        self.volume_columns = column
        self.levels = levels
        self.L = slice(column, column + levels)
        self.rate_levels = rate_levels
        self.D = slice(self.L.stop, self.L.stop + rate_levels)
        self.generations = generations
        self.G = slice(self.D.stop, self.D.stop + generations)
        self.width = self.G.stop
        self.caps = caps  # (hi, lo, inexact) of each cap: floor(cap) and whether it lost digits

    @classmethod
    def for_plan(cls, plan: Plan, fp: FixedPoint | None = None) -> Layout:
        """Only the columns the plan can pay on: vectors are cut at the deepest level.
        The cap constants are ``fp``'s (none without it)."""
        depths = [rank.level_depth for rank in plan.ranks]
        levels = len(plan.level_rates)
        if None not in depths:
            levels = min(levels, max(depths, default=0))
        rates = plan.rate_levels
        generations = 0
        if plan.breakaway_rank is not None and plan.generation_rates:
            paying = [r.generation_depth or 0 for r in plan.ranks[plan.breakaway_rank :]]
            generations = min(len(plan.generation_rates), max(paying, default=0))
        return cls(
            open_volume=plan.breakaway_rank is not None,
            levels=levels,
            rate_levels=len(rates) if len(rates) > 1 else 0,
            generations=generations,
            caps=() if fp is None else tuple(fp.floor_constant(cap) for cap in leg_caps(plan)),
        )

    def inexact_counts(self, inexact: np.ndarray) -> np.ndarray:
        """Error-bound increments of the rows of a multiplication (see *error group*)."""
        counts = np.zeros((inexact.shape[0], 4), np.int64)
        counts[:, VOL] = inexact[:, : self.volume_columns].any(axis=1)
        for group, part in ((GROUP_L, self.L), (GROUP_D, self.D), (GROUP_G, self.G)):
            if part.stop > part.start:
                counts[:, group] = inexact[:, part].sum(axis=1)
        return counts


def leg_caps(plan: Plan) -> list:
    """The distinct leg caps of the plan, in the order of the cap columns."""
    caps = []
    for rank in plan.ranks:
        if rank.leg_cap is not None and rank.leg_cap not in caps:
            caps.append(rank.leg_cap)
    return caps


class State:
    """Incoming walk sums per position: limbs ``hi``, ``lo`` (``lo`` not normalized until
    the partner's layer is reached), the cap columns, and error bounds ``err``."""

    def __init__(self, fp: FixedPoint, layout: Layout, count: int):
        self.hi = fp.zeros((count, layout.width))
        self.lo = fp.zeros((count, layout.width))
        self.cap_hi = fp.zeros((count, len(layout.caps)))
        self.cap_lo = fp.zeros((count, len(layout.caps)))
        self.err = np.zeros((count, 4), np.int64)


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
    blocks = network.block_bounds
    for h in range(network.n_layers):
        start, stop = int(network.layer_bounds[h]), int(network.layer_bounds[h + 1])
        if decide is not None:
            breakaway, rate_level = decide(start, stop, state)
        else:
            breakaway = np.zeros(stop - start, bool)
            rate_level = np.zeros(stop - start, np.int64)
        first, last = np.searchsorted(blocks, [start, stop])
        for block in range(first, last):
            r0, r1 = int(blocks[block]), int(blocks[block + 1])
            rows = slice(r0 - start, r1 - start)
            message = _message(
                fp, layout, state, r0, r1, pv, pbv, shift[r0:r1], breakaway[rows], rate_level[rows]
            )
            c0, c1 = int(network.care_bounds[block]), int(network.care_bounds[block + 1])
            if c1 > c0:
                _push_care(fp, layout, network, state, message, r0, c0, c1)
            _push_sponsor(fp, layout, network, state, message, r0, r1)
        if progress is not None:
            progress(stop / total)
    return state


def _message(fp, layout, state, r0, r1, pv, pbv, shift, breakaway, rate_level):
    """Messages of the positions ``r0:r1`` (normalizes their state on the way)."""
    hi, lo = state.hi[r0:r1], state.lo[r0:r1]
    carry, lo[...] = fp.divmod(lo, fp.base)
    hi += carry
    hi, lo = hi.copy(), lo.copy()
    err = state.err[r0:r1].copy()
    pv_hi, pv_lo = pv[0][r0:r1], pv[1][r0:r1]
    pbv_hi, pbv_lo = pbv[0][r0:r1], pbv[1][r0:r1]

    # lo stays below a few times 10^T here: fine for the multiplications that follow
    if layout.open_volume:
        obv_hi = hi[:, layout.OBV] + pbv_hi
        obv_lo = lo[:, layout.OBV] + pbv_lo
        for column, own_hi, own_lo in ((layout.OV, pv_hi, pv_lo), (layout.OBV, pbv_hi, pbv_lo)):
            hi[:, column] = np.where(breakaway, 0, hi[:, column] + own_hi)
            lo[:, column] = np.where(breakaway, 0, lo[:, column] + own_lo)
    hi[:, layout.GV] += pv_hi
    lo[:, layout.GV] += pv_lo
    hi[:, layout.GBV] += pbv_hi
    lo[:, layout.GBV] += pbv_lo

    for limb in (hi, lo):
        pass_through(limb, layout, shift, rate_level, breakaway)
    if layout.levels:
        hi[:, layout.L.start] += pbv_hi
        lo[:, layout.L.start] += pbv_lo
    if layout.rate_levels:
        rows = np.arange(r1 - r0)
        hi[rows, layout.D.start + rate_level] += pbv_hi
        lo[rows, layout.D.start + rate_level] += pbv_lo
    if layout.generations and breakaway.any():
        first = layout.G.start  # 0 after the shift
        hi[breakaway, first], lo[breakaway, first] = obv_hi[breakaway], obv_lo[breakaway]
        err[breakaway, GROUP_G] += err[breakaway, VOL]
    return hi, lo, err


# ---------------------------------------------------------------------- passing a partner
# What a partner does to the walks through it is one linear map, the same for the walk
# sums carried up (messages, here and compiled in ``kernel``) and for the walk weights
# carried down from a partner (``explain``, ``opening``): the level vector moves one
# level where the partner counts as a level, the difference vector folds at the
# partner's rate level, the generation vector moves one generation at a breakaway.


def pass_through(vectors, layout: Layout, shift, rate_level, breakaway) -> None:
    """Apply the map of the partners of the rows (in place, on one limb or on exact
    weights): ``shift``, ``breakaway`` masks and ``rate_level`` per row."""
    if layout.levels:
        shift_right(vectors, layout.L, shift)
    if layout.rate_levels:
        fold(vectors, layout.D, rate_level)
    if layout.generations:
        shift_right(vectors, layout.G, breakaway)


def shift_right(vectors, part: slice, rows: np.ndarray) -> None:
    """Move the columns of ``part`` one to the right in the rows of the mask ``rows``; the
    last drops, the first becomes 0."""
    if part.stop == part.start or not rows.any():
        return
    block = vectors[:, part]
    shifted = np.zeros_like(block)
    shifted[:, 1:] = block[:, :-1]
    vectors[:, part] = np.where(rows[:, None], shifted, block)


def fold(vectors, part: slice, rate_level: np.ndarray) -> None:
    """``D[max(j, r)] += D[j]``: columns below the row's rate level ``r`` move onto it."""
    width = part.stop - part.start
    level = rate_level[:, None]
    column = np.arange(width)[None, :]
    block = vectors[:, part]
    at_level = np.take_along_axis(np.cumsum(block, axis=1), level, axis=1)
    vectors[:, part] = np.where(column > level, block, np.where(column == level, at_level, 0))


def fold_prefix(vectors, part: slice, rate_level: np.ndarray) -> None:
    """``fold`` on prefix sums (column ``j`` holding ``D[0] + ... + D[j]``): the fold
    leaves ``D[0..r]``'s sum at ``r`` and the columns above unchanged, so on prefix sums it
    only clears the columns below ``r`` (``opening`` keeps its rate columns so)."""
    column = np.arange(part.stop - part.start)[None, :]
    vectors[:, part] *= column >= rate_level[:, None]


def _push_care(fp, layout, network, state, message, r0, c0, c1) -> None:
    """The care edges of a block: gather, weigh, sum per parent."""
    m_hi, m_lo, m_err = message
    child = network.care_child[c0:c1] - r0
    weight = network.care_weight[c0:c1, None]
    hi, lo, inexact = fp.mul(m_hi[child], m_lo[child], weight)
    err = fp.mul_error(m_err[child], weight) + layout.inexact_counts(inexact)
    _accumulate(fp, layout, state, network.care_parent[c0:c1], hi, lo, err)


def _push_sponsor(fp, layout, network, state, message, r0, r1) -> None:
    """The sponsor edges of a block: already grouped by parent; the split ones weighed in
    a copy, so the message stays as it was for the care edges, whichever goes first."""
    sponsor = network.sponsor_position[r0:r1]
    roots = int(np.count_nonzero(sponsor < 0))  # partners without sponsor come first
    if roots == r1 - r0:
        return
    m_hi, m_lo, m_err = message
    hi, lo, err = m_hi[roots:], m_lo[roots:], m_err[roots:]
    weight = network.sponsor_weight[r0 + roots : r1]
    split = np.flatnonzero(weight != WEIGHT_SCALE)
    if split.size:
        hi, lo, err = hi.copy(), lo.copy(), err.copy()
        w = weight[split, None]
        hi[split], lo[split], inexact = fp.mul(hi[split], lo[split], w)
        err[split] = fp.mul_error(err[split], w) + layout.inexact_counts(inexact)
    _accumulate(fp, layout, state, sponsor[roots:], hi, lo, err)


def _accumulate(fp, layout, state, parent, hi, lo, err) -> None:
    """Add weighted messages (grouped by parent) into the parents' state."""
    caps = None
    if layout.caps:
        c_hi = np.array([c[0] for c in layout.caps], dtype=fp.dtype)[None, :]
        c_lo = np.array([c[1] for c in layout.caps], dtype=fp.dtype)[None, :]
        gv_hi, gv_lo = hi[:, layout.GV, None], lo[:, layout.GV, None]
        below = fp.less(gv_hi, gv_lo, c_hi, c_lo)
        caps = (np.where(below, gv_hi, c_hi), np.where(below, gv_lo, c_lo))
    starts = np.flatnonzero(np.concatenate([[True], parent[1:] != parent[:-1]]))
    if starts.size < parent.size:
        hi = np.add.reduceat(hi, starts, axis=0)
        lo = np.add.reduceat(lo, starts, axis=0)
        err = np.add.reduceat(err, starts, axis=0)
        if caps is not None:
            caps = tuple(np.add.reduceat(limb, starts, axis=0) for limb in caps)
    parent = parent[starts]
    state.hi[parent] += hi
    state.lo[parent] += lo
    state.err[parent] += err
    if caps is not None:
        state.cap_hi[parent] += caps[0]
        state.cap_lo[parent] += caps[1]
