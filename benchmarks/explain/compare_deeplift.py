#!/usr/bin/env python3
"""Agreement lines of the explain benchmark's DeepLIFT part, in agreement.tsv's columns (method,
row, id, max_abs_tf, max_abs_diff, rel_diff, pearson_r, rel_fusionai_vs_tf64, rel_tf32_vs_tf64,
p_fusionai, p_tf, abs_dp, rel_l2), one line per sequence and comparison plus a `worst` line each:

  deepliftshap-N            fusionai ID.fis.npy vs TF tf_rowK.dls.npy (the scores)
  deepliftshap-N-hyp        fusionai ID.hyp.npy vs TF tf_rowK.dls_hyp.npy ([L x 4], flattened)
  deeplift-zero             fusionai (--method deeplift, zero baseline) vs TF tf_rowK.dlz.npy
  deepliftshap-N-shap-vs-tf shap DeepExplainer (P(positive)) vs TF: "tf" columns are TF's
  deepliftshap-N-shap-vs-fusionai
  logit-shap-vs-tf          shap on the logit vs TF's rules on the logit (tf_rowK.shap_logit.npy,
                            tf_rowK.dls_logit.npy): how shap and the rules here differ apart from softmax
  completeness-TOOL-METHOD  per sequence: max_abs_tf = the tool's mean P(x) - P(reference),
                            max_abs_diff = |sum of its scores - that|, rel_diff = the ratio; p_fusionai
                            and p_tf hold fusionai's and TF's P(x) - P(reference) (the same references
                            give the same values: the reference check), abs_dp their difference.
P columns of the score lines: P(positive) at the input from fusionai's summary.tsv and from TF.
With --tag T the method names get "-T" after "deepliftshap-N" (a second TensorFlow process's values).
Usage: compare_deeplift.py TF_DIR TF_SUMMARY.json ROWS REFERENCES DLS_DIR [DLZ_DIR] [--tag T]
"""
import glob
import json
import os
import sys

import numpy as np


def fusionai_summary(d):
    out = {}
    with open(os.path.join(d, "summary.tsv")) as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            c = dict(zip(header, line.rstrip("\n").split("\t")))
            out[c["id"]] = c
    return out


def fusionai_file(d, k, suffix):
    found = glob.glob(os.path.join(d, f"row{k}_*.{suffix}"))
    if len(found) != 1:
        sys.exit(f"compare_deeplift: {len(found)} files row{k}_*.{suffix} in {d}")
    return found[0], os.path.basename(found[0])[:-len("." + suffix)]


def line(method, k, ident, a, ref, pa="-", pt="-"):
    a = a.astype(np.float64).ravel()
    ref = ref.astype(np.float64).ravel()
    mx = float(np.max(np.abs(ref)))
    d = float(np.max(np.abs(a - ref)))
    r = float(np.corrcoef(a, ref)[0, 1])
    l2 = float(np.linalg.norm(a - ref) / np.linalg.norm(ref))
    dp = "-" if pa == "-" else f"{abs(pa - pt):.3g}"
    pa_s = "-" if pa == "-" else f"{pa:.7g}"
    pt_s = "-" if pt == "-" else f"{pt:.7g}"
    return [method, str(k), ident, f"{mx:.4g}", f"{d:.3g}", f"{d / mx:.3g}", f"{r:.9f}", "-", "-", pa_s, pt_s, dp,
            f"{l2:.3g}"], (d / mx, r, l2)


