#!/usr/bin/env bash
# The lint gate `make test` runs: swift-format (the root .swift-format: 4-space indent, 120 columns)
# in strict mode, and no line over 120 characters, which swift-format cannot enforce inside strings.
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
paths=(Package.swift Sources Tests benchmarks/convolution benchmarks/profile fuzz)
"$SWIFT" format lint --strict --parallel -r "${paths[@]}"
long=$(grep -rn --include='*.swift' '.\{121,\}' "${paths[@]}" || true)
if [[ -n "$long" ]]; then
    echo "$long" | cut -c1-160 >&2
    echo "lint: $(echo "$long" | wc -l) line(s) over 120 characters (split them; swift format cannot split strings)" >&2
    exit 1
fi
echo "lint: swift format clean, no line over 120 characters"
