#!/usr/bin/env bash
# cohort benchmark: `fusionai cohort` and the Snakemake workflow on a generated cohort of SAMPLES
# samples x CALLS STAR-Fusion calls (+ an Arriba file for every fourth sample) from the example genome,
# with realistic recurrence (make-cohort.py), on THREADS cores. Measures wall time, CPU time and peak
# memory of a cold run (empty score cache), a warm rerun (every pair cached), and the workflow with
# --cores THREADS (its own empty cache), whose cohort.tsv must be fusionai cohort's byte for byte.
# Writes results.tsv beside this script. Not run by CI. See README.md.
#
# Usage: nice -n 5 benchmarks/cohort/run.sh      (~10-15 min on 2 cores)
#   SAMPLES=1000 CALLS=200 THREADS=2 CHUNK_SIZE=2000 POOL=80000
#   FUSIONAI=...   the fusionai binary to copy (default .build/release/fusionai, built if missing)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work="$here/work"
samples=${SAMPLES:-1000}
calls=${CALLS:-200}
threads=${THREADS:-2}
chunk=${CHUNK_SIZE:-2000}
pool=${POOL:-80000}
mkdir -p "$work"

src=${FUSIONAI:-$root/.build/release/fusionai}
[ -n "${FUSIONAI:-}" ] || [ -x "$src" ] || (cd "$root" && swift build -c release --product fusionai >/dev/null)
bin="$work/fusionai"
cp -p "$src" "$bin"
"$root/scripts/python-tools.sh"
snakemake="$root/.venv/bin/snakemake"
measure() { python3 "$root/benchmarks/measure.py" "$@"; }

# Inputs (not timed): the example genome and a pool of calls, the demo network's architecture with
# random weights (speed does not depend on the weights), and the cohort.
if [ ! -f "$work/ex/.calls-$pool" ]; then
    rm -rf "$work/ex"
    "$bin" example -q -o "$work/ex" --calls "$pool" --artefact-fraction 0.9 --length 1000000 \
        --genes-per-chromosome 20
    touch "$work/ex/.calls-$pool"
fi
"$bin" init-model -o "$work/model.safetensors" --input-length 1000 --first-filters 16 --second-filters 8 \
    >/dev/null 2>&1
cohort="$work/cohort-$samples-$calls"
[ -f "$cohort/samples.tsv" ] || python3 "$here/make-cohort.py" "$work/ex/fusions.star-fusion.tsv" "$cohort" \
    --samples "$samples" --calls "$calls"

run_cohort() {  # OUT CACHE LOG
    measure "$bin" cohort --samples "$cohort/samples.tsv" -g "$work/ex/genome.fa" -m "$work/model.safetensors" \
        --chunk-size "$chunk" --threads "$threads" --cache "$2" -o "$1" 2> "$3"
}
count() {  # LOG: unique pairs, scored, cached
    grep -o '[0-9]* unique pair(s): [0-9]* scored by the model, [0-9]* from the score cache' "$1" \
        | awk '{print $1 "\t" $4 "\t" $9}'
}
load() { cut -d' ' -f1 /proc/loadavg; }

rm -rf "$work/direct" "$work/cache-direct" "$work/smk" "$work/cache-smk" "$work/stages"
cold=$(run_cohort "$work/direct" "$work/cache-direct" "$work/cold.log"); cold_load=$(load)
warm=$(run_cohort "$work/direct" "$work/cache-direct" "$work/warm.log"); warm_load=$(load)
cat > "$work/smk.yaml" <<YAML
samples: $cohort/samples.tsv
genome: $work/ex/genome.fa
model: $work/model.safetensors
outdir: $work/smk
chunk_size: $chunk
score_threads: $threads
cache: $work/cache-smk
fusionai: $bin
YAML
smk=$( cd "$work" && measure "$snakemake" -s "$root/workflow/Snakefile" --configfile "$work/smk.yaml" \
    --cores "$threads" --quiet all 2> "$work/smk.log" ); smk_load=$(load)
cmp "$work/direct/cohort.tsv" "$work/smk/cohort.tsv" || { echo "the workflow's cohort.tsv differs" >&2; exit 1; }
total_calls=$(($(wc -l < "$work/direct/calls.tsv") - 1))

# The stages alone, as the workflow runs them (on the cold run's files; scoring a chunk whose pairs are
# all cached): what a projection to a larger cohort scales.
first=$(sed -n 2p "$cohort/samples.tsv" | cut -f1)
stage_sample=$(measure "$bin" cohort sample -q --samples "$cohort/samples.tsv" --sample "$first" -o "$work/stages")
stage_pairs=$(measure "$bin" cohort pairs -q --samples "$cohort/samples.tsv" --chunk-size "$chunk" -o "$work/direct")
stage_score=$(measure "$bin" cohort score -q --chunk chunk-1 -g "$work/ex/genome.fa" -m "$work/model.safetensors" \
    --cache "$work/cache-direct" --threads "$threads" -o "$work/direct" 2>/dev/null)
stage_merge=$(measure "$bin" cohort merge -q --samples "$cohort/samples.tsv" --explain-max 0 -o "$work/direct")

{
    printf 'measurement\tsamples\tcalls\tunique_pairs\tscored\tcached\tthreads\tseconds\tpeak_MiB\tcpu_s\tload_1m\n'
    printf 'fusionai_cohort_cold\t%s\t%s\t%s\t%s\t%s\t%s\n' "$samples" "$total_calls" "$(count "$work/cold.log")" \
        "$threads" "$cold" "$cold_load"
    printf 'fusionai_cohort_warm\t%s\t%s\t%s\t%s\t%s\t%s\n' "$samples" "$total_calls" "$(count "$work/warm.log")" \
        "$threads" "$warm" "$warm_load"
    pairs=$(count "$work/cold.log" | cut -f1)
    printf 'snakemake_cores_%s_cold\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$threads" "$samples" "$total_calls" "$pairs" \
        "$pairs" 0 "$threads" "$smk" "$smk_load"
    printf 'stage_sample_one\t1\t%s\t-\t-\t-\t1\t%s\t%s\n' "$calls" "$stage_sample" "$(load)"
    printf 'stage_pairs\t%s\t%s\t%s\t-\t-\t1\t%s\t%s\n' "$samples" "$total_calls" "$pairs" "$stage_pairs" "$(load)"
    printf 'stage_score_chunk_cached\t-\t-\t%s\t0\t%s\t%s\t%s\t%s\n' "$chunk" "$chunk" "$threads" "$stage_score" \
        "$(load)"
    printf 'stage_merge_no_explain\t%s\t%s\t%s\t-\t-\t1\t%s\t%s\n' "$samples" "$total_calls" "$pairs" \
        "$stage_merge" "$(load)"
} > "$here/results.tsv"
column -t -s $'\t' "$here/results.tsv"
