#!/usr/bin/env bash
# explain benchmark, DeepLIFT part: `fusionai explain --method deepliftshap --references 10` against
# TensorFlow 2.21 + Keras 3 (DeepLIFT's rescale rule by gradient override in one tf.function,
# tf_deeplift.py) and shap's DeepExplainer, on the same model, sequences and references, one run;
# DeepLIFT with the zero reference too; and the agreement of the values (compare_deeplift.py).
# run.sh calls it last; `DLS_ONLY=1 run.sh` runs only this. Its rows replace the deeplift rows of
# results.tsv, agreement.tsv, sweep.tsv and environment.tsv and leave the others as they are.
# Not run by CI. See README.md.
#
#   DLS_ROWS=4          sequences explained by fusionai, TF (headline) and shap (SMOKE: 2)
#   DLS_REFERENCES=10   dinucleotide shuffles per sequence (seeds 1..10, fusionai's), every tool
#   DLS_SWEEP_ROWS=2    TF: sequences each sweep trial is timed on (SMOKE: 1)
#   DLS_BATCHES=10,20   TF: references (input/reference pairs) per call tried (SMOKE: 10)
#   DLS_JIT=auto        TF: XLA off and on (auto), off, on
#   DLS_VARIANTS=paired,split  TF: paired = inputs and references in one batch, both differentiated through
#                       (captum / tangermeme / shap); split = the inputs' forward pass once per sequence and
#                       only the inputs differentiated (tf_deeplift.py)
#   DLS_CONFIGS=...     TF: instead of variants x XLA x batches, e.g. paired:off:10,split:on:20
#   DLS_TF_ONLY=1       only a second TensorFlow process (DLS_CONFIGS, DLS_ROWS), after a full DLS run: its
#                       trials, headline and agreement with that run's fusionai output are appended, not replaced
#   DLZ_ROWS=2          DeepLIFT, zero reference: sequences (SMOKE: 1)
#   SHAP_ROWS=DLS_ROWS  shap DeepExplainer sequences; 0: skip
#   SHAP_LOGIT_ROWS=1   shap and TF on the logit instead of P (how they differ apart from softmax)
#   THREADS, MODEL, FUSIONAI, TF_PYTHON, SMOKE as run.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work="$here/work"
# shellcheck source=../common.sh
. "$here/../common.sh"
if [ "$smoke" = 1 ]; then
    dls_rows=${DLS_ROWS:-2}; sweep_rows=${DLS_SWEEP_ROWS:-1}; batches=${DLS_BATCHES:-10}; dlz_rows=${DLZ_ROWS:-1}
else
    dls_rows=${DLS_ROWS:-4}; sweep_rows=${DLS_SWEEP_ROWS:-2}; batches=${DLS_BATCHES:-10,20}; dlz_rows=${DLZ_ROWS:-2}
fi
refs=${DLS_REFERENCES:-10}
variants=${DLS_VARIANTS:-paired,split}
configs=${DLS_CONFIGS:-}
tf_only=${DLS_TF_ONLY:-0}
dls_jit=${DLS_JIT:-auto}
shap_rows=${SHAP_ROWS:-$dls_rows}
shap_logit_rows=${SHAP_LOGIT_ROWS:-1}
if [ "$tf_only" = 1 ]; then shap_rows=0; shap_logit_rows=0; dlz_rows=0; fi
threads=${THREADS:-2}
started=$(date +%s)
[ "$dls_rows" -ge 2 ] || { echo "DLS_ROWS must be at least 2 (a 1-row run is subtracted)" >&2; exit 1; }

bench_binary
bench_model "${MODEL:-}"
bench_outdir
need=$dls_rows
for n in "$sweep_rows" "$dlz_rows" "$shap_rows"; do [ "$n" -le "$need" ] || need=$n; done
bench_inputs "$need" "$work/example"
prepared="$work/prepared.tsv"
tfdir="$work/tf_dl" tfjson="$work/tf_deeplift.json" tflog="$work/tf_deeplift.log"
if [ "$tf_only" = 1 ]; then
    tfdir="$work/tf_dl_extra" tfjson="$work/tf_deeplift_extra.json" tflog="$work/tf_deeplift_extra.log"
    [ -f "$work/out.dls/summary.tsv" ] || { echo "DLS_TF_ONLY=1 needs a DLS run's work/out.dls" >&2; exit 1; }
    rm -rf "$tfdir"
