#!/usr/bin/env bash
# corpus_tiff: every TIFF in ../shared/corpus converts or fails with a clear message; the
# malformed ones never crash or hang and never leave anything behind. Skips without corpus.
. "$(dirname "$0")/lib.sh"
need qpdf sqlite3
C=${SOHOA_CORPUS:-}
[ -n "$C" ] && [ -d "$C/tiff" ] || skip "no shared corpus at '${C:-unset}'"

A=$T/archive
mapfile -t files < <(find "$C/tiff" -type f \( -iname '*.tif' -o -iname '*.tiff' \) | sort)
set +e
timeout 300 "$SOHOA" run --no-ocr --archive "$A" --json "${files[@]}" >"$T/run.json" 2>"$T/err"
rc=$?
set -e
[ $rc = 0 ] || [ $rc = 2 ] || fail "run over corpus/tiff exited $rc: $(tail -5 "$T/err")"; ok
archived=$(grep -c '"status":"archived"' "$T/run.json" || true)
failed=$(grep -c '"status":"failed"' "$T/run.json" || true)
echo "corpus/tiff: ${#files[@]} files, $archived archived, $failed failed"
grep '"status":"failed"' "$T/run.json" | sed 's/.*"message":/  /' || true
# A failure must say why in words, naming the file.
grep '"status":"failed"' "$T/run.json" | while read -r line; do
  src=$(echo "$line" | sed 's/.*"source":"\([^"]*\)".*/\1/')
  echo "$line" | grep -qF "$(basename "$src")" || fail "a failure message does not name $src"
done
ok
[ "$archived" -ge $(( ${#files[@]} * 8 / 10 )) ] || fail "only $archived of ${#files[@]} converted"; ok
for pdf in $(find "$A/pdf" -name '*.pdf'); do qpdf_ok "$pdf"; done
catalog_matches_disk "$A"

# The eight TIFF orientations of one line of text all come out upright: shown upright
# (same page size) and read upright (the text layer says the same thing).
need pdftotext pdfinfo
O=$T/orient-archive
"$SOHOA" run --quiet --archive "$O" "$C"/tiff/pillow/g4_orientation_[1-8].tif || fail "orientation run"
for i in 1 2 3 4 5 6 7 8; do
  f=$C/tiff/pillow/g4_orientation_$i.tif
  pdf=$O/$(sqlite3 "$O/catalog.sqlite" "SELECT pdf FROM dossiers WHERE key='$(sha256sum "$f" | cut -d' ' -f1)'")
  echo "$(pdfinfo "$pdf" | awk '/^Page size/ {print $3 "x" $5}') $(pdftotext "$pdf" - | tr -s ' \n\f' ' ' | sed 's/ $//')"
done | sort -u >"$T/orient"
expect_eq "what the 8 orientations look like and say" "$(cat "$T/orient")" "442.5x66 This is a test file"

# Malformed files: no crash, no hang, nothing half-written.
M=$T/malformed
mapfile -t bad < <(find "$C/tiff_malformed" -type f | sort)
set +e
timeout 300 "$SOHOA" run --no-ocr --archive "$M" --json "${bad[@]}" >"$T/bad.json" 2>"$T/bad.err"
rc=$?
set -e
[ $rc = 0 ] || [ $rc = 2 ] || fail "run over tiff_malformed exited $rc: $(tail -5 "$T/bad.err")"; ok
echo "corpus/tiff_malformed: ${#bad[@]} files, $(grep -c '"status":"failed"' "$T/bad.json" || true) refused"
for pdf in $(find "$M/pdf" -name '*.pdf'); do qpdf_ok "$pdf"; done
no_temps "$M"
catalog_matches_disk "$M"
done_ok
