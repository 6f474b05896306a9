#!/usr/bin/env bash
# sign_batch: `sohoa sign` makes its files durable in batches (each file to a temporary
# name, then per batch one data-sync pass, the renames and one sync per folder). 300 files
# in place (three batches) are all signed and valid. A token pulled out midway: the files
# signed before it went are complete and valid, every later one is byte-identical to what
# it was, and no temporary is left. Into --out with one name taken by a folder: that file
# alone fails, the rest are signed. Under a low limit of open files: a soft limit under
# what 32 signers need is raised to the hard one, and a hard limit too low for them gets
# fewer signers, said once; every file is signed either way.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_sign.sh"

P=$T/pki
pki "$P"
make_pdfs "$T/src" 3
mkdir -p "$T/pdf"
for i in $(seq 1 300); do cp "$T/src/p$((i % 3 + 1)).pdf" "$T/pdf/f$i.pdf"; done
sha256sum "$T"/pdf/*.pdf >"$T/before"

# 1. 300 files in place, two signers: every one signed, durable names only
"$SOHOA" sign --quiet --jobs 2 --key "$P/rsa.key" --cert "$P/rsa.pem" "$T"/pdf/*.pdf ||
  fail "signing 300 files exited $?"
no_temps "$T/pdf"
for i in 1 2 3 150 299 300; do signed_ok "$T/pdf/f$i.pdf" 1; done
"$SOHOA" verify --quiet "$T"/pdf/*.pdf || fail "not every one of the 300 files verifies"; ok
changed=$(sha256sum -c "$T/before" 2>/dev/null | grep -c ': FAILED$' || true)
expect_eq "files changed" "$changed" 300

# 2. the token goes away after 150 signatures (1 more checks the key at start), one signer
# so the order is known: f1..f150 of the sorted list signed, the rest untouched
MODULE=/usr/lib/softhsm/libsofthsm2.so
if [ -f "$MODULE" ] && [ -n "${SOHOA_FAKE_TOKEN:-}" ] && [ -f "$SOHOA_FAKE_TOKEN" ] &&
  command -v softhsm2-util >/dev/null; then
  export SOFTHSM2_CONF=$T/softhsm2.conf SOHOA_PIN=123456
  mkdir -p "$T/tokens"
  printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$T" >"$SOFTHSM2_CONF"
  softhsm2-util --init-token --free --label batch --so-pin 87654321 --pin 123456 >/dev/null
  openssl pkcs8 -topk8 -nocrypt -in "$P/rsa.key" -out "$T/rsa.p8"
  softhsm2-util --import "$T/rsa.p8" --token batch --label signer --id 01 --pin 123456 >/dev/null
  rm -rf "$T/pdf" && mkdir -p "$T/pdf"
  for i in $(seq -w 1 300); do cp "$T/src/p$((10#$i % 3 + 1)).pdf" "$T/pdf/f$i.pdf"; done
  sha256sum "$T"/pdf/*.pdf >"$T/before"
  set +e
  SOHOA_FAKE_TOKEN_SIGNS=151 "$SOHOA" sign --jobs 1 --pkcs11-module "$SOHOA_FAKE_TOKEN" \
    --token batch --key-label signer --cert "$P/rsa.pem" "$T"/pdf/*.pdf 2>"$T/err"; rc=$?
  set -e
  expect_eq "exit status with the token gone" "$rc" 2
  expect_eq "signed before the token went" "$(grep -c '^signed' "$T/err")" 150
  expect_eq "failed after" "$(grep -c '^FAILED' "$T/err")" 150
  no_temps "$T/pdf"
  for i in 001 075 150; do signed_ok "$T/pdf/f$i.pdf" 1; done
  "$SOHOA" verify --quiet "$T"/pdf/f0*.pdf "$T"/pdf/f1[0-4]*.pdf "$T/pdf/f150.pdf" ||
    fail "a file signed before the token went does not verify"; ok
  { sha256sum -c "$T/before" 2>/dev/null || true; } | grep ': OK$' | sed 's/: OK$//' | sort >"$T/same"
  expect_eq "untouched files" "$(wc -l <"$T/same")" 150
  expect_eq "first untouched" "$(head -1 "$T/same")" "$T/pdf/f151.pdf"
  unset SOHOA_PIN
else
  echo "(token part skipped: SoftHSM2 or the fake token module is missing)"
fi

# 3. --out where one name is taken by a folder that is not empty: that file fails, alone
rm -rf "$T/pdf" "$T/out" && mkdir -p "$T/pdf" "$T/out/f7.pdf"
for i in $(seq 1 20); do cp "$T/src/p$((i % 3 + 1)).pdf" "$T/pdf/f$i.pdf"; done
touch "$T/out/f7.pdf/keep"
set +e
"$SOHOA" sign --jobs 2 --key "$P/ec.key" --cert "$P/ec.pem" --out "$T/out" "$T"/pdf/*.pdf 2>"$T/err"
rc=$?
set -e
expect_eq "exit status with one failure" "$rc" 2
expect_eq "failures" "$(grep -c '^FAILED' "$T/err")" 1
grep -q '^FAILED .*f7\.pdf' "$T/err" || fail "the failure is not f7.pdf: $(cat "$T/err")"; ok
expect_eq "signed copies" "$(find "$T/out" -maxdepth 1 -name '*.pdf' -type f | wc -l)" 19
[ -f "$T/out/f7.pdf/keep" ] || fail "the folder in the way was changed"; ok
no_temps "$T/out"
signed_ok "$T/out/f8.pdf" 1

# 4. open files: 32 signers need ~1,100 descriptors for themselves and their batches
rm -rf "$T/lim" && mkdir -p "$T/lim"
for i in $(seq 1 200); do cp "$T/src/p$((i % 3 + 1)).pdf" "$T/lim/f$i.pdf"; done
sign32() { # OUT: 32 signers into OUT, their messages in $T/err
  "$SOHOA" sign --jobs 32 --key "$P/ec.key" --cert "$P/ec.pem" --out "$1" "$T"/lim/*.pdf 2>"$T/err"
}
hard=$(ulimit -Hn)
if [ "$hard" = unlimited ] || [ "$hard" -ge 8192 ]; then
  (ulimit -Sn 256 && sign32 "$T/lim_soft") || fail "under a soft limit of 256: $(tail -3 "$T/err")"
  expect_eq "signed under a soft limit of 256" "$(grep -c '^signed' "$T/err")" 200
  ! grep -q 'at once only' "$T/err" || fail "the soft limit was not raised: $(grep once "$T/err")"
  ok
  "$SOHOA" verify --quiet "$T"/lim_soft/*.pdf || fail "files signed under a soft limit: invalid"
  ok
else
  echo "(the hard limit of open files is $hard: the soft one cannot be raised past 8192 here)"
fi
(ulimit -n 200 && sign32 "$T/lim_hard") || fail "under a hard limit of 200: $(tail -3 "$T/err")"
expect_eq "signed under a hard limit of 200" "$(grep -c '^signed' "$T/err")" 200
grep -q '^sohoa sign: [0-9]* at once only: the limit of open files is 200' "$T/err" ||
  fail "no word of fewer signers: $(grep -v '^signed' "$T/err")"
ok
"$SOHOA" verify --quiet "$T"/lim_hard/*.pdf || fail "files signed under a hard limit: invalid"
ok
done_ok
