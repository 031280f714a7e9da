#!/usr/bin/env bash
# prepare benchmark: fusionai vs a Python/pyfaidx implementation of the same rule, same machine,
# same inputs, one run. A generated 220-Mb genome (4 x 55 Mb) and 50,000 STAR-Fusion calls;
# plain and bgzip FASTA; a 10,000-row run shows whether memory depends on the row count.
# Not run by CI. Usage: benchmarks/prepare/run.sh   (ROWS=50000 THREADS=2 to change)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work="$here/work"
rows=${ROWS:-50000}
threads=${THREADS:-2}
bin="$root/.build/release/fusionai"
mkdir -p "$work"

(cd "$root" && swift build -c release --product fusionai >/dev/null)
command -v bgzip >/dev/null || { apt-get install -y -qq tabix >/dev/null || { echo "needs bgzip (Debian: tabix)" >&2; exit 1; }; }
if [ ! -x "$here/.venv/bin/python" ]; then
    python3 -m venv "$here/.venv"
    "$here/.venv/bin/pip" install -q pyfaidx
fi

if [ ! -f "$work/genome.fa" ] || [ "$(($(wc -l < "$work/fusions.star-fusion.tsv") - 1))" -ne "$rows" ]; then
    rm -f "$work"/genome.fa*
    "$bin" example -q -o "$work" --chromosomes 4 --length 55000000 --genes-per-chromosome 1000 --calls "$rows"
fi
[ -f "$work/genome.fa.gz" ] || bgzip -@ "$threads" -c "$work/genome.fa" > "$work/genome.fa.gz"
head -n 10001 "$work/fusions.star-fusion.tsv" > "$work/calls-10k.tsv"
# Build both indexes outside the timings (a one-off cost, like samtools faidx).
head -n 2 "$work/fusions.star-fusion.tsv" > "$work/one.tsv"
for g in genome.fa genome.fa.gz; do "$bin" prepare -q -g "$work/$g" "$work/one.tsv" -o "$work/one.out.tsv"; done
"$here/.venv/bin/python" -c "from pyfaidx import Fasta; Fasta('$work/genome.fa')"
sync

genome_mb=$(( $(stat -c %s "$work/genome.fa") / 1000000 ))
results="$here/results.tsv"
printf 'tool\tgenome\trows\tthreads\tseconds\trows_per_s\tpeak_MiB\n' > "$results"
# Each run writes ~1 GB: its output is checksummed, deleted and flushed before the next run, so
# no run pays for an earlier one's disk writeback.
measure() {  # label genome rows threads output command...
    local label=$1 genome=$2 n=$3 t=$4 out=$5; shift 5
    sync
    local m s mem cpu; m=$(python3 "$here/../measure.py" "$@")
    IFS=$'\t' read -r s mem cpu <<< "$m"
    printf '%s\t%s\t%s\t%s\t%s\t%.0f\t%s\n' "$label" "$genome" "$n" "$t" "$s" "$(echo "$n / $s" | bc -l)" "$mem" | tee -a "$results"
    sha256sum < "$out" | cut -c1-64 > "$out.sha256"
    rm -f "$out"
}
o="$work/out"
measure fusionai plain "$rows" "$threads" "$o.fusionai.tsv" "$bin" prepare -q --threads "$threads" -g "$work/genome.fa" "$work/fusions.star-fusion.tsv" -o "$o.fusionai.tsv"
measure fusionai plain "$rows" 1 "$o.fusionai-1.tsv" "$bin" prepare -q --threads 1 -g "$work/genome.fa" "$work/fusions.star-fusion.tsv" -o "$o.fusionai-1.tsv"
measure fusionai bgzip "$rows" "$threads" "$o.fusionai-gz.tsv" "$bin" prepare -q --threads "$threads" -g "$work/genome.fa.gz" "$work/fusions.star-fusion.tsv" -o "$o.fusionai-gz.tsv"
measure fusionai plain 10000 "$threads" "$o.fusionai-10k.tsv" "$bin" prepare -q --threads "$threads" -g "$work/genome.fa" "$work/calls-10k.tsv" -o "$o.fusionai-10k.tsv"
measure python-pyfaidx plain "$rows" 1 "$o.reference.tsv" "$here/.venv/bin/python" "$here/reference_prepare.py" "$work/genome.fa" "$work/fusions.star-fusion.tsv" "$o.reference.tsv"

# Same rule, two implementations: the outputs must be identical.
for out in fusionai-1 fusionai-gz reference; do cmp "$o.fusionai.tsv.sha256" "$o.$out.tsv.sha256"; done
echo "outputs identical (sha256): fusionai (plain, bgzip, 1 and $threads threads) and the Python reference"
echo "genome: ${genome_mb} Mb; machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
rm -f "$o".*
