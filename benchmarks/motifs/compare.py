"""Runs fusionai motifs match and memelite's tomtom on the same queries and compares them.

memelite runs twice per set: exact (`n_target_bins=None`, every target column as it is: the
TOMTOM algorithm itself, the reference for agreement) and with its default approximation
(`n_target_bins=100`: target columns quantised to 100 levels per letter and merged, faster,
which moves far-tail p-values such as self-matches by up to ~10x).

Query sets: `self` (every JASPAR matrix against JASPAR) and `perturbed` (every JASPAR matrix
resampled: 30 sites drawn from each column's probabilities, plus a 0.25 pseudocount per letter,
seed 14, against JASPAR). For each query the top hit is the target with the smallest p-value
(ties: the larger score, then database order, on both sides). Agreement: the share of queries
whose top hits are the same target, and the ratio of the two tools' p-values for those top hits
and for every query-target pair with a p-value below 0.01 on either side. Speed: wall time of
each tool on the whole set: fusionai as a process (reading both MEME files, comparing, writing every
pair's row, 772,641 rows), memelite as a call on arrays already read (numba's compilation or cache
load is timed apart, in memelite_compile_s).
"""

import argparse
import csv
import resource
import subprocess
import time

import numpy
from memelite import tomtom
from memelite.io import read_meme


def write_meme(path, names, matrices):
    with open(path, "w") as out:
        out.write("MEME version 4\n\nALPHABET= ACGT\n\nstrands: + -\n\n")
        out.write("Background letter frequencies\nA 0.25 C 0.25 G 0.25 T 0.25\n\n")
        for name, m in zip(names, matrices):
            out.write(f"MOTIF {name}\nletter-probability matrix: alength= 4 w= {m.shape[1]} nsites= 30 E= 0\n")
            for row in m.T:
                out.write(" ".join(f"{v:.6f}" for v in row) + "\n")
            out.write("\n")


def perturb(matrices, seed=14, sites=30):
    rng = numpy.random.default_rng(seed)
    out = []
    for m in matrices:
        counts = numpy.stack([rng.multinomial(sites, col / col.sum()) for col in m.T], axis=1) + 0.25
        out.append(counts / counts.sum(axis=0, keepdims=True))
    return out


def run_fusionai(binary, query, database, threads, out):
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [binary, "motifs", "match", query, "--database", database, "-o", out, "--dist", "euclidean",
         "--min-overlap", "1", "--threshold", "1", "--threads", str(threads), "--quiet"], check=True)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    table = {}
    with open(out) as f:
        for row in csv.DictReader((line for line in f if line.strip() and not line.startswith("#")),
                                  delimiter="\t"):
            table[(row["Query_ID"], row["Target_ID"])] = float(row["p-value"])
    return table, seconds, cpu


def run_memelite(queries, targets, threads, target_bins):
    start, cpu = time.perf_counter(), time.process_time()
    p, scores, offsets, overlaps, strands = tomtom(queries, targets, n_jobs=threads, n_target_bins=target_bins)
    return p, scores, time.perf_counter() - start, time.process_time() - cpu


def top(pvalues, scores):
    order = numpy.lexsort((numpy.arange(len(pvalues)), -scores, pvalues))
    return order[0]


def compare(label, mode, query_ids, target_ids, ours, p_ref, s_ref, fusionai_time, memelite_time):
    same = 0
    top_ratios, pair_ratios = [], []
    for i, q in enumerate(query_ids):
        p_ours = numpy.array([ours.get((q, t), 1.0) for t in target_ids])
        # fusionai's TSV is ordered by p-value; scores are not written, so ties break by database order.
        ours_top = int(numpy.lexsort((numpy.arange(len(p_ours)), p_ours))[0])
        ref_top = int(top(p_ref[i], s_ref[i]))
        if ours_top == ref_top or p_ours[ref_top] == p_ours[ours_top]:
            same += 1
            if p_ref[i][ref_top] > 0:
                top_ratios.append(p_ours[ref_top] / p_ref[i][ref_top])
        small = (p_ours < 0.01) | (p_ref[i] < 0.01)
        for j in numpy.nonzero(small)[0]:
            if p_ref[i][j] > 0 and p_ours[j] > 0:
                pair_ratios.append(p_ours[j] / p_ref[i][j])
    top_ratios, pair_ratios = numpy.array(top_ratios), numpy.array(pair_ratios)

    def within2(r):
        return float(numpy.mean((r <= 2) & (r >= 0.5))) if len(r) else float("nan")

    return {
        "set": label, "memelite": mode, "queries": len(query_ids), "targets": len(target_ids),
        "same_top_hit": f"{same / len(query_ids):.4f}",
        "top_p_within_2x": f"{within2(top_ratios):.4f}",
        "top_p_median_ratio": f"{numpy.median(top_ratios):.3f}" if len(top_ratios) else "nan",
        "pairs_p_below_0.01": len(pair_ratios),
        "pairs_p_within_2x": f"{within2(pair_ratios):.4f}",
        "pairs_median_ratio": f"{numpy.median(pair_ratios):.3f}" if len(pair_ratios) else "nan",
        "fusionai_s": f"{fusionai_time[0]:.2f}", "fusionai_cpu_s": f"{fusionai_time[1]:.2f}",
        "memelite_s": f"{memelite_time[0]:.2f}", "memelite_cpu_s": f"{memelite_time[1]:.2f}",
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fusionai", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    motifs = read_meme(args.database)
    target_ids = [key.split()[0] for key in motifs]
    targets = list(motifs.values())

    # numba compiles on the first call (or loads its cache): time one small call of each mode
    # apart so the figures below are warm.
    start = time.perf_counter()
    for bins in (None, 100):
        tomtom(targets[:2], targets, n_jobs=args.threads, n_target_bins=bins)
    compile_seconds = time.perf_counter() - start

    rows = []
    perturbed = perturb(targets)
    perturbed_path = f"{args.work}/perturbed.meme"
    write_meme(perturbed_path, target_ids, perturbed)
    for label, path, queries in [("self", args.database, targets), ("perturbed", perturbed_path, perturbed)]:
        ours, fusionai_seconds, fusionai_cpu = run_fusionai(args.fusionai, path, args.database, args.threads,
                                                            f"{args.work}/{label}.tsv")
        for mode, bins in [("exact", None), ("default", 100)]:
            p_ref, s_ref, memelite_seconds, memelite_cpu = run_memelite(queries, targets, args.threads, bins)
            rows.append(compare(label, mode, target_ids, target_ids, ours, p_ref, s_ref,
                                (fusionai_seconds, fusionai_cpu), (memelite_seconds, memelite_cpu)))
    with open(args.out, "w") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]) + ["memelite_compile_s", "threads"],
                                delimiter="\t", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(dict(row, memelite_compile_s=f"{compile_seconds:.1f}", threads=args.threads))


if __name__ == "__main__":
    main()
