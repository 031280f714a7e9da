#!/usr/bin/env python3
"""Dump the HDF5 structure of a Keras file: every group, dataset and attribute, with the
attribute's exact HDF5 type (fixed-length vs variable-length string, ASCII vs UTF-8, array shape).

    tools/.venv/bin/python tools/keras_reference/inspect_layout.py FILE.h5 [FILE.keras ...]
        [--config]      also pretty-print model_config / config.json
        [--values N]    print the first N values of each dataset

For a .keras zip it lists the entries (name, size, compression) and dumps model.weights.h5.
This is the tool LAYOUTS.md was written from.
"""

import argparse
import io
import json
import sys
import zipfile

import h5py
import numpy as np


def describe_type(tid):
    """Describe an HDF5 datatype the way a C reader sees it."""
    cls = tid.get_class()
    if cls == h5py.h5t.STRING:
        vlen = tid.is_variable_str()
        cset = {h5py.h5t.CSET_ASCII: "ASCII", h5py.h5t.CSET_UTF8: "UTF-8"}.get(tid.get_cset(), "?")
        pad = {h5py.h5t.STR_NULLTERM: "NULLTERM", h5py.h5t.STR_NULLPAD: "NULLPAD",
               h5py.h5t.STR_SPACEPAD: "SPACEPAD"}.get(tid.get_strpad(), "?")
        if vlen:
            return f"variable-length string ({cset}, {pad})"
        return f"fixed-length string size {tid.get_size()} ({cset}, {pad})"
    if cls == h5py.h5t.FLOAT:
        return f"float{tid.get_size() * 8}"
    if cls == h5py.h5t.INTEGER:
        return f"int{tid.get_size() * 8}"
    return f"class {cls} size {tid.get_size()}"


def describe_attr(obj, name):
    aid = h5py.h5a.open(obj.id, name.encode())
    space = aid.get_space()
    shape = space.shape
    kind = "scalar" if space.get_simple_extent_type() == h5py.h5s.SCALAR else f"simple {shape}"
    tdesc = describe_type(aid.get_type())
    value = obj.attrs[name]
    if isinstance(value, (bytes, str)):
        text = value.decode() if isinstance(value, bytes) else value
        shown = repr(text if len(text) <= 100 else text[:100] + f"... ({len(text)} chars)")
    elif isinstance(value, np.ndarray):
        items = [v.decode() if isinstance(v, bytes) else v for v in value.tolist()]
        shown = repr(items)
    else:
        shown = repr(value)
    return f"@{name}: {kind}, {tdesc} = {shown}"


def dump_h5(f, values, out):
    def show_attrs(obj, indent):
        for a in obj.attrs:
            out.write(" " * indent + describe_attr(obj, a) + "\n")

    out.write("/ (root)\n")
    show_attrs(f, 2)

    def visit(name, obj):
        depth = name.count("/") + 1
        pad = "  " * depth
        if isinstance(obj, h5py.Dataset):
            out.write(f"{pad}{name}  DATASET shape={obj.shape} {describe_type(obj.id.get_type())}"
                      f" layout={'chunked' if obj.chunks else 'contiguous'}\n")
            if values:
                out.write(f"{pad}  first values: {obj[()].ravel()[:values].tolist()}\n")
        else:
            out.write(f"{pad}{name}/  GROUP\n")
        show_attrs(obj, len(pad) + 2)

    f.visititems(visit)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+")
    ap.add_argument("--config", action="store_true")
    ap.add_argument("--values", type=int, default=0)
    args = ap.parse_args()
    out = sys.stdout
    for path in args.files:
        out.write(f"===== {path}\n")
        if path.endswith(".keras"):
            with zipfile.ZipFile(path) as z:
                for info in z.infolist():
                    method = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}.get(
                        info.compress_type, str(info.compress_type))
                    out.write(f"zip entry {info.filename!r}: {info.file_size} B, {method}, "
                              f"compressed {info.compress_size} B, date {info.date_time}\n")
                for name in ("metadata.json", "config.json"):
                    if name in z.namelist():
                        text = z.read(name).decode()
                        if name == "metadata.json" or args.config:
                            out.write(f"--- {name}\n")
                            out.write(json.dumps(json.loads(text), indent=2) + "\n")
                if "model.weights.h5" in z.namelist():
                    out.write("--- model.weights.h5\n")
                    with h5py.File(io.BytesIO(z.read("model.weights.h5")), "r") as f:
                        dump_h5(f, args.values, out)
        else:
            with h5py.File(path, "r") as f:
                dump_h5(f, args.values, out)
                if args.config and "model_config" in f.attrs:
                    raw = f.attrs["model_config"]
                    raw = raw.decode() if isinstance(raw, bytes) else raw
                    out.write("--- model_config\n" + json.dumps(json.loads(raw), indent=2) + "\n")


if __name__ == "__main__":
    main()
