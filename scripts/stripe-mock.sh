#!/usr/bin/env bash
# Run Stripe's own stripe-mock on loopback. Usage: scripts/stripe-mock.sh start|stop|status
source "$(dirname "$0")/lib.sh"

STRIPE_MOCK_VERSION="${STRIPE_MOCK_VERSION:-v0.203.0}"
STRIPE_MOCK_PORT="${STRIPE_MOCK_PORT:-12111}"
GOBIN_DIR="${GOBIN:-$(go env GOPATH 2>/dev/null || echo "$HOME/go")/bin}"
BIN="$GOBIN_DIR/stripe-mock"
PID_FILE="$RUN_DIR/stripe-mock-$STRIPE_MOCK_PORT.pid"
LOG_FILE="$RUN_DIR/stripe-mock-$STRIPE_MOCK_PORT.log"

answers() { curl -fsS -u sk_test_123: "http://127.0.0.1:$STRIPE_MOCK_PORT/v1/balance" >/dev/null 2>&1; }

install() {
  if [ ! -x "$BIN" ]; then
    command -v go >/dev/null 2>&1 || die "Go is missing: stripe-mock is built with 'go install' (install Go 1.22+)."
    say "building stripe-mock $STRIPE_MOCK_VERSION with go install..."
    GOBIN="$GOBIN_DIR" go install "github.com/stripe/stripe-mock@$STRIPE_MOCK_VERSION"
  fi
}

start() {
  if answers; then say "stripe-mock already answers on 127.0.0.1:$STRIPE_MOCK_PORT"; return 0; fi
  install
  nohup "$BIN" -http-addr "127.0.0.1:$STRIPE_MOCK_PORT" >"$LOG_FILE" 2>&1 &
  echo $! >"$PID_FILE"
  wait_for stripe-mock 30 answers || die "stripe-mock did not answer (log: $LOG_FILE)."
  say "stripe-mock ready on http://127.0.0.1:$STRIPE_MOCK_PORT"
}

case "${1:-}" in
  start) start ;;
  stop) stop_pidfile "$PID_FILE" stripe-mock ;;
  status) answers && say "stripe-mock answers" || { say "stripe-mock is not running"; exit 1; } ;;
  install) install ;;
  *) die "usage: $0 start|stop|status|install" ;;
esac
