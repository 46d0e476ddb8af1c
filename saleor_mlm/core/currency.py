"""Currency minor units and exact money amounts.

Saleor sends `Money.amount` as a JSON float (49.88). A float is not an exact decimal, but
its shortest `repr` is the decimal Saleor meant, so amounts go float -> `str` -> `Decimal`
and are then quantized to the currency's minor unit: 49.88 EUR stays 49.88, 1500 JPY has
no decimals, 1.234 KWD keeps three.

The minor units are the engine's (`saleor_mlm.engine.money.minor_digits`: Babel's currency
precision, the same data Saleor rounds its prices with); a missing or malformed code counts
as 2 places here, where the engine refuses it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# The engine (which imports nothing from Django or core) owns the one lookup of minor
# units; webhook amounts and bonuses must agree on every currency's minor unit.
from saleor_mlm.engine.money import minor_digits

DEFAULT_EXPONENT = 2


class InvalidAmount(ValueError):
    """An amount that is not a finite number."""


def currency_digits(currency: str) -> int:
    """Number of decimal places of the currency's minor unit (JPY 0, EUR 2, KWD 3, HUF 0)."""
    try:
        return minor_digits((currency or "").upper())
    except ValueError:  # not a three-letter code
        return DEFAULT_EXPONENT


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
