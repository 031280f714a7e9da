#!/usr/bin/env bash
# Normalising benchmark: `fusionai prepare` without a genome (read, detect, parse, write the
# 8-column records) on 1,000,000 STAR-Fusion rows made from the shared starfusion.tsv's 12 rows,
# positions shifted so rows differ (~600 bytes each). Rows/s and peak memory (/usr/bin/time -v) on
# 2 cores (taskset), CPU time and load, and a 100,000-row run to show memory does not grow with the
# row count.
# Each output is compared byte for byte (cmp) with a reference binary's, when one is given:
# BEFORE=path/to/fusionai-built-before-the-change (kept as work/fusionai-before once given).
# Not run by CI. Usage: [BEFORE=...] benchmarks/normalise/run.sh   (ROWS=1000000 to change)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work="$here/work"
rows=${ROWS:-1000000}
mkdir -p "$work"
[ -x "$root/.build/release/fusionai" ] || (cd "$root" && swift build -c release --product fusionai >/dev/null)
bin="$work/fusionai"
cp -p "$root/.build/release/fusionai" "$bin"
tree=$(git -C "$root" rev-parse --short HEAD)

source_rows="$root/../shared/data/fusions/callers/starfusion.tsv"
[ -f "$source_rows" ] || source_rows=/work/shared/data/fusions/callers/starfusion.tsv
calls="$work/calls-$rows.tsv"
if [ ! -f "$calls" ]; then
    # Repeat the 12 real rows (~600 bytes each), shifting each copy's positions.
    awk -F'\t' -v OFS='\t' -v n="$rows" 'NR == 1 { print; next } { row[++k] = $0 }
        END {
              for (i = 0; i < n; i++) { split(row[i % k + 1], f, "\t")
                  for (s = 6; s <= 8; s += 2) { split(f[s], p, ":"); f[s] = p[1] ":" (p[2] + int(i / k) % 1000) ":" p[3] }
                  line = f[1]; for (j = 2; j <= length(f); j++) line = line "\t" f[j]; print line } }' \
        "$source_rows" > "$calls"
fi
head -n $((rows / 10 + 1)) "$calls" > "$work/calls-tenth.tsv"

before="$work/fusionai-before"
[ -n "${BEFORE:-}" ] && [ "$(realpath "$BEFORE")" != "$(realpath -m "$before")" ] && cp -p "$BEFORE" "$before"

results="$here/results.tsv"
[ -f "$results" ] || printf 'tree\tinput_rows\tbytes_per_row\tcores\tseconds\trows_per_s\tpeak_MiB\tcpu_s\tload_1min\n' > "$results"
measure() {  # input rows
    local input=$1 n=$2 log="$work/time.log" bytes
    bytes=$(( $(stat -c %s "$input") / n ))
    taskset -c 0,1 /usr/bin/time -v "$bin" prepare -q "$input" -o "$work/out.tsv" 2> "$log"
    local wall mib cpu load
    # CPU time (user + sys) and the 1-minute load as the run ended: other work on the machine
    # stretches the wall time, not the CPU time.
    load=$(cut -d' ' -f1 /proc/loadavg)
    cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$log")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$log")
    mib=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$log")
    [ "$(($(wc -l < "$work/out.tsv")))" -eq "$n" ] || { echo "wrote $(wc -l < "$work/out.tsv") rows, not $n" >&2; exit 1; }
    if [ -x "$before" ]; then
        local reference="$input.before.out"
        [ -f "$reference" ] || "$before" prepare -q "$input" -o "$reference"
        cmp "$reference" "$work/out.tsv" || { echo "output differs from $before's" >&2; exit 1; }
    fi
    printf '%s\t%s\t%s\t2\t%s\t%.0f\t%s\t%s\t%s\n' "$tree" "$n" "$bytes" "$wall" "$(echo "$n / $wall" | bc -l)" \
        "$mib" "$cpu" "$load" | tee -a "$results"
    rm -f "$work/out.tsv"
}
measure "$work/calls-tenth.tsv" $((rows / 10))
measure "$calls" "$rows"
