"""What the logs show of a request: no query strings, and no signed download link.

A statements CSV link (`/graphql/exports/statements/<token>/`) is a credential while it is
valid; the request log and Django's 4xx warnings print the route instead. The test reads
what the configured console handler writes (settings.LOGGING), in both formats.
"""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.core import signing

from saleor_mlm.graphql.periods.exports import SALT


@pytest.fixture
def console():
    """Everything the app's console handler writes during the test."""
    handler = next(handler for handler in logging.getLogger().handlers if handler.name == "console")
    stream = io.StringIO()
    # Swapped without setStream, which flushes the old stream: under pytest's capture the
    # handler may hold a stream an earlier test's capture has closed already.
    previous, handler.stream = handler.stream, stream
    previous_level = logging.getLogger().level
    logging.getLogger().setLevel(logging.INFO)
    try:
        yield stream
    finally:
        handler.stream = previous
        logging.getLogger().setLevel(previous_level)


@pytest.mark.django_db
def test_a_signed_link_is_never_written_to_the_log(client, console, installation):
    token = signing.dumps({"installation": installation.pk, "period": 0}, salt=SALT, compress=True)

    answer = client.get(f"/graphql/exports/statements/{token}/", {"download": "1"})
    without_slash = client.get(f"/graphql/exports/statements/{token}")

    assert answer.status_code == 404 and without_slash.status_code == 301
    written = console.getvalue()
    assert token not in written
    lines = [json.loads(line) for line in written.splitlines()]
    requests = [line for line in lines if line["logger"] == "saleor_mlm.request"]
    assert [line["path"] for line in requests] == ["/graphql/exports/statements/<str:token>/"] * 2
    warning = next(line for line in lines if line["logger"] == "django.request")
    assert warning["message"] == "Not Found: /graphql/exports/statements/<str:token>/"
    assert warning["request"] == "GET /graphql/exports/statements/<str:token>/"


@pytest.mark.django_db
def test_no_query_string_in_the_log(client, console, settings):
    client.get("/healthz", {"token": "s3cr3t-value"})
    client.get("/no-such-page", {"token": "s3cr3t-value"})

    written = console.getvalue()
    assert "s3cr3t-value" not in written
    paths = [json.loads(line).get("path") for line in written.splitlines() if '"saleor_mlm.request"' in line]
    assert paths == ["/healthz", "/no-such-page"]
