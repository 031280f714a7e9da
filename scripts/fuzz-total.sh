#!/usr/bin/env bash
# Executions per harness summed over every recorded fuzzing run (fuzz/campaigns.tsv, which scripts/fuzz.sh
# appends to after each run that is not a smoke run), against issue 15's goal of 10 million each.
set -euo pipefail
cd "$(dirname "$0")/.."
printf 'harness\truns\tseconds\texecutions\tof_10M\n'
awk -F'\t' 'NR > 1 { runs[$3]++; execs[$3] += $5; if ($4 != "-") secs[$3] += $4 }
    END { for (h in execs) printf "%s\t%d\t%d\t%d\t%.1f%%\n", h, runs[h], secs[h], execs[h], execs[h] / 1e5 }' \
    fuzz/campaigns.tsv | sort -t$'\t' -k4,4nr
