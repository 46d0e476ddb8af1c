pytest_plugins = [
    "tests.fixtures.installations",
    "tests.fixtures.orders",
    "tests.fixtures.ledger",
]
