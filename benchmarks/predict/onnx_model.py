#!/usr/bin/env python3
"""Builds the ONNX Runtime baseline of the predict benchmark: the Keras model as ONNX graphs made
with the `onnx` helper API from the same weights, checked against Keras before anything is timed.

Reads the Keras file with Keras 3 (`keras.models.load_model`, as tf_predict.py), walks its layers
(Conv2D 'valid' with any strides/dilations, MaxPooling2D 'valid', Dropout (inference: nothing),
Flatten, Dense; activations relu, softmax, linear) and writes two graphs with the same input as
Keras, float32 [N, H, W, C] (N open):

  OUTDIR/model.conv1d.onnx   for models whose first Conv2D spans the whole width (FusionAI:
                             (20, 4) over (20000, 4, 1)): Reshape/Transpose to [N, W*C, H], then
                             1-D Conv (channels = the 4 bases), Relu, 1-D Conv, Relu, 1-D MaxPool;
  OUTDIR/model.conv2d.onnx   the literal translation: Transpose (or Reshape when C = 1) to NCHW,
                             2-D Conv, Relu, 2-D Conv, Relu, 2-D MaxPool.

Both end in Flatten -> Gemm -> Relu -> Gemm -> Softmax. Keras flattens channels-last (h, w, c)
while the ONNX tensor is channels-first (c, h, w): the rows of the first Dense kernel are permuted
once here instead of transposing activations at run time.

A third graph, OUTDIR/model.tf2onnx.onnx, is converted by tf2onnx (if installed) from the Keras
model's forward pass as a tf.function (`tf2onnx.convert.from_function`; its `from_keras` does not
take Keras 3 models), opset 17: the graph a user would get from the converter.

Then every graph is run with ONNX Runtime (CPU, all graph optimisations) on the first --check-rows
rows of PREPARED.tsv and compared with Keras's `model(x, training=False)` on the same rows; the
script fails if any output differs by more than --tolerance (1e-5) absolute. Writes
OUTDIR/onnx_check.json (per graph: max |ORT - Keras|, opset, nodes, versions).

Usage: onnx_model.py MODEL.h5 PREPARED.tsv OUTDIR [--check-rows 4] [--tolerance 1e-5] [--no-tf2onnx]
"""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tf_common  # noqa: E402  (first: quiets TensorFlow's log)

import numpy as np  # noqa: E402
import onnx  # noqa: E402
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

OPSET = 17
IR_VERSION = 9  # what ONNX Runtime 1.2x/1.3x loads; onnx 1.23 would write a newer one by default


class Graph:
    def __init__(self):
        self.nodes, self.inits, self.n = [], [], 0

    def name(self, stem):
        self.n += 1
        return f"{stem}_{self.n}"

    def const(self, stem, array, dtype=np.float32):
        name = self.name(stem)
        self.inits.append(numpy_helper.from_array(np.ascontiguousarray(array, dtype=dtype), name))
        return name

    def op(self, op_type, inputs, stem=None, **attrs):
        out = self.name(stem or op_type.lower())
        self.nodes.append(helper.make_node(op_type, inputs, [out], name=out, **attrs))
        return out


def activation(g, x, act, where):
    if act == "relu":
        return g.op("Relu", [x])
    if act == "softmax":
        return g.op("Softmax", [x], axis=-1)
    if act == "linear":
        return x
    sys.exit(f"{where}: activation {act!r} is not translated")


