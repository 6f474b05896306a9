#!/usr/bin/env bash
# sign_token_pulled: the signing token goes away in the middle of a run (a PKCS#11 module
# over SoftHSM2 that answers CKR_DEVICE_REMOVED after N signatures): the dossiers signed
# before are archived, every later one fails with a clear message and leaves nothing
# behind, and the same command with the token back archives the rest, each once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_sign.sh"
need softhsm2-util sqlite3
MODULE=/usr/lib/softhsm/libsofthsm2.so
[ -f "$MODULE" ] || skip "SoftHSM2's PKCS#11 module is not at $MODULE"
[ -n "${SOHOA_FAKE_TOKEN:-}" ] && [ -f "$SOHOA_FAKE_TOKEN" ] || skip "the fake token module was not built (libp11-kit-dev)"

P=$T/pki
pki "$P"
export SOFTHSM2_CONF=$T/softhsm2.conf SOHOA_PIN=123456
mkdir -p "$T/tokens"
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$T" >"$SOFTHSM2_CONF"
softhsm2-util --init-token --free --label pulled --so-pin 87654321 --pin 123456 >/dev/null
openssl pkcs8 -topk8 -nocrypt -in "$P/rsa.key" -out "$T/rsa.p8"
softhsm2-util --import "$T/rsa.p8" --token pulled --label signer --id 01 --pin 123456 >/dev/null
gen --seed 17 --dossiers 8 --pages 1 --kinds g4 --dpi 200 "$T/in"
A=$T/archive
sign=(--token pulled --key-label signer --sign-cert "$P/rsa.pem" --sign-profile none)

# 1 signature checks the key at start, then 3 dossiers, then the token is gone
set +e
SOHOA_FAKE_TOKEN_SIGNS=4 "$SOHOA" run --no-ocr --jobs 1 --archive "$A" \
  --pkcs11-module "$SOHOA_FAKE_TOKEN" "${sign[@]}" "$T"/in/D*.tif 2>"$T/err"; rc=$?
set -e
expect_eq "exit status with the token gone" "$rc" 2
expect_eq "archived before the token went" "$(grep -c '^archived' "$T/err")" 3
expect_eq "failed after" "$(grep -c '^FAILED' "$T/err")" 5
grep -q "refused to sign (.*Device removed.*); with a token, check that it is still plugged in" "$T/err" ||
  fail "no clear message: $(grep FAILED "$T/err" | head -2)"
ok
no_temps "$A"
catalog_matches_disk "$A"
for f in $(find "$A/pdf" -name '*.pdf'); do signed_ok "$f" 1; done

# the token is back: the same command archives the 5 others, and only them
"$SOHOA" run --no-ocr --jobs 1 --archive "$A" --pkcs11-module "$MODULE" "${sign[@]}" \
  "$T"/in/D*.tif 2>"$T/err2" || fail "with the token back: $(cat "$T/err2")"
grep -q "^8 inputs: 5 archived (5 pages), 3 already archived, 0 failed" "$T/err2" ||
  fail "second run: $(tail -2 "$T/err2")"
ok
expect_eq "archived once each" "$(sqlite3 "$A/catalog.sqlite" "SELECT count(DISTINCT key) || '/' || count(*) FROM dossiers WHERE status='archived'")" "8/8"
catalog_matches_disk "$A"
done_ok
