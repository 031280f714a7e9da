# shellcheck shell=bash
# Set-up shared by the TensorFlow-vs-fusionai benchmarks (predict, explain, train). Each run.sh
# sources this after `set -euo pipefail`, with $work (its scratch folder) set; what a benchmark
# measures, its options and its tables stay in its own run.sh.
#
# Sets root (the repository), py (TF_PYTHON: a python with tensorflow-cpu, Keras 3, onnx and
# onnxruntime) and smoke (1 with SMOKE=1: a quick end-to-end check of the scripts on a few rows,
# whose tables go to work/smoke/, never over the committed ones).
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
py=${TF_PYTHON:-$root/tools/.venv/bin/python}
smoke=0
[ "${SMOKE:-0}" = 0 ] || smoke=1

# Sets out, where the tables go: the benchmark's folder (the committed results.tsv, agreement.tsv,
# sweep.tsv, environment.tsv) for a full run on the full-size model; work/smoke/ for SMOKE=1 or
# another MODEL.
bench_outdir() {
    out="$here"
    if [ "$smoke" = 1 ] || [ -n "${MODEL:-}" ]; then out="$work/smoke"; fi
    mkdir -p "$out"
}

# Checks $py, builds .build/release/fusionai only if it is missing, and runs a copy,
# $work/fusionai: the tree may be rebuilt while a benchmark runs, and every fusionai run must be
# the same binary. FUSIONAI=path copies that binary instead (e.g. .build/debug/fusionai for a
# smoke run). Sets bin, tree (HEAD) and dirty (uncommitted files under Sources/) at the copy.
bench_binary() {
    [ -x "$py" ] || { echo "needs $py: run tools/keras_reference/setup.sh, or set TF_PYTHON=/path/to/venv/bin/python" >&2; exit 1; }
    mkdir -p "$work"
    local src=${FUSIONAI:-$root/.build/release/fusionai}
    [ -n "${FUSIONAI:-}" ] || [ -x "$src" ] || (cd "$root" && swift build -c release --product fusionai >/dev/null)
    bin="$work/fusionai"
    cp -p "$src" "$bin"
    tree=$(git -C "$root" rev-parse --short HEAD)
    dirty=$(git -C "$root" status --porcelain -- Sources | wc -l)
}

# Sets model: MODEL if given as $1 (smoke tests), else the full-size network, which the three
# benchmarks share in benchmarks/predict/work/model/ and make once: make_fixtures.py builds it with
# seeded random weights, saves it as Keras-2 .h5 (tf_keras), Keras-3 .h5 and .keras, and checks
# every reload (~2 min on 1 core). Its outputs.json is written last, so its presence means the set
# is complete.
bench_model() {  # [MODEL]
    local dir="$root/benchmarks/predict/work/model"
    model=${1:-$dir/fusionai_full.keras2.h5}
    if [ -z "${1:-}" ] && [ ! -f "$dir/fusionai_full.outputs.json" ]; then
        echo "generating the full-size model into $dir (~2 min) ..." >&2
        mkdir -p "$dir"
        "$py" "$root/tools/keras_reference/make_fixtures.py" --full --out "$dir" 2> "$work/make_fixtures.log" \
            || { tail -20 "$work/make_fixtures.log" >&2; exit 1; }
    fi
}

