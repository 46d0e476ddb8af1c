"""Paid-as ranks, layer by layer (spec section 3).

Terms
-----
requirement
    ``min_pv``, ``min_gv`` (capped per line by ``max_leg_share``), ``min_ov``, ``min_legs``.
    A rank *holds* for a partner when all its requirements do.
paid-as rank
    Of a qualified partner, the highest rank that holds (ranks are checked each on its
    own: a lower one need not hold); -1 (none) if no rank holds or not qualified.
sponsor subtree rank
    ``top(q)``: the highest paid-as rank in ``q``'s sponsorship subtree (``q`` and
    everyone below it by sponsor edges). ``p`` meets ``min_legs {count, rank}`` when at
    least ``count`` of its legs ``q`` have ``top(q) >= rank``. Carried up the sponsor
    edges like the walk sums, with ``max`` in place of ``+``.
ambiguous
    A partner whose rank the error bounds cannot decide (docs/engine.md): the engine asks
    the exact path (``resolve``) for it before the layer's messages go up.
rank override
    A paid-as rank the company sets for a period (Rangschutz, a compliance case). It
    replaces the calculated rank of a *qualified* partner before the layer's messages go
    up, so the upline sees it too (breakaways, legs, the rates met on walks).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .fixedpoint import FixedPoint
from .kernel import NO_OVERRIDE
from .money import ceil_units
from .network import Network, Status
from .plan import Plan
from .propagation import VOL, Layout, State, leg_caps
from .volumes import PERSONAL_PLACES, Personal

__all__ = ["NO_OVERRIDE", "RankEvaluator", "advancement_units", "qualified_positions"]



def qualified_positions(plan: Plan, network: Network, personal: Personal) -> np.ndarray:
    """``status == active and PV >= active_min_pv``, by position, exactly."""
    active = network.status[network.order] == Status.ACTIVE
    return active & (personal.pv >= ceil_units(plan.active_min_pv, PERSONAL_PLACES))


class RankEvaluator:
    """Decides the paid-as ranks of one layer at a time; keeps ``rank`` by position."""

    def __init__(
        self,
        plan: Plan,
        network: Network,
        fp: FixedPoint,
        layout: Layout,
        personal: Personal,
        pv: tuple[np.ndarray, np.ndarray],
        qualified: np.ndarray,
        resolve: Callable[[np.ndarray], np.ndarray] | None = None,
        forced: np.ndarray | None = None,
        override: np.ndarray | None = None,
    ):
        self.plan, self.network, self.fp, self.layout = plan, network, fp, layout
        self.personal, self.pv, self.qualified = personal, pv, qualified
        self.resolve = resolve
        self.forced = forced  # ranks by position, when they are known already
        self.override = override  # by position: a rank index, -1 (no rank), NO_OVERRIDE
        count = network.n_partners
        self.rank = np.full(count, -1, np.int64)  # paid-as
        self.calculated = self.rank  # what the requirements give (a copy once overridden)
        self.ambiguous = 0  # partners whose rank the exact path decided

        caps = leg_caps(plan)
        self.leg_ranks = sorted({r.min_legs.rank for r in plan.ranks if r.min_legs})
        self.top_below = np.full(count, -1, np.int64)  # top() of the sponsor subtrees below
        self.legs = np.zeros((count, len(self.leg_ranks)), np.int64)
        self.requirements = []
        for rank in plan.ranks:
            self.requirements.append(
                dict(
                    min_pv=None if rank.min_pv is None else ceil_units(rank.min_pv, PERSONAL_PLACES),
                    min_gv=None if rank.min_gv is None else fp.constant(rank.min_gv),
                    cap=None if rank.leg_cap is None else caps.index(rank.leg_cap),
                    min_ov=None if rank.min_ov is None else fp.constant(rank.min_ov),
                    legs=None
                    if rank.min_legs is None
                    else (self.leg_ranks.index(rank.min_legs.rank), rank.min_legs.count),
                )
            )
        self.rate_level = np.array(plan.rate_level_of_rank, np.int64)
        self.cap_error = np.zeros(count, np.int64)  # floor(cap) lost digits: 1 per edge
        if any(inexact for _, _, inexact in layout.caps):
            edges = network.edges
            self.cap_error = np.bincount(edges.parent, minlength=count).astype(np.int64)

    def decide(self, start: int, stop: int, state: State) -> tuple[np.ndarray, np.ndarray]:
        """Ranks of the positions ``start:stop`` (a complete layer); returns
        ``(breakaway, rate_level)`` for their messages."""
        if self.forced is not None:
            rank = self.forced[start:stop]
        else:
            rank = self._evaluate(start, stop, state)
        if self.override is not None:
            if self.calculated is self.rank:
                self.calculated = self.rank.copy()
            self.calculated[start:stop] = rank
            wanted = self.override[start:stop]
            rank = np.where((wanted != NO_OVERRIDE) & self.qualified[start:stop], wanted, rank)
        self.rank[start:stop] = rank
        self._push_legs(start, stop, rank)
        breakaway = np.zeros(stop - start, bool)
        if self.plan.breakaway_rank is not None:
            breakaway = rank >= self.plan.breakaway_rank
        return breakaway, self.rate_level[rank + 1]

    def measures(self, rows: slice, state: State, rank: int) -> dict:
        """What the requirements of ``rank`` compare, for the positions ``rows``.

        ``{requirement: (value, error, needed)}``: ``min_pv`` as exact integers at scale
        10^10, ``min_gv`` (capped when the rank has a leg cap) and ``min_ov`` as limbs with
        their error bound, ``min_legs`` as counts. The ranks and the next-rank report both
        read their figures from here.
        """
        fp, layout, need = self.fp, self.layout, self.requirements[rank]
        pv_hi, pv_lo = self.pv[0][rows], self.pv[1][rows]
        error = state.err[rows, VOL]
        found = {}
        if need["min_pv"] is not None:
            found["min_pv"] = (self.personal.pv[rows], None, need["min_pv"])
        if need["min_gv"] is not None:
            if need["cap"] is None:
                column = (state.hi[rows, layout.GV], state.lo[rows, layout.GV])
                found["min_gv"] = (fp.add(*column, pv_hi, pv_lo), error, need["min_gv"])
            else:
                column = (state.cap_hi[rows, need["cap"]], state.cap_lo[rows, need["cap"]])
                value = fp.add(*column, pv_hi, pv_lo)
                found["min_gv"] = (value, error + self.cap_error[rows], need["min_gv"])
        if need["min_ov"] is not None:
            column = layout.OV if layout.open_volume else layout.GV
            value = fp.add(state.hi[rows, column], state.lo[rows, column], pv_hi, pv_lo)
            found["min_ov"] = (value, error, need["min_ov"])
        if need["legs"] is not None:
            column, count = need["legs"]
            found["min_legs"] = (self.legs[rows, column], None, count)
        return found

    def _evaluate(self, start: int, stop: int, state: State) -> np.ndarray:
        rows = slice(start, stop)
        surely = np.ones((stop - start, len(self.requirements)), bool)
        possibly = np.ones_like(surely)
        for index in range(len(self.requirements)):
            for value, error, needed in self.measures(rows, state, index).values():
                if error is None:  # exact integers
                    sure = maybe = value >= needed
                else:
                    sure, maybe = self.fp.at_least(*value, error, *needed)
                surely[:, index] &= np.asarray(sure, bool)
                possibly[:, index] &= np.asarray(maybe, bool)
        qualified = self.qualified[rows]
        low = np.where(qualified, _highest(surely), -1)
        high = np.where(qualified, _highest(possibly), -1)
        unsure = np.flatnonzero(low != high)
        if unsure.size:
            low[unsure] = self.resolve(start + unsure)
            self.ambiguous += unsure.size
        return low

    def _push_legs(self, start: int, stop: int, rank: np.ndarray) -> None:
        """Send ``top()`` of the layer's partners up their sponsor edges."""
        if not self.leg_ranks:
            return
        top = np.maximum(rank, self.top_below[start:stop])
        sponsor = self.network.sponsor_position[start:stop]
        has = sponsor >= 0
        top, parent = top[has], sponsor[has]
        if parent.size == 0:
            return
        # sponsor positions come grouped within a layer
        starts = np.flatnonzero(np.concatenate([[True], parent[1:] != parent[:-1]]))
        parents = parent[starts]
        self.top_below[parents] = np.maximum(
            self.top_below[parents], np.maximum.reduceat(top, starts)
        )
        for column, leg_rank in enumerate(self.leg_ranks):
            self.legs[parents, column] += np.add.reduceat((top >= leg_rank).astype(np.int64), starts)


