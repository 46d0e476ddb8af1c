"""The plan document (spec section 5): dataclasses and validation.

Terms
-----
plan document
    The parsed YAML or JSON mapping a company writes: currency, qualification, ranks
    (lowest first) and bonus rates. ``parse_plan`` turns it into a frozen ``Plan``.
key path
    Where a value sits in the document, written like ``ranks[2].difference_rate`` or
    ``bonuses.level_rates[0]`` (list positions count from 0, as in the document's
    array). Every validation error names one.
rate
    A fraction, ``"0.05"`` is 5 %, between 0 and 1 with at most 6 decimal places
    (``RATE_PLACES``). Rates, ``max_leg_share`` and care shares are held as millionths.
threshold
    ``active_min_pv``, ``min_pv``, ``min_gv``, ``min_ov``: decimals with any number of
    decimal places (a negative one is allowed and harmless); comparisons are exact.

Defaults (spec section 5 and docs/engine.md): no ``compression`` means ``dynamic``; no
``active_min_pv`` means 0; a rank without ``level_depth`` pays every level of
``level_rates``; without ``generation_depth`` no generation bonus; without
``difference_rate`` a rate of 0; without ``advancement_bonus`` nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .money import DecimalSyntaxError, minor_digits, parse_decimal, to_units

__all__ = [
    "Compression",
    "MinLegs",
    "Plan",
    "PlanValidationError",
    "Rank",
    "RATE_PLACES",
    "MAX_RATE_LEVELS",
    "parse_plan",
]

RATE_PLACES = 6  # rates and shares are exact in millionths
RATE_SCALE = 10**RATE_PLACES
MAX_RATE_LEVELS = 20  # longest level_rates / generation_rates


class Compression:
    DYNAMIC = "dynamic"  # unqualified partners are skipped when counting levels
    NONE = "none"  # a level is an edge

    CHOICES = (DYNAMIC, NONE)


class PlanValidationError(ValueError):
    """An invalid plan document; ``errors`` lists ``(key path, message)``, ``key`` is the first.

    Examples
    --------
    >>> try:
    ...     parse_plan({"currency": "EUR", "ranks": [{"code": "a", "difference_rate": "-1"}]})
    ... except PlanValidationError as error:
    ...     print(error)
    ranks[0].difference_rate: negative rate -1
    """

    def __init__(self, errors: Sequence[tuple[str, str]]):
        self.errors = list(errors)
        self.key, self.message = self.errors[0]
        super().__init__(f"{self.key}: {self.message}")


@dataclass(frozen=True)
class MinLegs:
    count: int
    rank: int  # index into Plan.ranks


@dataclass(frozen=True)
class Rank:
    code: str
    min_pv: Decimal | None = None
    min_gv: Decimal | None = None
    max_leg_share: Decimal | None = None
    min_ov: Decimal | None = None
    min_legs: MinLegs | None = None
    difference_rate: Decimal = Decimal(0)
    level_depth: int | None = None  # None: every level of level_rates
    generation_depth: int | None = None  # None: no generation bonus
    advancement_bonus: Decimal = Decimal(0)

    @property
    def leg_cap(self) -> Decimal | None:
        """``max_leg_share * min_gv``, the most one line counts towards ``min_gv``."""
        if self.max_leg_share is None or self.min_gv is None:
            return None
        return self.max_leg_share * self.min_gv


@dataclass(frozen=True)
class Plan:
    currency: str
    ranks: tuple[Rank, ...]
    name: str = ""
    active_min_pv: Decimal = Decimal(0)
    compression: str = Compression.DYNAMIC
    breakaway_rank: int | None = None  # index into ranks; None: no breakaways
    customer_rate: Decimal = Decimal(0)
    level_rates: tuple[Decimal, ...] = ()
    generation_rates: tuple[Decimal, ...] = ()
    @property
    def minor_digits(self) -> int:
        """Decimal places of the currency's minor unit."""
        return minor_digits(self.currency)

    # The rank-to-rate tables: indexed by rank index + 1, so that entry 0 is "no rank".

    @property
    def difference_rates(self) -> tuple[int, ...]:
        """The difference rate in millionths per rank index + 1 (entry 0: no rank, 0)."""
        return (0,) + tuple(to_units(rank.difference_rate, RATE_PLACES) for rank in self.ranks)

    @property
    def rate_levels(self) -> tuple[int, ...]:
        """The distinct difference rates in millionths, 0 first, increasing: the
        columns of the difference vector (docs/engine.md, reading 5)."""
        return tuple(sorted(set(self.difference_rates)))

    @property
    def rate_level_of_rank(self) -> tuple[int, ...]:
        """The index into ``rate_levels`` of each rank index + 1 (entry 0: no rank)."""
        levels = self.rate_levels
        return tuple(levels.index(rate) for rate in self.difference_rates)


