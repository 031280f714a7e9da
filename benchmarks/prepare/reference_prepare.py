#!/usr/bin/env python3
"""The reference: the FusionAI window rule written the obvious way in Python with pyfaidx, as the
original's Python pre-processing would. Reads STAR-Fusion calls, writes the 10-column FusionAI
input. Used by run.sh for speed and as an independent cross-check of fusionai's output."""
import sys

from pyfaidx import Fasta

COMPLEMENT = str.maketrans("ACGTNRYKMBVDHSWacgtnrykmbvdhsw", "TGCANYRMKVBHDSWtgcanyrmkvbhdsw")


def window(genome, chrom, bp, strand):
    length = len(genome[chrom])
    start, end = bp - 5000, bp + 5000  # 0-based half-open [bp-4999, bp+5000] in 1-based terms
    seq = "N" * max(0, -start) + str(genome[chrom][max(0, start):min(length, end)]) + "N" * max(0, end - length)
    return seq.translate(COMPLEMENT)[::-1] if strand == "-" else seq


def main(genome_path, calls_path, out_path):
    genome = Fasta(genome_path, sequence_always_upper=True, as_raw=True)
    with open(calls_path) as calls, open(out_path, "w") as out:
        header = calls.readline().lstrip("#").rstrip("\n").split("\t")
        col = {name: i for i, name in enumerate(header)}
        for line in calls:
            f = line.rstrip("\n").split("\t")
            hg, tg = f[col["LeftGene"]].split("^")[0], f[col["RightGene"]].split("^")[0]
            hc, hp, hs = f[col["LeftBreakpoint"]].split(":")
            tc, tp, ts = f[col["RightBreakpoint"]].split(":")
            head, tail = window(genome, hc, int(hp), hs), window(genome, tc, int(tp), ts)
            out.write("\t".join([hg, hc, hp, hs, tg, tc, tp, ts, head, tail]) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:4])
