#!/usr/bin/env bash
# Coverage-guided fuzzing of every reader of outside input (fuzz/: caller files, FASTA/2bit, GTF,
# BED/tabix, model files, MEME motif files, the project's own tables and checkpoints) with libFuzzer and
# AddressSanitizer. Builds the harnesses (FUSIONAI_FUZZ=1, in .build/fuzz), seeds each corpus from
# ../shared/data and Tests/Fixtures, replays fuzz/regressions/<harness>/ (inputs that once crashed),
# then fuzzes each harness for SECONDS, growing the corpus in .build/fuzz/corpus across runs. A
# crash, leak, timeout or out-of-memory input is saved to fuzz/findings/<harness>/ and the script
# exits 1. One line per harness: executions, coverage.
#
# --smoke RUNS (make test): each harness runs RUNS inputs from the seeds alone with a fixed seed, so
# the check is the same on every machine and run; a regression in a reader fails it, a new finding
# that chance might bring does not make CI flaky.
#
# Each run but a smoke run appends a row to fuzz/campaigns.tsv (date, commit, the line printed, and
# $FUZZ_NOTE); scripts/fuzz-total.sh sums executions per harness from it. FUZZ_INSTANCE=N runs
# another process of a harness beside one already running (its own log, the same corpus).
#
# Usage: scripts/fuzz.sh [SECONDS] [HARNESS ...]      (make fuzz: 300 s each)
#        scripts/fuzz.sh --smoke RUNS [HARNESS ...]   (make test: 300 inputs each)
set -euo pipefail
# One brace group, read whole before it runs: bash reads a script as it goes, so editing this file
# during a long run made the run execute shifted text when its loop ended (a row written twice).
{
cd "$(dirname "$0")/.."
smoke=0
if [ "${1:-}" = --smoke ]; then
    smoke=1
    runs=${2:?--smoke needs a number of inputs}
    shift 2
    seconds=120
else
    seconds=${1:-300}
    shift || true
fi
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(fusions genome gtf bed model results motifs)
data=${FUSIONAI_TEST_DATA:-../shared/data}
build=.build/fuzz
swift=${SWIFT:-swift}

echo "fuzz: building ${harnesses[*]} with -sanitize=fuzzer,address" >&2
mkdir -p "$build"
# lld: gold stops with an internal error on the sanitizer runtime's debug information.
for h in "${harnesses[@]}"; do
    if ! FUSIONAI_FUZZ=1 "$swift" build -c release --build-path "$build" --product "fuzz-$h" \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld >"$build/build-$h.log" 2>&1; then
        grep -E "error" "$build/build-$h.log" | grep -v "Cannot export" | head -20 >&2
        echo "fuzz: fuzz-$h did not build (log: $build/build-$h.log)" >&2
        exit 1
    fi
done

# A seed file: the choice byte the harness reads first, then a file's first 64 kB.
seed() { # harness choice-byte file
    local dir=$corpus/$1
    mkdir -p "$dir"
    { printf "\\x$(printf %02x "$2")"; head -c 65536 "$3"; } >"$dir/seed-$2-$(basename "$3")"
}
corpus=$build/corpus
# A smoke run starts from the seeds alone, every time.
[ "$smoke" = 0 ] || { corpus=$build/smoke-corpus; rm -rf "$corpus"; }
mkdir -p "$corpus"
for f in "$data"/fusions/callers/* "$data"/fusions/more-callers/* Tests/Fixtures/callers/* "$data"/fusions/*.tsv; do
    [ -f "$f" ] && seed fusions 0 "$f"
done
seed genome 0 "$data/genome/chrM_rCRS.fa"
head -c 3000 "$data/genome/minichr2_hg19.fa" >"$build/mini.fa" && seed genome 0 "$build/mini.fa"
bgzip -c "$build/mini.fa" >"$build/mini.fa.gz" 2>/dev/null && seed genome 1 "$build/mini.fa.gz" || true
head -60 "$data/annotation/minichr2.gencode_v19.hg19.gtf" >"$build/mini.gtf" && seed gtf 0 "$build/mini.gtf"
zcat "$data/features/ENCODE_blacklist_v2.hg19.bed.gz" | head -200 >"$build/mini.bed" && seed bed 0 "$build/mini.bed"
seed bed 1 "$data/features/ENCODE_blacklist_v2.hg19.bed.gz"
for f in Tests/Fixtures/keras/*.h5; do seed model 0 "$f"; done
for f in Tests/Fixtures/keras/*.keras; do seed model 1 "$f"; done
printf 'Hgene\tHchr\tHbp\tHstrand\tTgene\tTchr\tTbp\tTstrand\tfusion_negative_prob\tfusion_positive_prob\tcall\n'\
'A\tchr1\t100\t+\tB\tchr2\t200\t-\t0.25\t0.75\tpositive\n' >"$build/predictions.tsv"
seed results 0 "$build/predictions.tsv"
printf 'index\tpart\twindow_position\tchrom\tposition\tbase\tfis\n1\thead\t1\tchr1\t95\tA\t0.5\n'\
'2\thead\t2\tchr1\t96\tC\t-0.25\n' >"$build/x.fis.tsv"
seed results 1 "$build/x.fis.tsv"
printf '{"rows":1,"bytes":4,"signature":{"run":"s"}}' >"$build/checkpoint.json"
seed results 3 "$build/checkpoint.json"
# MEME: the first motifs of JASPAR's file (its 64-kB head cuts a motif short), plain and gzip.
awk '/^MOTIF/ { n++ } n <= 3' "$data/motifs/JASPAR2024_CORE_vertebrates.meme" >"$build/mini.meme"
seed motifs 0 "$build/mini.meme"
gzip -c "$build/mini.meme" >"$build/mini.meme.gz" && seed motifs 1 "$build/mini.meme.gz"

# The commit fuzzed; "+" marks a working tree with changes to what was built.
commit=$(git rev-parse --short HEAD 2>/dev/null || echo -)
[ -z "$(git status --porcelain -- Sources fuzz/*/main.swift fuzz/FuzzSupport Package.swift 2>/dev/null)" ] ||
    commit=$commit+