else
    rm -rf "$work/out.dls" "$work/out.dls-1" "$work/out.dlz" "$tfdir"
fi
: > "$work/fusionai_deeplift.log"
sync

# The committed tables keep their other rows; this part's rows are replaced (or the tables made).
results="$out/results.tsv" agreement="$out/agreement.tsv" sweep="$out/sweep.tsv" env="$out/environment.tsv"
strip() {  # FILE HEADER PATTERN: the file without lines whose first field matches PATTERN (not with DLS_TF_ONLY)
    [ "$tf_only" = 0 ] || return 0
    if [ -s "$1" ]; then
        awk -F'\t' -v p="$3" '$1 !~ p' "$1" > "$1.tmp" && mv "$1.tmp" "$1"
    else
        printf '%s\n' "$2" > "$1"
    fi
}
strip "$results" $'measurement\ttool\trows\tthreads\tseconds\ts_per_seq\tpeak_MiB\tcpu_s\tload_1m' '^deeplift'
h=$'method\trow\tid\tmax_abs_tf\tmax_abs_diff\trel_diff\tpearson_r\trel_fusionai_vs_tf64\trel_tf32_vs_tf64'
strip "$agreement" "$h"$'\tp_fusionai\tp_tf\tabs_dp\trel_l2' '^(deeplift|completeness|logit)'
strip "$sweep" $'tool\tconfiguration\tbatch\trows\tseconds\ts_per_seq\tcpu_s\tnote' '^deeplift'
strip "$env" $'key\tvalue' '^deeplift'
row() {  # measurement tool rows seconds s_per_seq peak cpu load [threads]
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${9:-$threads}" "$4" "$5" "$6" "$7" "$8" >> "$results"
}
per() { awk -v s="$1" -v n="$2" 'BEGIN { printf "%.4f", s / n }'; }
fa_explain() {
    local m
    if ! m=$(measure "$bin" explain "$@" 2>> "$work/fusionai_deeplift.log"); then
        echo "fusionai explain $* failed:" >&2; tail -20 "$work/fusionai_deeplift.log" >&2; exit 1
    fi
    echo "$m"
}

m_ref=deepliftshap${refs}
if [ "$tf_only" = 0 ]; then
# (a) fusionai DeepLiftShap, whole process, on DLS_ROWS rows and on 1 row: (t(N) - t(1)) / (N - 1) is
# the per-sequence time without start-up and model load. Then DeepLIFT with the zero reference.
l=$(load1)
m=$(fa_explain -q -m "$model" "$prepared" --rows "1-$dls_rows" --method deepliftshap --references "$refs" \
    --threads "$threads" -o "$work/out.dls")
IFS=$'\t' read -r da_s da_mem da_cpu <<< "$m"
row "${m_ref}_end_to_end" fusionai "$dls_rows" "$da_s" "$(per "$da_s" "$dls_rows")" "$da_mem" "$da_cpu" "$l"
l=$(load1)
m=$(fa_explain -q -m "$model" "$prepared" --rows 1 --method deepliftshap --references "$refs" \
    --threads "$threads" -o "$work/out.dls-1")
IFS=$'\t' read -r d1_s d1_mem d1_cpu <<< "$m"
row "${m_ref}_end_to_end" fusionai 1 "$d1_s" "$d1_s" "$d1_mem" "$d1_cpu" "$l"
fa_ds=$(awk -v a="$da_s" -v b="$d1_s" -v n="$dls_rows" 'BEGIN { printf "%.4f", (a - b) / (n - 1) }')
fa_dcpu=$(awk -v a="$da_cpu" -v b="$d1_cpu" 'BEGIN { printf "%.2f", a - b }')
row "${m_ref}_excl_startup_est($dls_rows-1)" fusionai "$((dls_rows - 1))" \
    "$(awk -v a="$da_s" -v b="$d1_s" 'BEGIN { printf "%.3f", a - b }')" "$fa_ds" - "$fa_dcpu" -
l=$(load1)
m=$(fa_explain -q -m "$model" "$prepared" --rows "1-$dlz_rows" --method deeplift --threads "$threads" \
    -o "$work/out.dlz")
