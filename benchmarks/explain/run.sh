#!/usr/bin/env bash
# explain benchmark: TensorFlow (tf_keras, tf.GradientTape) vs `fusionai explain` on the full-size
# FusionAI network (2,672,002 parameters, seeded random weights), same machine, same inputs, same
# .h5 file, one run: grad-input per sequence (speed and agreement) and full in-silico mutagenesis
# (ISM) of one 20-kb sequence (speed, memory, TensorFlow's naive cost estimated from its measured
# forward throughput). Not run by CI. See README.md.
#
# Usage: nice -n 5 benchmarks/explain/run.sh
#   ROWS=8             grad-input: sequences explained (real 10,000 + 10,000-nt windows)
#   PREDICT_ROWS=32    TensorFlow forward throughput: sequences in the timed model.predict
#   PREDICT_BATCH=16   ... and its batch size
#   THREADS=2          fusionai --threads; TensorFlow intra-op threads (inter-op 1)
#   VERIFY_ISM=100     fusionai --verify-ism N (brute-force check of N positions), if supported; 0: skip
#   ISM_CHECK=16       positions of fusionai's ISM matrix re-scored by TensorFlow (x3 substitutions); 0: skip
#   FLOAT64_ROWS=2     rows also computed by TensorFlow in float64 (how exact TF float32 is); 0: skip
#   MODEL=...          another Keras file (smoke tests, e.g. Tests/Fixtures/keras/fusionai_small.keras2.h5)
#   TF_PYTHON=...      python with tensorflow-cpu + tf_keras (default tools/.venv/bin/python)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work="$here/work"
# shellcheck source=../common.sh
. "$here/../common.sh"  # root, py and the set-up shared with the predict and train benchmarks
rows=${ROWS:-8}
predict_rows=${PREDICT_ROWS:-32}
predict_batch=${PREDICT_BATCH:-16}
threads=${THREADS:-2}
verify_ism=${VERIFY_ISM:-100}
ism_check=${ISM_CHECK:-16}
float64_rows=${FLOAT64_ROWS:-2}

[ "$rows" -ge 2 ] || { echo "ROWS must be at least 2 (a 1-row run is subtracted)" >&2; exit 1; }
bench_binary

# (a) The full-size model, shared with the predict benchmark (benchmarks/predict/work/model/) and
# made once as it makes it (see common.sh); MODEL replaces it.
bench_model "${MODEL:-}"

# (b) Real-length inputs (not timed): windows of synthetic STAR-Fusion calls by fusionai prepare;
# the first max(ROWS, PREDICT_ROWS) rows.
need=$(( rows > predict_rows ? rows : predict_rows ))
bench_inputs "$need" "$work/example"
prepared="$work/prepared.tsv"
rm -rf "$work/out.grad" "$work/out.grad-1" "$work/out.ism" "$work/out.ism-verify" "$work/tf"
: > "$work/fusionai_explain.log"
sync

results="$here/results.tsv"
printf 'measurement\ttool\trows\tthreads\tseconds\ts_per_seq\tpeak_MiB\tcpu_s\tload_1m\n' > "$results"
row() {  # measurement tool rows seconds s_per_seq peak cpu load
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$threads" "$4" "$5" "$6" "$7" "$8" >> "$results"
}
per() { awk -v s="$1" -v n="$2" 'BEGIN { printf "%.4f", s / n }'; }
fa_explain() {  # log-and-fail wrapper: measure fusionai explain ARGS...
    local m
    if ! m=$(measure "$bin" explain "$@" 2>> "$work/fusionai_explain.log"); then
        echo "fusionai explain $* failed:" >&2; tail -20 "$work/fusionai_explain.log" >&2; exit 1
    fi
    echo "$m"
}

