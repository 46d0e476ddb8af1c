pytest_plugins = [
    "tests.fixtures.installations",
    "tests.fixtures.network",
    "tests.fixtures.saleor",
    "tests.fixtures.webhooks",
    "tests.fixtures.orders",
    "tests.fixtures.ledger",
    "tests.fixtures.periods",
    "tests.fixtures.graphql",
]
