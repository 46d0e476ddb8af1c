"""The compiled kernel: the period's recurrences in one pass over the partners.

Terms
-----
single limb
    Every number is one ``int64`` at scale ``10^F`` (``F`` decimal places, chosen from
    the magnitudes so that no sum can overflow, see ``kernel_digits``), with the error
    bounds of ``fixedpoint`` (in units of ``10^-F``): an addition is exact, a product with
    a weight or rate (millionths) that needs more than ``F`` places rounds towards minus
    infinity and counts 1 into the bound. Personal volumes are exact at ``10^10``; with
    ``F < 10`` their conversion rounds down the same way.
pass
    Positions in increasing order are a topological order from the leaves up
    (``Network``). Layer by layer, the kernel first decides the ranks of the layer's
    partners (their state is complete), then, partner by partner, rounds its figures,
    computes its bonuses and sends its message up its (at most two) edges: the sponsor
    edge and the care edge. The recurrences are those of ``propagation`` (docs/engine.md,
    "How it works"); the pure numpy sweep there is the reference and the exact path.
ambiguous rank
    When an error bound straddles a threshold, the kernel stops before the layer's
    messages go up and returns the layer and the partners; the caller decides them on
    the exact path and calls again from that layer with the ranks given (``given``).
unsure figure
    A rounding the bound leaves open: flagged in ``unsure`` (one bit per column of
    ``FIGURES``), decided exactly by the caller afterwards (``limbs`` for volumes, else
    the exact path).

Compiled with numba (docs/adr/0005-compiled-engine-kernel.md); ``cache=True`` keeps
the machine code next to this file, so a process pays the compilation once per install
and then only the loading.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from .bonuses import depth_table, rate_units
from .fixedpoint import WEIGHT_SCALE
from .money import ceil_units, round_half_up
from .plan import Plan
from .propagation import GROUP_D, GROUP_G, GROUP_L, VOL, Layout, leg_caps

__all__ = [
    "FIGURES", "NO_OVERRIDE", "UNDECIDED", "Tables", "add_rows", "by_ordinal", "attach_customers", "filled", "int_sums",
    "kernel_digits", "run_pass",
]  # fmt: skip

WEIGHT = WEIGHT_SCALE  # weights and rates are millionths
NO_OVERRIDE = -2  # in a rank override array: no override (-1 means "no rank")
UNDECIDED = -3  # in ``given``: no rank decided by the exact path

# Columns of ``figures``: rounded volumes, the bonuses before advancement.
FIGURES = ("pv", "gv", "ov", "pbv", "gbv", "obv", "customer", "level", "difference", "generation")

# Entries of ``layout``: the state's columns (propagation.Layout), then where in a row of
# ``state`` the rest of a partner's state is: error bounds (4), caps, the count of edges
# in (for the caps' bound), top() of the sponsor subtrees below, the legs; the row width.
# One row per partner keeps a message's target in a few adjacent cache lines.
LAYOUT_FIELDS = (
    "width", "open", "gv", "gbv", "ov", "obv", "l0", "l1", "d0", "d1", "g0", "g1",
    "err", "caps", "edges", "top", "legs", "stride",
)  # fmt: skip
# Columns of ``requirements`` (one row per rank); a threshold column is used when its flag is 1:
REQUIREMENT_FIELDS = (
    "has_min_pv", "min_pv", "has_min_gv", "min_gv", "cap", "has_min_ov", "min_ov",
    "leg_column", "leg_count",
)  # fmt: skip
# Columns of ``rank_table`` (one row per rank index + 1; row 0: no rank):
RANK_FIELDS = ("rate_level", "own_rate", "level_depth", "generation_depth")
# ``scalars``:
SCALAR_FIELDS = (
    "customer_rate", "breakaway_rank", "volume_unit", "money_unit", "scale_up", "scale_down",
    "cap_inexact",
)  # fmt: skip


_LIMIT = 2**62  # |value| of any number in a run stays below this (headroom for sums)
MAX_DIGITS = 17  # as many places as the two-limb arithmetic holds


def kernel_digits(magnitude: int, at_most: int = MAX_DIGITS) -> int:
    """The most decimal places (up to ``at_most``) at which ``magnitude`` units fit one
    limb with headroom: every volume, vector entry and amount of a run is at most the
    sum of the absolute volumes (the walk weights into a partner sum to at most 1)."""
    digits = at_most
    while digits > 0 and max(magnitude, 1) * 10**digits >= _LIMIT:
        digits -= 1
    return digits


@dataclass(frozen=True)
class Tables:
    """A plan as the kernel's arrays, at ``digits`` decimal places (see ``run_pass``)."""

    layout: np.ndarray  # LAYOUT_FIELDS
    requirements: np.ndarray
    caps: np.ndarray
    leg_ranks: np.ndarray
    rank_table: np.ndarray
    level_rates: np.ndarray
    rate_values: np.ndarray
    generation_rates: np.ndarray
    scalars: np.ndarray

    @property
    def stride(self) -> int:
        return int(self.layout[-1])

    @classmethod
    def of(cls, plan: Plan, digits: int, personal_places: int) -> Tables:
        layout = Layout.for_plan(plan)
        caps = leg_caps(plan)
        floors = [-ceil_units(-cap, digits) for cap in caps]
        cap_inexact = any(ceil_units(cap, digits) != floor for cap, floor in zip(caps, floors))
        leg_ranks = sorted({r.min_legs.rank for r in plan.ranks if r.min_legs})
        requirements = np.zeros((len(plan.ranks), len(REQUIREMENT_FIELDS)), np.int64)
        for index, rank in enumerate(plan.ranks):
            requirements[index] = (
                rank.min_pv is not None,
                0 if rank.min_pv is None else ceil_units(rank.min_pv, personal_places),
                rank.min_gv is not None,
                0 if rank.min_gv is None else ceil_units(rank.min_gv, digits),
                -1 if rank.leg_cap is None else caps.index(rank.leg_cap),
                rank.min_ov is not None,
                0 if rank.min_ov is None else ceil_units(rank.min_ov, digits),
                -1 if rank.min_legs is None else leg_ranks.index(rank.min_legs.rank),
                0 if rank.min_legs is None else rank.min_legs.count,
            )
        rank_table = np.stack(
            [
                np.array(plan.rate_level_of_rank, np.int64),
                np.array(plan.difference_rates, np.int64),
                depth_table(plan, "level_depth", layout.levels, layout.levels),
                depth_table(plan, "generation_depth", layout.generations, 0),
            ],
            axis=1,
        )
        none = lambda part: -1 if part is None else part  # noqa: E731
        width = layout.width
        err, cap_columns, edges = width, width + 4, width + 4 + len(caps)
        return cls(
            layout=np.array(
                [width, layout.open_volume, layout.GV, layout.GBV, none(layout.OV),
                 none(layout.OBV), layout.L.start, layout.L.stop, layout.D.start, layout.D.stop,
                 layout.G.start, layout.G.stop, err, cap_columns, edges, edges + 1, edges + 2,
                 edges + 2 + len(leg_ranks)], np.int64,
            ),  # fmt: skip
            requirements=requirements,
            caps=np.array(floors, np.int64),
            leg_ranks=np.array(leg_ranks, np.int64),
            rank_table=rank_table,
            level_rates=rate_units(plan.level_rates)[: layout.levels],
            rate_values=np.array(plan.rate_levels, np.int64)[: layout.rate_levels],
            generation_rates=rate_units(plan.generation_rates)[: layout.generations],
            scalars=np.array(
                [rate_units([plan.customer_rate])[0],
                 -1 if plan.breakaway_rank is None else plan.breakaway_rank,
                 10 ** (digits - 2), 10 ** (digits - plan.minor_digits),
                 10 ** max(digits - personal_places, 0), 10 ** max(personal_places - digits, 0),
                 cap_inexact], np.int64,
            ),  # fmt: skip
        )

    def new_state(self, count: int) -> np.ndarray:
        """The state of ``count`` partners before the pass: zeros, no top() below."""
        state = filled((count, self.stride), 0)
        state[:, self.layout[LAYOUT_FIELDS.index("top")]] = -1
        return state