# (c) fusionai grad-input, end to end (process start, .h5 import, reading, encoding, gradient,
# writing the tables/tracks/.npy), on ROWS rows and on 1 row; the difference / (ROWS-1) is the
# per-sequence time without start-up and model load.
l=$(load1)
m=$(fa_explain -q -m "$model" "$prepared" --rows "1-$rows" --method grad-input --threads "$threads" -o "$work/out.grad")
IFS=$'\t' read -r ga_s ga_mem ga_cpu <<< "$m"
row grad_input_end_to_end fusionai "$rows" "$ga_s" "$(per "$ga_s" "$rows")" "$ga_mem" "$ga_cpu" "$l"
l=$(load1)
m=$(fa_explain -q -m "$model" "$prepared" --rows 1 --method grad-input --threads "$threads" -o "$work/out.grad-1")
IFS=$'\t' read -r g1_s g1_mem g1_cpu <<< "$m"
row grad_input_end_to_end fusionai 1 "$g1_s" "$g1_s" "$g1_mem" "$g1_cpu" "$l"
fa_gs=$(awk -v a="$ga_s" -v b="$g1_s" -v n="$rows" 'BEGIN { printf "%.4f", (a - b) / (n - 1) }')
fa_gcpu=$(awk -v a="$ga_cpu" -v b="$g1_cpu" 'BEGIN { printf "%.2f", a - b }')
row "grad_input_excl_startup_est($rows-1)" fusionai "$((rows - 1))" \
    "$(awk -v a="$ga_s" -v b="$g1_s" 'BEGIN { printf "%.3f", a - b }')" "$fa_gs" - "$fa_gcpu" -

# (d) fusionai full ISM of row 1: 20,000 positions x 3 substitutions, end to end. --ism-matrix
# writes the [20000 x 4] ΔP matrix it computes anyway (320 kB), for TensorFlow's spot check.
l=$(load1)
m=$(fa_explain -q -m "$model" "$prepared" --rows 1 --method ism --ism-matrix --threads "$threads" -o "$work/out.ism")
IFS=$'\t' read -r ism_s ism_mem ism_cpu <<< "$m"
row ism_full_end_to_end fusionai 1 "$ism_s" "$ism_s" "$ism_mem" "$ism_cpu" "$l"
ism_npy=$(ls "$work"/out.ism/row1_*.ism.npy)

