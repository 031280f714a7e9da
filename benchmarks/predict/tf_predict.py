#!/usr/bin/env python3
"""TensorFlow side of the predict benchmark: FusionAI scores for a `fusionai prepare` file.

Loads a Keras-2 HDF5 model with tf_keras (the Keras 2 implementation; FusionAI's own model,
newdat_newmod_jj.h5, is a Keras 2 file), one-hot encodes every row exactly as FusionAI does (head
window then tail window; A,C,G,T -> channels 0..3, case-insensitive; any other letter -> all
zeros; make_fixtures.one_hot), runs ONE warm-up batch (the first BATCH rows, not timed), then times
model.predict over all rows, and writes
    OUT.tsv       header + the 8 breakpoint columns + fusion_negative_prob, fusion_positive_prob
    SUMMARY.json  timings (load, encode, warm-up, timed predict: wall and CPU), seq/s, peak RSS, configuration

Usage: tf_predict.py MODEL.keras2.h5 PREPARED.tsv OUT.tsv SUMMARY.json [--batch 16] [--threads 2]
Runs in tools/.venv (tools/keras_reference/setup.sh).
"""

import argparse
import json
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

COLUMNS = ["Hgene", "Hchr", "Hbp", "Hstrand", "Tgene", "Tchr", "Tbp", "Tstrand"]
WINDOW = 10_000


def read_prepared(path):
    """Rows of `fusionai prepare` output: 8 columns + HeadSeq + TailSeq (tab-separated, no
    header). Returns ([8-column lists], [head + tail strings])."""
    keys, seqs = [], []
    with open(path, newline="") as f:
        for n, line in enumerate(f, 1):
            fields = line.rstrip("\r\n").split("\t")
            if len(fields) < 10:
                sys.exit(f"{path}:{n}: {len(fields)} columns, expected 8 + HeadSeq + TailSeq")
            head, tail = fields[8], fields[9]
            if len(head) != WINDOW or len(tail) != WINDOW:
                sys.exit(f"{path}:{n}: windows of {len(head)} and {len(tail)} nt, expected {WINDOW}")
            keys.append(fields[:8])
            seqs.append(head + tail)
    return keys, seqs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model")
    ap.add_argument("prepared")
    ap.add_argument("out")
    ap.add_argument("summary")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--threads", type=int, default=2, help="intra-op threads (inter-op: 1)")
    args = ap.parse_args()

    import tensorflow as tf
    # Set before any op runs: `threads` for the work inside an op (oneDNN convolutions), one
    # thread for running independent ops side by side (a Sequential model has none).
    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    import tf_keras
    imported = time.monotonic()

    t = time.monotonic()
    model = tf_keras.models.load_model(args.model, compile=False)
    load_s = time.monotonic() - t
    params = model.count_params()
    input_shape = tuple(int(d) for d in model.input_shape[1:])

    keys, seqs = read_prepared(args.prepared)
    t = time.monotonic()
    x = one_hot(seqs, input_shape)
    encode_s = time.monotonic() - t
    if len(x) < args.batch:
        sys.exit(f"{len(x)} rows: fewer than one batch of {args.batch}")

    t = time.monotonic()
    model.predict(x[:args.batch], batch_size=args.batch, verbose=0)  # warm-up: traces the graph
    warmup_s = time.monotonic() - t

    t, cpu = time.monotonic(), time.process_time()
    y = model.predict(x, batch_size=args.batch, verbose=0)
    timed_s, timed_cpu_s = time.monotonic() - t, time.process_time() - cpu

    y = np.asarray(y, dtype=np.float32)
    with open(args.out, "w") as f:
        f.write("\t".join(COLUMNS + ["fusion_negative_prob", "fusion_positive_prob"]) + "\n")
        for k, (neg, pos) in zip(keys, y):
            f.write("\t".join(k + [str(neg), str(pos)]) + "\n")  # str(np.float32): shortest round-trip

    summary = {
        "rows": len(x),
        "batch": args.batch,
        "intra_op_threads": tf.config.threading.get_intra_op_parallelism_threads(),
        "inter_op_threads": tf.config.threading.get_inter_op_parallelism_threads(),
        "onednn": os.environ.get("TF_ENABLE_ONEDNN_OPTS", "default (on)"),
        "tensorflow": tf.__version__,
        "keras": "tf_keras " + tf_keras.__version__,
        "python": platform.python_version(),
        "model": os.path.basename(args.model),
        "parameters": int(params),
        "import_s": round(imported - START, 3),
        "load_s": round(load_s, 3),
        "encode_s": round(encode_s, 3),
        "warmup_batch_s": round(warmup_s, 3),
        "timed_predict_s": round(timed_s, 3),
        "timed_cpu_s": round(timed_cpu_s, 2),
        "timed_seq_per_s": round(len(x) / timed_s, 3),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    with open(args.summary, "w") as f:
        json.dump(summary, f, indent=1)
        f.write("\n")
    print(json.dumps(summary), file=sys.stderr)


if __name__ == "__main__":
    main()
