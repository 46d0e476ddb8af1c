"""`saleor-mlm export-schema`: write the API's schema as SDL to graphql/schema.graphql."""

from pathlib import Path

from django.core.management.base import BaseCommand

from ...schema_export import SCHEMA_PATH, schema_sdl


class Command(BaseCommand):
    help = "Write the GraphQL schema (SDL) to graphql/schema.graphql, or to --out."

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(SCHEMA_PATH), help=f"Default: {SCHEMA_PATH}")

    def handle(self, *args, out, **options):
        Path(out).write_text(schema_sdl(), encoding="utf-8")
        self.stdout.write(f"Wrote {out}")
