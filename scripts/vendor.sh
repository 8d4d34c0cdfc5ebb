#!/usr/bin/env bash
# Copy the front-end toolkit pinned in frontend/package-lock.json into
# site/static/vendor/ (committed, so `make demo` needs no npm). Run after
# changing a version in frontend/package.json: make vendor.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v npm >/dev/null 2>&1 || { echo "npm is missing (Debian: apt-get install npm)" >&2; exit 1; }
(cd frontend && npm ci --no-audit --no-fund --silent)
out=site/static/vendor
rm -rf "$out"
mkdir -p "$out/bootstrap" "$out/bootstrap-icons/fonts"
cp frontend/node_modules/bootstrap/dist/css/bootstrap.min.css \
   frontend/node_modules/bootstrap/dist/js/bootstrap.bundle.min.js \
   frontend/node_modules/bootstrap/LICENSE "$out/bootstrap/"
cp frontend/node_modules/bootstrap-icons/font/bootstrap-icons.min.css \
   frontend/node_modules/bootstrap-icons/LICENSE "$out/bootstrap-icons/"
cp frontend/node_modules/bootstrap-icons/font/fonts/bootstrap-icons.woff2 "$out/bootstrap-icons/fonts/"
# Source maps are not shipped: drop the trailing sourceMappingURL comments.
sed -i '/sourceMappingURL=/d' "$out/bootstrap/bootstrap.min.css" "$out/bootstrap/bootstrap.bundle.min.js"
echo "vendored: $(ls -R "$out" | grep -c '\.')" files
