"""Bonus amounts from the state vectors (spec section 4), before rounding.

Terms
-----
earner
    A qualified partner with a paid-as rank. Only earners get level, difference and
    generation bonuses; every qualified partner gets the customer bonus.
amount
    A bonus of one partner in full precision: limbs and an error bound, like every
    number in ``fixedpoint``. Each rate is at most 1, so the error of
    ``sum(rate_k * V[k])`` is at most the group bound of ``V`` plus one fine unit per
    product that lost digits.

With the state of ``x`` (``propagation``), ``x`` earns

* level: ``sum(level_rates[k+1] * L[k])`` for ``k + 1 <= level_depth`` of its rank;
* difference: ``rate(x) * PBV(x) + sum(max(0, rate(x) - rate_j) * D[j])``;
* generation (breakaways): ``sum(generation_rates[g+1] * G[g])`` for
  ``g + 1 <= generation_depth`` of its rank;
* customer: ``customer_rate * CBV(x)``.
"""

from __future__ import annotations

import numpy as np

from .fixedpoint import FixedPoint
from .plan import Plan, to_units
from .propagation import GROUP_D, GROUP_G, GROUP_L, Layout, State

__all__ = ["BONUS_KINDS", "bonus_amounts", "depth_table", "rate_units"]

BONUS_KINDS = ("customer", "level", "difference", "generation", "advancement")


def rate_units(values) -> np.ndarray:
    return np.array([to_units(value, 6) for value in values], np.int64)


def depth_table(plan: Plan, attribute: str, width: int, default: int) -> np.ndarray:
    """Paid levels per rank index + 1 (index 0: no rank, nothing paid)."""
    depths = [0]
    for rank in plan.ranks:
        depth = getattr(rank, attribute)
        depths.append(min(width, default if depth is None else depth))
    return np.array(depths, np.int64)


def _weighted_sum(fp: FixedPoint, hi, lo, weights, error):
    """``sum_k weights[:, k] * value[:, k]`` (millionths) with its error bound."""
    p_hi, p_lo, inexact = fp.mul(hi, lo, weights)
    total_hi, total_lo = fp.normalize(p_hi.sum(axis=1), p_lo.sum(axis=1))
    return total_hi, total_lo, error + inexact.sum(axis=1)


def bonus_amounts(
    plan: Plan,
    fp: FixedPoint,
    layout: Layout,
    state: State,
    rows: slice,
    rank: np.ndarray,
    qualified: np.ndarray,
    breakaway: np.ndarray,
    pbv: tuple[np.ndarray, np.ndarray],
    cbv: tuple[np.ndarray, np.ndarray],
) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Customer, level, difference and generation amounts of the positions ``rows``.

    ``rank``, ``qualified``, ``breakaway`` are for those positions only.
    """
    hi, lo, err = state.hi[rows], state.lo[rows], state.err[rows]
    count = rank.size
    earner = qualified & (rank >= 0)
    zero = (fp.zeros(count), fp.zeros(count), np.zeros(count, np.int64))
    amounts = {}

    rate = np.where(qualified, to_units(plan.customer_rate, 6), 0)
    c_hi, c_lo, inexact = fp.mul(cbv[0][rows], cbv[1][rows], rate)
    amounts["customer"] = (c_hi, c_lo, inexact.astype(np.int64))

    amounts["level"] = zero
    if layout.levels:
        depth = depth_table(plan, "level_depth", layout.levels, layout.levels)[rank + 1]
        levels = np.arange(layout.levels)[None, :]
        weights = np.where(
            earner[:, None] & (levels < depth[:, None]), rate_units(plan.level_rates)[: layout.levels], 0
        )
        amounts["level"] = _weighted_sum(
            fp, hi[:, layout.L], lo[:, layout.L], weights, err[:, GROUP_L]
        )

    own_rate = np.where(
        earner, np.array(plan.difference_rates, np.int64)[rank + 1], 0
    )
    o_hi, o_lo, o_inexact = fp.mul(pbv[0][rows], pbv[1][rows], own_rate)
    if layout.rate_levels:
        weights = np.maximum(own_rate[:, None] - np.array(plan.rate_levels, np.int64)[None, :], 0)
        d_hi, d_lo, d_err = _weighted_sum(
            fp, hi[:, layout.D], lo[:, layout.D], weights, err[:, GROUP_D]
        )
        o_hi, o_lo = fp.add(o_hi, o_lo, d_hi, d_lo)
        o_inexact = o_inexact + d_err
    amounts["difference"] = (o_hi, o_lo, o_inexact.astype(np.int64))

    amounts["generation"] = zero
    if layout.generations:
        depth = depth_table(plan, "generation_depth", layout.generations, 0)[rank + 1]
        generations = np.arange(layout.generations)[None, :]
        paying = earner & breakaway
        weights = np.where(
            paying[:, None] & (generations < depth[:, None]),
            rate_units(plan.generation_rates)[: layout.generations],
            0,
        )
        amounts["generation"] = _weighted_sum(
            fp, hi[:, layout.G], lo[:, layout.G], weights, err[:, GROUP_G]
        )
    return amounts
