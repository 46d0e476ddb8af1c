"""Every environment variable the app reads is in `.env.example` and in the README's
configuration table, and neither names one the app does not read (issue 15, item 6).

The variables are found in the source: `os.environ.get("NAME")`, `environ["NAME"]`,
settings.py's `_bool("NAME")` and `_list("NAME")`, and a loop over literal names that
reads `os.environ.get(name)`.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
PACKAGE = REPOSITORY / "saleor_mlm"
SETTINGS_HELPERS = {"_bool", "_list"}


def _is_environ(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or (isinstance(node, ast.Name) and node.id == "environ")


def _reads_environ_with(node: ast.AST, variable: str) -> bool:
    return any(
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "get"
        and _is_environ(call.func.value)
        and call.args
        and isinstance(call.args[0], ast.Name)
        and call.args[0].id == variable
        for call in ast.walk(node)
    )


def environment_reads(source: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            function = node.func
            environ_get = isinstance(function, ast.Attribute) and function.attr == "get" and _is_environ(function.value)
            if environ_get or (isinstance(function, ast.Name) and function.id in SETTINGS_HELPERS):
                names.add(node.args[0].value)
        elif isinstance(node, ast.Subscript) and _is_environ(node.value) and isinstance(node.slice, ast.Constant):
            names.add(node.slice.value)
        elif (
            isinstance(node, ast.For)
            and isinstance(node.iter, (ast.Tuple, ast.List))
            and isinstance(node.target, ast.Name)
            and _reads_environ_with(node, node.target.id)
        ):
            names |= {element.value for element in node.iter.elts if isinstance(element, ast.Constant)}
    return names


def variables_the_app_reads() -> set[str]:
    names = set()
    for path in PACKAGE.rglob("*.py"):
        names |= environment_reads(path.read_text(encoding="utf-8"))
    return names


def env_example_variables() -> set[str]:
    text = (REPOSITORY / ".env.example").read_text(encoding="utf-8")
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, re.M))


def readme_table_variables() -> set[str]:
    text = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])}


def test_the_reader_finds_every_kind_of_read():
    source = """
import os
A = os.environ.get("PLAIN", "x")
B = _bool("FLAG", False)
C = _list("ITEMS")
D = os.environ["INDEXED"]
E = environ.get("PASSED_ENVIRON")
for _name in ("LOOP_ONE", "LOOP_TWO"):
    if os.environ.get(_name):
        pass
os.environ.setdefault("NOT_A_READ", "x")
"""
    assert environment_reads(source) == {"PLAIN", "FLAG", "ITEMS", "INDEXED", "PASSED_ENVIRON", "LOOP_ONE", "LOOP_TWO"}


def test_the_settings_reads_are_found():
    found = variables_the_app_reads()

    # One of each kind in saleor_mlm/settings.py and core/startup.py.
    assert {"DATABASE_URL", "DEBUG", "ALLOWED_HOSTS", "GRAPHQL_MAX_DEPTH", "SECRET_KEY", "SALEOR_MLM_DEMO"} <= found


def test_env_example_lists_exactly_the_variables_the_app_reads():
    read, listed = variables_the_app_reads(), env_example_variables()

    assert sorted(read - listed) == [], "missing in .env.example"
    assert sorted(listed - read) == [], "in .env.example, read nowhere"


def test_the_readme_table_lists_exactly_the_variables_the_app_reads():
    read, listed = variables_the_app_reads(), readme_table_variables()

    assert sorted(read - listed) == [], "missing in the README's configuration table"
    assert sorted(listed - read) == [], "in the README's table, read nowhere"
