"""POST /api/register against a fake Saleor on a real local port."""

from __future__ import annotations

import json
import logging
import socket
import threading

import pytest

from saleor_mlm.installations import actions
from saleor_mlm.installations.actions import AllowedApiUrl, is_api_url_allowed
from saleor_mlm.installations.models import Installation, normalize_api_url
from tests.fixtures.saleor import FakeApp
from tests.fixtures.webhooks import order_body

pytestmark = pytest.mark.django_db


def register(client, api_url: str | None, body=None, **headers):
    if api_url is not None:
        headers["Saleor-Api-Url"] = api_url
    data = body if isinstance(body, bytes) else json.dumps(body if body is not None else {"auth_token": "token-1"})
    return client.post("/api/register", data=data, content_type="application/json", headers=headers)


def test_a_new_install_stores_app_id_token_and_jwks(client, fake_saleor):
    response = register(client, fake_saleor.api_url, {"auth_token": "token-1"}, **{"Saleor-Domain": "shop.example"})

    assert response.status_code == 200
    assert response.json() == {"success": True}
    installation = Installation.objects.get()
    assert installation.saleor_api_url == fake_saleor.api_url
    assert installation.saleor_domain == "shop.example"
    assert installation.app_id == fake_saleor.app_id
    assert installation.auth_token == "token-1"
    assert "token-1" not in installation.encrypted_auth_token
    assert installation.jwks == fake_saleor.jwks()
    assert installation.jwks_fetched_at is not None
    (graphql_call,) = fake_saleor.requests_to("/graphql/")
    assert graphql_call.headers["Authorization"] == "Bearer token-1"
    assert "app { id identifier }" in json.loads(graphql_call.body)["query"]
    assert len(fake_saleor.requests_to("/.well-known/jwks.json")) == 1


def test_a_reinstall_replaces_token_app_id_and_jwks(client, fake_saleor):
    assert register(client, fake_saleor.api_url, {"auth_token": "old-token"}).status_code == 200
    first = Installation.objects.get()
    fake_saleor.app_id = "QXBwOjQz"
    fake_saleor.rotate()

    # Saleor spells the URL differently this time: still the same Saleor.
    response = register(client, fake_saleor.api_url.rstrip("/").replace("http://", "HTTP://"), {"auth_token": "new-token"})

    assert response.status_code == 200
    installation = Installation.objects.get()
    assert installation.pk == first.pk
    assert installation.auth_token == "new-token"
    assert installation.app_id == "QXBwOjQz"
    assert installation.jwks == fake_saleor.jwks() != first.jwks


def test_an_api_url_outside_the_allow_list_is_refused(client, fake_saleor, settings):
    settings.SALEOR_ALLOWED_API_URLS = ["https://*.saleor.cloud", "https://shop.example.com/graphql/"]

    response = register(client, fake_saleor.api_url)

    assert response.status_code == 403
    assert response.json() == {"error": {"message": f"this app does not accept installations from {fake_saleor.api_url}"}}
    assert not Installation.objects.exists()
    assert fake_saleor.requests == []  # refused before calling anything


def test_an_api_url_in_the_allow_list_installs(client, fake_saleor, settings):
    settings.SALEOR_ALLOWED_API_URLS = [fake_saleor.origin]

    assert register(client, fake_saleor.api_url).status_code == 200


# --- another app's token ------------------------------------------------------------

OTHER_APP = FakeApp("QXBwOjQ0", "com.example.loyalty")  # another app installed in the same Saleor
ANOTHER_APPS_TOKEN = {"error": {"message": "This token belongs to another app, not to saleor-mlm: nothing was changed."}}


def test_another_apps_token_cannot_take_over_the_installation(client, fake_saleor, post_webhook):
    assert register(client, fake_saleor.api_url, {"auth_token": "our-token"}).status_code == 200
    before = Installation.objects.values().get()
    fake_saleor.apps["their-token"] = OTHER_APP

    response = register(client, fake_saleor.api_url, {"auth_token": "their-token"})

    assert response.status_code == 403
    assert response.json() == ANOTHER_APPS_TOKEN
    assert Installation.objects.values().get() == before
    assert Installation.objects.get().auth_token == "our-token"
    # Saleor's next delivery to this app is still accepted (it used to get 403, never retried).
    body = order_body(app_id=fake_saleor.app_id)
    assert post_webhook("order_fully_paid", body, fake_saleor.webhook_headers("order_fully_paid", body)).status_code == 202


def test_another_apps_token_cannot_install_either(client, fake_saleor):
    fake_saleor.apps["their-token"] = OTHER_APP

    response = register(client, fake_saleor.api_url, {"auth_token": "their-token"})

    assert response.status_code == 403
    assert response.json() == ANOTHER_APPS_TOKEN
    assert not Installation.objects.exists()
    assert fake_saleor.requests_to("/.well-known/jwks.json") == []


