#!/usr/bin/env bash
# train benchmark: `fusionai train` against TensorFlow 2.21 + Keras 3 with the whole training step
# in a tf.function (GradientTape, categorical cross-entropy, Adadelta lr 1.0, rho 0.95, eps 1e-7 as
# in the paper) and default threading, on the full-size FusionAI network (2,672,002 parameters,
# seeded random weights), same machine, same sequences, same .h5 file, same batch size (16), one
# run: one epoch over the same ROWS sequences (s/sample, with and without the validation pass) and
# the projected time of one epoch over the paper's 36,400 training sequences. Not run by CI.
# See README.md.
#
# Usage: nice -n 5 benchmarks/train/run.sh        (~5.5 min on 2 cores)
#        SMOKE=1 benchmarks/train/run.sh          (~2 min: 8 rows, batch 8: XLA trial + one step; tables under work/smoke/)
#   ROWS=64            training sequences (real 10,000 + 10,000-nt windows, labels alternating 1,0,...) (SMOKE: 8)
#   BATCH=16           batch size, both tools (SMOKE: 8)
#   THREADS=2          fusionai --threads
#   TF_THREADS=0       TensorFlow intra-op threads; 0: TensorFlow's default (the configuration measured)
#   TF_JIT=auto        TensorFlow step with XLA: auto times one step without and one with jit_compile and
#                      uses the faster (if its gradients agree within 1e-4); off; on
#   EPOCHS=2           fusionai is run for 1 and for EPOCHS epochs; the difference / (EPOCHS-1) is one epoch
#   PAPER_ROWS=36400   training sequences of one epoch in the paper (for the projection)
#   SCALE_CORES=16     cores of the linear-scaling projection for fusionai
#   MODEL=...          another Keras file (e.g. Tests/Fixtures/keras/fusionai_small.keras2.h5; tables then go to work/smoke/)
#   FUSIONAI=...       the fusionai binary to copy (default .build/release/fusionai)
#   TF_PYTHON=...      python with tensorflow-cpu + Keras 3 (default tools/.venv/bin/python)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work="$here/work"
# shellcheck source=../common.sh
. "$here/../common.sh"  # root, py, smoke and the set-up shared with the predict and explain benchmarks
if [ "$smoke" = 1 ]; then rows=${ROWS:-8}; batch=${BATCH:-8}; else rows=${ROWS:-64}; batch=${BATCH:-16}; fi
threads=${THREADS:-2}
tf_threads=${TF_THREADS:-0}
tf_jit=${TF_JIT:-auto}
epochs=${EPOCHS:-2}
paper_rows=${PAPER_ROWS:-36400}
scale_cores=${SCALE_CORES:-16}
started=$(date +%s)

[ "$rows" -ge "$batch" ] || { echo "ROWS ($rows) must be at least BATCH ($batch)" >&2; exit 1; }
[ "$rows" -ge 2 ] || { echo "ROWS must be at least 2 (a 1-row run is subtracted)" >&2; exit 1; }
[ "$epochs" -ge 2 ] || { echo "EPOCHS must be at least 2 (a 1-epoch run is subtracted)" >&2; exit 1; }
bench_binary

# (a) The full-size model, shared with the predict and explain benchmarks
# (benchmarks/predict/work/model/) and made once (see common.sh); MODEL replaces it.
bench_model "${MODEL:-}"
bench_outdir
results="$out/results.tsv"

# (b) Real-length inputs (not timed): windows of synthetic STAR-Fusion calls by fusionai prepare;
# the first ROWS rows, with a 0/1 label appended as column 11 (1,0,1,0,...: this measures speed,
# not accuracy). The same file is DATA, --valid and --test of fusionai train.
bench_inputs "$rows" "$work/ex"
awk 'BEGIN { OFS = "\t" } { print $0, (NR % 2 == 1 ? 1 : 0) }' "$work/prepared.tsv" > "$work/train.tsv"
rm -rf "$work/out"
mkdir -p "$work/out"
: > "$work/fusionai_train.log"
: > "$work/fusionai_predict.log"
sync

