#!/usr/bin/env bash
# deskew_image: --deskew-image archives a skewed page straightened (an access copy): the
# PDF's raster is level (a second run over the rendered page finds no skew to speak of), a
# bilevel scan stays bilevel (G4) and a gray one becomes JPEG, the catalog says so, the text
# layer lies on the straightened words, and a level page keeps its scan untouched. Without
# the option the raster is the scan, byte for byte.
. "$(dirname "$0")/lib.sh"
need pdftotext pdfimages pdftoppm qpdf sqlite3

gen --seed 22 --dossiers 2 --pages 1 --kinds lzw-gray,g4 --dpi 300 --skew 2.5 --noise "$T/skewed"
gen --seed 21 --dossiers 1 --pages 1 --kinds g4 --dpi 300 "$T/level"
A=$T/archive
"$SOHOA" run --quiet --no-sign --deskew-image --archive "$A" "$T"/skewed/D*.tif "$T/level/D0001.tif" \
  2>"$T/err" || fail "run --deskew-image: $(cat "$T/err")"
pdf_of() { echo "$A/$(sqlite3 "$A/catalog.sqlite" "SELECT pdf FROM dossiers WHERE source = '$1'")"; }
codec_of() { sqlite3 "$A/catalog.sqlite" "SELECT codec FROM pages p JOIN dossiers d ON d.id = p.dossier_id WHERE d.source = '$1'"; }

# 1. The kinds: a gray scan becomes JPEG, a bilevel one stays G4; the catalog says which.
for d in D0001 D0002; do
  src=$T/skewed/$d.tif
  kind=$(awk -F'\t' -v d=$d '$1 == d {print $5}' "$T/skewed/manifest.tsv")
  want=jpeg; [ "$kind" = g4 ] && want=ccitt
  enc=$(pdfimages -list "$(pdf_of "$src")" | awk 'NR == 3 {print $9}')
  expect_eq "$d ($kind) archived as" "$enc" "$want"
  expect_eq "$d catalog codec" "$(codec_of "$src")" "straightened: $([ $want = ccitt ] && echo ccitt-g4 || echo jpeg)"
  qpdf_ok "$(pdf_of "$src")"
done

# 2. Level now: each page rendered at 300 dpi and run again is found skewed under 0.3
#    degrees, where the scans were 1-2.5 degrees off.
mkdir -p "$T/rendered"
for d in D0001 D0002; do
  pdftoppm -r 300 -gray -tiff "$(pdf_of "$T/skewed/$d.tif")" "$T/rendered/$d"
done
"$SOHOA" run --quiet --no-sign --archive "$T/again" "$T"/rendered/*.tif 2>"$T/err" ||
  fail "second run: $(cat "$T/err")"
sqlite3 "$T/again/catalog.sqlite" "SELECT source_file, skew_deg FROM pages" >"$T/skews"
[ "$(wc -l <"$T/skews")" = 2 ] || fail "the second run did not see both pages: $(cat "$T/skews")"; ok
awk -F'|' '{ s = $2 < 0 ? -$2 : $2; if (s >= 0.3) { print; bad = 1 } } END { exit bad }' "$T/skews" ||
  fail "the archived rasters are still skewed: $(cat "$T/skews")"; ok
sqlite3 "$A/catalog.sqlite" "SELECT skew_deg FROM pages WHERE codec LIKE 'straightened%'" |
  awk '{ s = $1 < 0 ? -$1 : $1; if (s < 1) bad = 1 } END { exit bad }' ||
  fail "the catalog lost the skew the scans had"; ok

# 3. The text layer lies on the straightened words: every word pdftotext places is inside
#    the box the catalog recorded for it (on the archived raster now), within 3 pt.
for d in D0001 D0002; do
  src=$T/skewed/$d.tif
  pdftotext -bbox "$(pdf_of "$src")" - |
    sed -n 's/.*xMin="\([0-9.]*\)" yMin="\([0-9.]*\)" xMax="\([0-9.]*\)" yMax="\([0-9.]*\)">\(.*\)<\/word>/\5\t\1\t\2\t\3\t\4/p' >"$T/bbox.tsv"
  sqlite3 "$A/catalog.sqlite" "SELECT words FROM pages p JOIN dossiers d ON d.id = p.dossier_id
    WHERE d.source = '$src'" | grep -v '^$' >"$T/words.tsv"
  awk -F'\t' '
    NR == FNR { if (NF >= 6) { n[$1]++; box[$1, n[$1]] = $3 " " $4 " " $5 " " $6 } next }
    { cx = ($2 + $4) / 2; cy = ($3 + $5) / 2; k = 72 / 300; words++; found = 0
      for (i = 1; i <= n[$1]; i++) {
        split(box[$1, i], b, " ")
        if (cx >= b[1] * k - 3 && cx <= b[3] * k + 3 && cy >= b[2] * k - 3 && cy <= b[4] * k + 3) found = 1
      }
      if (!found) off++ }
    END { printf "%d words, %d off their boxes\n", words, off; exit (words < 100 || off > words / 50) }' \
    "$T/words.tsv" "$T/bbox.tsv" >"$T/align" || fail "$d: words are not on the straightened raster: $(cat "$T/align")"
  ok
done

# 4. A level page keeps its scan: the G4 strip passes through (no "straightened" codec).
expect_eq "level page codec" "$(codec_of "$T/level/D0001.tif")" "tiff/ccitt-g4"

# 5. Without the option the raster is the scan, and --no-ocr with it is refused.
"$SOHOA" run --quiet --no-sign --archive "$T/plain" "$T/skewed/D0002.tif" 2>"$T/err" ||
  fail "plain run: $(cat "$T/err")"
expect_eq "plain run codec" "$(sqlite3 "$T/plain/catalog.sqlite" "SELECT codec FROM pages")" "tiff/ccitt-g4"
if "$SOHOA" run --no-ocr --deskew-image --archive "$T/x" "$T/level/D0001.tif" 2>"$T/err"; then
  fail "--deskew-image with --no-ocr was accepted"
fi
grep -q -- "--deskew-image needs recognition" "$T/err" || fail "unclear refusal: $(cat "$T/err")"; ok
done_ok
