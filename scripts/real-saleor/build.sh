# Sourced by scripts/check-real-saleor.sh: fetch and build Saleor and its Dashboard from their
# public sources into $CACHE, reusing what an earlier run left there. Nothing here writes into
# the repository.

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

# A shallow checkout of one ref of a git repository (URL or local git dir) in $2.
checkout_source() {
  local url=$1 ref=$2 dir=$3
  if [ -f "$dir/.checkout-complete" ] && [ "$(cat "$dir/.checkout-complete")" = "$ref" ]; then
    return
  fi
  log "cloning $url at $ref"
  rm -rf "$dir"
  mkdir -p "$dir"
  git -C "$dir" init -q
  git -C "$dir" fetch -q --depth 1 "$url" "$ref" || die "git fetch $url $ref"
  git -C "$dir" -c advice.detachedHead=false checkout -q FETCH_HEAD
  echo "$ref" >"$dir/.checkout-complete"
}

# The Python that Saleor's pyproject asks for (requires-python ">=3.12,<3.13" -> 3.12):
# $SALEOR_PYTHON, or pythonX.Y on PATH, pyenv's, Debian's /usr/bin.
find_saleor_python() {
  local src=$1 want
  want=$(sed -n 's/^requires-python *= *"[>=~]*\([0-9]*\.[0-9]*\).*/\1/p' "$src/pyproject.toml" | head -n 1)
  [ -n "$want" ] || die "no requires-python in $src/pyproject.toml (Saleor before 3.22 uses poetry; this script supports uv-locked Saleor, 3.22 and newer)"
  if [ -n "${SALEOR_PYTHON:-}" ]; then echo "$SALEOR_PYTHON"; return; fi
  local candidate
  for candidate in "$(command -v "python$want" 2>/dev/null)" \
      "$(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$want".*/bin/python"$want" 2>/dev/null | sort -V | tail -n 1)" \
      "/usr/bin/python$want" "/usr/local/bin/python$want"; do
    # (a pyenv shim exists for every version pyenv knows, but runs only the selected ones)
    if [ -n "$candidate" ] && "$candidate" -c 'import sys' >/dev/null 2>&1; then echo "$candidate"; return; fi
  done
  die "Saleor at $SALEOR_REF needs Python $want, none found (set SALEOR_PYTHON, or SALEOR_REF to a release this machine's Python meets)"
}

# uv (from PyPI) in a small tools venv: Saleor pins its dependencies in uv.lock.
ensure_uv() {
  UV=$CACHE/tools/bin/uv
  if [ ! -x "$UV" ]; then
    log "installing uv from PyPI"
    python3 -m venv "$CACHE/tools"
    "$CACHE/tools/bin/pip" install -q uv || die "pip install uv"
  fi
}

build_saleor() {
  SALEOR_SRC=$CACHE/src/saleor-$SALEOR_KEY
  SALEOR_VENV=$CACHE/venv/saleor-$SALEOR_KEY
  checkout_source "$SALEOR_GIT" "$SALEOR_REF" "$SALEOR_SRC"
  [ -f "$SALEOR_SRC/uv.lock" ] || die "Saleor at $SALEOR_REF has no uv.lock (before 3.22: poetry); pick a newer SALEOR_REF"
  if [ ! -f "$SALEOR_VENV/.complete" ]; then
    local python
    python=$(find_saleor_python "$SALEOR_SRC") || exit 1
    ensure_uv
    log "installing Saleor's Python dependencies from PyPI (uv sync --frozen, $("$python" --version))"
    # Dev dependencies too: Saleor main imports pytest fixtures at runtime (random_data).
    (cd "$SALEOR_SRC" && UV_PROJECT_ENVIRONMENT=$SALEOR_VENV UV_PYTHON_DOWNLOADS=never UV_CACHE_DIR=$CACHE/uv-cache \
      nice "$UV" sync --frozen --no-install-project --python "$python" -q) || die "uv sync for Saleor"
    touch "$SALEOR_VENV/.complete"
  fi
  SALEOR_VERSION=$("$SALEOR_VENV/bin/python" -c "import sys; sys.path.insert(0, '$SALEOR_SRC'); import saleor; print(saleor.__version__)")
  SALEOR_COMMIT=$(git -C "$SALEOR_SRC" rev-parse HEAD)
}

