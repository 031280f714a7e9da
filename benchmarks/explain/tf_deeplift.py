#!/usr/bin/env python3
"""TensorFlow side of the explain benchmark's DeepLIFT part: DeepLiftShap (DeepLIFT's rescale rule
against N seeded dinucleotide shuffles of each sequence, averaged) and DeepLIFT against an all-zero
reference, on the same Keras file fusionai explains, TensorFlow driven as a user who cares about
speed drives it: Keras 3 (`keras.models.load_model`), one `tf.function` holding a GradientTape,
default threading; and, as a second baseline, shap's DeepExplainer (TensorFlow backend).

The implementation is the usual "DeepLIFT by gradient override" (captum, tangermeme, shap): inputs
and their references go through the network in one batch (inputs first, references second), and
the backward pass of every nonlinearity is replaced by DeepLIFT's rule; linear layers
(convolution and dense sums, flatten, dropout at inference) pass gradients as they are. The rules
are fusionai's (Sources/NeuralNet/Layers/Activation.swift and Pooling.swift), so values can be
compared position by position:
  relu       m_z = m_y (y - y0) / (z - z0), the gradient m_y relu'(z) where |z - z0| < 1e-6
             (applied to the pre-activation of a Conv2D / Dense with activation="relu": the layer's
             activation is set to linear and the rule applied to its output);
  max pool   c = max(y, y0) per output; m_y (c - y0) routed to the input's argmax and m_y (y - c) to
             the reference's argmax (TensorFlow's MaxPoolGrad of each), divided by Δx per input
             position; the input's gradient routing of m_y where |Δx| < 1e-6;
  softmax    per row the gradient g = Jᵀ m_y at the input, scaled by Σ m_y Δy / Σ g Δz (unchanged
             where every |Δz| < 1e-6 or Σ g Δz = 0): for two classes the rescale rule on the
             sigmoid of the logit difference.
Two arrangements (--variants): "paired", the usual one (captum, tangermeme, shap): inputs and
references in one 2B-row batch, both differentiated through (the references' half gets zero
gradient); "split": the references' forward pass apart and not differentiated, and the inputs'
forward pass once per sequence (each convolution and dense layer computes one row per sequence and
repeats it for the references; its backward pass is the layer's transpose on every row:
Conv2DBackpropInput, or the kernel's transpose), so a call costs about 1 + n forward rows and n
backward rows instead of 2n and 2n. Both give the same values (the rules read the same forward
values).
The output explained is P(fusion-positive) = softmax output index 1 (as fusionai does), so the
scores of a reference sum to P(x) - P(reference). The references' half of the batch gets no
gradient (the rules read its forward values only).

For each sequence and reference k the input multipliers m_k [L, 4] give
  score[t]  = mean_k Σ_c m_k[t, c] (x[t, c] - r_k[t, c])
  hyp[t, b] = mean_k (m_k[t, b] - Σ_c m_k[t, c] r_k[t, c])      (fusionai's ID.hyp.npy)
The references are fusionai's, made again here: its Altschul-Erickson dinucleotide shuffle
(Sources/FusionAI/Attribution/DinucleotideShuffle.swift) with its SplitMix64 generator
(Sources/SeededRandom), seeds seed, seed + 1, ... of the one-hot head + tail input; the run
checks them through P(reference), which fusionai's summary.tsv reports as reference_difference.

Parts:
1. DeepLiftShap sweep (--sweep-rows K): variant x XLA off/on (--jit auto) x references per call
   (--batches, e.g. 10,20: the call holds that many inputs and as many references), or the list
   --configs variant:off|on:pairs,..., each timed over the first K sequences after an untimed
   warm-up call of that shape -> `dls_trials`.
2. DeepLiftShap headline (--rows N): the fastest trial's configuration over the first N
   sequences (warm), each sequence's time recorded; writes OUT/tf_rowK.dls.npy (scores, [L]) and
   OUT/tf_rowK.dls_hyp.npy ([L, 4]); completeness per sequence.
3. DeepLIFT with the zero reference (--zero-rows K): OUT/tf_rowK.dlz.npy.
4. shap's DeepExplainer (--shap-rows K): a Keras model with output P(positive) (softmax[:, 1:2]),
   the same references as background, shap_values(x, check_additivity=False) per sequence (the
   explainer made per sequence, both timed); scores summed over channels -> OUT/tf_rowK.shap.npy.
   With --shap-logit-rows K also the logit version (the last Dense's pre-activation, index 1)
   against this script's rules on the logit -> OUT/tf_rowK.shap_logit.npy, tf_rowK.dls_logit.npy.
   If shap cannot run the Keras 3 model, tf_keras (Keras 2) is tried; what happened is recorded.

Writes SUMMARY.json and prints it on stderr.
Usage: tf_deeplift.py MODEL.h5 PREPARED.tsv OUTDIR SUMMARY.json [--rows 4] [--references 10]
           [--seed 1] [--sweep-rows 2] [--batches 10,20] [--jit auto|off|on] [--zero-rows 4]
           [--shap-rows 4] [--shap-logit-rows 1]
Runs in tools/.venv (tools/keras_reference/setup.sh).
"""

