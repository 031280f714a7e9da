#!/usr/bin/env bash
# Renders a `fusionai report` page in headless Chromium (Debian package `chromium`) to a PNG and
# checks it: the page logs no console messages (no script errors), and after its script has run the
# DOM holds the fusions table and at least one figure.
# Usage: scripts/check-report.sh report.html [report.png]
set -euo pipefail
page=$(realpath "$1")
png=${2:-${page%.html}.png}
command -v chromium >/dev/null || { echo "needs chromium (Debian: apt-get install chromium)" >&2; exit 2; }
flags=(--headless --no-sandbox --disable-gpu --enable-logging=stderr --v=0)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
chromium "${flags[@]}" --window-size=1300,2400 --screenshot="$png" "file://$page" 2>"$log" >/dev/null
dom=$(chromium "${flags[@]}" --dump-dom "file://$page" 2>>"$log")
if grep -q ':CONSOLE' "$log"; then
    echo "$1: the page logged to the console:" >&2
    grep ':CONSOLE' "$log" >&2
    exit 1
fi
grep -q '<table id="t0">' <<<"$dom" || { echo "$1: no fusions table in the rendered page" >&2; exit 1; }
figures=$(grep -o '<svg' <<<"$dom" | wc -l)
[ "$figures" -ge 1 ] || { echo "$1: no figures in the rendered page" >&2; exit 1; }
[ -s "$png" ] || { echo "$1: Chromium wrote no screenshot" >&2; exit 1; }
echo "$1: rendered to $png; fusions table and $figures figure(s), no console messages"
