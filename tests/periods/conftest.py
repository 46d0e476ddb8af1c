import pytest

from saleor_mlm.periods import snapshot


@pytest.fixture(autouse=True)
def _period_cache_dir(settings, tmp_path):
    """Statement arrays are cached per test, never shared between tests."""
    settings.MLM_PERIOD_CACHE_DIR = str(tmp_path / "period-cache")
    snapshot._open.clear()
    yield
    snapshot._open.clear()
