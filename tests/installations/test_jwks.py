"""JWKS refetches: throttled per installation, shared through the database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from saleor_mlm.installations.jwks import JWKSFetchError, fetch_jwks, jwks_url_for, refresh_jwks, refresh_jwks_throttled
from saleor_mlm.installations.models import Installation

pytestmark = pytest.mark.django_db
JWKS_PATH = "/.well-known/jwks.json"


def test_the_jwks_lives_at_the_origin_of_the_api_url():
    assert jwks_url_for("https://shop.example.com:8443/graphql/") == "https://shop.example.com:8443/.well-known/jwks.json"


def test_fetch_and_refresh(fake_saleor, saleor_installation):
    fake_saleor.rotate()

    assert fetch_jwks(fake_saleor.api_url) == fake_saleor.jwks()
    refresh_jwks(saleor_installation)
    saleor_installation.refresh_from_db()
    assert saleor_installation.jwks == fake_saleor.jwks()


@pytest.mark.parametrize("status, body", [(500, None), (200, {"no": "keys"})])
def test_fetch_failures_are_typed(fake_saleor, status, body, monkeypatch):
    fake_saleor.jwks_status = status
    if body is not None:
        monkeypatch.setattr(fake_saleor, "jwks", lambda: body)

    with pytest.raises(JWKSFetchError):
        fetch_jwks(fake_saleor.api_url)


def test_a_refetch_within_the_interval_is_not_sent(fake_saleor, saleor_installation):
    now = timezone.now()
    fake_saleor.rotate()

    first = refresh_jwks_throttled(saleor_installation, now=now)
    second = refresh_jwks_throttled(saleor_installation, now=now + timedelta(seconds=29))
    third = refresh_jwks_throttled(saleor_installation, now=now + timedelta(seconds=31))

    assert first == second == third == fake_saleor.jwks()
    assert len(fake_saleor.requests_to(JWKS_PATH)) == 2


def test_a_throttled_caller_gets_what_a_peer_stored(fake_saleor, saleor_installation):
    stale = Installation.objects.get(pk=saleor_installation.pk)  # loaded before the peer's refetch
    fake_saleor.rotate()
    refresh_jwks_throttled(saleor_installation)  # the peer refetches

    assert refresh_jwks_throttled(stale) == fake_saleor.jwks()
    assert len(fake_saleor.requests_to(JWKS_PATH)) == 1


def test_a_failed_refetch_keeps_the_stored_keys_and_counts_for_the_throttle(fake_saleor, saleor_installation):
    stored = saleor_installation.jwks
    fake_saleor.jwks_status = 503

    assert refresh_jwks_throttled(saleor_installation) == stored
    assert refresh_jwks_throttled(saleor_installation) == stored
    assert len(fake_saleor.requests_to(JWKS_PATH)) == 1


def test_the_demo_installation_never_calls_out(installation_factory):
    demo = installation_factory(saleor_api_url="http://127.0.0.1:1/graphql/", is_demo=True, jwks={"keys": ["k"]})

    assert refresh_jwks_throttled(demo) == {"keys": ["k"]}
