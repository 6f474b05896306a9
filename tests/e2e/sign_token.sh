#!/usr/bin/env bash
# sign_token: keys in a PKCS#12 file and on a SoftHSM2 token (set up without a prompt):
# one login for a batch of files, RSA v1.5, PSS and ECDSA on the token; a wrong PIN or
# passphrase is refused before anything is written (no partial or temporary file).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_sign.sh"
need softhsm2-util
MODULE=/usr/lib/softhsm/libsofthsm2.so
[ -f "$MODULE" ] || skip "SoftHSM2's PKCS#11 module is not at $MODULE"

P=$T/pki
pki "$P"
make_pdfs "$T/pdf" 3

# PKCS#12: key, certificate and chain from one file; the passphrase from SOHOA_PIN
openssl pkcs12 -export -inkey "$P/rsa.key" -in "$P/rsa.pem" -certfile "$P/ca.pem" \
  -out "$P/rsa.p12" -passout pass:bí-mật
cp "$T/pdf/p1.pdf" "$T/a.pdf"
before=$(sha256sum <"$T/a.pdf")
if SOHOA_PIN=sai "$SOHOA" sign --key "$P/rsa.p12" "$T/a.pdf" 2>"$T/err"; then fail "wrong p12 passphrase accepted"; fi
grep -q "wrong passphrase" "$T/err" || fail "p12 message: $(cat "$T/err")"; ok
expect_eq "untouched after a wrong passphrase" "$(sha256sum <"$T/a.pdf")" "$before"
SOHOA_PIN=bí-mật "$SOHOA" sign --quiet --key "$P/rsa.p12" "$T/a.pdf" || fail "p12 signing exited $?"
signed_ok "$T/a.pdf" 1
# the chain came from the .p12: both certificates are in the CMS
cms_of "$T/a.pdf" "$T/a.der"
expect_eq "p12 chain embedded" "$(openssl cms -cmsout -print -inform DER -in "$T/a.der" | grep -c 'd.certificate:')" 2
# an EC key in a .pfx
openssl pkcs12 -export -inkey "$P/ec.key" -in "$P/ec.pem" -out "$P/ec.pfx" -passout pass:x
SOHOA_PIN=x "$SOHOA" sign --quiet --key "$P/ec.pfx" --chain "$P/ca.pem" "$T/a.pdf" || fail "pfx EC exited $?"
signed_ok "$T/a.pdf" 2

# SoftHSM2: a token of our own, no prompt (LIBS.md §3)
export SOFTHSM2_CONF=$T/softhsm2.conf
mkdir -p "$T/tokens"
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$T" >"$SOFTHSM2_CONF"
softhsm2-util --init-token --free --label sohoa-test --so-pin 87654321 --pin 123456 >/dev/null
openssl pkcs8 -topk8 -nocrypt -in "$P/rsa.key" -out "$T/rsa.p8"
openssl pkcs8 -topk8 -nocrypt -in "$P/ec.key" -out "$T/ec.p8"
softhsm2-util --import "$T/rsa.p8" --token sohoa-test --label signer --id 01 --pin 123456 >/dev/null
softhsm2-util --import "$T/ec.p8" --token sohoa-test --label ecsigner --id 02 --pin 123456 >/dev/null
tok=(--pkcs11-module "$MODULE" --token sohoa-test)

# a wrong PIN: refused, nothing written, no temporary file left
mkdir -p "$T/batch"
cp "$T/pdf/p1.pdf" "$T/pdf/p2.pdf" "$T/pdf/p3.pdf" "$T/batch/"
sums=$(cd "$T/batch" && sha256sum ./*.pdf)
if SOHOA_PIN=000000 "$SOHOA" sign "${tok[@]}" --key-label signer --cert "$P/rsa.pem" \
  "$T"/batch/*.pdf 2>"$T/err"; then fail "wrong PIN accepted"; fi
grep -q "refused the PIN" "$T/err" || fail "PIN message: $(cat "$T/err")"; ok
expect_eq "batch untouched after a wrong PIN" "$(cd "$T/batch" && sha256sum ./*.pdf)" "$sums"
expect_eq "files in the batch folder" "$(find "$T/batch" -type f | wc -l)" 3
# no PIN at all
if env -u SOHOA_PIN "$SOHOA" sign "${tok[@]}" --key-label signer "$T/batch/p1.pdf" 2>"$T/err"; then
  fail "no PIN accepted"
fi
grep -q "needs its PIN" "$T/err" || fail "no-PIN message: $(cat "$T/err")"; ok

# the right PIN from a file: one login, three files; the certificate from a file
printf '123456\n' >"$T/pin"
"$SOHOA" sign --quiet "${tok[@]}" --key-label signer --cert "$P/rsa.pem" --chain "$P/ca.pem" \
  --pin-file "$T/pin" "$T"/batch/*.pdf || fail "token batch exited $?"
for f in "$T"/batch/*.pdf; do signed_ok "$f" 1; done
no_temps "$T/batch"
# PSS and ECDSA on the token, as later signatures of the same file
SOHOA_PIN=123456 "$SOHOA" sign --quiet "${tok[@]}" --key-label signer --cert "$P/rsa.pem" \
  --pss "$T/batch/p1.pdf" || fail "token PSS exited $?"
pdfsig_ok "$T/batch/p1.pdf" 2
verify_ok "$T/batch/p1.pdf" 2
SOHOA_PIN=123456 "$SOHOA" sign --quiet "${tok[@]}" --key-label ecsigner --cert "$P/ec.pem" \
  "$T/batch/p1.pdf" || fail "token ECDSA exited $?"
signed_ok "$T/batch/p1.pdf" 3
# a token key with somebody else's certificate is refused
if SOHOA_PIN=123456 "$SOHOA" sign "${tok[@]}" --key-label ecsigner --cert "$P/rsa.pem" \
  "$T/batch/p2.pdf" 2>"$T/err"; then fail "token key with a foreign certificate accepted"; fi
grep -q "does not belong" "$T/err" || fail "mismatch message: $(cat "$T/err")"; ok

# sohoa run with the token: one login for the run, every dossier signed as it is archived
# by several workers at once (the token's operations one at a time); a wrong PIN stops the
# run before anything is archived
gen --seed 3 --dossiers 4 --pages 1 --kinds g4 "$T/in"
if SOHOA_PIN=999999 "$SOHOA" run --no-ocr --quiet --jobs 2 --archive "$T/bad" "${tok[@]}" \
  --key-label signer --sign-cert "$P/rsa.pem" "$T"/in/D*.tif 2>"$T/err"; then fail "run: wrong PIN accepted"; fi
grep -q "refused the PIN" "$T/err" || fail "run PIN message: $(cat "$T/err")"; ok
expect_eq "nothing archived after a wrong PIN" "$(find "$T/bad" -name '*.pdf' 2>/dev/null | wc -l)" 0
SOHOA_PIN=123456 "$SOHOA" run --no-ocr --quiet --jobs 2 --archive "$T/good" "${tok[@]}" \
  --key-label signer --sign-cert "$P/rsa.pem" --sign-chain "$P/ca.pem" "$T"/in/D*.tif || fail "token run exited $?"
n=0
for f in $(find "$T/good/pdf" -name '*.pdf'); do signed_ok "$f" 1; n=$((n + 1)); done
expect_eq "dossiers signed on the token" "$n" 4
done_ok
