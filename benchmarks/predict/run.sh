#!/usr/bin/env bash
# predict benchmark: fusionai against the strongest baselines found on this machine, same inputs,
# same Keras file (the full-size FusionAI network, 2,672,002 parameters, seeded random weights),
# one run: TensorFlow 2.21 + Keras 3 with the forward pass in a tf.function at its fastest batch
# size (swept) and default threading, and ONNX Runtime (CPU, 2 intra-op threads, its fastest graph
# and optimisation level, swept) on an ONNX graph built from the same weights and checked against
# Keras. Not run by CI. See README.md.
#
# Usage: nice -n 5 benchmarks/predict/run.sh          (~5 min on 2 cores; +3 min the first time for the model)
#        SMOKE=1 benchmarks/predict/run.sh            (~1.5-2 min: 4 rows, tables under work/smoke/)
#   ROWS=64              sequences scored in the timed runs (SMOKE: 4)
#   SWEEP_ROWS=32        sequences of each sweep trial (SMOKE: ROWS)
#   SWEEP_BATCHES=1,8,16,32  batch sizes tried for TensorFlow and ONNX Runtime
#   BATCH=16             fusionai --batch-size
#   THREADS=2            fusionai --threads; ONNX Runtime intra-op threads (inter-op 1)
#   TF_THREADS=0         TensorFlow intra-op threads; 0: TensorFlow's default (the configuration measured)
#   TOLERANCE=1e-5       largest |dp| allowed between any two tools (the run fails above it)
#   MEMORY_ROWS=0        >0: also run fusionai predict -g on that many STAR-Fusion calls (10000 takes minutes)
#   MODEL=...            another Keras file (tables then go to work/smoke/)
#   FUSIONAI=...         the fusionai binary to copy (default .build/release/fusionai)
#   TF_PYTHON=...        python with tensorflow-cpu, Keras 3, onnx, onnxruntime (default tools/.venv/bin/python)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work="$here/work"
# shellcheck source=../common.sh
. "$here/../common.sh"  # root, py, smoke and the set-up shared with the explain and train benchmarks
if [ "$smoke" = 1 ]; then rows=${ROWS:-4}; else rows=${ROWS:-64}; fi
sweep_rows=${SWEEP_ROWS:-$(( rows < 32 ? rows : 32 ))}
sweep_batches=${SWEEP_BATCHES:-1,8,16,32}
batch=${BATCH:-16}
threads=${THREADS:-2}
tf_threads=${TF_THREADS:-0}
tolerance=${TOLERANCE:-1e-5}
memory_rows=${MEMORY_ROWS:-0}
started=$(date +%s)

[ "$sweep_rows" -le "$rows" ] || { echo "SWEEP_ROWS ($sweep_rows) must be at most ROWS ($rows)" >&2; exit 1; }
bench_binary

# (a) The full-size model (made once into work/model/, shared with explain and train; see common.sh).
bench_model "${MODEL:-}"
bench_outdir

# (b) Real-length inputs (not timed): windows of synthetic STAR-Fusion calls by fusionai prepare;
# the first ROWS rows, the first SWEEP_ROWS rows and the first row alone.
bench_inputs "$rows" "$work/example"
head -n "$sweep_rows" "$work/prepared.tsv" > "$work/prepared-sweep.tsv"
rm -rf "$work/onnx" "$work/sweep"
mkdir -p "$work/sweep"
sync

results="$out/results.tsv"
printf 'measurement\ttool\trows\tthreads\tbatch\tseconds\tseq_per_s\tpeak_MiB\tcpu_s\tload_1m\n' > "$results"
row() {  # measurement tool rows threads batch seconds peak cpu load
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" \
        "$(awk -v n="$3" -v s="$6" 'BEGIN { if (s > 0) printf "%.2f", n / s; else printf "-" }')" "$7" "$8" "$9" >> "$results"
}
py_step() {  # LOG SCRIPT ARGS... -> measure output; fails with the log's tail
    local log=$1 m; shift
    if ! m=$(measure "$py" "$@" 2> "$log"); then
        echo "$(basename "$1") failed:" >&2; tail -30 "$log" >&2; exit 1
    fi
    echo "$m"
}
tf_threads_label=$([ "$tf_threads" = 0 ] && echo default || echo "$tf_threads")

