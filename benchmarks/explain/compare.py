#!/usr/bin/env python3
"""Compares fusionai's feature-importance scores with TensorFlow's, sequence by sequence: grad-input
(default) or, with --suffix ig, integrated gradients.

For data row K (1..ROWS) reads FUSIONAI_DIR/rowK_*.fis.npy (fusionai explain) and
TF_DIR/tf_rowK.SUFFIX.npy (tf_gradient.py, float32), and, where present, TF_DIR/tf_rowK.SUFFIX64.npy
(the float64 reference; grad-input only). Prints a TSV (header with --header) with one line per row:
    row, id, max|TF|, max|fusionai - TF|, rel = max|fusionai - TF| / max|TF| (the issue's measure:
    target <= 1e-4), Pearson r, then, where the float64 reference exists, rel of fusionai and of
    TF float32 against it; and P(positive) from fusionai's summary.tsv and TensorFlow's SUMMARY.json.
The last line, `worst`, holds the largest rel over the rows, the smallest Pearson r and the largest
|dP|. A last column, rel_l2 = ||fusionai - TF||_2 / ||TF||_2, summarises the whole vector (the
measure that suits integrated gradients, whose per-position values can move where a max-pool
window or a ReLU sits at a near-tie on the interpolation path).
Needs only NumPy (runs in the TF venv).
Usage: compare.py FUSIONAI_DIR TF_DIR ROWS TF_SUMMARY.json [--header] [--suffix gi|ig]
"""
import glob
import json
import os
import sys

import numpy as np


def rel(a, ref):
    return float(np.max(np.abs(a.astype(np.float64) - ref))) / float(np.max(np.abs(ref)))


def main():
    args = [a for a in sys.argv[1:] if a != "--header"]
    suffix = "gi"
    if "--suffix" in args:
        i = args.index("--suffix")
        suffix = args[i + 1]
        del args[i:i + 2]
    if len(args) != 4:
        sys.exit(__doc__)
    fa_dir, tf_dir, rows, tf_summary = args[0], args[1], int(args[2]), args[3]
    tf_p = json.load(open(tf_summary))["fusion_positive_prob"]
    fa_p = {}
    with open(os.path.join(fa_dir, "summary.tsv")) as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            c = dict(zip(header, line.rstrip("\n").split("\t")))
            fa_p[c["id"]] = float(c["fusion_positive_prob"])
    if "--header" in sys.argv:
        print("row\tid\tmax_abs_tf\tmax_abs_diff\trel_diff\tpearson_r\trel_fusionai_vs_tf64\trel_tf32_vs_tf64"
              "\tp_fusionai\tp_tf\tabs_dp\trel_l2")
    worst_rel = worst_dp = worst_l2 = 0.0
    worst_row, min_corr = 0, 1.0
    for k in range(1, rows + 1):
        found = glob.glob(os.path.join(fa_dir, f"row{k}_*.fis.npy"))
        if len(found) != 1:
            sys.exit(f"compare: {len(found)} files row{k}_*.fis.npy in {fa_dir}")
        fa = np.load(found[0])
        tf = np.load(os.path.join(tf_dir, f"tf_row{k}.{suffix}.npy")).astype(np.float64)
        if fa.shape != tf.shape:
            sys.exit(f"compare: row {k}: fusionai {fa.shape}, TF {tf.shape}")
        ident = os.path.basename(found[0])[:-len(".fis.npy")]
        r = rel(fa, tf)
        corr = float(np.corrcoef(fa.astype(np.float64), tf)[0, 1])
        p64 = os.path.join(tf_dir, f"tf_row{k}.{suffix}64.npy")
        if os.path.exists(p64):
            ref = np.load(p64)
            r64, t64 = f"{rel(fa, ref):.3g}", f"{rel(tf, ref):.3g}"
        else:
            r64 = t64 = "-"
        pf, pt = fa_p[ident], tf_p[k - 1]
        dp = abs(pf - pt)
        if r > worst_rel:
            worst_rel, worst_row = r, k
        worst_dp = max(worst_dp, dp)
        l2 = float(np.linalg.norm(fa.astype(np.float64) - tf) / np.linalg.norm(tf))
        worst_l2, min_corr = max(worst_l2, l2), min(min_corr, corr)
        print(f"{k}\t{ident}\t{np.max(np.abs(tf)):.4g}\t{np.max(np.abs(fa - tf)):.3g}\t{r:.3g}\t{corr:.9f}"
              f"\t{r64}\t{t64}\t{pf:.7g}\t{pt:.7g}\t{dp:.3g}\t{l2:.3g}")
    print(f"worst\trow{worst_row}\t-\t-\t{worst_rel:.3g}\t{min_corr:.9f}\t-\t-\t-\t-\t{worst_dp:.3g}\t{worst_l2:.3g}")


if __name__ == "__main__":
    main()
