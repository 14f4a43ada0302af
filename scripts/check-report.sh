#!/usr/bin/env bash
# Checks every report.html under a result folder as users see it, in headless Chromium:
#  - printed to PDF on A4 (the report's print stylesheet), the page count is within bounds;
#  - laid out with its print rules at the width of an A4 page's printable area (182 mm = 688 px),
#    nothing is wider than the page (an injected script measures every element, on a copy).
# Usage: scripts/check-report.sh RESULT_DIR [MAX_PAGES=12]
# Needs chromium and pdfinfo (Debian: chromium, poppler-utils). Exit 1 on any problem.
set -euo pipefail
dir=${1:?usage: scripts/check-report.sh RESULT_DIR [MAX_PAGES]}
max_pages=${2:-12}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "check-report: chromium not found" >&2; exit 2; }
command -v pdfinfo >/dev/null || { echo "check-report: pdfinfo (poppler-utils) not found" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chrome=("$browser" --headless --no-sandbox --disable-gpu --no-first-run --disable-extensions
        --user-data-dir="$work/profile")
status=0
while IFS= read -r page; do
    pdf="$work/page.pdf"
    timeout 120 "${chrome[@]}" --no-pdf-header-footer --print-to-pdf="$pdf" "file://$(realpath "$page")" >/dev/null 2>&1 || true
    pages=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
    if [ -z "$pages" ] || [ "$pages" -lt 1 ] || [ "$pages" -gt "$max_pages" ]; then
        echo "FAIL $page: ${pages:-no} PDF pages (allowed 1..$max_pages)"; status=1
    fi
    # Overflow: a copy with a script that lists the elements reaching past the viewport.
    probe="$(dirname "$page")/.check-report-probe.html"
    { cat "$page"; cat <<'JS'
<script>
// Lay the page out as printed: the print stylesheet's rules applied on screen.
for (var i = 0; i < document.styleSheets.length; i++) {
  var sheet = document.styleSheets[i], rules = Array.prototype.slice.call(sheet.cssRules);
  rules.forEach(function (rule) {
    if (rule.media && rule.media.mediaText.indexOf("print") >= 0) {
      Array.prototype.forEach.call(rule.cssRules, function (r) { sheet.insertRule(r.cssText, sheet.cssRules.length); });
    }
  });
}
var w = document.documentElement.clientWidth, bad = [];
document.querySelectorAll("body *").forEach(function (e) {
  var r = e.getBoundingClientRect();
  if (r.right > w + 1) { bad.push(e.tagName + "(" + (e.textContent || "").trim().slice(0, 24).replace(/"/g, "") + ")"); }
});
document.body.setAttribute("data-overflow", bad.length + ":" + bad.slice(0, 5).join(","));
</script>
JS
    } > "$probe"
    overflow=$(timeout 120 "${chrome[@]}" --window-size=688,1000 --dump-dom "file://$(realpath "$probe")" 2>/dev/null \
        | grep -o 'data-overflow="[^"]*"' | head -1 || true)
    rm -f "$probe"
    case "$overflow" in
        'data-overflow="0:"') echo "ok   $page: $pages A4 page(s), nothing wider than the page" ;;
        *) echo "FAIL $page: overflow at A4 width (${overflow:-no result})"; status=1 ;;
    esac
done < <(find "$dir" -name report.html | sort)
exit $status
