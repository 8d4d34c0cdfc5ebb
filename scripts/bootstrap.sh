#!/usr/bin/env bash
# Install what this project needs on a fresh Debian machine, then the Python
# environment. Idempotent: a second run only checks. Usage:
#   scripts/bootstrap.sh           # Python environment only (enough for make demo)
#   scripts/bootstrap.sh --services  # also PostgreSQL, Redis, Chromium, Java/Maven, Go checks (make test)
source "$(dirname "$0")/lib.sh"

VENV="$REPO_DIR/.venv"
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || die "missing system packages: ${missing[*]} (no apt-get here: install them by hand)."
  say "installing system packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then die "run as root, or install: ${missing[*]}"; fi
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

python_env() {
  "$PYTHON" -c 'import sys; assert sys.version_info[:2] == (3, 11), sys.version' \
    || die "Python 3.11 is required (found $("$PYTHON" --version 2>&1))."
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  # The development lock (production's plus the test extra), every file checked
  # against its hash; regenerate it with `make lock` after editing pyproject.toml.
  # The lock pins everything, so pip resolves nothing (--no-deps: its resolver
  # refuses a hash-pinned package that another one asks for with an extra, e.g.
  # weasyprint's fonttools[woff]); `pip check` then proves the set consistent.
  local lock="$REPO_DIR/requirements/dev.txt" stamp="$VENV/.requirements-dev.installed"
  if [ ! -f "$stamp" ] || ! cmp -s "$lock" "$stamp"; then
    "$VENV/bin/pip" install -q --disable-pip-version-check --require-hashes --no-deps -r "$lock"
    "$VENV/bin/pip" check >/dev/null || die "the installed packages conflict: run make lock"
    cp "$lock" "$stamp"
  fi
}

# WeasyPrint (the monthly PDF report) needs Pango and HarfBuzz; Chinese needs a CJK font.
apt_install gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk
python_env
if [ "${1:-}" = "--services" ]; then
  apt_install postgresql-15 redis-server chromium fonts-noto-cjk curl
  command -v java >/dev/null 2>&1 || apt_install openjdk-17-jdk-headless
  command -v mvn >/dev/null 2>&1 || apt_install maven
  command -v go >/dev/null 2>&1 || apt_install golang-go
fi
