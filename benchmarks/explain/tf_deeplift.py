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
1. DeepLiftShap sweep (--sweep-rows K): references per call (--batches, e.g. 10,20: the call
   holds that many inputs and as many references, 2x rows) x XLA off/on (--jit auto), each timed
   over the first K sequences after an untimed warm-up call of that shape -> `dls_trials`.
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
    def halves(t):
        n = tf.shape(t)[0] // 2
        return t[:n], t[n:]

    def with_zero_reference_half(g_in):
        return tf.concat([g_in, tf.zeros_like(g_in)], 0)

    @tf.custom_gradient
    def relu(z):
        y = tf.nn.relu(z)

        def grad(g):
            zx, zr = halves(z)
            yx, yr = halves(y)
            gx = halves(g)[0]
            dz = zx - zr
            small = tf.abs(dz) < EPS
            plain = tf.where(yx > 0, gx, tf.zeros_like(gx))
            rescaled = gx * (yx - yr) / tf.where(small, tf.ones_like(dz), dz)
            return with_zero_reference_half(tf.where(small, plain, rescaled))
        return y, grad

    @tf.custom_gradient
    def softmax(z):
        y = tf.nn.softmax(z, axis=-1)

        def grad(g):
            zx, zr = halves(z)
            yx, yr = halves(y)
            m = halves(g)[0]
            jt = yx * (m - tf.reduce_sum(m * yx, -1, keepdims=True))  # Jᵀ m at the input
            change = tf.reduce_sum(m * (yx - yr), -1, keepdims=True)
            linear = tf.reduce_sum(jt * (zx - zr), -1, keepdims=True)
            largest = tf.reduce_max(tf.abs(zx - zr), -1, keepdims=True)
            keep = tf.logical_or(largest < EPS, tf.equal(linear, 0.0))
            scale = tf.where(keep, tf.ones_like(linear), change / tf.where(keep, tf.ones_like(linear), linear))
            return with_zero_reference_half(jt * scale)
        return y, grad

    def max_pool(pool, strides, padding):
        ksize = [1, pool[0], pool[1], 1]
        st = [1, strides[0], strides[1], 1]

        @tf.custom_gradient
        def f(x):
            y = tf.nn.max_pool2d(x, ksize, st, padding)

            def grad(g):
                xx, xr = halves(x)
                yx, yr = halves(y)
                m = halves(g)[0]

                def route(inp, out, dy):
                    return tf.raw_ops.MaxPoolGrad(orig_input=inp, orig_output=out, grad=dy, ksize=ksize,
                                                  strides=st, padding=padding)
                c = tf.maximum(yx, yr)
                from_input = route(xx, yx, m * (c - yr))
                from_reference = route(xr, yr, m * (yx - c))
                plain = route(xx, yx, m)
                dx = xx - xr
                small = tf.abs(dx) < EPS
                rescaled = (from_input + from_reference) / tf.where(small, tf.ones_like(dx), dx)
                return with_zero_reference_half(tf.where(small, plain, rescaled))
            return y, grad
        return f

    return relu, softmax, max_pool


