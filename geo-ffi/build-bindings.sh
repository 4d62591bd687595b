#!/usr/bin/env bash
# Builds the geo-ffi native library and generates its Kotlin, Swift and Python bindings with the
# workspace's own uniffi-bindgen (the same uniffi version as the library).
#
#   geo-ffi/build-bindings.sh            # debug library
#   geo-ffi/build-bindings.sh --release  # optimised library (what apps ship)
#
# Output (not committed), under ${CARGO_TARGET_DIR:-target}/bindings/:
#   kotlin/org/geo/geo_ffi.kt   + kotlin/libgeo_ffi.so   (load with -Djna.library.path=kotlin)
#   swift/GeoFFI.swift, GeoFFIFFI.h, GeoFFIFFI.modulemap + GeoExtensions.swift (hand-written)
#   python/geo_ffi.py           + python/libgeo_ffi.so
# Prints the output folder on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=debug
cargo_profile=()
if [ "${1:-}" = "--release" ]; then
  profile=release
  cargo_profile=(--release)
fi
target=${CARGO_TARGET_DIR:-target}
case "$(uname -s)" in
  Darwin) lib=libgeo_ffi.dylib ;;
  *) lib=libgeo_ffi.so ;;
esac
out="$target/bindings"

cargo build -q -p geo-ffi --lib "${cargo_profile[@]}"
cargo build -q -p geo-ffi --features cli --bin uniffi-bindgen
bindgen="$target/debug/uniffi-bindgen"

rm -rf "$out"
for lang in kotlin swift python; do
  mkdir -p "$out/$lang"
  "$bindgen" generate --library "$target/$profile/$lib" --language "$lang" \
    --out-dir "$out/$lang" --no-format >/dev/null
done
cp "$target/$profile/$lib" "$out/kotlin/"
cp "$target/$profile/$lib" "$out/python/"
cp geo-ffi/kotlin/*.kt "$out/kotlin/org/geo/"
cp geo-ffi/swift/*.swift "$out/swift/"
echo "$out"
