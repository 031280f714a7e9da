#!/usr/bin/env bash
# Executions per harness summed over every recorded fuzzing run (fuzz/campaigns.tsv, which scripts/fuzz.sh
# appends to after each run that is not a smoke run), against issue 15's goal of 10 million each; with the
# coverage, features and corpus of the harness's latest run that recorded them (libFuzzer's `cov:` and
# `ft:`, which grow as a corpus does), and the findings of all runs (each fixed or explained in its row).
set -euo pipefail
cd "$(dirname "$0")/.."
printf 'harness\truns\tseconds\texecutions\tof_10M\tcoverage\tfeatures\tcorpus\tfindings\n'
awk -F'\t' 'NR > 1 {
        runs[$3]++; execs[$3] += $5; if ($4 != "-") secs[$3] += $4
        if ($7 != "-") { cov[$3] = $7; ft[$3] = $8; corpus[$3] = $9 }
        if ($10 != "-") found[$3] += $10
    }
    END {
        for (h in execs) printf "%s\t%d\t%d\t%d\t%.1f%%\t%s\t%s\t%s\t%d\n", h, runs[h], secs[h], execs[h],
            execs[h] / 1e5, cov[h], ft[h], corpus[h], found[h]
    }' fuzz/campaigns.tsv | sort -t$'\t' -k4,4nr
