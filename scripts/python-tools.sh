#!/usr/bin/env bash
# Makes .venv/ (git-ignored) with the pinned Python tools of tools/python-requirements.txt (Snakemake and
# its cluster-generic executor plugin, for workflow/Snakefile and its test; MultiQC, whose parser a test
# runs on a results folder) when it is missing or was made from other requirements. Used by `make test`; safe to run again (does nothing when .venv/ is current).
# Needs Python 3.11 or later with venv; on Debian/Ubuntu python3-venv is installed with apt-get when run
# as root (or with passwordless sudo), else the command to run is printed.
set -euo pipefail
cd "$(dirname "$0")/.."

requirements=tools/python-requirements.txt
venv=.venv
stamp=$venv/.requirements

if [ -x "$venv/bin/python" ] && cmp -s "$requirements" "$stamp"; then
    exit 0
fi

if ! command -v python3 >/dev/null 2>&1 || ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "python-tools: Snakemake 9 needs Python 3.11 or later as python3 (Debian 12: apt-get install python3)" >&2
    exit 1
fi

if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        apt_get=(apt-get)
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        apt_get=(sudo apt-get)
    else
        echo "python-tools: Python's venv module is missing; run: sudo apt-get install -y python3-venv" >&2
        exit 1
    fi
    echo "python-tools: installing python3-venv" >&2
    export DEBIAN_FRONTEND=noninteractive
    "${apt_get[@]}" update -qq
    "${apt_get[@]}" install -y -qq --no-install-recommends python3-venv >/dev/null
fi

echo "python-tools: making $venv from $requirements" >&2
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
cp "$requirements" "$stamp"
"$venv/bin/snakemake" --version >/dev/null
"$venv/bin/multiqc" --version >/dev/null
