#!/usr/bin/env python3
"""Writes the benchmark's VCF: N records, seeded, sorted, against the example genome and fusions.

Usage: make_vcf.py GENOME.fa FUSIONS.tsv N_IN_WINDOWS N_ELSEWHERE OUT.vcf
Records in windows lie at a uniform offset within +-5,000 nt of a random breakpoint of a random
fusion; the others anywhere in the genome outside every window (so a VCF with more of them scores
the same variants). Of all records: 80% SNVs,
10% deletions and 10% insertions of 1-10 nt, 2% of them with a second ALT, and 1% with a REF
that is not the genome's (REF-mismatch skips)."""
import bisect
import random
import sys

genome_path, fusions_path, n_in, n_out, out_path = sys.argv[1:6]
rng = random.Random(16)
seq = {}
name = None
parts = []
for line in open(genome_path):
    line = line.strip()
    if line.startswith(">"):
        if name:
            seq[name] = "".join(parts).upper()
        name, parts = line[1:].split()[0], []
    else:
        parts.append(line)
seq[name] = "".join(parts).upper()
breakpoints = []
for line in open(fusions_path):
    f = line.rstrip("\n").split("\t")
    if f[0] == "Hgene" or len(f) < 8:
        continue
    breakpoints += [(f[1], int(f[2])), (f[5], int(f[6]))]

def record(chrom, pos):
    s = seq[chrom]
    kind = rng.random()
    if kind < 0.8:
        ref = s[pos - 1]
        alt = rng.choice([b for b in "ACGT" if b != ref])
    elif kind < 0.9:
        d = rng.randint(1, 10)
        ref, alt = s[pos - 1:pos + d], s[pos - 1]
    else:
        ref = s[pos - 1]
        alt = ref + "".join(rng.choice("ACGT") for _ in range(rng.randint(1, 10)))
    alts = [alt]
    if rng.random() < 0.02:
        alts.append(rng.choice([b for b in "ACGT" if b != ref[0]]) + ref[1:])
    if rng.random() < 0.01:
        ref = rng.choice([b for b in "ACGT" if b != ref[0]]) + ref[1:]
        alts = [a for a in alts if a != ref] or ["N"]
    return chrom, pos, ref, ",".join(alts)

records = set()
while len(records) < int(n_in):
    chrom, bp = rng.choice(breakpoints)
    pos = bp + rng.randint(-4999, 5000)
    if 1 <= pos <= len(seq[chrom]) - 12:
        records.add(record(chrom, pos))
names = sorted(seq)
starts = {n: sorted(bp - 4999 for c, bp in breakpoints if c == n) for n in names}

def outside(chrom, pos):
    # No window [bp-4999, bp+5000] may reach pos-11...pos+11 (REF up to 11 nt).
    i = bisect.bisect_right(starts[chrom], pos + 11)
    return i == 0 or starts[chrom][i - 1] + 9999 < pos - 11

inside = len(records)
rng = random.Random(61)
while len(records) < inside + int(n_out):
    chrom = rng.choice(names)
    pos = rng.randint(1, len(seq[chrom]) - 12)
    if outside(chrom, pos):
        records.add(record(chrom, pos))
with open(out_path, "w") as out:
    out.write("##fileformat=VCFv4.2\n")
    for n in names:
        out.write(f"##contig=<ID={n},length={len(seq[n])}>\n")
    out.write("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n")
    for chrom, pos, ref, alt in sorted(records, key=lambda r: (names.index(r[0]), r[1], r[2], r[3])):
        out.write(f"{chrom}\t{pos}\t.\t{ref}\t{alt}\t.\t.\t.\n")