@njit(cache=True)
def filled(shape, value):
    """An ``int64`` array of ``shape`` holding ``value``, allocated by numba: numpy would
    advise huge pages for it, and on a machine with fragmented memory every such page
    fault compacts memory first (that cost more than the whole pass)."""
    out = np.empty(shape, np.int64)
    out[...] = value
    return out


@njit(cache=True)
def _mul(value, weight):
    """``value * weight / 10^6`` rounded towards minus infinity, and whether it lost digits."""
    quotient = value // WEIGHT
    product = (value - quotient * WEIGHT) * weight  # below 10^12
    carry = product // WEIGHT
    return quotient * weight + carry, product != carry * WEIGHT


@njit(cache=True)
def _mul_error(error, weight):
    """An error bound times ``weight / 10^6``, rounded up."""
    quotient = error // WEIGHT
    return quotient * weight + ((error - quotient * WEIGHT) * weight + WEIGHT - 1) // WEIGHT


_round = njit(cache=True)(round_half_up)  # money.round_half_up, compiled


@njit(cache=True)
def _round_bounded(value, error, unit):
    """``(units, ambiguous)``: rounded, and whether ``value +- error`` round differently."""
    low = _round(value - error, unit)
    if error == 0:
        return low, False
    return low, low != _round(value + error, unit)