def test_a_local_app_without_manifest_id_is_another_app(client, fake_saleor):
    assert register(client, fake_saleor.api_url, {"auth_token": "our-token"}).status_code == 200
    fake_saleor.apps["local-app-token"] = FakeApp("QXBwOjQ1", None)  # created with appCreate, no manifest

    response = register(client, fake_saleor.api_url, {"auth_token": "local-app-token"})

    assert response.status_code == 403
    assert Installation.objects.get().auth_token == "our-token"


def test_the_identifier_is_this_apps_manifest_id(client, fake_saleor, settings):
    settings.SALEOR_APP_IDENTIFIER = "com.acme.mlm"  # SALEOR_APP_ID
    fake_saleor.app_identifier = "com.acme.mlm"

    assert register(client, fake_saleor.api_url).status_code == 200

    fake_saleor.app_identifier = "saleor-mlm"  # the default id, but not this deployment's
    response = register(client, fake_saleor.api_url, {"auth_token": "token-2"})
    assert response.status_code == 403
    assert Installation.objects.get().auth_token == "token-1"


# --- no port scanner: every failed call back answers alike -----------------------------

NOT_CONFIRMED = {
    "error": {
        "message": "Saleor at this API URL did not confirm the app token, so the app was not installed. "
        "The app's server log has the details."
    }
}


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def not_http_port():
    """A TCP service that is not HTTP: greets like an SSH server and hangs up."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.1)
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            with connection:
                connection.sendall(b"SSH-2.0-OpenSSH_9.6\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    server.close()


def _refused(fake_saleor, closed_port, not_http_port, monkeypatch) -> str:
    return f"http://127.0.0.1:{closed_port}/graphql/"


def _not_http(fake_saleor, closed_port, not_http_port, monkeypatch) -> str:
    return f"http://127.0.0.1:{not_http_port}/graphql/"


def _timeout(fake_saleor, closed_port, not_http_port, monkeypatch) -> str:
    monkeypatch.setattr(actions, "INSTALL_TIMEOUT", (0.5, 0.2))
    fake_saleor.delay = 0.5
    return fake_saleor.api_url


def _answering(status, body, *, jwks_status=200):
    def target(fake_saleor, closed_port, not_http_port, monkeypatch) -> str:
        fake_saleor.graphql_status, fake_saleor.graphql_body, fake_saleor.jwks_status = status, body, jwks_status
        return fake_saleor.api_url

    return target


@pytest.mark.parametrize(
    "target",
    [
        pytest.param(_refused, id="connection refused"),
        pytest.param(_not_http, id="not HTTP"),
        pytest.param(_timeout, id="timeout"),
        pytest.param(_answering(404, b"<html>Not Found</html>"), id="a web server, not Saleor"),
        pytest.param(_answering(200, b"<html>Welcome</html>"), id="HTML"),
        pytest.param(_answering(200, ["not", "graphql"]), id="JSON, not GraphQL"),
        pytest.param(_answering(503, {"error": "maintenance"}), id="5xx"),
        pytest.param(_answering(401, {"errors": [{"message": "Invalid token"}]}), id="401"),
        pytest.param(_answering(200, {"data": None, "errors": [{"message": "Signature has expired"}]}), id="GraphQL error"),
        pytest.param(_answering(200, {"data": {"app": None}}), id="no app for the token"),
        pytest.param(_answering(200, None, jwks_status=500), id="Saleor, but no JWKS"),
    ],
)
def test_every_failed_call_back_answers_alike(client, fake_saleor, closed_port, not_http_port, monkeypatch, caplog, target):
    api_url = target(fake_saleor, closed_port, not_http_port, monkeypatch)

    with caplog.at_level(logging.WARNING, logger="saleor_mlm.installations.actions"):
        response = register(client, api_url)

    assert (response.status_code, response.json()) == (502, NOT_CONFIRMED)
    assert not Installation.objects.exists()
    (record,) = [r for r in caplog.records if r.name == "saleor_mlm.installations.actions"]
    assert record.api_url == api_url and record.reason  # what happened: in the server log only


def test_saleor_failing_with_5xx_is_retried_once(client, fake_saleor):
    fake_saleor.graphql_status = 503
    fake_saleor.graphql_body = {"error": "maintenance"}

    response = register(client, fake_saleor.api_url)

    assert (response.status_code, response.json()) == (502, NOT_CONFIRMED)
    assert len(fake_saleor.requests_to("/graphql/")) == 2  # one retry, then give up quickly


@pytest.mark.parametrize(
    "api_url, body, message",
    [
        (None, {"auth_token": "t"}, "the Saleor-Api-Url header is missing"),
        ("http://127.0.0.1:1/graphql/", b"{nope", "the body is not JSON"),
        ("http://127.0.0.1:1/graphql/", {"token": "t"}, "the request has no auth_token"),
        ("http://127.0.0.1:1/graphql/", ["t"], "the body is not a JSON object"),
        ("ftp://shop/graphql/", {"auth_token": "t"}, "Saleor-Api-Url 'ftp://shop/graphql/' is not an http(s) URL"),
    ],
)
def test_malformed_registrations_are_400(client, api_url, body, message):
    response = register(client, api_url, body)

    assert response.status_code == 400
    assert response.json() == {"error": {"message": message}}


def test_register_is_post_only(client):
    assert client.get("/api/register").status_code == 405


@pytest.mark.parametrize(
    "url, normalized",
    [
        ("https://Shop.Example.com/graphql", "https://shop.example.com/graphql/"),
        ("https://shop.example.com:443/graphql/", "https://shop.example.com/graphql/"),
        ("http://127.0.0.1:8000/graphql/?x=1#f", "http://127.0.0.1:8000/graphql/"),
        ("HTTP://[::1]:80/graphql/", "http://[::1]/graphql/"),
        ("  https://shop.example.com  ", "https://shop.example.com/"),
        ("", ""),
    ],
)
def test_api_urls_are_normalized(url, normalized):
    assert normalize_api_url(url) == normalized


@pytest.mark.parametrize(
    "entry, url, allowed",
    [
        ("https://shop.example.com/graphql/", "https://shop.example.com/graphql/", True),
        ("https://shop.example.com/graphql", "https://shop.example.com/graphql/", True),
        ("https://shop.example.com/graphql/", "https://shop.example.com/other/", False),
        ("https://shop.example.com/graphql/", "http://shop.example.com/graphql/", False),
        ("https://shop.example.com", "https://shop.example.com/any/path/", True),
        ("https://*.saleor.cloud", "https://acme.saleor.cloud/graphql/", True),
        ("https://*.saleor.cloud", "https://eu.acme.saleor.cloud/graphql/", True),
        ("https://*.saleor.cloud", "https://saleor.cloud/graphql/", False),
        ("https://*.saleor.cloud", "https://evilsaleor.cloud/graphql/", False),
        ("https://*.saleor.cloud", "https://acme.saleor.cloud.evil.com/graphql/", False),
        ("https://*.saleor.cloud", "https://acme.saleor.cloud:8443/graphql/", False),
        ("https://*.saleor.cloud/graphql/", "https://acme.saleor.cloud/api/", False),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000/graphql/", True),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8001/graphql/", False),
    ],
)
def test_allow_list_entries(entry, url, allowed):
    assert AllowedApiUrl.parse(entry).matches(normalize_api_url(url)) is allowed


def test_an_empty_allow_list_allows_any():
    assert is_api_url_allowed("https://anything.example/graphql/", [])


@pytest.mark.parametrize("entry", ["shop.example.com", "https://shop.*.com", "https://*shop.com", "ftp://x"])
def test_bad_allow_list_entries_are_configuration_errors(entry):
    with pytest.raises(ValueError):
        AllowedApiUrl.parse(entry)


def test_a_bad_allow_list_is_reported_by_the_system_checks(settings):
    from saleor_mlm.installations.apps import check_allowed_api_urls

    settings.SALEOR_ALLOWED_API_URLS = ["https://*.saleor.cloud", "shop.example.com"]

    (error,) = check_allowed_api_urls(None)

    assert error.id == "saleor_mlm.E001"
    assert "shop.example.com" in error.msg


def test_an_empty_allow_list_is_a_warning_outside_the_demo_and_debug(settings, monkeypatch):
    from saleor_mlm.installations.apps import check_allowed_api_urls_set

    monkeypatch.delenv("SALEOR_MLM_DEMO", raising=False)
    settings.SALEOR_ALLOWED_API_URLS, settings.DEBUG = [], False
    (warning,) = check_allowed_api_urls_set(None)
    assert (warning.id, warning.level) == ("saleor_mlm.W001", 30)
    assert warning.msg.startswith("SALEOR_ALLOWED_API_URLS is empty")

    settings.SALEOR_ALLOWED_API_URLS = ["https://shop.example.com/graphql/"]
    assert check_allowed_api_urls_set(None) == []
    settings.SALEOR_ALLOWED_API_URLS, settings.DEBUG = [], True
    assert check_allowed_api_urls_set(None) == []
    settings.DEBUG = False
    monkeypatch.setenv("SALEOR_MLM_DEMO", "1")
    assert check_allowed_api_urls_set(None) == []