printf 'measurement\ttool\trows\tthreads\tbatch\tseconds\ts_per_sample\tpeak_MiB\tcpu_s\tload_1m\n' > "$results"
row() {  # measurement tool rows seconds s_per_sample peak cpu load [threads]
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${9:-$threads}" "$batch" "$4" "$5" "$6" "$7" "$8" >> "$results"
}
calc() { awk "BEGIN { printf $1 }"; }  # calc '"%.3f", EXPR'

# (c) fusionai train, end to end, for 1 and for EPOCHS epochs. Once per run: process start, .h5
# import, indexing the three files, saving the model, log and learning curve, scoring the test set
# (ROWS forward passes) and writing its report. Every epoch: shuffle, ROWS/BATCH training steps
# (forward + backward + Adadelta update), scoring the validation set (ROWS forward passes, batch
# BATCH) and writing a checkpoint (weights, best weights, optimizer state: ~43 MB).
fa_train() {  # EPOCHS -> measure output
    local m
    echo "== fusionai train --epochs $1" >> "$work/fusionai_train.log"
    if ! m=$(measure "$bin" train "$work/train.tsv" --valid "$work/train.tsv" --test "$work/train.tsv" \
            --initial "$model" -o "$work/out/e$1/fusionai.safetensors" --epochs "$1" --batch-size "$batch" \
            --optimizer adadelta --threads "$threads" 2>> "$work/fusionai_train.log"); then
        echo "fusionai train failed:" >&2; tail -20 "$work/fusionai_train.log" >&2; exit 1
    fi
    echo "$m"
}
mkdir -p "$work/out/e1" "$work/out/e$epochs"
l=$(load1)
m=$(fa_train 1)
IFS=$'\t' read -r t1_s t1_mem t1_cpu <<< "$m"
row "train_end_to_end(epochs=1)" fusionai "$rows" "$t1_s" - "$t1_mem" "$t1_cpu" "$l"
l=$(load1)
m=$(fa_train "$epochs")
IFS=$'\t' read -r te_s te_mem te_cpu <<< "$m"
row "train_end_to_end(epochs=$epochs)" fusionai "$rows" "$te_s" - "$te_mem" "$te_cpu" "$l"
epoch_s=$(calc "\"%.3f\", ($te_s - $t1_s) / ($epochs - 1)")
epoch_cpu=$(calc "\"%.2f\", ($te_cpu - $t1_cpu) / ($epochs - 1)")
row "epoch_est(train+valid+checkpoint)" fusionai "$rows" "$epoch_s" "$(calc "\"%.5f\", $epoch_s / $rows")" - "$epoch_cpu" -

# (d) fusionai predict on the same ROWS sequences and on 1, batch BATCH: (t(ROWS) - t(1)) * ROWS /
# (ROWS-1) estimates the forward-only scoring of ROWS sequences without start-up and model load,
# i.e. the validation pass inside each epoch (validation also reads and encodes its rows; predict
# also writes a small TSV). The checkpoint write is NOT subtracted: it stays in the training time.
fa_predict() {  # FILE OUT -> measure output
    local m
    if ! m=$(measure "$bin" predict -q -m "$model" "$1" -o "$2" --threads "$threads" --batch-size "$batch" \
            2>> "$work/fusionai_predict.log"); then
        echo "fusionai predict failed:" >&2; tail -20 "$work/fusionai_predict.log" >&2; exit 1
    fi
    echo "$m"
}
l=$(load1)
m=$(fa_predict "$work/prepared.tsv" "$work/out/predict.tsv")
IFS=$'\t' read -r p_s p_mem p_cpu <<< "$m"
row predict_end_to_end fusionai "$rows" "$p_s" - "$p_mem" "$p_cpu" "$l"
l=$(load1)
m=$(fa_predict "$work/prepared-1.tsv" "$work/out/predict-1.tsv")
IFS=$'\t' read -r p1_s p1_mem p1_cpu <<< "$m"
row predict_end_to_end fusionai 1 "$p1_s" - "$p1_mem" "$p1_cpu" "$l"
valid_s=$(calc "\"%.3f\", ($p_s - $p1_s) * $rows / ($rows - 1)")
valid_cpu=$(calc "\"%.2f\", ($p_cpu - $p1_cpu) * $rows / ($rows - 1)")
row "validation_forward_est" fusionai "$rows" "$valid_s" "$(calc "\"%.5f\", $valid_s / $rows")" - "$valid_cpu" -
fa_s=$(calc "\"%.3f\", $epoch_s - $valid_s")
fa_cpu=$(calc "\"%.2f\", $epoch_cpu - $valid_cpu")
fa_sps=$(calc "\"%.5f\", $fa_s / $rows")
row "train_step_est(epoch-validation)" fusionai "$rows" "$fa_s" "$fa_sps" "$te_mem" "$fa_cpu" -

