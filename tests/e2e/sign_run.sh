#!/usr/bin/env bash
# sign_run: `sohoa run` signs each dossier as it is archived when a key is configured:
# the archived PDF (named by the hash of its final, signed bytes) carries one valid
# signature and the catalog agrees with the disk; without a key, or with --no-sign,
# nothing is signed; an unusable key stops the run before anything is archived.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_sign.sh"
need sqlite3

P=$T/pki
pki "$P"
gen --seed 5 --dossiers 3 --pages 2 --kinds g4,jpeg-gray "$T/in"

A=$T/signed
"$SOHOA" run --no-ocr --quiet --archive "$A" --sign-key "$P/rsa.key" --sign-cert "$P/rsa.pem" \
  --sign-chain "$P/ca.pem" --sign-profile none "$T"/in/D*.tif || fail "signed run exited $?"
n=0
for f in $(find "$A/pdf" -name '*.pdf'); do
  signed_ok "$f" 1
  expect_eq "$f named by its hash" "$(basename "$f" .pdf)" "$(sha256sum <"$f" | cut -d' ' -f1)"
  n=$((n + 1))
done
expect_eq "signed dossiers" "$n" 3
catalog_matches_disk "$A"
no_temps "$A"

# the default stamp of a run: the digitizer's name and time at the top-left of page 1
"$SOHOA" run --no-ocr --quiet --archive "$T/stamped" --sign-key "$P/ec.key" --sign-cert "$P/ec.pem" \
  "$T"/in/D0002.tif || fail "stamped run exited $?"
f=$(find "$T/stamped/pdf" -name '*.pdf')
signed_ok "$f" 1
mutool draw -F txt -o "$T/st.txt" "$f" 1 2>/dev/null
grep -q 'Trần Thị Ễ' "$T/st.txt" || fail "no digitizer stamp text: $(cat "$T/st.txt")"; ok
catalog_matches_disk "$T/stamped"

# no key: nothing signed; a key with --no-sign: nothing signed
"$SOHOA" run --no-ocr --quiet --archive "$T/plain" "$T"/in/D0001.tif || fail "plain run"
"$SOHOA" run --no-ocr --quiet --archive "$T/nosign" --no-sign --sign-key "$P/rsa.key" \
  --sign-cert "$P/rsa.pem" "$T"/in/D0001.tif || fail "--no-sign run"
for a in plain nosign; do
  f=$(find "$T/$a/pdf" -name '*.pdf')
  if grep -aq '/ByteRange' "$f"; then fail "$a: the PDF is signed"; fi
  ok
done

# a stamp that cannot be drawn (the agency profile without its seal image): the run stops
# before anything is archived, rather than failing every dossier
if "$SOHOA" run --no-ocr --quiet --archive "$T/noseal" --sign-key "$P/rsa.key" --sign-cert "$P/rsa.pem" \
  --sign-profile agency --sign-agency "UBND" "$T"/in/D0001.tif 2>"$T/err"; then fail "agency stamp without a seal accepted"; fi
grep -q "seal image" "$T/err" || fail "message: $(cat "$T/err")"; ok
expect_eq "nothing archived without the seal" "$(find "$T/noseal" -name '*.pdf' 2>/dev/null | wc -l)" 0

# an expired certificate: the run stops before anything is archived
if "$SOHOA" run --no-ocr --quiet --archive "$T/bad" --sign-key "$P/expired.key" \
  --sign-cert "$P/expired.pem" "$T"/in/D0001.tif 2>"$T/err"; then fail "expired key accepted"; fi
grep -q "expired" "$T/err" || fail "message: $(cat "$T/err")"; ok
expect_eq "nothing archived with a bad key" "$(find "$T/bad" -name '*.pdf' 2>/dev/null | wc -l)" 0
# The event log names the signer; the fixity audit verifies the signatures it finds.
expect_eq "sign events" "$(sqlite3 "$A/catalog.sqlite" "SELECT count(*) FROM events WHERE event='sign' AND detail LIKE '%Nguyễn Văn Đức%'")" 3
"$SOHOA" verify --archive "$A" --quiet || fail "the signed archive does not pass its audit"
ok
# a signed byte changed and the catalog made to agree: the hash passes, the signature not
f=$(sqlite3 "$A/catalog.sqlite" "SELECT pdf FROM dossiers LIMIT 1")
printf '\x20' | dd of="$A/$f" bs=1 seek=300 conv=notrunc status=none
sqlite3 "$A/catalog.sqlite" "UPDATE files SET sha256='$(sha256sum <"$A/$f" | cut -d' ' -f1)' WHERE path='$f'"
set +e
"$SOHOA" verify --archive "$A" --no-record 2>"$T/audit.err"; rc=$?
set -e
expect_eq "audit of a bad signature" "$rc" 2
grep -q "$f: signature fails" "$T/audit.err" || fail "bad signature not named: $(cat "$T/audit.err")"; ok
# A document the system issues (metadata kind = result) gets the TT 01/2023 QR code (a
# /Stamp annotation below the digitizer's stamp); the other dossiers none.
gen --seed 6 --dossiers 2 --pages 1 --kinds g4 "$T/qrin"
printf '{"mã hồ sơ":"000.00.12.H01-261130-0009","mã TTHC":"1.001612","applicant_id":"001234567890","tên giấy tờ":"Giấy chứng nhận","kind":"result","agency":"UBND xã Tân Lập"}' >"$T/qrin/D0001.json"
"$SOHOA" run --no-ocr --quiet --archive "$T/qr" --sign-key "$P/ec.key" --sign-cert "$P/ec.pem" "$T"/qrin/D*.tif ||
  fail "QR run exited $?"
for src in D0001 D0002; do
  f=$T/qr/$(sqlite3 "$T/qr/catalog.sqlite" "SELECT pdf FROM dossiers WHERE source LIKE '%$src.tif'")
  signed_ok "$f" 1
  n=$(grep -ac '/Subtype /Stamp' "$f" || true)
  if [ $src = D0001 ]; then expect_eq "QR on the issued result" "$n" 1; else expect_eq "no QR on the other" "$n" 0; fi
done
# and a phone reads it: page 1 rendered, the QR decoded by zbar, the TT 01/2023 fields in it
if command -v zbarimg >/dev/null; then
  f=$T/qr/$(sqlite3 "$T/qr/catalog.sqlite" "SELECT pdf FROM dossiers WHERE source LIKE '%D0001.tif'")
  pdftoppm -r 300 -f 1 -l 1 -gray -png "$f" "$T/qrpage"
  zbarimg -q --raw "$T"/qrpage*.png >"$T/qr.txt" 2>/dev/null || fail "zbarimg found no QR code on page 1 of $f"
  for want in 000.00.12.H01-261130-0009 1.001612 001234567890 "Giấy chứng nhận"; do
    grep -qF "$want" "$T/qr.txt" || fail "the QR code lacks '$want': $(cat "$T/qr.txt")"; ok
  done
else
  echo "note: zbarimg (zbar-tools) is not installed; the QR code's contents were not decoded" >&2
fi
done_ok
