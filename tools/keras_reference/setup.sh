#!/usr/bin/env bash
# Creates tools/.venv with a pinned, CPU-only TensorFlow + Keras 3 + tf_keras (Keras 2),
# h5py and numpy: the environment make_fixtures.py runs in; plus onnx, onnxruntime (CPU) and
# tf2onnx, the second baseline of the predict benchmark (benchmarks/predict/onnx_model.py); and
# shap, whose DeepExplainer is the explain benchmark's second DeepLiftShap baseline.
#
# Idempotent: an existing venv is reused, and pip skips packages already at the pinned version.
# Never run by CI. The venv (~1.5 GB) is in .gitignore (/tools/.venv/).
#
# Usage: tools/keras_reference/setup.sh            (from anywhere)
#        PYTHON=python3.12 tools/keras_reference/setup.sh
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TOOLS="$(dirname "$HERE")"
VENV="$TOOLS/.venv"
PYTHON="${PYTHON:-python3}"

# Pins. TensorFlow 2.21 is the version the performance notes in DESIGN.md were measured with.
TF_VERSION="2.21.0"        # tensorflow-cpu (no CUDA)
TF_KERAS_VERSION="2.21.0"  # Keras 2 implementation; writes the legacy Keras-2 HDF5 layout
KERAS_VERSION="3.15.1"     # Keras 3 (TF 2.21 requires keras>=3.12; `import keras` is this)
H5PY_VERSION="3.14.0"      # TF 2.21 requires h5py<3.15
NUMPY_VERSION="2.4.6"
ONNX_VERSION="1.23.2"      # onnx.helper: the benchmark builds its ONNX graph from the Keras weights
ORT_VERSION="1.32.0"       # onnxruntime (CPU build)
TF2ONNX_VERSION="1.17.0"   # tf2onnx: a second ONNX graph, converted from the Keras model's tf.function
SHAP_VERSION="0.51.0"      # shap DeepExplainer (TensorFlow backend): benchmarks/explain/tf_deeplift.py

if [ ! -x "$VENV/bin/python" ]; then
    echo "creating $VENV" >&2
    "$PYTHON" -m venv "$VENV"
fi
PY="$VENV/bin/python"

"$PY" -m pip install --quiet --upgrade pip

# 1. tensorflow-cpu and its dependencies (brings keras 3, h5py, numpy); pin those three explicitly.
"$PY" -m pip install --quiet \
    "tensorflow-cpu==$TF_VERSION" \
    "keras==$KERAS_VERSION" \
    "h5py==$H5PY_VERSION" \
    "numpy==$NUMPY_VERSION"

# 2. tf_keras declares `tensorflow>=2.21,<2.22`, which pip does not consider satisfied by
#    tensorflow-cpu (a different distribution name providing the same `tensorflow` module), and
#    would pull the full GPU-capable `tensorflow` wheel next to it. Install it without dependencies.
"$PY" -m pip install --quiet --no-deps "tf_keras==$TF_KERAS_VERSION"

# 3. ONNX, ONNX Runtime (CPU) and tf2onnx for the benchmarks' ONNX baseline. Their dependencies
#    (protobuf, flatbuffers, requests, ...) are already there from TensorFlow; pip checks they fit.
"$PY" -m pip install --quiet "onnx==$ONNX_VERSION" "onnxruntime==$ORT_VERSION" "tf2onnx==$TF2ONNX_VERSION"

# 4. shap (brings numba, scikit-learn, pandas); numpy held at its pin.
"$PY" -m pip install --quiet "shap==$SHAP_VERSION" "numpy==$NUMPY_VERSION"

# 5. Check the result imports and report versions.
"$PY" - <<'PYEOF'
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy, h5py, tensorflow as tf, keras, tf_keras, onnx, onnxruntime, tf2onnx, shap
print("python     ", __import__("sys").version.split()[0])
print("tensorflow ", tf.__version__)
print("keras      ", keras.__version__)
print("tf_keras   ", tf_keras.__version__)
print("h5py       ", h5py.__version__, "(HDF5", h5py.version.hdf5_version + ")")
print("numpy      ", numpy.__version__)
print("onnx       ", onnx.__version__)
print("onnxruntime", onnxruntime.__version__, onnxruntime.get_available_providers())
print("tf2onnx    ", tf2onnx.__version__)
print("shap       ", shap.__version__)
PYEOF
echo "ok: activate with  source $VENV/bin/activate" >&2
