#!/usr/bin/env python3
"""ONNX Runtime side of the predict benchmark: FusionAI scores for a `fusionai prepare` file with
the ONNX graphs onnx_model.py built (and checked against Keras) from the same Keras weights.

ONNX Runtime on the CPU execution provider, intra-op threads --threads (2), inter-op 1, sequential
execution. No TensorFlow in this process (its peak memory is ONNX Runtime's own). Encoding is
make_fixtures.one_hot, as for TensorFlow and fusionai.

1. Sweep (not the headline; skipped when --level and --batch fix the configuration), each trial
   after an untimed warm-up call of every shape it sees: (a) every graph in GRAPHS x graph
   optimisation level (all, extended, basic) at batch --probe-batch on the first --probe-rows
   rows; (b) the fastest of those at every batch size in --sweep-batches on the first
   --sweep-rows rows. A trial whose first one-row call is --skip-factor (4) times slower than
   the fastest first call so far is recorded as skipped instead of timed (without graph
   optimisations the 2-D graph's (200, 1) convolution runs ~10x slower: minutes per trial).
2. Timed run: all rows at the fastest (graph, level, batch), after untimed warm-up calls, wall and
   process CPU time.
3. If --reference Y.npy (tf_predict.py's probabilities for the same rows) is given, the timed
   outputs must be within --tolerance (1e-5) of it, or the script fails.

Writes OUT.tsv (as tf_predict.py) and SUMMARY.json (timings, the sweep, the chosen configuration,
versions, peak RSS).

Usage: ort_predict.py PREPARED.tsv OUT.tsv SUMMARY.json GRAPH.onnx [GRAPH.onnx ...]
           [--threads 2] [--sweep-batches 1,8,16,32] [--sweep-rows 32] [--probe-batch 8]
           [--probe-rows 16] [--sweep-only] [--level basic|extended|all --batch B] [--reference Y.npy]
"""

import argparse
import os
import platform
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tf_common  # noqa: E402  (one_hot, read_prepared, timing; TensorFlow is not imported)

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402

COLUMNS = ["Hgene", "Hchr", "Hbp", "Hstrand", "Tgene", "Tchr", "Tbp", "Tstrand"]
LEVELS = {"all": ort.GraphOptimizationLevel.ORT_ENABLE_ALL,  # the likely fastest first (see --skip-factor)
          "extended": ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
          "basic": ort.GraphOptimizationLevel.ORT_ENABLE_BASIC}


