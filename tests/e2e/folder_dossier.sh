#!/usr/bin/env bash
# folder_dossier: a folder of page images is one dossier in natural order (p2 before p10);
# a lone JPEG passes into the PDF byte for byte; a lone PNG is a one-page dossier.
. "$(dirname "$0")/lib.sh"
need qpdf pdfimages pdfinfo

gen --seed 11 --dossiers 1 --pages 2 --kinds lzw-gray --dpi 200 --single-page "$T/g200"
gen --seed 12 --dossiers 1 --pages 1 --kinds jpeg-rgb --dpi 300 --single-page "$T/g300"
mkdir -p "$T/folder"
p200=$(ls "$T"/g200/*.tif | head -1)
p200b=$(ls "$T"/g200/*.tif | tail -1)
p300=$(ls "$T"/g300/*.tif | head -1)
cp "$p200" "$T/folder/p1.tif"
cp "$p300" "$T/folder/p2.tif"
cp "$p200b" "$T/folder/p10.tif"
echo '{"note": "not a page"}' >"$T/folder/meta.json"

A=$T/archive
"$SOHOA" run --no-ocr --archive "$A" "$T/folder" 2>"$T/err" || fail "run: $(cat "$T/err")"
pdf=$A/$(sqlite3 "$A/catalog.sqlite" "SELECT pdf FROM dossiers")
qpdf_ok "$pdf"
expect_eq "pages" "$(pdf_pages "$pdf")" 3
# natural order: p1 (200 dpi), p2 (300 dpi), p10 (200 dpi)
expect_eq "page widths in order" "$(pdfimages -list "$pdf" | awk 'NR > 2 {printf "%s ", $4}')" "1654 2480 1654 "
expect_eq "source files in order" \
  "$(sqlite3 "$A/catalog.sqlite" "SELECT source_file FROM pages ORDER BY page" | xargs -n1 basename | tr '\n' ' ')" \
  "p1.tif p2.tif p10.tif "

# A JPEG file passes through untouched. The JPEG to try it with is the DCT stream of the
# JPEG-in-TIFF page above, as pdfimages extracts it.
pdfimages -j -f 2 -l 2 "$pdf" "$T/x"
jpg=$(ls "$T"/x-*.jpg | head -1)
[ -s "$jpg" ] || fail "no JPEG extracted from page 2"
cp "$jpg" "$T/lone.jpg"
"$SOHOA" run --no-ocr --archive "$A" "$T/lone.jpg" 2>"$T/err" || fail "run jpeg: $(cat "$T/err")"
pdf2=$A/$(sqlite3 "$A/catalog.sqlite" "SELECT pdf FROM dossiers WHERE source LIKE '%lone.jpg'")
qpdf_ok "$pdf2"
pdfimages -j "$pdf2" "$T/y"
cmp -s "$T/lone.jpg" "$T/y-000.jpg" || fail "the JPEG was not passed through byte for byte"; ok
# The JPEG has no resolution: 300 dpi assumed and said so.
grep -q "300 dpi assumed" "$T/err" || fail "no assumed-dpi warning: $(cat "$T/err")"; ok
done_ok
