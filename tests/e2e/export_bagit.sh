#!/usr/bin/env bash
# export_bagit: `sohoa export --bagit` writes one RFC 8493 bag per archived dossier whose
# manifests check out with sha256sum, whose bag-info agrees with the payload, with the
# dossier's event log as PREMIS; an export never leaves a half bag and refuses damage.
. "$(dirname "$0")/lib.sh"
need sqlite3 sha256sum

gen --seed 21 --dossiers 2 --pages 2 --kinds g4 --dpi 200 "$T/in"
A=$T/archive B=$T/bags
printf '{"mã hồ sơ": "000.00.12.H01-241130-0007", "applicant_id": "001234567890"}' >"$T/in/D0001.json"
"$SOHOA" run --sidecar --quiet --archive "$A" "$T/in/D0001.tif"
"$SOHOA" run --no-ocr --quiet --archive "$A" "$T/in/D0002.tif"
"$SOHOA" export --archive "$A" --bagit "$B" --organization "UBND xã Tân Lập" 2>"$T/err"
expect_eq "bags" "$(ls "$B" | wc -l)" 2
for bag in "$B"/*; do
  id=$(basename "$bag")
  expect_eq "bagit.txt" "$(cat "$bag/bagit.txt")" "$(printf 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8')"
  (cd "$bag" && sha256sum --quiet -c manifest-sha256.txt && sha256sum --quiet -c tagmanifest-sha256.txt) ||
    fail "$bag: manifests do not check out"
  ok
  # every payload file is in the manifest, and nothing else
  expect_eq "$id manifest covers data/" "$(cd "$bag" && find data -type f | sort)" \
    "$(cut -d' ' -f3 "$bag/manifest-sha256.txt" | sort)"
  octets=$(cat "$bag"/data/* | wc -c) files=$(ls "$bag/data" | wc -l)
  grep -qx "Payload-Oxum: $octets.$files" "$bag/bag-info.txt" || fail "$id: Payload-Oxum: $(cat "$bag/bag-info.txt")"; ok
  grep -qx "Source-Organization: UBND xã Tân Lập" "$bag/bag-info.txt" || fail "$id: organization"; ok
  pdf=$(sqlite3 "$A/catalog.sqlite" "SELECT pdf_sha256 FROM dossiers WHERE id='$id'")
  expect_eq "$id payload is the archived PDF" "$(sha256sum "$bag/data/$id.pdf" | cut -d' ' -f1)" "$pdf"
  grep -q "<premis:eventType>capture</premis:eventType>" "$bag/premis.xml" || fail "$id: no capture event"; ok
  grep -q "<premis:eventType>ingestion end</premis:eventType>" "$bag/premis.xml" || fail "$id: no archive event"; ok
  if command -v xmllint >/dev/null; then xmllint --noout "$bag/premis.xml" || fail "premis.xml is not XML"; ok; fi
done
ocr_id=$(sqlite3 "$A/catalog.sqlite" "SELECT id FROM dossiers WHERE source LIKE '%D0001%'")
[ -f "$B/$ocr_id/data/$ocr_id.txt" ] || fail "the OCR text is not in the bag"; ok
grep -q "metadata extraction" "$B/$ocr_id/premis.xml" || fail "no OCR event in the PREMIS log"; ok
grep -qx "Dossier-Code: 000.00.12.H01-241130-0007" "$B/$ocr_id/bag-info.txt" || fail "no dossier code in bag-info"; ok
grep -qx "Applicant-Id: 001234567890" "$B/$ocr_id/bag-info.txt" || fail "no applicant in bag-info"; ok

# Again: nothing rewritten.
"$SOHOA" export --archive "$A" --bagit "$B" 2>"$T/err2"
grep -q "0 bags written to .*, 2 already there" "$T/err2" || fail "re-export: $(cat "$T/err2")"; ok
# A damaged archive file is not exported, and no half bag is left.
rm -rf "$B/$ocr_id"
pdf=$(sqlite3 "$A/catalog.sqlite" "SELECT pdf FROM dossiers WHERE id='$ocr_id'")
printf 'X' | dd of="$A/$pdf" bs=1 seek=500 conv=notrunc status=none
set +e
"$SOHOA" export --archive "$A" --bagit "$B" "$ocr_id" 2>"$T/err3"; rc=$?
set -e
expect_eq "damaged export exit status" "$rc" 2
grep -q "does not match the catalog" "$T/err3" || fail "damage not named: $(cat "$T/err3")"; ok
expect_eq "no half bag" "$(ls -A "$B" | grep -c "$ocr_id" || true)" 0
done_ok
