# Shared helpers for the service scripts. Sourced, not run.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DIR="${ASSIST_RUN_DIR:-$REPO_DIR/var/run}"
mkdir -p "$RUN_DIR"

say() { printf '%s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# wait_for DESCRIPTION SECONDS COMMAND...: retry COMMAND once a second.
wait_for() {
  local what="$1" seconds="$2"; shift 2
  for _ in $(seq "$seconds"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  return 1
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# stop_pidfile FILE NAME: TERM the process, wait for it to exit, remove the file.
stop_pidfile() {
  local file="$1" name="$2"
  if pid_alive "$file"; then
    local pid; pid="$(cat "$file")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$pid" 2>/dev/null || true
    say "$name stopped"
  fi
  rm -f "$file"
}