IFS=$'\t' read -r dz_s dz_mem dz_cpu <<< "$m"
row deeplift_zero_end_to_end fusionai "$dlz_rows" "$dz_s" "$(per "$dz_s" "$dlz_rows")" "$dz_mem" "$dz_cpu" "$l"
else
    fa_ds=$(awk -F'\t' '$1 ~ /^deepliftshap.*excl_startup/ { print $6 }' "$results" | tail -1)
    da_s=$(awk -F'\t' -v n="$dls_rows" '$1 ~ /^deepliftshap.*_end_to_end/ && $3 == n { print $5 }' "$results" | tail -1)
fi

# (b) TensorFlow and shap, one process (tf_deeplift.py): the sweep, the headline, zero reference, shap.
l=$(load1)
if ! m=$(measure "$py" "$here/tf_deeplift.py" "$model" "$prepared" "$tfdir" "$tfjson" \
        --rows "$dls_rows" --references "$refs" --sweep-rows "$sweep_rows" --batches "$batches" --jit "$dls_jit" \
        --variants "$variants" --configs "$configs" \
        --zero-rows "$dlz_rows" --shap-rows "$shap_rows" --shap-logit-rows "$shap_logit_rows" \
        2> "$tflog"); then
    echo "tf_deeplift.py failed:" >&2; tail -30 "$tflog" >&2; exit 1
fi
IFS=$'\t' read -r tf_s tf_mem tf_cpu <<< "$m"
k() { js "$tfjson" "$1"; }
second=$([ "$tf_only" = 1 ] && echo "_second_process" || true)
tf_ds=$(k dls_s_per_seq)
variant=$(k dls_variant); [ "$variant" != - ] || variant=paired
name="${m_ref}_warm_${variant}_batch$(k dls_batch_pairs)_jit$(k dls_jit_compile)$second"
row "$name" tensorflow "$(k dls_rows)" "$(k dls_total_s)" \
    "$tf_ds" "$tf_mem" "$(k dls_cpu_s)" "$l" default
shap_ds=-
if [ "$(k shap_rows)" != - ]; then
    shap_ds=$(k shap_s_per_seq)
    row "${m_ref}_shap_deepexplainer_$(k shap_backend)" tensorflow "$(k shap_rows)" "$(k shap_total_s)" "$shap_ds" \
        "$tf_mem" "$(k shap_cpu_s)" "$l" default
fi
row "deeplift_tf_process_end_to_end$second" tensorflow - "$tf_s" - "$tf_mem" "$tf_cpu" "$l" default

"$py" - "$tfjson" "$tf_only" >> "$sweep" <<'PYEOF'
import json, sys
s = json.load(open(sys.argv[1]))
for t in s["dls_trials"]:
    v = t.get("variant", "paired")
    chosen = (t["jit"] == s["dls_jit_compile"] and t["batch_pairs"] == s["dls_batch_pairs"]
              and v == s.get("dls_variant", "paired"))
    print(f"deepliftshap{s['references']}\ttensorflow DeepLIFT rescale, {v}, tf.function jit_compile={t['jit']}, "
          f"{t['batch_pairs']} input/reference pairs per call"
          f"{' (second TF process)' if sys.argv[2] == '1' else ''}\t{t['batch_pairs']}"
          f"\t{t['rows']}\t{t['seconds']}\t{t['s_per_seq']}\t{t['cpu_s']}\t{'chosen' if chosen else ''}"
          f"{'; ' if chosen else ''}warm-up {t['warmup_s']} s")
PYEOF

# (c) Agreement.
if [ "$tf_only" = 1 ]; then
    "$py" "$here/compare_deeplift.py" "$tfdir" "$tfjson" "$dls_rows" "$refs" "$work/out.dls" --tag "$variant" \
        > "$work/deeplift_agreement_extra.tsv"
    cat "$work/deeplift_agreement_extra.tsv" >> "$agreement"
    printf 'deeplift_tf_second_process\t%s: %s; load at end %s\n' "$(date '+%F %T %z')" \
        "configs ${configs:-$variants x $dls_jit x $batches}, rows $dls_rows" "$(cut -d' ' -f1-3 /proc/loadavg)" \
        >> "$env"
    column -t -s $'\t' "$results" | grep -E '^(measurement|deeplift)'
    column -t -s $'\t' "$sweep" | grep -E '^(tool|deeplift)'
    column -t -s $'\t' "$work/deeplift_agreement_extra.tsv"
    awk -v tf="$tf_ds" -v fa="$fa_ds" \
        'BEGIN { printf "TF (second process) / fusionai s/seq: %.3f / %.3f = %.1fx\n", tf, fa, tf / fa }'
    exit 0
