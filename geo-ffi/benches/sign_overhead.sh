#!/usr/bin/env bash
# Call overhead of the bindings: the same signing loop in Rust, Python and Kotlin against the release
# library, and the release library's stripped size. Needs scripts/setup (kotlinc, JNA).
#
#   geo-ffi/benches/sign_overhead.sh [N]
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-20000}
target=${CARGO_TARGET_DIR:-target}
case "$target" in /*) ;; *) target="$PWD/$target" ;; esac
export CARGO_TARGET_DIR="$target"
kotlin=.tools/kotlin/node_modules/kotlin-compiler
cp_base="$kotlin/lib/kotlinx-coroutines-core-jvm.jar:/usr/share/java/jna.jar:$kotlin/lib/kotlin-stdlib.jar"

cargo bench -q -p geo-ffi --bench sign -- "$n"
out=$(geo-ffi/build-bindings.sh --release | tail -n 1)

PYTHONPATH="$out/python" python3 geo-ffi/benches/sign_bench.py "$n"

"$kotlin/bin/kotlinc" -nowarn -cp "$cp_base" "$out"/kotlin/org/geo/*.kt geo-ffi/benches/SignBench.kt \
  -d "$target/bindings/sign-bench.jar"
java -Djna.library.path="$out/kotlin" -cp "$target/bindings/sign-bench.jar:$cp_base" \
  org.geo.bench.SignBenchKt "$n"

strip -o "$target/bindings/libgeo_ffi.stripped.so" "$target/release/libgeo_ffi.so"
echo "release libgeo_ffi.so: $(stat -c %s "$target/release/libgeo_ffi.so") bytes," \
  "stripped: $(stat -c %s "$target/bindings/libgeo_ffi.stripped.so") bytes"