# (c) TensorFlow sweep (one process, SWEEP_ROWS rows): batch sizes SWEEP_BATCHES with the forward
# pass in a tf.function, then XLA (jit_compile) at the fastest, kept only if faster and within
# TOLERANCE. Its timings are the sweep table, not the headline.
py_step "$work/tf_sweep.log" "$here/tf_predict.py" "$model" "$work/prepared-sweep.tsv" "$work/sweep/out.tf.tsv" \
    "$work/sweep/tf_summary.json" --sweep-batches "$sweep_batches" --sweep-rows "$sweep_rows" \
    --threads "$tf_threads" --tolerance "$tolerance" --sweep-only > /dev/null
tf_batch=$(js "$work/sweep/tf_summary.json" batch)
tf_jit=$(js "$work/sweep/tf_summary.json" jit_compile)
tf_jit_flag=$([ "$tf_jit" = True ] && echo on || echo off)

# (d) TensorFlow, the chosen configuration, a fresh process: end to end (python start, imports,
# model load, encoding, warm-up, forward, write) and, inside it, the warm forward over all rows
# after an untimed warm-up of each batch shape.
tf_load=$(load1)
m=$(py_step "$work/tf_predict.log" "$here/tf_predict.py" "$model" "$work/prepared.tsv" "$work/out.tf.tsv" \
    "$work/tf_summary.json" --batch "$tf_batch" --jit "$tf_jit_flag" --threads "$tf_threads")
IFS=$'\t' read -r tf_s tf_mem tf_cpu <<< "$m"
tf_warm_s=$(j timed_predict_s)
tf_warm_cpu=$(j timed_cpu_s)
row end_to_end tensorflow "$rows" "$tf_threads_label" "$tf_batch" "$tf_s" "$tf_mem" "$tf_cpu" "$tf_load"
row warm_predict tensorflow "$rows" "$tf_threads_label" "$tf_batch" "$tf_warm_s" "$(j peak_rss_mib)" "$tf_warm_cpu" "$tf_load"

# (e) ONNX graphs from the same weights (onnx.helper; not timed), checked against Keras on the first
# rows within TOLERANCE (onnx_model.py fails otherwise). Then the ONNX Runtime sweep (graph x
# optimisation level, then batch sizes) and the chosen configuration in a fresh process, whose
# outputs must be within TOLERANCE of TensorFlow's.
py_step "$work/onnx_model.log" "$here/onnx_model.py" "$model" "$work/prepared.tsv" "$work/onnx" \
    --check-rows "$(( rows < 4 ? rows : 4 ))" --tolerance "$tolerance" > /dev/null
graphs=("$work"/onnx/model.*.onnx)
py_step "$work/ort_sweep.log" "$here/ort_predict.py" "$work/prepared-sweep.tsv" "$work/sweep/out.ort.tsv" \
    "$work/sweep/ort_summary.json" "${graphs[@]}" --threads "$threads" --sweep-batches "$sweep_batches" \
    --sweep-rows "$sweep_rows" --probe-rows "$(( sweep_rows < 8 ? sweep_rows : 8 ))" --sweep-only > /dev/null
ort_graph=$(js "$work/sweep/ort_summary.json" graph)
ort_level=$(js "$work/sweep/ort_summary.json" graph_optimization_level)
ort_batch=$(js "$work/sweep/ort_summary.json" batch)
ort_load=$(load1)
m=$(py_step "$work/ort_predict.log" "$here/ort_predict.py" "$work/prepared.tsv" "$work/out.ort.tsv" \
    "$work/ort_summary.json" "$work/onnx/$ort_graph" --threads "$threads" --level "$ort_level" --batch "$ort_batch" \
    --reference "$work/out.tf.npy" --tolerance "$tolerance")
IFS=$'\t' read -r ort_s ort_mem ort_cpu <<< "$m"
ort_warm_s=$(js "$work/ort_summary.json" timed_predict_s)
row end_to_end onnxruntime "$rows" "$threads" "$ort_batch" "$ort_s" "$ort_mem" "$ort_cpu" "$ort_load"
row warm_predict onnxruntime "$rows" "$threads" "$ort_batch" "$ort_warm_s" "$(js "$work/ort_summary.json" peak_rss_mib)" \
    "$(js "$work/ort_summary.json" timed_cpu_s)" "$ort_load"

