#!/usr/bin/env bash
# Builds the web wallet (/) and operator console (/admin) into reference-hub/web-dist, which is
# committed and embedded in the hub's binary, from the npm package at $GEO_PKG (default
# target/npm/geo, made by geo-wasm/build.sh). The output depends only on the sources.
#   web/build.sh          build, and update web-dist where it differs (unchanged files keep
#                         their times, so cargo does not rebuild the hub for nothing)
#   web/build.sh --check  build, and fail if web-dist is not exactly what the sources build (CI)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export GEO_PKG=${GEO_PKG:-$root/target/npm/geo}
[ -f "$GEO_PKG/index.js" ] || { echo "no npm package at $GEO_PKG: run geo-wasm/build.sh first" >&2; exit 1; }
cd "$root/web"
[ -x node_modules/.bin/vite ] || npm ci --no-audit --no-fund
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
GEO_WEB_OUT=$out node_modules/.bin/vite build --logLevel error
node compress.mjs "$out"
node sync-dist.mjs "$out" "$root/reference-hub/web-dist" "${1:-}"
