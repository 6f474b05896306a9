#!/usr/bin/env bash
# sign_stamps: the visible stamps (digitizer, agency, result, copy) and the TT 01/2023 QR
# code: each signed file valid for pdfsig/mutool/qpdf/sohoa verify; page 1 rendered with
# pdftoppm and compared with the unsigned page: the stamp is where its profile puts it,
# not blank, red where the seal is, blue where the signature is; the Vietnamese text is
# embedded and reads back ("Đ", "ễ"); three stamps stacked stay valid; a turned page
# (/Rotate 90) still gets its stamp at the top-left as displayed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_sign.sh"
need pdftoppm pdffonts
[ -x "${SOHOA_TESTIMG:-}" ] || skip "the test image helper (sohoa-testimg) was not built"

P=$T/pki
pki "$P"
make_pdfs "$T/pdf" 1
"$SOHOA_TESTIMG" seal "$T/seal.png"
"$SOHOA_TESTIMG" signature "$T/sig.png"
src=$T/pdf/p1.pdf
# 50 dpi: an A4 page is 413 x 585 px; 1 cm is ~20 px
pdftoppm -r 50 -f 1 -l 1 "$src" "$T/base"

# stamp PROFILE EXPECT... : sign a copy with PROFILE; check the region that changed
#   EXPECT: left|right (x), top|bottom (y), red, blue
stamp() {
  local prof=$1 out=$T/st-$1.pdf
  shift
  cp "$src" "$out"
  "$SOHOA" sign --quiet --key "$P/rsa.key" --cert "$P/rsa.pem" --chain "$P/ca.pem" \
    --profile "$prof" --agency "UBND xã Đồng Kỵ" --title "CHỦ TỊCH" --seal "$T/seal.png" \
    --signature-image "$T/sig.png" "$out" || fail "$prof: sign exited $?"
  signed_ok "$out" 1
  pdftoppm -r 50 -f 1 -l 1 "$out" "$T/r-$prof"
  read -r n x0 y0 x1 y1 _ red _ blue <<<"$("$SOHOA_TESTIMG" diff "$T/base-1.ppm" "$T/r-$prof-1.ppm")"
  [ "$n" -gt 150 ] || fail "$prof: the stamp is blank ($n pixels changed)"
  for e in "$@"; do
    case $e in
      left) [ "$x1" -lt 207 ] || fail "$prof: not on the left half (x $x0..$x1)" ;;
      right) [ "$x0" -gt 207 ] || fail "$prof: not on the right half (x $x0..$x1)" ;;
      top) [ "$y1" -lt 146 ] || fail "$prof: not in the top quarter (y $y0..$y1)" ;;
      bottom) [ "$y0" -gt 292 ] || fail "$prof: not in the lower half (y $y0..$y1)" ;;
      red) [ "$red" -gt 200 ] || fail "$prof: no red seal ($red red pixels)" ;;
      blue) [ "$blue" -gt 30 ] || fail "$prof: no blue signature ($blue blue pixels)" ;;
      nored) [ "$red" -lt 10 ] || fail "$prof: red pixels where no seal belongs ($red)" ;;
    esac
    ok
  done
  # 1 cm from the edges it was put at
  case " $* " in *" left "*) [ "$x0" -ge 15 ] && [ "$x0" -le 30 ] || fail "$prof: left margin $x0" ;; esac
  case " $* " in *" top "*) [ "$y0" -ge 15 ] && [ "$y0" -le 30 ] || fail "$prof: top margin $y0" ;; esac
  ok
  echo "$x0 $y0 $x1 $y1" >"$T/box-$prof"
}
stamp digitizer left top nored
stamp agency right top red
stamp result right bottom red blue
stamp copy right top nored

# the Vietnamese text is embedded (a subset font) and reads back exactly
pdffonts "$T/st-digitizer.pdf" | grep -q 'CID TrueType *Identity-H *yes yes yes' ||
  fail "stamp font not an embedded subset with ToUnicode: $(pdffonts "$T/st-digitizer.pdf")"; ok
mutool draw -F txt -o "$T/dig.txt" "$T/st-digitizer.pdf" 1 2>/dev/null
grep -q 'Nguyễn Văn Đức' "$T/dig.txt" || fail "digitizer text: $(cat "$T/dig.txt")"; ok
grep -Eq '^[0-3][0-9]/[01][0-9]/20[0-9]{2} [0-2][0-9]:[0-5][0-9]:[0-5][0-9] \+07:00$' "$T/dig.txt" ||
  fail "time format: $(cat "$T/dig.txt")"; ok
mutool draw -F txt -o "$T/copy.txt" "$T/st-copy.pdf" 1 2>/dev/null
grep -q '^SAO Y$' "$T/copy.txt" && grep -q 'UBND xã Đồng Kỵ' "$T/copy.txt" || fail "copy text: $(cat "$T/copy.txt")"; ok
mutool draw -F txt -o "$T/res.txt" "$T/st-result.pdf" 1 2>/dev/null
grep -q 'CHỦ TỊCH' "$T/res.txt" || fail "result text: $(cat "$T/res.txt")"; ok
# "Đ" and "ễ" are in the subset: a letter the font lacks is drawn as the empty box and
# given no ToUnicode entry, so it would not read back
cp "$src" "$T/glyphs.pdf"
"$SOHOA" sign --quiet --key "$P/ec.key" --cert "$P/ec.pem" --profile digitizer --font-size 30 \
  --name "ĐĐĐ ễễễ" "$T/glyphs.pdf" || fail "glyph test sign"
