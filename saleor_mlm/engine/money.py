"""Decimal numbers in plan documents and exchange files, and money in minor units.

Terms
-----
decimal text
    A number written as ``-12.50``: an optional sign, digits, optionally a point and
    more digits. No exponent, no thousands separator, no ``NaN``.
units at scale ``10^k``
    The integer ``x * 10^k`` of a decimal ``x`` with at most ``k`` decimal places: the
    engine stores volumes as units at scale ``10^4`` and rates and shares as units at
    scale ``10^6`` ("millionths").
minor unit
    The smallest unit of a currency: EUR has 2 decimal places, JPY 0, KWD 3, HUF 0. The
    number of places comes from Babel (the Unicode CLDR currency data), as Saleor's own
    ``saleor.core.prices.quantize_price`` takes it: amounts Saleor sends are already
    rounded to that unit, and bonuses are rounded once per partner and bonus to it.
half up
    ``ROUND_HALF_UP``: ties go away from zero, ``0.625 -> 0.63``, ``-0.625 -> -0.63``.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import cache

# Babel is a plain library (no Django, no I/O beyond its packaged data): the engine stays
# pure. It is asked at run time rather than copied into a table here, so there is one
# source of exponents and it is the one Saleor uses; the first lookup loads Babel's data
# (about 20 ms once per process), then every code is a cached dictionary hit.
from babel.numbers import get_currency_precision

__all__ = [
    "CURRENCY_CODE",
    "DECIMAL_TEXT",
    "bounded_decimal_text",
    "DecimalSyntaxError",
    "minor_digits",
    "parse_decimal",
    "to_units",
    "ceil_units",
    "units_text",
    "round_half_up",
    "round_half_up_units",
]

# An ISO 4217 code, and decimal text as `parse_decimal` reads it (the plan schema says both).
CURRENCY_CODE = re.compile(r"[A-Z]{3}")
DECIMAL_TEXT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def bounded_decimal_text(int_digits: int, places: int) -> str:
    """The pattern of decimal text with 1 to ``int_digits`` digits before the point and, if
    there is a point, 1 to ``places`` after it: the limits of a column of an exchange file.
    The same text is a Python ``re`` and an RE2 pattern (pyarrow's), not anchored.

    Examples
    --------
    >>> bool(re.fullmatch(bounded_decimal_text(11, 4), "-12.5")), bool(re.fullmatch(bounded_decimal_text(1, 6), "10"))
    (True, False)
    """
    return rf"[+-]?\d{{1,{int_digits}}}(?:\.\d{{1,{places}}})?"


class DecimalSyntaxError(ValueError):
    """A value that is not a decimal number, or has more decimal places than allowed."""


def minor_digits(currency: str) -> int:
    """Decimal places of the minor unit of an ISO 4217 currency code (Babel's precision;
    2 for a code Babel does not know).

    Examples
    --------
    >>> minor_digits("EUR"), minor_digits("JPY"), minor_digits("KWD"), minor_digits("HUF")
    (2, 0, 3, 0)
    """
    if not isinstance(currency, str) or not CURRENCY_CODE.fullmatch(currency):
        raise ValueError(f"'{currency}' is not an ISO 4217 currency code")
    return _precision(currency)


@cache  # bounded: at most 26^3 codes pass the pattern
def _precision(code: str) -> int:
    return get_currency_precision(code)


def parse_decimal(value: object) -> Decimal:
    """A plan or exchange-file number as an exact ``Decimal``.

    Strings must be decimal text; integers are taken as they are; a float (as YAML and
    JSON parsers produce for ``0.05``) is read through its shortest ``repr``, which is
    the decimal the author wrote.

    Examples
    --------
    >>> parse_decimal("0.05"), parse_decimal(50), parse_decimal(0.1)
    (Decimal('0.05'), Decimal('50'), Decimal('0.1'))
    """
    if isinstance(value, bool) or value is None:
        raise DecimalSyntaxError(f"{value!r} is not a decimal number")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        try:
            result = Decimal(repr(value))
        except InvalidOperation:
            raise DecimalSyntaxError(f"{value!r} is not a decimal number") from None
        if not result.is_finite():
            raise DecimalSyntaxError(f"{value!r} is not a decimal number")
        return result
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise DecimalSyntaxError(f"{value!r} is not a decimal number")
        return value
    if isinstance(value, str):
        text = value.strip()
        if DECIMAL_TEXT.fullmatch(text):
            return Decimal(text)
        raise DecimalSyntaxError(f"'{value}' is not a decimal number")
    raise DecimalSyntaxError(f"{value!r} is not a decimal number")


def to_units(value: Decimal, places: int) -> int:
    """``value * 10^places`` as an integer; ``DecimalSyntaxError`` if that is not exact.

    Examples
    --------
    >>> to_units(Decimal("0.05"), 6), to_units(Decimal("12.50"), 2)
    (50000, 1250)
    """
    scaled = value.scaleb(places)
    if scaled != scaled.to_integral_value():
        raise DecimalSyntaxError(f"{value} has more than {places} decimal places")
    return int(scaled)


def ceil_units(value: Decimal, places: int) -> int:
    """The least integer ``n`` with ``n >= value * 10^places`` (exact for any decimal).

    A threshold ``t`` compared with a quantity known as units at scale ``10^places``:
    ``units >= t * 10^places`` holds exactly when ``units >= ceil_units(t, places)``.
    """
    sign, digits, exponent = value.as_tuple()
    number = int("".join(map(str, digits)) or "0")
    shift = exponent + places
    if shift >= 0:
        result = number * 10**shift
        return -result if sign else result
    quotient, remainder = divmod(number, 10**-shift)
    if sign:
        return -quotient
    return quotient + (1 if remainder else 0)


def round_half_up(value, unit):
    """``value / unit`` rounded half up (ties away from zero): the one definition of the
    engine's rounding, for Python integers, integer arrays (``int64`` or Python integers
    in object arrays, element-wise) and, compiled, in the engine's kernel.

    Examples
    --------
    >>> round_half_up(625, 100), round_half_up(-625, 100), round_half_up(-624, 100)
    (6, -6, -6)
    """
    magnitude = abs(value)
    quotient = magnitude // unit
    quotient = quotient + (2 * (magnitude - quotient * unit) >= unit)
    return quotient * ((value >= 0) * 2 - 1)


def round_half_up_units(numerator, scale_digits: int, places: int):
    """Round ``numerator / 10^scale_digits`` half up (away from zero) to ``places``:
    ``round_half_up`` for decimal scales (an integer or an integer array).

    Returns units at scale ``10^places``.

    Examples
    --------
    >>> round_half_up_units(625, 4, 2), round_half_up_units(-625, 4, 2)
    (6, -6)
    """
    if scale_digits <= places:
        return numerator * 10 ** (places - scale_digits)
    return round_half_up(numerator, 10 ** (scale_digits - places))


def units_text(units: int, places: int) -> str:
    """Decimal text of ``units / 10^places`` with exactly ``places`` decimals.

    Zero is written without a sign.

    Examples
    --------
    >>> units_text(123450, 2), units_text(-5, 2), units_text(0, 2), units_text(1500, 0)
    ('1234.50', '-0.05', '0.00', '1500')
    """
    units = int(units)
    if places == 0:
        return str(units)
    digits = str(abs(units)).rjust(places + 1, "0")
    sign = "-" if units < 0 else ""
    return f"{sign}{digits[:-places]}.{digits[-places:]}"
