#!/usr/bin/env bash
# crash_resume: kill -9 at random moments of `sohoa run`, then the same command again:
# every dossier archived exactly once, no temporary file, the catalog matching the disk,
# and work already done not redone. The short version of tests/stress/kill_resume.sh.
. "$(dirname "$0")/lib.sh"
need sqlite3 sha256sum
[ -n "${SOHOA_GEN:-}" ] || skip "the corpus generator (sohoa-gen) was not built"
out=$(bash "$SOHOA_SRC/tests/stress/kill_resume.sh" --kills 6 --dossiers 12 --pages 3 --seed 5 2>&1) ||
  fail "$out"
echo "$out" | tail -2
echo "$out" | grep -q "survived 6/6 kills; .* archived exactly once" || fail "$out"
ok
# with OCR: the kills land in recognition too
out=$(bash "$SOHOA_SRC/tests/stress/kill_resume.sh" --ocr --kills 3 --dossiers 3 --pages 2 --seed 6 2>&1) ||
  fail "$out"
echo "$out" | tail -2
echo "$out" | grep -q "survived 3/3 kills" || fail "$out"
ok
done_ok
