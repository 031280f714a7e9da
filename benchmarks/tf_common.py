"""Set-up shared by the Python sides of the benchmarks (predict/tf_predict.py, predict/onnx_model.py,
predict/ort_predict.py, explain/tf_gradient.py, train/tf_train.py): TensorFlow's imports and
threads, loading the Keras file with Keras 3, reading a `fusionai prepare` file, one-hot encoding
(make_fixtures.one_hot: head window then tail window; A,C,G,T -> channels 0..3,
case-insensitive; anything else all zeros), timing helpers and the summary fields every side
reports.

The baseline is TensorFlow as a user who cares about speed drives it (issue 13): Keras 3
(`keras.models.load_model`), the forward pass or training step in a `tf.function`, TensorFlow's
default threading (intra-op and inter-op pools sized by TensorFlow from the machine's cores).

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
os.environ["KERAS_BACKEND"] = "tensorflow"
START = time.monotonic()

# make_fixtures pins OpenBLAS/OpenMP/MKL to one thread on import (it runs on shared machines); a
# baseline must run with the library defaults, so those variables are put back as they were.
_THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
_saved = {v: os.environ.get(v) for v in _THREAD_VARS}
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools", "keras_reference"))
from make_fixtures import one_hot  # noqa: E402,F401  (the encoding the Swift tests are checked against)
for _v, _old in _saved.items():
    if _old is None:
        os.environ.pop(_v, None)
    else:
        os.environ[_v] = _old

import numpy as np  # noqa: E402

WINDOW = 10_000


def argument_parser(doc, *positionals):
    """MODEL, then the script's own positionals, and --threads; the description is the first
    paragraph of the script's docstring."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("model")
    for name in positionals:
        ap.add_argument(name)
    ap.add_argument("--threads", type=int, default=0,
                    help="TensorFlow intra-op threads; 0 (default): TensorFlow's own default for "
                         "both pools, which is what the benchmark measures")
    return ap


def import_tensorflow(threads=0):
    """Imports TensorFlow and Keras 3. `threads` > 0 sets intra-op threads (inter-op 1) before any
    op runs; 0 leaves TensorFlow's defaults (the benchmark's configuration). Returns
    (tf, keras, seconds since START)."""
    import tensorflow as tf
    if threads > 0:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    import keras
    return tf, keras, time.monotonic() - START


def load_model(keras, path):
    """The Keras file (here the Keras-2 .h5 both tools read) through Keras 3's
    `keras.models.load_model`, uncompiled. Returns (model, seconds, input shape without the batch
    axis)."""
    t = time.monotonic()
    model = keras.models.load_model(path, compile=False)
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


def batches_up_to(candidates, rows):
    """The candidate batch sizes that fit in `rows`, and `rows` itself where a larger candidate does
    not fit (a smoke run on 4 rows tries 1 and 4)."""
    fit = [b for b in candidates if b <= rows]
    if rows not in fit and any(b > rows for b in candidates):
        fit.append(rows)
    return fit


def clock():
    return time.monotonic(), time.process_time()


def since(t):
    """(wall, process CPU) seconds since a clock()."""
    return time.monotonic() - t[0], time.process_time() - t[1]


def run_batched(fn, x, batch):
    """fn over x in slices of `batch` rows (the last may be shorter); the outputs stacked as float32."""
    return np.concatenate([np.asarray(fn(x[i:i + batch]), dtype=np.float32)
                           for i in range(0, len(x), batch)])


def time_batched(fn, x, batch):
    """Warms fn up on every slice shape it will see (batch, and the shorter last slice if any: graph
    tracing, oneDNN primitives; not timed), then times fn over all of x. Returns
    (outputs, wall s, CPU s, warm-up s)."""
    t = clock()
    fn(x[:batch])
    if len(x) % batch:
        fn(x[:len(x) % batch])
    warm = since(t)[0]
    t = clock()
    y = run_batched(fn, x, batch)
    wall, cpu = since(t)
    return y, wall, cpu, warm


def thread_fields(tf):
    """TensorFlow's thread settings as set (0 = TensorFlow's default, sized from the cores)."""
    intra = tf.config.threading.get_intra_op_parallelism_threads()
    inter = tf.config.threading.get_inter_op_parallelism_threads()
    return {
        "intra_op_threads": intra if intra else f"default (0; {os.cpu_count()} cores)",
        "inter_op_threads": inter if inter else f"default (0; {os.cpu_count()} cores)",
    }


def common_fields(tf, keras, model_path, model, **timings):
    """Summary fields every TensorFlow side reports: threads, oneDNN, versions, the model, and the
    set-up seconds given (import_s, load_s, encode_s)."""
    return {
        **thread_fields(tf),
        "onednn": os.environ.get("TF_ENABLE_ONEDNN_OPTS", "default (on)"),
        "tensorflow": tf.__version__,
        "keras": "Keras " + keras.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
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
