#!/usr/bin/env bash
# One command: install, then run the demo on the embedded default (SQLite, eager tasks,
# demo data) at http://127.0.0.1:8000/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/saleor-mlm demo "$@"
