#!/usr/bin/env bash
# Runs the predict, explain and train benchmarks in sequence (fusionai against TensorFlow 2.21 +
# Keras 3 in tf.function, and ONNX Runtime for the forward pass, each in the fastest configuration
# found; see benchmarks/*/README.md), then prints one table: every figure, both sides, the ratio,
# with the configurations and versions. Meant for a quiet machine: every timing shares the cores
# with whatever else runs. Not run by CI.
#
# Usage: nice -n 5 benchmarks/run-all.sh       full run, ~19 min on 2 cores (+3 min the first time: the
#                                               full-size model is generated once); the tables go to
#                                               benchmarks/{predict,explain,train}/*.tsv (committed)
#        SMOKE=1 benchmarks/run-all.sh          each benchmark in smoke mode (~6 min; tables under work/smoke/)
#        SUMMARY_ONLY=1 benchmarks/run-all.sh   the summary of the tables already there, nothing run
# Other settings (ROWS excepted) pass through to the benchmarks: FUSIONAI, TF_PYTHON, THREADS, TF_THREADS.
# Each benchmark's output is kept in benchmarks/NAME/work/run.log; the summary in
# benchmarks/predict/work/summary.md (smoke: summary-smoke.md).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
smoke=0
[ "${SMOKE:-0}" = 0 ] || smoke=1
unset ROWS  # each benchmark has its own default row count
started=$(date +%s)

load=$(cut -d' ' -f1 /proc/loadavg)
if [ "${SUMMARY_ONLY:-0}" = 0 ] && awk -v l="$load" 'BEGIN { exit !(l > 0.5) }'; then
    echo "warning: load average $load before the start: the machine is not quiet, timings will be low" >&2
fi

step() {  # NAME [VAR=VALUE...]
    local name=$1; shift
    local t0
    t0=$(date +%s)
    mkdir -p "$here/$name/work"
    echo "== $name $* (log: benchmarks/$name/work/run.log)" >&2
    if ! env "$@" "$here/$name/run.sh" > "$here/$name/work/run.log" 2>&1; then
        echo "benchmarks/$name/run.sh failed:" >&2; tail -30 "$here/$name/work/run.log" >&2; exit 1
    fi
    echo "   done in $(( $(date +%s) - t0 )) s" >&2
}

if [ "${SUMMARY_ONLY:-0}" = 0 ]; then
    step predict
    # The explain benchmark's TensorFlow forward pass (its naive-ISM estimate) at the batch size the
    # predict benchmark's sweep found fastest.
    tf_batch=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["batch"])' "$here/predict/work/sweep/tf_summary.json")
    step explain PREDICT_BATCH="$tf_batch"
    step train
fi

dir() { if [ "$smoke" = 1 ]; then echo "$here/$1/work/smoke"; else echo "$here/$1"; fi; }
summary="$here/predict/work/summary$(if [ "$smoke" = 1 ]; then echo -smoke; fi).md"
took=$(( $(date +%s) - started ))
[ "${SUMMARY_ONLY:-0}" = 0 ] || took=-
python3 - "$(dir predict)" "$(dir explain)" "$(dir train)" "$took" > "$summary" <<'PYEOF'
import csv, sys

predict, explain, train, seconds = sys.argv[1:]


def table(path):
    with open(path) as f:
        return list(csv.DictReader(f, delimiter="\t"))


def pick(table_rows, measurement, tool, **more):
    for r in table_rows:
        if r["measurement"] == measurement and r["tool"] == tool and all(r[k] == v for k, v in more.items()):
            return r
    return None


def startswith(table_rows, prefix, tool):
    return next((r for r in table_rows if r["measurement"].startswith(prefix) and r["tool"] == tool), None)


