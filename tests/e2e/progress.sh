#!/usr/bin/env bash
# progress: on a terminal (a pseudo-terminal made by script(1)) `sohoa run` keeps one live
# line (pages done of all, inputs, pages/min, time left, the input) and clears it before
# each dossier line; not on a terminal, one quiet line per dossier and no control codes;
# --quiet prints only failures; the summary's numbers match the run.
. "$(dirname "$0")/lib.sh"
need script
gen --seed 61 --dossiers 3 --pages 2 --kinds g4 --dpi 200 --blank-separators "$T/in"
printf 'II*\0broken' >"$T/in/D0009.tif"

script -qec "$SOHOA run --archive $T/a1 $T/in/D0001.tif $T/in/D0002.tif $T/in/D0003.tif $T/in/D0009.tif" \
  /dev/null >"$T/tty.out" || true
tr '\r' '\n' <"$T/tty.out" | sed 's/\x1b\[K//g' >"$T/tty.txt"
grep -Eq '^[0-9]+/[0-9]+ pages  4/4 inputs  [0-9]+ pages/min  ETA [0-9]+:[0-9]{2}  D000[0-9]\.tif' "$T/tty.txt" ||
  fail "no progress line on a terminal: $(head -c 600 "$T/tty.txt")"
ok
grep -q "(1 failed)" "$T/tty.txt" || fail "failures not counted on the progress line"; ok
grep -q $'\x1b\[K' "$T/tty.out" || fail "the progress line is never cleared"; ok
grep -Eq '^archived   .*D0001.tif: 2 pages' "$T/tty.txt" || fail "dossier line mangled by the progress line"; ok

"$SOHOA" run --archive "$T/a2" "$T"/in/D000*.tif 2>"$T/plain.err" || true
grep -q $'\r' "$T/plain.err" && fail "control characters when stderr is not a terminal"
ok
expect_eq "one line per dossier" "$(grep -Ec '^(archived|FAILED|skipped) ' "$T/plain.err")" 4
# the summary against what the run did: 3 inputs archived, 7 pages (6 + 1 separator),
# 1 blank, 1 failed by format
grep -q "^4 inputs: 3 archived (7 pages), 0 already archived, 1 failed" "$T/plain.err" ||
  fail "summary: $(grep inputs: "$T/plain.err")"
ok
grep -q "7 pages recognised\|6 pages recognised" "$T/plain.err" || fail "recognised pages: $(cat "$T/plain.err")"; ok
grep -q "1 blank separator$" "$T/plain.err" || fail "blank count: $(cat "$T/plain.err")"; ok
grep -q "failures by cause: format 1" "$T/plain.err" || fail "failures by cause"; ok

"$SOHOA" run --quiet --archive "$T/a3" "$T"/in/D000*.tif 2>"$T/quiet.err" || true
expect_eq "--quiet prints the failure only" "$(wc -l <"$T/quiet.err")" 1
grep -q "^FAILED .*D0009.tif" "$T/quiet.err" || fail "--quiet hid the failure"; ok
done_ok
