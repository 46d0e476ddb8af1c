"""The plan document's JSON Schema (graphql/plan.schema.json, written from the engine's
definition) says what the engine checks: a standard validator accepts what `parse_plan`
accepts and rejects each invalid plan at the same key path; what standard keywords cannot
say is carried by the schema's `x-` keywords with the engine's own limits."""

import copy
import os
import re

import jsonschema
import pytest
import yaml

from saleor_mlm.engine import parse_plan
from saleor_mlm.engine.plan import MAX_RATE_LEVELS, RATE_PLACES
from saleor_mlm.engine.plan_schema import plan_schema

from .test_engine_plan import DOCS, INVALID, spec_plan

VALIDATOR = jsonschema.Draft202012Validator(plan_schema())

# The engine's messages for what standard JSON Schema keywords cannot say: decimal text
# compared as numbers (`x-decimal-*`), references to a rank of the same document
# (`x-rank-code`), and checks across several values.
BEYOND_STANDARD = {
    "negative rate": "x-decimal-minimum",
    "negative": "x-decimal-minimum",
    "above 1": "x-decimal-maximum",
    "more than 6 decimal places": "x-decimal-places",
    "unknown rank code": "x-rank-code",
    "falls from": None,
    "duplicate rank code": None,
}


def key_path(path) -> str:
    """A jsonschema error's path written as the engine writes it: `ranks[2].min_legs.count`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def all_errors(document):
    """Every error, with those inside an `anyOf` (a value that may also be null) at their own path."""
    pending = list(VALIDATOR.iter_errors(document))
    while pending:
        error = pending.pop()
        yield error
        pending.extend(error.context or ())


def schema_at(document_path: str) -> dict:
    """The schema node that applies to a key path (following $ref, the non-null branch)."""
    schema = VALIDATOR.schema
    node = schema
    for part in re.findall(r"[^.\[\]]+", document_path):
        while True:
            if "$ref" in node and "properties" not in node and "items" not in node:
                node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
            elif "anyOf" in node:
                node = next(branch for branch in node["anyOf"] if branch != {"type": "null"})
            else:
                break
        node = node["items"] if part.isdigit() else node["properties"][part]
    merged: dict = {}
    while True:  # the keywords of every node on the way through $ref and anyOf
        merged = {**node, **merged}
        if "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
        elif "anyOf" in node:
            node = next(branch for branch in node["anyOf"] if branch != {"type": "null"})
        else:
            return merged


def test_the_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(plan_schema())


def test_the_committed_schema_is_the_one_the_engine_writes():
    from saleor_mlm.graphql.schema_export import PLAN_SCHEMA_PATH, plan_schema_json

    assert PLAN_SCHEMA_PATH.read_text(encoding="utf-8") == plan_schema_json(), (
        "graphql/plan.schema.json is stale: run `saleor-mlm export-schema` and commit the file."
    )


def test_the_examples_are_valid_for_both():
    with open(os.path.join(DOCS, "plan-example.yaml"), encoding="utf-8") as handle:
        documented = yaml.safe_load(handle)
    for document in (spec_plan(), documented, {"currency": "JPY", "ranks": [{"code": "partner"}]}):
        parse_plan(document)
        assert list(VALIDATOR.iter_errors(document)) == []


@pytest.mark.parametrize("document, key, message", INVALID)
def test_each_invalid_plan_is_refused_at_the_engines_key_path(document, key, message):
    document = copy.deepcopy(document)
    beyond = next((keyword for text, keyword in BEYOND_STANDARD.items() if text in message), False)

    if message == "needs min_gv":
        # The engine reads a null min_gv as absent; `dependentRequired` sees a key that is
        # there (the form never sends null): the rule checked on the document without it.
        document["ranks"][1].pop("min_gv")
    paths = {key_path(error.absolute_path) for error in all_errors(document)}

    if beyond is False:
        # Standard keywords say it: the validator refuses at the engine's key path (an
        # unknown, missing or needed key is reported at the object that holds it).
        holder = key.rsplit(".", 1)[0] if message in ("unknown key", "missing", "needs min_gv") and "." in key else key
        assert key in paths or holder in paths or (holder == key and "" in paths), (key, paths)
    elif beyond is not None:
        assert key not in paths
        assert beyond in schema_at(key), (key, schema_at(key))


def test_the_x_keywords_carry_the_engines_limits():
    rate = plan_schema()["$defs"]["rate"]
    assert rate["x-decimal-places"] == RATE_PLACES
    assert (rate["x-decimal-minimum"], rate["x-decimal-maximum"]) == ("0", "1")
    assert plan_schema()["$defs"]["rates"]["maxItems"] == MAX_RATE_LEVELS
