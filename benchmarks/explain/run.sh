#!/usr/bin/env bash
# explain benchmark: `fusionai explain` against TensorFlow 2.21 + Keras 3 with every gradient in a
# tf.function (GradientTape) and default threading, on the full-size FusionAI network (2,672,002
# parameters, seeded random weights), same machine, same inputs, same .h5 file, one run:
# grad-input per sequence at TF batch 1 and 8, integrated gradients (50 steps, zero baseline)
# per sequence, full in-silico mutagenesis (ISM) of one 20-kb sequence (fusionai; TensorFlow's
# naive cost estimated from its measured forward throughput), and the agreement of the values.
# Not run by CI. See README.md.
#
# Usage: nice -n 5 benchmarks/explain/run.sh          (~8.5 min on 2 cores; fusionai's two ISM runs ~3.5 of them)
#        SMOKE=1 benchmarks/explain/run.sh            (~1 min: 2 rows, IG 1 row x 10 steps; no ISM, no
#                                                      float64 reference; tables under work/smoke/)
#        SMOKE=1 MODEL=$PWD/Tests/Fixtures/keras/fusionai_small.keras2.h5 benchmarks/explain/run.sh
#                                                     (~1 min: every step, ISM and float64 included, 600-nt model)
#   ROWS=8             grad-input: sequences explained (SMOKE: 2)
#   GRAD_BATCH=8       TensorFlow's batched grad-input: rows per call (SMOKE: ROWS)
#   IG_ROWS=2          integrated gradients: sequences (SMOKE: 1); 0: skip
#   IG_STEPS=50        integrated gradients: path steps, both tools (SMOKE: 10)
#   IG_BATCH=0         TensorFlow: interpolated inputs per gradient call; 0: the batch size (1 or GRAD_BATCH)
#                      and XLA setting of its fastest grad-input trial
#   PREDICT_ROWS=16    TensorFlow forward throughput (for the naive-ISM estimate): sequences (SMOKE: 2)
#   PREDICT_BATCH=8    ... and its batch size (run-all.sh passes the predict benchmark's fastest)
#   THREADS=2          fusionai --threads
#   TF_THREADS=0       TensorFlow intra-op threads; 0: TensorFlow's default (the configuration measured)
#   TF_JIT=auto        TensorFlow gradient with XLA: auto times both and keeps the faster (if within 1e-4); off; on
#   ISM=1              0: skip fusionai's full ISM (and the TensorFlow spot check of it) (SMOKE: 0, 1 with MODEL)
#   VERIFY_ISM=100     fusionai --verify-ism N (brute-force check of N positions), a run of its own (SMOKE: 0)
#   ISM_CHECK=16       positions of fusionai's ISM matrix re-scored by TensorFlow (x3 substitutions) (SMOKE: 4)
#   FLOAT64_ROWS=2     rows also computed by TensorFlow in float64, in a process of its own (SMOKE: 0, 1 with MODEL)
#   MODEL=...          another Keras file (e.g. Tests/Fixtures/keras/fusionai_small.keras2.h5; tables then go to work/smoke/)
#   FUSIONAI=...       the fusionai binary to copy (default .build/release/fusionai)
#   TF_PYTHON=...      python with tensorflow-cpu + Keras 3 (default tools/.venv/bin/python)
#   DLS=1              0: skip the DeepLIFT part (deeplift.sh: DeepLiftShap vs TF and shap; its settings there)
#   DLS_ONLY=1         only the DeepLIFT part; the tables' other rows stay as committed
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work="$here/work"
# shellcheck source=../common.sh
. "$here/../common.sh"  # root, py, smoke and the set-up shared with the predict and train benchmarks
# DeepLIFT / DeepLiftShap (fusionai vs TensorFlow and shap) is deeplift.sh, run last; DLS_ONLY=1 runs only it.
[ "${DLS_ONLY:-0}" = 0 ] || exec "$here/deeplift.sh"
if [ "$smoke" = 1 ]; then
    # The full ISM (minutes on 2 cores) and the float64 reference (~40 s, ~9 GB) only with a small MODEL.
    rows=${ROWS:-2}; ig_rows=${IG_ROWS:-1}; ig_steps=${IG_STEPS:-10}; predict_rows=${PREDICT_ROWS:-2}
    verify_ism=${VERIFY_ISM:-0}; ism_check=${ISM_CHECK:-4}
    if [ -n "${MODEL:-}" ]; then small=1; else small=0; fi
    ism=${ISM:-$small}; float64_rows=${FLOAT64_ROWS:-$small}
