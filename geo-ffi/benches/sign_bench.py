"""Signing through the Python bindings: N calls of Identity.sign, µs per call (see sign_overhead.sh)."""
import sys
import time

from geo_ffi import Identity

n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
me = Identity.from_seed(bytes([7] * 32))
message = bytes([0x42] * 200)
for _ in range(1_000):
    last = me.sign(message)
start = time.perf_counter()
for _ in range(n):
    last = me.sign(message)
per_call = (time.perf_counter() - start) * 1e6 / n
assert len(last) == 88
print("python sign: %.2f µs/call (%d calls)" % (per_call, n))
