#!/usr/bin/env python3
"""TensorFlow/Keras reference fixtures for the Swift Keras importer and inference engine.

For each model below this script
  * builds it with seeded random weights (kernels, non-trivial biases, BatchNormalization
    gamma/beta/moving_mean/moving_variance), identically in Keras 3 and in tf_keras (Keras 2);
  * saves it three ways:
        <name>.keras2.h5   tf_keras  model.save(...h5)   legacy Keras-2 HDF5 layout
        <name>.keras3.h5   keras 3   model.save(...h5)   Keras-3 "legacy" HDF5 layout
        <name>.keras       keras 3   model.save(...keras) zip: config.json, metadata.json, model.weights.h5
    and fusionai_small / fusionai_full also as
        <name>.keras2-h5py2.h5  tf_keras, string lists stored fixed-length as under h5py < 3
  * runs TensorFlow inference (training=False) on 8 seeded one-hot DNA sequences and writes
        <name>.outputs.json
    with the sequences, the outputs, every layer's output for sequence 0, and a float64 NumPy
    re-implementation's outputs (an independent check of the layer semantics);
  * reloads every saved file and checks its predictions equal the in-memory model's, and reads
    every file's weights with h5py alone by the rules of LAYOUTS.md (exact equality).

Models: fusionai_small (Sequential), fusionai_functional (Functional), conv1d_zoo_gmax,
conv1d_zoo_gavg, conv2d_stride_same; and with --full, fusionai_full (the real 2,672,002-parameter
FusionAI network, input (20000, 4, 1)), which is written only into --out and never into
Tests/Fixtures.

Run inside tools/.venv (see setup.sh):
    tools/.venv/bin/python tools/keras_reference/make_fixtures.py            # -> Tests/Fixtures/keras
    tools/.venv/bin/python tools/keras_reference/make_fixtures.py --full --out /tmp/fusionai_full
"""

import argparse
import hashlib
import io
import json
import os
import re
import sys
import zipfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# One BLAS thread for NumPy's float64 check (this runs on shared machines); before numpy import.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
# Keep Keras 3 on the TensorFlow backend regardless of ~/.keras/keras.json.
os.environ["KERAS_BACKEND"] = "tensorflow"

import h5py
import numpy as np

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_OUT = os.path.join(REPO_ROOT, "Tests", "Fixtures", "keras")
N_SEQUENCES = 8
FULL_PARAMS = 2_672_002


# --------------------------------------------------------------------------------------------
# Architectures. Each builder takes the Keras module `K` (keras 3 or tf_keras) so that the two
# implementations build the same graph with the same automatically assigned layer names.
# --------------------------------------------------------------------------------------------

# Layer names as standalone Keras 2.x (2017-2020, the FusionAI era) generated them: counters
# started at 1, so weights are named like `conv2d_1/kernel:0`. They also make the `.keras`
# weight keys (derived from class names: conv2d, conv2d_1, ...) differ from the layer names.
KERAS22_NAMES = ["conv2d_1", "conv2d_2", "max_pooling2d_1", "dropout_1", "flatten_1",
                 "dense_1", "dropout_2", "dense_2"]


def fusionai_stack(K, f1, f2, input_rows, input_shape_kwarg, names=None):
    """Layers of the FusionAI network (DESIGN.md), optionally with Keras-2 style `input_shape=`
    and explicit layer names (default: automatic names conv2d, conv2d_1, ...)."""
    L = K.layers
    first_kwargs = {"input_shape": (input_rows, 4, 1)} if input_shape_kwarg else {}
    n = (lambda i: {"name": names[i]}) if names else (lambda i: {})
    return [
        L.Conv2D(f1, (20, 4), activation="relu", padding="valid", **first_kwargs, **n(0)),
        L.Conv2D(f2, (200, 1), activation="relu", padding="valid", **n(1)),
        L.MaxPooling2D((20, 1), **n(2)),
        L.Dropout(0.25, **n(3)),
        L.Flatten(**n(4)),
        L.Dense(32, activation="relu", **n(5)),
        L.Dropout(0.4, **n(6)),
        L.Dense(2, activation="softmax", **n(7)),
    ]


