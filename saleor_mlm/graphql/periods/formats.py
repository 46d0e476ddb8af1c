"""How the periods API writes numbers: money is a decimal quantized to the currency's minor
unit, volumes to hundredths."""

from decimal import Decimal

HUNDREDTH = Decimal("0.01")


def money(value, places: int) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(Decimal(1).scaleb(-places))


def volume(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(HUNDREDTH)


def enum_value(item) -> str:
    """The value of a graphene enum member, or the string given instead of one."""
    return getattr(item, "value", item)
