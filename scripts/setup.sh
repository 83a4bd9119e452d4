#!/usr/bin/env bash
# Shared set-up for `npm start` and `npm test`: installs what the project needs on a
# fresh Debian machine (as root) and is a no-op when everything is already there.
# Sourced, not executed: defines functions only.

NOOK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

say() { printf '\033[1m[nook]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[nook] %s\033[0m\n' "$*" >&2; exit 1; }

# npm ci when the lockfile changed since the last install (or on a fresh clone).
ensure_node_modules() {
  local stamp="$NOOK_ROOT/node_modules/.nook-lock-hash"
  local want
  want="$(sha256sum "$NOOK_ROOT/package-lock.json" | cut -c1-64)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  say "installing npm packages (npm ci)…"
  (cd "$NOOK_ROOT" && npm ci --no-audit --no-fund) || die "npm ci failed"
  echo "$want" >"$stamp"
}

# apt-get install the Debian packages whose commands are missing. Args: "cmd:package" pairs.
# Returns 1 (with the reason printed) when they cannot be installed.
ensure_apt() {
  local missing=() pair cmd pkg
  for pair in "$@"; do
    cmd="${pair%%:*}"; pkg="${pair#*:}"
    if ! command -v "$cmd" >/dev/null 2>&1 && [ ! -x "$cmd" ]; then missing+=("$pkg"); fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    say "missing Debian packages: ${missing[*]} — install them (apt-get install ${missing[*]}) or run as root"
    return 1
  fi
  say "installing Debian packages: ${missing[*]}…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || { say "apt-get update failed"; return 1; }
  apt-get install -y -qq "${missing[@]}" >/dev/null || { say "apt-get install ${missing[*]} failed"; return 1; }
}
