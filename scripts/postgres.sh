#!/usr/bin/env bash
# Run a private PostgreSQL 15 cluster on loopback for the tests. Usage:
#   scripts/postgres.sh start|stop|status
# Environment: PG_PORT (default 54329), PG_DATA_DIR, PG_LOG.
#
# The server runs as the 'postgres' system user, which may not enter the
# checkout (a clone in root's home or in a 0700 'mktemp -d' folder): its data
# directory and log live under /var/tmp, named by port, owned by postgres,
# and every command it runs starts from / rather than the caller's folder.
source "$(dirname "$0")/lib.sh"

PG_PORT="${PG_PORT:-54329}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_DATA_DIR="${PG_DATA_DIR:-/var/tmp/assist-postgres-$PG_PORT}"
PG_LOG="${PG_LOG:-/var/tmp/assist-postgres-$PG_PORT.log}"
# Present only when this checkout started the server: stop leaves others' servers alone.
STARTED_MARK="$RUN_DIR/postgres-$PG_PORT.started"

as_postgres() { (cd / && runuser -u postgres -- "$@"); }

require_tools() {
  [ -x "$PG_BIN/pg_ctl" ] || die "PostgreSQL 15 is missing: install it with 'apt-get install postgresql-15' \
(scripts/bootstrap.sh does this), or set DATABASE_URL to an existing server."
  id postgres >/dev/null 2>&1 || die "the 'postgres' system user is missing: reinstall postgresql-15."
}

answers() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; }

start() {
  if answers; then say "PostgreSQL already answers on 127.0.0.1:$PG_PORT"; return 0; fi
  require_tools
  if [ ! -f "$PG_DATA_DIR/PG_VERSION" ]; then
    mkdir -p "$PG_DATA_DIR" && chown postgres:postgres "$PG_DATA_DIR" && chmod 700 "$PG_DATA_DIR"
    as_postgres "$PG_BIN/initdb" -D "$PG_DATA_DIR" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  fi
  touch "$PG_LOG" && chown postgres:postgres "$PG_LOG" && chmod 640 "$PG_LOG"
  touch "$STARTED_MARK"
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA_DIR" -l "$PG_LOG" -w -t 60 start \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k /tmp -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c random_page_cost=1.1" >/dev/null \
    || { tail -n 20 "$PG_LOG" >&2; die "PostgreSQL did not start (log: $PG_LOG)."; }
  as_postgres "$PG_BIN/psql" -h /tmp -p "$PG_PORT" -d postgres -qtAc \
    "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='assist') THEN CREATE ROLE assist LOGIN CREATEDB PASSWORD 'assist'; END IF; END\$\$;"
  as_postgres "$PG_BIN/psql" -h /tmp -p "$PG_PORT" -d postgres -qtAc "SELECT 1 FROM pg_database WHERE datname='assist'" | grep -q 1 \
    || as_postgres "$PG_BIN/createdb" -h /tmp -p "$PG_PORT" -O assist assist
  say "PostgreSQL 15 ready on 127.0.0.1:$PG_PORT (database assist, user assist)"
}

stop() {
  if [ -f "$STARTED_MARK" ] && [ -f "$PG_DATA_DIR/postmaster.pid" ]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA_DIR" -m fast -w stop >/dev/null && say "PostgreSQL stopped"
  fi
  rm -f "$STARTED_MARK"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) answers && say "PostgreSQL answers on 127.0.0.1:$PG_PORT" || { say "PostgreSQL is not running"; exit 1; } ;;
  *) die "usage: $0 start|stop|status" ;;
esac