# Real-length inputs (not timed): a synthetic genome + STAR-Fusion calls in EXAMPLE_DIR (made again
# only when the number of calls changes; a fifth of them are artefacts at random positions, all
# scored alike), 10,000 + 10,000-nt windows by fusionai prepare into $work/prepared-all.tsv; its
# first ROWS rows go to $work/prepared.tsv, its first row to $work/prepared-1.tsv (for runs whose
# 1-row time is subtracted).
bench_inputs() {  # ROWS EXAMPLE_DIR
    local n=$1 ex=$2 calls available
    calls=$(( n + n / 4 )); [ "$calls" -ge 80 ] || calls=80
    if [ ! -f "$ex/fusions.star-fusion.tsv" ] || [ "$(($(wc -l < "$ex/fusions.star-fusion.tsv") - 1))" -ne "$calls" ]; then
        rm -rf "$ex"
        "$bin" example -q -o "$ex" --calls "$calls"
    fi
    "$bin" prepare -q -g "$ex/genome.fa" "$ex/fusions.star-fusion.tsv" -o "$work/prepared-all.tsv"
    available=$(wc -l < "$work/prepared-all.tsv")
    [ "$available" -ge "$n" ] || { echo "only $available prepared rows, need $n" >&2; exit 1; }
    head -n "$n" "$work/prepared-all.tsv" > "$work/prepared.tsv"
    head -n 1 "$work/prepared-all.tsv" > "$work/prepared-1.tsv"
}

# -> "seconds<TAB>peak MiB<TAB>CPU seconds" of the command (getrusage of the child).
measure() { python3 "$root/benchmarks/measure.py" "$@"; }
# The 1-minute load average, taken just before a step: other work on the machine (the benchmark's
# own previous step included).
load1() { cut -d' ' -f1 /proc/loadavg; }

# FIELD of a summary JSON ("-" where absent; lists and objects as JSON): j reads the TensorFlow
# side's $work/tf_summary.json, js the file given.
js() {  # FILE FIELD
    python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); v=s.get(sys.argv[2], "-"); print(v if not isinstance(v, (list, dict)) else json.dumps(v))' "$1" "$2"
}
j() { js "$work/tf_summary.json" "$1"; }  # FIELD
# TensorFlow's set-up as every TensorFlow side records it (tf_common.common_fields).
tf_setup() {
    echo "TensorFlow $(j tensorflow) CPU, $(j keras), oneDNN $(j onednn), intra-op $(j intra_op_threads) / inter-op $(j inter_op_threads) threads"
}

# $out/environment.tsv: versions, thread settings, binary, machine (key<TAB>value), from the
# TensorFlow summary and the key/value pairs given.
bench_environment() {  # [KEY VALUE]...
    {
        printf 'key\tvalue\n'
        printf 'date\t%s\n' "$(date '+%F %T %z')"
        printf 'mode\t%s\n' "$([ "$smoke" = 1 ] && echo smoke || echo full)"
        printf 'tensorflow\t%s\n' "$(j tensorflow)"
        printf 'keras\t%s\n' "$(j keras)"
        printf 'numpy\t%s\n' "$(j numpy)"
        printf 'python\t%s\n' "$(j python)"
        printf 'tf_threads\tintra-op %s / inter-op %s, oneDNN %s\n' "$(j intra_op_threads)" "$(j inter_op_threads)" "$(j onednn)"
        printf 'fusionai\t%s, binary built %s, tree %s (%s uncommitted file(s) under Sources/)\n' \
            "$("$bin" --version)" "$(date -r "$bin" '+%F %T')" "$tree" "$dirty"
        printf 'model\t%s\n' "$model"
        printf 'machine\t%s cores, %s\n' "$(nproc)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
        printf 'load_at_end\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
        while [ $# -ge 2 ]; do printf '%s\t%s\n' "$1" "$2"; shift 2; done
    } > "$out/environment.tsv"
}

# Closing lines. The fusionai line names the binary and the tree it was copied from; with `dirty`,
# also how many files under Sources/ were uncommitted then.
bench_fusionai_line() {  # [dirty]
    local at=$tree
    [ "${1:-}" != dirty ] || at="$tree, $dirty uncommitted file(s) under Sources/"
    echo "fusionai: $("$bin" --version), binary built $(date -r "$bin" '+%F %T') (tree at $at when copied)"
}
bench_machine_line() {  # [MORE]: appended to the line
    echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load average at end: $(cut -d' ' -f1-3 /proc/loadavg)${1:-}"
}
