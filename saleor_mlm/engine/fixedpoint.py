"""Exact-or-bounded fixed-point arithmetic on numpy arrays (the engine's numeric core).

Terms
-----
limbs
    A number is held as two integers ``hi`` and ``lo`` with
    ``value = hi * 10^-S + lo * 10^-(S+T)`` and ``0 <= lo < 10^T`` (normalized). ``F = S + T``
    is the number of decimal places held: the *fine scale*.
fine unit
    ``10^-F``, the unit of error bounds.
error bound
    An ``int64`` ``e`` per number (or per group of numbers, see docs/engine.md) with
    ``|true value - held value| <= e`` fine units. ``e == 0`` means the held value is
    exact. Only multiplications by a weight or rate (millionths) can lose digits, and
    only when a product needs more than ``F`` decimal places; they round towards minus
    infinity and count ``1`` into the bound.
decision
    A comparison with a threshold or a rounding to a unit. With an error bound ``e`` it
    is *decided* when every value within ``e`` of the held one gives the same answer;
    otherwise it is *ambiguous*, and the engine recomputes it exactly.

Two modes share all code:

* fast: ``int64`` limbs, ``S <= 8`` chosen from the magnitudes so nothing overflows,
  ``T = 9`` (17 decimal places in all);
* exact: Python integers in object arrays with ``F`` large enough that no product ever
  needs more places (so every error bound stays 0). Slow, used for ambiguous decisions,
  statements and inputs too large for ``int64``.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from .money import ceil_units, round_half_up

__all__ = ["FixedPoint", "WEIGHT_SCALE"]

WEIGHT_SCALE = 1_000_000  # weights, shares and rates are millionths
_INT64_LIMIT = 10**18  # |hi| stays below this in fast mode


class FixedPoint:
    """The arithmetic of one run: limb sizes and the array type.

    Examples
    --------
    >>> fp = FixedPoint(hi_digits=4, lo_digits=9)
    >>> hi, lo = fp.from_units(np.array([1250]), 2)      # 12.50
    >>> hi, lo, inexact = fp.mul(hi, lo, np.array([50_000]))  # * 0.05
    >>> fp.round(hi, lo, np.zeros(1, np.int64), 2)        # 0.625 -> 0.63
    (array([63]), array([False]))
    """

    def __init__(self, hi_digits: int, lo_digits: int, exact: bool = False):
        if lo_digits < 6:
            raise ValueError("the low limb needs at least 6 digits (one weight)")
        self.hi_digits = hi_digits
        self.lo_digits = lo_digits
        self.fine_digits = hi_digits + lo_digits
        self.exact = exact
        self.dtype = object if exact else np.int64
        self.base = 10**lo_digits
        self._spill = 10 ** (lo_digits - 6)

    def __repr__(self):
        mode = "exact" if self.exact else "fast"
        return f"FixedPoint({mode}, S={self.hi_digits}, T={self.lo_digits})"

    @classmethod
    def fast_for(cls, magnitude: int, min_hi_digits: int = 4) -> FixedPoint | None:
        """The fast arithmetic for values up to ``magnitude`` in absolute value, or None
        if ``int64`` limbs cannot hold them with ``min_hi_digits`` decimal places."""
        hi_digits = 8  # with T = 9, rounding remainders stay below 2 * 10^17
        while hi_digits >= min_hi_digits and max(magnitude, 1) * 10**hi_digits > _INT64_LIMIT:
            hi_digits -= 1
        if hi_digits < min_hi_digits:
            return None
        return cls(hi_digits, 9)

    @classmethod
    def exact_for(cls, fine_digits: int) -> FixedPoint:
        """Exact arithmetic holding ``fine_digits`` decimal places."""
        return cls(4, max(fine_digits - 4, 6), exact=True)

    # ------------------------------------------------------------------ construction

    def zeros(self, shape) -> np.ndarray:
        if self.exact:
            out = np.empty(shape, dtype=object)
            out.fill(0)
            return out
        return np.zeros(shape, np.int64)

    def cast(self, array) -> np.ndarray:
        return np.asarray(array).astype(self.dtype)

    def divmod(self, a, b):
        """Floor quotient and remainder (``np.divmod`` is several times slower)."""
        quotient = a // b
        return quotient, a - quotient * b

    def from_units(self, units, places: int) -> tuple[np.ndarray, np.ndarray]:
        """Limbs of integers ``units`` at scale ``10^places`` (``places <= F``), exactly."""
        units = self.cast(units)
        if places <= self.hi_digits:
            return units * 10 ** (self.hi_digits - places), self.zeros(units.shape)
        shift = places - self.hi_digits
        if shift > self.lo_digits:
            raise ValueError(f"{places} places do not fit {self}")
        hi, rest = self.divmod(units, 10**shift)
        return hi, rest * 10 ** (self.lo_digits - shift)

    def constant(self, value: Decimal) -> tuple[int, int]:
        """Limbs of ``ceil(value * 10^F) * 10^-F``, the threshold form of ``value``.

        A quantity ``x`` held exactly satisfies ``x >= value`` iff it is ``>=`` this.
        """
        return self._split(ceil_units(value, self.fine_digits))

    def floor_constant(self, value: Decimal) -> tuple[int, int, bool]:
        """Limbs of ``floor(value * 10^F)``, and whether that lost digits."""
        floor = -ceil_units(-value, self.fine_digits)
        return (*self._split(floor), Decimal(floor) != value.scaleb(self.fine_digits))

    def _split(self, fine: int) -> tuple[int, int]:
        hi, lo = divmod(fine, self.base)
        if not self.exact and abs(hi) >= _INT64_LIMIT:
            raise OverflowError(f"{fine} fine units do not fit {self}")
        return hi, lo

    def to_fine(self, hi, lo) -> int:
        """One number as a Python integer of fine units."""
        return int(hi) * self.base + int(lo)

    # ------------------------------------------------------------------ arithmetic

    def normalize(self, hi, lo):
        carry, lo = self.divmod(lo, self.base)
        return hi + carry, lo

    def add(self, a_hi, a_lo, b_hi, b_lo):
        return self.normalize(a_hi + b_hi, a_lo + b_lo)

    def mul(self, hi, lo, weight):
        """``value * weight / 10^6`` for ``0 <= weight <= 10^6`` (broadcast).

        Returns ``(hi, lo, inexact)``: the result rounded towards minus infinity to the
        fine unit, and where that rounding dropped a non-zero remainder.
        """
        weight = np.asarray(weight, np.int64)
        quotient, remainder = self.divmod(hi, WEIGHT_SCALE)
        # remainder * weight < 10^12 is a multiple of 10^-(S+6): exact in the low limb
        low = remainder * weight * self._spill
        carry_low, dropped = self.divmod(lo * weight, WEIGHT_SCALE)
        carry, new_lo = self.divmod(low + carry_low, self.base)
        return quotient * weight + carry, new_lo, dropped != 0

    def mul_error(self, error, weight):
        """An error bound times ``weight / 10^6``, rounded up."""
        weight = np.asarray(weight, np.int64)
        quotient, remainder = self.divmod(error, WEIGHT_SCALE)
        return quotient * weight + (remainder * weight + WEIGHT_SCALE - 1) // WEIGHT_SCALE

    def less(self, a_hi, a_lo, b_hi, b_lo):
        return (a_hi < b_hi) | ((a_hi == b_hi) & (a_lo < b_lo))

    def minimum(self, hi, lo, c_hi: int, c_lo: int):
        """Element-wise ``min(value, constant)``."""
        below = self.less(hi, lo, c_hi, c_lo)
        return np.where(below, hi, c_hi), np.where(below, lo, c_lo)

    # ------------------------------------------------------------------ decisions

    def _widen(self, hi, lo, error):
        """Limbs of ``value - error`` and ``value + error``."""
        error_hi, error_lo = self.divmod(np.asarray(error, np.int64), self.base)
        low = self.normalize(hi - error_hi, lo - error_lo)
        high = self.normalize(hi + error_hi, lo + error_lo)
        return low, high

    def at_least(self, hi, lo, error, c_hi: int, c_lo: int):
        """``value >= constant`` as ``(surely, possibly)`` given the error bound.

        The decision is ambiguous where ``possibly & ~surely``.
        """
        surely = ~self.less(hi, lo, c_hi, c_lo)
        possibly = surely.copy()
        unsure = self._uncertain(error)
        if unsure.size:
            (l_hi, l_lo), (h_hi, h_lo) = self._widen(hi[unsure], lo[unsure], error[unsure])
            surely[unsure] = ~self.less(l_hi, l_lo, c_hi, c_lo)
            possibly[unsure] = ~self.less(h_hi, h_lo, c_hi, c_lo)
        return surely, possibly

    def floor(self, hi, lo, error, places: int):
        """Round toward minus infinity to ``places`` decimals (``places <= S``): shown
        volumes (``volumes.shown_volume``).

        Returns ``(units, ambiguous)`` as ``round`` does: the error bound is ambiguous where
        it straddles a multiple of ``10^-places``.
        """
        if places > self.hi_digits:
            raise ValueError(f"cannot round to {places} places with {self}")
        unit = 10 ** (self.hi_digits - places)
        # lo is normalized (0 <= lo < 10^T): it never reaches the next unit of hi.
        units = hi // unit
        ambiguous = np.zeros(np.shape(units), bool)
        unsure = self._uncertain(error)
        if unsure.size:
            (l_hi, _l_lo), (h_hi, _h_lo) = self._widen(hi[unsure], lo[unsure], error[unsure])
            low = l_hi // unit
            ambiguous[unsure] = low != h_hi // unit
            units[unsure] = low
        return units, ambiguous

    def _uncertain(self, error) -> np.ndarray:
        """Positions with a non-zero error bound (none in exact mode)."""
        if self.exact:
            return np.zeros(0, np.int64)
        return np.flatnonzero(np.asarray(error) != 0)

    def _round_held(self, hi, lo, places: int):
        negative = hi < 0
        has_lo = lo != 0
        abs_hi = np.where(negative, np.where(has_lo, -hi - 1, -hi), hi)
        abs_lo = np.where(negative & has_lo, self.base - lo, lo)
        unit = 10 ** (self.hi_digits - places)
        quotient, rest = self.divmod(abs_hi, unit)
        # the remainder rest * base + abs_lo (< 10^17 in fast mode) rounds to 0 or 1 unit
        rounded = quotient + round_half_up(rest * self.base + abs_lo, unit * self.base)
        return np.where(negative, -rounded, rounded)

    def round(self, hi, lo, error, places: int):
        """Round half up (ties away from zero) to ``places`` decimals (``places <= S``).

        Returns ``(units, ambiguous)``: integers at scale ``10^places``, and where the error
        bound straddles a rounding boundary (the units there are not to be trusted).
        Rounding is monotone, so the value is decided when both ends of the bound agree.
        """
        if places > self.hi_digits:
            raise ValueError(f"cannot round to {places} places with {self}")
        units = self._round_held(hi, lo, places)
        ambiguous = np.zeros(np.shape(units), bool)
        unsure = self._uncertain(error)
        if unsure.size:
            (l_hi, l_lo), (h_hi, h_lo) = self._widen(hi[unsure], lo[unsure], error[unsure])
            low = self._round_held(l_hi, l_lo, places)
            ambiguous[unsure] = low != self._round_held(h_hi, h_lo, places)
            units[unsure] = low
        return units, ambiguous
