from uuid import uuid4

import pytest
from django.core.cache import cache

from saleor_mlm.graphql.network import tree
from saleor_mlm.live import volumes as live


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Rate limits count in the `ratelimit` cache (Redis when the tests run with
    REDIS_URL); every test starts from zero with a key prefix of its own, so that tests
    running in parallel never share a counter."""
    cache.clear()
    settings.CACHES = {**settings.CACHES, "ratelimit": {**settings.CACHES["ratelimit"], "KEY_PREFIX": f"test-{uuid4().hex}"}}
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_jwks_refetch(monkeypatch):
    """Tokens with an unknown key id would make the API fetch the shop's JWKS again; the
    test shops do not exist, so the stored keys are all there is (tests of the refetch
    patch this again)."""
    monkeypatch.setattr("saleor_mlm.graphql.auth.refresh_jwks_throttled", lambda installation: installation.jwks)


@pytest.fixture(autouse=True)
def _fresh_live_network():
    """The live volumes and the downline index are per process; tests write rows without
    the network's actions (no change feed), so every test starts from the database."""
    live.invalidate()
    tree._indexes.clear()
    yield
    live.invalidate()
    tree._indexes.clear()


@pytest.fixture(autouse=True)
def _period_cache_dir(settings, tmp_path):
    """Statement arrays are cached per test, never shared between tests."""
    from saleor_mlm.periods import snapshot

    settings.MLM_PERIOD_CACHE_DIR = str(tmp_path / "period-cache")
    snapshot._open.clear()
    yield
    snapshot._open.clear()