# (e) The same with --verify-ism N, if this binary has it: N evenly spaced positions also scored by
# brute force (a forward pass per substitution); the largest |fast - brute force| ΔP is logged
# (an info line, so this run is not -q).
verify_diff="not run"
if [ "$verify_ism" -gt 0 ]; then
    if "$bin" explain --help 2>&1 | grep -q -- '--verify-ism'; then
        l=$(load1)
        m=$(fa_explain -m "$model" "$prepared" --rows 1 --method ism --verify-ism "$verify_ism" \
            --threads "$threads" -o "$work/out.ism-verify")
        IFS=$'\t' read -r v_s v_mem v_cpu <<< "$m"
        row "ism_full+verify_ism_$verify_ism" fusionai 1 "$v_s" "$v_s" "$v_mem" "$v_cpu" "$l"
        verify_line=$(grep -i 'brute force' "$work/fusionai_explain.log" | tail -1 || true)
        verify_diff=${verify_line##*: }
        [ -n "$verify_line" ] || verify_diff="no line reported (see work/fusionai_explain.log)"
    else
        verify_diff="not available: this fusionai explain has no --verify-ism"
    fi
fi

# (f) TensorFlow, one process: grad-input batch of 1 (timed per sequence after one warm-up),
# batched, float64 reference rows, forward throughput, ISM spot check (see tf_gradient.py).
ism_args=()
if [ "$ism_check" -gt 0 ]; then ism_args=(--ism-matrix "$ism_npy" --ism-row 1 --ism-positions "$ism_check"); fi
l=$(load1)
if ! m=$(measure "$py" "$here/tf_gradient.py" "$model" "$prepared" "$work/tf" "$work/tf_summary.json" \
        --rows "$rows" --threads "$threads" --batched --float64-rows "$float64_rows" \
        --predict-rows "$predict_rows" --predict-batch "$predict_batch" "${ism_args[@]}" 2> "$work/tf_gradient.log"); then
    echo "tf_gradient.py failed:" >&2; tail -30 "$work/tf_gradient.log" >&2; exit 1
fi
IFS=$'\t' read -r tf_s tf_mem tf_cpu <<< "$m"
tf_gs=$(j grad_s_per_seq)
row grad_input_warm_batch1 tensorflow "$rows" "$(j grad_total_s)" "$tf_gs" "$tf_mem" "$(j grad_cpu_s)" "$l"
row "grad_input_warm_batch$rows" tensorflow "$rows" "$(j grad_batched_s)" "$(j grad_batched_s_per_seq)" "$tf_mem" "$(j grad_batched_cpu_s)" "$l"
tf_ps=$(j predict_s)
tf_pn=$(j predict_rows)
tf_sps=$(per "$tf_ps" "$tf_pn")
row "forward_predict_batch$predict_batch" tensorflow "$tf_pn" "$tf_ps" "$tf_sps" "$tf_mem" "$(j predict_cpu_s)" "$l"
subs=$(( 3 * $(j positions) ))
tf_ism=$(awk -v s="$tf_sps" -v n="$subs" 'BEGIN { printf "%.0f", n * s }')
row "ism_naive_estimate(${subs}_forward)" tensorflow 1 "$tf_ism" "$tf_ism" - - -
row tf_process_end_to_end tensorflow - "$tf_s" - "$tf_mem" "$tf_cpu" "$l"

# (g) Agreement of the grad-input scores, sequence by sequence.
"$py" "$here/compare.py" "$work/out.grad" "$work/tf" "$rows" "$work/tf_summary.json" --header > "$here/agreement.tsv"
worst=$(awk -F'\t' '$1 == "worst" { print $5 }' "$here/agreement.tsv")

# Table, ratios, agreement, configuration.
column -t -s $'\t' "$results"
echo
awk -v tf="$tf_gs" -v fa="$fa_gs" -v tfb="$(j grad_batched_s_per_seq)" -v fae="$ga_s" -v rows="$rows" \
    -v tfn="$tf_ism" -v fai="$ism_s" -v tgc="$(j grad_cpu_s)" -v fgc="$fa_gcpu" -v subs="$subs" -v tpc="$(j predict_cpu_s)" \
    -v tpn="$tf_pn" -v fic="$ism_cpu" 'BEGIN {
    printf "grad-input, TF s/seq (batch 1, warm) / fusionai s/seq (excl. start-up, est.): %.4f / %.4f = %.1fx\n", tf, fa, tf / fa
    if (tfb != "-") printf "grad-input, TF s/seq (batch %d, warm) / fusionai s/seq (excl. start-up, est.): %.4f / %.4f = %.1fx\n", rows, tfb, fa, tfb / fa
    printf "grad-input, TF s/seq (batch 1, warm) / fusionai end to end incl. start-up (%d rows / %d): %.4f / %.4f = %.1fx\n", rows, rows, tf, fae / rows, tf / (fae / rows)
    printf "ISM, TF naive estimate / fusionai full ISM (end to end): %s s / %.1f s = %.0fx\n", tfn, fai, tfn / fai
    printf "CPU time (less sensitive to other load): grad-input TF batch 1 / fusionai per sequence: %.2f / %.3f CPU s = %.1fx;", \
        tgc / rows, fgc / (rows - 1), (tgc / rows) / (fgc / (rows - 1))
    printf " ISM, TF %d x forward CPU s/seq / fusionai ISM CPU s: %.0f / %.1f = %.0fx\n", subs, subs * tpc / tpn, fic, subs * tpc / tpn / fic
}'
echo
column -t -s $'\t' "$here/agreement.tsv"
echo
echo "grad-input agreement: worst over $rows sequences of max|fusionai - TF| / max|TF| = $worst (target <= 1e-4)"
echo "TF float32 vs TF float64 (first $float64_rows rows): $(j tf32_vs_tf64_max_rel_diff); TF batch $rows vs batch 1: $(j grad_batched_vs_batch1_max_rel_diff)"
echo "fusionai --verify-ism $verify_ism: largest |fast - brute force| dP = $verify_diff"
echo "TF ISM spot check (row 1, $(j ism_check_positions) positions, $(j ism_check_substitutions) substitutions): max|dP fusionai - dP TF| = $(j ism_check_max_abs_diff), max|dP TF| there = $(j ism_check_max_abs_delta_tf), P(ref) = $(j ism_check_reference_p)"
echo
echo "TF: $(tf_setup);" \
    "tf.function(GradientTape) grad-input, warm-up $(j grad_warmup_s) s (not timed); per-sequence $(j grad_s_per_seq_min)-$(j grad_s_per_seq_max) s;" \
    "forward model.predict batch $predict_batch, warm-up $(j predict_warmup_s) s (not timed); load $(j load_s) s, encode $(j encode_s) s"
bench_fusionai_line dirty
echo "model: $model ($(stat -c %s "$model") bytes); inputs: $work/prepared.tsv ($need rows; grad-input rows 1-$rows, ISM row 1)"
bench_machine_line
