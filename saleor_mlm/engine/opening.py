"""A statement's opening: every line of one partner as keys, and their totals per group,
vectorized on integer arrays (spec section 4, the walks of ``explain``).

Terms
-----
line key
    ``(kind, source, level, rate)`` of one statement line of ``explain``: the bonus, the
    source partner (an ordinal) or customer (a row), the level or generation (0 for
    none) and the rate in millionths (for the difference bonus: the rate that applies).
    The exact ``Decimal`` line comes from ``explain`` itself, only for the lines asked for.
group
    The lines of one bonus at one level (level bonus), generation (generation bonus) or
    rate (difference bonus; customer and advancement bonus: one group each): how many,
    their volume and their amount.
walk weight
    As in ``explain``, carried *down* from the partner, here as ``int64`` at scale
    ``10^18`` (a weight is at most 1). A walk with more than three Betreuer splits needs
    more digits than that: a multiplication then rounds down and counts into a per-node
    error bound (sum over the columns, in units of ``10^-18``), as the engine's fast
    arithmetic does (docs/engine.md). Only the columns that can still pay are carried
    (levels within the partner's depth, rates below its own, generations within its
    depth): a node whose columns are all zero passes nothing on, so the work follows the
    part of the downline that pays the partner.
exact sum
    A group's volume is the exact sum of the rounded-down weights times the exact base
    volumes (``int64`` limbs multiplied and summed without overflow, then joined as
    Python integers), with the error bound of the weights: ``Sum.decimal`` rounds it and
    says when the bound leaves the rounding undecided.

Nothing here imports Django: it works on the arrays a run stores.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from .fixedpoint import WEIGHT_SCALE
from .money import round_half_up_units
from .ordering import layers, split_edges
from .plan import Compression, Plan, to_units
from .propagation import fold_prefix, shift_right

__all__ = ["BONUS_CODES", "Group", "Opening", "StatementNetwork", "Sum"]

BONUS_CODES = ("customer", "level", "difference", "generation", "advancement")
CUSTOMER, LEVEL, DIFFERENCE, GENERATION, ADVANCEMENT = range(5)

ONE = 10**18  # a walk weight of 1
WEIGHT_PLACES = 18
PERSONAL_PLACES = 10  # volumes at 10^4 times weights in millionths (volumes.PERSONAL_PLACES)
_LIMB = 10**6  # int64 products of two limbs summed over up to 9 million lines stay exact


@dataclass(frozen=True)
class Sum:
    """An exact integer at ``10^-places`` give or take ``error`` of the same units."""

    units: int
    error: int
    places: int

    def __add__(self, other: Sum) -> Sum:
        places = max(self.places, other.places)
        a, b = 10 ** (places - self.places), 10 ** (places - other.places)
        return Sum(self.units * a + other.units * b, self.error * a + other.error * b, places)

    def times(self, rate_units: int) -> Sum:
        """Times a rate in millionths."""
        return Sum(self.units * rate_units, self.error * abs(rate_units), self.places + 6)

    def decimal(self, places: int, *, cents: int | None = None) -> Decimal | None:
        """Rounded half up to ``places``; None when the error bound leaves that undecided.

        With ``cents``, also None when rounding the result to ``cents`` places could give
        another figure than rounding the exact value (double rounding)."""
        low, high = self.units - self.error, self.units + self.error
        rounded = {_round(value, self.places, places) for value in (low, high)}
        if len(rounded) != 1:
            return None
        (result,) = rounded
        if cents is not None and self.error:
            direct = {_round(value, self.places, cents) for value in (low, high)}
            if direct != {_round(int(result.scaleb(places)), places, cents)}:
                return None
        return result


def _round(units: int, scale: int, places: int) -> Decimal:
    return Decimal(round_half_up_units(units, scale, places)).scaleb(-places)


@dataclass(frozen=True)
class Group:
    kind: str
    level: int | None  # level or generation
    rate: int | None  # millionths (None for advancement)
    count: int
    volume: Sum | None  # None for advancement
    amount: Sum


@dataclass(frozen=True)
class Opening:
    """Every line of one partner as keys, and the group totals.

    The keys are held by group (``keys``: bonus, level, rate of each group, ``counts``
    lines each) and source; ``rows`` gives them in statement order: amount (as
    ``float64``, for the order only) descending, then as held. Deterministic for a run
    and a partner.
    """

    groups: tuple[Group, ...]
    keys: np.ndarray  # (groups, 3): index into BONUS_CODES, level (0: none), rate in millionths
    counts: np.ndarray  # lines per group
    source: np.ndarray  # partner ordinal; customer row for customer lines
    amount: np.ndarray  # float64, for the order only
    paying: np.ndarray  # bool per partner ordinal: some walk from it to the partner pays
    _orders: dict = field(default_factory=dict, compare=False, repr=False)

    def __len__(self) -> int:
        return int(self.source.size)

    def _column(self, index: int) -> np.ndarray:
        found = self._orders.get(("column", index))
        if found is None:
            found = self._orders[("column", index)] = np.repeat(self.keys[:, index], self.counts)
        return found

    @property
    def kind(self) -> np.ndarray:
        return self._column(0).astype(np.int8)

    @property
    def level(self) -> np.ndarray:
        return self._column(1)

    @property
    def rate(self) -> np.ndarray:
        return self._column(2)

    def rows(self, start: int, stop: int, kind: str | None = None) -> np.ndarray:
        """Positions of the lines ``start`` to ``stop`` in statement order (of one bonus
        with ``kind``). The first pages select before they sort: a million lines are
        not sorted to show twenty."""
        if kind is None:
            candidates = np.arange(len(self))
        else:
            ends = np.cumsum(self.counts)
            chosen = np.flatnonzero(self.keys[:, 0] == BONUS_CODES.index(kind))
            candidates = np.concatenate([np.arange(ends[g] - self.counts[g], ends[g]) for g in chosen.tolist()] or [np.zeros(0, np.int64)])
        stop = min(stop, candidates.size)
        if start >= stop:
            return np.zeros(0, np.int64)
        order = self._orders.get(kind)
        if order is None and stop * 8 < candidates.size:
            values = -self.amount[candidates]
            threshold = np.partition(values, stop - 1)[stop - 1]
            chosen = np.flatnonzero(values <= threshold)  # ties at the threshold included
            order = candidates[chosen[np.lexsort((chosen, values[chosen]))]]
            return order[start:stop]
        if order is None:
            order = self._orders[kind] = candidates[np.lexsort((candidates, -self.amount[candidates]))]
        return order[start:stop]


def _dot(weights: np.ndarray, base: np.ndarray) -> int:
    """``sum(weights * base)`` exactly, for ``0 <= weights <= 10^18`` and ``|base| < 10^18``."""
    if weights.size == 0:
        return 0
    w = [weights % _LIMB, weights // _LIMB % _LIMB, weights // _LIMB**2]
    b = [base % _LIMB, base // _LIMB % _LIMB, base // _LIMB**2]  # floor: only the top limb is negative
    total = 0
    for step in range(0, weights.size, 8_000_000):
        part = slice(step, step + 8_000_000)
        for i in range(3):
            for j in range(3):
                total += int(np.dot(w[i][part], b[j][part])) * _LIMB ** (i + j)
    return total


def _bound(error: np.ndarray, base: np.ndarray, weights: np.ndarray, base_error: np.ndarray | None) -> int:
    """A bound of ``sum(|error * base| + weights * base_error + error * base_error)``."""
    total = float(np.dot(error.astype(np.float64), np.abs(base).astype(np.float64)))
    if base_error is not None:
        e = base_error.astype(np.float64)
        total += float(np.dot(weights.astype(np.float64), e)) + float(np.dot(error.astype(np.float64), e))
    return 0 if total == 0 else int(total * (1 + 1e-9)) + 1


class StatementNetwork:
    """The network of one run, prepared once for the openings of many partners.

    Parameters are the run's arrays by partner ordinal (``sponsor``, ``care``: ordinals,
    -1 for none; ``share``: the Betreuer's share in millionths; ``own_bv`` at ``10^4``),
    the same for customers, and the run's ranks (``-1``: none), qualification and career
    ranks before the period.
    """

    def __init__(self, plan: Plan, *, sponsor, care, share, own_bv, customer_sponsor, customer_care, customer_share, customer_bv, rank, qualified, previous_career):
        self.plan = plan
        self._lock = threading.Lock()
        self._scratch = self._scratch_error = None
        n = self.n = int(np.asarray(sponsor).size)
        child, parent, weight, is_care = _edges(np.asarray(sponsor, np.int64), np.asarray(care, np.int64), np.asarray(share, np.int64), np.arange(n))
        keep = weight > 0  # an edge of weight 0 carries no walk
        child, parent, weight, is_care = child[keep], parent[keep], weight[keep], is_care[keep]
        height = _layers(n, child, parent, is_care)
        # Partners are numbered by position here: by height, highest first, and within a
        # height by the position of the sponsor, as the engine's Network does. The sponsor
        # edges of a height then name a run of consecutive children with their parents in
        # increasing order: walks pass down with slices and nearly sequential gathers.
        position = _positions(n, height, child[~is_care], parent[~is_care])
        self.position, self.ordinal_of = position, np.argsort(position)
        child, parent = position[child], position[parent]
        height = height[self.ordinal_of]
        # Parents before children: by the child's height, highest first; sponsor edges of a
        # height before its care edges, so each part names every child once.
        order = np.lexsort((child, is_care, -height[child]))
        self.child, self.parent, self.weight = child[order], parent[order], weight[order]
        self.is_care = is_care[order]
        self.height = height
        key = height[self.child] * 2 + self.is_care
        cuts = np.flatnonzero(np.diff(key)) + 1
        self.parts = []  # (start, stop, first child when the children are consecutive, else -1)
        for start, stop in zip(np.concatenate([[0], cuts]).tolist(), np.concatenate([cuts, [key.size]]).tolist()):
            first, last = int(self.child[start]), int(self.child[stop - 1])
            self.parts.append((start, stop, first if last - first == stop - start - 1 else -1))
        self.part_height = height[self.child[[start for start, _, _ in self.parts]]] if self.parts else np.zeros(0, np.int64)

        customers = np.arange(np.asarray(customer_sponsor).size)
        c_child, c_parent, c_weight, _ = _edges(np.asarray(customer_sponsor, np.int64), np.asarray(customer_care, np.int64), np.asarray(customer_share, np.int64), customers)
        by_parent = np.argsort(c_parent, kind="stable")
        self.customer_row, self.customer_weight = c_child[by_parent], c_weight[by_parent]
        self.customer_pointer = np.searchsorted(c_parent[by_parent], np.arange(n + 1))
        customer_bv = np.asarray(customer_bv, np.int64)
        self.customer_volume = customer_bv[self.customer_row] * self.customer_weight  # 10^10, by edge
        pbv = np.asarray(own_bv, np.int64) * WEIGHT_SCALE
        np.add.at(pbv, c_parent, customer_bv[c_child] * c_weight)

        # By ordinal: what the partner of an opening is asked about.
        self.rank = np.asarray(rank, np.int64)
        self.qualified = np.asarray(qualified, bool)
        self.previous_career = np.asarray(previous_career, np.int64)
        self.distinct = plan.rate_levels
        self.rate_of_rank = np.array(plan.difference_rates, np.int64)
        breakaway = self.rank >= plan.breakaway_rank if plan.breakaway_rank is not None else np.zeros(n, bool)
        self.breakaway = breakaway  # by ordinal
        # By position: what walks pass through.
        by_position = self.ordinal_of
        self.pbv = pbv[by_position]
        self.rate_level = np.array(plan.rate_level_of_rank, np.int64)[self.rank + 1][by_position]
        self.shift = (self.qualified if plan.compression == Compression.DYNAMIC else np.ones(n, bool))[by_position]
        self.passes_breakaway = breakaway[by_position]
        self.obv, self.obv_error, self.obv_places = self._open_bv()

    def _open_bv(self) -> tuple[np.ndarray, np.ndarray, int]:
        """OBV of every partner at ``10^-places`` (rounded down, with an error bound), and
        exactly for the breakaways (``obv_exact``: ordinal to a Python integer at
        ``10^-obv_exact_places``; a page of generation lines shows it; computed once
        instead of once per breakaway's open group)."""
        places = PERSONAL_PLACES
        self.obv_exact, self.obv_exact_places = {}, PERSONAL_PLACES
        if self.plan.breakaway_rank is None:
            return np.zeros(self.n, np.int64), np.zeros(self.n, np.int64), places
        # Enough places that every product of a walk's weights stays exact.
        hops = np.zeros(self.n, np.int64)
        for start, stop, _ in reversed(self.parts):  # children before parents
            child, parent = self.child[start:stop], self.parent[start:stop]
            np.maximum.at(hops, parent, hops[child] + (self.weight[start:stop] != WEIGHT_SCALE))
        extra = 6 * int(hops.max(initial=0))
        exact = self.pbv.astype(object) * 10**extra
        for start, stop, _ in reversed(self.parts):
            child, parent, weight = self.child[start:stop], self.parent[start:stop], self.weight[start:stop]
            open_ = ~self.passes_breakaway[child]
            child, parent, weight = child[open_], parent[open_], weight[open_]
            np.add.at(exact, parent, exact[child] * weight.astype(object) // WEIGHT_SCALE)
        # Kept for the breakaways only (the generation bonus's sources), by ordinal: a
        # Python integer per partner would be a hundred megabytes for a million.
        breakaways = np.flatnonzero(self.breakaway)
        self.obv_exact = dict(zip(breakaways.tolist(), exact[self.position[breakaways]].tolist()))
        self.obv_exact_places = PERSONAL_PLACES + extra
        # In int64 for the sums of the opening: the open volume of a partner is at most
        # the network's BV; fewer places if that could overflow.
        while places and float(np.abs(self.pbv).sum()) * 10.0 ** (places - PERSONAL_PLACES) > 4e18:
            places -= 1
        cut = 10 ** (self.obv_exact_places - places)
        obv = np.array([value // cut for value in exact.tolist()], np.int64)
        error = np.array([value % cut != 0 for value in exact.tolist()], np.int64)
        return obv, error, places

    # ------------------------------------------------------------------ one partner

    def opening(self, a: int) -> Opening:
        """The opening of the partner with ordinal ``a`` (see the module doc)."""
        with self._lock:  # one opening at a time: they share the scratch arrays
            return self._opening_of(a)

    def _opening_of(self, a: int) -> Opening:
        plan = self.plan
        lines: list[tuple] = []  # (kind, source, level, rate, amount) arrays
        groups: list[Group] = []
        paying = np.zeros(self.n, bool)  # by position
        paying[self.position[a]] = True
        if not self.qualified[a]:
            return _opening(groups, lines, paying[self.position])
        self._customer_lines(a, lines, groups)
        a_rank = int(self.rank[a])
        if a_rank >= 0:
            self._walk_lines(int(self.position[a]), a_rank, lines, groups, paying)
            previous = int(self.previous_career[a])
            bonuses = [plan.ranks[i].advancement_bonus for i in range(previous + 1, a_rank + 1) if plan.ranks[i].advancement_bonus]
            if bonuses:
                lines.append((ADVANCEMENT, 0, 0, np.full(len(bonuses), a), np.array([float(b) for b in bonuses])))
                total = sum(bonuses, Decimal(0))
                places = max(0, -total.as_tuple().exponent)
                groups.append(Group("advancement", None, None, len(bonuses), None, Sum(int(total.scaleb(places)), 0, places)))
        return _opening(groups, lines, paying[self.position])

    def _customer_lines(self, a, lines, groups) -> None:
        rate = to_units(self.plan.customer_rate, 6)
        start, stop = int(self.customer_pointer[a]), int(self.customer_pointer[a + 1])
        volume = self.customer_volume[start:stop]
        rows = self.customer_row[start:stop][volume != 0]
        volume = volume[volume != 0]
        if rate and volume.size:
            lines.append((CUSTOMER, 0, rate, rows, volume * (rate / 10.0**16)))
            total = Sum(sum(volume.tolist()), 0, PERSONAL_PLACES)
            groups.append(Group("customer", None, rate, int(rows.size), total, total.times(rate)))

    def _walk_lines(self, a, a_rank, lines, groups, paying) -> None:
        """Lines of the partner at position ``a`` (``paying``: by position)."""
        plan, rank_data = self.plan, self.plan.ranks[a_rank]
        levels = len(plan.level_rates)
        depth = min(levels, levels if rank_data.level_depth is None else rank_data.level_depth)
        own = int(self.rate_of_rank[a_rank + 1])
        rates = sum(1 for rate in self.distinct if rate < own)  # columns that can still pay
        generation_depth = min(len(plan.generation_rates), rank_data.generation_depth or 0) if plan.breakaway_rank is not None else 0
        f, error = self._weights(a, depth, rates, generation_depth, paying)
        others = np.flatnonzero(paying)
        others = others[others != a]
        rows = f[others - a]  # one gather of whole rows: cheaper than one per column
        e = error[others - a]
        f[others - a], f[0], error[others - a] = 0, 0, 0  # the scratch rows, clean for the next
        pbv = self.pbv[others]
        has_pbv = pbv != 0
        exact = not e.any()
        for k in range(depth):
            rate = to_units(plan.level_rates[k], 6)
            w = rows[:, k]
            at = np.flatnonzero((w > 0) & has_pbv) if rate else np.zeros(0, np.int64)
            self._group(LEVEL, k + 1, rate, others[at], w[at], e[at], pbv[at], None, PERSONAL_PLACES, lines, groups, 0 if exact else None)
        # Difference: one line per source and rate that applies. The columns hold prefix
        # sums over the rate levels (see _weights): a source at rate level `lo` earns the
        # partner `own - rate(source)` on the walks whose highest rate is at most its own
        # (column `lo`), and `own - rate j` on those whose highest rate is j > lo.
        source_level = self.rate_level[others]
        previous = None
        for j in range(rates):
            column = rows[:, depth + j]
            value = own - int(self.distinct[j])
            weight = np.where(source_level == j, column, 0) if previous is None else np.where(source_level == j, column, np.where(source_level < j, column - previous, 0))
            previous = column
            at = np.flatnonzero((weight > 0) & has_pbv)
            # The prefix sums' bounds add up twice into a difference of two columns.
            sources, weight, err, base = others[at], weight[at], 2 * e[at], pbv[at]
            if j == 0 and self.pbv[a]:  # the partner's own PBV, the empty walk
                sources, weight = np.append(sources, a), np.append(weight, ONE)
                err, base = np.append(err, 0), np.append(base, self.pbv[a])
            self._group(DIFFERENCE, 0, value, sources, weight, err, base, None, PERSONAL_PLACES, lines, groups, 0 if exact else None)
        if rates == 0 and own and self.pbv[a]:
            self._group(DIFFERENCE, 0, own, np.array([a]), np.array([ONE]), np.zeros(1, np.int64), self.pbv[[a]], None, PERSONAL_PLACES, lines, groups)
        breakaway = self.passes_breakaway[others] & (self.obv[others] != 0)
        for g in range(generation_depth):
            rate = to_units(plan.generation_rates[g], 6)
            w = rows[:, depth + rates + g]
            at = np.flatnonzero(breakaway & (w > 0)) if rate else np.zeros(0, np.int64)
            source = others[at]
            self._group(GENERATION, g + 1, rate, source, w[at], e[at], self.obv[source], self.obv_error[source], self.obv_places, lines, groups)

    def _group(self, kind, level, rate, sources, weight, error, base, base_error, places, lines, groups, bound=None) -> None:
        if sources.size == 0:
            return
        amount = weight / float(ONE) * (base / 10.0**places) * (rate / 1e6)
        lines.append((kind, level, rate, self.ordinal_of[sources], amount))
        if bound is None:
            bound = _bound(error, base, weight, base_error)
        volume = Sum(_dot(weight, base), bound, WEIGHT_PLACES + places)
        groups.append(Group(BONUS_CODES[kind], level or None, rate, int(sources.size), volume, volume.times(rate)))

    def _weights(self, a, depth, rates, generations, paying) -> tuple[np.ndarray, np.ndarray]:
        """Walk weights to ``a`` of every partner in the paying columns (module doc).

        The rate columns hold prefix sums (column j: the walks whose highest rate so far
        is at rate level j or below), so that passing a partner at rate level r, which
        folds the levels up to r into r, only clears the columns below r."""
        width = depth + rates + generations
        # Rows from the partner's position on: its downline is at lower heights, after it.
        # Scratch arrays of the network, zero between openings (the caller clears the rows
        # it used): a fresh million-row array costs more in page faults than the walk.
        if self._scratch is None or self._scratch.shape[1] < width:
            self._scratch = np.zeros((self.n, max(width, 1)), np.int64)
            self._scratch_error = np.zeros(self.n, np.int64)
        f, error = self._scratch[a:, :max(width, 1)], self._scratch_error[a:]
        if width == 0:
            return f, error
        if depth:
            f[0, 0] = ONE
        f[0, depth : depth + rates] = ONE
        if generations:
            f[0, depth + rates] = ONE
        L, G = slice(0, depth), slice(depth + rates, width)
        top = int(self.height[a])
        first = int(np.searchsorted(-self.part_height, -top, side="right"))  # parts below a
        for start, stop, first_child in self.parts[first:]:
            parent = self.parent[start:stop]
            take = paying[parent]
            if take.all():
                child, weight = self.child[start:stop], self.weight[start:stop]
            else:
                take = np.flatnonzero(take)
                if take.size == 0:
                    continue
                parent = parent[take]
                child, weight = self.child[start:stop][take], self.weight[start:stop][take]
                first_child = -1
            rows = f[parent - a]
            itself = parent == a  # the partner passes its walks on unchanged
            # The map of propagation.pass_through, on the paying columns only.
            shift_right(rows, L, self.shift[parent] & ~itself)
            if rates:
                level = self.rate_level[parent]
                level[itself] = 0
                fold_prefix(rows, slice(depth, depth + rates), level)
            shift_right(rows, G, self.passes_breakaway[parent] & ~itself)
            split = np.flatnonzero(weight != WEIGHT_SCALE)
            inexact = 0
            if split.size:
                # x * w / 10^6 in int64: x = high * 10^9 + low, high * w * 1000 exact, the
                # low part rounded down (counted when it loses digits). Two divisions, the
                # remainders by multiplication: integer division is the slow operation.
                part = rows[split]
                scale = weight[split, None]
                high = part // 10**9
                low = (part - high * 10**9) * scale
                kept = low // WEIGHT_SCALE
                rows[split] = high * (scale * 1000) + kept
                inexact = np.zeros(rows.shape[0], np.int64)
                inexact[split] = np.count_nonzero(low - kept * WEIGHT_SCALE, axis=1)
            nonzero = rows.any(axis=1)
            # A parent's bound times the edge's weight (rounded up), plus what this edge
            # rounded; only where a weight arrives: every row with a bound is cleared after.
            carried = error[parent - a]
            if split.size:
                carried = carried.copy()
                carried[split] = -(-carried[split] * weight[split] // WEIGHT_SCALE)
            grown = (carried + inexact) * nonzero
            if first_child >= 0:  # consecutive children: slices instead of scatters
                into = slice(first_child - a, first_child - a + rows.shape[0])
                f[into] += rows
                error[into] += grown
                paying[first_child : first_child + rows.shape[0]] |= nonzero
            else:
                f[child - a] += rows
                error[child - a] += grown
                paying[child] |= nonzero
        return f, error


def _positions(n: int, height: np.ndarray, child: np.ndarray, sponsor: np.ndarray) -> np.ndarray:
    """Position of every ordinal: by height, highest first, then by the sponsor's position
    (``child -> sponsor``: the sponsor edges; partners without one first)."""
    sponsor_of = np.full(n, -1, np.int64)
    sponsor_of[child] = sponsor
    by_height = np.argsort(-height, kind="stable")
    bounds = np.flatnonzero(np.diff(height[by_height])) + 1
    position = np.empty(n, np.int64)
    start = 0
    for members in np.split(by_height, bounds):
        above = sponsor_of[members]
        key = np.where(above >= 0, position[np.maximum(above, 0)], -1)
        position[members[np.argsort(key, kind="stable")]] = np.arange(start, start + members.size)
        start += members.size
    return position


def _edges(sponsor, care, share, rows) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(child row, parent ordinal, weight in millionths, is a care edge) of the sponsor
    and care edges, by the network's rules (``ordering.split_edges``)."""
    sponsor, care, share = (np.ascontiguousarray(a, np.int64) for a in (sponsor, care, share))
    sponsor_weight, care_parent, care_weight = split_edges(sponsor, care, share)
    with_sponsor, split = sponsor >= 0, care_parent >= 0
    child = np.concatenate([rows[with_sponsor], rows[split]])
    parent = np.concatenate([sponsor[with_sponsor], care_parent[split]])
    weight = np.concatenate([sponsor_weight[with_sponsor], care_weight[split]])
    is_care = np.arange(child.size) >= int(with_sponsor.sum())
    return child.astype(np.int64), parent.astype(np.int64), weight.astype(np.int64), is_care


def _layers(n: int, child, parent, is_care) -> np.ndarray:
    """Height of every partner over the given edges (at most one of each kind per child)."""
    sponsor, care = np.full(n, -1, np.int64), np.full(n, -1, np.int64)
    sponsor[child[~is_care]], care[child[is_care]] = parent[~is_care], parent[is_care]
    return layers(sponsor, care)


def _opening(groups, lines, paying) -> Opening:
    if lines:
        keys = np.array([(kind, level, rate) for kind, level, rate, _, _ in lines], np.int64)
        counts = np.array([source.size for _, _, _, source, _ in lines], np.int64)
        source = np.concatenate([source for _, _, _, source, _ in lines]).astype(np.int64)
        amount = np.concatenate([amount for _, _, _, _, amount in lines])
    else:
        keys, counts, source, amount = np.zeros((0, 3), np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    return Opening(tuple(groups), keys, counts, source, amount, paying)