fi
"$py" "$here/compare_deeplift.py" "$tfdir" "$tfjson" "$dls_rows" "$refs" "$work/out.dls" \
    "$work/out.dlz" > "$work/deeplift_agreement.tsv"
cat "$work/deeplift_agreement.tsv" >> "$agreement"

{
    printf 'deeplift_date\t%s\n' "$(date '+%F %T %z')"
    printf 'deeplift_mode\t%s\n' "$([ "$smoke" = 1 ] && echo smoke || echo full)"
    printf 'deeplift_versions\tTensorFlow %s, %s, numpy %s, python %s, shap %s\n' "$(k tensorflow)" "$(k keras)" \
        "$(k numpy)" "$(k python)" "$(k shap)"
    printf 'deeplift_fusionai\t%s, binary built %s, tree %s (%s uncommitted file(s) under Sources/)\n' \
        "$("$bin" --version)" "$(date -r "$bin" '+%F %T')" "$tree" "$dirty"
    printf 'deeplift_model\t%s\n' "$model"
    printf 'deeplift_machine\t%s cores, %s; load at end %s\n' "$(nproc)" \
        "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" "$(cut -d' ' -f1-3 /proc/loadavg)"
    printf '%s\t%s %s %s\n' deeplift_tf_configuration \
        "Keras 3 load_model; layer activations set to linear, DeepLIFT rules (relu, max pool, softmax) as" \
        "tf.custom_gradient; one tf.function(GradientTape) over inputs + references;" \
        "$variant, $(k dls_batch_pairs) pairs per call, jit_compile $(k dls_jit_compile) (fastest of the sweep)"
    printf 'deeplift_tf_threads\t%s / %s\n' \
        "$(k intra_op_threads)" "$(k inter_op_threads)"
    printf '%s\t%s; %s %s; notes: %s\n' deeplift_shap_configuration "$(k shap_status)" \
        "DeepExplainer(model with output softmax[:, 1:2], the same references) made per sequence," \
        "shap_values(x, check_additivity=False), both timed" "$(k shap_notes)"
    printf '%s\t%s %s\n' deeplift_fusionai_configuration "explain --method deepliftshap --references $refs" \
        "--threads $threads, whole process (also as a 1-row-subtracted estimate)"
    printf '%s\t%s %s %s\n' deeplift_references "fusionai's dinucleotide shuffles, seeds 1..$refs," \
        "made again in Python (tf_deeplift.py) and fed to TF and shap; Python's reference generation" \
        "$(k reference_generation_s_per_seq_untimed) s/seq, not timed"
} >> "$env"

column -t -s $'\t' "$results" | grep -E '^(measurement|deeplift)'
echo
awk -v tf="$tf_ds" -v fa="$fa_ds" -v fae="$da_s" -v n="$dls_rows" -v sh="$shap_ds" 'BEGIN {
    printf "DeepLiftShap, TF s/seq (warm, best of sweep) / fusionai s/seq (excl. start-up, est.): "
    printf "%.3f / %.3f = %.1fx\n", tf, fa, tf / fa
    printf "DeepLiftShap, TF s/seq / fusionai whole process (%d rows / %d): ", n, n
    printf "%.3f / %.3f = %.1fx\n", tf, fae / n, tf / (fae / n)
    if (sh != "-") printf "DeepLiftShap, shap DeepExplainer s/seq / fusionai s/seq (excl. start-up, est.): " \
        "%.3f / %.3f = %.1fx\n", sh, fa, sh / fa
}'
echo
column -t -s $'\t' "$sweep" | grep -E '^(tool|deeplift)'
echo
column -t -s $'\t' "$work/deeplift_agreement.tsv"
echo "tables in $out; DeepLIFT part took $(( $(date +%s) - started )) s"
