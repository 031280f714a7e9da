#!/usr/bin/env python3
"""TensorFlow side of the predict benchmark: FusionAI scores for a `fusionai prepare` file, in the
fastest configuration found for TensorFlow on this machine.

Loads the Keras file with Keras 3 (`keras.models.load_model`, the Keras-2 .h5 that fusionai reads
too), one-hot encodes every row exactly as FusionAI does (make_fixtures.one_hot: head window then
tail window; A,C,G,T -> channels 0..3, case-insensitive; anything else all zeros), and runs the
forward pass as a `tf.function` (`model(x, training=False)`, batch axis left open so one trace
serves every batch size) with TensorFlow's default threading. Then:

1. Sweep (not the headline): for each batch size in --sweep-batches that fits in --sweep-rows,
   one untimed warm-up call of that shape (oneDNN primitives), then the first --sweep-rows rows
   timed at that batch size. The fastest batch size wins.
2. XLA trial: the same function with `jit_compile=True` at the winning batch size (untimed warm-up
   call = compilation, then timed over the sweep rows). It is used only if it is faster AND its
   outputs are within --tolerance of the non-XLA ones.
3. Timed run: all rows at the winning configuration, after an untimed warm-up of every shape it
   will see (wall and process CPU time).

Writes
    OUT.tsv       header + the 8 breakpoint columns + fusion_negative_prob, fusion_positive_prob
    OUT.npy       the same probabilities as float32 [rows x outputs] (for the ONNX check)
    SUMMARY.json  timings, the sweep, the chosen configuration, versions, peak RSS

Usage: tf_predict.py MODEL.h5 PREPARED.tsv OUT.tsv SUMMARY.json [--sweep-batches 1,8,16,32]
           [--sweep-rows 32] [--sweep-only] [--batch B (skip the sweep)] [--jit auto|on|off]
Runs in tools/.venv (tools/keras_reference/setup.sh).
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tf_common  # noqa: E402  (first: quiets TensorFlow's log, starts the import clock)

import numpy as np  # noqa: E402

COLUMNS = ["Hgene", "Hchr", "Hbp", "Hstrand", "Tgene", "Tchr", "Tbp", "Tstrand"]


def main():
    ap = tf_common.argument_parser(__doc__, "prepared", "out", "summary")
    ap.add_argument("--sweep-batches", default="1,8,16,32")
    ap.add_argument("--sweep-rows", type=int, default=32)
    ap.add_argument("--batch", type=int, default=0, help="use this batch size, no sweep")
    ap.add_argument("--jit", choices=("auto", "on", "off"), default="auto")
    ap.add_argument("--tolerance", type=float, default=1e-5)
    ap.add_argument("--sweep-only", action="store_true", help="stop after the sweep (no timed run, no OUT)")
    args = ap.parse_args()

    tf, keras, import_s = tf_common.import_tensorflow(args.threads)
    model, load_s, input_shape = tf_common.load_model(keras, args.model)

    keys, seqs, _ = tf_common.read_prepared(args.prepared, input_shape[0] // 2)
    t = tf_common.clock()
    x = tf_common.one_hot(seqs, input_shape)
    encode_s = tf_common.since(t)[0]

    def forward(jit):
        @tf.function(jit_compile=jit, reduce_retracing=True)
        def f(inp):
            return model(inp, training=False)
        return lambda a: f(tf.constant(a)).numpy()

    plain = forward(False)
    summary = {"rows": len(x)}

    # 1. Batch-size sweep on the first sweep rows.
    xs = x[:min(args.sweep_rows, len(x))]
    sweep = []
    if args.batch:
        best_batch = args.batch
    else:
        candidates = [int(b) for b in args.sweep_batches.split(",")]
        for b in tf_common.batches_up_to(candidates, len(xs)):
            _, wall, cpu, warm = tf_common.time_batched(plain, xs, b)
            sweep.append({"batch": b, "jit": False, "rows": len(xs), "seconds": round(wall, 3),
                          "cpu_s": round(cpu, 2), "seq_per_s": round(len(xs) / wall, 3),
                          "warmup_s": round(warm, 3)})
            print(f"sweep: batch {b}: {len(xs) / wall:.3f} seq/s", file=sys.stderr)
        best_batch = max(sweep, key=lambda r: r["seq_per_s"])["batch"]

    # 2. XLA at the best batch size: used only if faster and within tolerance.
    use_jit = args.jit == "on"
    if args.jit == "auto":
        ref = tf_common.run_batched(plain, xs, best_batch)
        base = next((r for r in sweep if r["batch"] == best_batch), None)
        if base is None:
            _, wall, cpu, warm = tf_common.time_batched(plain, xs, best_batch)
            base = {"batch": best_batch, "jit": False, "rows": len(xs), "seconds": round(wall, 3),
                    "cpu_s": round(cpu, 2), "seq_per_s": round(len(xs) / wall, 3), "warmup_s": round(warm, 3)}
            sweep.append(base)
        try:
            y_jit, wall, cpu, warm = tf_common.time_batched(forward(True), xs, best_batch)
            diff = float(np.max(np.abs(y_jit - ref)))
            trial = {"batch": best_batch, "jit": True, "rows": len(xs), "seconds": round(wall, 3),
                     "cpu_s": round(cpu, 2), "seq_per_s": round(len(xs) / wall, 3),
                     "warmup_s": round(warm, 3), "max_abs_diff_vs_no_jit": diff}
            use_jit = trial["seq_per_s"] > base["seq_per_s"] and diff <= args.tolerance
        except Exception as e:  # XLA may not compile a model on some builds: then it is not an option
            trial = {"batch": best_batch, "jit": True, "error": f"{type(e).__name__}: {str(e)[:300]}"}
        sweep.append(trial)
        print(f"sweep: XLA at batch {best_batch}: {trial}", file=sys.stderr)

    summary.update({"batch": best_batch, "jit_compile": use_jit, "sweep": sweep})
    if args.sweep_only:
        tf_common.write_summary(args.summary, {**summary, **tf_common.common_fields(
            tf, keras, args.model, model, import_s=import_s, load_s=load_s, encode_s=encode_s)})
        return

    # 3. The timed run over all rows.
    fn = forward(True) if use_jit else plain
    y, timed_s, timed_cpu_s, warm_s = tf_common.time_batched(fn, x, best_batch)

    with open(args.out, "w") as f:
        f.write("\t".join(COLUMNS + ["fusion_negative_prob", "fusion_positive_prob"]) + "\n")
        for k, (neg, pos) in zip(keys, y):
            f.write("\t".join(k + [str(neg), str(pos)]) + "\n")  # str(np.float32): shortest round-trip
    np.save(os.path.splitext(args.out)[0] + ".npy", y)

    summary.update({
        "batch": best_batch,
        "jit_compile": use_jit,
        "forward": "tf.function(model(x, training=False))",
        "sweep": sweep,
        **tf_common.common_fields(tf, keras, args.model, model,
                                  import_s=import_s, load_s=load_s, encode_s=encode_s),
        "warmup_s": round(warm_s, 3),
        "timed_predict_s": round(timed_s, 3),
        "timed_cpu_s": round(timed_cpu_s, 2),
        "timed_seq_per_s": round(len(x) / timed_s, 3),
    })
    tf_common.write_summary(args.summary, summary)


if __name__ == "__main__":
    main()
