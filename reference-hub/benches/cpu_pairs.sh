#!/bin/sh
# Hub CPU per payment of two hub binaries, side by side: N strictly alternating pairs (A, B, A, B,
# ...) of the throughput bench, the same bench binary for both, on SQLite.
#
#   reference-hub/benches/cpu_pairs.sh PAIRS BENCH HUB_A HUB_B [bench arguments...]
#
# BENCH is a release build of `reference-hub/benches/throughput.rs` (pin one copy for a whole
# comparison: `cargo build --release -p reference-hub --bench throughput`, then copy
# `target/release/deps/throughput-<hash>` aside). The bench arguments default to
# `--bench --payments 10000`. Each run starts the hub through a wrapper (GEO_BENCH_HUB) that copies
# the hub's /proc/PID/stat every 100 ms for its whole life, so user and system time include the
# set-up; the bench itself reports CPU time and bytes written per payment of its timed phase.
#
# One line per run: pair, side, µs of hub CPU per committed payment (timed phase) and its system
# part, KiB written per payment, the hub's whole-life user and system seconds, the 1-minute load average; then a summary:
# medians per side, B − A pair by pair, and in how many pairs B was higher / lower.
set -eu
[ $# -ge 4 ] || { sed -n '2,16p' "$0"; exit 2; }
pairs=$1 bench=$2 a=$3 b=$4
shift 4
[ $# -gt 0 ] || set -- --bench --payments 10000
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/stat.sh" <<'EOF'
#!/bin/sh
# exec keeps the pid: the sampler reads the hub's own stat until the hub is gone.
( while cp /proc/$$/stat "$STAT_OUT.tmp" 2>/dev/null; do mv "$STAT_OUT.tmp" "$STAT_OUT"; sleep 0.1; done ) &
exec "$STAT_HUB" "$@"
EOF
chmod +x "$work/stat.sh"
ticks=$(getconf CLK_TCK)
printf '%-4s %-4s %8s %8s %8s %7s %7s %5s\n' pair side 'µs/pay' 'sys µs' 'KiB/pay' user sys load
i=1
while [ "$i" -le "$pairs" ]; do
    for side in A B; do
        hub=$a
        [ $side = B ] && hub=$b
        rm -f "$work/stat"
        load=$(cut -d' ' -f1 /proc/loadavg)
        out=$(STAT_OUT="$work/stat" STAT_HUB="$hub" GEO_BENCH_HUB="$work/stat.sh" "$bench" "$@" 2>&1) || {
            echo "pair $i side $side: the bench failed:" >&2
            echo "$out" >&2
            exit 1
        }
        sleep 0.3 # the sampler's last copy
        line=$(echo "$out" | grep "µs of CPU and")
        us=$(echo "$line" | sed 's/.*: \([0-9.]*\) µs of CPU.*/\1/')
        kib=$(echo "$line" | sed 's/.* and \([0-9.]*\) KiB written.*/\1/')
        kernel=$(echo "$out" | sed -n 's/.*: \([0-9.]*\) µs of it in the kernel.*/\1/p')
        # Fields 14 and 15 of /proc/PID/stat (the name in field 2 has no spaces: geo-hub).
        us_sys=$(awk -v t="$ticks" '{printf "%.2f %.2f", $14 / t, $15 / t}' "$work/stat")
        printf '%-4s %-4s %8s %8s %8s %7s %7s %5s\n' "$i" "$side" "$us" "${kernel:--}" "$kib" \
            "${us_sys% *}" "${us_sys#* }" "$load" | tee -a "$work/runs"
    done
    i=$((i + 1))
done
awk '
function median(v, n,   i, j, t) {
    for (i = 2; i <= n; i++) { t = v[i]; for (j = i - 1; j >= 1 && v[j] > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
{ k = $2; n[k]++; cpu[k, n[k]] = $3; ker[k, n[k]] = $4; kib[k, n[k]] = $5; usr[k, n[k]] = $6; sys[k, n[k]] = $7; ld[NR] = $8 }
END {
    print ""
    for (s = 0; s < 2; s++) {
        k = s ? "B" : "A"
        for (i = 1; i <= n[k]; i++) { c[i] = cpu[k, i]; e[i] = ker[k, i]; w[i] = kib[k, i]; u[i] = usr[k, i]; y[i] = sys[k, i] }
        printf "%s: median %.1f µs/payment (%.1f of it system), %.1f KiB/payment; whole life: user %.2f s, system %.2f s (%d runs)\n", k, median(c, n[k]), median(e, n[k]), median(w, n[k]), median(u, n[k]), median(y, n[k]), n[k]
    }
    m = n["A"] < n["B"] ? n["A"] : n["B"]; hi = lo = 0; diffs = ""
    for (i = 1; i <= m; i++) {
        d[i] = cpu["B", i] - cpu["A", i]; diffs = diffs sprintf(" %+g", d[i])
        if (d[i] > 0) hi++; else if (d[i] < 0) lo++
    }
    printf "B - A, pair by pair (µs):%s\n", diffs
    printf "median B - A: %+.1f µs; B higher in %d of %d pairs, lower in %d\n", median(d, m), hi, m, lo
    for (i = 1; i <= m; i++) { dk[i] = ker["B", i] - ker["A", i]; dw[i] = kib["B", i] - kib["A", i] }
    printf "median B - A of the system part: %+.1f µs; of KiB written: %+.1f\n", median(dk, m), median(dw, m)
    for (i = 1; i <= NR; i++) l[i] = ld[i]
    lmin = lmax = ld[1]; for (i = 2; i <= NR; i++) { if (ld[i] < lmin) lmin = ld[i]; if (ld[i] > lmax) lmax = ld[i] }
    printf "load average (1 min) at the runs: %.1f-%.1f\n", lmin, lmax
}' "$work/runs"
