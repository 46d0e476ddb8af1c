"""How the periods API writes numbers: money is a decimal quantized to the currency's minor
unit, volumes are shown volumes (hundredths rounded toward minus infinity: the engine's
`shown_volume`, the rule of the CSV files, the dashboard and `saleor-mlm simulate`)."""

from decimal import Decimal

from saleor_mlm.engine.volumes import shown_volume

HUNDREDTH = Decimal("0.01")


def money(value, places: int) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(Decimal(1).scaleb(-places))


def volume(value) -> Decimal | None:
    return shown_volume(value)


def enum_value(item) -> str:
    """The value of a graphene enum member, or the string given instead of one."""
    return getattr(item, "value", item)
