"""Derive `stripe-openapi-used.json` (the parts of Stripe's OpenAPI specification the local
Stripe is checked against) from Stripe's published specification and the installed `stripe`
library, keeping only the operations the local Stripe serves and the resources it answers.

    python tests/payouts/data/derive_stripe_openapi.py SPEC3.json|SPEC3.yaml --commit SHA \\
        > tests/payouts/data/stripe-openapi-used.json

SPEC3 is `openapi/spec3.json` (or `.yaml`) of github.com/stripe/openapi at commit SHA. What
comes from where:

- from the specification: each operation's id, its request properties (form body and query),
  the required ones, the allowed values of enumerated string properties, the resource it
  answers; each resource's properties and required ones; the nested objects the local Stripe
  sends or answers (`NESTED`), resolved through `$ref`/`anyOf`;
- from the installed `stripe` library, which Stripe generates from the specification of its
  API version (`stripe._api_version`): the same property sets for that version. A property
  the library (the newer API) no longer has is dropped, one it added is added, and every
  difference is listed in the file's `about`, so the file describes the library's API version
  even when the specification at hand is older.

Nothing here runs in the tests: they read the file it wrote (tests/payouts/stripe_server.py).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from saleor_mlm.payout_runs.local_stripe import OPERATIONS  # noqa: E402

# Nested objects the local Stripe reads in a request or writes in an answer, checked too.
NESTED = {
    "PostAccounts": ["capabilities", "capabilities.transfers"],
    "account": ["capabilities"],
    "transfer": ["reversals"],
    "event": ["data", "request"],
}
# The library's TypedDicts of request parameters, per operation, and its resource classes.
LIBRARY_PARAMS = {
    "PostAccounts": "AccountCreateParams",
    "GetAccountsAccount": "AccountRetrieveParams",
    "PostAccountLinks": "AccountLinkCreateParams",
    "PostTransfers": "TransferCreateParams",
    "PostTransfersIdReversals": "TransferCreateReversalParams",
}
LIBRARY_RESOURCES = {
    "account": "Account",
    "account_link": "AccountLink",
    "transfer": "Transfer",
    "transfer_reversal": "TransferReversal",
    "event": "Event",
}
# Keys of the library's request options, which its parameter TypedDicts also carry.
REQUEST_OPTIONS = {"api_key", "content_type", "headers", "idempotency_key", "max_network_retries", "stripe_account", "stripe_context", "stripe_version"}
# Library attributes that are no properties of the resource.
NOT_PROPERTIES = {"OBJECT_NAME", "deleted"}


def load(path: str) -> dict:
    text = Path(path).read_text()
    if path.endswith((".yaml", ".yml")):
        import yaml

        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return json.loads(text)


def resolve(spec: dict, schema: dict) -> dict:
    """Follow `$ref` and a one-element `anyOf` (Stripe's nullable references)."""
    while True:
        if "$ref" in schema:
            schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        elif len(schema.get("anyOf", [])) == 1:
            schema = schema["anyOf"][0]
        else:
            return schema


def shape(spec: dict, schema: dict) -> dict:
    schema = resolve(spec, schema)
    return {"properties": sorted(schema.get("properties", {})), "required": sorted(schema.get("required", []))}


def nested(spec: dict, schema: dict, paths: list[str]) -> dict:
    found = {}
    for path in paths:
        target = resolve(spec, schema)
        for part in path.split("."):
            target = resolve(spec, target["properties"][part])
        found[path] = shape(spec, target)
    return found


def from_spec(spec: dict) -> dict:
    operations, schemas = {}, {}
    for name, (operation_id, resource) in OPERATIONS.items():
        method, path = name.split(" ", 1)
        operation = spec["paths"][path][method.lower()]
        assert operation["operationId"] == operation_id, (name, operation["operationId"])
        body = operation.get("requestBody", {}).get("content", {}).get("application/x-www-form-urlencoded", {}).get("schema", {})
        properties = dict(body.get("properties", {}))
        properties.update({p["name"]: p.get("schema", {}) for p in operation.get("parameters", []) if p["in"] == "query"})
        enums = {key: sorted(value["enum"]) for key, value in properties.items() if value.get("type") == "string" and value.get("enum")}
        answer = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        assert answer == resource, (name, answer)
        entry = {"operationId": operation_id, "properties": sorted(properties), "required": sorted(body.get("required", []))}
        if enums:
            entry["enums"] = enums
        if operation_id in NESTED:
            entry["nested"] = nested(spec, body, NESTED[operation_id])
        entry["response"] = resource
        operations[name] = entry
    for resource in sorted({resource for _operation, resource in OPERATIONS.values()} | {"event", "error"}):
        schema = spec["components"]["schemas"][resource]
        schemas[resource] = shape(spec, schema)
        if resource in NESTED:
            schemas[resource]["nested"] = nested(spec, schema, NESTED[resource])
    return {"operations": operations, "schemas": schemas}


def _literals(annotation: str) -> list[str] | None:
    match = re.search(r"Literal\[([^\]]*)\]", annotation)
    return sorted(re.findall(r"""['"]([^'"]*)['"]""", match.group(1))) if match else None


def with_library(derived: dict) -> list[str]:
    """Bring the property sets to the installed library's API version; the differences."""
    import stripe
    from stripe import _api_version, params

    notes = []
    for name, entry in derived["operations"].items():
        typed = getattr(params, LIBRARY_PARAMS[entry["operationId"]])
        annotations = {key: str(value) for key, value in typed.__annotations__.items() if key not in REQUEST_OPTIONS}
        current, known = set(annotations), set(entry["properties"])
        if current != known:
            notes.append(f"{name}: added {sorted(current - known)}, removed {sorted(known - current)}")
        entry["properties"] = sorted(current)
        entry["required"] = sorted(set(typed.__required_keys__) - REQUEST_OPTIONS)
        for key in list(entry.get("enums", {})):
            allowed = _literals(annotations.get(key, ""))
            if allowed is None:
                del entry["enums"][key]
            elif allowed != entry["enums"][key]:
                notes.append(f"{name}: {key} allows {allowed} (was {entry['enums'][key]})")
                entry["enums"][key] = allowed
    for resource, class_name in LIBRARY_RESOURCES.items():
        entry = derived["schemas"][resource]
        current = set(getattr(stripe, class_name).__annotations__) - NOT_PROPERTIES
        known = set(entry["properties"])
        if current != known:
            notes.append(f"{resource}: added {sorted(current - known)}, removed {sorted(known - current)}")
        entry["properties"] = sorted(current)
        entry["required"] = sorted(set(entry["required"]) & current)
    notes.insert(0, f"stripe {stripe.VERSION}, API version {_api_version._ApiVersion.CURRENT}")
    return notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("spec")
    parser.add_argument("--commit", required=True, help="the stripe/openapi commit the specification is from")
    parser.add_argument("--no-library", action="store_true", help="the specification alone")
    args = parser.parse_args()
    spec = load(args.spec)
    derived = from_spec(spec)
    notes = [] if args.no_library else with_library(derived)
    about = (
        "Derived by tests/payouts/data/derive_stripe_openapi.py (run it again to update) from Stripe's OpenAPI "
        f"specification {Path(args.spec).name} version {spec['info']['version']} of github.com/stripe/openapi at {args.commit}"
    )
    if notes:
        about += "; property sets brought to the API version of the installed library (" + notes[0] + "), differences: " + "; ".join(notes[1:] or ["none"])
    json.dump({"about": about, **derived}, sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
