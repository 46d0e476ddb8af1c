#!/usr/bin/env bash
# Creates .venv (Python 3.11+) and installs saleor-mlm into it with its test extras.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]" 2>&1 | grep -v "^WARNING: Location" || true
.venv/bin/python -c "import saleor_mlm" || { echo "setup: installing saleor-mlm failed" >&2; exit 1; }
