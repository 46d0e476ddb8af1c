"""The figures of docs/split-example.md are the engine's: recompute them from its files."""

import os
import re

import yaml

from saleor_mlm.engine import (
    PARTNER_COLUMNS,
    VOLUME_COLUMNS,
    compute,
    explain,
    parse_plan,
    read_partners,
    read_volumes,
    row_chunks,
)

DOCS = os.path.join(os.path.dirname(__file__), "..", "..", "docs")


def document() -> str:
    with open(os.path.join(DOCS, "split-example.md"), encoding="utf-8") as handle:
        return handle.read()


def block(text: str, marker: str) -> list[dict[str, str]]:
    """Rows of the fenced CSV block after ``<!-- marker -->``."""
    body = re.search(rf"<!-- {re.escape(marker)} -->\n```csv\n(.*?)```", text, re.S).group(1)
    lines = body.strip().split("\n")
    header = lines[0].split(",")
    return [dict(zip(header, line.split(","))) for line in lines[1:]]


def run(partner_rows, volume_rows):
    with open(os.path.join(DOCS, "plan-example.yaml"), encoding="utf-8") as handle:
        plan = parse_plan(yaml.safe_load(handle))
    network, career = read_partners(row_chunks(partner_rows, "partners.csv", PARTNER_COLUMNS), plan)
    volumes = read_volumes(row_chunks(volume_rows, "volumes.csv", VOLUME_COLUMNS), network)
    return plan, network, volumes, compute(plan, network, volumes, career)


def test_results_table_and_statement_lines_are_the_engines():
    text = document()
    partners, volumes = block(text, "partners.csv"), block(text, "volumes.csv")
    without = [dict(row, care_id="", care_share="") if row["care_id"] == "bernd" else row for row in partners]
    before = run(without, volumes)[3].to_dict()
    plan, network, volume, result = run(partners, volumes)
    after = result.to_dict()

    def cell(a, b):
        return a if a == b else f"{a} → {b}"

    for partner, new in after["partners"].items():
        old = before["partners"][partner]
        row = " | ".join(
            [partner]
            + [cell(old[key], new[key]) for key in ("pv", "gv", "rank")]
            + [cell(old["bonuses"][key], new["bonuses"][key]) for key in ("customer", "level", "difference")]
            + [cell(old["total"], new["total"])]
        )
        assert f"| {row} |" in text
    assert f"{before['totals']['total']} without split, {after['totals']['total']} with it" in text

    for line in explain(plan, network, volume, result, "bernd"):
        cells = [line.kind, line.source, line.level or "", line.volume or "", line.rate or "", line.amount]
        assert "| " + " | ".join(str(c) for c in cells) + " |" in text


def test_next_rank_of_the_speaker():
    text = document()
    plan, network, volumes, result = run(block(text, "partners.csv"), block(text, "volumes.csv"))
    from saleor_mlm.engine import next_rank

    report = next_rank(plan, network, volumes, result, "anna")
    assert report.rank == "consultant"
    assert [(r.key, str(r.needed), str(r.actual), r.met) for r in report.requirements] == [
        ("min_pv", "50", "557.00", True),
        ("min_gv", "1000", "980.00", False),
    ]


def test_docstring_examples_run():
    import doctest
    import importlib

    for name in ("money", "plan", "network", "fixedpoint", "volumes", "period", "explain", "__init__"):
        module = importlib.import_module(f"saleor_mlm.engine.{name}" if name != "__init__" else "saleor_mlm.engine")
        failed, attempted = doctest.testmod(module)
        assert failed == 0, name