mutool draw -F txt -o "$T/g.txt" "$T/glyphs.pdf" 1 2>/dev/null
grep -q 'ĐĐĐ ễễễ' "$T/g.txt" || fail "Đ/ễ do not read back: $(cat "$T/g.txt")"; ok

# three stamps, three signatures, each a later update: all valid, all three drawn
cp "$src" "$T/three.pdf"
"$SOHOA" sign --quiet --key "$P/rsa.key" --cert "$P/rsa.pem" --profile digitizer "$T/three.pdf"
"$SOHOA" sign --quiet --key "$P/ec.key" --cert "$P/ec.pem" --profile agency --agency "Sở Tư pháp" \
  --seal "$T/seal.png" "$T/three.pdf"
"$SOHOA" sign --quiet --key "$P/ec384.key" --cert "$P/ec384.pem" --profile copy --agency "Sở Tư pháp" \
  --pos 300,300 "$T/three.pdf"
signed_ok "$T/three.pdf" 3
mutool draw -F txt -o "$T/three.txt" "$T/three.pdf" 1 2>/dev/null
for s in 'Nguyễn Văn Đức' 'Sở Tư pháp' 'SAO Y'; do grep -q "$s" "$T/three.txt" || fail "three: no '$s'"; ok; done

# the QR code: top-left, below the digitizer's stamp, not overlapping it
cp "$T/st-digitizer.pdf" "$T/qr.pdf"
"$SOHOA" sign --quiet --key "$P/rsa.key" --cert "$P/rsa.pem" --profile none \
  --qr-dossier "000.00.12.H42-261130-0001" --qr-procedure 1.004227 --qr-applicant 001099012345 \
  --qr-document "Giấy chứng nhận" --qr-system "Cổng DVC tỉnh" "$T/qr.pdf" || fail "QR sign"
signed_ok "$T/qr.pdf" 2
pdftoppm -r 50 -f 1 -l 1 "$T/qr.pdf" "$T/r-qr"
read -r n x0 y0 x1 y1 _ <<<"$("$SOHOA_TESTIMG" diff "$T/r-digitizer-1.ppm" "$T/r-qr-1.ppm")"
read -r _ _ _ dy1 <"$T/box-digitizer"
[ "$n" -gt 300 ] || fail "QR: blank ($n)"; ok
[ "$x1" -lt 207 ] && [ "$y1" -lt 200 ] || fail "QR not at the top-left: $x0,$y0..$x1,$y1"; ok
[ "$y0" -gt "$dy1" ] || fail "QR ($y0..) overlaps the digitizer's stamp (..$dy1)"; ok
grep -aq '/Subtype /Stamp' "$T/qr.pdf" || fail "no QR annotation"; ok

# a page shown turned (/Rotate 90): the stamp is at the top-left as displayed
qpdf --rotate=+90:1 "$src" "$T/turned.pdf"
pdftoppm -r 50 -f 1 -l 1 "$T/turned.pdf" "$T/turned-base"
"$SOHOA" sign --quiet --key "$P/rsa.key" --cert "$P/rsa.pem" --profile digitizer "$T/turned.pdf" ||
  fail "turned page sign"
signed_ok "$T/turned.pdf" 1
pdftoppm -r 50 -f 1 -l 1 "$T/turned.pdf" "$T/turned-r"
read -r n x0 y0 x1 y1 _ <<<"$("$SOHOA_TESTIMG" diff "$T/turned-base-1.ppm" "$T/turned-r-1.ppm")"
[ "$n" -gt 150 ] && [ "$x0" -le 30 ] && [ "$y0" -le 30 ] && [ "$x1" -lt 292 ] && [ "$y1" -lt 100 ] ||
  fail "turned page: stamp at $x0,$y0..$x1,$y1 ($n px)"; ok
# and it reads upright: its text comes out in order
mutool draw -F txt -o "$T/turned.txt" "$T/turned.pdf" 1 2>/dev/null
grep -q 'Nguyễn Văn Đức' "$T/turned.txt" || fail "turned text: $(cat "$T/turned.txt")"; ok

# a profile without what it needs is refused before anything is written
cp "$src" "$T/need.pdf"
if "$SOHOA" sign --key "$P/rsa.key" --cert "$P/rsa.pem" --profile agency --agency X "$T/need.pdf" 2>"$T/err"; then
  fail "agency stamp without a seal accepted"
fi
grep -q -- '--seal' "$T/err" || fail "message: $(cat "$T/err")"; ok
cmp -s "$src" "$T/need.pdf" || fail "file changed by a refused stamp"; ok
done_ok