FUZZ_NOTE=${FUZZ_NOTE:-}
status=0
printf 'harness\tseconds\texecutions\texec_per_s\tcoverage\tfeatures\tcorpus\tfindings\n'
for h in "${harnesses[@]}"; do
    findings=fuzz/findings/$h
    # A smoke run's findings go apart, so a long run's earlier ones do not fail it (nor get mixed in).
    [ "$smoke" = 0 ] || { findings=$build/smoke-findings/$h; rm -rf "$findings"; }
    mkdir -p "$findings" "$corpus/$h"
    # FUZZ_INSTANCE=N: a second process of the same harness beside the first (libFuzzer shares the
    # corpus folder between them), with its own log so neither reads the other's counts.
    log=$build/$h${FUZZ_INSTANCE:+.$FUZZ_INSTANCE}.log
    if [ -d "fuzz/regressions/$h" ] && [ -n "$(ls -A "fuzz/regressions/$h")" ]; then
        ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 "$build/release/fuzz-$h" -rss_limit_mb=2048 \
            -timeout=20 fuzz/regressions/$h/* >"$log" 2>&1 || {
            echo "fuzz: fuzz-$h crashes again on a regression input:" >&2; tail -30 "$log" >&2; status=1; continue
        }
    fi
    set +e
    started=$SECONDS
    started_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    # allocator_may_return_null: a huge malloc fails as it does outside AddressSanitizer (libhdf5 asks
    # for one on some damaged files and reports the file unreadable when it fails), instead of aborting.
    # Slow units are reported at the timeout: under AddressSanitizer and coverage a unit runs 10-20x
    # slower than in a release build (a 0.5-s motif comparison took 17 s on a loaded machine), and
    # libFuzzer's 10-s default filed such inputs as findings. A unit past -timeout is still one.
    limits=(-max_total_time="$seconds" -report_slow_units=20)
    [ "$smoke" = 0 ] || limits=(-runs="$runs" -seed=1 -max_total_time="$seconds")
    ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 "$build/release/fuzz-$h" "$corpus/$h" "${limits[@]}" -max_len=65536 \
        -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 -artifact_prefix="$findings/" >"$log" 2>&1
    rc=$?
    elapsed=$((SECONDS - started))
    set -e
    executed=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
    ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
    found=$(find "$findings" -type f | wc -l)
    row=$(printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s' "$h" "$elapsed" "$executed" \
        "$((executed / (elapsed > 0 ? elapsed : 1)))" "$cov" "$ft" "$(ls "$corpus/$h" | wc -l)" "$found")
    echo "$row"
    # Every run but a smoke run is recorded, so executions add up across sessions (scripts/fuzz-total.sh).
    [ "$smoke" = 1 ] || printf '%s\t%s\t%s\t%s\n' "$started_at" "$commit" "$row" "$FUZZ_NOTE" >>fuzz/campaigns.tsv
    if [ $rc -ne 0 ] || [ "$found" -gt 0 ]; then
        echo "fuzz: fuzz-$h found a problem (exit $rc); inputs in $findings, log $log:" >&2
        grep -E "ERROR|SUMMARY|==[0-9]+==" "$log" | head -10 >&2
        status=1
    fi
done
exit $status
}
