#!/usr/bin/env bash
# Builds the GEO npm package (one ESM package for node >= 20, browsers and bundlers) into
# target/npm/geo, or the directory given as $1:
#   1. geo-wasm for wasm32 with the size-first `wasm` profile, once per module, by the pinned
#      nightly toolchain (`wasm-toolchain` in geo-wasm/Cargo.toml; scripts/setup installs it with
#      rust-src), which rebuilds the standard library for size and makes a panic a bare trap
#      (`-Cpanic=immediate-abort`: no panic messages, locations or formatting in the module; a
#      panic was already an abort); the wallet
#      (geo_wasm_bg.wasm, loaded by `@geo/client`), the operator's client (geo_admin_bg.wasm,
#      by `@geo/client/admin`) and the protocol tools (geo_tools_bg.wasm, by
#      `@geo/client/tools`); a page downloads only the modules it imports;
#   2. wasm-bindgen (the CLI must be the crate's pinned version: scripts/setup installs it);
#   3. wasm-opt -Oz from npm's binaryen (Debian's makes broken modules);
#   4. TypeScript types generated from spec/openapi.json and the SDK's own shapes
#      (js/sdk-schema.json, both derived from the Rust types and checked by tests);
#   5. package.json with `exports`.
# The same sources give the same bytes from any checkout path (web/build.sh's output is checked
# against the committed reference-hub/web-dist in CI).
# Prints the raw and gzipped size of each .wasm, and fails if the wallet's is over its budget
# (`wallet-gzip-budget` in geo-wasm/Cargo.toml).
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
toolchain=$(sed -n 's/^wasm-toolchain = "\(.*\)"/\1/p' "$root/geo-wasm/Cargo.toml")
sysroot=$(rustup run "$toolchain" rustc --print sysroot 2>/dev/null) &&
  [ -d "$sysroot/lib/rustlib/src/rust/library" ] &&
  [ -d "$sysroot/lib/rustlib/wasm32-unknown-unknown" ] || {
  echo "Rust $toolchain with rust-src and wasm32-unknown-unknown is needed; run scripts/setup" >&2
  exit 1
}
[ -x "$js/node_modules/.bin/wasm-opt" ] || (cd "$js" && npm ci --no-audit --no-fund)

cd "$root"
# Reproducible bytes from any checkout: source paths that end up in the module (panic locations)
# are written relative to the workspace and the cargo registry, never where they happen to be.
cargo_home=${CARGO_HOME:-$HOME/.cargo}
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--remap-path-prefix=$root=/geo --remap-path-prefix=$cargo_home=/cargo --remap-path-prefix=$sysroot=/rust -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none"
# Three modules from the one crate (its features), the same pipeline for each.
rm -rf "$out" && mkdir -p "$out"
module() { # features, output name
  cargo +"$toolchain" build -p geo-wasm --lib --target wasm32-unknown-unknown --profile wasm \
    -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size \
    --no-default-features --features "$1"
  wasm-bindgen --target web --out-dir "$out" --out-name "$2" \
    "$tgt/wasm32-unknown-unknown/wasm/geo_wasm.wasm"
  "$js/node_modules/.bin/wasm-opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$out/$2_bg.wasm" -o "$out/$2_bg.wasm"
}
module wallet geo_wasm
module admin geo_admin
module tools geo_tools
# Optional object parameters are declared `X | undefined`; make them optional (`p?: X`).
sed -i -E 's/([a-z_]+): ([A-Za-z]+) \| undefined([,)])/\1?: \2\3/g' "$out/geo_wasm.d.ts"
{
  echo
  node "$js/gen-types.mjs" "$root/spec/openapi.json" "$js/sdk-schema.json"
} >> "$out/geo_wasm.d.ts"
# The other modules' declarations name the SDK's types, which the wallet's declarations define.
for m in geo_admin geo_tools; do
  names=$(grep -oE '^export type [A-Za-z0-9_]+' "$out/geo_wasm.d.ts" | awk '{print $3}' |
    while read -r n; do
      if grep -qw "$n" "$out/$m.d.ts" && ! grep -qE "^export (type|interface|class) $n\b" "$out/$m.d.ts"; then echo "$n"; fi
    done | paste -sd, - | sed 's/,/, /g')
  if [ -n "$names" ]; then sed -i "1i import type { $names } from './geo_wasm.js';" "$out/$m.d.ts"; fi
done
for f in index tools admin; do cp "$js/$f.js" "$js/$f.d.ts" "$out/"; done
cp "$js/geo_error.js" "$out/"
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
  "exports": {
    ".": { "types": "./index.d.ts", "default": "./index.js" },
    "./admin": { "types": "./admin.d.ts", "default": "./admin.js" },
    "./tools": { "types": "./tools.d.ts", "default": "./tools.js" }
  },
  "files": ["index.js", "index.d.ts", "tools.js", "tools.d.ts", "geo_error.js", "geo_wasm.js", "geo_wasm.d.ts", "geo_wasm_bg.wasm", "geo_wasm_bg.wasm.d.ts", "geo_tools.js", "geo_tools.d.ts", "geo_tools_bg.wasm", "geo_tools_bg.wasm.d.ts", "admin.js", "admin.d.ts", "geo_admin.js", "geo_admin.d.ts", "geo_admin_bg.wasm", "geo_admin_bg.wasm.d.ts"],
  "engines": { "node": ">=20" },
  "sideEffects": true
}
JSON
for m in geo_wasm geo_admin geo_tools; do
  raw=$(stat -c %s "$out/${m}_bg.wasm")
  gz=$(gzip -9 -c "$out/${m}_bg.wasm" | wc -c)
  echo "${m}_bg.wasm: $raw bytes raw, $gz bytes gzipped -9 ($((gz / 1024)) KiB) -> $out"
  if [ "$m" = geo_wasm ]; then wallet_gz=$gz; fi
done
budget=$(sed -n 's/^wallet-gzip-budget = \([0-9]*\)/\1/p' "$root/geo-wasm/Cargo.toml")
if [ "$wallet_gz" -gt "$budget" ]; then
  echo "error: geo_wasm_bg.wasm is $wallet_gz bytes gzipped, over its budget of $budget" \
    "(wallet-gzip-budget in geo-wasm/Cargo.toml)" >&2
  exit 1
fi
