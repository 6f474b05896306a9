#!/usr/bin/env bash
# hostile_input: malformed TIFFs (the shared corpus), PDFs fed as scans, truncated and empty
# files, a TIFF claiming 100,000 x 100,000 pixels, a 10,000-page TIFF, folder and symlink
# loops, a Vietnamese path with spaces, a full disk and a read-only archive: no crash, no
# hang, bounded memory, a message naming the file, the rest of the batch archived, and
# nothing half-written.
. "$(dirname "$0")/lib.sh"
need sqlite3 tiffcp tiffset

gen --seed 31 --dossiers 2 --pages 1 --kinds g4,jpeg-gray --dpi 200 "$T/in"
good1=$T/in/D0001.tif good2=$T/in/D0002.tif
A=$T/archive
mkdir -p "$T/h"

# A TIFF that claims 100,000 x 100,000 pixels (10 gigapixels) in its header.
cp "$good1" "$T/h/huge.tif"
tiffset -s 256 100000 "$T/h/huge.tif"
tiffset -s 257 100000 "$T/h/huge.tif"

# A 10,000-page TIFF of tiny pages: one 8x8 bilevel page written by hand, then doubled.
printf 'II*\0\x08\0\0\0' >"$T/h/p1.tif"
printf '\x08\0' >>"$T/h/p1.tif"                             # 8 entries
printf '\x00\x01\x03\0\x01\0\0\0\x08\0\0\0' >>"$T/h/p1.tif" # ImageWidth 8
printf '\x01\x01\x03\0\x01\0\0\0\x08\0\0\0' >>"$T/h/p1.tif" # ImageLength 8
printf '\x02\x01\x03\0\x01\0\0\0\x01\0\0\0' >>"$T/h/p1.tif" # BitsPerSample 1
printf '\x03\x01\x03\0\x01\0\0\0\x01\0\0\0' >>"$T/h/p1.tif" # Compression none
printf '\x06\x01\x03\0\x01\0\0\0\x00\0\0\0' >>"$T/h/p1.tif" # WhiteIsZero
printf '\x11\x01\x04\0\x01\0\0\0\x6e\0\0\0' >>"$T/h/p1.tif" # StripOffsets 110
printf '\x16\x01\x03\0\x01\0\0\0\x08\0\0\0' >>"$T/h/p1.tif" # RowsPerStrip 8
printf '\x17\x01\x04\0\x01\0\0\0\x08\0\0\0' >>"$T/h/p1.tif" # StripByteCounts 8
printf '\0\0\0\0' >>"$T/h/p1.tif"                           # no next page
printf '\x18\x24\x42\x81\x81\x42\x24\x18' >>"$T/h/p1.tif"   # the pixels
n=1
while [ $n -lt 8192 ]; do tiffcp "$T/h/p$n.tif" "$T/h/p$n.tif" "$T/h/p$((2 * n)).tif"; n=$((2 * n)); done
# 10,000 pages; 2,000 in the sanitizer builds (ASan makes each page 20x slower; the plain
# build checks the full count)
if [ "${SOHOA_SANITIZED:-0}" = 1 ]; then
  big_pages=2000
  tiffcp "$T/h/p1024.tif" "$T/h/p512.tif" "$T/h/p256.tif" "$T/h/p128.tif" "$T/h/p64.tif" "$T/h/p16.tif" "$T/h/pages10000.tif"
else
  big_pages=10000
  tiffcp "$T/h/p8192.tif" "$T/h/p1024.tif" "$T/h/p512.tif" "$T/h/p256.tif" "$T/h/p16.tif" "$T/h/pages10000.tif"
fi
expect_eq "pages in the big TIFF" "$(tiffinfo "$T/h/pages10000.tif" 2>/dev/null | grep -c 'Image Width')" $big_pages

# Loops and odd names.
mkdir -p "$T/h/loopy"
cp "$good1" "$T/h/loopy/p1.tif"
ln -s . "$T/h/loopy/self"            # a folder holding itself
ln -s "$T/h/loopy" "$T/h/loopy/p2.tif" # a "page" that is a folder
ln -s "$T/h/ring-b" "$T/h/ring-a"; ln -s "$T/h/ring-a" "$T/h/ring-b"
mkdir -p "$T/h/Hồ sơ số 1 (bản gốc)"
cp "$good2" "$T/h/Hồ sơ số 1 (bản gốc)/Trang 1 – Đơn đề nghị.tif"
: >"$T/h/empty.tif"
head -c 3000 "$good2" >"$T/h/truncated.tif"

