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

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tf_common  # noqa: E402  (first: quiets TensorFlow's log, starts the import clock)

import numpy as np  # noqa: E402

COLUMNS = ["Hgene", "Hchr", "Hbp", "Hstrand", "Tgene", "Tchr", "Tbp", "Tstrand"]


def main():
    ap = tf_common.argument_parser(__doc__, "prepared", "out", "summary")
    ap.add_argument("--batch", type=int, default=16)
    args = ap.parse_args()

    tf, tf_keras, import_s = tf_common.import_tensorflow(args.threads)
    model, load_s, input_shape = tf_common.load_model(tf_keras, args.model)

    keys, seqs, _ = tf_common.read_prepared(args.prepared)
    t = time.monotonic()
    x = tf_common.one_hot(seqs, input_shape)
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
        **tf_common.common_fields(tf, tf_keras, args.model, model,
                                  import_s=import_s, load_s=load_s, encode_s=encode_s),
        "warmup_batch_s": round(warmup_s, 3),
        "timed_predict_s": round(timed_s, 3),
        "timed_cpu_s": round(timed_cpu_s, 2),
        "timed_seq_per_s": round(len(x) / timed_s, 3),
    }
    tf_common.write_summary(args.summary, summary)


if __name__ == "__main__":
    main()
