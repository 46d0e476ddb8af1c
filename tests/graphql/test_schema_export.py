"""graphql/schema.graphql is the schema the code serves; graphql/subgraph.graphql its
federation subgraph SDL."""

import pytest
from django.core.management import CommandError, call_command

from saleor_mlm.graphql.schema_export import SCHEMA_PATH, SUBGRAPH_PATH, plan_schema_json, schema_sdl, subgraph_sdl


def test_committed_schema_is_current():
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_sdl(), (
        "graphql/schema.graphql is stale: run `saleor-mlm export-schema` and commit the file."
    )


def test_committed_subgraph_sdl_is_current():
    assert SUBGRAPH_PATH.read_text(encoding="utf-8") == subgraph_sdl(), (
        "graphql/subgraph.graphql is stale: run `saleor-mlm export-schema` and commit the file."
    )


def test_export_command_writes_the_schema_and_the_subgraph_sdl(tmp_path):
    out, subgraph_out, plan_out = tmp_path / "schema.graphql", tmp_path / "subgraph.graphql", tmp_path / "plan.schema.json"

    call_command("export_schema", out=str(out), subgraph_out=str(subgraph_out), plan_schema_out=str(plan_out))

    assert out.read_text(encoding="utf-8") == schema_sdl()
    assert "type Query {" in out.read_text(encoding="utf-8")
    assert subgraph_out.read_text(encoding="utf-8") == subgraph_sdl()
    assert plan_out.read_text(encoding="utf-8") == plan_schema_json()


def test_export_command_says_in_one_line_when_it_cannot_write(tmp_path):
    missing = tmp_path / "no-such-folder" / "plan.schema.json"

    with pytest.raises(CommandError, match=r"cannot write .*no-such-folder.*: No such file or directory"):
        call_command("export_schema", out=str(tmp_path / "s.graphql"), subgraph_out=str(tmp_path / "sub.graphql"), plan_schema_out=str(missing))
