#!/usr/bin/env bash
# `npm start`: set up, build the extension for Chrome and Firefox, start the relay on
# 127.0.0.1 (embedded SQLite under .data/relay) with the Docker sandbox when this
# machine can run it, and print how to load the extension.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
cd "$NOOK_ROOT"

ensure_node_modules
say "building the extension for Chrome and Firefox…"
npm run -s build >/dev/null || die "the extension build failed (run npm run build to see why)"

RUN_DIR="$NOOK_ROOT/.data/run"; mkdir -p "$RUN_DIR"
dockerd_pidfile="$RUN_DIR/dockerd.pid"
sandbox_note=""
if [ "${NOOK_SANDBOX:-on}" = off ]; then
  sandbox_note="off: NOOK_SANDBOX=off was set"
elif [ "$(id -u)" != 0 ] && ! docker info >/dev/null 2>&1; then
  sandbox_note="off: no Docker daemon answers and starting one needs root"
else
  if ensure_apt dockerd:docker.io debootstrap:debootstrap \
    && bash scripts/dockerd.sh ensure "$RUN_DIR" "$dockerd_pidfile" \
    && NOOK_SANDBOX_IMAGE="$(bash scripts/build-sandbox-image.sh | tail -n 1)"; then
    export NOOK_SANDBOX_IMAGE
  else
    sandbox_note="off: the Docker daemon or the sandbox image could not be prepared (see above)"
  fi
fi
[ -n "$sandbox_note" ] && export NOOK_SANDBOX=off

cleanup() { [ -f "$dockerd_pidfile" ] && bash scripts/dockerd.sh stop "$dockerd_pidfile" >/dev/null 2>&1 || true; }
trap cleanup EXIT INT TERM

export NOOK_RELAY_HOST="${NOOK_RELAY_HOST:-127.0.0.1}" NOOK_RELAY_PORT="${NOOK_RELAY_PORT:-8787}"
export NOOK_RELAY_DATA_DIR="${NOOK_RELAY_DATA_DIR:-$NOOK_ROOT/.data/relay}"
cat <<MSG

  Nook is built.
  Chrome:  chrome://extensions → Developer mode → Load unpacked → $NOOK_ROOT/.output/chrome-mv3
  Firefox: about:debugging#/runtime/this-firefox → Load Temporary Add-on → $NOOK_ROOT/.output/firefox-mv3/manifest.json
  Relay:   http://$NOOK_RELAY_HOST:$NOOK_RELAY_PORT  (SQLite in $NOOK_RELAY_DATA_DIR)
  Sandbox: ${sandbox_note:-on (image $NOOK_SANDBOX_IMAGE)}
  Stop with Ctrl+C.

MSG
npx tsx relay/server.ts &
relay_pid=$!
trap 'kill $relay_pid 2>/dev/null; wait $relay_pid 2>/dev/null; cleanup' EXIT INT TERM
wait $relay_pid
