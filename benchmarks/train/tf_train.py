#!/usr/bin/env python3
"""TensorFlow side of the train benchmark: the per-sample cost of FusionAI's training step.

Loads a Keras-2 HDF5 model with tf_keras, compiles it as the FusionAI paper trained it
(Adadelta(learning_rate=1.0, rho=0.95, epsilon=1e-7), categorical cross-entropy, no metrics),
one-hot encodes the rows of a labelled `fusionai prepare` file exactly as FusionAI does
(make_fixtures.one_hot: head window then tail window; A,C,G,T -> channels 0..3, case-insensitive;
anything else all zeros; a model with a shorter input sees the central INPUT/2 bases of each
10-kb window, as fusionai's FusionScorer crops), turns the 0/1 labels of column 11 into one-hot
pairs ([1,0] negative, [0,1] positive), then:

1. ONE warm-up `train_on_batch` on the first BATCH rows (not timed: traces the train function,
   creates the oneDNN primitives and the optimizer's slots; it also updates the weights once);
2. times `model.fit(x, y, batch_size=BATCH, epochs=1, shuffle=False, verbose=0)` over all rows
   (wall and process CPU time; a callback records each batch's wall time). Dropout is active, as
   in any Keras training step.

Writes SUMMARY.json (timings, s/sample, losses, peak RSS, configuration) and prints it on stderr.

Usage: tf_train.py MODEL.keras2.h5 TRAIN.tsv SUMMARY.json [--batch 16] [--threads 2]
Runs in a venv with tensorflow-cpu + tf_keras (tools/keras_reference/setup.sh).
"""

import math
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tf_common  # noqa: E402  (first: quiets TensorFlow's log, starts the import clock)

import numpy as np  # noqa: E402


def main():
    ap = tf_common.argument_parser(__doc__, "train", "summary")
    ap.add_argument("--batch", type=int, default=16)
    args = ap.parse_args()

    tf, tf_keras, import_s = tf_common.import_tensorflow(args.threads)
    model, load_s, input_shape = tf_common.load_model(tf_keras, args.model)
    optimizer = tf_keras.optimizers.Adadelta(learning_rate=1.0, rho=0.95, epsilon=1e-7)
    model.compile(optimizer=optimizer, loss="categorical_crossentropy")

    _, seqs, labels = tf_common.read_prepared(args.train, input_shape[0] // 2, labelled=True)
    t = time.monotonic()
    x = tf_common.one_hot(seqs, input_shape)
    y = np.zeros((len(labels), 2), dtype=np.float32)
    y[np.arange(len(labels)), labels] = 1.0
    encode_s = time.monotonic() - t
    if len(x) < args.batch:
        sys.exit(f"{len(x)} rows: fewer than one batch of {args.batch}")

    # Warm-up: one training step on the first batch (graph tracing, oneDNN primitives, optimizer slots).
    t = time.monotonic()
    warmup_loss = float(model.train_on_batch(x[:args.batch], y[:args.batch]))
    warmup_s = time.monotonic() - t

    class BatchTimes(tf_keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.times, self.losses = [], []

        def on_train_batch_begin(self, batch, logs=None):
            self._t = time.monotonic()

        def on_train_batch_end(self, batch, logs=None):
            self.times.append(time.monotonic() - self._t)
            self.losses.append(float((logs or {}).get("loss", float("nan"))))

    timer = BatchTimes()
    t, cpu = time.monotonic(), time.process_time()
    history = model.fit(x, y, batch_size=args.batch, epochs=1, shuffle=False, verbose=0, callbacks=[timer])
    fit_s, fit_cpu_s = time.monotonic() - t, time.process_time() - cpu
    loss = float(history.history["loss"][-1])
    if not math.isfinite(loss):
        sys.exit(f"training loss is {loss}")

    rows = len(x)
    summary = {
        "rows": rows,
        "batch": args.batch,
        "steps": len(timer.times),
        **tf_common.common_fields(tf, tf_keras, args.model, model,
                                  import_s=import_s, load_s=load_s, encode_s=encode_s),
        "input_shape": list(input_shape),
        "optimizer": {k: (v if isinstance(v, (bool, str)) or v is None else float(v))
                      for k, v in optimizer.get_config().items()
                      if k in ("name", "learning_rate", "rho", "epsilon", "jit_compile", "is_legacy_optimizer")},
        "model_jit_compile": bool(getattr(model, "_jit_compile", False)),
        "loss": "categorical_crossentropy",
        "warmup_train_on_batch_s": round(warmup_s, 3),
        "warmup_loss": round(warmup_loss, 6),
        "timed_fit_s": round(fit_s, 3),
        "timed_fit_cpu_s": round(fit_cpu_s, 2),
        "s_per_sample": round(fit_s / rows, 5),
        "cpu_s_per_sample": round(fit_cpu_s / rows, 4),
        "batch_s": [round(s, 3) for s in timer.times],
        "batch_loss_running_mean": [round(v, 6) for v in timer.losses],
        "epoch_loss": round(loss, 6),
    }
    tf_common.write_summary(args.summary, summary)


if __name__ == "__main__":
    main()
