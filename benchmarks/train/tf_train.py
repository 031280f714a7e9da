#!/usr/bin/env python3
"""TensorFlow side of the train benchmark: one training epoch of FusionAI's network, TensorFlow
driven as a user who cares about speed drives it: Keras 3 (`keras.models.load_model` of the same
.h5), the whole training step one `tf.function`, TensorFlow's default threading.

The step, as the FusionAI paper trained: GradientTape around `model(x, training=True)` (dropout
active), categorical cross-entropy, Adadelta(learning_rate=1.0, rho=0.95, epsilon=1e-7) applying
the gradients, all inside the tf.function. Rows of a labelled
`fusionai prepare` file are one-hot encoded exactly as FusionAI does (make_fixtures.one_hot: head
window then tail window; A,C,G,T -> channels 0..3, case-insensitive; anything else all zeros; a
model with a shorter input sees the central INPUT/2 bases of each 10-kb window, as fusionai
crops); labels of column 11 become one-hot pairs ([1,0] negative, [0,1] positive). Then:

0. XLA check (--jit auto, the default): before any update, the loss gradients of the first two
   rows (dropout off) from a tf.function with and without jit_compile; XLA is eligible only if
   every variable's largest difference is within --tolerance (1e-4) of its largest gradient;
1. ONE warm-up step on the first BATCH rows per variant (not timed: tracing or XLA compilation,
   oneDNN primitives, the optimizer's accumulators; it also updates the weights), then with
   --jit auto ONE timed step of each variant (the trials); the faster eligible variant runs the
   epoch. One untimed warm-up call of the validation forward pass (plain tf.function: XLA made the
   forward pass slower in every trial here);
2. the epoch, timed: the rows in file order in steps of BATCH (the last one shorter if BATCH does
   not divide the rows; it is warmed up too), each step's wall time recorded, the loss fetched
   after each step (so the step has finished);
3. the validation pass, timed: a tf.function forward (`training=False`) over the same rows at
   batch BATCH, as fusionai train scores its validation set every epoch.

Writes SUMMARY.json (timings, s/sample, losses, peak RSS, configuration) and prints it on stderr.

Usage: tf_train.py MODEL.h5 TRAIN.tsv SUMMARY.json [--batch 16] [--jit auto|off|on] [--tolerance 1e-4]
Runs in tools/.venv (tools/keras_reference/setup.sh).
"""

import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tf_common  # noqa: E402  (first: quiets TensorFlow's log, starts the import clock)
from tf_common import clock, since  # noqa: E402

import numpy as np  # noqa: E402


