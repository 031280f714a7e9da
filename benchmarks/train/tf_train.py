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

import argparse
import json
import math
import os
import platform
import resource
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
START = time.monotonic()

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools", "keras_reference"))
from make_fixtures import one_hot  # noqa: E402  (the encoding the Swift tests are checked against)

import numpy as np  # noqa: E402

WINDOW = 10_000


def read_labelled(path, window):
    """Rows of a labelled `fusionai prepare` file: 8 columns + HeadSeq + TailSeq + 0/1 label.
    Returns ([head-crop + tail-crop strings], [labels]); each window cropped to its central
    `window` bases (all 10,000 for the full-size model)."""
    start = (WINDOW - window) // 2
    seqs, labels = [], []
    with open(path, newline="") as f:
        for n, line in enumerate(f, 1):
            fields = line.rstrip("\r\n").split("\t")
            if len(fields) < 11 or fields[10] not in ("0", "1"):
                sys.exit(f"{path}:{n}: expected 8 columns + HeadSeq + TailSeq + a 0/1 label")
            head, tail = fields[8], fields[9]
            if len(head) != WINDOW or len(tail) != WINDOW:
                sys.exit(f"{path}:{n}: windows of {len(head)} and {len(tail)} nt, expected {WINDOW}")
            seqs.append(head[start:start + window] + tail[start:start + window])
            labels.append(int(fields[10]))
    return seqs, labels


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model")
    ap.add_argument("train")
    ap.add_argument("summary")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--threads", type=int, default=2, help="intra-op threads (inter-op: 1)")
    args = ap.parse_args()

    import tensorflow as tf
    # Set before any op runs: `threads` for the work inside an op (oneDNN convolutions and their
    # gradients), one thread for running independent ops side by side.
    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    import tf_keras
    imported = time.monotonic()

    t = time.monotonic()
    model = tf_keras.models.load_model(args.model, compile=False)
    load_s = time.monotonic() - t
    optimizer = tf_keras.optimizers.Adadelta(learning_rate=1.0, rho=0.95, epsilon=1e-7)
    model.compile(optimizer=optimizer, loss="categorical_crossentropy")
    input_shape = tuple(int(d) for d in model.input_shape[1:])

    seqs, labels = read_labelled(args.train, input_shape[0] // 2)
    t = time.monotonic()
    x = one_hot(seqs, input_shape)
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
        "intra_op_threads": tf.config.threading.get_intra_op_parallelism_threads(),
        "inter_op_threads": tf.config.threading.get_inter_op_parallelism_threads(),
        "onednn": os.environ.get("TF_ENABLE_ONEDNN_OPTS", "default (on)"),
        "tensorflow": tf.__version__,
        "keras": "tf_keras " + tf_keras.__version__,
        "python": platform.python_version(),
        "model": os.path.basename(args.model),
        "input_shape": list(input_shape),
        "parameters": int(model.count_params()),
        "optimizer": {k: (v if isinstance(v, (bool, str)) or v is None else float(v))
                      for k, v in optimizer.get_config().items()
                      if k in ("name", "learning_rate", "rho", "epsilon", "jit_compile", "is_legacy_optimizer")},
        "model_jit_compile": bool(getattr(model, "_jit_compile", False)),
        "loss": "categorical_crossentropy",
        "import_s": round(imported - START, 3),
        "load_s": round(load_s, 3),
        "encode_s": round(encode_s, 3),
        "warmup_train_on_batch_s": round(warmup_s, 3),
        "warmup_loss": round(warmup_loss, 6),
        "timed_fit_s": round(fit_s, 3),
        "timed_fit_cpu_s": round(fit_cpu_s, 2),
        "s_per_sample": round(fit_s / rows, 5),
        "cpu_s_per_sample": round(fit_cpu_s / rows, 4),
        "batch_s": [round(s, 3) for s in timer.times],
        "batch_loss_running_mean": [round(v, 6) for v in timer.losses],
        "epoch_loss": round(loss, 6),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    with open(args.summary, "w") as f:
        json.dump(summary, f, indent=1)
        f.write("\n")
    print(json.dumps(summary), file=sys.stderr)


if __name__ == "__main__":
    main()
