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
key=
for f in "$R"/fuzz_pdf/*; do
  [ -f "$f" ] || continue
  if [ -z "$key" ] && command -v openssl >/dev/null; then
    key=$T/k.pem
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$key" \
      -out "$T/c.pem" -days 30 -subj "/CN=fuzz" -addext "keyUsage=critical,digitalSignature" 2>/dev/null
  fi
  set +e
  timeout 60 "$SOHOA" verify "$f" >/dev/null 2>"$T/err"; rc=$?
  set -e
  case $rc in 0|1|2) ;; *) fail "verify $(basename "$f"): exit $rc: $(cat "$T/err")" ;; esac
  if [ -n "$key" ]; then
    set +e
    timeout 60 "$SOHOA" sign --key "$key" --cert "$T/c.pem" --out "$T/signed" "$f" 2>"$T/err"; rc=$?
    set -e
    case $rc in 0|1|2) ;; *) fail "sign $(basename "$f"): exit $rc: $(cat "$T/err")" ;; esac
  fi
  n=$((n + 1))
  ok
done
[ $n -gt 0 ] || skip "no fuzz regressions recorded yet"
echo "$n inputs replayed"
done_ok