# (f) fusionai: end to end (process start, .h5 import, reading, encoding, predict, write), on all rows
# and on one row; their difference estimates fusionai's time without start-up and model load.
fa_load=$(load1)
if ! m=$(measure "$bin" predict -q -m "$model" "$work/prepared.tsv" -o "$work/out.fusionai.tsv" \
        --threads "$threads" --batch-size "$batch" 2> "$work/fusionai_predict.log"); then
    echo "fusionai predict failed:" >&2; cat "$work/fusionai_predict.log" >&2; exit 1
fi
IFS=$'\t' read -r fa_s fa_mem fa_cpu <<< "$m"
fa1_load=$(load1)
m=$(measure "$bin" predict -q -m "$model" "$work/prepared-1.tsv" -o "$work/out.fusionai-1.tsv" \
    --threads "$threads" --batch-size "$batch" 2>> "$work/fusionai_predict.log")
IFS=$'\t' read -r fa1_s fa1_mem fa1_cpu <<< "$m"
row end_to_end fusionai "$rows" "$threads" "$batch" "$fa_s" "$fa_mem" "$fa_cpu" "$fa_load"
row end_to_end fusionai 1 "$threads" "$batch" "$fa1_s" "$fa1_mem" "$fa1_cpu" "$fa1_load"
fa_est_s=$(awk -v a="$fa_s" -v b="$fa1_s" 'BEGIN { printf "%.3f", a - b }')
fa_est_cpu=$(awk -v a="$fa_cpu" -v b="$fa1_cpu" 'BEGIN { printf "%.2f", a - b }')
row "excl_startup_est($rows-1)" fusionai "$((rows - 1))" "$threads" "$batch" "$fa_est_s" - "$fa_est_cpu" -

# (g) Optional: memory on many rows, windows built on the fly from the genome (not stored).
if [ "$memory_rows" -gt 0 ]; then
    mem="$work/memory"
    if [ ! -f "$mem/fusions.star-fusion.tsv" ] || [ "$(($(wc -l < "$mem/fusions.star-fusion.tsv") - 1))" -ne "$memory_rows" ]; then
        rm -rf "$mem"
        "$bin" example -q -o "$mem" --calls "$memory_rows"
    fi
    mem_load=$(load1)
    m=$(measure "$bin" predict -q -m "$model" -g "$mem/genome.fa" "$mem/fusions.star-fusion.tsv" \
        -o "$work/out.memory.tsv" --threads "$threads" --batch-size "$batch" 2>> "$work/fusionai_predict.log")
    IFS=$'\t' read -r mem_s mem_mem mem_cpu <<< "$m"
    row "memory_check(-g)" fusionai "$(($(wc -l < "$work/out.memory.tsv") - 1))" "$threads" "$batch" "$mem_s" "$mem_mem" "$mem_cpu" "$mem_load"
fi

# (h) Agreement, row by row, each pair of tools; the run fails if any differs by more than TOLERANCE.
agreement="$out/agreement.tsv"
header=$(python3 "$here/compare.py" "$work/out.tf.tsv" "$work/out.fusionai.tsv" --header)
{
    printf 'pair\t%s\n' "${header%%$'\n'*}"
    printf 'fusionai_vs_tensorflow\t'; python3 "$here/compare.py" "$work/out.tf.tsv" "$work/out.fusionai.tsv"
    printf 'onnxruntime_vs_tensorflow\t'; python3 "$here/compare.py" "$work/out.tf.tsv" "$work/out.ort.tsv"
    printf 'fusionai_vs_onnxruntime\t'; python3 "$here/compare.py" "$work/out.ort.tsv" "$work/out.fusionai.tsv"
} > "$agreement"

