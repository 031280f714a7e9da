#!/usr/bin/env bash
# Compares two `fusionai run` results folders byte for byte, except what differs between two runs
# by design: the modification times in the .done/ markers (input files copied or touched) and the
# report's `made` time. Lists the files that differ (or exist on one side only); exit 1 if any.
#
#   scripts/compare-results.sh A B
set -euo pipefail

if [ $# -ne 2 ] || [ ! -d "$1" ] || [ ! -d "$2" ]; then
    echo "usage: $0 RESULTS_A RESULTS_B (two results folders)" >&2
    exit 64
fi
a=$1
b=$2

# A marker line per input file is "path<TAB>size<TAB>mtime": the mtime goes.
markers() { sed -E 's/^([^\t]*\t-?[0-9]+)\t[0-9.e+-]+$/\1\tMTIME/' "$1"; }
# The report's facts table is one line: only the `made` cell goes.
report() { sed -E 's#<tr><th>made</th><td>[^<]*</td></tr>#<tr><th>made</th><td>MADE</td></tr>#g' "$1"; }

differ=0
while IFS= read -r name; do
    if [ ! -f "$a/$name" ] || [ ! -f "$b/$name" ]; then
        echo "only in one folder: $name"
        differ=1
        continue
    fi
    case "$name" in
    .done/*) same() { cmp -s <(markers "$a/$name") <(markers "$b/$name"); } ;;
    report.html) same() { cmp -s <(report "$a/$name") <(report "$b/$name"); } ;;
    *) same() { cmp -s "$a/$name" "$b/$name"; } ;;
    esac
    if ! same; then
        echo "differs: $name"
        differ=1
    fi
done < <({ (cd "$a" && find . -type f) && (cd "$b" && find . -type f); } | sed 's#^\./##' | sort -u)

exit "$differ"
