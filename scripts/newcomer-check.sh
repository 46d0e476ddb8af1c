#!/usr/bin/env bash
# The newcomer check: a clean clone of this repository's HEAD runs the README's demo command
# (scripts/demo.sh) on a fresh port and must serve `/`, `/dashboard/` and `/office/`. It clones HEAD, so
# uncommitted changes are not part of it; CI runs on a clean clone anyway.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${NEWCOMER_PORT:-8765}
workdir=$(mktemp -d "${TMPDIR:-/tmp}/saleor-mlm-newcomer.XXXXXX")
server=""
cleanup() {
  if [ -n "$server" ]; then kill -- "-$server" 2>/dev/null || kill "$server" 2>/dev/null || true; fi
  rm -rf "$workdir"
}
trap cleanup EXIT
started=$SECONDS
git clone -q --no-hardlinks . "$workdir/clone"
cd "$workdir/clone"
# The README's command, as a newcomer types it (the environment of the test run is not theirs).
env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL -u DJANGO_SETTINGS_MODULE -u SECRET_KEY \
  setsid bash scripts/demo.sh --port "$port" >"$workdir/demo.log" 2>&1 &
server=$!
deadline=$((SECONDS + ${NEWCOMER_TIMEOUT:-900}))
fetch() { curl -fsSL -o "$workdir/page" -w '%{http_code}' "http://127.0.0.1:$port$1" 2>/dev/null || true; }
until [ "$(fetch /)" = "200" ]; do
  if ! kill -0 "$server" 2>/dev/null || [ $SECONDS -gt $deadline ]; then
    echo "newcomer check: the demo did not serve / (log below)" >&2
    tail -40 "$workdir/demo.log" >&2
    exit 1
  fi
  sleep 2
done
for path in / /dashboard/ /office/; do
  code=$(fetch "$path")
  if [ "$code" != "200" ] || ! grep -qi "<html" "$workdir/page"; then
    echo "newcomer check: $path answered $code, not a page (log below)" >&2
    tail -40 "$workdir/demo.log" >&2
    exit 1
  fi
done
echo "newcomer check: a clean clone's demo command serves /, /dashboard/ and /office/ ($((SECONDS - started)) s)"
