"""A local HTTP server that answers the voucher GraphQL calls the way Saleor does.

It runs in a thread on 127.0.0.1, records every request (headers, document, variables)
and keeps vouchers, codes and channel listings in memory. Its rules are those of
saleor/graphql/discount/mutations/voucher/*.py that the app relies on: codes are unique
across vouchers (ALREADY_EXISTS with `voucherCodes`), and a new channel listing refuses
a zero discount value (REQUIRED) while an update to zero is accepted.
"""

from __future__ import annotations

import base64
import json
import re
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

FIELD = re.compile(r"^\s*(?:mutation|query)\b[^{]*\{\s*(\w+)", re.S)


def global_id(kind: str, pk: int) -> str:
    return base64.b64encode(f"{kind}:{pk}".encode()).decode()


@dataclass
class Request:
    headers: dict[str, str]
    query: str
    variables: dict[str, Any]

    @property
    def field(self) -> str:
        match = FIELD.match(self.query)
        return match.group(1) if match else ""


class GraphQLRequestError(Exception):
    """Saleor refuses the request as a whole (top-level `errors`), not a field error."""


@dataclass
class FakeSaleor:
    channels: dict[str, str] = field(default_factory=lambda: {"default-channel": global_id("Channel", 1), "channel-pln": global_id("Channel", 2)})
    vouchers: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    # Answer the next n requests with this HTTP status (e.g. 503) instead of handling them.
    fail_next: list[int] = field(default_factory=list)
    url: str = ""

    # -- state helpers for tests --------------------------------------------------------
    def add_voucher(self, name: str, codes: list[str]) -> str:
        voucher_id = global_id("Voucher", len(self.vouchers) + 1)
        self.vouchers[voucher_id] = {"name": name, "codes": list(codes), "listings": {}, "input": {}}
        return voucher_id

    def all_codes(self) -> set[str]:
        return {code for voucher in self.vouchers.values() for code in voucher["codes"]}

    def fields(self) -> list[str]:
        return [request.field for request in self.requests]

    # -- GraphQL ------------------------------------------------------------------------
    def handle(self, request: Request) -> dict[str, Any]:
        handler = getattr(self, f"do_{request.field}", None)
        if handler is None:
            return {"errors": [{"message": f"Cannot query field '{request.field}' on type 'Mutation'."}]}
        try:
            return {"data": {request.field: handler(request.variables)}}
        except GraphQLRequestError as error:
            return {"data": {request.field: None}, "errors": [{"message": str(error), "extensions": {"exception": {"code": "GraphQLError"}}}]}

    def _payload(self, voucher_id: str | None, errors: list[dict]) -> dict[str, Any]:
        return {"voucher": {"id": voucher_id} if voucher_id and not errors else None, "errors": errors}

    def _code_errors(self, codes: list[str]) -> list[dict]:
        taken = [code for code in codes if code in self.all_codes()]
        if taken:
            return [{"field": "codes", "code": "ALREADY_EXISTS", "message": "Promo code already exists.", "voucherCodes": taken}]
        return []

    def do_voucherCreate(self, variables):
        data = variables["input"]
        if not data.get("code") and not data.get("addCodes"):
            # Saleor 3.18+ refuses a voucher without codes with a top-level GraphQL error.
            raise GraphQLRequestError("At least one of arguments is required: 'code', 'addCodes'.")
        errors = self._code_errors(data.get("addCodes") or [])
        if errors:
            return self._payload(None, errors)
        voucher_id = self.add_voucher(data.get("name", ""), data.get("addCodes") or [])
        self.vouchers[voucher_id]["input"] = data
        return self._payload(voucher_id, [])

    def do_voucherUpdate(self, variables):
        voucher = self.vouchers.get(variables["id"])
        if voucher is None:
            return self._payload(None, [{"field": "id", "code": "NOT_FOUND", "message": "Couldn't resolve id", "voucherCodes": None}])
        codes = variables["input"].get("addCodes") or []
        errors = self._code_errors(codes)
        if not errors:
            voucher["codes"].extend(codes)
        return self._payload(variables["id"], errors)

    def do_voucherChannelListingUpdate(self, variables):
        voucher = self.vouchers[variables["id"]]
        data = variables["input"]
        errors = []
        for add in data.get("addChannels") or []:
            value = add.get("discountValue")
            value = None if value is None else Decimal(str(value))
            if value is None or (not value and add["channelId"] not in voucher["listings"]):
                errors.append({"field": "discountValue", "code": "REQUIRED", "message": "Value is required for voucher.", "voucherCodes": None})
            elif value > 100:
                errors.append({"field": "discountValue", "code": "INVALID", "message": "Invalid percentage value.", "voucherCodes": None})
        if errors:
            return self._payload(None, errors)
        for add in data.get("addChannels") or []:
            voucher["listings"][add["channelId"]] = Decimal(str(add["discountValue"]))
        for channel_id in data.get("removeChannels") or []:
            voucher["listings"].pop(channel_id, None)
        return self._payload(variables["id"], [])

    def do_channels(self, variables):
        return [{"id": channel_id, "slug": slug} for slug, channel_id in self.channels.items()]

    def do_vouchers(self, variables):
        search = (variables.get("code") or "").lower()
        found = [
            voucher_id
            for voucher_id, voucher in self.vouchers.items()
            if voucher["name"].lower() == search or search in {code.lower() for code in voucher["codes"]}
        ]
        return {"edges": [{"node": {"id": voucher_id}} for voucher_id in found]}


def make_handler(saleor: FakeSaleor):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            request = Request(dict(self.headers), body["query"], body.get("variables") or {})
            saleor.requests.append(request)
            if saleor.fail_next:
                status = saleor.fail_next.pop(0)
                self.send_response(status)
                self.end_headers()
                return
            answer = json.dumps(saleor.handle(request)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):  # keep test output quiet
            pass

    return Handler


class SaleorServer:
    def __init__(self):
        self.saleor = FakeSaleor()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(self.saleor))
        self.saleor.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/graphql/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> FakeSaleor:
        self.thread.start()
        return self.saleor

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
