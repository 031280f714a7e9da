#!/usr/bin/env python3
"""Compares two predict outputs (TensorFlow's and fusionai's) row by row.

Both files have a header line; rows must be in the same order with the same 8 breakpoint
columns. Prints one TSV line (header with --header): rows, max |dp| of fusion_negative_prob, of
fusion_positive_prob, of both, mean |dp| over both, the row (1-based) of the largest, and how many
rows are called differently at 0.5.
Usage: compare.py TF.tsv FUSIONAI.tsv [--header]
"""
import sys


def read(path):
    with open(path) as f:
        header = f.readline().rstrip("\n").split("\t")
        neg, pos = header.index("fusion_negative_prob"), header.index("fusion_positive_prob")
        rows = []
        for line in f:
            c = line.rstrip("\n").split("\t")
            rows.append((c[:8], float(c[neg]), float(c[pos])))
    return rows


def main():
    args = [a for a in sys.argv[1:] if a != "--header"]
    if len(args) != 2:
        sys.exit(__doc__)
    a, b = read(args[0]), read(args[1])
    if len(a) != len(b):
        sys.exit(f"compare: {len(a)} rows in {args[0]}, {len(b)} in {args[1]}")
    max_neg = max_pos = total = 0.0
    worst, disagree = 0, 0
    for i, ((ka, na, pa), (kb, nb, pb)) in enumerate(zip(a, b), 1):
        if ka != kb:
            sys.exit(f"compare: row {i} differs: {ka} vs {kb}")
        dn, dp = abs(na - nb), abs(pa - pb)
        if max(dn, dp) > max(max_neg, max_pos):
            worst = i
        max_neg, max_pos = max(max_neg, dn), max(max_pos, dp)
        total += dn + dp
        disagree += (pa >= 0.5) != (pb >= 0.5)
    if "--header" in sys.argv:
        print("rows\tmax_abs_dp_negative\tmax_abs_dp_positive\tmax_abs_dp\tmean_abs_dp\tworst_row\tcalls_differ_at_0.5")
    print(f"{len(a)}\t{max_neg:.3g}\t{max_pos:.3g}\t{max(max_neg, max_pos):.3g}\t"
          f"{total / (2 * len(a)):.3g}\t{worst}\t{disagree}")


if __name__ == "__main__":
    main()
