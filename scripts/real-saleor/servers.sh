# Sourced by scripts/check-real-saleor.sh: Saleor's database, and the three servers (Saleor,
# the Dashboard's build, the app from a clean clone). Every process started here is recorded
# in $RUN_DIR/pids and stopped by stop_servers.

started_pids=()
remember_pid() { started_pids+=("$1"); echo "$1" >>"$RUN_DIR/pids"; }

stop_servers() {
  local pid
  for pid in "${started_pids[@]}"; do
    # Each server runs in a process group of its own (setsid): stop the group, workers too.
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${started_pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  started_pids=()
}

port_free() { ! (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

wait_http() {
  local url=$1 name=$2 pid=$3 seconds=${4:-180} log=$5
  for _ in $(seq 1 $((seconds * 2))); do
    if curl -fs -o /dev/null --max-time 5 "$url"; then return 0; fi
    kill -0 "$pid" 2>/dev/null || { tail -n 40 "$log" >&2; die "$name stopped (log: $log)"; }
    sleep 0.5
  done
  tail -n 40 "$log" >&2
  die "$name did not answer $url within ${seconds}s (log: $log)"
}

# The environment Saleor runs with (as in the manual check): no broker, so it sends webhooks
# and installs apps inside the request; one fixed RSA key for every worker; loopback URLs allowed.
saleor_env() {
  local key=$CACHE/saleor-rsa-private-key.pem
  [ -f "$key" ] || openssl genrsa -out "$key" 2048 2>/dev/null
  export DATABASE_URL=$SALEOR_DATABASE_URL
  export SECRET_KEY=saleor-mlm-real-saleor-check
  RSA_PRIVATE_KEY=$(cat "$key")
  export RSA_PRIVATE_KEY
  export PUBLIC_URL=http://$HOST:$SALEOR_PORT/
  export ALLOWED_HOSTS=$HOST,localhost
  export ALLOWED_CLIENT_HOSTS=$HOST,localhost
  export DEBUG=False
  export HTTP_IP_FILTER_ALLOW_LOOPBACK_IPS=True
  export SEND_USAGE_TELEMETRY=False
  export JWT_TTL_ACCESS="1 hour"
  export JWT_TTL_APP_ACCESS="1 hour"
  unset CELERY_BROKER_URL CLOUDAMQP_URL REDIS_URL CACHE_URL
}

saleor_manage() { (cd "$SALEOR_SRC" && saleor_env && nice "$SALEOR_VENV/bin/python" manage.py "$@"); }

# A fresh database for every run, restored from a dump made once per Saleor ref after the
# migrations and the staff superuser (Saleor takes minutes to migrate, and a while to start).
prepare_saleor_db() {
  local admin=${SALEOR_DATABASE_URL%/*}/postgres name=${SALEOR_DATABASE_URL##*/}
  local dump=$CACHE/saleor-db-$SALEOR_KEY.dump password=$CACHE/saleor-staff-password
  # The staff password lives beside the dumps that hold its hash: without it they are useless.
  [ -f "$password" ] || { rm -f "$CACHE"/saleor-db-*.dump; head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$password"; }
  STAFF_PASSWORD=$(cat "$password")
  PGOPTIONS="-c client_min_messages=warning" psql -q "$admin" -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" -c "CREATE DATABASE \"$name\"" || die "creating Saleor's database $name"
  if [ -f "$dump" ]; then
    log "restoring Saleor's migrated database from $dump"
    pg_restore --no-owner -d "$SALEOR_DATABASE_URL" "$dump" || die "pg_restore $dump"
    return
  fi
  log "migrating Saleor's database (first run of this Saleor; 5-15 minutes)"
  saleor_manage migrate --no-input -v 0 >"$RUN_DIR/saleor-migrate.log" 2>&1 \
    || { tail -n 40 "$RUN_DIR/saleor-migrate.log" >&2; die "Saleor migrate (log: $RUN_DIR/saleor-migrate.log)"; }
  log "creating the staff superuser $STAFF_EMAIL"
  DJANGO_SUPERUSER_PASSWORD=$STAFF_PASSWORD saleor_manage createsuperuser --no-input --email "$STAFF_EMAIL" >"$RUN_DIR/saleor-superuser.log" 2>&1 \
    || { cat "$RUN_DIR/saleor-superuser.log" >&2; die "createsuperuser"; }
  pg_dump -Fc -f "$dump.tmp" "$SALEOR_DATABASE_URL" && mv "$dump.tmp" "$dump"
}

start_saleor() {
  port_free "$SALEOR_PORT" || die "port $SALEOR_PORT is taken (SALEOR_PORT)"
  log "starting Saleor $SALEOR_VERSION on $HOST:$SALEOR_PORT (uvicorn, $SALEOR_WORKERS workers)"
  (cd "$SALEOR_SRC" && saleor_env && exec setsid nice "$SALEOR_VENV/bin/uvicorn" saleor.asgi:application \
    --host "$HOST" --port "$SALEOR_PORT" --workers "$SALEOR_WORKERS" --lifespan off) >"$RUN_DIR/saleor.log" 2>&1 &
  remember_pid $!
  SALEOR_PID=$!
}

wait_saleor() {
  wait_http "http://$HOST:$SALEOR_PORT/graphql/?query=%7Bshop%7Bname%7D%7D" Saleor "$SALEOR_PID" 600 "$RUN_DIR/saleor.log"
}

start_dashboard() {
  port_free "$DASHBOARD_PORT" || die "port $DASHBOARD_PORT is taken (DASHBOARD_PORT)"
  log "serving the Dashboard $DASHBOARD_VERSION at http://$HOST:$DASHBOARD_PORT$DASHBOARD_MOUNT"
  setsid node "$HERE/serve-dashboard.mjs" "$DASHBOARD_BUILD" "$HOST" "$DASHBOARD_PORT" "$DASHBOARD_MOUNT" >"$RUN_DIR/dashboard.log" 2>&1 &
  remember_pid $!
  wait_http "http://$HOST:$DASHBOARD_PORT$DASHBOARD_MOUNT" Dashboard $! 30 "$RUN_DIR/dashboard.log"
}

# The app from a clean clone of $APP_REF of this repository: its own venv (scripts/setup.sh),
# its own database, the extension built with npm, production-like settings, no demo.
prepare_app() {
  APP_DIR=$RUN_DIR/app
  log "cloning the app at $APP_REF into $APP_DIR"
  git clone -q --no-hardlinks "$REPO" "$APP_DIR" || die "git clone $REPO"
  git -C "$APP_DIR" -c advice.detachedHead=false checkout -q "$APP_REF" || die "git checkout $APP_REF"
  APP_COMMIT=$(git -C "$APP_DIR" rev-parse HEAD)
  APP_SUBJECT=$(git -C "$APP_DIR" log -1 --format=%s)
  log "installing the app (scripts/setup.sh) and building its dashboard extension (npm ci, vite build)"
  (cd "$APP_DIR" && bash scripts/setup.sh) >"$RUN_DIR/app-setup.log" 2>&1 || { tail -n 30 "$RUN_DIR/app-setup.log" >&2; die "app setup"; }
  (cd "$APP_DIR/dashboard-extension" && npm ci --no-audit --no-fund --loglevel=error && nice npx vite build --logLevel warn) >>"$RUN_DIR/app-setup.log" 2>&1 \
    || { tail -n 30 "$RUN_DIR/app-setup.log" >&2; die "building the app's dashboard extension"; }
  # The federation gateway of the storefront scenario (Hive Gateway, tests/federation/js).
  (cd "$APP_DIR/tests/federation/js" && npm ci --no-audit --no-fund --loglevel=error) >>"$RUN_DIR/app-setup.log" 2>&1 \
    || { tail -n 30 "$RUN_DIR/app-setup.log" >&2; die "npm ci in tests/federation/js"; }
}

# As docs/installing.md's production environment, but on loopback over plain HTTP, without a
# broker, and with the Dashboard on an origin apart from Saleor's API (SALEOR_DASHBOARD_ORIGINS).
app_env() {
  [ -f "$RUN_DIR/app-keys" ] || {
    echo "SECRET_KEY=$(head -c 48 /dev/urandom | base64 | tr -d '\n=' | tr '+/' '-_')"
    echo "FIELD_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64 | tr -d '\n' | tr '+/' '-_')"
  } >"$RUN_DIR/app-keys"
  set -a
  . "$RUN_DIR/app-keys"
  set +a
  export SALEOR_DASHBOARD_ORIGINS=http://$HOST:$DASHBOARD_PORT
  export ALLOWED_HOSTS=$HOST,localhost
  export APP_URL=http://$HOST:$APP_PORT
  export SALEOR_ALLOWED_API_URLS=$SALEOR_API_URL
  export LOG_FORMAT=text LOG_LEVEL=INFO
  export SALEOR_MLM_DATA_DIR=$APP_DIR/var
  unset CELERY_BROKER_URL CACHE_URL
  if [ -n "$APP_DATABASE_URL" ]; then export DATABASE_URL=$APP_DATABASE_URL; else unset DATABASE_URL; fi
}

start_app() {
  port_free "$APP_PORT" || die "port $APP_PORT is taken (APP_PORT)"
  if [ -n "$APP_DATABASE_URL" ]; then
    local admin=${APP_DATABASE_URL%/*}/postgres name=${APP_DATABASE_URL##*/}
    PGOPTIONS="-c client_min_messages=warning" psql -q "$admin" -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" -c "CREATE DATABASE \"$name\"" || die "creating the app's database $name"
  fi
  mkdir -p "$APP_DIR/var"
  (cd "$APP_DIR" && app_env && .venv/bin/saleor-mlm migrate --no-input -v 0) >"$RUN_DIR/app-migrate.log" 2>&1 \
    || { tail -n 30 "$RUN_DIR/app-migrate.log" >&2; die "app migrate"; }
  log "starting the app on $HOST:$APP_PORT (gunicorn, ${APP_DATABASE_URL:-SQLite}, tasks in-process)"
  (cd "$APP_DIR" && app_env && exec setsid .venv/bin/gunicorn saleor_mlm.wsgi --bind "$HOST:$APP_PORT" \
    --workers 2 --threads 4 --access-logfile - ) >"$RUN_DIR/app.log" 2>&1 &
  remember_pid $!
  wait_http "http://$HOST:$APP_PORT/healthz" app $! 120 "$RUN_DIR/app.log"
}
