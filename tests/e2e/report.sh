#!/usr/bin/env bash
# report: `sohoa report` counts a known run right: dossiers, TTHC dossiers, results, reuse,
# applicants already known, signatures, pages, blank and recognised pages, rates; by agency,
# procedure and day; dates filter; JSON keys; CSV for spreadsheets.
. "$(dirname "$0")/lib.sh"
need sqlite3 openssl
gen --seed 81 --dossiers 4 --pages 2 --kinds g4 --dpi 200 --blank-separators "$T/in"
A=$T/archive
printf '{"mã hồ sơ":"H1","mã TTHC":"1.001","agency":"UBND xã A","applicant_id":"001234567890"}' >"$T/in/D0001.json"
printf '{"mã hồ sơ":"H1","mã TTHC":"1.001","agency":"UBND xã A","kind":"result","applicant_id":"001234567890"}' >"$T/in/D0002.json"
printf '{"mã hồ sơ":"H2","mã TTHC":"2.002","agency":"UBND xã B","reused_from":"H1","applicant_id":"001234567890"}' >"$T/in/D0003.json"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/k.pem" -out "$T/c.pem" \
  -days 30 -subj "/CN=Cán bộ Một cửa" -addext "keyUsage=critical,digitalSignature" 2>/dev/null
"$SOHOA" run --quiet --archive "$A" "$T/in/D0001.tif"
"$SOHOA" run --quiet --archive "$A" --sign-key "$T/k.pem" --sign-cert "$T/c.pem" "$T/in/D0002.tif"
"$SOHOA" run --quiet --archive "$A" "$T/in/D0003.tif"
"$SOHOA" run --quiet --no-ocr --archive "$A" "$T/in/D0004.tif"
# D0002 and D0004 carry a blank separator sheet: pages 2+3+2+3 = 10; D0004 was not cleaned
# (--no-ocr), so 1 blank page found and 6 text pages recognised of the 9 not blank

"$SOHOA" report --archive "$A" --json >"$T/r.json"
total=$(grep '"type":"total"' "$T/r.json")
want='"dossiers":4,"tthc_dossiers":2,"results":1,"reused":1,"applicant_known":2,"signed":1,"signatures":1,"cancelled":0,"pages":10,"blank_pages":1,"ocr_pages":6,"low_conf_pages":0,"signed_rate":25.0,"ocr_rate":66.7,"result_rate":25.0,"reuse_rate":25.0'
case $total in *"$want"*) ok ;; *) fail "report: $total, want $want" ;; esac

"$SOHOA" report --archive "$A" --by agency --json >"$T/a.json"
grep -q '"agency":"UBND xã A","dossiers":2,"tthc_dossiers":1,"results":1' "$T/a.json" || fail "by agency: $(cat "$T/a.json")"; ok
grep -q '"agency":"","dossiers":1' "$T/a.json" || fail "the dossier without an agency: $(cat "$T/a.json")"; ok
"$SOHOA" report --archive "$A" --by procedure --json | grep -q '"procedure":"2.002","dossiers":1,"tthc_dossiers":1,"results":0,"reused":1' ||
  fail "by procedure"
ok
today=$(date +%F)
"$SOHOA" report --archive "$A" --by day --csv >"$T/d.csv"
expect_eq "CSV header" "$(head -1 "$T/d.csv" | cut -d, -f1-3)" "day,dossiers,tthc_dossiers"
grep -q "^\"$today\",4,2,1,1,2,1,1,0,10,1,6,0," "$T/d.csv" || fail "CSV day row: $(cat "$T/d.csv")"; ok
"$SOHOA" report --archive "$A" --from 2999-01-01 --json | grep -q '"type":"total","dossiers":0,' || fail "--from in the future"; ok
"$SOHOA" report --archive "$A" --to "$today" --json | grep -q '"type":"total","dossiers":4,' || fail "--to today"; ok
"$SOHOA" report --archive "$A" | grep -q "^TOTAL  *4  *2  *1  *1  *1  *10  *1  *0  *25.0%  *66.7%" || fail "table: $("$SOHOA" report --archive "$A")"; ok
# a cancelled result is counted as such
id=$(sqlite3 "$A/catalog.sqlite" "SELECT id FROM dossiers WHERE source LIKE '%D0002.tif'")
"$SOHOA" cancel --archive "$A" --reason "cấp lại" "$id" >/dev/null 2>&1
"$SOHOA" report --archive "$A" --json | grep -q '"cancelled":1' || fail "cancelled not counted"; ok
set +e
"$SOHOA" report --archive "$A" --by week 2>/dev/null; rc=$?
set -e
expect_eq "bad --by" "$rc" 1
done_ok
