#!/usr/bin/env bash
# The partner office (office/): install (npm ci), type-check, build, component tests (Vitest),
# and end-to-end checks in headless Chromium against the demo server at a phone and a desktop
# viewport (see docs/office.md). Screenshots go to var/screenshots/office/.
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

cd office
started=$SECONDS
npm ci --no-audit --no-fund --loglevel=error
npx tsc --noEmit -p .
npx vite build --logLevel warn
npx vitest run
SCREENSHOT_DIR="${SCREENSHOT_DIR:-$root/var/screenshots/office}" node e2e/run.mjs
echo "office tests: $((SECONDS - started)) s"