import json
import os
import platform
import resource
import sys
import traceback

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tf_common  # noqa: E402  (first: quiets TensorFlow's log, starts the import clock)
from tf_common import clock, since  # noqa: E402

import numpy as np  # noqa: E402

EPS = 1e-6  # fusionai's DeepLiftPass.minimumDifference
MASK = (1 << 64) - 1


# ---------------------------------------------------------------------------------------------
# fusionai's references: SplitMix64 and the Altschul-Erickson dinucleotide shuffle, as in Swift.
# ---------------------------------------------------------------------------------------------

class SeededGenerator:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def int_in(self, lo, hi):
        return lo + self.next() % (hi - lo + 1)

    def shuffle(self, values):
        for i in range(len(values) - 1, 0, -1):
            j = self.int_in(0, i)
            values[i], values[j] = values[j], values[i]


def dinucleotide_shuffle(s, seed):
    """DinucleotideShuffle.shuffle: s is a list of letters 0..4 (4 = N)."""
    if len(s) <= 2:
        return list(s)
    rng = SeededGenerator(seed)
    edges = [[] for _ in range(5)]
    for i in range(len(s) - 1):
        edges[s[i]].append(s[i + 1])
    end = s[-1]
    last = [None] * 5
    in_tree = [False] * 5
    in_tree[end] = True
    for v in range(5):
        if not edges[v] or in_tree[v]:
            continue
        u, path = v, {}
        while not in_tree[u]:
            nxt = edges[u][rng.int_in(0, len(edges[u]) - 1)]
            path[u] = nxt
            u = nxt
        u = v
        while not in_tree[u] and u in path:
            last[u] = path[u]
            in_tree[u] = True
            u = path[u]
    for v in range(5):
        lst = list(edges[v])
        chosen = None
        if last[v] is not None and last[v] in lst:
            chosen = lst.pop(lst.index(last[v]))
        rng.shuffle(lst)
        if chosen is not None:
            lst.append(chosen)
        edges[v] = lst
    out, cursor, u = [s[0]], [0] * 5, s[0]
    while len(out) < len(s) and cursor[u] < len(edges[u]):
        nxt = edges[u][cursor[u]]
        cursor[u] += 1
        out.append(nxt)
        u = nxt
    return out


def shuffled_references(x, n, seed):
    """x: one-hot [L, 4]; n shuffles with seeds seed, seed + 1, ... -> [n, L, 4] float32."""
    letters = np.where(x.sum(1) == 1, x.argmax(1), 4).tolist()
    eye = np.vstack([np.eye(4, dtype=np.float32), np.zeros((1, 4), np.float32)])
    return np.stack([eye[np.array(dinucleotide_shuffle(letters, (seed + k) & MASK))] for k in range(n)])


# ---------------------------------------------------------------------------------------------
# DeepLIFT by gradient override.
# ---------------------------------------------------------------------------------------------