# Node.js of the version the Dashboard's engines ask for, from the npm registry's
# node-linux-<arch> package (the official binary as a registry package), unless the machine's
# node already fits.
ensure_node() {
  local want=$1 arch
  if [ "$(node --version 2>/dev/null | sed 's/^v\([0-9]*\).*/\1/')" = "$want" ]; then NODE_BIN=$(dirname "$(command -v node)"); return; fi
  case "$(uname -m)" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) die "no Node.js $want package for $(uname -m)" ;; esac
  local dir=$CACHE/node-$want
  if [ ! -x "$dir/node_modules/node-linux-$arch/bin/node" ]; then
    log "installing Node.js $want from the npm registry (node-linux-$arch@$want)"
    mkdir -p "$dir"
    (cd "$dir" && npm install --no-save --no-audit --no-fund --loglevel=error "node-linux-$arch@$want") || die "npm install node-linux-$arch@$want"
  fi
  NODE_BIN=$dir/node_modules/node-linux-$arch/bin
}

build_dashboard() {
  DASHBOARD_SRC=$CACHE/src/dashboard-$DASHBOARD_KEY
  checkout_source "$DASHBOARD_GIT" "$DASHBOARD_REF" "$DASHBOARD_SRC"
  DASHBOARD_VERSION=$(sed -n 's/^ *"version": *"\(.*\)".*/\1/p' "$DASHBOARD_SRC/package.json" | head -n 1)
  DASHBOARD_COMMIT=$(git -C "$DASHBOARD_SRC" rev-parse HEAD)
  # The build bakes the API URL in; one build per (ref, API URL).
  local key
  key=$(printf '%s %s' "$SALEOR_API_URL" "$DASHBOARD_MOUNT" | sha1sum | cut -c1-10)
  DASHBOARD_BUILD=$CACHE/dashboard-build/$DASHBOARD_KEY-$key
  [ -f "$DASHBOARD_BUILD/.complete" ] && return
  local node_major pnpm_version
  node_major=$(sed -n 's/.*"node": *">=\([0-9]*\).*/\1/p' "$DASHBOARD_SRC/package.json" | head -n 1)
  ensure_node "${node_major:-24}"
  pnpm_version=$(sed -n 's/.*"packageManager": *"pnpm@\([0-9.]*\).*/\1/p' "$DASHBOARD_SRC/package.json")
  local pnpm_dir=$CACHE/pnpm-${pnpm_version:-latest}
  if [ ! -x "$pnpm_dir/node_modules/.bin/pnpm" ]; then
    log "installing pnpm ${pnpm_version:-latest} from the npm registry"
    mkdir -p "$pnpm_dir"
    (cd "$pnpm_dir" && PATH=$NODE_BIN:$PATH npm install --no-save --no-audit --no-fund --loglevel=error "pnpm@${pnpm_version:-latest}") || die "npm install pnpm"
  fi
  local pnpm="$pnpm_dir/node_modules/.bin/pnpm"
  # The Dashboard's scripts call pnpm themselves (prebuild: pnpm run generate).
  local PATH=$NODE_BIN:$pnpm_dir/node_modules/.bin:$PATH
  if [ ! -f "$DASHBOARD_SRC/node_modules/.install-complete" ]; then
    log "installing the Dashboard's packages from the npm registry (pnpm install --frozen-lockfile)"
    (cd "$DASHBOARD_SRC" && CI=true nice "$pnpm" install --frozen-lockfile --reporter=append-only) >"$CACHE/dashboard-install.log" 2>&1 \
      || { tail -n 40 "$CACHE/dashboard-install.log" >&2; die "pnpm install for the Dashboard (log: $CACHE/dashboard-install.log)"; }
    touch "$DASHBOARD_SRC/node_modules/.install-complete"
  fi
  log "building the Dashboard (API_URL=$SALEOR_API_URL; several minutes; log: $CACHE/dashboard-build.log)"
  (cd "$DASHBOARD_SRC" && API_URL=$SALEOR_API_URL APP_MOUNT_URI=$DASHBOARD_MOUNT STATIC_URL=$DASHBOARD_MOUNT \
    SKIP_SOURCEMAPS=true CI=true nice "$pnpm" run build) >"$CACHE/dashboard-build.log" 2>&1 \
    || { tail -n 40 "$CACHE/dashboard-build.log" >&2; die "Dashboard build (log: $CACHE/dashboard-build.log)"; }
  rm -rf "$DASHBOARD_BUILD"
  mkdir -p "$(dirname "$DASHBOARD_BUILD")"
  cp -r "$DASHBOARD_SRC/build/dashboard" "$DASHBOARD_BUILD"
  touch "$DASHBOARD_BUILD/.complete"
}
