"""Set-up shared by the TensorFlow sides of the benchmarks (predict/tf_predict.py,
explain/tf_gradient.py, train/tf_train.py): TensorFlow's threads and imports, loading the Keras-2
HDF5 model with tf_keras, reading a `fusionai prepare` file, one-hot encoding
(make_fixtures.one_hot: head window then tail window; A,C,G,T -> channels 0..3,
case-insensitive; anything else all zeros) and the summary fields every side reports.

Import it first (before TensorFlow): it quiets TensorFlow's C++ log and starts the clock that
import_s is measured from. Each script puts this folder on sys.path.
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

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools", "keras_reference"))
from make_fixtures import one_hot  # noqa: E402,F401  (the encoding the Swift tests are checked against)

WINDOW = 10_000


def argument_parser(doc, *positionals):
    """MODEL, then the script's own positionals, and --threads; the description is the first
    paragraph of the script's docstring."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("model")
    for name in positionals:
        ap.add_argument(name)
    ap.add_argument("--threads", type=int, default=2, help="intra-op threads (inter-op: 1)")
    return ap


def import_tensorflow(threads):
    """Imports TensorFlow and tf_keras, with the threads set before any op runs: `threads` for the
    work inside an op (oneDNN convolutions and their gradients), one for running independent ops
    side by side (a Sequential model has none). Returns (tf, tf_keras, seconds since START)."""
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    import tf_keras
    return tf, tf_keras, time.monotonic() - START


def load_model(tf_keras, path):
    """The Keras file, uncompiled. Returns (model, seconds, input shape without the batch axis)."""
    t = time.monotonic()
    model = tf_keras.models.load_model(path, compile=False)
    load_s = time.monotonic() - t
    return model, load_s, tuple(int(d) for d in model.input_shape[1:])


def read_prepared(path, window=WINDOW, labelled=False):
    """Rows of a `fusionai prepare` file: 8 columns + HeadSeq + TailSeq (tab-separated, no header)
    and, if `labelled`, a 0/1 label as column 11. Each window is cropped to its central `window`
    bases (all 10,000 for the full-size model; a model with a shorter input sees the middle of each
    window, as fusionai crops). Returns ([8-column lists], [head + tail strings], [labels])."""
    start = (WINDOW - window) // 2
    keys, seqs, labels = [], [], []
    with open(path, newline="") as f:
        for n, line in enumerate(f, 1):
            fields = line.rstrip("\r\n").split("\t")
            if labelled and (len(fields) < 11 or fields[10] not in ("0", "1")):
                sys.exit(f"{path}:{n}: expected 8 columns + HeadSeq + TailSeq + a 0/1 label")
            if len(fields) < 10:
                sys.exit(f"{path}:{n}: {len(fields)} columns, expected 8 + HeadSeq + TailSeq")
            head, tail = fields[8], fields[9]
            if len(head) != WINDOW or len(tail) != WINDOW:
                sys.exit(f"{path}:{n}: windows of {len(head)} and {len(tail)} nt, expected {WINDOW}")
            keys.append(fields[:8])
            seqs.append(head[start:start + window] + tail[start:start + window])
            if labelled:
                labels.append(int(fields[10]))
    return keys, seqs, labels


def common_fields(tf, tf_keras, model_path, model, **timings):
    """Summary fields every TensorFlow side reports: threads, oneDNN, versions, the model, and the
    set-up seconds given (import_s, load_s, encode_s)."""
    return {
        "intra_op_threads": tf.config.threading.get_intra_op_parallelism_threads(),
        "inter_op_threads": tf.config.threading.get_inter_op_parallelism_threads(),
        "onednn": os.environ.get("TF_ENABLE_ONEDNN_OPTS", "default (on)"),
        "tensorflow": tf.__version__,
        "keras": "tf_keras " + tf_keras.__version__,
        "python": platform.python_version(),
        "model": os.path.basename(model_path),
        "parameters": int(model.count_params()),
        **{k: round(v, 3) for k, v in timings.items()},
    }


def write_summary(path, summary):
    """Adds the process's peak RSS (so far: call it last), writes SUMMARY.json and prints it on
    stderr (run.sh keeps stderr as the log)."""
    summary["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    with open(path, "w") as f:
        json.dump(summary, f, indent=1)
        f.write("\n")
    print(json.dumps(summary), file=sys.stderr)
