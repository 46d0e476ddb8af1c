"""`saleor-mlm export-schema`: write the API's schema as SDL to graphql/schema.graphql,
its federation subgraph SDL (what `_service { sdl }` answers) to graphql/subgraph.graphql,
and the JSON Schema of a plan document to graphql/plan.schema.json."""

from pathlib import Path

from django.core.management.base import BaseCommand

from ...schema_export import PLAN_SCHEMA_PATH, SCHEMA_PATH, SUBGRAPH_PATH, plan_schema_json, schema_sdl, subgraph_sdl


class Command(BaseCommand):
    help = "Write the GraphQL schema (SDL) to graphql/schema.graphql, or to --out, the federation subgraph SDL to graphql/subgraph.graphql, or to --subgraph-out, and the plan document's JSON Schema to graphql/plan.schema.json, or to --plan-schema-out."

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(SCHEMA_PATH), help=f"Default: {SCHEMA_PATH}")
        parser.add_argument("--subgraph-out", default=str(SUBGRAPH_PATH), help=f"Default: {SUBGRAPH_PATH}")
        parser.add_argument("--plan-schema-out", default=str(PLAN_SCHEMA_PATH), help=f"Default: {PLAN_SCHEMA_PATH}")

    def handle(self, *args, out, subgraph_out, plan_schema_out, **options):
        Path(out).write_text(schema_sdl(), encoding="utf-8")
        Path(subgraph_out).write_text(subgraph_sdl(), encoding="utf-8")
        Path(plan_schema_out).write_text(plan_schema_json(), encoding="utf-8")
        self.stdout.write(f"Wrote {out}, {subgraph_out} and {plan_schema_out}")
