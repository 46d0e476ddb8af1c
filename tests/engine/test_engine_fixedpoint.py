"""The numeric core against exact fractions: products of weights, error bounds, decisions.

The claim (docs/engine.md): every held value is within its error bound of the exact value,
a bound of 0 means exact, and every decision the fast arithmetic takes (a comparison, a
half-up rounding) is the one exact arithmetic takes; the others are reported ambiguous.
"""

import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saleor_mlm.engine.fixedpoint import FixedPoint
from saleor_mlm.engine.money import ceil_units, round_half_up_units, to_units, units_text

SETTINGS = dict(deadline=None, derandomize=True, max_examples=300)

ARITHMETICS = [FixedPoint(8, 9), FixedPoint(4, 6), FixedPoint.exact_for(80)]
ADVERSARIAL_WEIGHTS = [333_333, 666_667, 1, 999_999, 500_000, 100_000, 0, 1_000_000, 142_857]

weights = st.one_of(st.sampled_from(ADVERSARIAL_WEIGHTS), st.integers(0, 1_000_000))
units4 = st.integers(-(10**12), 10**12)  # volumes at 10^4: up to 10^8 in magnitude


def exact(fp, hi, lo) -> Fraction:
    return Fraction(int(hi) * fp.base + int(lo), 10**fp.fine_digits)


def half_up(value: Fraction, places: int) -> int:
    scaled = abs(value) * 10**places
    units = (2 * scaled.numerator + scaled.denominator) // (2 * scaled.denominator)
    return -units if value < 0 else units


@pytest.mark.slow
@settings(**SETTINGS)
@given(st.sampled_from(ARITHMETICS), units4, st.lists(weights, max_size=12))
def test_weight_chains_stay_within_their_error_bound(fp, start, chain):
    true = Fraction(start, 10**4)
    hi, lo = fp.from_units(np.array([start]), 4)
    err = np.zeros(1, np.int64)
    for w in chain:
        true *= Fraction(w, 10**6)
        hi, lo, inexact = fp.mul(hi, lo, np.array([w]))
        err = fp.mul_error(err, np.array([w])) + inexact
        assert 0 <= int(lo[0]) < fp.base
        distance = abs(true - exact(fp, hi[0], lo[0])) * 10**fp.fine_digits
        assert distance <= int(err[0])
    if fp.exact:
        assert int(err[0]) == 0


def through_weights(fp, start, chain):
    """``start`` (at scale 10^4) times every weight of ``chain``: the exact value, the held
    limbs and their error bound."""
    true = Fraction(start, 10**4)
    hi, lo = fp.from_units(np.array([start]), 4)
    err = np.zeros(1, np.int64)
    for w in chain:
        true *= Fraction(w, 10**6)
        hi, lo, inexact = fp.mul(hi, lo, np.array([w]))
        err = fp.mul_error(err, np.array([w])) + inexact
    return true, hi, lo, err


ROUNDINGS = {
    "round": lambda fp: (fp.round, half_up),  # bonuses: half up
    "floor": lambda fp: (fp.floor, lambda value, places: math.floor(value * 10**places)),  # shown volumes
}


@pytest.mark.slow
@settings(**SETTINGS)
@given(st.sampled_from(ARITHMETICS), units4, st.lists(weights, max_size=8), st.sampled_from([0, 2, 3]), st.sampled_from(sorted(ROUNDINGS)))
def test_roundings_are_exact_or_reported_ambiguous(fp, start, chain, places, rounding):
    true, hi, lo, err = through_weights(fp, start, chain)
    held, exact_rounding = ROUNDINGS[rounding](fp)
    units, ambiguous = held(hi, lo, err, places)
    if not ambiguous[0]:
        assert int(units[0]) == exact_rounding(true, places)
    if int(err[0]) == 0:
        assert not ambiguous[0]


def test_floor_of_negative_values_and_exact_boundaries():
    fp = FixedPoint(8, 9)
    hi, lo = fp.from_units(np.array([-50, 499_950, 500_000, -500_000]), 4)  # -0.005, 49.995, 50, -50
    assert fp.floor(hi, lo, np.zeros(4, np.int64), 2)[0].tolist() == [-1, 4999, 5000, -5000]
    # 0.01 held a fine unit too low, with an error bound of 1: 0.00 or 0.01, undecided
    hi, lo = fp.from_units(np.array([100]), 4)
    hi, lo = fp.normalize(hi, lo - 1)
    units, ambiguous = fp.floor(hi, lo, np.ones(1, np.int64), 2)
    assert ambiguous.tolist() == [True]


@pytest.mark.slow
@settings(**SETTINGS)
@given(st.sampled_from(ARITHMETICS), units4, st.lists(weights, max_size=8), st.integers(-3, 3))
def test_comparisons_are_exact_or_reported_ambiguous(fp, start, chain, nudge):
    true, hi, lo, err = through_weights(fp, start, chain)
    # a threshold at, or a hair's breadth from, the exact value
    decimal = _as_decimal(true + Fraction(nudge, 10**30))
    surely, possibly = fp.at_least(hi, lo, err, *fp.constant(decimal))
    assert bool(surely[0]) <= bool(possibly[0])
    if surely[0]:
        assert true >= Fraction(decimal)
    if not possibly[0]:
        assert true < Fraction(decimal)
    if int(err[0]) == 0:
        assert bool(surely[0]) == bool(possibly[0])


def _as_decimal(value: Fraction) -> Decimal:
    """A decimal at most 10^-40 below ``value`` (the thresholds of a plan are decimals)."""
    return Decimal(value.numerator * 10**40 // value.denominator).scaleb(-40)


def test_the_float_traps():
    fp = FixedPoint(8, 9)
    # 0.05 * 12.50 = 0.625 -> 0.63 (float: 0.6250000000000001 or 0.6249999999999999)
    hi, lo = fp.from_units(np.array([125_000]), 4)
    hi, lo, inexact = fp.mul(hi, lo, np.array([50_000]))
    assert fp.round(hi, lo, inexact.astype(np.int64), 2)[0].tolist() == [63]
    # 0.1 + 0.2 >= 0.3 holds exactly
    a = fp.from_units(np.array([1000]), 4)
    b = fp.from_units(np.array([2000]), 4)
    total = fp.add(*a, *b)
    surely, possibly = fp.at_least(*total, np.zeros(1, np.int64), *fp.constant(Decimal("0.3")))
    assert surely[0] and possibly[0]
    # -0.625 rounds away from zero
    hi, lo = fp.from_units(np.array([-6250]), 4)
    assert fp.round(hi, lo, np.zeros(1, np.int64), 2)[0].tolist() == [-63]


def test_money_helpers():
    assert ceil_units(Decimal("0.3333333"), 6) == 333334
    assert ceil_units(Decimal("-0.3333333"), 6) == -333333
    assert ceil_units(Decimal("12"), 2) == 1200
    assert round_half_up_units(-5, 1, 0) == -1 and round_half_up_units(-4, 1, 0) == 0
    assert units_text(-4, 2) == "-0.04" and units_text(0, 3) == "0.000" and units_text(7, 0) == "7"
    assert to_units(Decimal("0.050000"), 6) == 50000
