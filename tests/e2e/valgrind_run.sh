#!/usr/bin/env bash
# valgrind_run: a full `sohoa run` (ingest, clean, OCR, PDF, archive, sidecar, replica)
# under valgrind's memcheck: no invalid access, nothing definitely or indirectly lost.
. "$(dirname "$0")/lib.sh"
need valgrind
[ "${SOHOA_SANITIZED:-0}" = 1 ] && skip "a sanitizer build: valgrind runs on the plain build"
gen --seed 41 --dossiers 2 --pages 1 --kinds g4,jpeg-gray --dpi 200 "$T/in"
# OMP_THREAD_LIMIT set here: sohoa would otherwise re-exec itself, and valgrind with it.
# The thread-pool I/O: valgrind 3.19 does not follow io_uring's shared rings.
OMP_THREAD_LIMIT=1 SOHOA_IO=threads timeout 500 valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect \
  --errors-for-leak-kinds=definite,indirect --error-exitcode=9 \
  "$SOHOA" run --jobs 2 --sidecar --quiet --archive "$T/archive" --replica "$T/replica" \
  "$T"/in/D*.tif 2>"$T/vg" || fail "valgrind: $(cat "$T/vg")"
ok
expect_eq "archived under valgrind" "$(sqlite3 "$T/archive/catalog.sqlite" "SELECT count(*) FROM dossiers WHERE status='archived'")" 2
done_ok