def sequential(K, input_shape, layers_fn):
    """Sequential model. Keras 2 idiom (tf_keras): `input_shape=` on the first layer, as the
    original FusionAI code did. Keras 3 idiom: a leading keras.Input (input_shape= is deprecated)."""
    if is_keras2(K):
        return K.Sequential(layers_fn(True))
    return K.Sequential([K.Input(shape=input_shape)] + layers_fn(False))


def build_fusionai_small(K):
    return sequential(K, (600, 4, 1), lambda kw: fusionai_stack(K, 16, 8, 600, kw, KERAS22_NAMES))


def build_fusionai_full(K):
    return sequential(K, (20000, 4, 1), lambda kw: fusionai_stack(K, 256, 32, 20000, kw, KERAS22_NAMES))


def build_fusionai_functional(K):
    inputs = K.Input(shape=(600, 4, 1))
    x = inputs
    for layer in fusionai_stack(K, 16, 8, 600, False):
        x = layer(x)
    return K.Model(inputs=inputs, outputs=x)


def zoo_layers(K, global_pool):
    L = K.layers
    return [
        L.Conv1D(12, 9, padding="same", activation="relu"),
        L.BatchNormalization(),
        L.MaxPooling1D(3),
        L.Conv1D(8, 5, strides=2, padding="valid"),
        L.Activation("relu"),
        L.Conv1D(6, 3, dilation_rate=2, padding="same", activation="sigmoid"),
        global_pool(),
        L.Dense(4, activation="relu"),
        L.Dense(1, activation="sigmoid"),
    ]


def build_conv1d_zoo_gmax(K):
    return K.Sequential([K.Input(shape=(300, 4))] + zoo_layers(K, K.layers.GlobalMaxPooling1D))


def build_conv1d_zoo_gavg(K):
    return K.Sequential([K.Input(shape=(300, 4))] + zoo_layers(K, K.layers.GlobalAveragePooling1D))


def build_conv2d_stride_same(K):
    L = K.layers
    # Descriptive custom layer names (not class-derived), as hand-written models often have.
    return K.Sequential([
        K.Input(shape=(101, 4, 1), name="dna"),
        # odd length 101, stride 2, even kernel 8, "same": 51 rows out, total padding
        # (51-1)*2+8-101 = 7 rows, split 3 before / 4 after; width 4, kernel 4: 1 before / 2 after
        L.Conv2D(6, (8, 4), strides=(2, 1), padding="same", activation="relu", name="conv_stride2"),
        # even kernel, "same": asymmetric padding in both dimensions (rows 1/2, cols 0/1)
        L.Conv2D(4, (4, 2), padding="same", activation="tanh", name="conv_even_kernel"),
        # pool strides != pool size
        L.MaxPooling2D(pool_size=(3, 2), strides=(2, 1), name="pool_3x2_s2x1"),
        L.Flatten(name="flatten_hwc"),  # flattens (rows, cols, channels); width 3 > 1: order matters
        L.Dense(2, activation="softmax", name="scores"),
    ])


MODELS = {
    # name: (builder, input shape without batch, compile like FusionAI?)
    "fusionai_small": (build_fusionai_small, (600, 4, 1), True),
    "fusionai_functional": (build_fusionai_functional, (600, 4, 1), False),
    "conv1d_zoo_gmax": (build_conv1d_zoo_gmax, (300, 4), False),
    "conv1d_zoo_gavg": (build_conv1d_zoo_gavg, (300, 4), False),
    "conv2d_stride_same": (build_conv2d_stride_same, (101, 4, 1), False),
}
# Models also saved as `<name>.keras2-h5py2.h5` (see save_keras2_h5py2_style).
H5PY2_VARIANT = {"fusionai_small", "fusionai_full"}
FULL_MODEL = {"fusionai_full": (build_fusionai_full, (20000, 4, 1), True)}


