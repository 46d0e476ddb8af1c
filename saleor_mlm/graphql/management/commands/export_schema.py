"""`saleor-mlm export-schema`: write the API's schema as SDL to graphql/schema.graphql,
its federation subgraph SDL (what `_service { sdl }` answers) to graphql/subgraph.graphql,
and the JSON Schema of a plan document to graphql/plan.schema.json."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...schema_export import PLAN_SCHEMA_PATH, SCHEMA_PATH, SUBGRAPH_PATH, plan_schema_json, schema_sdl, subgraph_sdl


class Command(BaseCommand):
    help = "Write the GraphQL schema (SDL) to graphql/schema.graphql, or to --out, the federation subgraph SDL to graphql/subgraph.graphql, or to --subgraph-out, and the plan document's JSON Schema to graphql/plan.schema.json, or to --plan-schema-out."

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(SCHEMA_PATH), help=f"Default: {SCHEMA_PATH}")
        parser.add_argument("--subgraph-out", default=str(SUBGRAPH_PATH), help=f"Default: {SUBGRAPH_PATH}")
        parser.add_argument("--plan-schema-out", default=str(PLAN_SCHEMA_PATH), help=f"Default: {PLAN_SCHEMA_PATH}")

    def handle(self, *args, out, subgraph_out, plan_schema_out, **options):
        for path, text in ((out, schema_sdl()), (subgraph_out, subgraph_sdl()), (plan_schema_out, plan_schema_json())):
            try:
                Path(path).write_text(text, encoding="utf-8")
            except OSError as error:
                raise CommandError(f"cannot write {path}: {error.strerror}") from None
        self.stdout.write(f"Wrote {out}, {subgraph_out} and {plan_schema_out}")
