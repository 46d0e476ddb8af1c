#!/usr/bin/env bash
# Checks the app inside a real Saleor and a real Saleor Dashboard, both built from their public
# sources. Takes minutes and downloads a lot the first time; NOT part of scripts/test.sh or CI.
# See docs/real-saleor-check.md.
#
#   bash scripts/check-real-saleor.sh            build or reuse, then run the scenarios
#   bash scripts/check-real-saleor.sh --build    only build (or check the cache)
#
# Environment (defaults in brackets):
#   REAL_SALEOR_CACHE   builds, databases' dump, logs of every run [~/.cache/saleor-mlm-real-saleor]
#   SALEOR_GIT, SALEOR_REF         Saleor's repository (URL or local git dir) and ref [github, pinned commit]
#   DASHBOARD_GIT, DASHBOARD_REF   the Dashboard's [github, pinned commit]
#   SALEOR_PYTHON       the Python Saleor's pyproject asks for [found on PATH or in pyenv]
#   SALEOR_PORT, DASHBOARD_PORT, APP_PORT    [8100, 9000, 8200] on 127.0.0.1
#   SALEOR_DATABASE_URL  dropped and created for every run [postgres://postgres:postgres@127.0.0.1:5432/saleor_real_check]
#   APP_DATABASE_URL    the app's PostgreSQL, dropped and created [unset: SQLite, the embedded default]
#   APP_REF             the commit of this repository the app is cloned at [HEAD]
#   CHROMIUM            [/usr/bin/chromium]
#   KEEP_RUNNING=1      leave the servers running after the scenarios
#   NO_DASHBOARD=1      neither build nor serve the Dashboard: the scenarios through the APIs only
set -euo pipefail
case "${1:-}" in -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;; esac

