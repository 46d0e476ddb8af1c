"""graphql/schema.graphql is the schema the code serves."""

from django.core.management import call_command

from saleor_mlm.graphql.schema_export import SCHEMA_PATH, schema_sdl


def test_committed_schema_is_current():
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_sdl(), (
        "graphql/schema.graphql is stale: run `saleor-mlm export-schema` and commit the file."
    )


def test_export_command_writes_the_schema(tmp_path):
    out = tmp_path / "schema.graphql"

    call_command("export_schema", out=str(out))

    assert out.read_text(encoding="utf-8") == schema_sdl()
    assert "type Query {" in out.read_text(encoding="utf-8")
