"""The schema as SDL, as committed in graphql/schema.graphql, and the subgraph SDL a
federation gateway composes, as committed in graphql/subgraph.graphql (tests keep both
current)."""

import json
from pathlib import Path

from graphql import print_schema

from saleor_mlm.engine.plan_schema import plan_schema

from .api import schema
from .federation.schema import service_sdl

# graphql/ at the top of the repository.
SCHEMA_PATH = Path(__file__).resolve().parents[2] / "graphql" / "schema.graphql"
SUBGRAPH_PATH = SCHEMA_PATH.with_name("subgraph.graphql")
# The JSON Schema of a plan document (what `planVersionCreate` takes as `document`); the
# dashboard's plan form validates with this file.
PLAN_SCHEMA_PATH = SCHEMA_PATH.with_name("plan.schema.json")


def schema_sdl() -> str:
    return print_schema(schema.graphql_schema) + "\n"


def subgraph_sdl() -> str:
    return service_sdl(schema.graphql_schema)


def plan_schema_json() -> str:
    return json.dumps(plan_schema(), indent=2, ensure_ascii=False) + "\n"
