#!/usr/bin/env bash
# Lays SVG figures out in headless Chromium (Debian package `chromium`) and checks their text as a
# reader would see it: every text element lies inside its figure (none cut at an edge) and no two
# overlap. Chromium's boxes run the font's full height, so lines set closer than that (rows of
# labels) touch by design: two boxes overlap when they share more than a quarter of the smaller
# one's height and more than a pixel of width. Letters drawn as shapes (class "glyph": sequence
# logos, attribution letters) stack and touch by design and are left out.
# Usage: scripts/check-figure.sh FIGURE.svg|REPORT.html ...
set -euo pipefail
command -v chromium >/dev/null || { echo "needs chromium (Debian: apt-get install chromium)" >&2; exit 2; }
probe=$(mktemp --suffix=.html)
trap 'rm -f "$probe"' EXIT
status=0
for figure in "$@"; do
    # An SVG file is put in a page; a page (a report) is checked with every figure it holds.
    { if [[ "$figure" == *.html ]]; then sed 's|</body></html>||' "$figure"
      else echo '<!DOCTYPE html><html><body style="margin:0">'; cat "$figure"; fi
      cat <<'JS'
<script>
(function(){
const out=document.createElement('pre');out.id='probe';
const problems=[];let count=0;
const figures=[...document.querySelectorAll('svg')];
figures.forEach((svg,f)=>{
  const frame=svg.getBoundingClientRect(),where=figures.length>1?'figure '+(f+1)+': ':'';
  const texts=[...svg.querySelectorAll('text:not(.glyph)')].map(t=>({s:t.textContent,r:t.getBoundingClientRect()}));
  count+=texts.length;
  for(const t of texts){
    const r=t.r;
    if(r.left<frame.left-0.5||r.top<frame.top-0.5||r.right>frame.right+0.5||r.bottom>frame.bottom+0.5)
      problems.push(where+'"'+t.s+'" runs outside the figure');
  }
  for(let i=0;i<texts.length;i++)for(let j=i+1;j<texts.length;j++){
    const a=texts[i].r,b=texts[j].r;
    const w=Math.min(a.right,b.right)-Math.max(a.left,b.left),h=Math.min(a.bottom,b.bottom)-Math.max(a.top,b.top);
    if(w>1&&h>0.25*Math.min(a.height,b.height))problems.push(where+'"'+texts[i].s+'" overlaps "'+texts[j].s+'"');
  }
});
document.body.appendChild(out);
const passed='PASS '+count+' texts in '+figures.length+' figure(s)';
out.textContent=problems.length?'FAIL: '+problems.slice(0,5).join('; '):passed;
})();
</script></body></html>
JS
    } >"$probe"
    result=$(chromium --headless --no-sandbox --disable-gpu --dump-dom "file://$probe" 2>/dev/null |
        grep -o '<pre id="probe">[^<]*' | sed 's/<pre id="probe">//')
    if [[ "$result" == PASS* ]]; then
        echo "$figure: ${result#PASS }, all inside their figure, none overlapping"
    else
        echo "$figure: ${result:-the probe did not run}" >&2
        status=1
    fi
done
exit $status
