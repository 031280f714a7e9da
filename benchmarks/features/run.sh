#!/usr/bin/env bash
# features benchmark: `fusionai features` over 50,000 fusions against a feature set of 1.2 million
# intervals (three generated BED.gz tracks on the hg19 chromosome sizes), one run, time and peak
# memory. A plain-Python computation of the head/tail covered bases of the first 200 fusions checks
# the numbers. The original does this step in R over its own files; there is no like-for-like
# reference to time. All cores (the default) and 1 thread must give byte-identical tables. The
# same tracks, bgzip-compressed with tabix indexes (needs the tabix and bgzip tools), are then read
# again, for all the fusions and for the first 500 (one sample's worth), and must give a
# byte-identical coverage.tsv. Not run by CI.
# Usage: benchmarks/features/run.sh   (ROWS=50000 to change)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work="$here/work"
rows=${ROWS:-50000}
bin="$root/.build/release/fusionai"
mkdir -p "$work"
(cd "$root" && swift build -c release --product fusionai >/dev/null)

python3 - "$work" "$rows" <<'PY'
import gzip, random, sys
work, rows = sys.argv[1], int(sys.argv[2])
sizes = [249250621, 243199373, 198022430, 191154276, 180915260, 171115067, 159138663, 146364022, 141213431,
         135534747, 135006516, 133851895, 115169878, 107349540, 102531392, 90354753, 81195210, 78077248,
         59128983, 63025520, 48129895, 51304566]
rng = random.Random(7)
weights = [s / sum(sizes) for s in sizes]
for name, count, width in [("narrow", 600_000, 300), ("medium", 400_000, 2_000), ("broad", 200_000, 20_000)]:
    with gzip.open(f"{work}/{name}.bed.gz", "wt", compresslevel=1) as out:
        for c in sorted(rng.choices(range(22), weights, k=count)):
            start = rng.randrange(0, sizes[c] - width)
            out.write(f"chr{c + 1}\t{start}\t{start + rng.randint(width // 2, width)}\n")
with open(f"{work}/features.tsv", "w") as out:
    out.write("name\tcategory\tpath\n")
    for name, category in [("narrow", "peaks"), ("medium", "peaks"), ("broad", "domains")]:
        out.write(f"{name}\t{category}\t{work}/{name}.bed.gz\n")
with open(f"{work}/fusions.tsv", "w") as out:
    for i in range(rows):
        parts = []
        for side in "HT":
            c = rng.choices(range(22), weights)[0]
            parts += [f"G{side}{i}", f"chr{c + 1}", str(rng.randrange(1, sizes[c] + 1)), rng.choice("+-")]
        out.write("\t".join(parts) + "\n")
PY

/usr/bin/time -f '%e %M' -o "$work/time.txt" "$bin" features "$work/fusions.tsv" --features "$work/features.tsv" -o "$work/out" -q
cp "$work/time.txt" "$work/time.whole.txt"
intervals=$(for t in narrow medium broad; do zcat "$work/$t.bed.gz"; done | wc -l)

python3 - "$work" <<'PY'
import gzip, sys
work = sys.argv[1]
tracks = {}
for name in ["narrow", "medium", "broad"]:
    spans = {}
    for line in gzip.open(f"{work}/{name}.bed.gz", "rt"):
        c, s, e = line.split()[:3]
        spans.setdefault(c, []).append((int(s) + 1, int(e)))
    tracks[name] = spans
def covered(spans, lo, hi):
    bases = set()
    for s, e in spans:
        if s <= hi and e >= lo: bases.update(range(max(s, lo), min(e, hi) + 1))
    return len(bases)
got = {}
for line in open(f"{work}/out/coverage.tsv").readlines()[1:]:
    f = line.split("\t")
    got[(int(f[0]), f[2])] = (int(f[3]), int(f[4]))
for row, line in enumerate(open(f"{work}/fusions.tsv").readlines()[:200], 1):
    f = line.split("\t")
    for name, spans in tracks.items():
        want = tuple(covered(spans.get(f[1 + 4 * k], []), int(f[2 + 4 * k]) - 4999, int(f[2 + 4 * k]) + 5000) for k in (0, 1))
        assert got[(row, name)] == want, (row, name, got[(row, name)], want)
print("check: head/tail covered bases of the first 200 fusions x 3 tracks equal a plain-Python count")
PY

printf 'tool\ttracks\tfusions\tintervals\tseconds\tfusions_per_s\tpeak_MiB\n' > "$here/results.tsv"
record() {  # label tracks fusions
    read -r seconds kib < "$work/time.txt"
    printf '%s\t%s\t%s\t%s\t%s\t%.0f\t%.0f\n' "$1" "$2" "$3" "$intervals" "$seconds" "$(echo "$3 / $seconds" | bc -l)" "$(echo "$kib / 1024" | bc -l)" >> "$here/results.tsv"
}
cp "$work/time.whole.txt" "$work/time.txt"
record fusionai "read whole, $(nproc) threads" "$rows"
/usr/bin/time -f '%e %M' -o "$work/time.txt" "$bin" features "$work/fusions.tsv" --features "$work/features.tsv" -o "$work/out.1" -q --threads 1
record fusionai "read whole, 1 thread" "$rows"
cmp "$work/out/coverage.tsv" "$work/out.1/coverage.tsv"
cmp "$work/out/landscape.tsv" "$work/out.1/landscape.tsv"
echo "check: 1 thread and $(nproc) give byte-identical coverage.tsv and landscape.tsv"

if command -v tabix >/dev/null && command -v bgzip >/dev/null; then
    mkdir -p "$work/indexed"
    printf 'name\tcategory\tpath\n' > "$work/features.indexed.tsv"
    for t in narrow medium broad; do
        zcat "$work/$t.bed.gz" | sort -k1,1 -k2,2n | bgzip > "$work/indexed/$t.bed.gz"
        tabix -f -p bed "$work/indexed/$t.bed.gz"
        grep -P "^$t\t" "$work/features.tsv" | sed "s|$work/$t.bed.gz|$work/indexed/$t.bed.gz|" >> "$work/features.indexed.tsv"
    done
    # fusionai reads an indexed track by region only when the windows are few enough for that to
    # pay; the label says how many of the three tracks it read that way.
    indexed() {  # fusions-file output-folder
        /usr/bin/time -f '%e %M' -o "$work/time.txt" "$bin" features "$1" --features "$work/features.indexed.tsv" -o "$2" 2>"$work/stderr.txt"
        by=$(grep -o '[0-9]* read by region' "$work/stderr.txt" | cut -d' ' -f1)
        echo "tabix-indexed, ${by:-0} of 3 read by region"
    }
    label=$(indexed "$work/fusions.tsv" "$work/out.indexed")
    record fusionai "$label" "$rows"
    cmp "$work/out/coverage.tsv" "$work/out.indexed/coverage.tsv"
    head -500 "$work/fusions.tsv" > "$work/fusions.500.tsv"
    /usr/bin/time -f '%e %M' -o "$work/time.txt" "$bin" features "$work/fusions.500.tsv" --features "$work/features.tsv" -o "$work/out.500" -q
    record fusionai "read whole" 500
    label=$(indexed "$work/fusions.500.tsv" "$work/out.500.indexed")
    record fusionai "$label" 500
    cmp "$work/out.500/coverage.tsv" "$work/out.500.indexed/coverage.tsv"
    echo "check: indexed tracks give a byte-identical coverage.tsv (all rows, and the first 500)"
fi
cat "$here/results.tsv"
