#!/usr/bin/env python3
"""Makes a benchmark cohort from `fusionai example`'s STAR-Fusion calls: SAMPLES samples of CALLS calls
each, with realistic recurrence. A recurrent pool (RECURRENT distinct pairs) is drawn with Zipf weights
(rank^-1.1: a few fusions in most samples, a long tail in few), making RECURRENT_SHARE of each sample's
calls; the rest are private calls no other sample has. Every fourth sample also has an Arriba file
repeating ARRIBA of its recurrent calls (a second caller agreeing). Seeded: the same arguments give
the same files.

Usage: make-cohort.py POOL.tsv OUT_DIR [--samples 1000] [--calls 200] [--recurrent 4000]
       [--recurrent-share 0.7] [--arriba 50] [--seed 7]
"""
import argparse
import os
import random

ARRIBA_HEADER = ("#gene1\tgene2\tstrand1(gene/fusion)\tstrand2(gene/fusion)\tbreakpoint1\tbreakpoint2\tsite1\t"
                 "site2\ttype\tsplit_reads1\tsplit_reads2\tdiscordant_mates\tcoverage1\tcoverage2\tconfidence\n")


def arriba_row(star_row):
    f = star_row.rstrip("\n").split("\t")
    left, right = f[5].split(":"), f[7].split(":")
    return "\t".join([f[4].split("^")[0], f[6].split("^")[0], f"{left[2]}/{left[2]}", f"{right[2]}/{right[2]}",
                      f"{left[0]}:{left[1]}", f"{right[0]}:{right[1]}", "splice-site", "splice-site",
                      "translocation", "5", "5", "1", "10", "10", "high"]) + "\n"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("pool")
    p.add_argument("out")
    p.add_argument("--samples", type=int, default=1000)
    p.add_argument("--calls", type=int, default=200)
    p.add_argument("--recurrent", type=int, default=4000)
    p.add_argument("--recurrent-share", type=float, default=0.7)
    p.add_argument("--arriba", type=int, default=50)
    p.add_argument("--seed", type=int, default=7)
    a = p.parse_args()
    rng = random.Random(a.seed)
    with open(a.pool) as f:
        header = f.readline()
        seen, rows = set(), []
        for row in f:
            fields = row.split("\t")
            key = (fields[5], fields[7])
            if key not in seen:
                seen.add(key)
                rows.append(row)
    rng.shuffle(rows)
    per_recurrent = round(a.calls * a.recurrent_share)
    private_needed = a.samples * (a.calls - per_recurrent)
    if len(rows) < a.recurrent + private_needed:
        raise SystemExit(f"pool has {len(rows)} distinct calls; {a.recurrent + private_needed} needed")
    recurrent, private = rows[:a.recurrent], iter(rows[a.recurrent:])
    weights = [(rank + 1) ** -1.1 for rank in range(a.recurrent)]
    os.makedirs(a.out, exist_ok=True)
    sheet = ["sample\tpath\tformat\n"]
    for s in range(a.samples):
        name = f"S{s + 1:05d}"
        chosen = set()
        while len(chosen) < per_recurrent:
            chosen.update(rng.choices(range(a.recurrent), weights=weights, k=per_recurrent - len(chosen)))
        calls = [recurrent[i] for i in sorted(chosen)] + [next(private) for _ in range(a.calls - per_recurrent)]
        with open(os.path.join(a.out, name + ".star-fusion.tsv"), "w") as f:
            f.write(header + "".join(calls))
        sheet.append(f"{name}\t{name}.star-fusion.tsv\tstar-fusion\n")
        if s % 4 == 0:
            with open(os.path.join(a.out, name + ".arriba.tsv"), "w") as f:
                f.write(ARRIBA_HEADER + "".join(arriba_row(recurrent[i]) for i in sorted(chosen)[:a.arriba]))
            sheet.append(f"{name}\t{name}.arriba.tsv\t\n")
    with open(os.path.join(a.out, "samples.tsv"), "w") as f:
        f.writelines(sheet)


if __name__ == "__main__":
    main()
