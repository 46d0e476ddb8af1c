"""Currency minor units (ISO 4217 exponents) and exact money amounts.

Saleor sends `Money.amount` as a JSON float (49.88). A float is not an exact decimal, but
its shortest `repr` is the decimal Saleor meant, so amounts go float -> `str` -> `Decimal`
and are then quantized to the currency's minor unit: 49.88 EUR stays 49.88, 1500 JPY has
no decimals, 1.234 KWD keeps three.

Only the currencies whose exponent is not 2 are listed (in `saleor_mlm.engine.money`);
every other code defaults to 2.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# The engine (which imports nothing from Django or core) owns the one table of ISO 4217
# exponents; webhook amounts and bonuses must agree on every currency's minor unit.
from saleor_mlm.engine.money import NON_DEFAULT_EXPONENTS

DEFAULT_EXPONENT = 2


class InvalidAmount(ValueError):
    """An amount that is not a finite number."""


def currency_digits(currency: str) -> int:
    """Number of decimal places of the currency's minor unit (JPY 0, EUR 2, KWD 3)."""
    return NON_DEFAULT_EXPONENTS.get((currency or "").upper(), DEFAULT_EXPONENT)


def quantum(currency: str) -> Decimal:
    """The smallest amount of the currency: Decimal('0.01') for EUR, Decimal('1') for JPY."""
    return Decimal(1).scaleb(-currency_digits(currency))


def to_decimal(amount: float | int | str | Decimal, currency: str) -> Decimal:
    """Exact amount in the currency's minor unit.

    Floats go through `str` (their shortest repr), never `Decimal(float)`, which would keep
    the binary error (Decimal(0.1) == 0.1000000000000000055...).

    >>> to_decimal(49.88, "EUR")
    Decimal('49.88')
    >>> to_decimal(1500.0, "JPY")
    Decimal('1500')
    >>> to_decimal(1.2345, "KWD")
    Decimal('1.235')
    """
    if isinstance(amount, bool):
        raise InvalidAmount(f"not an amount: {amount!r}")
    try:
        value = Decimal(str(amount)) if isinstance(amount, float) else Decimal(amount)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise InvalidAmount(f"not an amount: {amount!r}") from exc
    if not value.is_finite():
        raise InvalidAmount(f"not a finite amount: {amount!r}")
    try:
        return value.quantize(quantum(currency), rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:  # more digits than a Decimal holds (1e30 in cents)
        raise InvalidAmount(f"amount too large: {amount!r}") from exc
