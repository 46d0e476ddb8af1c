"""Through a real federation gateway (Hive Gateway, tests/federation/js/gateway.mjs) in
front of the app (a live server) and a stand-in Saleor serving Saleor's subgraph SDL
(tests/federation/js/saleor-standin.mjs): the storefront's one request, and the visibility
rules of the API repeated through the gateway. Needs `npm ci` in tests/federation/js
(scripts/test.sh runs it)."""

from __future__ import annotations

import datetime
import json
import selectors
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from saleor_mlm.ledger.crediting import CreditOutcome, credit_order_event
from tests.fixtures.graphql import ANNA_USER, BERT_USER, FRANK_USER, KUNDE_USER
from tests.fixtures.orders import order_line

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

JS = Path(__file__).resolve().parents[1] / "federation" / "js"
# Composing Saleor's 38,000 lines takes seconds; on a loaded 2-core machine, more.
START_SECONDS = 180

ANNA_ORDER = "T3JkZXI6OTIx"
KUNDE_ORDER = "T3JkZXI6OTIy"

FIGURES = "paidAsRank { code } volumes { pv gv } nextRank { nextRank { code } requirements { kind needed actual missing } }"

ONE_REQUEST = f"""
query {{
  me {{
    email
    mlmPartner {{ referralCode displayName email sponsor {{ referralCode email }} {FIGURES} }}
    mlmCustomer {{ email }}
    orders(first: 5) {{ totalCount edges {{ node {{ number mlmAttribution {{ rule pv partner {{ referralCode }} }} }} }} }}
  }}
}}
"""

DIRECT = f"query {{ me {{ partner {{ referralCode displayName email sponsor {{ referralCode email }} {FIGURES} }} }} }}"

OTHER_USER = """
query Other($id: ID!) { user(id: $id) { email mlmPartner { referralCode email } mlmCustomer { email } } }
"""

OTHER_ORDER = """
query Other($id: ID!) { order(id: $id) { number mlmAttribution { rule pv } } }
"""


def start(script: str, *args: str):
    """Start a node script that prints `listening <port>`; (process, port)."""
    process = subprocess.Popen(["node", script, *args], cwd=JS, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        if selector.select(timeout=1):
            line = process.stdout.readline()
            if line.startswith("listening "):
                return process, int(line.split()[1])
    process.kill()
    raise AssertionError(f"{script} did not start: {process.stderr.read()}")


def stop(process) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()  # the gateway waits for kept-alive connections to close
        process.wait(timeout=5)


def post(port: int, query: str, variables: dict | None = None, headers: dict | None = None) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={"content-type": "application/json", **(headers or {})},
    )
    return _json_answer(request)


def _json_answer(request) -> dict:
    """The JSON body of the answer, also of a 4xx (the gateway's and the app's errors are JSON)."""
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        return json.load(error)


def bearer(token: str) -> dict:
    return {"authorization": f"Bearer {token}"}


@pytest.fixture
def orders(gql_installation, period_network_not_run, order_event_factory):
    """The plan in force (live volumes this month); Anna (a partner) and Kunde (Anna's
    customer) each paid one order."""

    def paid(order_id, number, user_id, email):
        event = order_event_factory(
            installation=gql_installation,
            order_id=order_id,
            number=number,
            email=email,
            user_id=user_id,
            lines=[order_line(sku="TEA", quantity=1, net="20.00", variant_pv="10", line_id=f"{order_id}-line")],
        )
        assert credit_order_event(event).outcome == CreditOutcome.CREDITED

    paid(ANNA_ORDER, "921", ANNA_USER, "anna@example.com")
    paid(KUNDE_ORDER, "922", KUNDE_USER, "kunde@example.com")


@pytest.fixture(scope="module")
def servers(live_server, tmp_path_factory):
    """(gateway port, the stand-in's data file): started once for the module, in front of
    the live app and the stand-in Saleor, which reads its users from the file on every
    request."""
    if not (JS / "node_modules").is_dir():
        pytest.fail("tests/federation/js has no node_modules: run `npm ci` there (scripts/test.sh does).")
    data = tmp_path_factory.mktemp("saleor") / "saleor.json"
    data.write_text(json.dumps({"jwks": {"keys": []}, "users": []}))
    saleor, saleor_port = start("saleor-standin.mjs", str(data))
    try:
        gateway, port = start("gateway.mjs", f"http://127.0.0.1:{saleor_port}/graphql/", f"{live_server.url}/graphql/")
        try:
            yield port, data
        finally:
            stop(gateway)
    finally:
        stop(saleor)


@pytest.fixture
def gateway(servers, orders, rsa_signers):
    """The gateway's port; Saleor knows this test's users, orders and signing key."""
    port, data = servers
    users = [
        {"id": ANNA_USER, "email": "anna@example.com", "orders": [{"id": ANNA_ORDER, "number": "921"}]},
        {"id": BERT_USER, "email": "bert@example.com", "orders": []},
        {"id": FRANK_USER, "email": "frank@example.com", "orders": []},
        {"id": KUNDE_USER, "email": "kunde@example.com", "orders": [{"id": KUNDE_ORDER, "number": "922"}]},
    ]
    data.write_text(json.dumps({"jwks": rsa_signers[0].jwks(), "users": users}))
    return port