def make_rules(tf):
    """DeepLIFT's rules as functions of (input z, reference input z0, output y, reference output y0,
    output multiplier m) -> input multiplier; and the two ways of wiring them into the graph."""
    def relu_rule(zx, zr, yx, yr, m):
        dz = zx - zr
        small = tf.abs(dz) < EPS
        plain = tf.where(yx > 0, m, tf.zeros_like(m))
        return tf.where(small, plain, m * (yx - yr) / tf.where(small, tf.ones_like(dz), dz))

    def softmax_rule(zx, zr, yx, yr, m):
        jt = yx * (m - tf.reduce_sum(m * yx, -1, keepdims=True))  # Jᵀ m at the input
        change = tf.reduce_sum(m * (yx - yr), -1, keepdims=True)
        linear = tf.reduce_sum(jt * (zx - zr), -1, keepdims=True)
        largest = tf.reduce_max(tf.abs(zx - zr), -1, keepdims=True)
        keep = tf.logical_or(largest < EPS, tf.equal(linear, 0.0))
        return jt * tf.where(keep, tf.ones_like(linear), change / tf.where(keep, tf.ones_like(linear), linear))

    def pool_rule(ksize, st, padding):
        def route(inp, out, dy):
            return tf.raw_ops.MaxPoolGrad(orig_input=inp, orig_output=out, grad=dy, ksize=ksize, strides=st,
                                          padding=padding)

        def rule(xx, xr, yx, yr, m):
            c = tf.maximum(yx, yr)
            moved = route(xx, yx, m * (c - yr)) + route(xr, yr, m * (yx - c))
            dx = xx - xr
            small = tf.abs(dx) < EPS
            return tf.where(small, route(xx, yx, m), moved / tf.where(small, tf.ones_like(dx), dx))
        return rule

    def paired(fn, rule):
        """One tensor, inputs then references (2B rows); the references' half gets no gradient."""
        @tf.custom_gradient
        def f(z):
            y = fn(z)

            def grad(g):
                n = tf.shape(z)[0] // 2
                m = rule(z[:n], z[n:], y[:n], y[n:], g[:n])
                return tf.concat([m, tf.zeros_like(m)], 0)
            return y, grad
        return f

    def split(fn, rule):
        """Inputs and references as two tensors; only the inputs' one is differentiated."""
        def f(zx, zr):
            yr = fn(zr)

            @tf.custom_gradient
            def g_(zx):
                yx = fn(zx)
                return yx, lambda g: rule(zx, zr, yx, yr, g)
            return g_(zx), yr
        return f

    def relu(z):
        return tf.nn.relu(z)

    def softmax(z):
        return tf.nn.softmax(z, axis=-1)

    def max_pool(pool, strides, padding):
        ksize, st = [1, pool[0], pool[1], 1], [1, strides[0], strides[1], 1]
        return (lambda z: tf.nn.max_pool2d(z, ksize, st, padding)), pool_rule(ksize, st, padding)

    return {"relu": (relu, relu_rule), "softmax": (softmax, softmax_rule), "max_pool": max_pool,
            "paired": paired, "split": split}


def layer_plan(keras, model, logit=False):
    """The model as steps: ("layer", keras layer run with a linear activation), ("act", name) or
    ("pool", pool, strides, padding). Layers with an activation get it set to linear, the rule after.
    logit=True stops before the last layer's activation (the logits)."""
    plan = []
    for i, layer in enumerate(model.layers):
        kind = type(layer).__name__
        act = getattr(layer, "activation", None)
        name = getattr(act, "__name__", None) if act is not None else None
        name = getattr(layer, "_deeplift_activation", name)  # set below when a plan was made before
        if kind == "MaxPooling2D":
            plan.append(("pool", tuple(layer.pool_size), tuple(layer.strides), layer.padding.upper()))
            continue
        if kind not in ("Conv2D", "Dense", "Flatten", "Dropout", "Activation"):
            sys.exit(f"tf_deeplift: layer {kind} has no rule here (the FusionAI network has none)")
        if kind == "Dropout":
            continue
        if name not in (None, "linear", "relu", "softmax"):
            sys.exit(f"tf_deeplift: activation {name} has no rule here")
        if kind != "Activation":
            plan.append(("layer", layer))
        if name in ("relu", "softmax"):
            layer._deeplift_activation = name
            layer.activation = keras.activations.linear
            if not (logit and i == len(model.layers) - 1):
                plan.append(("act", name))
    return plan


def deeplift_forward(tf, keras, model, rules, logit=False):
    """"paired": X (inputs then references, 2B rows) -> the model's output, every nonlinearity's
    gradient overridden (the captum / tangermeme / shap arrangement)."""
    plan = layer_plan(keras, model, logit)

    def forward(x):
        for step in plan:
            if step[0] == "layer":
                x = step[1](x, training=False)
            elif step[0] == "act":
                fn, rule = rules[step[1]]
                x = rules["paired"](fn, rule)(x)
            else:
                fn, rule = rules["max_pool"](*step[1:])
                x = rules["paired"](fn, rule)(x)
        return x
    return forward


