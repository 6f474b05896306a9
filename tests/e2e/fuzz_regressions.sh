#!/usr/bin/env bash
# fuzz_regressions: every input the fuzzers ever found (tests/fuzz/regressions/) replayed
# through sohoa itself: a clear failure or a PDF, never a crash, a hang or a sanitizer report.
. "$(dirname "$0")/lib.sh"
R=$SOHOA_SRC/tests/fuzz/regressions
n=0
for f in "$R"/fuzz_ingest/*; do
  [ -f "$f" ] || continue
  set +e
  timeout 60 "$SOHOA" run --no-ocr --quiet --archive "$T/a" "$f" 2>"$T/err"; rc=$?
  set -e
  case $rc in 0|2) ;; *) fail "$(basename "$f"): exit $rc: $(cat "$T/err")" ;; esac
  n=$((n + 1))
  ok
done
[ $n -gt 0 ] || skip "no fuzz regressions recorded yet"
echo "$n inputs replayed"
done_ok
