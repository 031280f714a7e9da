#!/usr/bin/env python3
"""TensorFlow side of the explain benchmark: gradient x input with tf.GradientTape, TensorFlow's
forward throughput (for the naive-ISM estimate) and a spot check of fusionai's ISM matrix.

Loads a Keras-2 HDF5 model with tf_keras, one-hot encodes rows of a `fusionai prepare` file
exactly as FusionAI does (make_fixtures.one_hot: head window then tail window; A,C,G,T ->
channels 0..3, case-insensitive; anything else all zeros), and:

1. grad-input, batch of 1 (the timed number): for each of the first --rows rows,
   FIS[t] = sum_c dP(positive)/dx[t,c] * x[t,c], P(positive) = softmax output index 1, computed
   in one tf.function (GradientTape around model(x, training=False)). One untimed warm-up call
   (row 1: tracing, oneDNN primitive creation); then every row is timed separately (wall and
   process CPU). Writes OUT/tf_rowK.gi.npy (float32 [20000]) and P(positive) per row.
2. grad-input, batched (--batched; secondary): all --rows rows in one call, after an untimed
   warm-up call of the same shape. The model has no cross-sample coupling in inference mode
   (dropout off, no batch norm), so the gradient of sum_b P_b(positive) with respect to the
   batch is each sequence's own gradient: per-sequence equivalent. Its largest difference from
   the batch-of-1 values is recorded.
3. float64 reference (--float64-rows K): the same model rebuilt with float64 layers and the
   .h5 weights cast to float64, gradient x input of the first K rows, written as
   OUT/tf_rowK.gi64.npy. Shows how far TensorFlow's own float32 result is from exact.
4. forward throughput (--predict-rows, default 32): one untimed warm-up model.predict of one
   batch, then model.predict(rows, batch_size=--predict-batch) timed, as tf_predict.py does.
5. ISM spot check (--ism-matrix M.npy --ism-row R --ism-positions K): fusionai's [20000 x 4]
   ΔP matrix of row R; TensorFlow scores the reference sequence and every single-base
   substitution at K positions (half the positions of largest max|ΔP| in fusionai's matrix,
   half evenly spaced) in one model.predict, and compares ΔP = P(mutant) - P(reference).

Writes SUMMARY.json (timings, configuration, checks) and prints it on stderr.

Usage: tf_gradient.py MODEL.keras2.h5 PREPARED.tsv OUTDIR SUMMARY.json [--rows 8] [--threads 2]
           [--batched] [--float64-rows 2] [--predict-rows 32] [--predict-batch 16]
           [--ism-matrix M.npy --ism-row 1 --ism-positions 16]
Runs in a venv with tensorflow-cpu + tf_keras (tools/keras_reference/setup.sh).
"""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tf_common  # noqa: E402  (first: quiets TensorFlow's log, starts the import clock)

import numpy as np  # noqa: E402


def clock():
    return time.monotonic(), time.process_time()


def since(t):
    return time.monotonic() - t[0], time.process_time() - t[1]


