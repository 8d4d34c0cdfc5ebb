#!/usr/bin/env bash
# Run a private Redis (Debian's redis-server) on loopback: the shared cache of
# the tests (rate limits, lockout throttles). Usage:
#   scripts/redis.sh start|stop|status
# Environment: REDIS_PORT (default 63799), REDIS_DATA_DIR.
source "$(dirname "$0")/lib.sh"

REDIS_PORT="${REDIS_PORT:-63799}"
REDIS_BIN="${REDIS_BIN:-/usr/bin/redis-server}"
REDIS_CLI="${REDIS_CLI:-/usr/bin/redis-cli}"
# Outside the checkout, so that the redis system user can reach it whoever owns the checkout.
REDIS_DATA_DIR="${REDIS_DATA_DIR:-/var/tmp/assist-redis-$REDIS_PORT}"
# Present only when this checkout started the server: stop leaves others' servers alone.
STARTED_MARK="$RUN_DIR/redis-$REDIS_PORT.started"

answers() { "$REDIS_CLI" -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

as_redis() {
  if [ "$(id -u)" -eq 0 ] && id redis >/dev/null 2>&1; then runuser -u redis -- "$@"; else "$@"; fi
}

start() {
  if answers; then say "Redis already answers on 127.0.0.1:$REDIS_PORT"; return 0; fi
  [ -x "$REDIS_BIN" ] || die "redis-server is missing: install it with 'apt-get install redis-server' \
(scripts/bootstrap.sh --services does this), or set CACHE_URL to an existing server."
  mkdir -p "$REDIS_DATA_DIR"
  if [ "$(id -u)" -eq 0 ] && id redis >/dev/null 2>&1; then chown redis:redis "$REDIS_DATA_DIR"; fi
  chmod 700 "$REDIS_DATA_DIR"
  touch "$STARTED_MARK"
  # A cache only: no snapshots, no append-only file; bounded memory, least-recently-used eviction.
  as_redis "$REDIS_BIN" --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes \
    --dir "$REDIS_DATA_DIR" --pidfile "$REDIS_DATA_DIR/redis.pid" --logfile "$REDIS_DATA_DIR/redis.log" \
    --daemonize yes --save "" --appendonly no --maxmemory 256mb --maxmemory-policy allkeys-lru \
    || die "Redis did not start (log: $REDIS_DATA_DIR/redis.log)."
  wait_for redis 30 answers || { tail -n 20 "$REDIS_DATA_DIR/redis.log" >&2; die "Redis did not answer (log: $REDIS_DATA_DIR/redis.log)."; }
  say "Redis ready on redis://127.0.0.1:$REDIS_PORT/0"
}

stop() {
  if [ -f "$STARTED_MARK" ] && answers; then
    "$REDIS_CLI" -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    wait_for "redis to stop" 30 bash -c "! $REDIS_CLI -h 127.0.0.1 -p $REDIS_PORT ping" || true
    say "Redis stopped"
  fi
  rm -f "$STARTED_MARK"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) answers && say "Redis answers on 127.0.0.1:$REDIS_PORT" || { say "Redis is not running"; exit 1; } ;;
  *) die "usage: $0 start|stop|status" ;;
esac
