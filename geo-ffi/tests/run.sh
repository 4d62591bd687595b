#!/usr/bin/env bash
# The bindings, tested for real: Python from an installed maturin wheel, Kotlin compiled with kotlinc
# and run on the JVM from a JAR that carries the native library, and the generated Swift checked
# (no Swift compiler on these machines). Python and Kotlin each run the spec's vectors and the
# community story (examples/python, examples/kotlin) against a live reference hub, then a payment
# between two linked hubs (cross_hub.py, CrossHubTest.kt).
#
#   geo-ffi/tests/run.sh        (after scripts/setup; called by scripts/test-all)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
target=${CARGO_TARGET_DIR:-target}
case "$target" in /*) ;; *) target="$root/$target" ;; esac
export CARGO_TARGET_DIR="$target"
tools="$root/.tools"
kotlin="$tools/kotlin/node_modules/kotlin-compiler"
jna=/usr/share/java/jna.jar
coroutines="$kotlin/lib/kotlinx-coroutines-core-jvm.jar"

cargo build -q -p reference-hub --bin geo-hub
hub="$target/debug/geo-hub"
out=$(geo-ffi/build-bindings.sh | tail -n 1)

echo "-- Swift: generated files name every export"
python3 geo-ffi/tests/check_swift.py "$out/swift"

echo "-- Python: wheel (maturin), installed into a fresh venv"
rm -rf "$target/wheels" "$target/bindings-venv"
"$tools/venv/bin/maturin" build -q -m geo-ffi/Cargo.toml --out "$target/wheels" 2>&1 | grep -v "^📦\|^🔗\|^📡\|^🍹\|^ *Compiling\|^ *Finished\|^ *Running" || true
python3 -m venv "$target/bindings-venv"
"$target/bindings-venv/bin/pip" install -q "$target"/wheels/geo_ffi-*.whl
"$target/bindings-venv/bin/python" geo-ffi/tests/python/test_bindings.py "$hub" | tail -n 1
"$target/bindings-venv/bin/python" geo-ffi/tests/python/cross_hub.py "$hub" | tail -n 1

echo "-- Kotlin: geo-ffi.jar (bindings + native library), then the test against it"
jar="$out/kotlin/geo-ffi.jar"
"$kotlin/bin/kotlinc" -nowarn -cp "$coroutines:$jna" "$out"/kotlin/org/geo/*.kt -d "$jar"
# JNA finds the library inside the JAR under its platform folder (linux-x86-64, darwin-aarch64, …).
python3 - "$jar" "$out/kotlin" <<'PY'
import platform, sys, zipfile, glob, os
arch = {"x86_64": "x86-64", "amd64": "x86-64", "aarch64": "aarch64", "arm64": "aarch64"}[platform.machine().lower()]
folder = {"Linux": "linux", "Darwin": "darwin"}[platform.system()] + "-" + arch
with zipfile.ZipFile(sys.argv[1], "a") as z:
    for lib in glob.glob(os.path.join(sys.argv[2], "libgeo_ffi.*")):
        z.write(lib, folder + "/" + os.path.basename(lib))
PY
test_jar="$target/bindings/kotlin-test.jar"
"$kotlin/bin/kotlinc" -nowarn -cp "$jar:$coroutines:$jna" examples/kotlin/Community.kt \
  geo-ffi/tests/kotlin/BindingsTest.kt geo-ffi/tests/kotlin/CrossHubTest.kt -d "$test_jar"
# No -Djna.library.path: the native library comes from geo-ffi.jar.
classpath="$test_jar:$jar:$coroutines:$jna:$kotlin/lib/kotlin-stdlib.jar"
java -cp "$classpath" org.geo.test.BindingsTestKt "$root" "$hub" | tail -n 1
java -cp "$classpath" org.geo.test.CrossHubTestKt "$hub" | tail -n 1
