#!/usr/bin/env bash
# run_basic: the spine end to end on generated dossiers of every kind: one PDF per dossier,
# pages in order at 100 % scale, images kept as coded (CCITT/DCT) or lossless (Flate),
# checked with qpdf, pdfinfo, pdfimages and sqlite3; a second run adds nothing.
. "$(dirname "$0")/lib.sh"
need qpdf pdfinfo pdfimages sqlite3

gen --seed 7 --dossiers 4 --pages 3 --kinds g4,lzw-gray,jpeg-gray,jpeg-rgb --dpi mixed "$T/in"
A=$T/archive
"$SOHOA" run --no-ocr --archive "$A" --json "$T"/in/D*.tif >"$T/run.json" 2>"$T/run.err" ||
  fail "sohoa run exited $?: $(cat "$T/run.err")"
expect_eq "archived dossiers" "$(grep -c '"status":"archived"' "$T/run.json")" 4
grep -q '"type":"summary".*"archived":4.*"pages":12' "$T/run.json" || fail "summary: $(tail -1 "$T/run.json")"; ok

"$SOHOA" list --archive "$A" --json >"$T/list.json"
expect_eq "listed dossiers" "$(wc -l <"$T/list.json")" 4

# Each dossier: its PDF, its page count, its encoding, its page size from its dpi.
while IFS=$'\t' read -r dossier page file dpi kind skew rot blank w h; do
  [ "$dossier" = dossier ] && continue
  [ "$page" = 1 ] || continue
  src="$T/in/$file"
  pdf=$(grep -F "\"source\":\"$src\"" "$T/list.json" | sed 's/.*"pdf":"\([^"]*\)".*/\1/')
  [ -n "$pdf" ] || fail "$src is not in the list"
  qpdf_ok "$A/$pdf"
  expect_eq "$file pages" "$(pdf_pages "$A/$pdf")" 3
  case $kind in
    g4) want=ccitt ;;
    jpeg-*) want=jpeg ;;
    *) want=image ;;   # Flate: pdfimages calls it "image"
  esac
  pdfimages -list "$A/$pdf" | awk 'NR > 2 {print $9}' | sort -u >"$T/enc"
  expect_eq "$file encoding" "$(cat "$T/enc")" "$want"
  # 100 % scale: the image's resolution in the PDF is the scan's
  pdfimages -list "$A/$pdf" | awk 'NR > 2 {print $13}' | sort -u >"$T/ppi"
  expect_eq "$file x-ppi" "$(cat "$T/ppi")" "$dpi"
  # A4 at any dpi: 595 x 842 pt
  size=$(pdfinfo "$A/$pdf" | awk '/^Page size:/ {printf "%.0fx%.0f", $3, $5}')
  expect_eq "$file page size" "$size" "595x842"
done <"$T/in/manifest.tsv"

no_temps "$A"
catalog_matches_disk "$A"
expect_eq "catalog pages" "$(sqlite3 "$A/catalog.sqlite" 'SELECT count(*) FROM pages')" 12

# Again: nothing new.
before=$(find "$A" -type f -name '*.pdf' | sort | sha256sum)
"$SOHOA" run --no-ocr --archive "$A" "$T"/in/D*.tif 2>"$T/run2.err" || fail "second run exited $?"
grep -q "4 already archived" "$T/run2.err" || fail "second run: $(cat "$T/run2.err")"; ok
expect_eq "files after re-run" "$(find "$A" -type f -name '*.pdf' | sort | sha256sum)" "$before"
expect_eq "dossiers after re-run" "$(sqlite3 "$A/catalog.sqlite" 'SELECT count(*) FROM dossiers')" 4
done_ok
