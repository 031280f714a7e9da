#!/usr/bin/env python3
"""Loads Keras HDF5 files written by `fusionai convert MODEL -o OUT.h5` with tf_keras and compares
their outputs with the fixtures' TensorFlow outputs. Never run by CI (needs tools/.venv).

Usage: tools/.venv/bin/python tools/keras_reference/check_export.py NAME=EXPORTED.h5 ...
       (NAME: a fixture in Tests/Fixtures/keras, e.g. fusionai_small=/tmp/small.h5)"""
import json
import os
import sys

import numpy as np
import tf_keras

sys.path.insert(0, os.path.dirname(__file__))
from make_fixtures import one_hot  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "Fixtures", "keras")

worst = 0.0
for arg in sys.argv[1:]:
    name, path = arg.split("=", 1)
    with open(os.path.join(FIXTURES, f"{name}.outputs.json")) as f:
        ref = json.load(f)
    model = tf_keras.models.load_model(path, compile=False)
    y = model.predict(one_hot(ref["sequences"], ref["input_shape"]), verbose=0)
    diff = float(np.max(np.abs(y - np.array(ref["outputs"]))))
    worst = max(worst, diff)
    print(f"{name}: tf_keras loads {path}; max |output - TensorFlow reference| = {diff:.3g}")
sys.exit(0 if worst <= 1e-5 else 1)
