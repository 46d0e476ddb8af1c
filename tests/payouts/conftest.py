# Statement arrays are cached per test, as in the periods' tests (closing runs write them).
from tests.periods.conftest import _period_cache_dir  # noqa: F401
