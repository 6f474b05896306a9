#!/usr/bin/env bash
# ocr_dpi.sh: the resolution recognition runs at, against the size of the print. For each
# body text size, the same generated 300-dpi pages are read at 150 dpi, at 200 dpi and as
# --ocr-dpi auto chooses per page; prints the CER of what pdftotext extracts, the CPU of
# recognition and of cleaning, and the resolutions auto chose.
#
#   bench/ocr_dpi.sh [--pages N] [--sizes "8 10 12 14"] [--settings "150 200 auto"]
# Needs: a release build (made here in build-bench/), pdftotext, sqlite3.
set -euo pipefail
cd "$(dirname "$0")/.."

pages=20 sizes="8 10 12 14" settings="150 200 auto"
while [ $# -gt 0 ]; do
  case $1 in
    --pages) pages=$2; shift ;;
    --sizes) sizes=$2; shift ;;
    --settings) settings=$2; shift ;;
    *) echo "usage: $0 [--pages N] [--sizes \"8 10 12 14\"] [--settings \"150 200 auto\"]" >&2; exit 1 ;;
  esac
  shift
done
for t in pdftotext pdfinfo sqlite3; do
  command -v "$t" >/dev/null || { echo "bench: $t is not installed" >&2; exit 1; }
done
. bench/lib.sh
W=$(mktemp -d "${TMPDIR:-/tmp}/sohoa-dpibench.XXXXXX")
trap 'rm -rf "$W"' EXIT

# CER over every text page of a run: errors and characters summed, then divided
cer_of() { # IN ARCHIVE
  local chars=0 errs=0 src pdf d np i t c e
  while IFS='|' read -r src pdf; do
    d=$(basename "$src" .tif)
    np=$(pdfinfo "$2/$pdf" | awk '/^Pages:/ {print $2}')
    for ((i = 1; i <= np; i++)); do
      t=$(printf '%s/truth/%s_p%03d.txt' "$1" "$d" $i)
      [ -s "$t" ] || continue
      pdftotext -q -f $i -l $i "$2/$pdf" "$W/hyp.txt"
      read -r c e _ < <("$CER" "$t" "$W/hyp.txt")
      chars=$((chars + c)) errs=$((errs + e))
    done
  done < <(sqlite3 "$2/catalog.sqlite" "SELECT source, pdf FROM dossiers")
  awk -v e=$errs -v c=$chars 'BEGIN { printf "%.2f", c ? 100 * e / c : 0 }'
}

printf '%-8s %-9s %7s %10s %12s  %s\n' "body pt" "--ocr-dpi" "CER %" "OCR CPU s" "clean CPU s" "pages read at (dpi)"
for pt in $sizes; do
  per=5
  "$GEN" --seed "30$pt" --dossiers $(((pages + per - 1) / per)) --pages $per --kinds mixed \
    --dpi 300 --skew 2 --noise --body-pt "$pt" "$W/in$pt" >/dev/null
  for s in $settings; do
    A=$W/a$pt-$s
    "$SOHOA" run --json --no-sign --quiet --ocr-dpi "$s" --archive "$A" "$W/in$pt"/D*.tif >"$W/json"
    ocr=$(tail -1 "$W/json" | grep -o '"ocr":[0-9.]*' | cut -d: -f2)
    clean=$(tail -1 "$W/json" | grep -o '"clean":[0-9.]*' | cut -d: -f2)
    used=$(grep -o '"ocr_dpi":\[[0-9,]*\]' "$W/json" | grep -o '[0-9]\+' | grep -v '^0$' |
      sort -n | uniq -c | awk '{printf "%s at %s, ", $1, $2}' | sed 's/, $//')
    printf '%-8s %-9s %7s %10.2f %12.2f  %s\n' "$pt" "$s" "$(cer_of "$W/in$pt" "$A")" "$ocr" "$clean" "$used"
  done
done
echo "($pages pages per size, 300 dpi, mixed kinds, skew up to 2 degrees, noise; CPU of all workers)"