# (e) TensorFlow: untimed warm-up steps and, with TF_JIT=auto, one timed trial step without and one
# with XLA (the faster is used), then one epoch over ROWS rows in steps of BATCH, timed, then the
# validation forward pass over the same rows, timed (tf_train.py).
tl=$([ "$tf_threads" = 0 ] && echo default || echo "$tf_threads")
l=$(load1)
if ! m=$(measure "$py" "$here/tf_train.py" "$model" "$work/train.tsv" "$work/tf_summary.json" \
        --batch "$batch" --threads "$tf_threads" --jit "$tf_jit" 2> "$work/tf_train.log"); then
    echo "tf_train.py failed:" >&2; tail -30 "$work/tf_train.log" >&2; exit 1
fi
IFS=$'\t' read -r tf_s tf_mem tf_cpu <<< "$m"
tf_sps=$(j s_per_sample)
tf_ev_s=$(j epoch_with_validation_s)
row "train_epoch_warm(tf.function_step)" tensorflow "$rows" "$(j timed_epoch_s)" "$tf_sps" "$(j peak_rss_mib)" "$(j timed_epoch_cpu_s)" "$l" "$tl"
row "validation_forward_warm" tensorflow "$rows" "$(j validation_s)" "$(calc "\"%.5f\", $(j validation_s) / $rows")" "$(j peak_rss_mib)" "$(j validation_cpu_s)" "$l" "$tl"
row "epoch_with_validation_warm" tensorflow "$rows" "$tf_ev_s" "$(calc "\"%.5f\", $tf_ev_s / $rows")" "$(j peak_rss_mib)" "$(j epoch_with_validation_cpu_s)" "$l" "$tl"
row tf_process_end_to_end tensorflow "$rows" "$tf_s" - "$tf_mem" "$tf_cpu" "$l" "$tl"

# (f) Projections (arithmetic, not measurements): one epoch over PAPER_ROWS training sequences,
# training steps only (no validation, no checkpoint).
row "projection_epoch_${paper_rows}(${threads}_cores)" tensorflow "$paper_rows" "$(calc "\"%.0f\", $tf_sps * $paper_rows")" "$tf_sps" - - - "$tl"
row "projection_epoch_${paper_rows}(${threads}_cores)" fusionai "$paper_rows" "$(calc "\"%.0f\", $fa_sps * $paper_rows")" "$fa_sps" - - -
fa16_sps=$(calc "\"%.5f\", $fa_sps * $threads / $scale_cores")
row "projection_epoch_${paper_rows}(${scale_cores}_cores_linear)" fusionai "$paper_rows" "$(calc "\"%.0f\", $fa16_sps * $paper_rows")" "$fa16_sps" - - -