def deeplift_forward_split(tf, keras, model, rules, n, logit=False):
    """"split": (X, R), X the inputs each repeated n times (one per reference), R the references ->
    (outputs at X, outputs at R). Only X is differentiated, and the inputs' forward pass runs once per
    sequence: each convolution and dense layer computes rows 0, n, 2n, ... of X's path and repeats
    them, its backward pass being the linear map's transpose on all rows (Conv2DBackpropInput, or a
    product with the kernel's transpose), with the Keras layer's own weights."""
    plan = layer_plan(keras, model, logit)

    def shared(layer):
        kind = type(layer).__name__
        kernel = tf.constant(layer.kernel.numpy())
        bias = tf.constant(layer.bias.numpy()) if layer.use_bias else None
        if kind == "Conv2D":
            if tuple(layer.dilation_rate) != (1, 1) or layer.data_format != "channels_last":
                sys.exit("tf_deeplift: split variant: only undilated channels-last Conv2D")
            strides = [1, layer.strides[0], layer.strides[1], 1]
            pad = layer.padding.upper()

            def lin(h):
                return tf.nn.conv2d(h, kernel, strides, pad)

            def transpose(g, h):
                return tf.raw_ops.Conv2DBackpropInput(input_sizes=tf.shape(h), filter=kernel, out_backprop=g,
                                                      strides=strides, padding=pad)
        else:
            def lin(h):
                return tf.matmul(h, kernel)

            def transpose(g, h):
                return tf.matmul(g, kernel, transpose_b=True)

        @tf.custom_gradient
        def f(h):
            z = lin(h[::n])
            if bias is not None:
                z = z + bias
            return tf.repeat(z, n, axis=0), lambda g: transpose(g, h)
        return f

    steps = []
    for step in plan:
        if step[0] == "layer" and type(step[1]).__name__ in ("Conv2D", "Dense"):
            steps.append(("shared", shared(step[1]), step[1]))
        else:
            steps.append(step)

    def forward(x, r):
        for step in steps:
            if step[0] == "shared":
                x, r = step[1](x), step[2](r, training=False)
            elif step[0] == "layer":
                x, r = step[1](x, training=False), step[1](r, training=False)
            elif step[0] == "act":
                x, r = rules["split"](*rules[step[1]])(x, r)
            else:
                x, r = rules["split"](*rules["max_pool"](*step[1:]))(x, r)
        return x, r
    return forward


