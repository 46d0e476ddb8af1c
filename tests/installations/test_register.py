"""POST /api/register against a fake Saleor on a real local port."""

from __future__ import annotations

import json
import socket

import pytest

from saleor_mlm.installations.actions import AllowedApiUrl, is_api_url_allowed
from saleor_mlm.installations.models import Installation, normalize_api_url

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
    assert "app { id }" in json.loads(graphql_call.body)["query"]
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


def test_saleor_unreachable_is_a_502_with_the_reason(client):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]

    response = register(client, f"http://127.0.0.1:{port}/graphql/")

    assert response.status_code == 502
    assert response.json()["error"]["message"].startswith(f"Saleor did not answer at http://127.0.0.1:{port}/graphql/")
    assert not Installation.objects.exists()


def test_saleor_failing_with_5xx_is_a_502(client, fake_saleor):
    fake_saleor.graphql_status = 503
    fake_saleor.graphql_body = {"error": "maintenance"}

    response = register(client, fake_saleor.api_url)

    assert response.status_code == 502
    assert len(fake_saleor.requests_to("/graphql/")) == 2  # one retry, then give up quickly
    assert not Installation.objects.exists()


def test_a_token_saleor_refuses_is_a_400(client, fake_saleor):
    fake_saleor.graphql_status = 401
    fake_saleor.graphql_body = {"errors": [{"message": "Invalid token"}]}

    response = register(client, fake_saleor.api_url)

    assert response.status_code == 400
    assert response.json() == {"error": {"message": "Saleor refused the app token (HTTP 401)"}}


def test_a_graphql_error_is_a_400_with_saleor_s_message(client, fake_saleor):
    fake_saleor.graphql_body = {"data": None, "errors": [{"message": "Signature has expired"}]}

    response = register(client, fake_saleor.api_url)

    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Saleor refused the app token: Signature has expired"


def test_a_token_without_app_is_refused(client, fake_saleor):
    fake_saleor.graphql_body = {"data": {"app": None}}

    response = register(client, fake_saleor.api_url)

    assert response.status_code == 400
    assert "not an app token" in response.json()["error"]["message"]


def test_jwks_unavailable_is_a_502(client, fake_saleor):
    fake_saleor.jwks_status = 500

    response = register(client, fake_saleor.api_url)

    assert response.status_code == 502
    assert response.json()["error"]["message"].startswith("could not fetch Saleor's signing keys")
    assert not Installation.objects.exists()


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