def session(path, level, threads):
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.graph_optimization_level = LEVELS[level]
    s = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    return lambda a: s.run(None, {"input": a})[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("prepared")
    ap.add_argument("out")
    ap.add_argument("summary")
    ap.add_argument("graphs", nargs="+")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--sweep-batches", default="1,8,16,32")
    ap.add_argument("--sweep-rows", type=int, default=32)
    ap.add_argument("--probe-batch", type=int, default=8)
    ap.add_argument("--probe-rows", type=int, default=16)
    ap.add_argument("--level", choices=tuple(LEVELS), help="with --batch and one GRAPH: no sweep")
    ap.add_argument("--batch", type=int, default=0)
    ap.add_argument("--skip-factor", type=float, default=4.0,
                    help="sweep: a configuration whose first 1-row call is this many times slower than "
                         "the fastest first call so far (and over 1 s) is recorded as skipped, not timed")
    ap.add_argument("--reference")
    ap.add_argument("--tolerance", type=float, default=1e-5)
    ap.add_argument("--sweep-only", action="store_true", help="stop after the sweep (no timed run, no OUT)")
    args = ap.parse_args()
    import_s = tf_common.since((tf_common.START, 0))[0]

    shape = onnx.load(args.graphs[0], load_external_data=False).graph.input[0].type.tensor_type.shape
    input_shape = tuple(int(d.dim_value) for d in shape.dim[1:])
    keys, seqs, _ = tf_common.read_prepared(args.prepared, input_shape[0] // 2)
    t = tf_common.clock()
    x = tf_common.one_hot(seqs, input_shape)
    encode_s = tf_common.since(t)[0]
    xs = x[:min(args.sweep_rows, len(x))]

    first_calls = []  # seconds of each trial's first one-row call

    def trial(graph, level, batch, rows):
        t = tf_common.clock()
        fn = session(graph, level, args.threads)
        session_s = tf_common.since(t)[0]
        t = tf_common.clock()
        fn(xs[:1])
        first = tf_common.since(t)[0]
        r = {"graph": os.path.basename(graph), "level": level, "batch": batch, "rows": len(xs[:rows]),
             "session_s": round(session_s, 3), "first_call_s": round(first, 3)}
        if first_calls and first > max(args.skip_factor * min(first_calls), 1.0):
            # Far slower than the best so far on one row: not worth timing on all sweep rows.
            r["skipped"] = (f"first 1-row call {first:.2f} s > {args.skip_factor:g} x the fastest "
                            f"({min(first_calls):.2f} s)")
        else:
            _, wall, cpu, warm = tf_common.time_batched(fn, xs[:rows], batch)
            r.update({"seconds": round(wall, 3), "cpu_s": round(cpu, 2), "seq_per_s": round(len(xs[:rows]) / wall, 3),
                      "warmup_s": round(warm, 3)})
        first_calls.append(first)
        print(f"sweep: {r}", file=sys.stderr)
        return r

    if args.level and args.batch:
        if len(args.graphs) != 1:
            sys.exit("ort_predict: --level and --batch take one GRAPH")
        sweep, graph = [], args.graphs[0]
        best = {"graph": os.path.basename(graph), "level": args.level, "batch": args.batch}
    else:
        # 1. Sweep: graph x level at the probe batch, then batch sizes for the best of those.
        probe = min(args.probe_batch, len(xs))
        sweep = [trial(g, level, probe, max(args.probe_rows, probe)) for g in args.graphs for level in LEVELS]
        best = max((r for r in sweep if "seq_per_s" in r), key=lambda r: r["seq_per_s"])
        graph = next(g for g in args.graphs if os.path.basename(g) == best["graph"])
        candidates = [int(b) for b in args.sweep_batches.split(",")]
        same_rows = max(args.probe_rows, probe) >= len(xs)  # the probe already measured that batch
        sweep += [trial(graph, best["level"], b, len(xs)) for b in tf_common.batches_up_to(candidates, len(xs))
                  if not (same_rows and b == probe)]
        best = max((r for r in sweep if r["graph"] == best["graph"] and r["level"] == best["level"]
                    and r["rows"] == len(xs) and "seq_per_s" in r), key=lambda r: r["seq_per_s"])

    config = {"graph": best["graph"], "graph_optimization_level": best["level"], "batch": best["batch"],
              "sweep": sweep}
    if args.sweep_only:
        tf_common.write_summary(args.summary, {"rows": len(xs), **config, "onnxruntime": ort.__version__})
        return

    # 2. Timed run at the best configuration.
    fn = session(graph, best["level"], args.threads)
    y, timed_s, timed_cpu_s, warm_s = tf_common.time_batched(fn, x, best["batch"])

    # 3. Against TensorFlow's probabilities.
    check = None
    if args.reference:
        ref = np.load(args.reference)
        if ref.shape != y.shape:
            sys.exit(f"ort_predict: {y.shape} outputs, reference {ref.shape}")
        check = float(np.max(np.abs(y.astype(np.float64) - ref)))
        if check > args.tolerance:
            sys.exit(f"ort_predict: max |ORT - TF| = {check:.3g} > {args.tolerance}")

    with open(args.out, "w") as f:
        f.write("\t".join(COLUMNS + ["fusion_negative_prob", "fusion_positive_prob"]) + "\n")
        for k, (neg, pos) in zip(keys, y):
            f.write("\t".join(k + [str(neg), str(pos)]) + "\n")

    summary = {
        "rows": len(x),
        "graph": best["graph"],
        "graph_optimization_level": best["level"],
        "batch": best["batch"],
        "sweep": sweep,
        "intra_op_threads": args.threads,
        "inter_op_threads": 1,
        "execution_mode": "sequential",
        "provider": "CPUExecutionProvider",
        "onnxruntime": ort.__version__,
        "onnx": onnx.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "import_s": round(import_s, 3),
        "encode_s": round(encode_s, 3),
        "warmup_s": round(warm_s, 3),
        "timed_predict_s": round(timed_s, 3),
        "timed_cpu_s": round(timed_cpu_s, 2),
        "timed_seq_per_s": round(len(x) / timed_s, 3),
        "max_abs_diff_vs_tf": check,
    }
    tf_common.write_summary(args.summary, summary)


if __name__ == "__main__":
    main()