def main():
    ap = tf_common.argument_parser(__doc__, "train", "summary")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--jit", choices=("auto", "off", "on"), default="auto",
                    help="XLA for the training step: auto times one step without and one with "
                         "jit_compile and uses the faster (if its gradients are within --tolerance)")
    ap.add_argument("--tolerance", type=float, default=1e-4)
    args = ap.parse_args()

    tf, keras, import_s = tf_common.import_tensorflow(args.threads)
    model, load_s, input_shape = tf_common.load_model(keras, args.model)
    optimizer = keras.optimizers.Adadelta(learning_rate=1.0, rho=0.95, epsilon=1e-7)
    optimizer.build(model.trainable_variables)
    loss_fn = keras.losses.CategoricalCrossentropy()

    _, seqs, labels = tf_common.read_prepared(args.train, input_shape[0] // 2, labelled=True)
    t = clock()
    x = tf_common.one_hot(seqs, input_shape)
    y = np.zeros((len(labels), 2), dtype=np.float32)
    y[np.arange(len(labels)), labels] = 1.0
    encode_s = since(t)[0]
    rows, b = len(x), args.batch
    if rows < b:
        sys.exit(f"{rows} rows: fewer than one batch of {b}")

    def make_step(jit):
        @tf.function(jit_compile=jit, reduce_retracing=True)
        def train_step(xb, yb):
            with tf.GradientTape() as tape:
                p = model(xb, training=True)
                loss = loss_fn(yb, p)
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss

        def step(i, n):
            return float(train_step(tf.constant(x[i:i + n]), tf.constant(y[i:i + n])).numpy())
        return step

    def make_gradients(jit):
        """Loss gradients with dropout off (deterministic), for comparing XLA with the plain graph."""
        @tf.function(jit_compile=jit, reduce_retracing=True)
        def gradients(xb, yb):
            with tf.GradientTape() as tape:
                loss = loss_fn(yb, model(xb, training=False))
            return tape.gradient(loss, model.trainable_variables)
        return gradients

    @tf.function(jit_compile=False, reduce_retracing=True)
    def forward(xb):
        return model(xb, training=False)

    modes = {"auto": (False, True), "off": (False,), "on": (True,)}[args.jit]
    steps = {jit: make_step(jit) for jit in modes}
    trials = []

    # 0. With --jit auto, before any weight changes: the loss gradients of the first rows with and
    # without XLA must agree within --tolerance (largest |difference| / largest |gradient|, per
    # variable) for XLA to be eligible.
    jit_diff = None
    if len(modes) == 2:
        xc, yc = tf.constant(x[:2]), tf.constant(y[:2])
        g0 = [g.numpy() for g in make_gradients(False)(xc, yc)]
        g1 = [g.numpy() for g in make_gradients(True)(xc, yc)]
        jit_diff = max(float(np.max(np.abs(u - v)) / max(float(np.max(np.abs(u))), 1e-30)) for u, v in zip(g0, g1))

    # 1. Warm-up: a training step of every shape the epoch will see (tracing, oneDNN primitives or
    # XLA compilation, optimizer accumulators), and the validation forward. With --jit auto, then
    # one timed step of each variant on the first BATCH rows; the faster eligible one is used.
    t = clock()
    warmup_loss = None
    for jit, variant in steps.items():
        t1 = clock()
        loss = variant(0, b)
        if rows % b:
            variant(0, rows % b)
        warm = since(t1)[0]
        warmup_loss = loss if warmup_loss is None else warmup_loss
        if len(steps) > 1:
            t1 = clock()
            variant(0, b)
            wall, cpu = since(t1)
            trials.append({"jit": jit, "batch": b, "warmup_s": round(warm, 3), "step_s": round(wall, 3),
                           "step_cpu_s": round(cpu, 2), "s_per_sample": round(wall / b, 5)})
            print(f"train-step trial: {trials[-1]}", file=sys.stderr)
    warmup_s = since(t)[0]
    chosen = modes[0]
    if trials:
        eligible = [tr for tr in trials if not tr["jit"] or jit_diff <= args.tolerance]
        chosen = min(eligible, key=lambda tr: tr["step_s"])["jit"]
    step = steps[chosen]
    t = clock()
    for n in {b, rows % b} - {0}:
        forward(tf.constant(x[:n])).numpy()
    valid_warmup_s = since(t)[0]

    # 2. The epoch.
    times, losses = [], []
    t0 = clock()
    for i in range(0, rows, b):
        t = clock()
        losses.append(step(i, min(b, rows - i)))
        times.append(since(t)[0])
    epoch_s, epoch_cpu_s = since(t0)
    if not all(math.isfinite(v) for v in losses):
        sys.exit(f"training loss is not finite: {losses}")

    # 3. The validation pass.
    t = clock()
    for i in range(0, rows, b):
        forward(tf.constant(x[i:i + b])).numpy()
    valid_s, valid_cpu_s = since(t)

    summary = {
        "rows": rows,
        "batch": b,
        "steps": len(times),
        **tf_common.common_fields(tf, keras, args.model, model,
                                  import_s=import_s, load_s=load_s, encode_s=encode_s),
        "input_shape": list(input_shape),
        "optimizer": {k: (v if isinstance(v, (bool, str)) or v is None else float(v))
                      for k, v in optimizer.get_config().items()
                      if k in ("name", "learning_rate", "rho", "epsilon")},
        "train_step": "tf.function(GradientTape(model(x, training=True)) + Adadelta.apply_gradients)",
        "jit": args.jit,
        "jit_compile": chosen,
        "jit_gradient_max_rel_diff": jit_diff,
        "step_trials": trials,
        "loss": "categorical_crossentropy",
        "warmup_and_trials_s": round(warmup_s, 3),
        "warmup_loss": round(warmup_loss, 6),
        "validation_warmup_s": round(valid_warmup_s, 3),
        "timed_epoch_s": round(epoch_s, 3),
        "timed_epoch_cpu_s": round(epoch_cpu_s, 2),
        "s_per_sample": round(epoch_s / rows, 5),
        "cpu_s_per_sample": round(epoch_cpu_s / rows, 4),
        "batch_s": [round(s, 3) for s in times],
        "batch_loss": [round(v, 6) for v in losses],
        "validation_s": round(valid_s, 3),
        "validation_cpu_s": round(valid_cpu_s, 2),
        "epoch_with_validation_s": round(epoch_s + valid_s, 3),
        "epoch_with_validation_cpu_s": round(epoch_cpu_s + valid_cpu_s, 2),
    }
    tf_common.write_summary(args.summary, summary)


if __name__ == "__main__":
    main()
