"""The schema as SDL, as committed in graphql/schema.graphql (a test keeps it current)."""

from pathlib import Path

from graphql import print_schema

from .api import schema

# graphql/schema.graphql at the top of the repository.
SCHEMA_PATH = Path(__file__).resolve().parents[2] / "graphql" / "schema.graphql"


def schema_sdl() -> str:
    return print_schema(schema.graphql_schema) + "\n"
