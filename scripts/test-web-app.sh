#!/usr/bin/env bash
# The tests of one of the React apps, `dashboard-extension` or `office` (scripts/test-dashboard.sh
# and scripts/test-office.sh call it): install (`npm ci`, only when the lockfile changed since the
# last install), type-check, build, component tests (Vitest), and the end-to-end checks in
# headless Chromium against the demo server (the app's e2e/run.mjs).
#
#   bash scripts/test-web-app.sh <app folder> [checks|e2e|all]
#
# `checks` is everything before the e2e, `e2e` the e2e alone (after `checks`), `all` (the
# default) both. Env: E2E_PORT, E2E_ONLY, CHROMIUM, SALEOR_MLM_BIN (see the app's e2e/run.mjs);
# E2E_SERVER_URL and E2E_SERVER_DATA_DIR, a demo already serving for the e2e (see
# dashboard-extension/e2e/server.mjs; without them the e2e starts its own); SKIP_BUILD=1 leaves
# out `vite build` (scripts/test.sh, when the e2e's demo serves the newcomer check's clone, which
# built the same sources); SCREENSHOT_DIR (default var/screenshots/<app>).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
app=${1:?usage: test-web-app.sh <app folder> [checks|e2e|all]}
step=${2:-all}
name=$(basename "$app")
shots="$root/var/screenshots/${name%-extension}"

if [ ! -x .venv/bin/saleor-mlm ]; then
  bash scripts/setup.sh
fi
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  # Debian's chromium: the e2e drives it with playwright-core (no browser download).
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

cd "$app"
started=$SECONDS
if [ "$step" != "e2e" ]; then
  # npm ci starts from an empty node_modules: only when the lockfile changed since the last one.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
  npx tsc --noEmit -p .
  if [ "${SKIP_BUILD:-}" != "1" ]; then
    npx vite build --logLevel warn
  fi
  npx vitest run
fi
if [ "$step" != "checks" ]; then
  SCREENSHOT_DIR="${SCREENSHOT_DIR:-$shots}" node e2e/run.mjs
fi
echo "$name tests ($step): $((SECONDS - started)) s"