@njit(cache=True)
def _put(out, column, value, error, unit):
    """Round ``value`` (give or take ``error``) into ``out[column]``; True if that is
    ambiguous (the figure then comes from the exact path)."""
    units, ambiguous = _round_bounded(value, error, unit)
    out[column] = units
    return ambiguous


@njit(cache=True)
def _put_shown(out, column, value, error, unit):
    """A volume figure: like ``_put`` but rounded toward minus infinity, the one way volumes
    are shown (``volumes.shown_volume``; int64 ``//`` floors as Python's does)."""
    low = (value - error) // unit
    out[column] = low
    return error != 0 and low != (value + error) // unit


@njit(cache=True)
def _fine(value10, up, down):
    """A personal volume (exact at ``10^10``) at the kernel's scale, and whether that
    rounded it down (only when the scale has fewer than 10 places)."""
    if down > 1:
        quotient = value10 // down
        return quotient, quotient * down != value10
    return value10 * up, False


@njit(cache=True)
def by_ordinal(figures, position):
    """``figures`` (a row per position) as one contiguous array per column, by ordinal."""
    out = np.empty((figures.shape[1], position.size), np.int64)
    for ordinal in range(position.size):
        row = figures[position[ordinal]]
        for column in range(figures.shape[1]):
            out[column, ordinal] = row[column]
    return out


@njit(cache=True)
def add_rows(own_pv, own_bv, node, pv, bv):
    """Volume rows summed per node, in place (a node index out of range is an error)."""
    count = own_pv.size
    for row in range(node.size):
        at = node[row]
        if at < 0 or at >= count:
            raise IndexError("a volume row names no node")
        own_pv[at] += pv[row]
        own_bv[at] += bv[row]


@njit(cache=True)
def int_sums(values):
    """``(sum, sum of absolute values in floats)`` of an ``int64`` array: the sum is exact
    when the second is below ``2^62``."""
    total = 0
    bound = 0.0
    for value in values:
        total += value
        bound += abs(float(value))
    return total, bound