def test_a_partner_reads_saleor_and_the_app_in_one_request(gateway, tokens, live_server):
    token = tokens.access(user_id=ANNA_USER, email="anna@example.com")

    body = post(gateway, ONE_REQUEST, headers=bearer(token))
    direct = post_app(live_server, DIRECT, token)

    assert "errors" not in body, body
    me = body["data"]["me"]
    assert me["email"] == "anna@example.com"
    # The app's fields through the gateway are what the app answers directly.
    assert me["mlmPartner"] == direct["data"]["me"]["partner"]
    assert me["mlmPartner"]["referralCode"] == "ANNA1"
    assert me["mlmPartner"]["volumes"]["pv"] is not None
    assert me["mlmCustomer"] is None
    assert me["orders"] == {
        "totalCount": 1,
        "edges": [{"node": {"number": "921", "mlmAttribution": {"rule": "PARTNER_USER", "pv": "10.0000", "partner": {"referralCode": "ANNA1"}}}}],
    }


def test_a_customer_sees_its_order_and_its_partners_public_profile(gateway, tokens):
    token = tokens.access(user_id=KUNDE_USER, email="kunde@example.com")
    query = "query { me { email mlmPartner { email } mlmCustomer { email sponsor { referralCode email } } orders(first: 5) { edges { node { mlmAttribution { rule pv customer { email } viaPartner { referralCode email } } } } } } }"

    body = post(gateway, query, headers=bearer(token))

    assert "errors" not in body, body
    assert body["data"]["me"] == {
        "email": "kunde@example.com",
        "mlmPartner": None,
        "mlmCustomer": {"email": "kunde@example.com", "sponsor": {"referralCode": "ANNA1", "email": None}},
        "orders": {
            "edges": [
                {"node": {"mlmAttribution": {"rule": "KNOWN_CUSTOMER", "pv": "10.0000", "customer": {"email": "kunde@example.com"}, "viaPartner": {"referralCode": "ANNA1", "email": None}}}}
            ]
        },
    }


def denied(body: dict) -> list:
    return sorted((tuple(error.get("path") or ()), (error.get("extensions") or {}).get("code")) for error in body.get("errors", []))


def test_a_partner_never_sees_another_lines_data_through_the_gateway(gateway, tokens):
    """The stand-in hands out any user and order (Saleor would not); the app refuses them."""
    anna = bearer(tokens.access(user_id=ANNA_USER, email="anna@example.com"))
    frank = bearer(tokens.access(user_id=FRANK_USER, email="frank@example.com"))

    other_line = post(gateway, OTHER_USER, {"id": BERT_USER}, headers=anna)
    upline = post(gateway, OTHER_USER, {"id": ANNA_USER}, headers=frank)
    foreign_order = post(gateway, OTHER_ORDER, {"id": KUNDE_ORDER}, headers=anna)

    assert other_line["data"] == {"user": {"email": "bert@example.com", "mlmPartner": None, "mlmCustomer": None}}
    assert denied(other_line) == [(("user", "mlmCustomer"), "PERMISSION_DENIED"), (("user", "mlmPartner"), "PERMISSION_DENIED")]
    assert upline["data"] == {"user": {"email": "anna@example.com", "mlmPartner": None, "mlmCustomer": None}}
    assert denied(upline) == [(("user", "mlmCustomer"), "PERMISSION_DENIED"), (("user", "mlmPartner"), "PERMISSION_DENIED")]
    assert foreign_order["data"] == {"order": {"number": "922", "mlmAttribution": None}}
    assert denied(foreign_order) == [(("order", "mlmAttribution"), "PERMISSION_DENIED")]


def test_anonymous_and_the_merchant_through_the_gateway(gateway, tokens, gql_installation):
    anonymous = post(gateway, OTHER_USER, {"id": ANNA_USER}, headers={"saleor-api-url": gql_installation.saleor_api_url})
    merchant = post(gateway, OTHER_USER, {"id": BERT_USER}, headers=bearer(tokens.thirdparty(["MANAGE_USERS"])))

    assert anonymous["data"] == {"user": {"email": "anna@example.com", "mlmPartner": None, "mlmCustomer": None}}
    assert denied(anonymous) == [(("user", "mlmCustomer"), "PERMISSION_DENIED"), (("user", "mlmPartner"), "PERMISSION_DENIED")]
    assert "errors" not in merchant, merchant
    assert merchant["data"] == {"user": {"email": "bert@example.com", "mlmPartner": {"referralCode": "BERT1", "email": "bert@example.com"}, "mlmCustomer": None}}


def post_app(live_server, query: str, token: str) -> dict:
    request = urllib.request.Request(
        f"{live_server.url}/graphql/",
        data=json.dumps({"query": query}).encode(),
        headers={"content-type": "application/json", "authorization": f"Bearer {token}"},
    )
    return _json_answer(request)


def test_an_expired_token_reaches_the_app_unchanged_and_is_refused(gateway, tokens):
    """The stand-in hands out the user whatever the token; the app gets the token as the
    storefront sent it, verifies it as always, and answers no data."""
    expired = tokens.encode(tokens.claims("access", user_id=ANNA_USER, exp=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)))

    body = post(gateway, OTHER_USER, {"id": ANNA_USER}, headers=bearer(expired))

    assert body["data"] == {"user": {"email": "anna@example.com", "mlmPartner": None, "mlmCustomer": None}}
    assert "EXPIRED_TOKEN" in json.dumps(body["errors"]), body["errors"]
