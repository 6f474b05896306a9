#!/usr/bin/env bash
# fixity: an archive with two replicas stays in step; `sohoa verify --archive` finds every
# kind of damage in every copy (and nothing in a sound archive), `sohoa repair` restores
# from a good copy, and each dossier's event log tells its history.
. "$(dirname "$0")/lib.sh"
need sqlite3 sha256sum

gen --seed 11 --dossiers 4 --pages 2 --kinds g4,lzw-gray --dpi 200 "$T/in"
A=$T/archive R1=$T/copies/one R2=$T/copies/two
"$SOHOA" run --no-ocr --quiet --sidecar --archive "$A" --replica "$R1" "$T/in/D0001.tif" "$T/in/D0002.tif"
# a second replica attached later is caught up; the first is remembered without naming it
"$SOHOA" run --no-ocr --archive "$A" --replica "$R2" "$T/in/D0003.tif" 2>"$T/err"
grep -q "replicas caught up: 2 files copied" "$T/err" || fail "no catch-up: $(cat "$T/err")"; ok
"$SOHOA" run --no-ocr --quiet --archive "$A" "$T/in/D0004.tif"
for r in "$R1" "$R2"; do
  for p in $(sqlite3 "$A/catalog.sqlite" "SELECT path FROM files"); do
    cmp -s "$A/$p" "$r/$p" || fail "$r/$p differs from the archive's"
  done
  ok
  expect_eq "catalog copy in $r" "$(sqlite3 "$r/catalog.sqlite" "SELECT count(*) FROM dossiers")" 4
done

# A sound archive: exit 0, nothing listed.
"$SOHOA" verify --archive "$A" --json >"$T/v.json"
expect_eq "sound archive problems" "$(grep -c '"type":"problem"' "$T/v.json" || true)" 0
grep -q '"copies":3,"files":4,"dossiers":4,"dossiers_faulty":0' "$T/v.json" || fail "summary: $(cat "$T/v.json")"; ok

# Damage: a flipped byte, a truncation, a deletion, a stray file, an old temp file.
pdf1=$(sqlite3 "$A/catalog.sqlite" "SELECT pdf FROM dossiers ORDER BY created_at, rowid LIMIT 1")
pdf2=$(sqlite3 "$A/catalog.sqlite" "SELECT pdf FROM dossiers ORDER BY created_at, rowid LIMIT 1 OFFSET 1")
pdf3=$(sqlite3 "$A/catalog.sqlite" "SELECT pdf FROM dossiers ORDER BY created_at, rowid LIMIT 1 OFFSET 2")
printf '\x42' | dd of="$A/$pdf1" bs=1 seek=2000 conv=notrunc status=none
truncate -s -10 "$R1/$pdf2"
rm "$R2/$pdf3"
echo stray >"$R1/pdf/stray.pdf"
touch "$(dirname "$R2/$pdf1")/.x.pdf.tmp.99"
set +e
"$SOHOA" verify --archive "$A" 2>"$T/v.err"; rc=$?
set -e
expect_eq "verify exit status with damage" "$rc" 2
grep -q "^FAULTY .*$A/$pdf1: hash differs" "$T/v.err" || fail "flipped byte not named: $(cat "$T/v.err")"; ok
grep -q "^FAULTY .*$R1/$pdf2: size differs" "$T/v.err" || fail "truncation not named: $(cat "$T/v.err")"; ok
grep -q "^FAULTY .*$R2/$pdf3: missing" "$T/v.err" || fail "deletion not named: $(cat "$T/v.err")"; ok
grep -q "^UNKNOWN .*$R1/pdf/stray.pdf" "$T/v.err" || fail "stray file not named: $(cat "$T/v.err")"; ok
grep -q "x.pdf.tmp.99: left by an interrupted write" "$T/v.err" || fail "temp file not named"; ok
expect_eq "fixity failures recorded" \
  "$(sqlite3 "$A/catalog.sqlite" "SELECT count(*) FROM events WHERE event='fixity' AND outcome='failure'")" 3

# A sample checks a part; --since in the future checks nothing.
"$SOHOA" verify --archive "$A" --no-replicas --since 2999-01-01 --json --no-record >"$T/s.json" || true
grep -q '"files":0' "$T/s.json" || fail "--since: $(tail -1 "$T/s.json")"; ok

# Repair: every catalogued file whole again in every copy; the stray file stays.
set +e
"$SOHOA" repair --archive "$A" 2>"$T/r.err"; rc=$?
set -e
expect_eq "repair exit status (the stray file is left)" "$rc" 2
expect_eq "repaired" "$(grep -c '^REPAIRED' "$T/r.err")" 4
rm "$R1/pdf/stray.pdf"
"$SOHOA" verify --archive "$A" --quiet || fail "still faulty after repair"
ok
for r in "$A" "$R1" "$R2"; do
  [ "$(sha256sum "$r/$pdf1" | cut -d' ' -f1)" = "$(basename "$pdf1" .pdf)" ] || fail "$r/$pdf1 not restored"
done
ok

# Nothing repairs a file damaged in every copy.
for r in "$A" "$R1" "$R2"; do printf 'Z' | dd of="$r/$pdf2" bs=1 seek=100 conv=notrunc status=none; done
set +e
"$SOHOA" repair --archive "$A" 2>"$T/r2.err"; rc=$?
set -e
expect_eq "unrepairable exit status" "$rc" 2
grep -q "no copy matches the catalog" "$T/r2.err" || fail "unrepairable not said: $(cat "$T/r2.err")"; ok

# A remembered replica whose disk is away stops the run with a clear message, unless told.
mv "$R2" "$T/away"
gen --seed 12 --dossiers 1 --pages 1 --kinds g4 --dpi 200 "$T/in2"
set +e
"$SOHOA" run --no-ocr --archive "$A" "$T/in2/D0001.tif" 2>"$T/m.err"; rc=$?
set -e
expect_eq "missing replica exit status" "$rc" 1
grep -q "is not there (is its disk mounted?)" "$T/m.err" || fail "missing replica: $(cat "$T/m.err")"; ok
"$SOHOA" run --no-ocr --quiet --no-replicas --archive "$A" "$T/in2/D0001.tif"
mv "$T/away" "$R2"

# The event log: capture, pdf, archive for each dossier, with the operator.
SOHOA_OPERATOR="Nguyễn Thị Hoa" "$SOHOA" run --sidecar --quiet --archive "$A" --no-replicas \
  "$(gen --seed 13 --dossiers 1 --pages 1 --kinds g4 --dpi 300 "$T/in3"; echo "$T/in3/D0001.tif")"
id=$(sqlite3 "$A/catalog.sqlite" "SELECT id FROM dossiers WHERE source LIKE '%in3%'")
expect_eq "events" "$(sqlite3 "$A/catalog.sqlite" "SELECT group_concat(event, ',') FROM events WHERE dossier_id='$id'")" \
  "capture,clean,ocr,pdf,archive"
sqlite3 "$A/catalog.sqlite" "SELECT agent FROM events WHERE dossier_id='$id' LIMIT 1" | grep -q "Nguyễn Thị Hoa" || fail "operator not recorded"; ok
done_ok
