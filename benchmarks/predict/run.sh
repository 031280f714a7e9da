#!/usr/bin/env bash
# predict benchmark: TensorFlow (tf_keras) vs fusionai on the full-size FusionAI network
# (2,672,002 parameters, seeded random weights), same machine, same inputs, same .h5 file, one run.
# Not run by CI. See README.md.
#
# Usage: nice -n 5 benchmarks/predict/run.sh
#   ROWS=64          sequences scored (real 10,000 + 10,000-nt windows from `fusionai prepare`)
#   BATCH=16         batch size, both tools
#   THREADS=2        fusionai --threads; TensorFlow intra-op threads (inter-op 1)
#   MEMORY_ROWS=0    >0: also run fusionai predict -g on that many STAR-Fusion calls (10000 takes minutes)
#   TF_PYTHON=...    python with tensorflow-cpu + tf_keras (default tools/.venv/bin/python)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work="$here/work"
# shellcheck source=../common.sh
. "$here/../common.sh"  # root, py and the set-up shared with the explain and train benchmarks
rows=${ROWS:-64}
batch=${BATCH:-16}
threads=${THREADS:-2}
memory_rows=${MEMORY_ROWS:-0}

[ "$rows" -ge "$batch" ] || { echo "ROWS ($rows) must be at least BATCH ($batch)" >&2; exit 1; }
bench_binary

# (a) The full-size model (made once into work/model/, shared with explain and train; see common.sh).
bench_model

# (b) Real-length inputs (not timed): windows of synthetic STAR-Fusion calls by fusionai prepare;
# the first ROWS rows and the first row alone.
bench_inputs "$rows" "$work/example"
sync

results="$here/results.tsv"
printf 'measurement\ttool\trows\tthreads\tbatch\tseconds\tseq_per_s\tpeak_MiB\tcpu_s\tload_1m\n' > "$results"
row() {  # measurement tool rows seconds peak cpu load
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$threads" "$batch" "$4" \
        "$(awk -v n="$3" -v s="$4" 'BEGIN { printf "%.2f", n / s }')" "$5" "$6" "$7" >> "$results"
}

# (c) TensorFlow: end to end (python start, imports, model load, encoding, warm-up, predict, write)
# and, inside it, the warm predict over all rows after one untimed warm-up batch.
tf_load=$(load1)
m=$(measure "$py" "$here/tf_predict.py" "$model" "$work/prepared.tsv" "$work/out.tf.tsv" "$work/tf_summary.json" \
    --batch "$batch" --threads "$threads" 2> "$work/tf_predict.log") || { cat "$work/tf_predict.log" >&2; exit 1; }
IFS=$'\t' read -r tf_s tf_mem tf_cpu <<< "$m"
tf_warm_s=$(j timed_predict_s)
tf_warm_cpu=$(j timed_cpu_s)
row end_to_end tensorflow "$rows" "$tf_s" "$tf_mem" "$tf_cpu" "$tf_load"
row warm_predict tensorflow "$rows" "$tf_warm_s" "$(j peak_rss_mib)" "$tf_warm_cpu" "$tf_load"

# (d) fusionai: end to end (process start, .h5 import, reading, encoding, predict, write), on all rows
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
row end_to_end fusionai "$rows" "$fa_s" "$fa_mem" "$fa_cpu" "$fa_load"
row end_to_end fusionai 1 "$fa1_s" "$fa1_mem" "$fa1_cpu" "$fa1_load"
fa_est_s=$(awk -v a="$fa_s" -v b="$fa1_s" 'BEGIN { printf "%.3f", a - b }')
fa_est_cpu=$(awk -v a="$fa_cpu" -v b="$fa1_cpu" 'BEGIN { printf "%.2f", a - b }')
row "excl_startup_est($rows-1)" fusionai "$((rows - 1))" "$fa_est_s" - "$fa_est_cpu" -

# (e) Agreement, row by row.
python3 "$here/compare.py" "$work/out.tf.tsv" "$work/out.fusionai.tsv" --header > "$here/agreement.tsv"

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
    row "memory_check(-g)" fusionai "$(($(wc -l < "$work/out.memory.tsv") - 1))" "$mem_s" "$mem_mem" "$mem_cpu" "$mem_load"
fi

# Table, ratios, configuration.
column -t -s $'\t' "$results"
echo
awk -F'\t' -v tf="$tf_s" -v fa="$fa_s" -v tfw="$tf_warm_s" -v fae="$fa_est_s" -v tfwc="$tf_warm_cpu" -v faec="$fa_est_cpu" -v rows="$rows" 'BEGIN {
    printf "speed ratio fusionai/TF, end to end (%d rows, both incl. start-up and model load): %.1fx\n", rows, tf / fa
    printf "speed ratio fusionai/TF, warm (fusionai excl. start-up, estimated; TF timed predict): %.1fx\n", \
        ((rows - 1) / fae) / (rows / tfw)
    printf "CPU-time ratio TF/fusionai per sequence, warm (TF timed predict; fusionai excl. start-up, estimated): %.1fx\n", \
        (tfwc / rows) / (faec / (rows - 1))
}'
echo
column -t -s $'\t' "$here/agreement.tsv"
echo
echo "TF: $(tf_setup), batch $(j batch); load $(j load_s) s, encode $(j encode_s) s, warm-up batch $(j warmup_batch_s) s (not timed)"
bench_fusionai_line
echo "model: $model ($(stat -c %s "$model") bytes); inputs: $rows rows of $work/prepared.tsv"
bench_machine_line
