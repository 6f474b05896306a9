#!/usr/bin/env bash
# docs: the manual page renders without a warning and names every command and every option
# `sohoa run --help` lists; --version; bash completion completes commands and options.
. "$(dirname "$0")/lib.sh"
need groff
MAN=$SOHOA_SRC/pipeline/sohoa.1
groff -k -man -Tutf8 -ww -P-cbou "$MAN" >"$T/man.txt" 2>"$T/man.err" || fail "groff failed"
[ ! -s "$T/man.err" ] || fail "the manual page has warnings: $(head -5 "$T/man.err")"; ok
for cmd in $("$SOHOA" --help | awk '/^Commands:/ {on=1; next} on && /^  [a-z]/ {print $1}' | sort -u); do
  grep -q "^       sohoa $cmd\|^       sohoa  *$cmd" "$T/man.txt" || fail "the manual lacks the command $cmd"
  ok
done
for opt in $("$SOHOA" run --help | grep -o -- '--[a-z][a-z0-9-]*' | sort -u); do
  grep -q -- "$opt" "$MAN" || grep -q -- "${opt//-/\\\\-}" "$MAN" || fail "the manual lacks run's $opt"
  ok
done
grep -q "^EXIT STATUS" "$T/man.txt" && grep -q "^ENVIRONMENT" "$T/man.txt" && grep -q "^FILES" "$T/man.txt" &&
  grep -q "^EXAMPLES" "$T/man.txt" || fail "a section is missing from the manual"
ok
"$SOHOA" --version | grep -Eq '^sohoa [0-9]+\.[0-9]+\.[0-9]+$' || fail "--version: $("$SOHOA" --version)"; ok

# bash completion
. "$SOHOA_SRC/pipeline/sohoa.bash"
COMP_WORDS=(sohoa ver); COMP_CWORD=1; _sohoa
expect_eq "complete a command" "${COMPREPLY[*]}" "verify"
COMP_WORDS=(sohoa run --sid); COMP_CWORD=2; _sohoa
expect_eq "complete a run option" "${COMPREPLY[*]}" "--sidecar"
COMP_WORDS=(sohoa run --io ur); COMP_CWORD=3; _sohoa
expect_eq "complete an option's value" "${COMPREPLY[*]}" "uring"
done_ok
