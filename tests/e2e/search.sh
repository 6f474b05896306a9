#!/usr/bin/env bash
# search: generated Vietnamese pages archived with OCR are findable at once, by a word typed
# with or without diacritics, by phrase, by applicant; the operator's sidecar and --meta
# fields and the facts read in the text are in the catalog (as sqlite3 sees it), in
# `sohoa show`, and in the PDF's Info and XMP; cancel flags a result and keeps it; the run
# leaves the index in one segment; reindex and reindex --merge give the same answers; a
# broken query is a message, not a crash.
. "$(dirname "$0")/lib.sh"
need sqlite3 pdfinfo qpdf iconv
export LC_ALL=C.UTF-8 # grep -i and -P on Vietnamese letters

gen --seed 31 --dossiers 2 --pages 2 --kinds g4 --dpi 300 "$T/in"
A=$T/archive
# the operator: a sidecar beside D0001, a batch file naming D0002
cat >"$T/in/D0001.json" <<'EOF'
{"Mã hồ sơ": "H38.12-250630-0042", "Mã TTHC": "1.001612", "Mã định danh": "038 085 001 234",
 "Tiêu đề": "Hồ sơ xác nhận cư trú", "Thời hạn bảo quản": "Vĩnh viễn", "Từ khóa": ["cư trú", "hộ tịch"]}
EOF
printf 'file,ma_ho_so,ma_tthc,ten_giay_to\nD0002.tif,HS-0002,2.000305,Kế hoạch\n' >"$T/batch.csv"
"$SOHOA" run --archive "$A" --meta "$T/batch.csv" "$T/in/D0001.tif" "$T/in/D0002.tif" 2>"$T/err" ||
  fail "run: $(cat "$T/err")"
db=$A/catalog.sqlite
id1=$(sqlite3 "$db" "SELECT id FROM dossiers WHERE source = '$T/in/D0001.tif'")
id2=$(sqlite3 "$db" "SELECT id FROM dossiers WHERE source = '$T/in/D0002.tif'")
[ -n "$id1" ] && [ -n "$id2" ] || fail "the dossiers are not in the catalog"; ok
# each dossier's transaction wrote an index segment; the run ended by merging them
expect_eq "index segments after the run" \
  "$(sqlite3 "$db" "SELECT count(DISTINCT segid) FROM pages_fts_idx")" 1

# 1. A word OCR read on page 2 of D0001 (the longest with diacritics), with and without them.
word=$(sqlite3 "$db" "SELECT text FROM pages WHERE dossier_id = '$id1' AND page = 2" |
  tr -s ' \n' '\n\n' | grep -P '^\p{L}+$' | grep -P '[^\x00-\x7F]' | awk '{print length, $0}' |
  sort -k1,1nr -k2 | head -1 | cut -d' ' -f2)
