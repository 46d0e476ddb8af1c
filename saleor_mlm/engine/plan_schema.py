"""The plan document as JSON Schema (draft 2020-12), written from the engine's one
definition of it (`plan.PLAN_FIELDS`, `plan.RANK_FIELDS`, `plan.BONUS_FIELDS`).

`saleor-mlm export-schema` writes it to `graphql/plan.schema.json`; the dashboard's plan
form validates with that file, and any JSON Schema validator can check a document
against it before sending it. What standard keywords cannot say about decimals written as
text (a rate between 0 and 1 with at most `RATE_PLACES` places, an amount not below 0) is
said by `x-decimal-minimum`, `x-decimal-maximum` and `x-decimal-places`; a reference to a
rank of the same document is marked `x-rank-code`. Checks across several values (unique
rank codes, difference rates that do not fall) are not in the schema: `parse_plan` makes
them, and the form repeats the two that need no server.
"""

from __future__ import annotations

from .money import CURRENCY_CODE, DECIMAL_TEXT
from .plan import MAX_RATE_LEVELS, PLAN_FIELDS, RANK_FIELDS, RANK_NEEDS, RATE_PLACES, Compression

SCHEMA_ID = "https://github.com/saleor-mlm/saleor-mlm/plan.schema.json"

# One JSON Schema per kind of value (`plan._Reader`'s methods and the checks of `parse_plan`).
KINDS: dict[str, dict] = {
    "any": {},
    "text": {"type": "string"},
    "code": {"type": "string", "minLength": 1},
    "currency": {"type": "string", "pattern": f"^{CURRENCY_CODE.pattern}$"},
    "compression": {"enum": list(Compression.CHOICES)},
    # Decimal text as the engine reads it (`money.parse_decimal`), or a JSON number.
    "decimal": {"type": ["string", "number"], "pattern": rf"^\s*{DECIMAL_TEXT.pattern}\s*$"},
    "amount": {"$ref": "#/$defs/decimal", "x-decimal-minimum": "0"},
    "rate": {"$ref": "#/$defs/decimal", "x-decimal-minimum": "0", "x-decimal-maximum": "1", "x-decimal-places": RATE_PLACES},
    "rates": {"type": "array", "maxItems": MAX_RATE_LEVELS, "items": {"$ref": "#/$defs/rate"}},
    "count": {"type": "integer", "minimum": 0},
    "count_from_1": {"type": "integer", "minimum": 1},
    "rank_code": {"type": "string", "x-rank-code": True},
}


# Where `parse_plan` reads null as "not given": every optional value of a rank, and these.
NULL_AS_ABSENT = {"breakaway_rank", "bonuses", "level_rates", "generation_rates"}


def _object(fields: dict, *, required: list[str] | tuple[str, ...] = (), nullable: set[str] = NULL_AS_ABSENT) -> dict:
    properties = {}
    for name, kind in fields.items():
        if isinstance(kind, str):
            value: dict = {"$ref": f"#/$defs/{kind}"}
        elif isinstance(kind, list):  # a list of objects: the ranks
            value = {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/rank"}}
        else:  # a nested object: the bonuses, a rank's min_legs
            value = _object(kind, required=list(kind) if name == "min_legs" else ())
        if name in nullable and name not in required and kind != "any":
            value = {"anyOf": [{"type": "null"}, value]}
        properties[name] = value
    schema: dict = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = list(required)
    return schema


def plan_schema() -> dict:
    """The JSON Schema of a plan document."""
    rank = _object(RANK_FIELDS, required=["code"], nullable=set(RANK_FIELDS))
    rank["dependentRequired"] = {name: [needed] for name, needed in RANK_NEEDS.items()}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "saleor-mlm plan document",
        "description": "A career plan: currency, ranks (lowest first) and bonus rates (docs/engine.md).",
        **_object(PLAN_FIELDS, required=["currency", "ranks"]),
        "$defs": {**{name: schema for name, schema in KINDS.items()}, "rank": rank},
    }
