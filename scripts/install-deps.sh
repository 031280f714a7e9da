#!/usr/bin/env bash
# Installs the Debian packages fusionai builds against, when any is missing.
# Used by `make demo`, `make test` and CI; safe to run again (does nothing when all are there).
set -euo pipefail

packages=(pkg-config libhts-dev libfftw3-dev libopenblas-dev libhdf5-dev libbigwig-dev)
modules=(htslib fftw3f openblas hdf5)

missing_modules() {
    command -v pkg-config >/dev/null 2>&1 || { echo "pkg-config"; return; }
    for m in "${modules[@]}"; do pkg-config --exists "$m" || echo "$m"; done
    # libbigwig-dev ships no pkg-config file: look for its header.
    [ -f /usr/include/bigWig.h ] || echo "libbigwig"
}

if [ -z "$(missing_modules)" ]; then
    exit 0
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
echo "install-deps: installing ${missing[*]}" >&2

if [ "$(id -u)" -eq 0 ]; then
    apt_get=(apt-get)
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    apt_get=(sudo apt-get)
else
    echo "install-deps: missing Debian packages: ${missing[*]}" >&2
    echo "install-deps: run as root, or: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
"${apt_get[@]}" update -qq
"${apt_get[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

still=$(missing_modules)
if [ -n "$still" ]; then
    echo "install-deps: still not found by pkg-config after installing: $still" >&2
    exit 1
fi
