"""SaleorClient against a real local HTTP server: what is retried and what is raised."""

from __future__ import annotations

import json
import socket
import time

import pytest

from saleor_mlm.installations.saleor_client import (
    SaleorAuthError,
    SaleorClient,
    SaleorError,
    SaleorGraphQLError,
    SaleorHTTPError,
    SaleorUnavailable,
)

QUERY = "query { app { id } }"


def scripted(fake_saleor, *answers):
    """Answer the n-th POST with answers[n] (the last one repeats): (status, body) or ("sleep", seconds)."""
    answers = list(answers)

    def handler(request):
        step = answers[min(len(fake_saleor.requests_to("/graphql/")) - 1, len(answers) - 1)]
        if step[0] == "sleep":
            time.sleep(step[1])
            return 200, {"data": {"app": {"id": "late"}}}
        return step

    fake_saleor.graphql_handler = handler


def client_for(fake_saleor, **kwargs) -> SaleorClient:
    kwargs.setdefault("retries", 3)
    kwargs.setdefault("backoff", 0)
    return SaleorClient(fake_saleor.api_url, "app-token", **kwargs)


def test_a_query_sends_the_token_and_returns_data(fake_saleor):
    data = client_for(fake_saleor).execute(QUERY, {"x": 1})

    assert data == {"app": {"id": fake_saleor.app_id}}
    (request,) = fake_saleor.requests_to("/graphql/")
    assert request.method == "POST"
    assert request.headers["Authorization"] == "Bearer app-token"
    assert json.loads(request.body) == {"query": QUERY, "variables": {"x": 1}}


def test_5xx_is_retried_until_it_works(fake_saleor):
    scripted(fake_saleor, (502, {}), (503, {}), (200, {"data": {"app": {"id": "ok"}}}))

    assert client_for(fake_saleor).execute(QUERY) == {"app": {"id": "ok"}}
    assert len(fake_saleor.requests_to("/graphql/")) == 3


def test_5xx_after_the_retries_raises_unavailable(fake_saleor):
    scripted(fake_saleor, (500, {}))

    with pytest.raises(SaleorUnavailable, match="HTTP 500 after 3 attempts"):
        client_for(fake_saleor, retries=2).execute(QUERY)
    assert len(fake_saleor.requests_to("/graphql/")) == 3


def test_a_timeout_is_retried(fake_saleor):
    scripted(fake_saleor, ("sleep", 0.6), (200, {"data": {"app": {"id": "second"}}}))

    data = client_for(fake_saleor, timeout=(1, 0.2)).execute(QUERY)

    assert data == {"app": {"id": "second"}}
    assert len(fake_saleor.requests_to("/graphql/")) == 2


def test_timeouts_after_the_retries_raise_unavailable(fake_saleor):
    scripted(fake_saleor, ("sleep", 0.5))

    with pytest.raises(SaleorUnavailable, match="did not answer after 2 attempts"):
        client_for(fake_saleor, timeout=(1, 0.1), retries=1).execute(QUERY)


def test_a_refused_connection_is_retried_then_unavailable():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]

    with pytest.raises(SaleorUnavailable):
        SaleorClient(f"http://127.0.0.1:{port}/graphql/", "t", retries=1, backoff=0).execute(QUERY)


@pytest.mark.parametrize("status, error", [(400, SaleorHTTPError), (404, SaleorHTTPError), (401, SaleorAuthError), (403, SaleorAuthError)])
def test_4xx_is_raised_at_once(fake_saleor, status, error):
    scripted(fake_saleor, (status, {"errors": [{"message": "no"}]}))

    with pytest.raises(error) as raised:
        client_for(fake_saleor).execute(QUERY)

    assert raised.value.status_code == status
    assert len(fake_saleor.requests_to("/graphql/")) == 1


def test_graphql_errors_are_raised_at_once_and_typed(fake_saleor):
    errors = [{"message": "You need one of: MANAGE_ORDERS", "extensions": {"exception": {"code": "PermissionDenied"}}}]
    scripted(fake_saleor, (200, {"data": None, "errors": errors}))

    with pytest.raises(SaleorGraphQLError) as raised:
        client_for(fake_saleor).execute(QUERY)

    assert raised.value.errors == errors
    assert str(raised.value) == "You need one of: MANAGE_ORDERS"
    assert len(fake_saleor.requests_to("/graphql/")) == 1


def test_a_non_json_answer_is_an_http_error(fake_saleor):
    scripted(fake_saleor, (200, b"<html>proxy error</html>"))

    with pytest.raises(SaleorHTTPError):
        client_for(fake_saleor).execute(QUERY)


def test_an_invalid_url_is_not_retried():
    with pytest.raises(SaleorError):
        SaleorClient("http://", "t", retries=3, backoff=0).execute(QUERY)


def test_for_installation_uses_the_stored_url_and_token(saleor_installation, fake_saleor):
    client = SaleorClient.for_installation(saleor_installation, backoff=0)

    assert client.execute(QUERY) == {"app": {"id": fake_saleor.app_id}}
    assert fake_saleor.requests_to("/graphql/")[0].headers["Authorization"] == f"Bearer {saleor_installation.auth_token}"
