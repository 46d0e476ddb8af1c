#!/usr/bin/env bash
# The dashboard extension: install (npm ci), type-check, build, component tests (Vitest),
# and end-to-end checks in headless Chromium against the demo server (see docs/dashboard.md).
# Screenshots of every page go to var/screenshots/dashboard/ (kept by CI with ./var).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

if [ ! -x .venv/bin/saleor-mlm ]; then
  bash scripts/setup.sh
fi
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  # Debian's chromium: the e2e drives it with playwright-core (no browser download).
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

cd dashboard-extension
started=$SECONDS
npm ci --no-audit --no-fund --loglevel=error
npx tsc --noEmit -p .
npx vite build --logLevel warn
npx vitest run
SCREENSHOT_DIR="${SCREENSHOT_DIR:-$root/var/screenshots/dashboard}" node e2e/run.mjs
echo "dashboard tests: $((SECONDS - started)) s"