@njit(cache=True)
def attach_customers(partner_own_pv, partner_own_bv, customer_node, customer_parent, customer_weight, own_pv, own_bv):
    """``PV``, ``PBV`` and ``CBV`` by position at ``10^10`` (volumes.personal_volumes), and
    whether ``int64`` surely held them: a bound of every partial sum, in floats."""
    count = partner_own_pv.size
    pv = partner_own_pv * WEIGHT
    pbv = partner_own_bv * WEIGHT
    cbv = np.zeros(count, np.int64)
    bound = (np.abs(partner_own_pv).astype(np.float64) + np.abs(partner_own_bv)) * WEIGHT
    for edge in range(customer_node.size):
        node, parent, weight = customer_node[edge], customer_parent[edge], customer_weight[edge]
        pv[parent] += own_pv[node] * weight
        bv = own_bv[node] * weight
        pbv[parent] += bv
        cbv[parent] += bv
        bound[parent] += (abs(float(own_pv[node])) + abs(float(own_bv[node]))) * weight
    safe = count == 0 or bound.max() < 4e18
    return pv, pbv, cbv, safe


@njit(cache=True)
def _at_least(value, error, threshold):
    """``(surely, possibly)`` of ``value >= threshold`` for every value within ``error``."""
    return value - error >= threshold, value + error >= threshold


@njit(cache=True)
def _decide(row, layout, requirements, pv10, pv, pv_inexact, cap_inexact):
    """Lowest and highest rank index that can hold for the partner whose state is ``row``
    (-1: none)."""
    low = -1
    high = -1
    vol_error = row[layout[12] + VOL] + pv_inexact
    gv = row[layout[2]] + pv
    ov_column = layout[4] if layout[1] else layout[2]
    ov = row[ov_column] + pv
    for index in range(requirements.shape[0]):
        need = requirements[index]
        surely = True
        possibly = True
        if need[0] and pv10 < need[1]:  # min_pv, exact
            surely = possibly = False
        if need[2]:
            if need[4] >= 0:
                value = row[layout[13] + need[4]] + pv
                error = vol_error + (row[layout[14]] if cap_inexact else 0)
            else:
                value, error = gv, vol_error
            sure, maybe = _at_least(value, error, need[3])
            surely &= sure
            possibly &= maybe
        if need[5]:
            sure, maybe = _at_least(ov, vol_error, need[6])
            surely &= sure
            possibly &= maybe
        if need[7] >= 0 and row[layout[16] + need[7]] < need[8]:
            surely = possibly = False
        if surely:
            low = index
        if possibly:
            high = index
    return low, high


@njit(cache=True)
def _push(target, weight, message, message_err, layout, caps):
    """Add a message times the edge's weight into the parent's state row ``target``
    (caps: ``min(w * GV, cap)`` per cap column)."""
    width = layout[0]
    volume_columns = 4 if layout[1] else 2
    target[layout[14]] += 1
    err = layout[12]
    if weight == WEIGHT:
        for column in range(width):
            target[column] += message[column]
        for group in range(4):
            target[err + group] += message_err[group]
        gv = message[layout[2]]
    else:
        inexact_volume = False
        lost_l = lost_d = lost_g = 0
        for column in range(width):
            value, lost = _mul(message[column], weight)
            target[column] += value
            if lost:
                if column < volume_columns:
                    inexact_volume = True
                elif column < layout[7]:
                    lost_l += 1
                elif column < layout[9]:
                    lost_d += 1
                else:
                    lost_g += 1
        target[err + VOL] += _mul_error(message_err[VOL], weight) + (1 if inexact_volume else 0)
        target[err + GROUP_L] += _mul_error(message_err[GROUP_L], weight) + lost_l
        target[err + GROUP_D] += _mul_error(message_err[GROUP_D], weight) + lost_d
        target[err + GROUP_G] += _mul_error(message_err[GROUP_G], weight) + lost_g
        gv = _mul(message[layout[2]], weight)[0]
    for column in range(caps.size):
        target[layout[13] + column] += gv if gv < caps[column] else caps[column]


@njit(cache=True)
def _weighted_sum(row, start, rates, depth, error):
    """``sum(rates[k] * row[start + k])`` for ``k < depth``, and its error bound: the
    vector's (``error``, a bound of the sum of its entries' errors; every rate is at most
    1) plus one per product that lost digits. Nothing paid, nothing uncertain."""
    if depth <= 0:
        return 0, 0
    amount = 0
    for k in range(depth):
        product, lost = _mul(row[start + k], rates[k])
        amount += product
        error += 1 if lost else 0
    return amount, error


