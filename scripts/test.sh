#!/usr/bin/env bash
# One command: install, start PostgreSQL and Redis when needed, check the import layers, lint and types, run
# the whole test suite (the federation composition check, Python tests against PostgreSQL
# and Redis, then the dashboard extension's and the partner office's component and end-to-end
# tests in headless Chromium, and the newcomer check: a clean clone's README demo command
# serves /, /dashboard/ and /office/). The stages and their times: docs/architecture.md, "Tests
# and CI"; they are printed at the end.
#
# Arguments go to pytest (e.g. `-m "not slow"`, a folder of tests). Env:
#   TEST_DATABASE_URL, TEST_REDIS_URL  the PostgreSQL database and Redis db the Python tests use
#                                      (default saleor_mlm and db 15 on 127.0.0.1)
#   SKIP_DASHBOARD_TESTS=1  leaves out both apps' tests and the newcomer check
#   SKIP_NEWCOMER_CHECK=1   leaves out the newcomer check (the e2e then starts a demo of its own)
#   E2E_PORT                the port of the demo both apps' e2e run against (default 8765)
#   E2E_ONLY                parts of e2e scenario names, "|" between: only those run
#   NEWCOMER_TIMEOUT        how long the newcomer's demo may take to serve (default 900 s)
#
# The demo starts once: on a clean work tree (CI's clone is one) the newcomer check's clone of
# HEAD starts the README's demo command right after the setup, in the background, so that its
# installs and builds overlap the checks and the Python tests; it is checked after them, and both
# apps' e2e run against it (it built both apps from the same sources: they are not built here
# again). With uncommitted changes the newcomer check (HEAD only) runs on its own at the end, and
# the e2e run against a demo of this work tree, one for both apps.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

# Stage times, printed at the end (and when a stage fails).
timings=""
run_started=$SECONDS
timed() {
  local name=$1 begin=$SECONDS
  shift
  "$@"
  timings+=$(printf '%-44s %5d s' "$name" $((SECONDS - begin)))$'\n'
}
newcomer_dir=""
e2e_server=""
e2e_dir=""
finish() {
  local status=$?
  if [ -n "$e2e_server" ]; then kill "$e2e_server" 2>/dev/null && wait "$e2e_server" 2>/dev/null || true; fi
  [ -n "$e2e_dir" ] && rm -rf "$e2e_dir"
  [ -n "$newcomer_dir" ] && NEWCOMER_DIR=$newcomer_dir bash scripts/newcomer-check.sh stop
  if [ -n "$timings" ]; then
    printf '\nstages:\n%s%-44s %5d s\n' "$timings" "total" $((SECONDS - run_started))
  fi
  exit "$status"
}
trap finish EXIT

timed "setup (.venv, pip install)" bash scripts/setup.sh
timed "services (PostgreSQL, Redis)" bash scripts/services.sh
export DATABASE_URL=${TEST_DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/saleor_mlm}
export REDIS_URL=${TEST_REDIS_URL:-redis://127.0.0.1:6379/15}
unset CELERY_BROKER_URL

web=1
[ "${SKIP_DASHBOARD_TESTS:-}" = "1" ] && web=0
newcomer=$web
[ "${SKIP_NEWCOMER_CHECK:-}" = "1" ] && newcomer=0
e2e_port=${E2E_PORT:-8765}
# Partners' referral links on the office's Share page (office/e2e/run.mjs): the e2e's demo gets it.
export STOREFRONT_URL=${STOREFRONT_URL:-https://shop.example.com/}
shared=0
if [ "$newcomer" = 1 ] && [ -z "$(git status --porcelain)" ]; then
  shared=1
  newcomer_dir=$(mktemp -d "${TMPDIR:-/tmp}/saleor-mlm-newcomer.XXXXXX")
  NEWCOMER_DIR=$newcomer_dir NEWCOMER_PORT=$e2e_port bash scripts/newcomer-check.sh start
fi

# The layers (docs/architecture.md, "Layers"), the linter and the type checker ([tool.ruff],
# [tool.mypy] in pyproject.toml): seconds each (mypy's first run on a fresh cache takes a
# minute or two), before anything slow.
timed "lint-imports" .venv/bin/lint-imports --no-cache
timed "ruff" .venv/bin/ruff check --quiet .
timed "mypy" .venv/bin/mypy
# The federation tests' node project, from its lockfile (again only when the lockfile
# changed): the composition of the app's subgraph SDL with Saleor's (a few seconds), and
# the gateway that tests/graphql/test_federation_gateway.py starts (docs/storefront.md).
federation() {
  cd tests/federation/js
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
  npm test --silent
  cd "$root"
}
timed "federation (npm ci, composition)" federation
timed "pytest" .venv/bin/python -m pytest -n 2 --dist loadgroup "$@"

if [ "$web" = 1 ]; then
  # Shared: the newcomer's clone builds both apps (demo.sh), and its demo serves those builds.
  timed "dashboard: npm ci, tsc, vite build, vitest" env SKIP_BUILD=$shared bash scripts/test-dashboard.sh checks
  timed "office: npm ci, tsc, vite build, vitest" env SKIP_BUILD=$shared bash scripts/test-office.sh checks
  if [ "$shared" = 1 ]; then
    timed "newcomer check (its demo serves the e2e)" env NEWCOMER_DIR="$newcomer_dir" NEWCOMER_PORT="$e2e_port" \
      bash scripts/newcomer-check.sh check
    export E2E_SERVER_URL="http://127.0.0.1:$e2e_port" E2E_SERVER_DATA_DIR="$newcomer_dir/clone/var"
    export SALEOR_MLM_BIN="$newcomer_dir/clone/.venv/bin/saleor-mlm"
  else
    e2e_dir=$(mktemp -d "${TMPDIR:-/tmp}/saleor-mlm-e2e-server.XXXXXX")
    start_demo() {
      node dashboard-extension/e2e/server.mjs serve --port "$e2e_port" --ready "$e2e_dir/ready" &
      e2e_server=$!
      until [ -s "$e2e_dir/ready" ]; do
        kill -0 "$e2e_server" 2>/dev/null || { echo "test.sh: the e2e's demo did not start" >&2; return 1; }
        sleep 0.5
      done
    }
    timed "demo for the e2e" start_demo
    export E2E_SERVER_URL="http://127.0.0.1:$e2e_port"
    E2E_SERVER_DATA_DIR=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).dataDir)' "$e2e_dir/ready")
    export E2E_SERVER_DATA_DIR
  fi
  # The dashboard's first: the office's scenarios check what its pages show against the API,
  # whatever the dashboard's scenarios changed before.
  timed "dashboard e2e" bash scripts/test-dashboard.sh e2e
  timed "office e2e" bash scripts/test-office.sh e2e
  unset E2E_SERVER_URL E2E_SERVER_DATA_DIR SALEOR_MLM_BIN
  if [ "$newcomer" = 1 ] && [ "$shared" = 0 ]; then
    timed "newcomer check (HEAD: the work tree has changes)" bash scripts/newcomer-check.sh
  fi
fi
