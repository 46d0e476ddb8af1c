#!/usr/bin/env bash
# The newcomer check: a clean clone of this repository's HEAD runs the README's demo command
# (scripts/demo.sh) on a fresh port and must serve `/`, `/dashboard/` and `/office/`. It clones HEAD, so
# uncommitted changes are not part of it; CI runs on a clean clone anyway.
#
#   bash scripts/newcomer-check.sh          clone, start, check, stop (on its own)
#   bash scripts/newcomer-check.sh start    clone and start the demo command in the background
#   bash scripts/newcomer-check.sh check    wait until it serves, check the three pages; it goes on serving
#   bash scripts/newcomer-check.sh stop     stop it, remove the clone
#
# The three steps are scripts/test.sh's: it starts the clone's demo early (its installs and builds
# overlap the Python tests), checks it before the e2e, and then runs both apps' e2e against it, so
# that CI starts the demo once (the clone is HEAD: on a clean work tree, the same code).
#
# Env: NEWCOMER_PORT (8765), the port; NEWCOMER_TIMEOUT (900 s), how long `check` waits for the
# demo from `start`; NEWCOMER_DIR, the folder of the clone and the demo's log (a new temporary one
# when the three run at once; the three steps apart need the same one). The demo runs with the
# environment of the test run less its DATABASE_URL, REDIS_URL, CELERY_BROKER_URL,
# DJANGO_SETTINGS_MODULE and SECRET_KEY (a newcomer has none of them).
set -euo pipefail
cd "$(dirname "$0")/.."
port=${NEWCOMER_PORT:-8765}
step=${1:-all}

start() {
  git clone -q --no-hardlinks . "$workdir/clone"
  cd "$workdir/clone"
  # The README's command, as a newcomer types it (the environment of the test run is not theirs);
  # 8 threads, as for the e2e's demo: the stand-in Dashboard opens its frames at once.
  env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL -u DJANGO_SETTINGS_MODULE -u SECRET_KEY \
    setsid bash scripts/demo.sh --port "$port" --threads 8 >"$workdir/demo.log" 2>&1 &
  echo $! >"$workdir/demo.pid"
  date +%s >"$workdir/started"
  cd - >/dev/null
}

check() {
  local server started
  server=$(cat "$workdir/demo.pid")
  started=$(cat "$workdir/started")
  local deadline=$((started + ${NEWCOMER_TIMEOUT:-900}))
  fetch() { curl -fsSL -o "$workdir/page" -w '%{http_code}' "http://127.0.0.1:$port$1" 2>/dev/null || true; }
  until [ "$(fetch /)" = "200" ]; do
    if ! kill -0 "$server" 2>/dev/null || [ "$(date +%s)" -gt $deadline ]; then
      echo "newcomer check: the demo did not serve / (log below)" >&2
      tail -40 "$workdir/demo.log" >&2
      return 1
    fi
    sleep 1
  done
  for path in / /dashboard/ /office/; do
    code=$(fetch "$path")
    if [ "$code" != "200" ] || ! grep -qi "<html" "$workdir/page"; then
      echo "newcomer check: $path answered $code, not a page (log below)" >&2
      tail -40 "$workdir/demo.log" >&2
      return 1
    fi
  done
  echo "newcomer check: a clean clone's demo command serves /, /dashboard/ and /office/ ($(($(date +%s) - started)) s after it started)"
}

stop() {
  if [ -f "$workdir/demo.pid" ]; then
    server=$(cat "$workdir/demo.pid")
    kill -- "-$server" 2>/dev/null || kill "$server" 2>/dev/null || true
    # Its workers may take a moment; the clone goes after them.
    for _ in $(seq 1 20); do kill -0 "$server" 2>/dev/null || break; sleep 0.5; done
  fi
  rm -rf "$workdir"
}

case "$step" in
  all)
    workdir=$(mktemp -d "${TMPDIR:-/tmp}/saleor-mlm-newcomer.XXXXXX")
    trap stop EXIT
    start
    check
    ;;
  start)
    workdir=${NEWCOMER_DIR:?NEWCOMER_DIR: the folder for the clone}
    mkdir -p "$workdir"
    start
    ;;
  check | stop)
    workdir=${NEWCOMER_DIR:?NEWCOMER_DIR: the folder of the clone}
    "$step"
    ;;
  *)
    echo "usage: newcomer-check.sh [start|check|stop]" >&2
    exit 2
    ;;
esac