# Table, ratios, configuration.
hms() { awk -v s="$1" 'BEGIN { s = int(s + 0.5); printf "%dh%02dm%02ds", s / 3600, (s % 3600) / 60, s % 60 }'; }
column -t -s $'\t' "$results"
echo
tf_cps=$(j cpu_s_per_sample)
awk -v tf="$tf_sps" -v fa="$fa_sps" -v up="$(calc "\"%.5f\", $epoch_s / $rows")" -v tfe="$(calc "\"%.5f\", $tf_ev_s / $rows")" \
    -v tfc="$tf_cps" -v fac="$fa_cpu" -v rows="$rows" 'BEGIN {
    printf "one epoch incl. validation, TF s/sample (tf.function steps + forward) / fusionai s/sample (epoch, est.): %.4f / %.4f = %.1fx\n", tfe, up, tfe / up
    printf "training steps only, TF s/sample / fusionai whole epoch incl. validation and checkpoint (conservative): %.4f / %.4f = %.1fx\n", tf, up, tf / up
    printf "training steps only, TF s/sample / fusionai s/sample (epoch - validation, est.): %.4f / %.4f = %.1fx\n", tf, fa, tf / fa
    if (fac > 0) printf "  CPU time per sample, training steps (less sensitive to other load): TF %.3f / fusionai %.3f CPU s = %.1fx\n", tfc, fac / rows, tfc / (fac / rows)
    else printf "  CPU time per sample: fusionai difference %.2f CPU s is too small to divide by\n", fac
}'
echo "projected epoch over $paper_rows sequences (training steps only; projections, not measurements):" \
    "TF $threads cores $(hms "$(calc "\"%.0f\", $tf_sps * $paper_rows")"), fusionai $threads cores $(hms "$(calc "\"%.0f\", $fa_sps * $paper_rows")")," \
    "fusionai $scale_cores cores if linear $(hms "$(calc "\"%.0f\", $fa16_sps * $paper_rows")")"
echo "fusionai (epochs=$epochs run): $(awk -v e="$epochs" '/^== / { run = ($NF == e) } run && /epoch [0-9]+:/ { sub(/^.*epoch /, "epoch "); printf "%s%s", sep, $0; sep = "; " }' "$work/fusionai_train.log")"
echo "TF losses: warm-up step $(j warmup_loss), epoch steps $(j batch_loss); per-step seconds $(j batch_s)"
# The XLA trial steps, one line each.
"$py" - "$work/tf_summary.json" > "$out/sweep.tsv" <<'PYEOF'
import json, sys
s = json.load(open(sys.argv[1]))
print("tool\tconfiguration\tbatch\tstep_s\ts_per_sample\tcpu_s\twarmup_s\tnote")
for t in s.get("step_trials", []):
    note = "chosen" if t["jit"] == s["jit_compile"] else ""
    if t["jit"]:
        note += ("; " if note else "") + f"gradients vs no XLA: max rel diff {s['jit_gradient_max_rel_diff']:.2g}"
    print(f"tensorflow\ttraining step tf.function jit_compile={t['jit']}\t{t['batch']}\t{t['step_s']}\t{t['s_per_sample']}"
          f"\t{t['step_cpu_s']}\t{t['warmup_s']}\t{note}")
PYEOF
column -t -s $'\t' "$out/sweep.tsv"
echo
bench_environment \
    tf_configuration "Keras 3 load_model; tf.function(GradientTape(model(x, training=True)) + Adadelta(lr 1.0, rho 0.95, eps 1e-7).apply_gradients), categorical cross-entropy, batch $batch, jit_compile $(j jit_compile) (XLA gradients vs plain: max rel diff $(j jit_gradient_max_rel_diff)); validation tf.function forward batch $batch" \
    fusionai_configuration "train --epochs 1 and $epochs --batch-size $batch --optimizer adadelta --threads $threads, whole process; epoch = difference" \
    rows "$rows (labels 1,0,1,0,...)"
column -t -s $'\t' "$out/environment.tsv"
echo "tables in $out; run took $(( $(date +%s) - started )) s"
