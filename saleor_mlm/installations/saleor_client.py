"""A small GraphQL client for calling Saleor with the app token.

Retries only what can succeed on a second try: timeouts, connection errors and 5xx.
A 4xx, a GraphQL error or a permission problem is raised at once as a typed error. A client
of an installation (`for_installation`) that Saleor answers 401 or 403 marks the
installation disconnected (installations.connection) before it raises.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

import requests
from django.conf import settings

logger = logging.getLogger(__name__)


class SaleorError(Exception):
    """Base class of every failure talking to Saleor."""


class SaleorUnavailable(SaleorError):
    """Timeouts, connection errors or 5xx, still failing after the retries."""


class SaleorHTTPError(SaleorError):
    def __init__(self, status_code: int, body: str):
        super().__init__(f"Saleor answered HTTP {status_code}: {body[:300]}")
        self.status_code = status_code
        self.body = body


class SaleorAuthError(SaleorHTTPError):
    """401/403: the token was revoked (app uninstalled?) or lacks a permission."""


@dataclass
class SaleorGraphQLError(SaleorError):
    errors: list[dict[str, Any]] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(str(error.get("message")) for error in self.errors) or "GraphQL error"


class SaleorClient:
    def __init__(self, api_url: str, token: str | None = None, *, timeout=None, retries=None, session=None, backoff=0.5):
        self.api_url = api_url
        self.token = token
        self.timeout = timeout or settings.SALEOR_CLIENT_TIMEOUT
        self.retries = settings.SALEOR_CLIENT_RETRIES if retries is None else retries
        self.session = session or requests.Session()
        self.backoff = backoff
        # The installation whose token this is (`for_installation`): marked disconnected on 401/403.
        self.installation_id: int | None = None

    @classmethod
    def for_installation(cls, installation, **kwargs) -> SaleorClient:
        client = cls(installation.saleor_api_url, installation.auth_token, **kwargs)
        client.installation_id = installation.pk
        return client

    def execute(self, query: str, variables: dict | None = None) -> dict[str, Any]:
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        payload = {"query": query, "variables": variables or {}}
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self.session.post(self.api_url, json=payload, headers=headers, timeout=self.timeout)
            except (requests.Timeout, requests.ConnectionError) as exc:
                if attempt > self.retries:
                    raise SaleorUnavailable(f"Saleor did not answer after {attempt} attempts: {exc}") from exc
                self._wait(attempt)
                continue
            except requests.RequestException as exc:
                # An invalid URL, too many redirects...: a second try cannot help.
                raise SaleorError(f"calling Saleor at {self.api_url} failed: {exc}") from exc
            if response.status_code >= 500:
                if attempt > self.retries:
                    raise SaleorUnavailable(f"Saleor answered HTTP {response.status_code} after {attempt} attempts")
                self._wait(attempt)
                continue
            if response.status_code in (401, 403):
                if self.installation_id is not None:
                    from .connection import mark_disconnected

                    mark_disconnected(self.installation_id, response.status_code)
                raise SaleorAuthError(response.status_code, response.text)
            if response.status_code >= 400:
                raise SaleorHTTPError(response.status_code, response.text)
            try:
                body = response.json()
            except ValueError as exc:
                raise SaleorHTTPError(response.status_code, response.text) from exc
            if not isinstance(body, dict):  # JSON, but not a GraphQL response
                raise SaleorHTTPError(response.status_code, response.text)
            if body.get("errors"):
                raise SaleorGraphQLError(body["errors"])
            return body.get("data") or {}

    def _wait(self, attempt: int) -> None:
        delay = self.backoff * (2 ** (attempt - 1))
        logger.info("retrying Saleor call", extra={"attempt": attempt, "delay_s": delay, "api_url": self.api_url})
        time.sleep(delay)
