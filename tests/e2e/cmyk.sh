#!/usr/bin/env bash
# cmyk: CMYK scans (an Adobe CMYK JPEG, 8- and 16-bit CMYK TIFFs) are archived as RGB, since
# the archive's PDF/A-2b files carry an sRGB output intent, under which DeviceCMYK is not
# allowed: no DeviceCMYK anywhere, pdfimages says rgb, and rendered with poppler each
# colour patch shows what poppler showed for the same CMYK ink (cyan, magenta, black, 50 %
# black, yellow, paper) within a few levels; the inverted Adobe samples are read as such
# (paper stays white). With OCR on as well. A JPEG-in-TIFF whose tags say RGB over a CMYK
# stream is refused with the reason, not passed through. The corpus's CMYK files too, when
# it is there.
. "$(dirname "$0")/lib.sh"
need pdfimages pdftoppm qpdf sqlite3
: "${SOHOA_TESTIMG:?SOHOA_TESTIMG must name the test image tool}"

"$SOHOA_TESTIMG" cmyk-jpeg "$T/adobe.jpg"
"$SOHOA_TESTIMG" cmyk-tiff "$T/cmyk8.tif"
"$SOHOA_TESTIMG" cmyk-tiff "$T/cmyk16.tif" 16

# archived_rgb PDF: every image RGB, no CMYK colour space, a valid file
archived_rgb() {
  local colours
  colours=$(pdfimages -list "$1" | awk 'NR > 2 { print $6 }' | sort -u | tr '\n' ' ')
  expect_eq "$1: image colour spaces" "$colours" "rgb "
  ! grep -qa DeviceCMYK "$1" || fail "$1 has a DeviceCMYK colour space"; ok
  grep -qa '/OutputIntents' "$1" || fail "$1 has no output intent"; ok
  qpdf_ok "$1"
}

# near "R G B" "R G B" TOL: each channel within TOL
near() {
  local a b
  read -ra a <<<"$1"
  read -ra b <<<"$2"
  for i in 0 1 2; do
    [ "${a[i]}" -ge $((b[i] - $3)) ] && [ "${a[i]}" -le $((b[i] + $3)) ] || return 1
  done
}

# patches PDF TOL: page 1 at 100 dpi (the 200-dpi page at half size): the patches' centres
patches() {
  pdftoppm -r 100 -f 1 -l 1 "$1" "$T/r"
  local ppm xy got want
  ppm=$(ls "$T"/r*.ppm | head -1)
  while read -r x y want; do
    got=$("$SOHOA_TESTIMG" at "$ppm" "$x" "$y")
    near "$got" "$want" "$2" || fail "$1: at $x,$y got '$got', want '$want' (within $2)"
    ok
  done <<'EOF'
75 75 0 173 239
200 75 236 0 140
325 75 35 31 32
75 225 145 143 143
200 225 255 242 0
375 275 255 255 255
10 10 255 255 255
EOF
  rm -f "$T"/r*.ppm
}

for ocr in --no-ocr ""; do
  rm -rf "$T/a"
  # shellcheck disable=SC2086
  "$SOHOA" run $ocr --quiet --archive "$T/a" "$T/adobe.jpg" "$T/cmyk8.tif" "$T/cmyk16.tif" ||
    fail "run ${ocr:-with OCR} exited $?"
  for src in adobe.jpg cmyk8.tif cmyk16.tif; do
    pdf=$T/a/$(sqlite3 "$T/a/catalog.sqlite" "SELECT pdf FROM dossiers WHERE source LIKE '%/$src'")
    [ -f "$pdf" ] || fail "$src: no PDF in the archive"; ok
    archived_rgb "$pdf"
    tol=2
    [ "$src" = adobe.jpg ] && tol=8 # coded again as JPEG
    patches "$pdf" $tol
  done
  q="SELECT codec || ' ' || encoding || ' ' || colorspace FROM pages
     JOIN dossiers ON dossiers.id = pages.dossier_id WHERE source LIKE '%adobe.jpg'"
  expect_eq "the CMYK JPEG's page, in the catalog" "$(sqlite3 "$T/a/catalog.sqlite" "$q")" \
    "jpeg: cmyk, archived as rgb dct rgb"
done

# a CMYK JPEG in a TIFF whose tags say 3-sample RGB: its JPEG is not passed through as RGB
"$SOHOA_TESTIMG" cmyk-in-rgb-tiff "$T/adobe.jpg" "$T/lie.tif"
set +e
"$SOHOA" run --no-ocr --quiet --archive "$T/l" "$T/lie.tif" 2>"$T/err"
rc=$?
set -e
expect_eq "a CMYK stream under RGB tags: exit status" "$rc" 2
grep -q "lie\.tif.*component count" "$T/err" || fail "no reason for lie.tif: $(cat "$T/err")"
ok
expect_eq "PDFs archived for it" "$(find "$T/l" -name '*.pdf' | wc -l)" 0

# the corpus's CMYK files (OCRmyPDF's and Pillow's, libtiff's separated flowers)
C=${SOHOA_CORPUS:-}
if [ -n "$C" ] && [ -d "$C/tiff" ]; then
  files=()
  for f in scans/ocrmypdf/baiona_cmyk.jpg tiff/pillow/tiff_strip_cmyk_jpeg.tif \
    tiff/pillow/tiff_tiled_cmyk_jpeg.tif tiff/pillow/tiff_strip_cmyk_16l_jpeg.tif \
    tiff/libtiffpic/flower-separated-contig-8.tif tiff/libtiffpic/flower-separated-planar-8.tif; do
    [ -f "$C/$f" ] && files+=("$C/$f")
  done
  rm -rf "$T/c"
  "$SOHOA" run --no-ocr --quiet --archive "$T/c" "${files[@]}" ||
    fail "the corpus's CMYK files: exit $?"
  q="SELECT count(*) FROM dossiers WHERE status = 'archived'"
  expect_eq "the corpus's CMYK files archived" "$(sqlite3 "$T/c/catalog.sqlite" "$q")" \
    "${#files[@]}"
  for pdf in $(find "$T/c/pdf" -name '*.pdf'); do archived_rgb "$pdf"; done
else
  echo "(no shared corpus at '${C:-unset}': its CMYK files are not tried)"
fi
done_ok
