#!/usr/bin/env bash
# One command: install, build the dashboard extension and the partner office, then run the demo on the embedded
# default (SQLite, eager tasks, demo data) at http://127.0.0.1:8000/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ ! -f dashboard-extension/dist/index.html ] || [ -n "$(find dashboard-extension/src dashboard-extension/package-lock.json -newer dashboard-extension/dist/index.html -print -quit 2>/dev/null)" ]; then
  if command -v npm >/dev/null 2>&1; then
    echo "demo: building the dashboard extension (npm ci, vite build)" >&2
    (cd dashboard-extension && npm ci --no-audit --no-fund --loglevel=error && npx vite build --logLevel warn)
  else
    echo "demo: npm not found, the dashboard pages (/dashboard/) need Node.js 20+ to build" >&2
  fi
fi
if [ ! -f office/dist/index.html ] || [ -n "$(find office/src office/package-lock.json -newer office/dist/index.html -print -quit 2>/dev/null)" ]; then
  if command -v npm >/dev/null 2>&1; then
    echo "demo: building the partner office (npm ci, vite build)" >&2
    (cd office && npm ci --no-audit --no-fund --loglevel=error && npx vite build --logLevel warn)
  else
    echo "demo: npm not found, the partner office (/office/) needs Node.js 20+ to build" >&2
  fi
fi
exec .venv/bin/saleor-mlm demo "$@"