def num(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def fmt(x, unit="", digits=3):
    if x is None:
        return "-"
    if x >= 100:
        return f"{x:,.0f}{unit}"
    return f"{x:.{digits}g}{unit}"


def ratio(a, b):
    return f"{a / b:.1f}x" if a and b else "-"


lines = ["| figure | TensorFlow (Keras 3, tf.function) | ONNX Runtime | fusionai | ratio |", "|---|---|---|---|---|"]


def line(*cells):
    lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")


# predict
p = table(f"{predict}/results.tsv")
env = {r["key"]: r["value"] for r in table(f"{predict}/environment.tsv")}
tfw, ortw = pick(p, "warm_predict", "tensorflow"), pick(p, "warm_predict", "onnxruntime")
tfe, orte = pick(p, "end_to_end", "tensorflow"), pick(p, "end_to_end", "onnxruntime")
rows = tfw["rows"]
fae, faest = pick(p, "end_to_end", "fusionai", rows=rows), startswith(p, "excl_startup_est", "fusionai")
tf_sps, ort_sps, fa_sps = num(tfw["seq_per_s"]), num(ortw["seq_per_s"]), num(fae["seq_per_s"])
line(f"forward, {rows} seq, seq/s (TF/ORT warm at their best batch; fusionai whole process)",
     f"{fmt(tf_sps)} (batch {tfw['batch']})", f"{fmt(ort_sps)} (batch {ortw['batch']})", fmt(fa_sps),
     f"{ratio(fa_sps, tf_sps)} TF, {ratio(fa_sps, ort_sps)} ORT")
fa_est = num(faest["seq_per_s"])
line("forward seq/s, fusionai without start-up (est.)", fmt(tf_sps), fmt(ort_sps), fmt(fa_est),
     f"{ratio(fa_est, tf_sps)} TF, {ratio(fa_est, ort_sps)} ORT")
line("forward, whole process s (incl. start-up, model load)", fmt(num(tfe["seconds"])), fmt(num(orte["seconds"])),
     fmt(num(fae["seconds"])), f"{ratio(num(tfe['seconds']), num(fae['seconds']))} TF, {ratio(num(orte['seconds']), num(fae['seconds']))} ORT")
cpu = [num(r["cpu_s"]) / int(r["rows"]) for r in (tfw, ortw, fae)]
line("forward CPU s per seq", fmt(cpu[0]), fmt(cpu[1]), fmt(cpu[2]), f"{ratio(cpu[0], cpu[2])} TF, {ratio(cpu[1], cpu[2])} ORT")
line("forward peak memory (whole process)", fmt(num(tfe["peak_MiB"]), " MiB"), fmt(num(orte["peak_MiB"]), " MiB"),
     fmt(num(fae["peak_MiB"]), " MiB"), "")
agree = {r["pair"]: r for r in table(f"{predict}/agreement.tsv")}
line("forward agreement, max abs dp vs TF", "-", agree["onnxruntime_vs_tensorflow"]["max_abs_dp"],
     agree["fusionai_vs_tensorflow"]["max_abs_dp"], "(limit 1e-5)")

# explain
e = table(f"{explain}/results.tsv")
g1, gb = pick(e, "grad_input_warm_batch1", "tensorflow"), startswith(e, "grad_input_warm_batch", "tensorflow")
gb = next((r for r in e if r["measurement"].startswith("grad_input_warm_batch") and r["measurement"] != "grad_input_warm_batch1"), gb)
fg = startswith(e, "grad_input_excl_startup_est", "fusionai")
fge = pick(e, "grad_input_end_to_end", "fusionai", rows=g1["rows"])
t1, tb, f1, fe = (num(r["s_per_seq"]) if r else None for r in (g1, gb, fg, fge))
line(f"grad-input s/seq, TF batch 1 ({g1['rows']} seq); fusionai without start-up (est.)", fmt(t1), "-", fmt(f1), ratio(t1, f1))
line(f"grad-input s/seq, TF batch {gb['measurement'].split('batch')[-1]}; fusionai whole process", fmt(tb), "-", fmt(fe), ratio(tb, fe))
tig, fig = startswith(e, "integrated_gradients", "tensorflow"), startswith(e, "integrated_gradients", "fusionai")
if tig and fig:
    steps = tig["measurement"].split("_")[2]
    line(f"integrated gradients ({steps} steps) s/seq ({tig['rows']} seq; fusionai whole process)",
         fmt(num(tig["s_per_seq"])), "-", fmt(num(fig["s_per_seq"])), ratio(num(tig["s_per_seq"]), num(fig["s_per_seq"])))
tism, fism = startswith(e, "ism_naive_estimate", "tensorflow"), pick(e, "ism_full_end_to_end", "fusionai")
if fism:
    line("exact ISM of one sequence, s (TF: naive estimate, 3 x positions forward passes)", fmt(num(tism["seconds"])),
         "-", fmt(num(fism["seconds"])), ratio(num(tism["seconds"]), num(fism["seconds"])))
    envx = {r["key"]: r["value"] for r in table(f"{explain}/environment.tsv")}
    line("exact ISM agreement (fusionai vs brute force; vs TensorFlow at sampled substitutions)", "-", "-",
         f"{envx.get('ism_verify', '-')}; TF check {envx.get('ism_tf_check', '-')}", "")
tfp = pick(e, "tf_process_end_to_end", "tensorflow")
line("gradient peak memory (whole process)", fmt(num(tfp["peak_MiB"]), " MiB"), "-", fmt(num(fge["peak_MiB"]), " MiB"), "")
ea = {r["method"]: r for r in table(f"{explain}/agreement.tsv") if r["row"] == "worst"}
for method, r in ea.items():
    if method == "grad-input":
        line("grad-input agreement, max abs diff / max abs TF (worst sequence)", "-", "-", r["rel_diff"], "(target 1e-4)")
    else:
        line(f"{method} agreement: Pearson r (smallest), rel L2, max abs diff / max abs TF", "-", "-",
             f"r {r['pearson_r']}, L2 {r['rel_l2']}, max {r['rel_diff']}", "(r target 0.9999)")

# train
t = table(f"{train}/results.tsv")
tev, tst = pick(t, "epoch_with_validation_warm", "tensorflow"), startswith(t, "train_epoch_warm", "tensorflow")
fep, fst = startswith(t, "epoch_est", "fusionai"), startswith(t, "train_step_est", "fusionai")
a, b = num(tev["s_per_sample"]), num(fep["s_per_sample"])
line(f"one training epoch ({tev['rows']} seq, batch {tev['batch']}) incl. validation, s/sample", fmt(a), "-", fmt(b), ratio(a, b))
a, b = num(tst["s_per_sample"]), num(fst["s_per_sample"])
line("training steps only, s/sample (fusionai: epoch minus validation, est.)", fmt(a), "-", fmt(b), ratio(a, b))
tpe = pick(t, "tf_process_end_to_end", "tensorflow")
fpe = startswith(t, "train_end_to_end(epochs=2", "fusionai") or startswith(t, "train_end_to_end", "fusionai")
line("training peak memory (whole process)", fmt(num(tpe["peak_MiB"]), " MiB"), "-", fmt(num(fpe["peak_MiB"]), " MiB"), "")

took = f", {seconds} s" if seconds != "-" else ""
print(f"# Benchmarks ({env.get('mode', '?')} run, predict at {env.get('date', '?')}{took})\n")
print("\n".join(lines))
print()
for key in ("tf_configuration", "ort_configuration", "fusionai_configuration", "onnx_check"):
    print(f"- predict {key}: {env.get(key, '-')}")
for name, path in (("explain", explain), ("train", train)):
    envx = {r["key"]: r["value"] for r in table(f"{path}/environment.tsv")}
    for key in ("tf_configuration", "fusionai_configuration"):
        print(f"- {name} {key}: {envx.get(key, '-')}")
print(f"- TensorFlow {env['tensorflow']}, {env['keras']}, ONNX Runtime {env['onnxruntime']}, onnx {env['onnx']}, "
      f"NumPy {env['numpy']}, Python {env['python']}; TF threads: {env['tf_threads']}")
print(f"- fusionai {env['fusionai']}")
print(f"- machine: {env['machine']}; load average at the end of predict: {env['load_at_end']}")
print(f"- sweeps: {predict}/sweep.tsv, {explain}/sweep.tsv, {train}/sweep.tsv")
PYEOF
cat "$summary"
echo
echo "summary: $summary; tables: $(dir predict), $(dir explain), $(dir train)"
