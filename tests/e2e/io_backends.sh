#!/usr/bin/env bash
# io_backends: io_uring and the thread-pool fallback both archive correctly, chosen by
# option or by SOHOA_IO; asking for io_uring where it is unavailable is a clear error.
. "$(dirname "$0")/lib.sh"
need qpdf sqlite3

gen --seed 5 --dossiers 3 --pages 2 --kinds g4 --dpi 300 "$T/in"
for be in threads uring; do
  A=$T/a-$be
  set +e
  "$SOHOA" run --no-ocr --io $be --archive "$A" --json "$T"/in/D*.tif >"$T/$be.json" 2>"$T/$be.err"
  rc=$?
  set -e
  if [ $be = uring ] && [ $rc = 1 ] && grep -qi "io_uring" "$T/$be.err"; then
    echo "note: io_uring unavailable here: $(cat "$T/$be.err")"
    continue
  fi
  expect_eq "$be exit" "$rc" 0
  grep -q "\"io\":\"$( [ $be = uring ] && echo io_uring || echo threads)\"" "$T/$be.json" ||
    fail "$be: summary names another backend: $(tail -1 "$T/$be.json")"; ok
  for pdf in $(find "$A/pdf" -name '*.pdf'); do qpdf_ok "$pdf"; done
  catalog_matches_disk "$A"
  no_temps "$A"
done
A=$T/a-env
SOHOA_IO=threads "$SOHOA" run --no-ocr --archive "$A" --json "$T"/in/D*.tif >"$T/env.json" 2>/dev/null
grep -q '"io":"threads"' "$T/env.json" || fail "SOHOA_IO=threads was not obeyed"; ok
done_ok
