"""Exact volume figures of a few partners, compiled: the kernel's numbers in limbs.

Why
---
A shown volume is floored to hundredths. Through conservation (a partner's outgoing
weights sum to 1), the GV of a partner whose whole downline flows to it, above all the top
of the network, is exactly the sum of its downline's volumes: often a whole number of
cents, i.e. exactly a boundary of the floor. The kernel holds it rounded down within its
error bound, so the bound straddles the boundary and the partner's figures were computed
again on the exact path, in Python integers, over its whole downline (the whole network
for the top partner: 30 s at 1M partners instead of 1 s).

How
---
The volumes are linear in the personal volumes once the ranks are known (a breakaway
sends no open volume), so they can be carried up again exactly, only the four volume
columns, only over the downline of the undecided partners, in the same compiled pass.
A number is ``limbs`` ``int64`` values, ``value = sum_k limb[k] * 10^-(F + 6k)``: limb 0
is the kernel's number at ``10^F``; a product with a weight (millionths) keeps its
quotient in the same limb and its remainder, an integer below ``10^6``, in the next one.
No limb is ever normalised (limbs past the first only sum remainders, far from
overflow), so a product loses digits only at the last limb: then it rounds down there and
counts 1 into the error bound (in units of the last limb), as in ``kernel``. A walk with
``h`` split edges needs ``h + 1`` limbs beyond the first at most (``h + 2`` in all, the
personal volume's ``10^10`` included), so with ``Network.max_split_hops() + 2`` limbs
nothing is ever lost and every figure is decided; the caller tries few limbs first.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .fixedpoint import WEIGHT_SCALE

__all__ = ["VOLUME_COLUMNS", "floor_figures", "volume_limbs"]

WEIGHT = WEIGHT_SCALE
LIMB_PLACES = 6  # decimal places per limb: a weight's
PERSONAL = 10  # personal volumes are exact at 10^10

# The volume columns ``which`` names: even ones carry PV, odd ones BV; ov and obv stop at
# a breakaway.
VOLUME_COLUMNS = ("gv", "gbv", "ov", "obv")


@njit(cache=True)
def _push(state, target, source, width, limbs, weight):
    """Add ``source`` (a message) times ``weight`` (millionths) into the row at ``target``
    of the flat ``state``, limb by limb; the error bound is the last entry of a row."""
    if weight == WEIGHT:
        for at in range(width):
            state[target + at] += source[at]
        return
    lost = 0
    for at in range(width - 1):
        value = source[at]
        if value == 0:
            continue
        quotient = value // WEIGHT
        product = (value - quotient * WEIGHT) * weight  # below 10^12
        carry = product // WEIGHT
        state[target + at] += quotient * weight + carry
        rest = product - carry * WEIGHT
        if rest:
            if (at + 1) % limbs:
                state[target + at + 1] += rest
            else:
                lost = 1
    error = source[width - 1]
    quotient = error // WEIGHT
    state[target + width - 1] += (
        quotient * weight + ((error - quotient * WEIGHT) * weight + WEIGHT - 1) // WEIGHT + lost
    )


@njit(cache=True)
def volume_limbs(
    closure, wanted, base, sponsor, sponsor_weight, care, care_weight, pv10, pbv10,
    breakaway, which, digits, limbs,
):  # fmt: skip
    """The volume figures ``which`` (indices into ``VOLUME_COLUMNS``) of the positions
    ``wanted``, in ``limbs`` limbs (at least 2), with their error bound (last column, in
    units of the last limb).

    ``closure``: sorted positions, ``wanted`` and everyone below them (closed under
    "below": a partner outside sends nothing into it). ``breakaway`` by position.
    Positions below ``base`` (layer 0) receive nothing and get no row.
    """
    count = pv10.size
    columns = which.size
    width = columns * limbs + 1
    # A personal volume (exact at 10^10) at 10^digits: times ``up``, or divided by
    # ``down`` (at most 10^6, digits >= 4) with the rest in the second limb.
    up = 10 ** max(digits - PERSONAL, 0)
    down = 10 ** max(PERSONAL - digits, 0)
    rest_scale = WEIGHT // down
    row_of = np.full(count, -1, np.int64)
    rows = 0
    for x in closure:
        if x >= base:
            row_of[x] = rows
            rows += 1
    out_of = np.full(count, -1, np.int64)
    for index in range(wanted.size):
        out_of[wanted[index]] = index
    state = np.zeros(rows * width, np.int64)
    out = np.zeros((wanted.size, width), np.int64)
    figure = np.zeros(width, np.int64)
    for x in closure:
        row = row_of[x]
        if row >= 0:
            for at in range(width):
                figure[at] = state[row * width + at]
        else:
            figure[:] = 0
        for column in range(columns):
            own = pbv10[x] if which[column] % 2 else pv10[x]  # gbv, obv: business volume
            at = column * limbs
            quotient = own // down
            figure[at] += quotient * up
            figure[at + 1] += (own - quotient * down) * rest_scale
        if out_of[x] >= 0:
            out[out_of[x]] = figure
        up_sponsor = sponsor[x] >= 0 and row_of[sponsor[x]] >= 0
        up_care = care[x] >= 0 and row_of[care[x]] >= 0
        if not (up_sponsor or up_care):
            continue
        if breakaway[x]:  # no open volume from a breakaway
            for column in range(columns):
                if which[column] >= 2:
                    for at in range(column * limbs, (column + 1) * limbs):
                        figure[at] = 0
        if up_sponsor:
            _push(state, row_of[sponsor[x]] * width, figure, width, limbs, sponsor_weight[x])
        if up_care:
            _push(state, row_of[care[x]] * width, figure, width, limbs, care_weight[x])
    return out


def floor_figures(out: np.ndarray, columns: int, limbs: int, digits: int, places: int):
    """Each row of ``volume_limbs`` floored to ``places`` decimals: ``(figures, decided)``
    with one entry per row and column; undecided where the bound straddles a boundary."""
    last_places = digits + LIMB_PLACES * (limbs - 1)
    unit = 10 ** (last_places - places)
    figures = np.zeros((out.shape[0], columns), np.int64)
    decided = np.zeros((out.shape[0], columns), bool)
    for row, values in enumerate(out.tolist()):
        error = values[-1]
        for column in range(columns):
            held = 0
            for limb in values[column * limbs : (column + 1) * limbs]:
                held = held * 10**LIMB_PLACES + limb
            low = (held - error) // unit
            figures[row, column] = low
            decided[row, column] = low == (held + error) // unit
    return figures, decided
