"""A small stateful Stripe on 127.0.0.1 that the real `stripe` library talks to: for the
tests (tests/payouts/stripe_server.py) and for the demo, which pays its committed month
without a network (`payout_runs.demo`). Never used against real money.

It speaks Stripe's HTTP protocol for the operations the app uses (form-encoded bodies with
nested keys, Bearer keys, idempotency keys with replays, JSON errors). Given `spec` (the
tests give the parts of Stripe's OpenAPI specification they keep,
tests/payouts/data/stripe-openapi-used.json) it checks every request and answer, the nested
objects it reads or writes included: an unknown or missing parameter is answered 400 as Stripe
does and recorded in `violations`; an answer with a property the specification does not have,
or without a required one, is recorded too.

State: connected accounts, transfers and their reversals. Knobs for the tests:

- `fail_destinations`: transfers to these accounts are refused (400 `invalid_request_error`);
- `server_errors`: the next N transfer requests answer 500 (retryable);
- `kill_after = (pid, n)`: after creating the n-th transfer, before answering, SIGKILL `pid`
  (a payout run killed at the worst moment: Stripe has the transfer, the app never heard).

Webhook events are made with Stripe's signing scheme (`Stripe-Signature: t=...,v1=HMAC-SHA256
of "t.payload"`): `event(...)` and `signed(...)`.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

# The operations served, by Stripe's operationId, with the resource each answers; checked
# against the OpenAPI specification's parts when a `spec` is given.
OPERATIONS = {
    "POST /v1/accounts": ("PostAccounts", "account"),
    "GET /v1/accounts/{account}": ("GetAccountsAccount", "account"),
    "POST /v1/account_links": ("PostAccountLinks", "account_link"),
    "POST /v1/transfers": ("PostTransfers", "transfer"),
    "POST /v1/transfers/{id}/reversals": ("PostTransfersIdReversals", "transfer_reversal"),
}


# The currency Stripe gives a new account by its country (its default settlement currency);
# an account outside the euro area receives the platform's euro Transfers and Stripe converts.
SETTLEMENT_CURRENCIES = {"CH": "chf", "GB": "gbp", "US": "usd", "SE": "sek", "DK": "dkk", "NO": "nok", "PL": "pln", "CZ": "czk"}


def nested(pairs: list[tuple[str, str]]) -> dict:
    """`metadata[credit_note]=GS-1` -> {"metadata": {"credit_note": "GS-1"}} (Stripe's encoding)."""
    result: dict = {}
    for key, value in pairs:
        parts = key.replace("]", "").split("[")
        target = result
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    return result


def _at(document: dict, path: str) -> Any:
    """`document["a"]["b"]` for the path "a.b" (None where a part is missing)."""
    value: Any = document
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


class StripeError(Exception):
    def __init__(self, status: int, kind: str, message: str, code: str = "", param: str = ""):
        super().__init__(message)
        self.status, self.kind, self.code, self.param = status, kind, code, param

    def body(self) -> dict:
        error = {"type": self.kind, "message": str(self)}
        if self.code:
            error["code"] = self.code
        if self.param:
            error["param"] = self.param
        return {"error": error}


class LocalStripe:
    def __init__(self, secret_key: str = "sk_test_local", spec: dict | None = None):
        self.secret_key = secret_key
        self.spec = spec
        self.accounts: dict[str, dict] = {}
        self.transfers: dict[str, dict] = {}
        self.idempotent: dict[str, tuple[dict, int, dict]] = {}  # key -> (params, status, body)
        self.requests: list[tuple[str, str, dict, str]] = []  # method, path, params, idempotency key
        self.violations: list[str] = []
        self.fail_destinations: set[str] = set()
        self.server_errors = 0
        self.kill_after: tuple[int, int] | None = None
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # ------------------------------------------------------------------ server

    def start(self) -> LocalStripe:
        stripe = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as Stripe's API: every answer has a Content-Length
            disable_nagle_algorithm = True  # answers go out at once (no 40 ms wait for a delayed ACK)

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                stripe._handle(self, "GET")

            def do_POST(self):
                stripe._handle(self, "POST")

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):  # a client killed mid-request (crash tests)
                if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
                    super().handle_error(request, client_address)

        self._server = Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, name="local-stripe", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the local Stripe is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host if isinstance(host, str) else host.decode()}:{port}"

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        parsed = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        received = handler.rfile.read(length) if length else b""
        if len(received) < length:
            # The client went away mid-request (a crash test kills it between the headers and
            # the body): nothing arrived to act on, and there is no one to answer.
            handler.close_connection = True
            return
        raw = received.decode() if length else parsed.query
        params = nested(parse_qsl(raw, keep_blank_values=True))
        key = handler.headers.get("Idempotency-Key", "")
        status, body, headers = self.answer(method, parsed.path, params, key, handler.headers.get("Authorization", ""))
        data = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.send_header("Request-Id", f"req_local_{next(self._ids)}")
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)

    # ------------------------------------------------------------------ protocol

    def answer(self, method: str, path: str, params: dict, key: str, authorization: str) -> tuple[int, dict, dict]:
        with self._lock:
            self.requests.append((method, path, params, key))
            if authorization != f"Bearer {self.secret_key}":
                return 401, StripeError(401, "invalid_request_error", "Invalid API Key provided.").body(), {}
            operation, ids = self._operation(method, path)
            if operation is None:
                return 404, StripeError(404, "invalid_request_error", f"Unrecognized request URL ({method}: {path}).").body(), {}
            if key and key in self.idempotent:
                first_params, status, body = self.idempotent[key]
                if first_params != params:
                    error = StripeError(
                        400, "idempotency_error", f"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{key}' if you meant to execute a different request."
                    )
                    return 400, error.body(), {}
                return status, body, {"Idempotent-Replayed": "true"}
            try:
                self._check_request(operation, params)
            except StripeError as error:
                # Stripe keeps no result for a key whose request failed validation: no
                # endpoint began to execute, so a corrected retry with the key is new.
                return error.status, error.body(), {}
            try:
                body = getattr(self, "_" + OPERATIONS[operation][0])(params, *ids)
                self._check_answer(operation, body)
                status = 200
            except StripeError as error:
                status, body = error.status, error.body()
            if key and status != 500:  # Stripe does not keep the result of a 500 for the key
                self.idempotent[key] = (params, status, body)
            return status, body, {}

    def _operation(self, method: str, path: str) -> tuple[str | None, tuple]:
        parts = path.strip("/").split("/")
        for operation in OPERATIONS:
            op_method, template = operation.split(" ", 1)
            pattern = template.strip("/").split("/")
            if op_method == method and len(pattern) == len(parts):
                ids = []
                for want, have in zip(pattern, parts, strict=True):
                    if want.startswith("{"):
                        ids.append(have)
                    elif want != have:
                        break
                else:
                    return operation, tuple(ids)
        return None, ()

    def _check_request(self, operation: str, params: dict) -> None:
        if self.spec is None:
            return
        spec = self.spec["operations"][operation]
        for name in params:
            if name not in spec["properties"]:
                self.violations.append(f"{operation}: unknown parameter {name}")
                raise StripeError(400, "invalid_request_error", f"Received unknown parameter: {name}", "parameter_unknown", name)
        for name in spec["required"]:
            if name not in params:
                self.violations.append(f"{operation}: missing parameter {name}")
                raise StripeError(400, "invalid_request_error", f"Missing required param: {name}.", "parameter_missing", name)
        for path, nested_spec in spec.get("nested", {}).items():
            value = _at(params, path)
            unknown = sorted(set(value) - set(nested_spec["properties"])) if isinstance(value, dict) else []
            if unknown:
                name = f"{path.replace('.', '[')}{']' * path.count('.')}[{unknown[0]}]"
                self.violations.append(f"{operation}: unknown parameter {name}")
                raise StripeError(400, "invalid_request_error", f"Received unknown parameter: {name}", "parameter_unknown", name)
        for name, allowed in spec.get("enums", {}).items():
            if name in params and params[name] not in allowed:
                self.violations.append(f"{operation}: {name}={params[name]!r} not in {allowed}")
                raise StripeError(400, "invalid_request_error", f"Invalid {name}: must be one of {', '.join(allowed)}", "parameter_invalid_string", name)

    def check_object(self, schema: str, body: dict) -> None:
        if self.spec is None:
            return
        spec = self.spec["schemas"][schema]
        shapes = [(schema, body, spec), *((f"{schema}.{path}", _at(body, path), nested) for path, nested in spec.get("nested", {}).items())]
        for name, value, shape in shapes:
            if not isinstance(value, dict):
                continue  # absent (or null): its parent's check covers that
            extra = sorted(set(value) - set(shape["properties"]))
            missing = sorted(set(shape["required"]) - set(value))
            if extra or missing:
                self.violations.append(f"{name}: extra {extra}, missing {missing}")

    def _check_answer(self, operation: str, body: dict) -> None:
        self.check_object(OPERATIONS[operation][1], body)

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}_local{next(self._ids):08d}"

    # ------------------------------------------------------------------ operations

    def _account_object(self, account: dict) -> dict:
        return {key: value for key, value in account.items()}

    def _PostAccounts(self, params: dict) -> dict:
        account = {
            "id": self._new_id("acct"),
            "object": "account",
            "type": params.get("type", "standard"),
            "country": params.get("country", "DE"),
            "email": params.get("email"),
            "created": int(time.time()),
            "default_currency": SETTLEMENT_CURRENCIES.get(params.get("country", "DE"), "eur"),
            "charges_enabled": False,
            "payouts_enabled": False,
            "details_submitted": False,
            "capabilities": {name: "inactive" for name, value in params.get("capabilities", {}).items() if value.get("requested") == "true"},
            "metadata": params.get("metadata", {}),
        }
        self.accounts[account["id"]] = account
        return self._account_object(account)

    def _GetAccountsAccount(self, params: dict, account_id: str) -> dict:
        if account_id not in self.accounts:
            raise StripeError(404, "invalid_request_error", f"No such account: '{account_id}'", "resource_missing", "account")
        return self._account_object(self.accounts[account_id])

    def _PostAccountLinks(self, params: dict) -> dict:
        if params["account"] not in self.accounts:
            raise StripeError(400, "invalid_request_error", f"No such account: '{params['account']}'", "resource_missing", "account")
        now = int(time.time())
        return {"object": "account_link", "created": now, "expires_at": now + 300, "url": f"{self.url}/setup/e/{params['account']}/{next(self._ids)}"}

    def _PostTransfers(self, params: dict) -> dict:
        if self.server_errors:
            self.server_errors -= 1
            raise StripeError(500, "api_error", "An unknown error occurred")
        destination = params["destination"]
        if destination not in self.accounts or destination in self.fail_destinations:
            raise StripeError(
                400, "invalid_request_error", "Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments", "", "destination"
            )
        transfer = {
            "id": self._new_id("tr"),
            "object": "transfer",
            "amount": int(params["amount"]),
            "amount_reversed": 0,
            "balance_transaction": self._new_id("txn"),
            "created": int(time.time()),
            "currency": params["currency"],
            "description": params.get("description"),
            "destination": destination,
            "destination_payment": self._new_id("py"),
            "livemode": False,
            "metadata": params.get("metadata", {}),
            "reversals": {"object": "list", "data": [], "has_more": False, "url": ""},
            "reversed": False,
            "source_transaction": None,
            "source_type": "card",
            "transfer_group": params.get("transfer_group"),
        }
        transfer["reversals"]["url"] = f"/v1/transfers/{transfer['id']}/reversals"
        self.transfers[transfer["id"]] = transfer
        if self.kill_after is not None and len(self.transfers) >= self.kill_after[1]:
            pid, _n = self.kill_after
            self.kill_after = None
            os.kill(pid, signal.SIGKILL)
        return json.loads(json.dumps(transfer))

    def _PostTransfersIdReversals(self, params: dict, transfer_id: str) -> dict:
        transfer = self.transfers[transfer_id]
        amount = int(params.get("amount", transfer["amount"] - transfer["amount_reversed"]))
        reversal = {
            "id": self._new_id("trr"),
            "object": "transfer_reversal",
            "amount": amount,
            "balance_transaction": self._new_id("txn"),
            "created": int(time.time()),
            "currency": transfer["currency"],
            "destination_payment_refund": self._new_id("pyr"),
            "metadata": params.get("metadata", {}),
            "source_refund": None,
            "transfer": transfer_id,
        }
        transfer["amount_reversed"] += amount
        transfer["reversed"] = transfer["amount_reversed"] >= transfer["amount"]
        transfer["reversals"]["data"].append(reversal)
        return reversal

    # ------------------------------------------------------------------ what Stripe does on its own

    def transfers_to(self, account_id: str) -> list[dict]:
        return [t for t in self.transfers.values() if t["destination"] == account_id]

    def enable_payouts(self, account_id: str, enabled: bool = True) -> dict:
        """The account finished onboarding (or lost the capability): Stripe's account.updated."""
        with self._lock:
            account = self.accounts[account_id]
            account.update(payouts_enabled=enabled, details_submitted=True, charges_enabled=enabled)
            account["capabilities"]["transfers"] = "active" if enabled else "inactive"
            return self.event("account.updated", self._account_object(account))

    def reverse(self, transfer_id: str, amount: int | None = None) -> dict:
        """The platform reversed a transfer, all that is left of it or `amount` (minor units),
        in Stripe's dashboard: transfer.reversed (sent for partial reversals too)."""
        params = {} if amount is None else {"amount": str(amount)}
        status, body, _ = self.answer("POST", f"/v1/transfers/{transfer_id}/reversals", params, "", f"Bearer {self.secret_key}")
        assert status == 200, body
        return self.event("transfer.reversed", json.loads(json.dumps(self.transfers[transfer_id])))

    def event(self, event_type: str, obj: dict, *, created: int | None = None) -> dict:
        event = {
            "id": self._new_id("evt"),
            "object": "event",
            "api_version": "2026-10-28.endive",
            "created": created if created is not None else int(time.time()),
            "data": {"object": obj},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": event_type,
        }
        self.check_object("event", event)
        return event


def signed(event: dict, secret: str, *, timestamp: int | None = None) -> tuple[bytes, str]:
    """The body and `Stripe-Signature` header Stripe sends for `event` (its signing scheme)."""
    payload = json.dumps(event).encode()
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return payload, f"t={timestamp},v1={signature}"
