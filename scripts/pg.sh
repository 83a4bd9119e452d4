#!/usr/bin/env bash
# Throwaway PostgreSQL for tests, on 127.0.0.1 only.
#   scripts/pg.sh start DIR PORT   initdb DIR (if new), start, create database nook_test,
#                                  print the connection URL as the last line
#   scripts/pg.sh stop DIR         stop the server started from DIR
# Runs the server as the `postgres` user (initdb refuses root). Trust auth is fine: it only
# listens on loopback and on a unix socket inside DIR.
set -euo pipefail
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cmd="${1:-}"; dir="${2:-}"
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2; }
[ -x "$PG_BIN/initdb" ] || { echo "PostgreSQL 15 not found in $PG_BIN (apt-get install postgresql)" >&2; exit 1; }

case "$cmd" in
  start)
    port="${3:?usage: $0 start DIR PORT}"
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; fi
    chmod 700 "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_pg "$PG_BIN/initdb" -D "$dir/data" -A trust -U postgres --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    if ! as_pg "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -w -l "$dir/server.log" \
        -o "-k $dir -p $port -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null \
        || { cat "$dir/server.log" >&2; exit 1; }
    fi
    if ! as_pg "$PG_BIN/psql" -h "$dir" -p "$port" -U postgres -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = 'nook_test'" | grep -q 1; then
      as_pg "$PG_BIN/createdb" -h "$dir" -p "$port" -U postgres nook_test
    fi
    echo "postgres://postgres@127.0.0.1:$port/nook_test"
    ;;
  stop)
    dir="$(cd "$dir" 2>/dev/null && pwd)" || exit 0
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    fi
    ;;
  *) echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