else
    rows=${ROWS:-8}; ig_rows=${IG_ROWS:-2}; ig_steps=${IG_STEPS:-50}; predict_rows=${PREDICT_ROWS:-16}
    verify_ism=${VERIFY_ISM:-100}; ism_check=${ISM_CHECK:-16}; float64_rows=${FLOAT64_ROWS:-2}
    ism=${ISM:-1}
fi
grad_batch=${GRAD_BATCH:-$(( rows < 8 ? rows : 8 ))}
ig_batch=${IG_BATCH:-0}
predict_batch=${PREDICT_BATCH:-8}
threads=${THREADS:-2}
tf_threads=${TF_THREADS:-0}
tf_jit=${TF_JIT:-auto}
[ "$ism" = 1 ] || ism_check=0
started=$(date +%s)

[ "$rows" -ge 2 ] || { echo "ROWS must be at least 2 (a 1-row run is subtracted)" >&2; exit 1; }
[ "$float64_rows" -le "$rows" ] || { echo "FLOAT64_ROWS must be at most ROWS" >&2; exit 1; }
bench_binary

# (a) The full-size model, shared with the predict benchmark (benchmarks/predict/work/model/) and
# made once as it makes it (see common.sh); MODEL replaces it.
bench_model "${MODEL:-}"
bench_outdir

# (b) Real-length inputs (not timed): windows of synthetic STAR-Fusion calls by fusionai prepare.
need=$rows
for n in "$ig_rows" "$predict_rows"; do [ "$n" -le "$need" ] || need=$n; done
bench_inputs "$need" "$work/example"
prepared="$work/prepared.tsv"
rm -rf "$work/out.grad" "$work/out.grad-1" "$work/out.ig" "$work/out.ism" "$work/out.ism-verify" "$work/tf"
: > "$work/fusionai_explain.log"
sync

results="$out/results.tsv"
printf 'measurement\ttool\trows\tthreads\tseconds\ts_per_seq\tpeak_MiB\tcpu_s\tload_1m\n' > "$results"
row() {  # measurement tool rows seconds s_per_seq peak cpu load [threads]
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${9:-$threads}" "$4" "$5" "$6" "$7" "$8" >> "$results"
}
per() { awk -v s="$1" -v n="$2" 'BEGIN { printf "%.4f", s / n }'; }
fa_explain() {  # log-and-fail wrapper: measure fusionai explain ARGS...
    local m
    if ! m=$(measure "$bin" explain "$@" 2>> "$work/fusionai_explain.log"); then
        echo "fusionai explain $* failed:" >&2; tail -20 "$work/fusionai_explain.log" >&2; exit 1
    fi
    echo "$m"
}
tf_threads_label=$([ "$tf_threads" = 0 ] && echo default || echo "$tf_threads")

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

# (d) fusionai integrated gradients (zero baseline, IG_STEPS midpoint steps), end to end on IG_ROWS
# rows; s/seq includes start-up (small against IG_STEPS gradients per sequence).
fa_igs=-
if [ "$ig_rows" -gt 0 ]; then
    l=$(load1)
    m=$(fa_explain -q -m "$model" "$prepared" --rows "1-$ig_rows" --method integrated-gradients --steps "$ig_steps" \
        --threads "$threads" -o "$work/out.ig")
    IFS=$'\t' read -r ig_s ig_mem ig_cpu <<< "$m"
    fa_igs=$(per "$ig_s" "$ig_rows")
    row "integrated_gradients_${ig_steps}_end_to_end" fusionai "$ig_rows" "$ig_s" "$fa_igs" "$ig_mem" "$ig_cpu" "$l"
fi

