#!/usr/bin/env bash
# Start (or reuse) a Docker daemon for tests and benchmarks, and stop exactly the one we started.
#
#   scripts/dockerd.sh ensure LOG_DIR PIDFILE   # reuse a daemon that answers, else start one
#   scripts/dockerd.sh stop PIDFILE             # stop the daemon recorded in PIDFILE (if any)
#
# The daemon runs with --bridge=none and no iptables/forwarding/masquerading: no container
# ever gets a network address (sandboxes use NetworkMode none). PIDFILE is written only when
# this script started the daemon, so `stop` never touches a daemon someone else runs.
set -euo pipefail

die() { printf '[dockerd.sh] %s\n' "$*" >&2; exit 1; }
answers() { timeout 10 docker info >/dev/null 2>&1; }

cmd="${1:-}"
case "$cmd" in
  ensure)
    log_dir="${2:-}"; pidfile="${3:-}"
    [ -n "$log_dir" ] && [ -n "$pidfile" ] || die "usage: $0 ensure LOG_DIR PIDFILE"
    if answers; then echo "reusing the running Docker daemon"; exit 0; fi
    command -v dockerd >/dev/null 2>&1 || die "dockerd not found (apt-get install docker.io)"
    [ "$(id -u)" = 0 ] || die "starting dockerd needs root"
    mkdir -p "$log_dir" "$(dirname "$pidfile")"
    # setsid: the daemon must outlive this script and not get the caller's Ctrl-C.
    setsid dockerd --bridge=none --iptables=false --ip-forward=false --ip-masq=false \
      >"$log_dir/dockerd.log" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$pidfile"
    for _ in $(seq 1 120); do
      if answers; then echo "started dockerd (pid $pid, log $log_dir/dockerd.log)"; exit 0; fi
      kill -0 "$pid" 2>/dev/null || { tail -n 20 "$log_dir/dockerd.log" >&2; rm -f "$pidfile"; die "dockerd exited"; }
      sleep 0.5
    done
    die "dockerd did not answer within 60 s (see $log_dir/dockerd.log)"
    ;;
  stop)
    pidfile="${2:-}"
    [ -n "$pidfile" ] || die "usage: $0 stop PIDFILE"
    [ -f "$pidfile" ] || exit 0
    pid="$(cat "$pidfile")"
    [[ "$pid" =~ ^[0-9]+$ ]] || die "bad pid in $pidfile"
    # Only signal it if that pid still is a dockerd (pids are reused).
    if [ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" = dockerd ]; then
      kill "$pid"
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; fi
    fi
    rm -f "$pidfile"
    ;;
  *) die "usage: $0 ensure LOG_DIR PIDFILE | stop PIDFILE" ;;
esac
