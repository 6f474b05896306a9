#!/usr/bin/env bash
# bad_input: broken inputs fail alone, with a message naming the file (and page), the rest
# of the batch is archived, exit status 2, and nothing of a bad dossier reaches the archive.
. "$(dirname "$0")/lib.sh"
need qpdf sqlite3

gen --seed 3 --dossiers 2 --pages 3 --kinds g4,lzw-gray --dpi 300 "$T/in"
good1=$T/in/D0001.tif good2=$T/in/D0002.tif
mkdir -p "$T/bad"
head -c $(( $(stat -c %s "$good2") / 2 )) "$good2" >"$T/bad/truncated.tif"
: >"$T/bad/empty.tif"
echo "not an image at all" >"$T/bad/notes.tif"
printf 'II*\0\x08\0\0\0\xff\xff' >"$T/bad/header-only.tif"
ln -s "$T/bad/nowhere.tif" "$T/bad/dangling.tif"
mkdir -p "$T/bad/emptyfolder"

A=$T/archive
set +e
"$SOHOA" run --no-ocr --archive "$A" "$good1" "$T/bad/truncated.tif" "$T/bad/empty.tif" \
  "$T/bad/notes.tif" "$T/bad/header-only.tif" "$T/bad/dangling.tif" "$T/bad/missing.tif" \
  "$T/bad/emptyfolder" "$good2" 2>"$T/err"
rc=$?
set -e
expect_eq "exit status with some bad inputs" "$rc" 2
for f in truncated.tif empty.tif notes.tif header-only.tif dangling.tif missing.tif emptyfolder; do
  grep -q "^FAILED .*$f" "$T/err" || fail "no error naming $f in: $(cat "$T/err")"
  ok
done
grep "truncated.tif" "$T/err" | grep -qi "page" || fail "the truncated TIFF's error names no page"; ok
grep -q "empty (0 bytes)" "$T/err" || fail "zero-byte file not called empty"; ok
expect_eq "archived" "$(sqlite3 "$A/catalog.sqlite" "SELECT count(*) FROM dossiers WHERE status='archived'")" 2
expect_eq "no bad source in the catalog" \
  "$(sqlite3 "$A/catalog.sqlite" "SELECT count(*) FROM dossiers WHERE source LIKE '%/bad/%'")" 0
no_temps "$A"
catalog_matches_disk "$A"

# Usage errors exit 1.
set +e
"$SOHOA" run --no-ocr --archive "$A" 2>/dev/null; rc=$?
set -e
expect_eq "no inputs" "$rc" 1
set +e
"$SOHOA" run --bogus 2>/dev/null; rc=$?
set -e
expect_eq "unknown option" "$rc" 1
# An archive that is a file: fatal, exit 1.
: >"$T/not-a-folder"
set +e
"$SOHOA" run --no-ocr --archive "$T/not-a-folder" "$good1" 2>"$T/err2"; rc=$?
set -e
expect_eq "archive is a file" "$rc" 1
grep -q "not a folder" "$T/err2" || fail "archive-is-a-file message: $(cat "$T/err2")"; ok
done_ok