def build(model, layout):
    """The ONNX model for `layout` ('conv1d' or 'conv2d'), or None if the layout does not apply."""
    h, w, c = (int(d) for d in model.input_shape[1:])
    g = Graph()
    x = "input"
    layers = model.layers
    if layout == "conv1d":
        first = next(layer for layer in layers if type(layer).__name__ == "Conv2D")
        if first.kernel_size[1] != w or first.strides[1] != 1 or first.dilation_rate[1] != 1:
            return None
        # [N, H, W, C] -> [N, H, W*C] -> [N, W*C, H]: channel index w*C + c, as the kernel's (w, c).
        x = g.op("Reshape", [x, g.const("shape", [0, h, w * c], np.int64)])
        x = g.op("Transpose", [x], perm=[0, 2, 1])
    elif c == 1:
        x = g.op("Reshape", [x, g.const("shape", [0, 1, h, w], np.int64)])
    else:
        x = g.op("Transpose", [x], perm=[0, 3, 1, 2])
    shape = (h, w, c)  # Keras (H, W, C) of the current tensor
    for layer in layers:
        kind, cfg = type(layer).__name__, layer.get_config()
        where = f"{layer.name} ({kind})"
        if kind == "InputLayer" or kind == "Dropout":
            continue
        if kind == "Conv2D":
            if cfg["padding"] != "valid" or cfg.get("groups", 1) != 1:
                sys.exit(f"{where}: only 'valid' padding, groups 1 are translated")
            kernel, bias = layer.get_weights()  # kernel [kh, kw, C, F]
            kh, kw, ci, f = kernel.shape
            sh, sw = layer.strides
            dh, dw = layer.dilation_rate
            if layout == "conv1d":
                if shape[1] == w and kw == w:  # the first conv: width folded into channels
                    wgt = kernel.reshape(kh, kw * ci, f).transpose(2, 1, 0)  # [F, W*C, kh]
                elif kw == 1 and shape[1] == 1:
                    wgt = kernel[:, 0].transpose(2, 1, 0)  # [F, C, kh]
                else:
                    return None
                x = g.op("Conv", [x, g.const("W", wgt), g.const("B", bias)],
                         kernel_shape=[kh], strides=[sh], dilations=[dh], pads=[0, 0])
            else:
                wgt = kernel.transpose(3, 2, 0, 1)  # [F, C, kh, kw]
                x = g.op("Conv", [x, g.const("W", wgt), g.const("B", bias)],
                         kernel_shape=[kh, kw], strides=[sh, sw], dilations=[dh, dw], pads=[0, 0, 0, 0])
            shape = ((shape[0] - (kh - 1) * dh - 1) // sh + 1, (shape[1] - (kw - 1) * dw - 1) // sw + 1, f)
            if layout == "conv1d":
                shape = (shape[0], 1, f)
            x = activation(g, x, cfg["activation"], where)
        elif kind == "MaxPooling2D":
            if cfg["padding"] != "valid":
                sys.exit(f"{where}: only 'valid' padding is translated")
            (ph, pw), (sh, sw) = layer.pool_size, layer.strides
            if layout == "conv1d":
                if pw != 1 or sw != 1:
                    return None
                x = g.op("MaxPool", [x], kernel_shape=[ph], strides=[sh])
            else:
                x = g.op("MaxPool", [x], kernel_shape=[ph, pw], strides=[sh, sw])
            shape = ((shape[0] - ph) // sh + 1, (shape[1] - pw) // sw + 1, shape[2])
        elif kind == "Flatten":
            x = g.op("Flatten", [x], axis=1)
            shape = ("flat", shape)
        elif kind == "Dense":
            kernel, bias = layer.get_weights()  # [in, out]
            if shape[0] == "flat":
                # Keras row index (h*W + w)*C + c; ONNX's flattened NCHW index (c*H + h)*W + w.
                fh, fw, fc = shape[1]
                kernel = kernel.reshape(fh, fw, fc, -1).transpose(2, 0, 1, 3).reshape(fh * fw * fc, -1)
            x = g.op("Gemm", [x, g.const("W", kernel), g.const("B", bias)])
            shape = (int(kernel.shape[1]),)
            x = activation(g, x, cfg["activation"], where)
        else:
            sys.exit(f"{where}: layer type not translated")
    out_dim = int(model.output_shape[-1])
    g.nodes.append(helper.make_node("Identity", [x], ["output"], name="output"))
    graph = helper.make_graph(
        g.nodes, f"fusionai_{layout}",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", h, w, c])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["N", out_dim])],
        initializer=g.inits)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                          producer_name="fusionai benchmarks/predict/onnx_model.py")
    m.ir_version = IR_VERSION
    onnx.checker.check_model(m, full_check=True)
    return m


def convert_tf2onnx(tf, model):
    """The model's forward tf.function converted by tf2onnx, input renamed to `input` (None if
    tf2onnx is not installed); the converter's version."""
    try:
        import tf2onnx
    except ImportError:
        return None, None
    spec = (tf.TensorSpec((None,) + tuple(int(d) for d in model.input_shape[1:]), tf.float32, name="input"),)
    forward = tf.function(lambda x: model(x, training=False))
    m, _ = tf2onnx.convert.from_function(forward, input_signature=spec, opset=OPSET)
    old_in, old_out = m.graph.input[0].name, m.graph.output[0].name
    for n in m.graph.node:
        n.input[:] = ["input" if i == old_in else i for i in n.input]
        n.output[:] = ["output" if o == old_out else o for o in n.output]
    m.graph.input[0].name, m.graph.output[0].name = "input", "output"
    m.ir_version = min(m.ir_version, IR_VERSION)
    onnx.checker.check_model(m)
    return m, tf2onnx.__version__


def main():
    ap = tf_common.argument_parser(__doc__, "prepared", "outdir")
    ap.add_argument("--check-rows", type=int, default=4)
    ap.add_argument("--tolerance", type=float, default=1e-5)
    ap.add_argument("--no-tf2onnx", action="store_true", help="only the two helper-API graphs")
    args = ap.parse_args()
    os.makedirs(args.outdir, exist_ok=True)

    tf, keras, _ = tf_common.import_tensorflow(args.threads)
    import onnxruntime as ort
    model, _, input_shape = tf_common.load_model(keras, args.model)
    _, seqs, _ = tf_common.read_prepared(args.prepared, input_shape[0] // 2)
    x = tf_common.one_hot(seqs[:args.check_rows], input_shape)
    ref = np.concatenate([model(x[i:i + 1], training=False).numpy() for i in range(len(x))])

    report = {"onnx": onnx.__version__, "onnxruntime": ort.__version__, "opset": OPSET,
              "ir_version": IR_VERSION, "keras": keras.__version__, "tensorflow": tf.__version__,
              "check_rows": len(x), "tolerance": args.tolerance, "graphs": {}}
    failed = []
    for layout in ("conv1d", "conv2d", "tf2onnx"):
        if layout == "tf2onnx":
            if args.no_tf2onnx:
                continue
            m, version = convert_tf2onnx(tf, model)
            report["tf2onnx"] = version or "not installed"
        else:
            m = build(model, layout)
        if m is None:
            report["graphs"][layout] = "not installed" if layout == "tf2onnx" else "not applicable to this model"
            continue
        path = os.path.join(args.outdir, f"model.{layout}.onnx")
        onnx.save(m, path)
        so = ort.SessionOptions()
        so.intra_op_num_threads = 2
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
        y = np.concatenate([sess.run(None, {"input": x[i:i + 1]})[0] for i in range(len(x))])
        diff = float(np.max(np.abs(y.astype(np.float64) - ref)))
        report["graphs"][layout] = {"file": os.path.basename(path), "nodes": [n.op_type for n in m.graph.node],
                                    "max_abs_diff_vs_keras": diff, "ok": diff <= args.tolerance}
        print(f"onnx {layout}: max |ORT - Keras| = {diff:.3g} over {len(x)} rows", file=sys.stderr)
        if diff > args.tolerance:
            failed.append(layout)
    with open(os.path.join(args.outdir, "onnx_check.json"), "w") as f:
        json.dump(report, f, indent=1)
        f.write("\n")
    if failed or not any(isinstance(v, dict) for v in report["graphs"].values()):
        sys.exit(f"onnx_model: graphs {failed or 'none built'} differ from Keras by more than {args.tolerance}")


if __name__ == "__main__":
    main()