inputs=("$good1" "$T/h/huge.tif" "$T/h/loopy" "$T/h/ring-a" "$T/h/empty.tif" "$T/h/truncated.tif"
        "$T/h/Hồ sơ số 1 (bản gốc)")
expect_fail=(huge.tif loopy ring-a empty.tif truncated.tif)
if [ -d "${SOHOA_CORPUS:-}/tiff_malformed" ]; then
  while IFS= read -r f; do inputs+=("$f"); done < <(find "$SOHOA_CORPUS/tiff_malformed" -type f | sort)
  while IFS= read -r f; do inputs+=("$f"); done < <(find "$SOHOA_CORPUS/odd_pdfs" -name '*.pdf' | sort | head -40)
else
  echo "note: ../shared/corpus is not here; the corpus part of this test is skipped"
fi

set +e
timeout 300 "$SOHOA" run --no-ocr --archive "$A" --json "${inputs[@]}" >"$T/out.json" 2>"$T/err"
rc=$?
set -e
[ $rc = 124 ] && fail "the hostile batch hung (killed after 300 s)"
expect_eq "exit status of the hostile batch" "$rc" 2
[ "$(grep -c '"type":"dossier"' "$T/out.json")" = ${#inputs[@]} ] || fail "not every input reported"; ok
for f in "${expect_fail[@]}"; do
  grep -q "^FAILED .*$f" "$T/err" || fail "no error naming $f"; ok
done
grep "huge.tif" "$T/err" | grep -q "pixel" || fail "the 10-gigapixel claim is not refused as too big: $(grep huge "$T/err")"; ok
expect_eq "the Vietnamese folder archived" "$(sqlite3 "$A/catalog.sqlite" "SELECT count(*) FROM dossiers WHERE source LIKE '%Hồ sơ số 1 (bản gốc)' AND status='archived'")" 1
expect_eq "the good scan archived" "$(sqlite3 "$A/catalog.sqlite" "SELECT count(*) FROM dossiers WHERE source='$good1'")" 1
# every failure message names its file
grep '^FAILED' "$T/err" | while read -r _ msg; do
  case $msg in /*|"$T"*) ;; *) fail "a failure that names no file: $msg" ;; esac
done
ok
no_temps "$A"
catalog_matches_disk "$A"

# 10,000 pages in one file: archived whole, in bounded memory.
rss_log=$T/rss
if command -v /usr/bin/time >/dev/null; then
  /usr/bin/time -f '%M' -o "$rss_log" "$SOHOA" run --no-ocr --quiet --archive "$A" "$T/h/pages10000.tif"
  rss_kb=$(tail -1 "$rss_log")
  echo "10,000-page TIFF: peak RSS $((rss_kb / 1024)) MiB"
  [ "$rss_kb" -lt $((1536 * 1024)) ] || fail "10,000 tiny pages took $((rss_kb / 1024)) MiB"
  ok
else
  "$SOHOA" run --no-ocr --quiet --archive "$A" "$T/h/pages10000.tif"
fi
big=$(sqlite3 "$A/catalog.sqlite" "SELECT pdf FROM dossiers WHERE source LIKE '%pages10000.tif'")
expect_eq "pages of the big PDF" "$(pdf_pages "$A/$big")" $big_pages

# The operator's limit: --max-pages refuses it, by name.
set +e
"$SOHOA" run --no-ocr --archive "$T/a2" --max-pages $((big_pages / 2)) "$T/h/pages10000.tif" 2>"$T/err2"; rc=$?
set -e
expect_eq "over --max-pages" "$rc" 2
grep -q "pages10000.tif.*$((big_pages / 2))" "$T/err2" || fail "page limit message: $(cat "$T/err2")"; ok

# Another sohoa holding the archive: a clear refusal, nothing touched.
( flock "$A/lock" sleep 3 ) &
sleep 0.5
set +e
"$SOHOA" run --no-ocr --archive "$A" "$good2" 2>"$T/err3"; rc=$?
set -e
wait
expect_eq "busy archive" "$rc" 1
grep -q "another sohoa is writing" "$T/err3" || fail "busy message: $(cat "$T/err3")"; ok

# A catalog another program holds locked (an archivist's sqlite3 in a write transaction):
# sohoa waits (10 s), then fails the dossier clearly; nothing is half-written; once the lock
# is gone the same command archives it.
gen --seed 33 --dossiers 1 --pages 1 --kinds g4 --dpi 200 "$T/lk"
( printf 'BEGIN EXCLUSIVE;\nSELECT 1;\n'; sleep 14 ) | sqlite3 "$A/catalog.sqlite" >/dev/null &
locker=$!
for _ in $(seq 50); do # until the lock is really held (a loaded machine starts it late)
  sqlite3 -cmd ".timeout 0" "$A/catalog.sqlite" "BEGIN IMMEDIATE; ROLLBACK;" 2>/dev/null || break
  sleep 0.1
done
set +e
"$SOHOA" run --no-ocr --archive "$A" "$T/lk/D0001.tif" 2>"$T/err6"; rc=$?
set -e
wait $locker || true
[ $rc = 2 ] || [ $rc = 1 ] || fail "locked catalog: exit $rc"; ok
grep -q "the catalog is locked by another program" "$T/err6" || fail "locked catalog not said: $(cat "$T/err6")"; ok
no_temps "$A"
catalog_matches_disk "$A"
"$SOHOA" run --no-ocr --quiet --archive "$A" "$T/lk/D0001.tif" || fail "after the lock was released"
expect_eq "archived once the lock was gone" \
  "$(sqlite3 "$A/catalog.sqlite" "SELECT count(*) FROM dossiers WHERE source LIKE '%lk/D0001.tif' AND status='archived'")" 1

# A full disk and a read-only archive: real ones, on a small tmpfs (root only).
M=$T/small
mkdir -p "$M"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=3m tmpfs "$M" 2>/dev/null; then
  trap 'umount "$M" 2>/dev/null || true; rm -rf "$T"' EXIT
  gen --seed 32 --dossiers 6 --pages 2 --kinds jpeg-rgb --dpi 300 "$T/full"
  set +e
  "$SOHOA" run --no-ocr --archive "$M/archive" "$T"/full/D*.tif 2>"$T/err4"; rc=$?
  set -e
  expect_eq "disk full exit status" "$rc" 2
  grep -qi "no space left on device" "$T/err4" || fail "ENOSPC not said: $(cat "$T/err4")"; ok
  archived=$(sqlite3 "$M/archive/catalog.sqlite" "SELECT count(*) FROM dossiers WHERE status='archived'")
  [ "$archived" -ge 1 ] && [ "$archived" -lt 6 ] || fail "$archived of 6 archived on a 3 MB disk"; ok
  no_temps "$M/archive"
  # Every archived dossier whole on disk, and every PDF on disk whole and in the catalog.
  # An intent may remain ("writing"): with the disk full SQLite could not drop it, or could
  # not mark it archived after its PDF was written whole and renamed into place (the
  # dossier then fails with "COMMIT: database or disk is full", as often as the disk fills
  # in SQLite's write rather than a PDF's: about 1 run in 15-20 here). The next open
  # completes an intent whose PDF is whole and rolls back any other, which the run below does.
  sqlite3 "$M/archive/catalog.sqlite" "SELECT pdf, pdf_sha256 FROM dossiers WHERE status='archived'" |
    while IFS='|' read -r pdf sha; do
      [ "$(sha256sum "$M/archive/$pdf" | cut -d' ' -f1)" = "$sha" ] || fail "$pdf is not whole after ENOSPC"
    done
  while IFS= read -r f; do
    pdf=${f#"$M/archive/"}
    sha=$(sqlite3 "$M/archive/catalog.sqlite" "SELECT pdf_sha256 FROM dossiers WHERE pdf='$pdf' LIMIT 1")
    [ -n "$sha" ] || fail "$pdf is on disk after ENOSPC but not in the catalog"
    [ "$(sha256sum "$f" | cut -d' ' -f1)" = "$sha" ] || fail "$pdf is on disk after ENOSPC, not whole"
  done < <(find "$M/archive/pdf" -name '*.pdf')
  ok
  # more room: the same command finishes the job
  mount -o remount,size=64m "$M"
  "$SOHOA" run --no-ocr --quiet --archive "$M/archive" "$T"/full/D*.tif
  expect_eq "archived after space was freed" \
    "$(sqlite3 "$M/archive/catalog.sqlite" "SELECT count(*) FROM dossiers WHERE status='archived'")" 6
  expect_eq "intents left after space was freed" \
    "$(sqlite3 "$M/archive/catalog.sqlite" "SELECT count(*) FROM dossiers WHERE status='writing'")" 0
  catalog_matches_disk "$M/archive"
  # read-only
  mount -o remount,ro "$M"
  set +e
  "$SOHOA" run --no-ocr --archive "$M/archive" "$good1" 2>"$T/err5"; rc=$?
  set -e
  expect_eq "read-only archive" "$rc" 1
  grep -qi "read-only" "$T/err5" || fail "read-only not said: $(cat "$T/err5")"; ok
  umount "$M"
  echo "disk full and read-only archive: checked on a real 3 MB tmpfs"
else
  echo "note: not root or no tmpfs mount here: the disk-full and read-only parts are skipped"
fi
done_ok