# The plan document's shape: every key and the kind of value it holds (the kinds are the
# `_Reader` methods below). This is the one definition of the document: `parse_plan` reads
# by it and `plan_schema.plan_schema()` writes it out as the JSON Schema the dashboard's
# plan form validates with (graphql/plan.schema.json, docs/engine.md). Checks that span
# several values (unique rank codes, difference rates that do not fall) are `parse_plan`'s.
RANK_FIELDS: dict = {
    "code": "code", "name": "any", "description": "any",
    "min_pv": "decimal", "min_gv": "decimal", "max_leg_share": "rate", "min_ov": "decimal",
    "min_legs": {"count": "count_from_1", "rank": "rank_code"},
    "difference_rate": "rate", "level_depth": "count", "generation_depth": "count",
    "advancement_bonus": "amount",
}  # fmt: skip
BONUS_FIELDS: dict = {"customer_rate": "rate", "level_rates": "rates", "generation_rates": "rates"}
PLAN_FIELDS: dict = {
    "name": "text", "version": "any", "description": "any", "currency": "currency",
    "active_min_pv": "decimal", "compression": "compression", "breakaway_rank": "rank_code",
    "bonuses": BONUS_FIELDS, "ranks": [RANK_FIELDS],
}  # fmt: skip
# A value that needs another beside it (JSON Schema's dependentRequired).
RANK_NEEDS = {"max_leg_share": "min_gv"}


class _Reader:
    """Collects errors while reading values at key paths."""

    def __init__(self):
        self.errors: list[tuple[str, str]] = []

    def fail(self, key: str, message: str) -> None:
        self.errors.append((key, message))

    def mapping(self, value, key: str, allowed: set[str]) -> Mapping:
        if not isinstance(value, Mapping):
            self.fail(key or "plan", "must be a mapping")
            return {}
        for name in value:
            if name not in allowed:
                prefix = f"{key}." if key else ""
                self.fail(f"{prefix}{name}", "unknown key")
        return value

    def decimal(self, value, key: str) -> Decimal | None:
        try:
            return parse_decimal(value)
        except DecimalSyntaxError:
            self.fail(key, f"malformed decimal {value!r}")
            return None

    def amount(self, value, key: str) -> Decimal | None:
        number = self.decimal(value, key)
        if number is not None and number < 0:
            self.fail(key, f"must not be negative, got {number}")
            return None
        return number

    def rate(self, value, key: str) -> Decimal | None:
        number = self.decimal(value, key)
        if number is None:
            return None
        if number < 0:
            self.fail(key, f"negative rate {number}")
        elif number > 1:
            self.fail(key, f"rate {number} is above 1 (rates are fractions: 0.05 is 5 %)")
        else:
            try:
                to_units(number, RATE_PLACES)
                return number
            except DecimalSyntaxError:
                self.fail(key, f"rate {number} has more than {RATE_PLACES} decimal places")
        return None

    def rates(self, value, key: str) -> tuple[Decimal, ...]:
        if value is None:
            return ()
        if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
            self.fail(key, "must be a list of rates")
            return ()
        if len(value) > MAX_RATE_LEVELS:
            self.fail(key, f"{len(value)} levels; at most {MAX_RATE_LEVELS}")
        rates = [self.rate(item, f"{key}[{index}]") for index, item in enumerate(value)]
        return tuple(rate if rate is not None else Decimal(0) for rate in rates)

    def count(self, value, key: str, minimum: int) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, f"must be a whole number, got {value!r}")
            return None
        if value < minimum:
            self.fail(key, f"must be at least {minimum}, got {value}")
            return None
        return value

    def rank_ref(self, value, key: str, codes: dict[str, int]) -> int | None:
        if not isinstance(value, str) or value not in codes:
            self.fail(key, f"unknown rank code {value!r}")
            return None
        return codes[value]

    def field(self, fields: dict, name: str, value, key: str, codes: dict[str, int] | None = None):
        """`value` read as the kind `fields` gives `name`."""
        kind = fields[name]
        if kind == "count":
            return self.count(value, key, 0)
        if kind == "count_from_1":
            return self.count(value, key, 1)
        if kind == "rank_code":
            return self.rank_ref(value, key, codes or {})
        return getattr(self, kind)(value, key)