[ -n "$word" ] || fail "no accented word on page 2 of D0001"
plain=$(printf '%s' "$word" | iconv -f utf-8 -t ascii//TRANSLIT)
echo "searching '$word' and '$plain'"
"$SOHOA" search --archive "$A" --json "$word" >"$T/accented.json" || fail "search $word"
grep -q "\"dossier\":\"$id1\",\"page\":2," "$T/accented.json" ||
  fail "'$word' does not find page 2 of D0001: $(cat "$T/accented.json")"; ok
grep -qi "\[$word\]" "$T/accented.json" || fail "the snippet does not mark '$word' as written"; ok
"$SOHOA" search --archive "$A" --json "$plain" >"$T/plain.json" || fail "search $plain"
grep -q "\"dossier\":\"$id1\",\"page\":2," "$T/plain.json" ||
  fail "'$plain' (no diacritics) does not find page 2 of D0001"; ok
grep -qi "\[$word\]" "$T/plain.json" || fail "the snippet of '$plain' is not the original text"; ok
# every result line has what the issue asks for
while read -r line; do
  for k in dossier page pdf snippet score; do
    grep -q "\"$k\":" <<<"$line" || fail "a JSON result has no $k: $line"
  done
done <"$T/plain.json"; ok
# the motto, as a phrase, typed without diacritics, is on both dossiers' first pages
n=$("$SOHOA" search --archive "$A" --json '"doc lap tu do hanh phuc"' | grep -c '"page":1,')
expect_eq "phrase hits on first pages" "$n" 2
# prefix
"$SOHOA" search --archive "$A" "${plain:0:4}*" | grep -q "$id1" || fail "prefix ${plain:0:4}* finds nothing"; ok
# no result: nothing printed, status 0
out=$("$SOHOA" search --archive "$A" "zzqxj") || fail "a search without results fails"
expect_eq "no result" "$out" ""
# a broken query: a message, never a crash
for q in '"' '(' '((' 'NOT' '*' '-'; do
  set +e
  "$SOHOA" search --archive "$A" -- "$q" >/dev/null 2>"$T/qerr"
  rc=$?
  set -e
  [ $rc -le 1 ] || fail "query '$q' ended with status $rc"
  [ $rc = 0 ] || [ -s "$T/qerr" ] || fail "query '$q' failed without a message"
done; ok
"$SOHOA" search --archive "$A" "((${word}" | grep -q "$id1" || fail "'(($word' lost its word"; ok

# 2. Metadata: the operator's, as sqlite3 sees it.
expect_eq "dossier code" "$(sqlite3 "$db" "SELECT value FROM dossier_meta WHERE dossier_id = '$id1' AND field = 'dossier_code'")" "H38.12-250630-0042"
expect_eq "applicant" "$(sqlite3 "$db" "SELECT value FROM dossier_meta WHERE dossier_id = '$id1' AND field = 'applicant_id'")" "038085001234"
expect_eq "retention" "$(sqlite3 "$db" "SELECT value FROM dossier_meta WHERE dossier_id = '$id1' AND field = 'retention'")" "Vĩnh viễn"
expect_eq "batch procedure" "$(sqlite3 "$db" "SELECT value FROM dossier_meta WHERE dossier_id = '$id2' AND field = 'procedure_code'")" "2.000305"
# ... and read in the text: the number the generator printed ("Số: ..." in the truth)
for d in 1 2; do
  id=$([ $d = 1 ] && echo "$id1" || echo "$id2")
  for p in 1 2; do
    want=$(sed -n 's/^Số: \([^ ]*\).*/\1/p' "$T/in/truth/D000${d}_p00$p.txt" | head -1)
    [ -n "$want" ] || continue
    got=$(sqlite3 "$db" "SELECT value FROM dossier_meta WHERE dossier_id = '$id' AND field = 'doc_number' AND page = $p")
    expect_eq "doc_number D000$d page $p" "$got" "$want"
    want_date=$(grep -m1 -oP ', ngày \d+ tháng \d+ năm \d{4}' "$T/in/truth/D000${d}_p00$p.txt" |
      awk '{printf "%04d-%02d-%02d", $7, $5, $3}')
    got=$(sqlite3 "$db" "SELECT value FROM dossier_meta WHERE dossier_id = '$id' AND field = 'issue_date' AND page = $p")
    expect_eq "issue_date D000$d page $p" "$got" "$want_date"
  done
done
[ "$(sqlite3 "$db" "SELECT count(*) FROM dossier_meta WHERE field IN ('doc_type', 'issuer')")" -ge 2 ] ||
  fail "no document type or issuer was read"; ok
# sohoa show, both ways
"$SOHOA" show --archive "$A" --json H38.12-250630-0042 >"$T/show.json" || fail "show by dossier code"
grep -q "\"id\":\"$id1\"" "$T/show.json" && grep -q '"field":"procedure_code","value":"1.001612","page":0' "$T/show.json" ||
  fail "show --json: $(cat "$T/show.json")"; ok
"$SOHOA" show --archive "$A" "${id2:0:6}" | grep -q "HS-0002" || fail "show by id prefix"; ok

# 3. The PDF says it too: Info (UTF-16, read back by poppler) and XMP.
pdf=$A/$(sqlite3 "$db" "SELECT pdf FROM dossiers WHERE id = '$id1'")
qpdf_ok "$pdf"
expect_eq "Info Title" "$(pdfinfo "$pdf" | sed -n 's/^Title: *//p')" "Hồ sơ xác nhận cư trú"
expect_eq "Info Keywords" "$(pdfinfo "$pdf" | sed -n 's/^Keywords: *//p')" "cư trú; hộ tịch"
pdfinfo -meta "$pdf" >"$T/xmp"
grep -q "<sohoa:dossier_code>H38.12-250630-0042</sohoa:dossier_code>" "$T/xmp" &&
  grep -q "<sohoa:applicant_id>038085001234</sohoa:applicant_id>" "$T/xmp" &&
  grep -q "<pdfaSchema:prefix>sohoa</pdfaSchema:prefix>" "$T/xmp" || fail "the XMP lacks the dossier's fields"; ok
if command -v xmllint >/dev/null; then
  xmllint --noout "$T/xmp" 2>"$T/xmlerr" || fail "the XMP is not well-formed XML: $(cat "$T/xmlerr")"; ok
fi
pdf2=$A/$(sqlite3 "$db" "SELECT pdf FROM dossiers WHERE id = '$id2'")
title2=$(pdfinfo "$pdf2" | sed -n 's/^Title: *//p')
num2=$(sqlite3 "$db" "SELECT value FROM dossier_meta WHERE dossier_id = '$id2' AND field = 'doc_number' ORDER BY page LIMIT 1")
[ -z "$num2" ] || [[ "$title2" == *"$num2"* ]] || fail "D0002's title '$title2' does not name its number $num2"; ok

# 4. The applicant's documents; cancellation; reindex.
"$SOHOA" search --archive "$A" --json --applicant 038085001234 >"$T/app.json"
expect_eq "applicant's documents" "$(grep -c "\"dossier\":\"$id1\"" "$T/app.json")" 1
"$SOHOA" search --archive "$A" --json "$plain" >"$T/before.json"
"$SOHOA" cancel --archive "$A" --reason "thu hồi" "$id1" 2>/dev/null || fail "cancel"
"$SOHOA" search --archive "$A" --json "$plain" >"$T/cancelled.json"
grep "\"dossier\":\"$id1\"" "$T/cancelled.json" | grep -q '"cancelled_at":"20' ||
  fail "a cancelled dossier is not flagged in search"; ok
expect_eq "cancelled_at in the catalog" "$(sqlite3 "$db" "SELECT cancel_reason FROM dossiers WHERE id = '$id1'")" "thu hồi"
set +e
"$SOHOA" cancel --archive "$A" "$id1" 2>/dev/null
rc=$?
set -e
expect_eq "cancelling twice" "$rc" 1
"$SOHOA" reindex --archive "$A" --quiet || fail "reindex"
"$SOHOA" search --archive "$A" --json "$plain" >"$T/after.json"
cmp -s "$T/cancelled.json" "$T/after.json" || fail "reindex changed the results:
$(diff "$T/cancelled.json" "$T/after.json" | head -5)"; ok
"$SOHOA" reindex --archive "$A" --merge 2>"$T/merge.err" || fail "reindex --merge: $(cat "$T/merge.err")"
grep -q 'segments into 1 in' "$T/merge.err" || fail "reindex --merge says: $(cat "$T/merge.err")"; ok
"$SOHOA" search --archive "$A" --json "$plain" >"$T/merged.json"
cmp -s "$T/cancelled.json" "$T/merged.json" || fail "reindex --merge changed the results"; ok
catalog_matches_disk "$A"
done_ok