def deeplift_forward(tf, keras, model, relu, softmax, max_pool, logit=False):
    """A function X -> output of `model` with every nonlinearity's gradient overridden. Layers with an
    activation run with it set to linear, the rule applied after. logit=True stops before the last
    layer's activation (the logits)."""
    plan = []
    for i, layer in enumerate(model.layers):
        kind = type(layer).__name__
        act = getattr(layer, "activation", None)
        name = getattr(act, "__name__", None) if act is not None else None
        if kind == "MaxPooling2D":
            plan.append(("pool", max_pool(tuple(layer.pool_size), tuple(layer.strides), layer.padding.upper())))
            continue
        if kind in ("MaxPooling1D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "BatchNormalization"):
            sys.exit(f"tf_deeplift: layer {kind} has no rule here (the FusionAI network has none)")
        if kind == "Dropout":
            continue
        if name in (None, "linear"):
            plan.append(("layer", layer))
            continue
        if name not in ("relu", "softmax"):
            sys.exit(f"tf_deeplift: activation {name} has no rule here")
        layer.activation = keras.activations.linear
        last = i == len(model.layers) - 1
        plan.append(("layer", layer))
        if not (logit and last):
            plan.append(("rule", relu if name == "relu" else softmax))

    def forward(x):
        for what, f in plan:
            x = f(x, training=False) if what == "layer" else f(x)
        return x
    return forward


def main():
    ap = tf_common.argument_parser(__doc__, "prepared", "outdir", "summary")
    ap.add_argument("--rows", type=int, default=4, help="DeepLiftShap headline: the first N rows")
    ap.add_argument("--references", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sweep-rows", type=int, default=2, help="rows each sweep trial is timed on")
    ap.add_argument("--batches", default="10,20", help="references (pairs) per call tried")
    ap.add_argument("--jit", choices=("auto", "off", "on"), default="auto")
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

    relu, softmax, max_pool = make_rules(tf)
    # A fresh copy of the model for the override (its activations are set to linear); `model` keeps its own
    # for the plain forward passes and for shap.
    dl_model = keras.models.load_model(args.model, compile=False)
    fwd = deeplift_forward(tf, keras, dl_model, relu, softmax, max_pool)
    spec = tf.TensorSpec([None] + list(in_shape), tf.float32)

    def make_fn(jit, forward, index=1):
        @tf.function(input_signature=[spec], jit_compile=jit)
        def fn(xr):  # inputs then references, 2B rows -> multipliers of the B inputs
            with tf.GradientTape() as tape:
                tape.watch(xr)
                y = forward(xr)
                n = tf.shape(xr)[0] // 2
                target = tf.reduce_sum(y[:n, index])
            return tape.gradient(target, xr)[:n], y[:, index]
        return fn

    def run(fn, xs, rs, batch):
        """Multipliers for pairs (xs[k], rs[k]), batch pairs per call -> (m [K, L, 4], out [K], out_ref [K])."""
        ms, ox, orf = [], [], []
        for i in range(0, len(xs), batch):
            a, b = xs[i:i + batch], rs[i:i + batch]
            m, y = fn(tf.constant(np.concatenate([a, b]).reshape((-1,) + in_shape)))
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
    sweep_rows = list(range(min(args.sweep_rows, len(seqs))))
    trials, fns = [], {}
    for jit in jits:
        for batch in batches:
            if batch > n_ref * len(sweep_rows) or batch % n_ref and n_ref % batch:
                continue
            fn = make_fn(jit, fwd)
            t = clock()
            explain(fn, sweep_rows[:max(1, batch // n_ref)], batch)  # warm-up: trace, compile, oneDNN primitives
            warm = since(t)[0]
            times = []
            explain(fn, sweep_rows, batch, times)
            wall = sum(w for _, w, _ in times)
            cpu = sum(c for _, _, c in times)
            trials.append({"batch_pairs": batch, "rows_per_call": 2 * batch, "jit": jit, "rows": len(sweep_rows),
                           "warmup_s": round(warm, 3), "seconds": round(wall, 3),
                           "s_per_seq": round(wall / len(sweep_rows), 3), "cpu_s": round(cpu, 2)})
            fns[(jit, batch)] = fn
            print(f"trial {trials[-1]}", file=sys.stderr, flush=True)
    summary["dls_trials"] = trials
    best = min(trials, key=lambda t: t["s_per_seq"])
    summary["dls_jit_compile"] = best["jit"]
    summary["dls_batch_pairs"] = best["batch_pairs"]
    fn = fns[(best["jit"], best["batch_pairs"])]
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
        zfn = make_fn(best["jit"], fwd)
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
        run_shap(args, tf, keras, model, x_all, refs, in_shape, L, summary, make_fn, run, relu, softmax, max_pool)

    summary["peak_rss_MiB"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    json.dump(summary, open(args.summary, "w"), indent=1)
    print(json.dumps(summary, indent=1), file=sys.stderr)


def run_shap(args, tf, keras, model, x_all, refs, in_shape, L, summary, make_fn, run, relu, softmax, max_pool):
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
        lmodel = keras.models.load_model(args.model, compile=False)
        lfn = make_fn(False, deeplift_forward(tf, keras, lmodel, relu, softmax, max_pool, logit=True))
        for k, (i, v) in enumerate(zip(lrows, vals), 1):
            np.save(os.path.join(args.outdir, f"tf_row{k}.shap_logit.npy"), v.astype(np.float32))
            x = np.repeat(x_all[i].reshape(1, L, 4), len(refs[i]), 0)
            m, _, _ = run(lfn, x, refs[i], len(refs[i]))
            s = (m * (x - refs[i])).sum(2).mean(0)
            np.save(os.path.join(args.outdir, f"tf_row{k}.dls_logit.npy"), s.astype(np.float32))


if __name__ == "__main__":
    main()
