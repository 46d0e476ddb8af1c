"""PV and BV of order lines. Pure functions: no database, no clock.

Terms:

- *PV* (qualifying points) and *BV* (commissionable value in the plan currency) of a line
  are per-unit values from metadata times the quantity, else derived from the price.
- Per key, the first source that has a value wins: variant metadata (`mlm.pv`, `mlm.bv`),
  then product metadata, then the price: BV = net line total converted to the plan
  currency, PV = BV x `pv_per_bv`. For a partner program other than the default, its own
  keys (`mlm.<code>.pv`: variant, then product) come first (docs/programs.md).
- Both are rounded once per line to 2 decimal places, half up: BV is money in the plan
  currency (cents), and PV gets the same precision so that a refund's proportional share
  of a line stays exact to the hundredth. The ledger columns keep 4 places for
  adjustments and future plans.
- Metadata values are decimals written with a dot ("12.5"). Anything else (a comma, text,
  a negative number, NaN, a number as large as `1e400`) is an error: the event is parked
  with the message, never credited with a guess. So is a line or an order whose volume
  would reach `MAX_ENTRY_VOLUME` (a huge quantity or price).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext

from saleor_mlm.core.text import quoted

from . import MAX_ENTRY_VOLUME, LineVolumeSource

CENT = Decimal("0.01")


def quantize(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


class VolumeError(ValueError):
    """A line's volume cannot be computed from what Saleor sent (bad metadata)."""


@dataclass(frozen=True)
class VolumeRules:
    plan_currency: str
    pv_per_bv: Decimal
    pv_key: str = "mlm.pv"
    bv_key: str = "mlm.bv"
    # A partner program's own keys, read before `pv_key` / `bv_key` ("" for none).
    program_pv_key: str = ""
    program_bv_key: str = ""


@dataclass(frozen=True)
class OrderLine:
    """The fields of an order line the ledger needs."""

    line_id: str
    sku: str
    quantity: int
    total_net: Decimal  # in the order currency
    variant_id: str
    variant_metadata: Mapping[str, str]
    product_id: str
    product_metadata: Mapping[str, str]
    # The product's type, category and collections: which programs the line counts in.
    product_type_id: str = ""
    category_id: str = ""
    collection_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class LineVolume:
    line_id: str
    sku: str
    quantity: int
    pv: Decimal
    bv: Decimal
    pv_source: str
    bv_source: str

    def as_json(self) -> dict:
        return {
            "line_id": self.line_id,
            "sku": self.sku,
            "quantity": self.quantity,
            "pv": str(self.pv),
            "bv": str(self.bv),
            "pv_source": self.pv_source,
            "bv_source": self.bv_source,
        }

    @classmethod
    def from_json(cls, data: Mapping) -> LineVolume:
        return cls(
            line_id=data["line_id"],
            sku=data.get("sku", ""),
            quantity=int(data.get("quantity", 0)),
            pv=Decimal(data["pv"]),
            bv=Decimal(data["bv"]),
            pv_source=data.get("pv_source", ""),
            bv_source=data.get("bv_source", ""),
        )


# ------------------------------------------------------------------ reading stored lines


def metadata_dict(value) -> dict[str, str]:
    """Saleor sends metadata as `[{key, value}]`; stored records may hold a dict."""
    if not value:
        return {}
    if isinstance(value, Mapping):
        return {str(k): v for k, v in value.items()}
    return {item["key"]: item.get("value") for item in value if isinstance(item, Mapping) and "key" in item}


def _amount(value) -> Decimal:
    # Amounts are stored as decimal strings; a float would go through str (49.88 stays 49.88).
    if isinstance(value, Mapping):
        value = value.get("amount")
    try:
        amount = Decimal(str(value if value is not None else "0"))
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise VolumeError(f"line amount {value!r} is not a decimal")
    return amount


