pytest_plugins = [
    "tests.fixtures.installations",
    "tests.fixtures.network",
    "tests.fixtures.orders",
    "tests.fixtures.ledger",
]