# (e) fusionai full ISM of row 1: every position x 3 substitutions, end to end. --ism-matrix writes
# the [positions x 4] ΔP matrix it computes anyway, for TensorFlow's spot check.
ism_s=- ism_cpu=- verify_diff="not run (VERIFY_ISM=0)"
if [ "$ism" = 1 ]; then
    l=$(load1)
    m=$(fa_explain -q -m "$model" "$prepared" --rows 1 --method ism --ism-matrix --threads "$threads" -o "$work/out.ism")
    IFS=$'\t' read -r ism_s ism_mem ism_cpu <<< "$m"
    row ism_full_end_to_end fusionai 1 "$ism_s" "$ism_s" "$ism_mem" "$ism_cpu" "$l"
    ism_npy=$(ls "$work"/out.ism/row1_*.ism.npy)
    # The same with --verify-ism N, a run of its own so the timed ISM stays clean: N evenly spaced
    # positions also scored by brute force; the largest |fast - brute force| ΔP is logged (an info
    # line, so this run is not -q).
    if [ "$verify_ism" -gt 0 ]; then
        l=$(load1)
        m=$(fa_explain -m "$model" "$prepared" --rows 1 --method ism --verify-ism "$verify_ism" --threads "$threads" -o "$work/out.ism-verify")
        IFS=$'\t' read -r v_s v_mem v_cpu <<< "$m"
        row "ism_full+verify_ism_$verify_ism" fusionai 1 "$v_s" "$v_s" "$v_mem" "$v_cpu" "$l"
        verify_line=$(grep -i 'brute force' "$work/fusionai_explain.log" | tail -1 || true)
        verify_diff=${verify_line##*: }
        [ -n "$verify_line" ] || verify_diff="no line reported (see work/fusionai_explain.log)"
    fi
fi

# (f) TensorFlow, one process: grad-input batch of 1 (timed per sequence after one warm-up), in
# calls of GRAD_BATCH, integrated gradients, forward throughput, ISM spot check (tf_gradient.py).
tf_args=(--rows "$rows" --batch "$grad_batch" --ig-rows "$ig_rows" --ig-steps "$ig_steps" --ig-batch "$ig_batch"
         --predict-rows "$predict_rows" --predict-batch "$predict_batch" --threads "$tf_threads" --jit "$tf_jit")
if [ "$ism_check" -gt 0 ]; then tf_args+=(--ism-matrix "$ism_npy" --ism-row 1 --ism-positions "$ism_check"); fi
l=$(load1)
if ! m=$(measure "$py" "$here/tf_gradient.py" "$model" "$prepared" "$work/tf" "$work/tf_summary.json" "${tf_args[@]}" \
        2> "$work/tf_gradient.log"); then
    echo "tf_gradient.py failed:" >&2; tail -30 "$work/tf_gradient.log" >&2; exit 1
fi
IFS=$'\t' read -r tf_s tf_mem tf_cpu <<< "$m"
tl=$tf_threads_label
tf_gs=$(j grad_s_per_seq)
tf_gbs=$(j grad_batched_s_per_seq)
row grad_input_warm_batch1 tensorflow "$rows" "$(j grad_total_s)" "$tf_gs" "$tf_mem" "$(j grad_cpu_s)" "$l" "$tl"
row "grad_input_warm_batch$(j grad_batched_batch)" tensorflow "$rows" "$(j grad_batched_s)" "$tf_gbs" "$tf_mem" "$(j grad_batched_cpu_s)" "$l" "$tl"
tf_igs=-
if [ "$ig_rows" -gt 0 ]; then
    tf_igs=$(j ig_s_per_seq)
    row "integrated_gradients_${ig_steps}_warm_batch$(j ig_batch)" tensorflow "$ig_rows" "$(j ig_total_s)" "$tf_igs" "$tf_mem" "$(j ig_cpu_s)" "$l" "$tl"
fi
tf_ps=$(j predict_s)
tf_pn=$(j predict_rows)
tf_sps=$(per "$tf_ps" "$tf_pn")
row "forward_batch$(j predict_batch)" tensorflow "$tf_pn" "$tf_ps" "$tf_sps" "$tf_mem" "$(j predict_cpu_s)" "$l" "$tl"
subs=$(( 3 * $(j positions) ))
tf_ism=$(awk -v s="$tf_sps" -v n="$subs" 'BEGIN { printf "%.0f", n * s }')
row "ism_naive_estimate(${subs}_forward)" tensorflow 1 "$tf_ism" "$tf_ism" - - - "$tl"
row tf_process_end_to_end tensorflow - "$tf_s" - "$tf_mem" "$tf_cpu" "$l" "$tl"

# (g) TensorFlow float64 reference of the first FLOAT64_ROWS rows (not timed; a process of its own:
# Eigen's float64 convolutions take several GB, which would otherwise be the float32 peak).
if [ "$float64_rows" -gt 0 ]; then
    if ! m=$(measure "$py" "$here/tf_gradient.py" "$model" "$prepared" "$work/tf" "$work/tf64_summary.json" \
            --rows 0 --float64-rows "$float64_rows" --threads "$tf_threads" 2> "$work/tf_gradient64.log"); then
        echo "tf_gradient.py --float64-rows failed:" >&2; tail -30 "$work/tf_gradient64.log" >&2; exit 1
    fi
    IFS=$'\t' read -r t64_s t64_mem t64_cpu <<< "$m"
    row "float64_reference_process(not_a_timing)" tensorflow "$float64_rows" "$t64_s" - "$t64_mem" "$t64_cpu" - "$tl"
fi

# (h) Agreement of the scores, sequence by sequence. After printing everything the run fails if
# grad-input misses its target (max|fusionai - TF| / max|TF| <= 1e-4), or integrated gradients a
# Pearson r of 0.9999: their per-position values can move by ~1e-2 of the largest where a max-pool
# window holds a near-tie (relative gap ~1e-6) at one of the interpolated inputs, and float32
# rounding (FFT vs direct convolution) picks the other position; see README.md.
agreement="$out/agreement.tsv"
header=$("$py" "$here/compare.py" "$work/out.grad" "$work/tf" "$rows" "$work/tf_summary.json" --header)
{
    printf 'method\t%s\n' "${header%%$'\n'*}"
    printf '%s\n' "${header#*$'\n'}" | sed 's/^/grad-input\t/'
    if [ "$ig_rows" -gt 0 ]; then
        "$py" "$here/compare.py" "$work/out.ig" "$work/tf" "$ig_rows" "$work/tf_summary.json" --suffix ig \
            | sed "s/^/integrated-gradients-$ig_steps\t/"
    fi
} > "$agreement"
worst=$(awk -F'\t' '$1 == "grad-input" && $2 == "worst" { print $6 }' "$agreement")
worst_ig=$(awk -F'\t' '$1 ~ /^integrated/ && $2 == "worst" { printf "max rel %s, Pearson r >= %s, rel L2 %s", $6, $7, $13 }' "$agreement")

# The XLA trials of TensorFlow's gradient, one line each.
"$py" - "$work/tf_summary.json" > "$out/sweep.tsv" <<'PYEOF'
import json, sys
s = json.load(open(sys.argv[1]))
print("tool\tconfiguration\tbatch\trows\tseconds\ts_per_seq\tcpu_s\tnote")
for t in s.get("grad_trials", []):
    chosen = t["jit"] == s.get("grad_jit_compile" if t["kind"] == "batch1" else "grad_batched_jit_compile")
    note = "chosen" if chosen else ""
    if "max_rel_diff_vs_no_jit" in t:
        note += ("; " if note else "") + f"max rel diff vs no XLA {t['max_rel_diff_vs_no_jit']:.2g}"
    print(f"tensorflow\tgrad-input tf.function jit_compile={t['jit']}\t{t['batch']}\t{t['rows']}\t{t['seconds']}"
          f"\t{t['s_per_seq']}\t{t['cpu_s']}\t{note}")
PYEOF

bench_environment \
    tf_configuration "Keras 3 load_model; tf.function(GradientTape around model(x, training=False)); grad-input batch 1 (jit_compile $(j grad_jit_compile)) and $grad_batch (jit_compile $(j grad_batched_jit_compile)); IG $ig_steps midpoint steps, zero baseline, $(j ig_batch) points per call (jit_compile $(j ig_jit_compile)); forward tf.function batch $(j predict_batch)" \
    fusionai_configuration "explain --threads $threads, whole process (grad-input also as a 1-row-subtracted estimate)" \
    rows "grad-input $rows, IG $ig_rows, forward $predict_rows, ISM row 1" \
    ism_verify "--verify-ism $verify_ism: largest |fast - brute force| dP $verify_diff" \
    ism_tf_check "$([ "$ism_check" = 0 ] && echo "not run" || echo "$(j ism_check_substitutions) substitutions: max |dP fusionai - dP TF| $(j ism_check_max_abs_diff) (max |dP TF| $(j ism_check_max_abs_delta_tf))")"

# Table, ratios, agreement, configuration.
column -t -s $'\t' "$results"
echo
awk -v tf="$tf_gs" -v fa="$fa_gs" -v tfb="$tf_gbs" -v gb="$grad_batch" -v fae="$ga_s" -v rows="$rows" \
    -v tfi="$tf_igs" -v fai="$fa_igs" -v steps="$ig_steps" \
    -v tfn="$tf_ism" -v fis="$ism_s" -v tgc="$(j grad_cpu_s)" -v fgc="$fa_gcpu" -v subs="$subs" -v tpc="$(j predict_cpu_s)" \
    -v tpn="$tf_pn" -v fic="$ism_cpu" 'BEGIN {
    printf "grad-input, TF s/seq (batch 1, warm) / fusionai s/seq (excl. start-up, est.): %.4f / %.4f = %.1fx\n", tf, fa, tf / fa
    printf "grad-input, TF s/seq (batch %d, warm) / fusionai s/seq (excl. start-up, est.): %.4f / %.4f = %.1fx\n", gb, tfb, fa, tfb / fa
    printf "grad-input, TF s/seq (batch %d, warm) / fusionai whole process (%d rows / %d): %.4f / %.4f = %.1fx\n", gb, rows, rows, tfb, fae / rows, tfb / (fae / rows)
    if (tfi != "-") printf "integrated gradients (%d steps), TF s/seq (warm) / fusionai s/seq (whole process): %.3f / %.3f = %.1fx\n", steps, tfi, fai, tfi / fai
    if (fis != "-") printf "ISM, TF naive estimate / fusionai full ISM (whole process): %s s / %.1f s = %.0fx\n", tfn, fis, tfn / fis
    printf "CPU time (less sensitive to other load): grad-input TF batch 1 / fusionai per sequence: %.2f / %.3f CPU s = %.1fx", \
        tgc / rows, fgc / (rows - 1), (tgc / rows) / (fgc / (rows - 1))
    if (fic != "-") printf "; ISM, TF %d x forward CPU s/seq / fusionai ISM CPU s: %.0f / %.1f = %.0fx", subs, subs * tpc / tpn, fic, subs * tpc / tpn / fic
    printf "\n"
}'
echo
column -t -s $'\t' "$out/sweep.tsv"
echo
column -t -s $'\t' "$agreement"
echo
echo "grad-input agreement: worst over $rows sequences of max|fusionai - TF| / max|TF| = $worst (target <= 1e-4)"
echo "integrated gradients agreement: ${worst_ig:--} (r target >= 0.9999)"
echo "TF batch $grad_batch vs batch 1: $(j grad_batched_vs_batch1_max_rel_diff)"
echo "fusionai --verify-ism $verify_ism: largest |fast - brute force| dP = $verify_diff"
[ "$ism_check" = 0 ] || echo "TF ISM spot check (row 1, $(j ism_check_positions) positions, $(j ism_check_substitutions) substitutions): max|dP fusionai - dP TF| = $(j ism_check_max_abs_diff), max|dP TF| there = $(j ism_check_max_abs_delta_tf), P(ref) = $(j ism_check_reference_p)"
echo
column -t -s $'\t' "$out/environment.tsv"
echo "tables in $out; run took $(( $(date +%s) - started )) s"
[ "${DLS:-1}" = 0 ] || "$here/deeplift.sh"
bad=$(awk -F'\t' '$2 == "worst" && (($1 == "grad-input" && $6 + 0 > 1e-4) || ($1 ~ /^integrated/ && $7 + 0 < 0.9999)) { print $1 }' "$agreement")
[ -z "$bad" ] || { echo "FAIL: fusionai and TensorFlow disagree beyond the target for: $bad" >&2; exit 1; }
