"""`saleor-mlm export-schema`: write the API's schema as SDL to graphql/schema.graphql,
and its federation subgraph SDL (what `_service { sdl }` answers) to graphql/subgraph.graphql."""

from pathlib import Path

from django.core.management.base import BaseCommand

from ...schema_export import SCHEMA_PATH, SUBGRAPH_PATH, schema_sdl, subgraph_sdl


class Command(BaseCommand):
    help = "Write the GraphQL schema (SDL) to graphql/schema.graphql, or to --out, and the federation subgraph SDL to graphql/subgraph.graphql, or to --subgraph-out."

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(SCHEMA_PATH), help=f"Default: {SCHEMA_PATH}")
        parser.add_argument("--subgraph-out", default=str(SUBGRAPH_PATH), help=f"Default: {SUBGRAPH_PATH}")

    def handle(self, *args, out, subgraph_out, **options):
        Path(out).write_text(schema_sdl(), encoding="utf-8")
        Path(subgraph_out).write_text(subgraph_sdl(), encoding="utf-8")
        self.stdout.write(f"Wrote {out} and {subgraph_out}")
