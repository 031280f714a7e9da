#!/usr/bin/env bash
# Renders a `fusionai report` page in headless Chromium (Debian package `chromium`) to a PNG and
# checks it: the page logs no console messages (no script errors); after its script has run the DOM
# holds the fusions table and every figure the file holds; and the table works: a click on the score header
# sorts the rows by score (descending, then ascending on a second click) and typing into the filter
# box hides exactly the rows that do not contain the text. The interaction runs in a copy of the
# page with a test script appended, so the report itself stays as written.
# Usage: scripts/check-report.sh report.html [report.png]
set -euo pipefail
page=$(realpath "$1")
png=${2:-${page%.html}.png}
command -v chromium >/dev/null || { echo "needs chromium (Debian: apt-get install chromium)" >&2; exit 2; }
flags=(--headless --no-sandbox --disable-gpu --enable-logging=stderr --v=0)
log=$(mktemp)
probe=$(mktemp --suffix=.html)
trap 'rm -f "$log" "$probe"' EXIT
chromium "${flags[@]}" --window-size=1300,2400 --screenshot="$png" "file://$page" 2>"$log" >/dev/null
dom=$(chromium "${flags[@]}" --dump-dom "file://$page" 2>>"$log")
if grep -q ':CONSOLE' "$log"; then
    echo "$1: the page logged to the console:" >&2
    grep ':CONSOLE' "$log" >&2
    exit 1
fi
grep -q '<table id="t0">' <<<"$dom" || { echo "$1: no fusions table in the rendered page" >&2; exit 1; }
# Every inline figure of the file is in the rendered DOM (a report without explain or features
# output has none).
written=$(grep -o '<svg' "$page" | wc -l || true)
figures=$(grep -o '<svg' <<<"$dom" | wc -l || true)
[ "$figures" -eq "$written" ] || { echo "$1: $written figure(s) in the file, $figures in the rendered page" >&2; exit 1; }
[ -s "$png" ] || { echo "$1: Chromium wrote no screenshot" >&2; exit 1; }

# Interaction: the probe writes PASS or FAIL: why into <pre id="probe">.
sed 's|</body></html>||' "$page" > "$probe"
cat >> "$probe" <<'JS'
<script>
(function(){
const out=document.createElement('pre');out.id='probe';document.body.appendChild(out);
try{
  const t=document.getElementById('t0'),heads=[...t.tHead.rows[0].cells];
  const c=heads.findIndex(h=>h.textContent==='fusion_positive_prob');
  if(c<0)throw 'no fusion_positive_prob column';
  const rows=()=>[...t.tBodies[0].rows],score=r=>parseFloat(r.cells[c].textContent);
  const n=rows().length;
  heads[c].click();
  const down=rows().map(score);
  if(down.some((v,i)=>i>0&&v>down[i-1]))throw 'first click did not sort descending: '+down.slice(0,5);
  heads[c].click();
  const up=rows().map(score);
  if(up.some((v,i)=>i>0&&v<up[i-1]))throw 'second click did not sort ascending: '+up.slice(0,5);
  if(rows().length!==n)throw 'sorting lost rows';
  const word=rows()[0].cells[1].textContent,box=document.querySelector('input[oninput*="t0"]');
  box.value=word;box.dispatchEvent(new Event('input'));
  const shown=rows().filter(r=>r.style.display!=='none');
  if(shown.length<1||shown.some(r=>!r.textContent.toLowerCase().includes(word.toLowerCase())))throw 'filter kept a row without '+word;
  if(rows().some(r=>r.style.display==='none'&&r.textContent.toLowerCase().includes(word.toLowerCase())))throw 'filter hid a row with '+word;
  out.textContent='PASS '+n+' rows, '+shown.length+' match '+word;
}catch(e){out.textContent='FAIL: '+e}
})();
</script>
</body></html>
JS
result=$(chromium "${flags[@]}" --dump-dom "file://$probe" 2>/dev/null | grep -o '<pre id="probe">[^<]*' | sed 's/<pre id="probe">//')
[[ "$result" == PASS* ]] || { echo "$1: table interaction failed: ${result:-the probe did not run}" >&2; exit 1; }
echo "$1: rendered to $png; fusions table and $figures figure(s), no console messages; sort and filter work ($result)"
