#!/usr/bin/env python3
"""TensorFlow side of the explain benchmark: grad-input and integrated gradients per sequence (speed
and values), TensorFlow's forward throughput (for the naive-ISM estimate) and a spot check of
fusionai's ISM matrix, TensorFlow driven as a user who cares about speed drives it: Keras 3
(`keras.models.load_model` of the same .h5), every computation a `tf.function` (GradientTape
inside), TensorFlow's default threading.

Loads the Keras file, one-hot encodes rows of a `fusionai prepare` file exactly as FusionAI does
(make_fixtures.one_hot: head window then tail window; A,C,G,T -> channels 0..3, case-insensitive;
anything else all zeros), and, for the parts asked for:

1. grad-input, batch of 1 (--rows N): for each of the first N rows,
   FIS[t] = sum_c dP(positive)/dx[t,c] * x[t,c], P(positive) = softmax output index 1, in one
   tf.function (GradientTape around model(x, training=False)). One untimed warm-up call, then
   every row timed separately (wall and process CPU). With --jit auto (default) this is done
   twice, with jit_compile off and on (XLA), and the faster is the headline if its values are
   within --tolerance (1e-4) of the plain ones; every trial is kept in `grad_trials`. Writes
   OUT/tf_rowK.gi.npy (float32 [L]) from the chosen one.
2. grad-input, batched (--batch B, e.g. 8): the same rows in calls of B rows, after an untimed
   warm-up of each shape, again without and with XLA. The model has no cross-sample coupling in
   inference mode (dropout off, no batch norm), so the gradient of sum_b P_b with respect to the
   batch is each sequence's own gradient; its largest difference from the batch-of-1 values is
   recorded.
3. integrated gradients (--ig-rows K --ig-steps 50 --ig-batch B): zero baseline, Riemann midpoints
   alpha = (s + 0.5) / steps as fusionai computes them, IG[t] = sum_c x[t,c] * mean_s
   dP/dx(alpha_s x)[t,c]; the interpolated inputs go through the gradient function B at a time
   (--ig-batch 0, the default: the batch size, 1 or --batch, and the XLA setting of the fastest
   grad-input trial above; per-sample cost grows at large batches, ~1.15 s at 10 against ~0.9 s
   at 1-2 on the full model). Untimed warm-up, then each of the K sequences timed. Writes
   OUT/tf_rowK.ig.npy.
4. float64 reference (--float64-rows K; run it in a process of its own, it is not timed and its
   Eigen float64 convolutions need several GB): the same model rebuilt with float64 layers and the
   .h5 weights cast to float64, grad-input of the first K rows -> OUT/tf_rowK.gi64.npy.
5. forward throughput (--predict-rows, --predict-batch): tf.function forward, untimed warm-up,
   then timed; naive ISM estimate = 3 x positions x seconds per sequence.
6. ISM spot check (--ism-matrix M.npy --ism-row R --ism-positions K): fusionai's [L x 4] ΔP
   matrix of row R; TensorFlow scores the reference and every single-base substitution at K
   positions (half those of largest max|ΔP|, half evenly spaced) and compares ΔP.

Writes SUMMARY.json (timings, configuration, checks) and prints it on stderr.

Usage: tf_gradient.py MODEL.h5 PREPARED.tsv OUTDIR SUMMARY.json [--rows 8] [--batch 8]
           [--ig-rows 2 --ig-steps 50 --ig-batch 0] [--float64-rows 2] [--predict-rows 16]
           [--predict-batch 8] [--ism-matrix M.npy --ism-row 1 --ism-positions 16] [--jit auto|off|on]
Runs in tools/.venv (tools/keras_reference/setup.sh).
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tf_common  # noqa: E402  (first: quiets TensorFlow's log, starts the import clock)
from tf_common import clock, since  # noqa: E402

import numpy as np  # noqa: E402


def main():
    ap = tf_common.argument_parser(__doc__, "prepared", "outdir", "summary")
    ap.add_argument("--rows", type=int, default=8, help="grad-input: the first N rows (0: none)")
    ap.add_argument("--batch", type=int, default=0, help="also grad-input in calls of B rows")
    ap.add_argument("--ig-rows", type=int, default=0)
    ap.add_argument("--ig-steps", type=int, default=50)
    ap.add_argument("--ig-batch", type=int, default=0,
                    help="interpolated inputs per gradient call; 0: the batch size (1 or --batch) and XLA "
                         "setting of the fastest grad-input trial")
    ap.add_argument("--float64-rows", type=int, default=0, help="float64 reference for the first K rows")
    ap.add_argument("--predict-rows", type=int, default=0)
    ap.add_argument("--predict-batch", type=int, default=8)
    ap.add_argument("--ism-matrix", help="fusionai's ID.ism.npy ([positions x 4] ΔP)")
    ap.add_argument("--ism-row", type=int, default=1, help="1-based row of PREPARED the matrix is for")
    ap.add_argument("--ism-positions", type=int, default=16)
    ap.add_argument("--jit", choices=("auto", "off", "on"), default="auto",
                    help="XLA for the gradient function: auto times grad-input without and with "
                         "jit_compile and uses the faster (if within --tolerance) for each batch size")
    ap.add_argument("--tolerance", type=float, default=1e-4,
                    help="largest max|XLA - no XLA| / max|no XLA| of grad-input for XLA to be used")
    args = ap.parse_args()
    os.makedirs(args.outdir, exist_ok=True)

    tf, keras, import_s = tf_common.import_tensorflow(args.threads)
    model, load_s, input_shape = tf_common.load_model(keras, args.model)
    positive = 1 if model.output_shape[-1] == 2 else 0
    positions = input_shape[0]
    channel_axes = list(range(2, 1 + len(input_shape)))

    # Models shorter than 20,000 nt (smoke tests) see the middle of each window, as fusionai crops.
    _, seqs, _ = tf_common.read_prepared(args.prepared, positions // 2)
    need = max(args.rows, args.ig_rows, args.float64_rows, args.predict_rows,
               args.ism_row if args.ism_matrix else 0)
    if len(seqs) < need:
        sys.exit(f"{args.prepared}: {len(seqs)} rows, need {need}")
    t = clock()
    x = tf_common.one_hot(seqs[:need], input_shape)
    encode_s = since(t)[0]

    def make_gradient(m, dtype, jit):
        """x -> (P(positive), dP/dx), one tf.function, batch axis open."""
        @tf.function(input_signature=[tf.TensorSpec((None,) + input_shape, dtype)], jit_compile=jit)
        def gradient(inp):
            with tf.GradientTape() as tape:
                tape.watch(inp)
                p = m(inp, training=False)[:, positive]
            return p, tape.gradient(p, inp)  # d(sum_b p_b)/dx_b = dp_b/dx_b: samples are independent
        return gradient

    def grad_input_of(gradient):
        def f(a):
            p, g = gradient(tf.constant(a))
            return p.numpy(), tf.reduce_sum(g * a, axis=channel_axes).numpy()
        return f

    def rel_diff(a, b):
        return max(float(np.max(np.abs(a[k] - b[k])) / max(float(np.max(np.abs(b[k]))), 1e-30)) for k in range(len(b)))

    summary = {"jit": args.jit}
    modes = {"auto": (False, True), "off": (False,), "on": (True,)}[args.jit]
    gradients = {jit: make_gradient(model, tf.float32, jit) for jit in modes}
    trials = []

    def choose(kind):
        """The fastest trial of `kind` whose values are within --tolerance of the no-XLA ones."""
        ok = [t for t in trials if t["kind"] == kind and t.get("max_rel_diff_vs_no_jit", 0.0) <= args.tolerance]
        return min(ok, key=lambda t: t["s_per_seq"])

    # 1. grad-input, batch of 1: each row timed separately, after one untimed warm-up call; with
    # --jit auto once without and once with XLA.
    fis, probs = {}, {}
    if args.rows > 0:
        for jit, gradient in gradients.items():
            grad_input = grad_input_of(gradient)
            t = clock()
            grad_input(x[:1])
            warm = since(t)[0]
            per_seq, per_cpu, p_k, f_k = [], [], [], []
            for k in range(args.rows):
                t = clock()
                p, gi = grad_input(x[k:k + 1])
                wall, cpu = since(t)
                per_seq.append(wall)
                per_cpu.append(cpu)
                p_k.append(float(p[0]))
                f_k.append(gi[0].astype(np.float32))
            fis[jit], probs[jit] = f_k, p_k
            trial = {"kind": "batch1", "jit": jit, "batch": 1, "rows": args.rows, "warmup_s": round(warm, 3),
                     "seconds": round(sum(per_seq), 3), "cpu_s": round(sum(per_cpu), 2),
                     "s_per_seq": round(sum(per_seq) / args.rows, 4),
                     "s_per_seq_min": round(min(per_seq), 4), "s_per_seq_max": round(max(per_seq), 4)}
            if jit and False in fis:
                trial["max_rel_diff_vs_no_jit"] = rel_diff(f_k, fis[False])
            trials.append(trial)
            print(f"grad-input trial: {trial}", file=sys.stderr)
        best = choose("batch1")
        for k, gi in enumerate(fis[best["jit"]]):
            np.save(os.path.join(args.outdir, f"tf_row{k + 1}.gi.npy"), gi)
        summary.update({
            "grad_rows": args.rows,
            "grad_jit_compile": best["jit"],
            "grad_warmup_s": best["warmup_s"],
            "grad_total_s": best["seconds"],
            "grad_cpu_s": best["cpu_s"],
            "grad_s_per_seq": best["s_per_seq"],
            "grad_s_per_seq_min": best["s_per_seq_min"],
            "grad_s_per_seq_max": best["s_per_seq_max"],
            "fusion_positive_prob": probs[best["jit"]],
        })

    # 2. grad-input in calls of B rows (each variant).
    batched_jit = modes[0]
    if args.batch > 1 and args.rows > 0:
        b = min(args.batch, args.rows)
        xb = x[:args.rows]
        ref = fis[False] if False in fis else fis[True]
        for jit, gradient in gradients.items():
            grad_input = grad_input_of(gradient)
            t = clock()
            for shape in {b, args.rows % b} - {0}:
                grad_input(xb[:shape])
            warm = since(t)[0]
            t = clock()
            gib = np.concatenate([grad_input(xb[i:i + b])[1] for i in range(0, args.rows, b)])
            wall, cpu = since(t)
            trial = {"kind": "batched", "jit": jit, "batch": b, "rows": args.rows, "warmup_s": round(warm, 3),
                     "seconds": round(wall, 3), "cpu_s": round(cpu, 2), "s_per_seq": round(wall / args.rows, 4),
                     "max_rel_diff_vs_batch1": rel_diff(gib, ref)}
            if jit:
                trial["max_rel_diff_vs_no_jit"] = trial["max_rel_diff_vs_batch1"] if False in fis else 0.0
            trials.append(trial)
            print(f"grad-input trial: {trial}", file=sys.stderr)
        best = choose("batched")
        batched_jit = best["jit"]
        summary.update({
            "grad_batched_batch": b,
            "grad_batched_jit_compile": best["jit"],
            "grad_batched_warmup_s": best["warmup_s"],
            "grad_batched_s": best["seconds"],
            "grad_batched_cpu_s": best["cpu_s"],
            "grad_batched_s_per_seq": best["s_per_seq"],
            "grad_batched_vs_batch1_max_rel_diff": best["max_rel_diff_vs_batch1"],
        })
    summary["grad_trials"] = trials

    # 3. Integrated gradients, zero baseline, midpoint rule (fusionai's), ig-batch points per call,
    # with the gradient function (XLA or not) that was faster batched.
    if args.ig_rows > 0:
        if args.ig_batch > 0:
            ig_jit, b = batched_jit, args.ig_batch
        elif trials:  # the fastest grad-input trial's batch size and XLA setting
            fastest = min((t for t in trials if t.get("max_rel_diff_vs_no_jit", 0.0) <= args.tolerance),
                          key=lambda t: t["s_per_seq"])
            ig_jit, b = fastest["jit"], fastest["batch"]
        else:
            ig_jit, b = modes[0], 1
        gradient = gradients[ig_jit]
        steps, b = args.ig_steps, min(b, args.ig_steps)
        alphas = ((np.arange(steps, dtype=np.float32) + 0.5) / steps).reshape((steps,) + (1,) * len(input_shape))

        def integrated(xk):
            total = np.zeros(xk.shape, dtype=np.float32)
            for i in range(0, steps, b):
                _, g = gradient(tf.constant(alphas[i:i + b] * xk))
                total += g.numpy().sum(axis=0)
            return (xk * total / steps).sum(axis=tuple(a - 1 for a in channel_axes))

        t = clock()
        for shape in {b, steps % b} - {0}:
            gradient(tf.constant(np.repeat(x[:1], shape, axis=0)))
        summary["ig_warmup_s"] = round(since(t)[0], 3)
        per_seq, per_cpu = [], []
        for k in range(args.ig_rows):
            t = clock()
            ig = integrated(x[k]).astype(np.float32)
            wall, cpu = since(t)
            per_seq.append(wall)
            per_cpu.append(cpu)
            np.save(os.path.join(args.outdir, f"tf_row{k + 1}.ig.npy"), ig)
        summary.update({
            "ig_rows": args.ig_rows,
            "ig_steps": steps,
            "ig_batch": b,
            "ig_jit_compile": ig_jit,
            "ig_total_s": round(sum(per_seq), 3),
            "ig_cpu_s": round(sum(per_cpu), 2),
            "ig_s_per_seq": round(sum(per_seq) / args.ig_rows, 3),
        })

    # 4. float64 reference.
    if args.float64_rows > 0:
        k64 = args.float64_rows
        model64 = keras.models.model_from_json(model.to_json().replace('"float32"', '"float64"'))
        model64.set_weights([w.astype(np.float64) for w in model.get_weights()])
        grad64 = grad_input_of(make_gradient(model64, tf.float64, False))
        t = clock()
        for k in range(k64):
            _, gi = grad64(x[k:k + 1].astype(np.float64))
            np.save(os.path.join(args.outdir, f"tf_row{k + 1}.gi64.npy"), gi[0])
        summary.update({"float64_rows": k64, "float64_s": round(since(t)[0], 3),
                        "float64_dtype": str(model64.layers[0].compute_dtype)})

    @tf.function(jit_compile=False, reduce_retracing=True)
    def forward_graph(inp):
        return model(inp, training=False)

    def forward(a):
        return forward_graph(tf.constant(a)).numpy()

    # 5. Forward throughput.
    n = args.predict_rows
    if n > 0:
        b = min(args.predict_batch, n)
        _, wall, cpu, warm = tf_common.time_batched(forward, x[:n], b)
        summary.update({
            "predict_rows": n,
            "predict_batch": b,
            "predict_warmup_s": round(warm, 3),
            "predict_s": round(wall, 3),
            "predict_cpu_s": round(cpu, 2),
            "predict_seq_per_s": round(n / wall, 4),
        })

    # 6. ISM spot check against fusionai's matrix.
    if args.ism_matrix:
        fa = np.load(args.ism_matrix).astype(np.float64)
        if fa.shape != (positions, 4):
            sys.exit(f"{args.ism_matrix}: shape {fa.shape}, expected ({positions}, 4)")
        ref = x[args.ism_row - 1].reshape(positions, 4)
        k = args.ism_positions
        top = [int(i) for i in np.argsort(-np.max(np.abs(fa), axis=1), kind="stable")[:k // 2]]
        chosen = list(top)
        for i in np.linspace(0, positions - 1, k - len(top) + 2).astype(int)[1:-1]:
            if int(i) not in chosen:
                chosen.append(int(i))
        batch, where = [ref], []
        for p in sorted(chosen):
            for c in range(4):
                if ref[p, c] == 1:
                    continue
                m = ref.copy()
                m[p] = 0
                m[p, c] = 1
                batch.append(m)
                where.append((p, c))
        xs = np.stack(batch).reshape((len(batch),) + input_shape)
        t = clock()
        y = tf_common.run_batched(forward, xs, args.predict_batch)[:, positive].astype(np.float64)
        wall, _ = since(t)
        tf_delta = y[1:] - y[0]
        fa_delta = np.array([fa[p, c] for p, c in where])
        d = np.abs(tf_delta - fa_delta)
        summary.update({
            "ism_check_row": args.ism_row,
            "ism_check_positions": len(chosen),
            "ism_check_substitutions": len(where),
            "ism_check_s": round(wall, 3),
            "ism_check_max_abs_diff": float(d.max()),
            "ism_check_max_abs_delta_tf": float(np.max(np.abs(tf_delta))),
            "ism_check_max_abs_delta_fusionai_all": float(np.max(np.abs(fa))),
            "ism_check_rel_diff": float(d.max() / max(np.max(np.abs(tf_delta)), 1e-30)),
            "ism_check_reference_p": float(y[0]),
        })

    summary.update({
        **tf_common.common_fields(tf, keras, args.model, model,
                                  import_s=import_s, load_s=load_s, encode_s=encode_s),
        "positions": positions,
    })
    tf_common.write_summary(args.summary, summary)


if __name__ == "__main__":
    main()