def main():
    ap = tf_common.argument_parser(__doc__, "prepared", "outdir", "summary")
    ap.add_argument("--rows", type=int, default=8, help="grad-input: the first N rows")
    ap.add_argument("--batched", action="store_true", help="also time all --rows rows in one call")
    ap.add_argument("--float64-rows", type=int, default=0, help="float64 reference for the first K rows")
    ap.add_argument("--predict-rows", type=int, default=32)
    ap.add_argument("--predict-batch", type=int, default=16)
    ap.add_argument("--ism-matrix", help="fusionai's ID.ism.npy ([positions x 4] ΔP)")
    ap.add_argument("--ism-row", type=int, default=1, help="1-based row of PREPARED the matrix is for")
    ap.add_argument("--ism-positions", type=int, default=16)
    args = ap.parse_args()
    os.makedirs(args.outdir, exist_ok=True)

    tf, tf_keras, import_s = tf_common.import_tensorflow(args.threads)
    model, load_s, input_shape = tf_common.load_model(tf_keras, args.model)
    positive = 1 if model.output_shape[-1] == 2 else 0
    positions = input_shape[0]

    # Models shorter than 20,000 nt (smoke tests) see the middle of each window, as fusionai crops.
    _, seqs, _ = tf_common.read_prepared(args.prepared, positions // 2)
    need = max(args.rows, args.predict_rows, args.ism_row if args.ism_matrix else 0)
    if len(seqs) < need:
        sys.exit(f"{args.prepared}: {len(seqs)} rows, need {need}")
    t = time.monotonic()
    x = tf_common.one_hot(seqs[:need], input_shape)
    encode_s = time.monotonic() - t

    def make_grad_input(m, dtype):
        @tf.function(input_signature=[tf.TensorSpec((None,) + input_shape, dtype)])
        def grad_input(inp):
            with tf.GradientTape() as tape:
                tape.watch(inp)
                p = m(inp, training=False)[:, positive]
            g = tape.gradient(p, inp)  # d(sum_b p_b)/dx_b = dp_b/dx_b: samples are independent
            return p, tf.reduce_sum(g * inp, axis=list(range(2, 1 + len(input_shape))))
        return grad_input

    summary = {}

    # 1. grad-input, batch of 1.
    grad_input = make_grad_input(model, tf.float32)
    t = clock()
    grad_input(tf.constant(x[:1]))[1].numpy()
    summary["grad_warmup_s"] = round(since(t)[0], 3)
    per_seq, per_cpu, probs, fis = [], [], [], []
    for k in range(args.rows):
        t = clock()
        p, gi = grad_input(tf.constant(x[k:k + 1]))
        p, gi = p.numpy(), gi.numpy()
        wall, cpu = since(t)
        per_seq.append(wall)
        per_cpu.append(cpu)
        probs.append(float(p[0]))
        fis.append(gi[0].astype(np.float32))
        np.save(os.path.join(args.outdir, f"tf_row{k + 1}.gi.npy"), fis[-1])
    summary.update({
        "grad_rows": args.rows,
        "grad_batch": 1,
        "grad_total_s": round(sum(per_seq), 3),
        "grad_cpu_s": round(sum(per_cpu), 2),
        "grad_s_per_seq": round(sum(per_seq) / args.rows, 4),
        "grad_s_per_seq_min": round(min(per_seq), 4),
        "grad_s_per_seq_max": round(max(per_seq), 4),
        "fusion_positive_prob": probs,
    })

    # 2. grad-input, all rows in one batch.
    if args.batched and args.rows > 1:
        xb = tf.constant(x[:args.rows])
        t = clock()
        grad_input(xb)[1].numpy()
        summary["grad_batched_warmup_s"] = round(since(t)[0], 3)
        t = clock()
        _, gib = grad_input(xb)
        gib = gib.numpy()
        wall, cpu = since(t)
        diff = max(float(np.max(np.abs(gib[k] - fis[k])) / max(float(np.max(np.abs(fis[k]))), 1e-30))
                   for k in range(args.rows))
        summary.update({
            "grad_batched_batch": args.rows,
            "grad_batched_s": round(wall, 3),
            "grad_batched_cpu_s": round(cpu, 2),
            "grad_batched_s_per_seq": round(wall / args.rows, 4),
            "grad_batched_vs_batch1_max_rel_diff": diff,
        })

    # 3. float64 reference.
    if args.float64_rows > 0:
        k64 = min(args.float64_rows, args.rows)
        model64 = tf_keras.models.model_from_json(model.to_json().replace('"dtype": "float32"', '"dtype": "float64"'))
        model64.set_weights([w.astype(np.float64) for w in model.get_weights()])
        grad64 = make_grad_input(model64, tf.float64)
        t = clock()
        diffs = []
        for k in range(k64):
            _, gi = grad64(tf.constant(x[k:k + 1].astype(np.float64)))
            gi = gi.numpy()[0]
            np.save(os.path.join(args.outdir, f"tf_row{k + 1}.gi64.npy"), gi)
            diffs.append(float(np.max(np.abs(fis[k] - gi)) / float(np.max(np.abs(gi)))))
        summary.update({
            "float64_rows": k64,
            "float64_s": round(since(t)[0], 3),
            "tf32_vs_tf64_max_rel_diff": max(diffs),
        })

    # 4. forward throughput.
    n = args.predict_rows
    if n > 0:
        b = min(args.predict_batch, n)
        t = clock()
        model.predict(x[:b], batch_size=b, verbose=0)
        summary["predict_warmup_s"] = round(since(t)[0], 3)
        t = clock()
        model.predict(x[:n], batch_size=b, verbose=0)
        wall, cpu = since(t)
        summary.update({
            "predict_rows": n,
            "predict_batch": b,
            "predict_s": round(wall, 3),
            "predict_cpu_s": round(cpu, 2),
            "predict_seq_per_s": round(n / wall, 4),
        })

    # 5. ISM spot check against fusionai's matrix.
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
        y = model.predict(xs, batch_size=args.predict_batch, verbose=0)[:, positive].astype(np.float64)
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
        **tf_common.common_fields(tf, tf_keras, args.model, model,
                                  import_s=import_s, load_s=load_s, encode_s=encode_s),
        "positions": positions,
    })
    tf_common.write_summary(args.summary, summary)


if __name__ == "__main__":
    main()