def main():
    argv = sys.argv[1:]
    tag = ""
    if "--tag" in argv:
        i = argv.index("--tag")
        tag = "-" + argv[i + 1]
        del argv[i:i + 2]
    if len(argv) not in (5, 6):
        sys.exit(__doc__)
    tf_dir, summary, rows, n = argv[0], json.load(open(argv[1])), int(argv[2]), int(argv[3])
    n_tag = f"{n}{tag}"
    dls_dir = argv[4]
    dlz_dir = argv[5] if len(argv) == 6 else None
    fa = fusionai_summary(dls_dir)
    groups = {}

    def add(method, fields, stats):
        groups.setdefault(method, []).append((fields, stats))

    tf_comp = {c["row"]: c for c in summary.get("dls_completeness", [])}
    for k in range(1, rows + 1):
        path, ident = fusionai_file(dls_dir, k, "fis.npy")
        tf = np.load(os.path.join(tf_dir, f"tf_row{k}.dls.npy"))
        pa = float(fa[ident]["fusion_positive_prob"])
        pt = tf_comp[k]["p"]
        add(f"deepliftshap-{n_tag}", *line(f"deepliftshap-{n_tag}", k, ident, np.load(path), tf, pa, pt))
        hyp, _ = fusionai_file(dls_dir, k, "hyp.npy")
        add(f"deepliftshap-{n_tag}-hyp", *line(f"deepliftshap-{n_tag}-hyp", k, ident, np.load(hyp),
                                           np.load(os.path.join(tf_dir, f"tf_row{k}.dls_hyp.npy")), pa, pt))
        sp = os.path.join(tf_dir, f"tf_row{k}.shap.npy")
        if os.path.exists(sp):
            s = np.load(sp)
            add(f"deepliftshap-{n}-shap-vs-tf", *line(f"deepliftshap-{n}-shap-vs-tf", k, ident, s, tf))
            add(f"deepliftshap-{n}-shap-vs-fusionai",
                *line(f"deepliftshap-{n}-shap-vs-fusionai", k, ident, s, np.load(path)))
        lp = os.path.join(tf_dir, f"tf_row{k}.shap_logit.npy")
        if os.path.exists(lp):
            add("logit-shap-vs-tf", *line("logit-shap-vs-tf", k, ident, np.load(lp),
                                          np.load(os.path.join(tf_dir, f"tf_row{k}.dls_logit.npy"))))
        if dlz_dir and os.path.exists(os.path.join(tf_dir, f"tf_row{k}.dlz.npy")):
            zpath, zid = fusionai_file(dlz_dir, k, "fis.npy")
            add("deeplift-zero", *line("deeplift-zero", k, zid, np.load(zpath),
                                       np.load(os.path.join(tf_dir, f"tf_row{k}.dlz.npy"))))

    # Completeness, each tool, and the reference check (fusionai's and TF's P(x) - P(reference)).
    comp = []

    def comp_line(method, k, ident, total, diff, fa_diff, tf_diff):
        if method is None:
            return
        gap = abs(total - diff)
        comp.append([method, str(k), ident, f"{diff:.7g}", f"{gap:.3g}", f"{gap / abs(diff):.3g}", "-", "-", "-",
                     f"{fa_diff:.7g}", f"{tf_diff:.7g}", f"{abs(fa_diff - tf_diff):.3g}", "-"])
    zc = {c["row"]: c for c in summary.get("dlz_completeness", [])}
    fz = fusionai_summary(dlz_dir) if dlz_dir else {}
    for k in range(1, rows + 1):
        _, ident = fusionai_file(dls_dir, k, "fis.npy")
        c = fa[ident]
        fa_sum, fa_diff = float(c["attribution_sum"]), float(c["reference_difference"])
        t = tf_comp[k]
        comp_line(f"completeness-fusionai-deepliftshap-{n}" if not tag else None, k, ident, fa_sum, fa_diff, fa_diff,
                  t["reference_difference"])
        comp_line(f"completeness-tf-deepliftshap-{n_tag}", k, ident, t["attribution_sum"], t["reference_difference"],
                  fa_diff, t["reference_difference"])
        sp = os.path.join(tf_dir, f"tf_row{k}.shap.npy")
        if os.path.exists(sp):
            comp_line(f"completeness-shap-deepliftshap-{n}", k, ident, float(np.load(sp).astype(np.float64).sum()),
                      t["reference_difference"], fa_diff, t["reference_difference"])
        if k in zc and fz:
            _, zid = fusionai_file(dlz_dir, k, "fis.npy")
            cz = fz[zid]
            fzs, fzd = float(cz["attribution_sum"]), float(cz["reference_difference"])
            comp_line("completeness-fusionai-deeplift-zero", k, zid, fzs, fzd, fzd, zc[k]["reference_difference"])
            comp_line("completeness-tf-deeplift-zero", k, zid, zc[k]["attribution_sum"], zc[k]["reference_difference"],
                      fzd, zc[k]["reference_difference"])

    for method, items in groups.items():
        for fields, _ in items:
            print("\t".join(fields))
        worst = max(items, key=lambda it: it[1][0])
        print("\t".join([method, "worst", "row" + worst[0][1], "-", "-", f"{worst[1][0]:.3g}",
                         f"{min(it[1][1] for it in items):.9f}", "-", "-", "-", "-", "-",
                         f"{max(it[1][2] for it in items):.3g}"]))
    for fields in comp:
        print("\t".join(fields))


if __name__ == "__main__":
    main()