def parse_line(data: Mapping) -> OrderLine:
    """An `OrderRecord.lines` item as the webhook boundary stores it
    (`saleor_mlm.saleor.payloads.OrderLine.as_json`)."""
    total_price = data.get("total_price") or {}
    return OrderLine(
        line_id=str(data.get("id") or ""),
        sku=str(data.get("product_sku") or ""),
        quantity=int(data.get("quantity") or 0),
        total_net=_amount(total_price.get("net") if isinstance(total_price, Mapping) else None),
        variant_id=str(data.get("variant_id") or ""),
        variant_metadata=metadata_dict(data.get("variant_metadata")),
        product_id=str(data.get("product_id") or ""),
        product_metadata=metadata_dict(data.get("product_metadata")),
        product_type_id=str(data.get("product_type_id") or ""),
        category_id=str(data.get("category_id") or ""),
        collection_ids=tuple(str(pk) for pk in data.get("collection_ids") or ()),
    )


def parse_lines(raw_lines: Iterable[Mapping]) -> list[OrderLine]:
    return [parse_line(line) for line in raw_lines or []]


# ------------------------------------------------------------------ computing volumes


def metadata_decimal(metadata: Mapping[str, str], key: str, where: str) -> Decimal | None:
    """The per-unit value under `key`, None when absent or empty."""
    raw = metadata.get(key)
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise VolumeError(f"{where} metadata {key}={quoted(raw)} is not a decimal (write it like 12.5)") from None
    if not value.is_finite() or value < 0:
        raise VolumeError(f"{where} metadata {key}={quoted(raw)} must be a number >= 0")
    if value >= MAX_ENTRY_VOLUME:
        raise VolumeError(
            gettext("%(where)s metadata %(key)s=%(value)s is too large (it must be below %(limit)s)")
            % {"where": where, "key": key, "value": quoted(raw), "limit": f"{MAX_ENTRY_VOLUME:,}"}
        )
    return value


def _bounded(value: Decimal, line: OrderLine, what: str) -> Decimal:
    """`value` rounded to the cent, or VolumeError when it is beyond what an entry holds.
    Checked before rounding: rounding a number that large would raise on its own."""
    if abs(value) >= MAX_ENTRY_VOLUME:
        raise VolumeError(
            gettext("line %(line)s: its %(what)s (%(value)s) is too large (it must be below %(limit)s)")
            % {"line": line.line_id or line.sku, "what": what, "value": f"{value:.4E}", "limit": f"{MAX_ENTRY_VOLUME:,}"}
        )
    return quantize(value)


def _per_unit(line: OrderLine, key: str, program_key: str = "") -> tuple[Decimal | None, str]:
    if program_key:
        value, source = _per_unit(line, program_key)
        if value is not None:
            return value, source
    value = metadata_decimal(line.variant_metadata, key, f"variant {line.variant_id or line.sku}")
    if value is not None:
        return value, LineVolumeSource.VARIANT
    value = metadata_decimal(line.product_metadata, key, f"product {line.product_id or line.sku}")
    if value is not None:
        return value, LineVolumeSource.PRODUCT
    return None, LineVolumeSource.PRICE


def needs_exchange_rate(lines: Iterable[OrderLine], rules: VolumeRules, order_currency: str) -> bool:
    """Whether some line's BV must come from its price in a currency other than the plan's.

    Raises VolumeError for bad metadata, so a broken order is reported as such and not
    as a missing rate.
    """
    if order_currency.upper() == rules.plan_currency.upper():
        for line in lines:  # still validate the metadata
            _per_unit(line, rules.pv_key, rules.program_pv_key)
            _per_unit(line, rules.bv_key, rules.program_bv_key)
        return False
    needed = False
    for line in lines:
        _per_unit(line, rules.pv_key, rules.program_pv_key)
        bv, _ = _per_unit(line, rules.bv_key, rules.program_bv_key)
        needed = needed or bv is None
    return needed