def is_keras2(K):
    return K.__name__ == "tf_keras"


# --------------------------------------------------------------------------------------------
# Seeded weights, sequences, one-hot encoding
# --------------------------------------------------------------------------------------------

def short_name(variable):
    """'conv2d/kernel:0' (Keras 2) or 'kernel' (Keras 3) -> 'kernel'."""
    return variable.name.split("/")[-1].split(":")[0]


def random_weights(model, rng):
    """One array per model.weights entry (same order as model.get_weights()).

    Kernels: He-uniform for convolutions (relu stacks stay alive), Glorot-uniform for Dense,
    so activations are neither dead nor saturated. Biases uniform(-0.1, 0.1).
    BatchNormalization: gamma U(0.5,1.5), beta U(-0.1,0.1), moving_mean U(-0.3,0.3),
    moving_variance U(0.5,2.0).
    """
    arrays = []
    for layer in model.layers:
        kind = type(layer).__name__
        for v in layer.weights:
            shape = tuple(int(d) for d in v.shape)
            name = short_name(v)
            if name == "kernel":
                fan_in = int(np.prod(shape[:-1]))
                fan_out = shape[-1] if kind == "Dense" else int(np.prod(shape[:-2])) * shape[-1]
                if kind == "Dense":
                    limit = np.sqrt(6.0 / (fan_in + fan_out))
                else:
                    limit = np.sqrt(6.0 / fan_in)
                a = rng.uniform(-limit, limit, size=shape)
            elif name == "bias":
                a = rng.uniform(-0.1, 0.1, size=shape)
            elif name == "gamma":
                a = rng.uniform(0.5, 1.5, size=shape)
            elif name == "beta":
                a = rng.uniform(-0.1, 0.1, size=shape)
            elif name == "moving_mean":
                a = rng.uniform(-0.3, 0.3, size=shape)
            elif name == "moving_variance":
                a = rng.uniform(0.5, 2.0, size=shape)
            else:
                raise ValueError(f"no rule for weight {v.name} of {layer.name}")
            arrays.append(a.astype(np.float32))
    return arrays


