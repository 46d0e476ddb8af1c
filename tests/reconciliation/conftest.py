"""A recorded Saleor for the order sync: the fake Saleor of `tests/fixtures/saleor.py` (a
real local HTTP port) answering `MlmOrdersSync` with the pages in `saleor_pages/`, and an
installation of it that also takes the captured webhook samples (their JWKS, their app id)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from tests.fixtures.saleor import load_saleor_schema
from tests.fixtures.webhooks import SAMPLE_APP_ID, load_sample, sample_jwks

PAGES_DIR = Path(__file__).resolve().parent / "saleor_pages"


def recorded_pages() -> list[dict]:
    return [json.loads((PAGES_DIR / f"orders_{number}.json").read_text()) for number in (1, 2)]


def captured_pages() -> list[dict]:
    """The two pages a real Saleor 3.24 answered to the sync's query (saleor_pages/README.md)."""
    return [json.loads((PAGES_DIR / f"captured_orders_{number}.json").read_text()) for number in (1, 2)]


def captured_refund_pages() -> list[dict]:
    """The three pages a real Saleor 3.24 answered to the sync's query after the refunds by line
    were captured (saleor_pages/README.md): #4 and #5 refunded through granted refunds, #6 paid
    and cancelled, #7 in USD, #8 not paid."""
    return [json.loads((PAGES_DIR / f"captured_refunds_{number}.json").read_text()) for number in (1, 2, 3)]


@pytest.fixture(scope="session")
def saleor_schema():
    """Saleor 3.24's schema, built from its captured SDL."""
    return load_saleor_schema("3.24")


class RecordedSaleor:
    """Answers the sync's query page by page, by the `after` cursor; `pages` may be edited."""

    def __init__(self, fake):
        self.fake = fake
        self.pages = recorded_pages()
        self.fail_after: dict[str, tuple[int, dict]] = {}  # cursor -> (status, body), once
        self.before_answer = None  # callable(variables), run before a page is answered
        fake.graphql_handler = self.answer

    def answer(self, request):
        body = json.loads(request.body)
        variables = body.get("variables") or {}
        assert "MlmOrdersSync" in body["query"], body["query"][:80]
        after = variables.get("after") or ""
        if after in self.fail_after:
            return self.fail_after.pop(after)
        if self.before_answer is not None:
            self.before_answer(variables)
        cursors = [""] + [page["data"]["orders"]["pageInfo"]["endCursor"] for page in self.pages]
        return 200, self.pages[cursors.index(after)]

    def node(self, number: str) -> dict:
        for page in self.pages:
            for edge in page["data"]["orders"]["edges"]:
                if edge["node"]["number"] == number:
                    return edge["node"]
        raise KeyError(number)

    def variables(self) -> list[dict]:
        return [json.loads(request.body)["variables"] for request in self.fake.requests_to("/graphql/")]


@pytest.fixture
def recorded_saleor(fake_saleor, settings):
    settings.SALEOR_SYNC_PAGE_INTERVAL = 0
    settings.SALEOR_CLIENT_RETRIES = 0
    settings.SALEOR_WRITE_BACK = False
    return RecordedSaleor(fake_saleor)


@pytest.fixture
def sync_installation(installation_factory, fake_saleor):
    """The shop of the captured samples, reached at the fake Saleor's address."""
    return installation_factory(saleor_api_url=fake_saleor.api_url, app_id=SAMPLE_APP_ID, jwks=sample_jwks(), auth_token="app-token")


@pytest.fixture
def deliver(post_webhook, fake_saleor):
    """deliver(sample name) -> response: a captured delivery, posted as that Saleor sends it
    (the same signed bytes; only its API URL header names the fake Saleor's address)."""

    def post(name: str):
        headers, body = load_sample(name)
        headers = {**copy.deepcopy(headers), "Saleor-Api-Url": fake_saleor.api_url}
        response = post_webhook(headers["Saleor-Event"], body, headers)
        assert response.status_code < 300, response.content
        return response

    return post
