#!/usr/bin/env bash
# `npm test`: set up everything on a fresh Debian machine, then run every suite —
# static checks, unit, relay integration, real Docker sandbox, real PostgreSQL, and the
# browser e2e against the built extension. Stops exactly the daemons it started.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
cd "$NOOK_ROOT"

RUN_DIR="$NOOK_ROOT/.tmp/test-run"
rm -rf "$RUN_DIR"; mkdir -p "$RUN_DIR/reports"
export NOOK_TEST_RUN_DIR="$RUN_DIR"
started_pg=""; dockerd_pidfile="$RUN_DIR/dockerd.pid"

cleanup() {
  local rc=$?
  if [ -n "$started_pg" ]; then bash scripts/pg.sh stop "$RUN_DIR/pg" >/dev/null 2>&1 || true; fi
  if [ -f "$dockerd_pidfile" ]; then bash scripts/dockerd.sh stop "$dockerd_pidfile" >/dev/null 2>&1 || true; fi
  exit $rc
}
trap cleanup EXIT INT TERM

t0=$(date +%s)
ensure_node_modules
ensure_apt chromium:chromium dockerd:docker.io debootstrap:debootstrap \
  /usr/lib/postgresql/15/bin/initdb:postgresql firefox-esr:firefox-esr ||
  die "npm test needs these Debian packages"

say "static checks (npm run check)…"
npm run -s check

say "starting PostgreSQL on loopback…"
NOOK_TEST_PG_URL="$(bash scripts/pg.sh start "$RUN_DIR/pg" 55432 | tail -n 1)"; started_pg=1
export NOOK_TEST_PG_URL NOOK_REQUIRE_PG=1

say "ensuring a Docker daemon (no bridge network) and the sandbox image…"
bash scripts/dockerd.sh ensure "$RUN_DIR" "$dockerd_pidfile"
NOOK_SANDBOX_IMAGE="$(bash scripts/build-sandbox-image.sh | tail -n 1)"
export NOOK_SANDBOX_IMAGE NOOK_REQUIRE_DOCKER=1

suite() { # name, then the vitest arguments
  local name="$1"; shift
  say "suite: $name"
  npx vitest run "$@" --reporter=default --reporter=json --outputFile="$RUN_DIR/reports/$name.json"
}

status=0
suite unit || status=1
suite sandbox --config relay/sandbox/vitest.integration.config.ts || status=1
say "building the extension for Chrome and Firefox…"
npm run -s build >"$RUN_DIR/build.log" 2>&1 || { cat "$RUN_DIR/build.log"; die "build failed"; }
say "building and linting the store packages (npm run zip)…"
npm run -s zip >"$RUN_DIR/zip.log" 2>&1 || { cat "$RUN_DIR/zip.log"; say "store packages failed their lint"; status=1; }
suite e2e --config e2e/vitest.config.ts || status=1

npx tsx scripts/summarize-tests.ts "$RUN_DIR/reports" "$(( $(date +%s) - t0 ))" unit,sandbox,e2e || status=1
exit $status