def _highest(holds: np.ndarray) -> np.ndarray:
    """Index of the last True per row, -1 where none."""
    if holds.shape[1] == 0:
        return np.full(holds.shape[0], -1, np.int64)
    last = holds.shape[1] - 1 - np.argmax(holds[:, ::-1], axis=1)
    return np.where(holds.any(axis=1), last, -1)


def advancement_units(plan: Plan, previous: np.ndarray, paid: np.ndarray) -> np.ndarray:
    """Advancement bonus in minor units: the sum of ``advancement_bonus`` of every rank above
    ``previous`` up to ``paid``, rounded once half up (indices, -1 for none)."""
    from .money import round_half_up_units

    places = plan.minor_digits
    bonus_places = max(
        [places] + [-rank.advancement_bonus.as_tuple().exponent for rank in plan.ranks]
    )
    cumulative = [0]
    for rank in plan.ranks:
        cumulative.append(cumulative[-1] + int(rank.advancement_bonus.scaleb(bonus_places)))
    count = len(plan.ranks) + 1
    table = np.zeros((count, count), np.int64)
    for before in range(count):
        for after in range(before + 1, count):
            table[before, after] = round_half_up_units(
                cumulative[after] - cumulative[before], bonus_places, places
            )
    return table[previous + 1, paid + 1]