def main():
    ap = tf_common.argument_parser(__doc__, "prepared", "outdir", "summary")
    ap.add_argument("--rows", type=int, default=4, help="DeepLiftShap headline: the first N rows")
    ap.add_argument("--references", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sweep-rows", type=int, default=2, help="rows each sweep trial is timed on")
    ap.add_argument("--batches", default="10,20", help="references (pairs) per call tried")
    ap.add_argument("--jit", choices=("auto", "off", "on"), default="auto")
    ap.add_argument("--variants", default="paired,split",
                    help="paired: inputs and references in one 2B-row batch, both differentiated through (the "
                         "usual arrangement); split: the inputs' forward pass once per sequence, only they "
                         "differentiated")
    ap.add_argument("--configs", default="",
                    help="instead of variants x jit x batches: variant:off|on:pairs,... (e.g. paired:off:10)")
    ap.add_argument("--zero-rows", type=int, default=0)
    ap.add_argument("--shap-rows", type=int, default=0)
    ap.add_argument("--shap-logit-rows", type=int, default=0)
    args = ap.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    tf, keras, import_s = tf_common.import_tensorflow(args.threads)
    model, load_s, in_shape = tf_common.load_model(keras, args.model)
    L = in_shape[0]
    window = L // 2
    _, seqs, _ = tf_common.read_prepared(args.prepared, window=window)
    need = max(args.rows, args.sweep_rows, args.zero_rows, args.shap_rows, args.shap_logit_rows)
    seqs = seqs[:need]
    x_all = tf_common.one_hot(seqs, in_shape)  # [n, L, 4, 1]
    n_ref = args.references
    summary = {"python": platform.python_version(), "tensorflow": tf.__version__, "keras": keras.__version__,
               "numpy": np.__version__, "import_s": round(import_s, 3), "load_s": round(load_s, 3),
               "references": n_ref, "seed": args.seed, "input_shape": list(in_shape)}
    summary.update(tf_common.thread_fields(tf))

    t = clock()
    refs = [shuffled_references(x_all[i].reshape(L, 4), n_ref, args.seed) for i in range(len(seqs))]
    summary["reference_generation_s_per_seq_untimed"] = round(since(t)[0] / max(1, len(seqs)), 3)

    rules = make_rules(tf)
    # A fresh copy of the model for the override (its activations are set to linear); `model` keeps its own
    # for shap.
    dl_model = keras.models.load_model(args.model, compile=False)
    spec = tf.TensorSpec([None] + list(in_shape), tf.float32)

    def make_fn(jit, variant="paired", n=n_ref, logit=False, index=1):
        """A tf.function: (inputs, references), B pairs -> (multipliers of the B inputs, outputs at the 2B
        rows). "paired": one batch of 2B rows (the usual arrangement); "split": the inputs' forward pass
        once per sequence (B a multiple of n, each input repeated n times), references apart."""
        if variant == "paired":
            forward = deeplift_forward(tf, keras, dl_model, rules, logit)

            @tf.function(input_signature=[spec, spec], jit_compile=jit)
            def fn(x, r):
                xr = tf.concat([x, r], 0)
                with tf.GradientTape() as tape:
                    tape.watch(xr)
                    y = forward(xr)
                    target = tf.reduce_sum(y[:tf.shape(x)[0], index])
                return tape.gradient(target, xr)[:tf.shape(x)[0]], y[:, index]
            return fn
        forward = deeplift_forward_split(tf, keras, dl_model, rules, n, logit)

        @tf.function(input_signature=[spec, spec], jit_compile=jit)
        def fn(x, r):
            with tf.GradientTape() as tape:
                tape.watch(x)
                yx, yr = forward(x, r)
                target = tf.reduce_sum(yx[:, index])
            return tape.gradient(target, x), tf.concat([yx[:, index], yr[:, index]], 0)
        return fn

    def run(fn, xs, rs, batch):
        """Multipliers for pairs (xs[k], rs[k]), batch pairs per call -> (m [K, L, 4], out [K], out_ref [K])."""
        ms, ox, orf = [], [], []
        for i in range(0, len(xs), batch):
            a, b = xs[i:i + batch], rs[i:i + batch]
            m, y = fn(tf.constant(a.reshape((-1,) + in_shape)), tf.constant(b.reshape((-1,) + in_shape)))
            y = y.numpy()
            ms.append(m.numpy().reshape(len(a), L, 4))
            ox.append(y[:len(a)])
            orf.append(y[len(a):])
        return np.concatenate(ms), np.concatenate(ox), np.concatenate(orf)

    def explain(fn, rows, batch, times=None):
        """DeepLiftShap of rows: (scores [L], hyp [L, 4], P(x), attribution sum, mean P(x) - P(ref)) each.
        Pairs of consecutive rows share calls when batch > references."""
        out = []
        pairs_x = [(i, x_all[i].reshape(L, 4)) for i in rows for _ in range(n_ref)]
        pairs_r = [refs[i][k] for i in rows for k in range(n_ref)]
        per_call_rows = max(1, batch // n_ref)
        for c in range(0, len(rows), per_call_rows):
            chunk = rows[c:c + per_call_rows]
            t = clock()
            sel = slice(c * n_ref, (c + len(chunk)) * n_ref)
            xs = np.stack([p[1] for p in pairs_x[sel]])
            rs = np.stack(pairs_r[sel])
            m, ox, orf = run(fn, xs, rs, batch)
            for j, i in enumerate(chunk):
                mk = m[j * n_ref:(j + 1) * n_ref]
                rk = rs[j * n_ref:(j + 1) * n_ref]
                x = xs[j * n_ref]
                scores = (mk * (x[None] - rk)).sum(2).mean(0)
                hyp = (mk - (mk * rk).sum(2, keepdims=True)).mean(0)
                diff = float(np.mean(ox[j * n_ref:(j + 1) * n_ref].astype(np.float64)
                                     - orf[j * n_ref:(j + 1) * n_ref]))
                out.append((scores, hyp, float(ox[j * n_ref]), float(scores.astype(np.float64).sum()), diff))
            if times is not None:
                w, cp = since(t)
                times.append((len(chunk), w, cp))
        return out

    jits = {"auto": [False, True], "off": [False], "on": [True]}[args.jit]
    batches = [int(b) for b in args.batches.split(",") if b]
    variants = args.variants.split(",")
    sweep_rows = list(range(min(args.sweep_rows, len(seqs))))
    trials, fns = [], {}
    configs = [(v, jit, b) for v in variants for jit in jits for b in batches]
    if args.configs:  # variant:jit:batch,...
        configs = [(v, j == "on", int(b)) for v, j, b in (c.split(":") for c in args.configs.split(","))]
    for variant, jit, batch in configs:
        if batch > n_ref * len(sweep_rows) or batch % n_ref and n_ref % batch:
            continue
        if variant == "split" and batch % n_ref:
            continue
        fn = make_fn(jit, variant)
        t = clock()
        explain(fn, sweep_rows[:max(1, batch // n_ref)], batch)  # warm-up: trace, compile, oneDNN primitives
        warm = since(t)[0]
        times = []
        explain(fn, sweep_rows, batch, times)
        wall = sum(w for _, w, _ in times)
        cpu = sum(c for _, _, c in times)
        trials.append({"variant": variant, "batch_pairs": batch, "rows_per_call": 2 * batch, "jit": jit,
                       "rows": len(sweep_rows),
                       "warmup_s": round(warm, 3), "seconds": round(wall, 3),
                       "s_per_seq": round(wall / len(sweep_rows), 3), "cpu_s": round(cpu, 2)})
        fns[(variant, jit, batch)] = fn
        print(f"trial {trials[-1]}", file=sys.stderr, flush=True)
    summary["dls_trials"] = trials
    best = min(trials, key=lambda t: t["s_per_seq"])
    summary["dls_jit_compile"] = best["jit"]
    summary["dls_batch_pairs"] = best["batch_pairs"]
    summary["dls_variant"] = best["variant"]
    fn = fns[(best["variant"], best["jit"], best["batch_pairs"])]
    rows = list(range(min(args.rows, len(seqs))))
    times = []
    res = explain(fn, rows, best["batch_pairs"], times)
    wall = sum(w for _, w, _ in times)
    cpu = sum(c for _, _, c in times)
    summary.update({"dls_rows": len(rows), "dls_total_s": round(wall, 3), "dls_s_per_seq": round(wall / len(rows), 3),
                    "dls_cpu_s": round(cpu, 2), "dls_call_times": [round(w, 3) for _, w, _ in times]})
    comp = []
    for k, (scores, hyp, p, total, diff) in enumerate(res, 1):
        np.save(os.path.join(args.outdir, f"tf_row{k}.dls.npy"), scores.astype(np.float32))
        np.save(os.path.join(args.outdir, f"tf_row{k}.dls_hyp.npy"), hyp.astype(np.float32))
        comp.append({"row": k, "p": p, "attribution_sum": total, "reference_difference": diff})
    summary["dls_completeness"] = comp
    summary["fusion_positive_prob"] = [c["p"] for c in comp]

    # DeepLIFT, zero reference (deterministic: no shuffle involved), at the chosen configuration's XLA setting.
    if args.zero_rows:
        zfn = make_fn(best["jit"], best["variant"], n=1)
        zc = []
        for i in range(min(args.zero_rows, len(seqs))):
            x = x_all[i].reshape(1, L, 4)
            m, ox, orf = run(zfn, x, np.zeros_like(x), 1)
            s = (m[0] * x[0]).sum(1)
            np.save(os.path.join(args.outdir, f"tf_row{i + 1}.dlz.npy"), s.astype(np.float32))
            zc.append({"row": i + 1, "attribution_sum": float(s.astype(np.float64).sum()),
                       "reference_difference": float(ox[0]) - float(orf[0])})
        summary["dlz_completeness"] = zc

    if args.shap_rows or args.shap_logit_rows:
        run_shap(args, tf, keras, model, x_all, refs, in_shape, L, summary, make_fn, run)

    summary["peak_rss_MiB"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    json.dump(summary, open(args.summary, "w"), indent=1)
    print(json.dumps(summary, indent=1), file=sys.stderr)


def run_shap(args, tf, keras, model, x_all, refs, in_shape, L, summary, make_fn, run):
    try:
        import shap
    except Exception as e:  # noqa: BLE001
        summary["shap_status"] = f"import shap failed: {e!r}"
        return
    summary["shap"] = shap.__version__
    notes = []

    def wrapped(kmod, base, logit):
        """base's output P(positive) as [n, 1] (or the last Dense's logit 1)."""
        inp = kmod.Input(shape=in_shape)
        h = inp
        for i, layer in enumerate(base.layers):
            if logit and i == len(base.layers) - 1:
                cfg = layer.get_config()
                cfg["activation"] = "linear"
                cfg["name"] = cfg["name"] + "_logit"
                dense = type(layer).from_config(cfg)
                dense.build(h.shape)
                dense.set_weights(layer.get_weights())
                h = dense(h)
            else:
                h = layer(h)
        h = kmod.layers.Lambda(lambda t: t[:, 1:2])(h)
        return kmod.Model(inp, h)

    def attempt(kmod, base, label, rows, logit):
        m = wrapped(kmod, base, logit)
        vals, times = [], []
        for i in rows:
            x = x_all[i:i + 1]
            bg = refs[i].reshape((-1,) + in_shape)
            t = clock()
            e = shap.DeepExplainer(m, bg)
            sv = e.shap_values(x, check_additivity=False)
            w, c = since(t)
            sv = np.asarray(sv[0] if isinstance(sv, list) else sv, dtype=np.float64)
            vals.append(sv.reshape(L, 4, -1)[..., 0].sum(1))
            times.append((w, c))
            print(f"shap {label} row {i + 1}: {w:.2f} s", file=sys.stderr, flush=True)
        return vals, times

    rows = list(range(min(args.shap_rows, len(x_all))))
    ok = None
    for label in ("keras3", "tf_keras"):
        try:
            if label == "keras3":
                kmod, base = keras, model
            else:
                import tf_keras
                kmod, base = tf_keras, tf_keras.models.load_model(args.model, compile=False)
            if rows:
                first = rows[:1]
                attempt(kmod, base, label + " warm-up", first, False)  # untimed: first-call tracing
                vals, times = attempt(kmod, base, label, rows, False)
                wall = sum(w for w, _ in times)
                summary.update({"shap_backend": label, "shap_rows": len(rows), "shap_total_s": round(wall, 3),
                                "shap_s_per_seq": round(wall / len(rows), 3),
                                "shap_cpu_s": round(sum(c for _, c in times), 2),
                                "shap_times": [round(w, 3) for w, _ in times]})
                sc = []
                for k, v in enumerate(vals, 1):
                    np.save(os.path.join(args.outdir, f"tf_row{k}.shap.npy"), v.astype(np.float32))
                    sc.append({"row": k, "attribution_sum": float(v.sum())})
                summary["shap_completeness"] = sc
            ok = (kmod, base, label)
            break
        except Exception as e:  # noqa: BLE001
            notes.append(f"{label}: {type(e).__name__}: {str(e)[:300]}")
            print(traceback.format_exc(), file=sys.stderr)
    summary["shap_notes"] = notes
    if ok is None:
        summary["shap_status"] = "failed: " + " | ".join(notes)
        return
    summary["shap_status"] = "ran (" + ok[2] + ")"

    # The logit variant: shap on the last Dense's pre-activation (index 1) against this script's rules on it.
    lrows = list(range(min(args.shap_logit_rows, len(x_all))))
    if lrows:
        kmod, base, label = ok
        vals, _ = attempt(kmod, base, label + " logit", lrows, True)
        lfn = make_fn(False, "paired", logit=True)
        for k, (i, v) in enumerate(zip(lrows, vals), 1):
            np.save(os.path.join(args.outdir, f"tf_row{k}.shap_logit.npy"), v.astype(np.float32))
            x = np.repeat(x_all[i].reshape(1, L, 4), len(refs[i]), 0)
            m, _, _ = run(lfn, x, refs[i], len(refs[i]))
            s = (m * (x - refs[i])).sum(2).mean(0)
            np.save(os.path.join(args.outdir, f"tf_row{k}.dls_logit.npy"), s.astype(np.float32))


if __name__ == "__main__":
    main()
