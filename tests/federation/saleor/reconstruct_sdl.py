"""Saleor's `_service { sdl }`, rebuilt from a Saleor source checkout without running it.

    python tests/federation/saleor/reconstruct_sdl.py /path/to/saleor > tests/federation/saleor/schema.graphql

Saleor answers `_service { sdl }` with `saleor/graphql/core/federation/schema.py::
create_service_sdl_resolver`: its own printer (`schema_printer.print_schema`, the one that
writes the committed `saleor/graphql/schema.graphql`) run on the schema without the
Subscription root, the `schema { ... }` block cut out, and `@key(fields: "...")` put in
front of the `{` of every type decorated with `@federated_entity` (in the order the
decorators apply: bottom one first, so the top one's key is printed first). This script
does the same to the committed `schema.graphql`:

1. cuts the `schema { ... }` block;
2. cuts `type Subscription` (the SDL's schema has no subscription root);
3. cuts the fields `_entities` and `_service` from `type Query` (Saleor adds them to the
   built graphql-core schema only; the schema it prints for `_service` is rebuilt from the
   graphene classes and has neither);
4. adds the `@key`s, read from the `@federated_entity(...)` decorators in the source.

What may differ from a running Saleor: types reachable only from Subscription fields (not
listed in the schema's extra `types`) would not be printed by Saleor; they stay here. They
are referenced by nothing else, so composition is not affected.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path


def federated_keys(saleor_root: Path) -> dict[str, list[str]]:
    """{type name: keys in printed order} from the `@federated_entity("...")` decorators."""
    keys: dict[str, list[str]] = {}
    for path in sorted((saleor_root / "saleor" / "graphql").rglob("*.py")):
        source = path.read_text()
        if "federated_entity" not in source:
            continue
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.ClassDef):
                continue
            found = []
            for decorator in node.decorator_list:
                if (
                    isinstance(decorator, ast.Call)
                    and getattr(decorator.func, "id", getattr(decorator.func, "attr", "")) == "federated_entity"
                ):
                    found.append(decorator.args[0].value)
            if found:
                keys[_type_name(node)] = found  # top decorator first = printed first
    return keys


def _type_name(node: ast.ClassDef) -> str:
    """The GraphQL name: `Meta.name` when the class sets one, else the class name."""
    for item in node.body:
        if isinstance(item, ast.ClassDef) and item.name == "Meta":
            for statement in item.body:
                if isinstance(statement, ast.Assign) and any(getattr(t, "id", "") == "name" for t in statement.targets):
                    return statement.value.value
    return node.name


def _cut_block(sdl: str, start: int) -> str:
    """`sdl` without the definition starting at `start` (up to its closing brace and the
    blank line after it), and without the description just before it."""
    end = sdl.find("\n}\n", start) + 3
    head = sdl[:start].rstrip("\n")
    if head.endswith('"""'):
        head = head[: head.rfind('"""', 0, len(head) - 3)].rstrip("\n")
    return head + "\n\n" + sdl[end:].lstrip("\n")


def service_sdl(schema_graphql: str, keys: dict[str, list[str]]) -> str:
    sdl = schema_graphql
    # 1. the schema block (as Saleor does it: up to the first closing brace).
    start = sdl.find("schema {")
    sdl = (sdl[:start] + sdl[sdl.find("}", start) + 1 :]).lstrip()
    # 2. the Subscription root.
    match = re.search(r"^type Subscription\b", sdl, re.M)
    if match:
        sdl = _cut_block(sdl, match.start())
    # 3. `_entities` and `_service` of Query.
    query_start = re.search(r"^type Query\b", sdl, re.M).start()
    query_end = sdl.find("\n}\n", query_start)
    query = sdl[query_start:query_end]
    query = re.sub(r"\n  _entities\(representations: \[_Any!\]!\): \[_Entity\]", "", query)
    query = re.sub(r"\n  _service: _Service", "", query)
    sdl = sdl[:query_start] + query + sdl[query_end:]
    # 4. the keys, as create_service_sdl_resolver inserts them.
    for type_name, type_keys in keys.items():
        type_start = sdl.find(f"type {type_name} ")
        if type_start < 0:
            raise SystemExit(f"type {type_name} is decorated as an entity but not in schema.graphql")
        fields_open = sdl.find("{", type_start)
        directives = " ".join(f'@key(fields: "{key}")' for key in type_keys)
        sdl = sdl[:fields_open] + directives + " " + sdl[fields_open:]
    return sdl


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        raise SystemExit(__doc__)
    root = Path(argv[1])
    schema_graphql = (root / "saleor" / "graphql" / "schema.graphql").read_text()
    sys.stdout.write(service_sdl(schema_graphql, federated_keys(root)))


if __name__ == "__main__":
    main(sys.argv)