# (i) The sweeps, one line per trial.
"$py" - "$work/sweep/tf_summary.json" "$work/sweep/ort_summary.json" > "$out/sweep.tsv" <<'PYEOF'
import json, sys
tf, ort = (json.load(open(p)) for p in sys.argv[1:])
print("tool\tconfiguration\tbatch\trows\tseconds\tseq_per_s\tcpu_s\tnote")
for r in tf["sweep"]:
    note = "chosen" if r["batch"] == tf["batch"] and r["jit"] == tf["jit_compile"] else ""
    if "error" in r:
        print(f"tensorflow\ttf.function jit_compile=True\t{r['batch']}\t-\t-\t-\t-\tfailed: {r['error'][:120]}")
        continue
    if "max_abs_diff_vs_no_jit" in r:
        note = (note + "; " if note else "") + f"max |dp| vs no XLA {r['max_abs_diff_vs_no_jit']:.2g}"
    print(f"tensorflow\ttf.function jit_compile={r['jit']}\t{r['batch']}\t{r['rows']}\t{r['seconds']}\t{r['seq_per_s']}\t{r['cpu_s']}\t{note}")
rows = max(r["rows"] for r in ort["sweep"])
for r in ort["sweep"]:
    config = f"{r['graph']} opt={r['level']}"
    if "skipped" in r:
        print(f"onnxruntime\t{config}\t{r['batch']}\t-\t-\t-\t-\tskipped: {r['skipped']}")
        continue
    chosen = (r["graph"], r["level"], r["batch"], r["rows"]) == (ort["graph"], ort["graph_optimization_level"], ort["batch"], rows)
    print(f"onnxruntime\t{config}\t{r['batch']}\t{r['rows']}\t{r['seconds']}\t{r['seq_per_s']}\t{r['cpu_s']}\t{'chosen' if chosen else ''}")
PYEOF

onnx_check=$("$py" - "$work/onnx/onnx_check.json" <<'PYEOF'
import json, sys
r = json.load(open(sys.argv[1]))
print("; ".join(f"{k}: max |ORT - Keras| {v['max_abs_diff_vs_keras']:.2g} on {r['check_rows']} rows"
                if isinstance(v, dict) else f"{k}: {v}" for k, v in r["graphs"].items()))
PYEOF
)
bench_environment \
    onnxruntime "$(js "$work/ort_summary.json" onnxruntime)" \
    onnx "$(js "$work/ort_summary.json" onnx)" \
    tf_configuration "Keras 3 load_model, tf.function(model(x, training=False)), batch $tf_batch, jit_compile $tf_jit" \
    ort_configuration "$ort_graph, graph optimisation $ort_level, batch $ort_batch, intra-op $threads / inter-op 1, sequential, CPUExecutionProvider" \
    fusionai_configuration "predict --threads $threads --batch-size $batch, whole process" \
    onnx_check "$onnx_check" \
    rows "$rows" \
    sweep_rows "$sweep_rows"

# Table, ratios, configuration.
column -t -s $'\t' "$results"
echo
awk -v tf="$tf_warm_s" -v ort="$ort_warm_s" -v fa="$fa_s" -v fae="$fa_est_s" -v rows="$rows" 'BEGIN {
    printf "forward seq/s: TensorFlow %.2f (warm), ONNX Runtime %.2f (warm), fusionai %.2f (whole process) / %.2f (excl. start-up, est.)\n", \
        rows / tf, rows / ort, rows / fa, (rows - 1) / fae
    printf "ratio fusionai (whole process) / TensorFlow (warm): %.1fx;  / ONNX Runtime (warm): %.1fx\n", \
        (rows / fa) / (rows / tf), (rows / fa) / (rows / ort)
    printf "ratio fusionai (excl. start-up, est.) / TensorFlow (warm): %.1fx;  / ONNX Runtime (warm): %.1fx\n", \
        ((rows - 1) / fae) / (rows / tf), ((rows - 1) / fae) / (rows / ort)
}'
echo
column -t -s $'\t' "$out/sweep.tsv"
echo
column -t -s $'\t' "$agreement"
echo
column -t -s $'\t' "$out/environment.tsv"
echo "tables in $out; run took $(( $(date +%s) - started )) s"
bad=$(awk -F'\t' -v tol="$tolerance" 'NR > 1 && $5 + 0 > tol + 0 { print $1 }' "$agreement")
[ -z "$bad" ] || { echo "FAIL: max |dp| above $tolerance for: $bad" >&2; exit 1; }