REPO=$(cd "$(dirname "$0")/.." && pwd)
HERE=$REPO/scripts/real-saleor
CACHE=${REAL_SALEOR_CACHE:-$HOME/.cache/saleor-mlm-real-saleor}
SALEOR_GIT=${SALEOR_GIT:-https://github.com/saleor/saleor.git}
SALEOR_REF=${SALEOR_REF:-723cd4eba87dfc72822ade45dc08a3caa548428d}
DASHBOARD_GIT=${DASHBOARD_GIT:-https://github.com/saleor/saleor-dashboard.git}
DASHBOARD_REF=${DASHBOARD_REF:-f5a84f3afb4f9b25cd0ff75434dfb5b70ea3c282}
HOST=127.0.0.1
SALEOR_PORT=${SALEOR_PORT:-8100}
DASHBOARD_PORT=${DASHBOARD_PORT:-9000}
APP_PORT=${APP_PORT:-8200}
SALEOR_API_URL=http://$HOST:$SALEOR_PORT/graphql/
DASHBOARD_MOUNT=/dashboard/
SALEOR_KEY=$(printf '%s' "$SALEOR_REF" | cut -c1-12)
DASHBOARD_KEY=$(printf '%s' "$DASHBOARD_REF" | cut -c1-12)
mkdir -p "$CACHE"

# shellcheck source=real-saleor/build.sh
. "$HERE/build.sh"

NO_DASHBOARD=${NO_DASHBOARD:-0}
build_saleor &
saleor_build=$!
if [ "$NO_DASHBOARD" != 1 ]; then
  build_dashboard &
  dashboard_build=$!
fi
wait "$saleor_build" || die "building Saleor"
[ "$NO_DASHBOARD" = 1 ] || wait "$dashboard_build" || die "building the Dashboard"
build_saleor
if [ "$NO_DASHBOARD" = 1 ]; then
  log "Saleor $SALEOR_VERSION ($SALEOR_COMMIT) ready in $CACHE (the Dashboard is not built: NO_DASHBOARD=1)"
else
  build_dashboard
  log "Saleor $SALEOR_VERSION ($SALEOR_COMMIT), Dashboard $DASHBOARD_VERSION ($DASHBOARD_COMMIT) ready in $CACHE"
fi
if [ "${1:-}" = "--build" ]; then exit 0; fi

# --- one run: fresh databases, the three servers, the scenarios -------------------------------
APP_REF=${APP_REF:-$(git -C "$REPO" rev-parse HEAD)}
APP_DATABASE_URL=${APP_DATABASE_URL:-}
SALEOR_DATABASE_URL=${SALEOR_DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/saleor_real_check}
SALEOR_WORKERS=${SALEOR_WORKERS:-3}
STAFF_EMAIL=admin@example.com
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ "$NO_DASHBOARD" = 1 ] || [ -x "$CHROMIUM" ] || die "no Chromium at $CHROMIUM (apt-get install chromium, or set CHROMIUM)"
RUN_ID=$(date -u +%Y%m%dT%H%M%SZ)
RUN_DIR=$CACHE/runs/$RUN_ID
mkdir -p "$RUN_DIR"
ln -sfn "$RUN_ID" "$CACHE/runs/latest"

# shellcheck source=real-saleor/servers.sh
. "$HERE/servers.sh"
finish() {
  local status=$?
  if [ "${KEEP_RUNNING:-0}" = 1 ] && [ "${#started_pids[@]}" -gt 0 ]; then
    log "KEEP_RUNNING=1: Saleor http://$HOST:$SALEOR_PORT/graphql/, Dashboard http://$HOST:$DASHBOARD_PORT$DASHBOARD_MOUNT ($STAFF_EMAIL / $STAFF_PASSWORD), app http://$HOST:$APP_PORT; stop them with: kill -- -PID for each PID in $RUN_DIR/pids"
  else
    stop_servers
  fi
  exit "$status"
}
trap finish EXIT
trap 'exit 130' INT TERM

# The app's clone and build go on while Saleor restores its database and starts (minutes).
prepare_app >"$RUN_DIR/prepare-app.out" 2>&1 &
app_prepared=$!
prepare_saleor_db
start_saleor
[ "$NO_DASHBOARD" = 1 ] || start_dashboard
wait "$app_prepared" || { cat "$RUN_DIR/prepare-app.out" >&2; die "preparing the app"; }
APP_DIR=$RUN_DIR/app
APP_COMMIT=$(git -C "$APP_DIR" rev-parse HEAD)
APP_SUBJECT=$(git -C "$APP_DIR" log -1 --format=%s)
start_app
wait_saleor

if [ "$NO_DASHBOARD" = 1 ]; then log "running the scenarios through the APIs (NO_DASHBOARD=1)"; else log "running the scenarios (headless Chromium; screenshots in $RUN_DIR/screenshots)"; fi
status=0
DASHBOARD_URL=http://$HOST:$DASHBOARD_PORT${DASHBOARD_MOUNT%/}
[ "$NO_DASHBOARD" != 1 ] || DASHBOARD_URL=
SALEOR_API_URL=$SALEOR_API_URL DASHBOARD_URL=$DASHBOARD_URL APP_URL=http://$HOST:$APP_PORT APP_DIR=$APP_DIR \
  STAFF_EMAIL=$STAFF_EMAIL STAFF_PASSWORD=$STAFF_PASSWORD RUN_DIR=$RUN_DIR CHROMIUM=$CHROMIUM \
  PLAYWRIGHT_FROM=$APP_DIR/dashboard-extension/package.json \
  node "$HERE/scenarios.mjs" >"$RUN_DIR/scenarios.out" 2>&1 || status=$?

# The refunds scenario's deliveries as the app stored them, Saleor's JWKS and the sync's pages:
# test vectors (scripts/real-saleor/export_captures.py, docs/real-saleor-check.md).
if [ -f "$RUN_DIR/refunds.json" ]; then
  (cd "$APP_DIR" && app_env && .venv/bin/python "$HERE/export_captures.py" "$RUN_DIR") >"$RUN_DIR/export-captures.out" 2>&1 \
    || { tail -n 30 "$RUN_DIR/export-captures.out" >&2; status=1; }
fi

{
  echo "saleor-mlm against a real Saleor and Dashboard, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "  Saleor     $SALEOR_VERSION, commit $SALEOR_COMMIT ($SALEOR_GIT)"
  if [ "$NO_DASHBOARD" = 1 ]; then echo "  Dashboard  not built (NO_DASHBOARD=1)"; else echo "  Dashboard  $DASHBOARD_VERSION, commit $DASHBOARD_COMMIT ($DASHBOARD_GIT)"; fi
  echo "  app        commit $APP_COMMIT \"$APP_SUBJECT\", database ${APP_DATABASE_URL:-SQLite (the embedded default)}"
  echo
  cat "$RUN_DIR/scenarios.out"
  echo
  echo "logs and screenshots: $RUN_DIR"
} | tee "$RUN_DIR/summary.txt"
if [ "$status" != 0 ]; then log "the check FAILED"; exit 1; fi
log "the check passed"
