#!/usr/bin/env bash
# `fusionai motifs match` against memelite's tomtom (the reference TOMTOM in Python), in one run:
# JASPAR 2024 vertebrates against itself (self-matches) and seeded perturbed copies of every
# JASPAR matrix against JASPAR. Both use Euclidean column scores (memelite's only score), min
# overlap 1 (memelite's and TOMTOM's default) and both strands. Installs memelite into a
# benchmark-local venv (git-ignored). Writes results.tsv (agreement and speed) and prints it;
# README.md explains the figures. THREADS (default 2) sets both tools' threads.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work="$here/work"
threads=${THREADS:-2}
db=${DATABASE:-$root/../shared/data/motifs/JASPAR2024_CORE_vertebrates.meme}
mkdir -p "$work"

venv="$here/.venv"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import memelite" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "memelite==0.5.0"
fi
py="$venv/bin/python"

[ -x "$root/.build/release/fusionai" ] || (cd "$root" && swift build -c release --product fusionai >/dev/null)
cp -p "$root/.build/release/fusionai" "$work/fusionai"

"$py" "$here/compare.py" --fusionai "$work/fusionai" --database "$db" --work "$work" --threads "$threads" \
    --out "$here/results.tsv"
cat "$here/results.tsv"
