#!/usr/bin/env bash
# Builds the GEO npm package (one ESM package for node >= 20, browsers and bundlers) into
# target/npm/geo, or the directory given as $1:
#   1. geo-wasm for wasm32 with the size-first `wasm` profile;
#   2. wasm-bindgen (the CLI must be the crate's pinned version: scripts/setup installs it);
#   3. wasm-opt -Oz from npm's binaryen (Debian's makes broken modules);
#   4. TypeScript types generated from spec/openapi.json and the SDK's own shapes
#      (js/sdk-schema.json, both derived from the Rust types and checked by tests);
#   5. package.json with `exports`.
# The same sources give the same bytes from any checkout path (web/build.sh's output is checked
# against the committed reference-hub/web-dist in CI).
# Prints the raw and gzipped size of the .wasm.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/target/npm/geo}
tgt=${CARGO_TARGET_DIR:-$root/target}
js=$root/geo-wasm/js
pinned=$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' "$root/geo-wasm/Cargo.toml")
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')
if [ "$have" != "$pinned" ]; then
  echo "wasm-bindgen $pinned is needed (have: ${have:-none}); run scripts/setup" >&2
  exit 1
fi
[ -x "$js/node_modules/.bin/wasm-opt" ] || (cd "$js" && npm ci --no-audit --no-fund)

cd "$root"
# Reproducible bytes from any checkout: source paths that end up in the module (panic locations)
# are written relative to the workspace and the cargo registry, never where they happen to be.
cargo_home=${CARGO_HOME:-$HOME/.cargo}
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--remap-path-prefix=$root=/geo --remap-path-prefix=$cargo_home=/cargo"
cargo build -p geo-wasm --lib --target wasm32-unknown-unknown --profile wasm
rm -rf "$out" && mkdir -p "$out"
wasm-bindgen --target web --out-dir "$out" --out-name geo_wasm \
  "$tgt/wasm32-unknown-unknown/wasm/geo_wasm.wasm"
"$js/node_modules/.bin/wasm-opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$out/geo_wasm_bg.wasm" -o "$out/geo_wasm_bg.wasm"
# Optional object parameters are declared `X | undefined`; make them optional (`p?: X`).
sed -i -E 's/([a-z_]+): ([A-Za-z]+) \| undefined([,)])/\1?: \2\3/g' "$out/geo_wasm.d.ts"
{
  echo
  node "$js/gen-types.mjs" "$root/spec/openapi.json" "$js/sdk-schema.json"
} >> "$out/geo_wasm.d.ts"
cp "$js/index.js" "$js/index.d.ts" "$out/"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -1)
cat > "$out/package.json" <<JSON
{
  "name": "@geo/client",
  "version": "$version",
  "description": "GEO mutual credit SDK: identities, signing, and a hub client over fetch and WebSocket.",
  "license": "MIT OR Apache-2.0",
  "type": "module",
  "main": "./index.js",
  "types": "./index.d.ts",
  "exports": { ".": { "types": "./index.d.ts", "default": "./index.js" } },
  "files": ["index.js", "index.d.ts", "geo_wasm.js", "geo_wasm.d.ts", "geo_wasm_bg.wasm", "geo_wasm_bg.wasm.d.ts", "snippets"],
  "engines": { "node": ">=20" },
  "sideEffects": true
}
JSON
raw=$(stat -c %s "$out/geo_wasm_bg.wasm")
gz=$(gzip -9 -c "$out/geo_wasm_bg.wasm" | wc -c)
echo "geo_wasm_bg.wasm: $raw bytes raw, $gz bytes gzipped -9 ($((gz / 1024)) KiB) -> $out"
