#!/usr/bin/env bash
# ocr_gt.sh: accuracy on the real scans with ground truth in ../shared/corpus/ocr_gt
# (phototest and its rotations, the UNLV page, viet.tif, HelloGoogle), sohoa against
# ocrmypdf --deskew --rotate-pages --clean on the same pages, same languages, same run.
# CER/WER of the text pdftotext extracts from each tool's PDF.
#
#   bench/ocr_gt.sh [--corpus DIR] [--lang L]
set -euo pipefail
cd "$(dirname "$0")/.."
C=../shared/corpus lang=vie+eng
while [ $# -gt 0 ]; do
  case $1 in
    --corpus) C=$2; shift ;;
    --lang) lang=$2; shift ;;
    *) echo "usage: $0 [--corpus DIR] [--lang L]" >&2; exit 1 ;;
  esac
  shift
done
G=$C/ocr_gt/tesseract
[ -d "$G" ] || { echo "bench: no corpus at $G" >&2; exit 1; }
for t in ocrmypdf img2pdf pdftotext; do command -v $t >/dev/null || { echo "bench: $t missing" >&2; exit 1; }; done
. bench/lib.sh
W=$(mktemp -d "${TMPDIR:-/tmp}/sohoa-gt.XXXXXX")
trap 'rm -rf "$W"' EXIT

# page  truth-file  (inline truths come from tesseract's own unit tests)
printf 'tiếng\n' >"$W/viet.txt"
printf 'Hello Google\n' >"$W/hello.txt"
pages=(
  "phototest.tif $G/phototest.txt"
  "phototest-rotated-180.png $G/phototest.txt"
  "phototest-rotated-L.png $G/phototest.txt"
  "phototest-rotated-R.png $G/phototest.txt"
  "phototestrot.tif $G/phototest.txt"
  "8071_093.3B.tif $G/8071_093.3B.txt"
  "viet.tif $W/viet.txt"
  "HelloGoogle.tif $W/hello.txt"
)
printf '%-28s %16s %16s\n' page "sohoa CER%" "ocrmypdf-fix CER%"
tot_c=0; tot_s=0; tot_o=0
for entry in "${pages[@]}"; do
  read -r img truth <<<"$entry"
  [ -f "$G/$img" ] || continue
  "$B/sohoa" run --quiet --no-sign --lang "$lang" --archive "$W/a" "$G/$img"
  pdf=$W/a/$(sqlite3 "$W/a/catalog.sqlite" "SELECT pdf FROM dossiers WHERE source = '$G/$img'")
  pdftotext -q "$pdf" "$W/s.txt"
  img2pdf "$G/$img" -o "$W/in.pdf" 2>/dev/null || { echo "img2pdf failed on $img" >&2; continue; }
  ocrmypdf -q -l "$lang" --deskew --rotate-pages --clean "$W/in.pdf" "$W/o.pdf" 2>/dev/null || cp "$W/in.pdf" "$W/o.pdf"
  pdftotext -q "$W/o.pdf" "$W/o.txt"
  read -r c se _ < <("$B/sohoa-cer" "$truth" "$W/s.txt")
  read -r _ oe _ < <("$B/sohoa-cer" "$truth" "$W/o.txt")
  printf '%-28s %16.2f %16.2f\n' "$img" "$(echo "100 * $se / $c" | bc -l)" "$(echo "100 * $oe / $c" | bc -l)"
  tot_c=$((tot_c + c)); tot_s=$((tot_s + se)); tot_o=$((tot_o + oe))
done
printf '%-28s %16.2f %16.2f\n' "all (micro-average)" "$(echo "100 * $tot_s / $tot_c" | bc -l)" "$(echo "100 * $tot_o / $tot_c" | bc -l)"
