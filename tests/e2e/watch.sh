#!/usr/bin/env bash
# watch: `sohoa watch INBOX` takes a file renamed in, leaves a file alone while it is still
# being written and takes it once closed, waits for a folder to be quiet, moves each input
# (with its metadata sidecar) to done/ or failed/ (+ .error), and after kill -9 in the middle
# of a dossier a restart archives it exactly once.
. "$(dirname "$0")/lib.sh"
need sqlite3
gen --seed 71 --dossiers 5 --pages 2 --kinds g4 --dpi 200 "$T/src"
IN=$T/inbox A=$T/archive
mkdir -p "$IN"
archived() { sqlite3 "$A/catalog.sqlite" "SELECT count(*) FROM dossiers WHERE status='archived'" 2>/dev/null || echo 0; }
wait_for() { # wait_for SECONDS CONDITION...
  local end=$((SECONDS + $1)); shift
  until "$@"; do [ $SECONDS -lt $end ] || return 1; sleep 0.2; done
}

"$SOHOA" watch --no-ocr --settle 2 --archive "$A" "$IN" 2>"$T/watch.err" &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$T"' EXIT
sleep 1

# renamed in (the scanner's usual way): taken, with its sidecar
printf '{"mã hồ sơ": "H01-0001"}' >"$IN/D0001.json"
cp "$T/src/D0001.tif" "$IN/.D0001.tif.part" && mv "$IN/.D0001.tif.part" "$IN/D0001.tif"
wait_for 20 test -f "$IN/done/D0001.tif" || fail "a renamed-in file was not taken: $(cat "$T/watch.err")"; ok
[ -f "$IN/done/D0001.json" ] || fail "the sidecar stayed behind"; ok
expect_eq "metadata from the sidecar" "$(sqlite3 "$A/catalog.sqlite" "SELECT value FROM dossier_meta WHERE field='dossier_code'")" "H01-0001"

# still being written: left alone while open, taken once closed
size=$(stat -c %s "$T/src/D0002.tif")
exec 3>"$IN/D0002.tif"
head -c $((size / 2)) "$T/src/D0002.tif" >&3
sleep 3
[ -f "$IN/D0002.tif" ] || fail "a file still being written was taken"; ok
[ ! -e "$IN/failed/D0002.tif" ] || fail "a file still being written was failed"; ok
tail -c +$((size / 2 + 1)) "$T/src/D0002.tif" >&3
exec 3>&-
wait_for 20 test -f "$IN/done/D0002.tif" || fail "the closed file was not taken"; ok
cmp -s "$IN/done/D0002.tif" "$T/src/D0002.tif" || fail "D0002 moved but not whole"; ok

# a folder: not before it has been quiet for --settle seconds
mkdir "$IN/hoso-3"
cp "$T/src/D0003.tif" "$IN/hoso-3/p1.tif"
sleep 1
cp "$T/src/D0004.tif" "$IN/hoso-3/p2.tif"
sleep 0.5
[ -d "$IN/hoso-3" ] || fail "a folder was taken before it was quiet"; ok
wait_for 20 test -d "$IN/done/hoso-3" || fail "the quiet folder was not taken"; ok
expect_eq "folder pages" "$(sqlite3 "$A/catalog.sqlite" "SELECT pages FROM dossiers WHERE source LIKE '%hoso-3'")" 4

# a bad scan: failed/ with the reason
printf 'II*\0junk' >"$IN/broken.tif"
wait_for 20 test -f "$IN/failed/broken.tif.error" || fail "no .error for a bad scan"; ok
grep -q "broken.tif" "$IN/failed/broken.tif.error" || fail ".error: $(cat "$IN/failed/broken.tif.error")"; ok
expect_eq "archived so far" "$(archived)" 3
kill $pid; wait $pid 2>/dev/null || true

# kill -9 in the middle of a dossier (with OCR, so there is a middle), then restart
cp "$T/src/D0005.tif" "$IN/D0005.tif"
"$SOHOA" watch --archive "$A" "$IN" 2>"$T/w2.err" &
pid=$!
wait_for 30 grep -q "watching" "$T/w2.err"
sleep 1.5
kill -9 $pid; wait $pid 2>/dev/null || true
[ -f "$IN/D0005.tif" ] || [ -f "$IN/done/D0005.tif" ] || fail "the input vanished"; ok
"$SOHOA" watch --once --archive "$A" "$IN" 2>"$T/w3.err" || fail "restart: $(cat "$T/w3.err")"
[ -f "$IN/done/D0005.tif" ] || fail "after the restart D0005 is not done: $(cat "$T/w3.err")"; ok
expect_eq "D0005 archived exactly once" "$(sqlite3 "$A/catalog.sqlite" "SELECT count(*) FROM dossiers WHERE source LIKE '%D0005.tif'")" 1
expect_eq "archived in all" "$(archived)" 4
no_temps "$A"
done_ok
