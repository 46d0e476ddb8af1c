#!/usr/bin/env bash
# One command: install, start PostgreSQL and Redis when needed, check the import layers, lint and types, run
# the whole test suite (the federation composition check, Python tests against PostgreSQL
# and Redis, then the dashboard extension's and the partner office's component and end-to-end
# tests in headless Chromium, then the newcomer check: a clean clone's README demo command
# serves /, /dashboard/ and /office/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/services.sh
export DATABASE_URL=${TEST_DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/saleor_mlm}
export REDIS_URL=${TEST_REDIS_URL:-redis://127.0.0.1:6379/15}
unset CELERY_BROKER_URL
# The layers (docs/architecture.md, "Layers"), the linter and the type checker ([tool.ruff],
# [tool.mypy] in pyproject.toml): seconds each (mypy's first run on a fresh cache takes a
# minute or two), before anything slow.
.venv/bin/lint-imports --no-cache
.venv/bin/ruff check --quiet .
.venv/bin/mypy
# The federation tests' node project, from its lockfile (again only when the lockfile
# changed): the composition of the app's subgraph SDL with Saleor's (a few seconds), and
# the gateway that tests/graphql/test_federation_gateway.py starts (docs/storefront.md).
(
  cd tests/federation/js
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
  npm test --silent
)
.venv/bin/python -m pytest -n 2 --dist loadgroup "$@"
if [ "${SKIP_DASHBOARD_TESTS:-}" != "1" ]; then
  bash scripts/test-dashboard.sh
  bash scripts/test-office.sh
fi
# Partial runs (SKIP_DASHBOARD_TESTS=1) leave it out too.
if [ "${SKIP_DASHBOARD_TESTS:-}" != "1" ] && [ "${SKIP_NEWCOMER_CHECK:-}" != "1" ]; then
  bash scripts/newcomer-check.sh
fi
