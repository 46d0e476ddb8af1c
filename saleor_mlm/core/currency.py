"""Currency minor units (ISO 4217 exponents) and exact money amounts.

Saleor sends `Money.amount` as a JSON float (49.88). A float is not an exact decimal, but
its shortest `repr` is the decimal Saleor meant, so amounts go float -> `str` -> `Decimal`
and are then quantized to the currency's minor unit: 49.88 EUR stays 49.88, 1500 JPY has
no decimals, 1.234 KWD keeps three.

Only the currencies whose exponent is not 2 are listed; every other code defaults to 2.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# ISO 4217 currencies whose minor unit is not 1/100.
_NON_DEFAULT_EXPONENTS: dict[str, int] = {
    # no minor unit
    "BIF": 0,
    "CLP": 0,
    "DJF": 0,
    "GNF": 0,
    "ISK": 0,
    "JPY": 0,
    "KMF": 0,
    "KRW": 0,
    "PYG": 0,
    "RWF": 0,
    "UGX": 0,
    "UYI": 0,
    "VND": 0,
    "VUV": 0,
    "XAF": 0,
    "XOF": 0,
    "XPF": 0,
    # thousandths
    "BHD": 3,
    "IQD": 3,
    "JOD": 3,
    "KWD": 3,
    "LYD": 3,
    "OMR": 3,
    "TND": 3,
    # ten-thousandths (funds codes)
    "CLF": 4,
    "UYW": 4,
}
DEFAULT_EXPONENT = 2


class InvalidAmount(ValueError):
    """An amount that is not a finite number."""


def currency_digits(currency: str) -> int:
    """Number of decimal places of the currency's minor unit (JPY 0, EUR 2, KWD 3)."""
    return _NON_DEFAULT_EXPONENTS.get((currency or "").upper(), DEFAULT_EXPONENT)


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
    return value.quantize(quantum(currency), rounding=ROUND_HALF_UP)