def random_sequences(length, rng):
    """8 sequences: 0 = uppercase ACGT with a few scattered N; 1 = a block of N; 2 = mixed case
    (soft-masked lowercase runs, including lowercase n); 3 = all N (output = pure bias path);
    4-7 = random ACGT with ~2% N."""
    bases = np.array(list("ACGT"))
    seqs = []
    for i in range(N_SEQUENCES):
        s = bases[rng.integers(0, 4, size=length)].copy()
        if i == 0:
            s[rng.choice(length, size=max(3, length // 100), replace=False)] = "N"
        elif i == 1:
            start = rng.integers(0, length // 2)
            s[start:start + length // 5] = "N"
        elif i == 2:
            for _ in range(3):
                start = rng.integers(0, length - length // 10)
                run = slice(start, start + length // 10)
                s[run] = np.char.lower(s[run])
            s[rng.choice(length, size=3, replace=False)] = "n"
        elif i == 3:
            s[:] = "N"
        else:
            s[rng.random(length) < 0.02] = "N"
        seqs.append("".join(s))
    return seqs


def one_hot(seqs, input_shape):
    """DESIGN.md rule: A,C,G,T -> channels 0..3, case-insensitive; anything else -> zeros.
    Returns float32 (n, L, 4) reshaped to (n,) + input_shape (e.g. (n, L, 4, 1))."""
    table = np.zeros((256, 4), dtype=np.float32)
    for ch, base in enumerate("ACGT"):
        table[ord(base), ch] = 1.0
        table[ord(base.lower()), ch] = 1.0
    codes = np.stack([np.frombuffer(s.encode("ascii"), dtype=np.uint8) for s in seqs])
    return table[codes].reshape((len(seqs),) + tuple(input_shape))


# --------------------------------------------------------------------------------------------
# Independent float64 NumPy forward pass (checks that the layer semantics documented in
# LAYOUTS.md -- kernel layouts, "same" padding, flatten order -- are what TensorFlow computes).
# --------------------------------------------------------------------------------------------

def _same_pads(n, k, stride, dilation):
    ke = (k - 1) * dilation + 1
    out = -(-n // stride)
    total = max((out - 1) * stride + ke - n, 0)
    return total // 2, total - total // 2


def np_conv2d(x, kernel, bias, strides, padding, dilation):
    # x (n, H, W, C), kernel (kh, kw, C, F)
    kh, kw, _, f = kernel.shape
    sh, sw = strides
    dh, dw = dilation
    if padding == "same":
        ph = _same_pads(x.shape[1], kh, sh, dh)
        pw = _same_pads(x.shape[2], kw, sw, dw)
        x = np.pad(x, ((0, 0), ph, pw, (0, 0)))
    H, W = x.shape[1], x.shape[2]
    oh = (H - ((kh - 1) * dh + 1)) // sh + 1
    ow = (W - ((kw - 1) * dw + 1)) // sw + 1
    y = np.zeros((x.shape[0], oh, ow, f))
    for i in range(kh):
        for j in range(kw):
            patch = x[:, i * dh: i * dh + (oh - 1) * sh + 1: sh, j * dw: j * dw + (ow - 1) * sw + 1: sw, :]
            y += patch @ kernel[i, j]
    return y + bias


def np_pool2d(x, pool, strides, padding, op):
    ph_, pw_ = pool
    sh, sw = strides
    if padding == "same":
        ph = _same_pads(x.shape[1], ph_, sh, 1)
        pw = _same_pads(x.shape[2], pw_, sw, 1)
        x = np.pad(x, ((0, 0), ph, pw, (0, 0)), constant_values=-np.inf)
    H, W = x.shape[1], x.shape[2]
    oh = (H - ph_) // sh + 1
    ow = (W - pw_) // sw + 1
    windows = [x[:, i: i + (oh - 1) * sh + 1: sh, j: j + (ow - 1) * sw + 1: sw, :]
               for i in range(ph_) for j in range(pw_)]
    return op(np.stack(windows), axis=0)


ACTIVATIONS = {
    "linear": lambda z: z,
    "relu": lambda z: np.maximum(z, 0.0),
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "tanh": np.tanh,
    "softmax": lambda z: np.exp(z - z.max(-1, keepdims=True)) / np.exp(z - z.max(-1, keepdims=True)).sum(-1, keepdims=True),
}


def numpy_forward(model, x):
    """float64 forward pass of a single-path model from its config and weights."""
    y = x.astype(np.float64)
    for layer in model.layers:
        kind = type(layer).__name__
        cfg = layer.get_config()
        w = [np.asarray(a, dtype=np.float64) for a in layer.get_weights()]
        if kind in ("InputLayer", "Dropout"):
            continue
        if kind in ("Conv1D", "Conv2D"):
            one_d = kind == "Conv1D"
            if one_d:  # (n, L, C) -> (n, L, 1, C); kernel (k, C, F) -> (k, 1, C, F)
                y = y[:, :, None, :]
                k = w[0][:, None, :, :]
                strides, dil = (cfg["strides"][0], 1), (cfg["dilation_rate"][0], 1)
            else:
                k, strides, dil = w[0], tuple(cfg["strides"]), tuple(cfg["dilation_rate"])
            bias = w[1] if cfg["use_bias"] else 0.0
            y = np_conv2d(y, k, bias, strides, cfg["padding"], dil)
            if one_d:
                y = y[:, :, 0, :]
            y = ACTIVATIONS[cfg["activation"]](y)
        elif kind in ("MaxPooling1D", "MaxPooling2D"):
            if kind == "MaxPooling1D":
                y = np_pool2d(y[:, :, None, :], (cfg["pool_size"][0], 1), (cfg["strides"][0], 1),
                              cfg["padding"], np.max)[:, :, 0, :]
            else:
                y = np_pool2d(y, tuple(cfg["pool_size"]), tuple(cfg["strides"]), cfg["padding"], np.max)
        elif kind == "BatchNormalization":
            gamma, beta, mean, var = w
            y = (y - mean) / np.sqrt(var + cfg["epsilon"]) * gamma + beta
        elif kind == "Activation":
            y = ACTIVATIONS[cfg["activation"]](y)
        elif kind == "GlobalMaxPooling1D":
            y = y.max(axis=1)
        elif kind == "GlobalAveragePooling1D":
            y = y.mean(axis=1)
        elif kind == "Flatten":
            y = y.reshape(y.shape[0], -1)  # row-major over (rows, cols, channels)
        elif kind == "Dense":
            y = ACTIVATIONS[cfg["activation"]](y @ w[0] + (w[1] if cfg["use_bias"] else 0.0))
        else:
            raise ValueError(f"numpy_forward: unsupported layer {kind}")
    return y


# --------------------------------------------------------------------------------------------
# Saving, reloading, JSON
# --------------------------------------------------------------------------------------------

def f32_list(a):
    """Flat list of Python floats holding the exact float32 values (json prints repr)."""
    return [float(v) for v in np.asarray(a, dtype=np.float32).ravel()]


def dump_json(doc):
    """One top-level key per line, values compact (numbers dominate the size)."""
    lines = [f" {json.dumps(k)}: {json.dumps(v, separators=(',', ':'))}" for k, v in doc.items()]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def compile_like_fusionai(K, model):
    """Adadelta(lr 1.0, rho 0.95, eps 1e-7) + categorical cross-entropy, as FusionAI; the
    optimizer's slot variables are created so that the Keras-2 file gets `optimizer_weights`."""
    opt = K.optimizers.Adadelta(learning_rate=1.0, rho=0.95, epsilon=1e-7)
    model.compile(optimizer=opt, loss="categorical_crossentropy", metrics=["accuracy"])
    opt.build(model.trainable_variables)


def save_keras2_h5py2_style(model, path):
    """Save with tf_keras as under h5py < 3 (TensorFlow <= 2.4 pinned h5py 2.10; files of the
    FusionAI era). Keras passes `layer_names` / `weight_names` to h5py as a list of bytes; h5py 2
    turned that into a NumPy 'S' array, stored as FIXED-length strings, while h5py 3 stores a
    list of bytes as variable-length strings. Scalar attributes were variable-length in both.
    Emulated by handing h5py the NumPy array h5py 2 would have built; nothing else changes."""
    from tf_keras.src.saving.legacy import hdf5_format as hf
    original = hf.save_attributes_to_hdf5_group

    def as_h5py2(group, name, data):
        if len(data) and all(isinstance(x, bytes) for x in data):
            data = np.asarray(data)  # dtype 'S<n>'
        return original(group, name, data)

    hf.save_attributes_to_hdf5_group = as_h5py2
    try:
        model.save(path)
    finally:
        hf.save_attributes_to_hdf5_group = original


# --------------------------------------------------------------------------------------------
# Weight readers written from LAYOUTS.md with h5py only (no Keras): the algorithm the Swift
# importer is to implement. Checked against the in-memory models for every saved file.
# --------------------------------------------------------------------------------------------

def h5_string_list(attrs, name):
    """A string-list attribute, fixed- or variable-length, possibly split into name0, name1, ...
    An empty list is stored as a float64 array of shape (0,)."""
    if name in attrs:
        chunks = [attrs[name]]
    else:
        chunks, i = [], 0
        while f"{name}{i}" in attrs:
            chunks.append(attrs[f"{name}{i}"])
            i += 1
    out = []
    for chunk in chunks:
        for item in np.asarray(chunk).ravel():
            out.append(item.decode("utf-8") if isinstance(item, bytes) else str(item))
    return out


def read_legacy_h5_weights(path):
    """{layer name: [arrays in weight_names order]} from a Keras 2 or Keras 3 .h5 file."""
    with h5py.File(path, "r") as f:
        g = f["model_weights"] if "model_weights" in f else f
        result = {}
        for layer in h5_string_list(g.attrs, "layer_names"):
            lg = g[layer]
            result[layer] = [np.asarray(lg[w][()]) for w in h5_string_list(lg.attrs, "weight_names")]
        return result


def snake_case(class_name):
    """keras.src.utils.naming.to_snake_case."""
    name = re.sub(r"\W+", "", class_name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def read_keras_zip_weights(path):
    """{layer name: [arrays vars/0, vars/1, ...]} from a .keras zip, by two rules that must agree:
    (a) the `name` attribute of layers/<key>/vars; (b) <key> = snake_case(class_name) of the
    config's layers in order (Sequential: InputLayer excluded), made unique with _1, _2, ..."""
    with zipfile.ZipFile(path) as z:
        config = json.loads(z.read("config.json"))
        weights_bytes = z.read("model.weights.h5")
    with h5py.File(io.BytesIO(weights_bytes), "r") as f:
        by_attr = {}
        for key, group in f["layers"].items():
            v = group["vars"]
            arrays = [np.asarray(v[str(i)][()]) for i in range(len(v))]
            by_attr[v.attrs["name"]] = arrays
        by_rule, used = {}, {}
        for layer in config["config"]["layers"]:
            if config["class_name"] == "Sequential" and layer["class_name"] == "InputLayer":
                continue
            key = snake_case(layer["class_name"])
            if key in used:
                used[key] += 1
                key = f"{key}_{used[key]}"
            else:
                used[key] = 0
            v = f["layers"][key]["vars"]
            by_rule[layer["config"]["name"]] = [np.asarray(v[str(i)][()]) for i in range(len(v))]
    if by_attr.keys() != by_rule.keys() or any(
            not all(np.array_equal(a, b) for a, b in zip(by_attr[k], by_rule[k])) for k in by_attr):
        raise RuntimeError(f"{path}: vars@name and the class-name key rule disagree")
    return by_attr


def check_weights(label, found, model):
    """Every layer of `model` with weights is in `found`, with identical arrays in order."""
    for layer in model.layers:
        expected = [np.asarray(w) for w in layer.get_weights()]
        if layer.name not in found:
            if expected:
                raise RuntimeError(f"{label}: layer {layer.name} missing")
            continue
        got = found[layer.name]
        if len(got) != len(expected) or not all(
                g.shape == e.shape and np.array_equal(g, e) for g, e in zip(got, expected)):
            raise RuntimeError(f"{label}: weights of {layer.name} differ")


def run_model(model, x):
    return np.asarray(model(x, training=False), dtype=np.float32)


def make_one(name, spec, out_dir, seed, layer_output_limit, keras, tf_keras, log, h5py2_variant):
    builder, input_shape, compiled = spec
    # Per-model seed so that adding a model never changes another model's fixtures.
    model_seed = int.from_bytes(hashlib.sha256(f"{seed}:{name}".encode()).digest()[:4], "little")
    rng = np.random.default_rng(model_seed)

    # Fresh name scopes: layers are named conv2d, conv2d_1, dense, dense_1, ... in both versions.
    keras.backend.clear_session()
    m3 = builder(keras)
    weights = random_weights(m3, rng)
    m3.set_weights(weights)

    tf_keras.backend.clear_session()
    m2 = builder(tf_keras)
    w2_shapes = [tuple(w.shape) for w in m2.get_weights()]
    if w2_shapes != [w.shape for w in weights]:
        raise RuntimeError(f"{name}: weight shapes differ between Keras 2 and 3: {w2_shapes}")
    m2.set_weights(weights)
    names2 = [l.name for l in m2.layers if type(l).__name__ != "InputLayer"]
    names3 = [l.name for l in m3.layers if type(l).__name__ != "InputLayer"]
    if names2 != names3:
        raise RuntimeError(f"{name}: layer names differ: Keras 2 {names2}, Keras 3 {names3}")

    if compiled:
        compile_like_fusionai(keras, m3)
        compile_like_fusionai(tf_keras, m2)

    n_params = m3.count_params()
    if name == "fusionai_full":
        m3.summary(print_fn=lambda s, **kw: log(s))
        assert n_params == FULL_PARAMS, f"fusionai_full has {n_params} parameters, expected {FULL_PARAMS}"
        assert m2.count_params() == FULL_PARAMS

    seqs = random_sequences(input_shape[0], rng)
    x = one_hot(seqs, input_shape)
    assert np.all(x[3] == 0), "the all-N sequence must encode to zeros"

    y3 = run_model(m3, x)
    y2 = run_model(m2, x)
    y64 = numpy_forward(m3, x)

    # Every layer's output for sequence 0 (computed on the whole batch, like `outputs`).
    probe_layers = [l for l in m3.layers if type(l).__name__ != "InputLayer"]
    probe = keras.Model(inputs=m3.inputs[0], outputs=[l.output for l in probe_layers])
    layer_values = probe(x, training=False)
    layer_outputs, layer_shapes = {}, {}
    for layer, value in zip(probe_layers, layer_values):
        v = np.asarray(value, dtype=np.float32)[0]
        layer_shapes[layer.name] = list(v.shape)
        flat = f32_list(v)
        layer_outputs[layer.name] = flat[:layer_output_limit] if layer_output_limit else flat
    np.testing.assert_array_equal(np.asarray(layer_values[-1], dtype=np.float32), y3)

    # Save the three forms.
    paths = {
        "keras2_h5": os.path.join(out_dir, f"{name}.keras2.h5"),
        "keras3_h5": os.path.join(out_dir, f"{name}.keras3.h5"),
        "keras3_zip": os.path.join(out_dir, f"{name}.keras"),
    }
    if h5py2_variant:
        paths["keras2_h5py2_h5"] = os.path.join(out_dir, f"{name}.keras2-h5py2.h5")
    for p in paths.values():
        if os.path.exists(p):
            os.remove(p)
    m2.save(paths["keras2_h5"])  # .h5 suffix -> legacy HDF5 (Keras 2 layout)
    m3.save(paths["keras3_h5"])  # .h5 suffix -> Keras 3 legacy HDF5 writer
    m3.save(paths["keras3_zip"])
    if h5py2_variant:
        save_keras2_h5py2_style(m2, paths["keras2_h5py2_h5"])

    # Reload and compare with the in-memory models.
    checks = {}
    r2 = tf_keras.models.load_model(paths["keras2_h5"], compile=False)
    r3h = keras.models.load_model(paths["keras3_h5"], compile=False)
    r3z = keras.models.load_model(paths["keras3_zip"], compile=False)
    reloads = [("keras2_h5", r2, y2), ("keras3_h5", r3h, y3), ("keras3_zip", r3z, y3)]
    if h5py2_variant:
        reloads.append(("keras2_h5py2_h5",
                        tf_keras.models.load_model(paths["keras2_h5py2_h5"], compile=False), y2))
    for label, reloaded, reference in reloads:
        y = run_model(reloaded, x)
        diff = float(np.max(np.abs(y - reference)))
        checks[label] = diff
        if diff != 0.0:
            raise RuntimeError(f"{name}: reloaded {label} differs from the in-memory model by {diff}")
    # The documented layouts, read with h5py alone, give back exactly the in-memory weights.
    check_weights("keras2_h5", read_legacy_h5_weights(paths["keras2_h5"]), m2)
    check_weights("keras3_h5", read_legacy_h5_weights(paths["keras3_h5"]), m3)
    check_weights("keras3_zip", read_keras_zip_weights(paths["keras3_zip"]), m3)
    if h5py2_variant:
        check_weights("keras2_h5py2_h5", read_legacy_h5_weights(paths["keras2_h5py2_h5"]), m2)

    diff_23 = float(np.max(np.abs(y2 - y3)))
    diff_64 = float(np.max(np.abs(y3.astype(np.float64) - y64)))
    if diff_23 > 1e-5 or diff_64 > 1e-4:
        raise RuntimeError(f"{name}: keras2 vs keras3 {diff_23}, float32 vs float64 {diff_64}")

    import tensorflow as tf
    doc = {
        "model": name,
        "input_shape": list(input_shape),
        "output_shape": list(y3.shape[1:]),
        "parameters": int(n_params),
        "seed": seed,
        "one_hot": "A,C,G,T -> channels 0..3 (case-insensitive); any other letter -> all zeros",
        "files": {k: os.path.basename(p) for k, p in paths.items()},
        "tensorflow_version": tf.__version__,
        "keras_version": keras.__version__,
        "tf_keras_version": tf_keras.__version__,
        "sequences": seqs,
        "outputs": [f32_list(row) for row in y3],
        "outputs_float64": [[float(v) for v in row.ravel()] for row in y64],
        "max_abs_diff": {"keras2_vs_keras3": diff_23, "float32_vs_float64": diff_64},
        "layers": list(layer_outputs.keys()),
        "layer_output_shapes": layer_shapes,
        "layer_outputs_truncated_to": layer_output_limit,
        "layer_outputs": layer_outputs,
    }
    json_path = os.path.join(out_dir, f"{name}.outputs.json")
    with open(json_path, "w") as f:
        f.write(dump_json(doc))

    sizes = {os.path.basename(p): os.path.getsize(p) for p in list(paths.values()) + [json_path]}
    log(f"{name}: {n_params} params, outputs {list(y3.shape)}; seq0 -> {y3[0].tolist()}")
    log(f"  reload diffs {checks}; keras2 vs keras3 {diff_23:.3g}; float32 vs float64 {diff_64:.3g}")
    log("  " + ", ".join(f"{k} {v:,} B" for k, v in sizes.items()))
    return sizes


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=None,
                    help=f"output folder (default {os.path.relpath(DEFAULT_OUT, REPO_ROOT)}; "
                         "required with --full, and must then lie outside Tests/Fixtures)")
    ap.add_argument("--seed", type=int, default=20210101, help="base seed (default %(default)s)")
    ap.add_argument("--models", nargs="*", default=None, choices=sorted(MODELS),
                    help="subset of the small models (default: all)")
    ap.add_argument("--full", action="store_true",
                    help="build ONLY the real-size fusionai_full (2,672,002 params) into --out")
    ap.add_argument("--layer-output-limit", type=int, default=2048,
                    help="keep at most this many values per layer in layer_outputs, 0 = all "
                         "(default %(default)s; the shapes are always complete)")
    ap.add_argument("--threads", type=int, default=1,
                    help="TensorFlow intra/inter-op threads (default %(default)s: be kind to a shared machine)")
    args = ap.parse_args(argv)

    if args.full:
        if args.out is None:
            ap.error("--full needs --out (a folder outside Tests/Fixtures: the model is ~10 MB per file)")
        if os.path.abspath(args.out).startswith(os.path.abspath(os.path.join(REPO_ROOT, "Tests"))):
            ap.error("--full must not write into Tests/")
        specs = FULL_MODEL
    else:
        specs = {k: v for k, v in MODELS.items() if args.models is None or k in args.models}
    out_dir = os.path.abspath(args.out or DEFAULT_OUT)
    os.makedirs(out_dir, exist_ok=True)

    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    tf.config.experimental.enable_op_determinism()
    import keras
    import tf_keras
    assert keras.__version__.startswith("3."), keras.__version__
    assert keras.backend.backend() == "tensorflow"

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    log(f"tensorflow {tf.__version__}, keras {keras.__version__}, tf_keras {tf_keras.__version__} -> {out_dir}")
    total = 0
    for name, spec in specs.items():
        total += sum(make_one(name, spec, out_dir, args.seed, args.layer_output_limit,
                              keras, tf_keras, log, h5py2_variant=name in H5PY2_VARIANT).values())
    log(f"total {total:,} bytes")


if __name__ == "__main__":
    main()
