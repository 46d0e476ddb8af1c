pytest_plugins = ["tests.fixtures.installations"]
