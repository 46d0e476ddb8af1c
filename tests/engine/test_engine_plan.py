"""Plan documents: the example of the spec, defaults, and errors that name their key."""

import json
import os
from decimal import Decimal

import pytest
import yaml

from saleor_mlm.engine import PlanValidationError, parse_plan
from saleor_mlm.engine.plan import Compression

DOCS = os.path.join(os.path.dirname(__file__), "..", "..", "docs")

SPEC_EXAMPLE = """
name: Example career plan
currency: EUR
active_min_pv: 50
compression: dynamic
breakaway_rank: manager
bonuses:
  customer_rate: "0.05"
  level_rates: ["0.05", "0.03", "0.02"]
  generation_rates: ["0.03", "0.02"]
ranks:
  - code: partner
    difference_rate: "0.03"
    level_depth: 1
  - code: consultant
    min_pv: 50
    min_gv: 1000
    difference_rate: "0.06"
    level_depth: 2
  - code: manager
    min_pv: 100
    min_gv: 4000
    max_leg_share: "0.5"
    min_ov: 1500
    min_legs: {count: 2, rank: consultant}
    difference_rate: "0.12"
    level_depth: 3
    generation_depth: 2
    advancement_bonus: "250.00"
"""


def spec_plan():
    return yaml.safe_load(SPEC_EXAMPLE)


def errors_of(data):
    with pytest.raises(PlanValidationError) as info:
        parse_plan(data)
    return dict(info.value.errors)


def test_spec_example_parses():
    plan = parse_plan(spec_plan())
    assert plan.currency == "EUR"
    assert plan.minor_digits == 2
    assert plan.active_min_pv == Decimal(50)
    assert plan.breakaway_rank == 2
    assert plan.level_rates == (Decimal("0.05"), Decimal("0.03"), Decimal("0.02"))
    manager = plan.ranks[2]
    assert manager.leg_cap == Decimal("2000.0")
    assert manager.min_legs.count == 2 and manager.min_legs.rank == 1
    assert manager.advancement_bonus == Decimal("250.00")


def test_documented_example_plan_parses():
    with open(os.path.join(DOCS, "plan-example.yaml"), encoding="utf-8") as handle:
        plan = parse_plan(yaml.safe_load(handle))
    assert len(plan.ranks) >= 3


def test_defaults():
    plan = parse_plan({"currency": "JPY", "ranks": [{"code": "partner"}]})
    assert plan.compression == Compression.DYNAMIC
    assert plan.active_min_pv == 0
    assert plan.breakaway_rank is None
    assert plan.customer_rate == 0
    assert plan.level_rates == () and plan.generation_rates == ()
    rank = plan.ranks[0]
    assert rank.difference_rate == 0
    assert rank.level_depth is None  # every level
    assert rank.generation_depth is None  # no generation bonus
    assert rank.advancement_bonus == 0
    assert plan.minor_digits == 0


def test_floats_from_yaml_are_the_decimals_written():
    data = spec_plan()
    data["bonuses"]["level_rates"] = [0.05, 0.1, 0.3]
    plan = parse_plan(data)
    assert plan.level_rates == (Decimal("0.05"), Decimal("0.1"), Decimal("0.3"))


# Every kind of invalid plan, with the key it is refused at and the engine's message (the
# JSON Schema's test and the dashboard form's test read the same file).
with open(os.path.join(os.path.dirname(__file__), "..", "fixtures", "plan_documents.json"), encoding="utf-8") as _file:
    PLAN_DOCUMENTS = json.load(_file)
INVALID = [pytest.param(case["document"], case["key"], case["engine"], id=f'{case["key"]}: {case["engine"]}') for case in PLAN_DOCUMENTS["invalid"]]


def test_the_shared_documents_start_from_the_spec_example():
    assert PLAN_DOCUMENTS["valid"][0] == spec_plan()


@pytest.mark.parametrize("document, key, message", INVALID)
def test_validation_names_the_key(document, key, message):
    errors = errors_of(document)
    assert key in errors, errors
    assert message in errors[key]


def test_every_error_is_reported_and_the_first_is_the_message():
    data = spec_plan()
    data["bonuses"]["level_rates"][0] = "-1"
    data["breakaway_rank"] = "boss"
    with pytest.raises(PlanValidationError) as info:
        parse_plan(data)
    keys = [key for key, _ in info.value.errors]
    assert keys == ["bonuses.level_rates[0]", "breakaway_rank"]
    assert info.value.key == "bonuses.level_rates[0]"
    assert str(info.value) == "bonuses.level_rates[0]: negative rate -1"


def test_thresholds_take_any_decimals_and_signs():
    data = spec_plan()
    data["ranks"][1]["min_gv"] = "1000.00000000000000000000001"
    data["active_min_pv"] = "-0.5"
    plan = parse_plan(data)
    assert plan.ranks[1].min_gv == Decimal("1000.00000000000000000000001")
    assert plan.active_min_pv == Decimal("-0.5")


def test_not_a_mapping():
    assert errors_of(["currency"]) == {"plan": "must be a mapping", "currency": "missing", "ranks": "missing"}