def line_volume(line: OrderLine, rules: VolumeRules, rate: Decimal | None) -> LineVolume:
    """PV and BV of one line. `rate` converts the order currency to the plan currency
    (plan units per order unit); it may be None when no line needs the price."""
    bv_unit, bv_source = _per_unit(line, rules.bv_key, rules.program_bv_key)
    if bv_unit is not None:
        bv = _bounded(bv_unit * line.quantity, line, "BV")
    else:
        if rate is None:
            raise VolumeError(f"line {line.line_id}: BV from the price needs an exchange rate")
        bv = _bounded(line.total_net * rate, line, "BV")
    pv_unit, pv_source = _per_unit(line, rules.pv_key, rules.program_pv_key)
    pv = _bounded(pv_unit * line.quantity if pv_unit is not None else bv * rules.pv_per_bv, line, "PV")
    return LineVolume(line.line_id, line.sku, line.quantity, pv, bv, pv_source, bv_source)


def order_volumes(lines: Iterable[OrderLine], rules: VolumeRules, rate: Decimal | None) -> list[LineVolume]:
    volumes = [line_volume(line, rules, rate) for line in lines]
    for what in ("pv", "bv"):
        total = sum((getattr(volume, what) for volume in volumes), Decimal(0))
        if total >= MAX_ENTRY_VOLUME:
            raise VolumeError(
                gettext("the order's %(what)s (%(value)s) is too large (it must be below %(limit)s)")
                % {"what": what.upper(), "value": f"{total:.4E}", "limit": f"{MAX_ENTRY_VOLUME:,}"}
            )
    return volumes


# ------------------------------------------------------------------ refunds


def refunded_share(refunded: Decimal, gross: Decimal) -> Decimal:
    """The share of an order that refunds naming no line took back so far: `refunded` /
    the order's gross total, at most 1.

    The basis is the gross total (what the customer was asked to pay, shipping included),
    because Saleor lowers `totalCharged` by every refund: it is not stable."""
    if refunded <= 0:
        return Decimal(0)
    if gross <= 0 or refunded >= gross:
        return Decimal(1)
    return refunded / gross


def refunded_line_shares(
    lines: Iterable[LineVolume], *, total_refunded: Decimal, gross: Decimal, named: Mapping[str, int], named_amount: Decimal
) -> dict[str, Decimal]:
    """The share of each credited line that Saleor's refunds took back so far, by line id.

    A refund that names lines (a granted refund with lines) takes back those lines: the
    quantity named over the line's quantity. What was refunded beyond the amounts of those
    refunds (`total_refunded` - `named_amount`: refunds naming no line, shipping) takes back
    the same share of every line (`refunded_share`). A line's share is the sum, at most 1.
    Without named lines this is the proportional rule alone.

    >>> line = LineVolume("L1", "M", 2, Decimal("20"), Decimal("44.98"), "product", "price")
    >>> refunded_line_shares([line], total_refunded=Decimal("22.49"), gross=Decimal("69.87"),
    ...                      named={"L1": 1}, named_amount=Decimal("22.49"))
    {'L1': Decimal('0.5')}
    """
    unnamed = refunded_share(max(total_refunded - named_amount, Decimal(0)), gross)
    shares = {}
    for line in lines:
        quantity = named.get(line.line_id, 0)
        by_name = Decimal(1) if line.quantity <= 0 or quantity >= line.quantity else Decimal(quantity) / Decimal(line.quantity)
        shares[line.line_id] = min(Decimal(1), by_name + unnamed) if quantity else unnamed
    return shares


def take_back_delta(credited: Decimal, share: Decimal, taken: Decimal) -> Decimal:
    """What a take-back of `share` of a line credited `credited` adds to the `taken` so far.

    Cumulative: the target is what the refunds so far take back in total, so two partial
    refunds and a full one add up exactly to what was credited, and an older refund arriving
    late takes nothing. Never more than what remains."""
    target = credited if share >= 1 else quantize(credited * share)
    return min(max(target - taken, Decimal(0)), max(credited - taken, Decimal(0)))
