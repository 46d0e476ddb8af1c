import pytest

pytest_plugins = [
    "tests.fixtures.installations",
    "tests.fixtures.network",
    "tests.fixtures.saleor",
    "tests.fixtures.webhooks",
    "tests.fixtures.orders",
    "tests.fixtures.ledger",
    "tests.fixtures.periods",
    "tests.fixtures.graphql",
    "tests.fixtures.celery",
]

# The captured Saleor samples and the fixtures' orders were issued in November 2026; a
# delivery of them must be accepted whenever the suite runs, so the window of dates around
# the time of receipt (WEBHOOK_MAX_CLOCK_SKEW) is a century here. The tests of the window
# set the real one (tests/webhooks/test_bounds.py).
FIXTURES_CLOCK_SKEW_DAYS = 36_500


@pytest.fixture(autouse=True)
def _webhook_dates_of_the_fixtures(settings):
    settings.WEBHOOK_MAX_CLOCK_SKEW = FIXTURES_CLOCK_SKEW_DAYS