def parse_plan(data: Mapping) -> Plan:
    """Validate a plan document and return the ``Plan``.

    Raises ``PlanValidationError`` listing every problem found, each with its key path.

    Examples
    --------
    >>> plan = parse_plan({
    ...     "currency": "EUR",
    ...     "bonuses": {"level_rates": ["0.05", 0.03]},
    ...     "ranks": [{"code": "partner", "difference_rate": "0.03"}],
    ... })
    >>> plan.level_rates, plan.ranks[0].difference_rate
    ((Decimal('0.05'), Decimal('0.03')), Decimal('0.03'))
    """
    read = _Reader()
    data = read.mapping(data, "", set(PLAN_FIELDS))

    currency = data.get("currency")
    if currency is None:
        read.fail("currency", "missing")
    else:
        try:
            minor_digits(currency if isinstance(currency, str) else repr(currency))
        except ValueError as error:
            read.fail("currency", str(error))

    name = data.get("name", "")
    if not isinstance(name, str):
        read.fail("name", "must be text")

    active_min_pv = read.field(PLAN_FIELDS, "active_min_pv", data.get("active_min_pv", 0), "active_min_pv")

    compression = data.get("compression", Compression.DYNAMIC)
    if compression not in Compression.CHOICES:
        read.fail("compression", f"unknown compression {compression!r}; expected dynamic or none")

    bonuses = read.mapping(data.get("bonuses") or {}, "bonuses", set(BONUS_FIELDS))
    customer_rate = read.field(BONUS_FIELDS, "customer_rate", bonuses.get("customer_rate", 0), "bonuses.customer_rate")
    level_rates = read.field(BONUS_FIELDS, "level_rates", bonuses.get("level_rates"), "bonuses.level_rates")
    generation_rates = read.field(BONUS_FIELDS, "generation_rates", bonuses.get("generation_rates"), "bonuses.generation_rates")

    ranks_data = data.get("ranks")
    if isinstance(ranks_data, (str, bytes)) or not isinstance(ranks_data, Sequence):
        read.fail("ranks", "missing" if ranks_data is None else "must be a list of ranks")
        ranks_data = []
    elif not ranks_data:
        read.fail("ranks", "a plan needs at least one rank")

    codes: dict[str, int] = {}
    for index, rank_data in enumerate(ranks_data):
        code = rank_data.get("code") if isinstance(rank_data, Mapping) else None
        if not isinstance(code, str) or not code:
            read.fail(f"ranks[{index}].code", "missing" if code is None else "must be text")
        elif code in codes:
            read.fail(f"ranks[{index}].code", f"duplicate rank code {code!r}")
        else:
            codes[code] = index

    ranks = [_parse_rank(read, rank_data, f"ranks[{index}]", codes)
             for index, rank_data in enumerate(ranks_data)]  # fmt: skip
    for index in range(1, len(ranks)):
        before, after = ranks[index - 1].difference_rate, ranks[index].difference_rate
        if after < before:
            read.fail(
                f"ranks[{index}].difference_rate",
                f"falls from {before} (ranks[{index - 1}]) to {after}; "
                "difference rates must not fall from one rank to the next",
            )

    breakaway = data.get("breakaway_rank")
    breakaway_index = None
    if breakaway is not None:
        breakaway_index = read.field(PLAN_FIELDS, "breakaway_rank", breakaway, "breakaway_rank", codes)

    if read.errors:
        raise PlanValidationError(read.errors)
    return Plan(
        currency=currency,
        ranks=tuple(ranks),
        name=name,
        active_min_pv=active_min_pv,
        compression=compression,
        breakaway_rank=breakaway_index,
        customer_rate=customer_rate,
        level_rates=level_rates,
        generation_rates=generation_rates,
    )


def _parse_rank(read: _Reader, data, key: str, codes: dict[str, int]) -> Rank:
    data = read.mapping(data, key, set(RANK_FIELDS))

    def optional(name):
        value = data.get(name)
        return None if value is None else read.field(RANK_FIELDS, name, value, f"{key}.{name}", codes)

    min_legs = None
    legs_data = data.get("min_legs")
    if legs_data is not None:
        legs_fields = RANK_FIELDS["min_legs"]
        legs = read.mapping(legs_data, f"{key}.min_legs", set(legs_fields))
        count = read.field(legs_fields, "count", legs.get("count"), f"{key}.min_legs.count")
        rank = read.field(legs_fields, "rank", legs.get("rank"), f"{key}.min_legs.rank", codes)
        if count is not None and rank is not None:
            min_legs = MinLegs(count=count, rank=rank)

    max_leg_share = optional("max_leg_share")
    if max_leg_share is not None and data.get(RANK_NEEDS["max_leg_share"]) is None:
        read.fail(f"{key}.max_leg_share", "needs min_gv (it caps each line's part of min_gv)")

    advancement = optional("advancement_bonus")
    difference_rate = optional("difference_rate")
    return Rank(
        code=data.get("code") if isinstance(data.get("code"), str) else "",
        min_pv=optional("min_pv"),
        min_gv=optional("min_gv"),
        max_leg_share=max_leg_share,
        min_ov=optional("min_ov"),
        min_legs=min_legs,
        difference_rate=difference_rate if difference_rate is not None else Decimal(0),
        level_depth=optional("level_depth"),
        generation_depth=optional("generation_depth"),
        advancement_bonus=advancement if advancement is not None else Decimal(0),
    )