@njit(cache=True)
def _shift_right(row, start, stop):
    """Columns ``start:stop`` one to the right; the last drops, the first becomes 0."""
    for column in range(stop - 1, start, -1):
        row[column] = row[column - 1]
    if stop > start:
        row[start] = 0


@njit(cache=True)
def _fold(row, start, stop, level):
    """``D[max(j, level)] += D[j]``: columns below ``level`` move onto it."""
    if stop == start:
        return
    total = 0
    for column in range(start, start + level + 1):
        total += row[column]
        row[column] = 0
    row[start + level] = total


@njit(cache=True)
def run_pass(
    start_layer, stop_layer, layer_bounds, sponsor, sponsor_weight, care, care_weight,
    pv10, pbv10, cbv10, qualified, shift, override, given,
    layout, requirements, caps, leg_ranks, rank_table, level_rates, rate_values,
    generation_rates, scalars, state, base, blank, rank, calculated, figures, unsure, ambiguous,
):  # fmt: skip
    """Run the layers ``start_layer:stop_layer`` (module doc).

    By position: ``state`` (rows as ``Tables.new_state``, row ``x - base`` for position
    ``x``: the partners of layer 0, below ``base``, receive nothing and read ``blank``),
    the paid-as ``rank`` and the ``calculated`` one, ``unsure`` (bits of ``FIGURES``), ``figures`` (written in
    order; by ordinal they would be written at random, which cost a third of the pass).
    Returns ``(layer, count)``: ``count`` partners of ``layer`` (in ``ambiguous``) whose
    rank needs the exact path, or ``(-1, 0)`` when the layers are done.
    """
    width = layout[0]
    is_open = layout[1] != 0
    GV, GBV, OV, OBV = layout[2], layout[3], layout[4], layout[5]
    L0, L1, D0, D1, G0, G1 = layout[6], layout[7], layout[8], layout[9], layout[10], layout[11]
    ERR, TOP, LEGS = layout[12], layout[15], layout[16]
    customer_rate, breakaway_rank = scalars[0], scalars[1]
    volume_unit, money_unit, up, down = scalars[2], scalars[3], scalars[4], scalars[5]
    cap_inexact = scalars[6] != 0
    hundredths = 10**8  # personal volumes are exact at 10^10
    message = np.zeros(width, np.int64)
    message_err = np.zeros(4, np.int64)
    for layer in range(start_layer, stop_layer):
        start, stop = layer_bounds[layer], layer_bounds[layer + 1]
        # Ranks of the layer: every state in it is complete.
        count = 0
        for x in range(start, stop):
            if given[x] != UNDECIDED:
                calculated[x] = given[x]
                continue
            if not qualified[x]:
                calculated[x] = -1
                continue
            pv, pv_lost = _fine(pv10[x], up, down)
            low, high = _decide(state[x - base] if x >= base else blank, layout, requirements, pv10[x], pv, 1 if pv_lost else 0, cap_inexact)
            if low != high:
                ambiguous[count] = x
                count += 1
            calculated[x] = low
        if count:
            return layer, count
        for x in range(start, stop):
            paid = calculated[x]
            if override[x] != NO_OVERRIDE and qualified[x]:
                paid = override[x]
            rank[x] = paid
            # top() of the sponsor subtree up the sponsor edge, for min_legs
            if leg_ranks.size and sponsor[x] >= 0:
                below = state[x - base, TOP] if x >= base else -1
                top = paid if paid > below else below
                above = state[sponsor[x] - base]
                if top > above[TOP]:
                    above[TOP] = top
                for column in range(leg_ranks.size):
                    if top >= leg_ranks[column]:
                        above[LEGS + column] += 1

        # Figures, bonuses and messages, partner by partner.
        for x in range(start, stop):
            row = state[x - base] if x >= base else blank
            out = figures[x]
            paid = rank[x]
            earner = qualified[x] and paid >= 0
            breakaway = breakaway_rank >= 0 and paid >= breakaway_rank
            pv, pv_lost = _fine(pv10[x], up, down)
            pbv, pbv_lost = _fine(pbv10[x], up, down)
            vol_error = row[ERR + VOL] + (1 if pv_lost or pbv_lost else 0)
            own_lost = 1 if pbv_lost else 0
            doubt = 0
            out[0] = pv10[x] // hundredths
            out[3] = pbv10[x] // hundredths
            if _put_shown(out, 1, row[GV] + pv, vol_error, volume_unit):
                doubt |= 1 << 1
            if _put_shown(out, 4, row[GBV] + pbv, vol_error, volume_unit):
                doubt |= 1 << 4
            if is_open:
                if _put_shown(out, 2, row[OV] + pv, vol_error, volume_unit):
                    doubt |= 1 << 2
                if _put_shown(out, 5, row[OBV] + pbv, vol_error, volume_unit):
                    doubt |= 1 << 5
            else:
                out[2] = out[1]
                out[5] = out[4]

            # customer bonus: every qualified partner
            amount = 0
            error = 0
            if qualified[x] and customer_rate:
                cbv, cbv_lost = _fine(cbv10[x], up, down)
                amount, lost = _mul(cbv, customer_rate)
                error = (1 if lost else 0) + (1 if cbv_lost else 0)
            if _put(out, 6, amount, error, money_unit):
                doubt |= 1 << 6
            # level bonus
            amount = 0
            error = 0
            if earner:
                depth = min(rank_table[paid + 1, 2], L1 - L0)
                amount, error = _weighted_sum(row, L0, level_rates, depth, row[ERR + GROUP_L])
            if _put(out, 7, amount, error, money_unit):
                doubt |= 1 << 7
            # difference bonus: the own rate on PBV, the differences on the D vector
            amount = 0
            error = 0
            if earner:
                own_rate = rank_table[paid + 1, 1]
                amount, lost = _mul(pbv, own_rate)
                error = (1 if lost else 0) + own_lost
                if D1 > D0:
                    error += row[ERR + GROUP_D]
                for j in range(D1 - D0):
                    rate = own_rate - rate_values[j]
                    if rate > 0:
                        product, lost = _mul(row[D0 + j], rate)
                        amount += product
                        error += 1 if lost else 0
            if _put(out, 8, amount, error, money_unit):
                doubt |= 1 << 8
            # generation bonus: breakaways
            amount = 0
            error = 0
            if earner and breakaway:
                depth = min(rank_table[paid + 1, 3], G1 - G0)
                amount, error = _weighted_sum(row, G0, generation_rates, depth, row[ERR + GROUP_G])
            if _put(out, 9, amount, error, money_unit):
                doubt |= 1 << 9
            unsure[x] = doubt

            if sponsor[x] < 0 and care[x] < 0:
                continue
            # The message: the state with the partner's own volume, shifted and folded.
            for column in range(width):
                message[column] = row[column]
            for group in range(4):
                message_err[group] = row[ERR + group]
            message_err[VOL] = vol_error
            message[GV] += pv
            message[GBV] += pbv
            open_bv = 0
            if is_open:
                open_bv = message[OBV] + pbv
                if breakaway:
                    message[OV] = 0
                    message[OBV] = 0
                else:
                    message[OV] += pv
                    message[OBV] += pbv
            if L1 > L0:
                if shift[x]:
                    _shift_right(message, L0, L1)
                message[L0] += pbv
                message_err[GROUP_L] += own_lost
            if D1 > D0:
                level = rank_table[paid + 1, 0]
                _fold(message, D0, D1, level)
                message[D0 + level] += pbv
                message_err[GROUP_D] += own_lost
            if G1 > G0 and breakaway:
                _shift_right(message, G0, G1)
                message[G0] = open_bv
                message_err[GROUP_G] += vol_error
            if sponsor[x] >= 0:
                _push(state[sponsor[x] - base], sponsor_weight[x], message, message_err, layout, caps)
            if care[x] >= 0:
                _push(state[care[x] - base], care_weight[x], message, message_err, layout, caps)
    return -1, 0
