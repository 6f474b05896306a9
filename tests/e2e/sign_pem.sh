#!/usr/bin/env bash
# sign_pem: `sohoa sign` with PEM keys: RSA PKCS#1 v1.5, RSA-PSS, ECDSA P-256 and P-384
# (SHA-384), two and three signatures on one file, --out and in place; every file checked
# with pdfsig, mutool, qpdf and sohoa verify. Refusals (expired certificate, wrong key
# usage, a certificate that is not the key's) leave the file untouched. A flipped byte
# anywhere in a signed range fails sohoa verify. Signing never loads Tesseract.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_sign.sh"

P=$T/pki
pki "$P"
make_pdfs "$T/pdf" 4

# 1. RSA v1.5 into --out (created if missing); the input stays as it was
before=$(sha256sum <"$T/pdf/p1.pdf")
"$SOHOA" sign --quiet --key "$P/rsa.key" --cert "$P/rsa.pem" --chain "$P/ca.pem" \
  --out "$T/out" "$T/pdf/p1.pdf" || fail "sign RSA exited $?"
expect_eq "input untouched" "$(sha256sum <"$T/pdf/p1.pdf")" "$before"
signed_ok "$T/out/p1.pdf" 1
# nothing of the OCR stack is loaded to sign (it is loaded when a page is recognised)
LD_DEBUG=libs "$SOHOA" sign --quiet --key "$P/rsa.key" --cert "$P/rsa.pem" --out "$T/ld" \
  "$T/pdf/p1.pdf" 2>"$T/ld.log" || fail "sign under LD_DEBUG exited $?"
grep -q 'libcrypto' "$T/ld.log" || fail "LD_DEBUG printed nothing: the check below means nothing"; ok
grep -q 'libtesseract' "$T/ld.log" && fail "signing loaded Tesseract"; ok
# the original bytes are a prefix of the signed file (incremental update)
n=$(stat -c %s "$T/pdf/p1.pdf")
expect_eq "original bytes kept" "$(head -c "$n" "$T/out/p1.pdf" | sha256sum)" "$before"
# PAdES B-B: no CMS signing-time; ESS signing-certificate-v2; /M; the first /ID kept
cms_of "$T/out/p1.pdf" "$T/cms.der" "$T/signed.bin"
openssl cms -cmsout -print -inform DER -in "$T/cms.der" >"$T/cms.txt" || fail "CMS does not parse"
grep -q 'signingCertificateV2' "$T/cms.txt" || fail "no ESS signing-certificate-v2"; ok
grep -q 'signingTime' "$T/cms.txt" && fail "a CMS signing-time attribute is present"; ok
expect_eq "certificates embedded" "$(grep -c 'd.certificate:' "$T/cms.txt")" 2
grep -aq '/SubFilter /ETSI.CAdES.detached' "$T/out/p1.pdf" || fail "SubFilter"; ok
grep -aq "/M (D:[0-9]\{14\}+07'00')" "$T/out/p1.pdf" || fail "/M"; ok
id0() { grep -a -o '/ID *\[ *<[0-9A-Fa-f]*>' "$1" | tail -1 | sed 's/.*<//'; }
id1() { grep -a -o '/ID *\[ *<[0-9A-Fa-f]*> *<[0-9A-Fa-f]*>' "$1" | tail -1 | sed 's/.*<//;s/>//'; }
expect_eq "first /ID kept" "$(id0 "$T/out/p1.pdf")" "$(id0 "$T/pdf/p1.pdf")"
[ "$(id1 "$T/out/p1.pdf")" != "$(id1 "$T/pdf/p1.pdf")" ] || fail "second /ID not refreshed"; ok
# the digest over the ranges and the CMS verify with OpenSSL too
openssl cms -verify -inform DER -in "$T/cms.der" -content "$T/signed.bin" -binary \
  -CAfile "$P/ca.pem" -purpose any -out /dev/null 2>"$T/ossl.err" || fail "openssl cms -verify: $(cat "$T/ossl.err")"; ok

# 2. in place, then a second (ECDSA P-256) and a third (P-384, SHA-384) signature
cp "$T/out/p1.pdf" "$T/multi.pdf"
"$SOHOA" sign --quiet --key "$P/ec.key" --cert "$P/ec.pem" --chain "$P/ca.pem" "$T/multi.pdf" ||
  fail "second signature exited $?"
signed_ok "$T/multi.pdf" 2
"$SOHOA" sign --quiet --key "$P/ec384.key" --cert "$P/ec384.pem" --chain "$P/ca.pem" \
  --digest sha384 "$T/multi.pdf" || fail "third signature exited $?"
signed_ok "$T/multi.pdf" 3
pdfsig "$T/multi.pdf" | grep -q 'SHA-384' || fail "no SHA-384 signature"; ok
no_temps "$T"

# 3. RSA-PSS; mutool 1.21 cannot check PSS (it verifies through OpenSSL's PKCS7 code,
# which knows only PKCS#1 v1.5), so pdfsig, qpdf, OpenSSL's CMS and sohoa verify decide.
cp "$T/pdf/p2.pdf" "$T/pss.pdf"
"$SOHOA" sign --quiet --pss --key "$P/rsa.key" --cert "$P/rsa.pem" --chain "$P/ca.pem" \
  "$T/pss.pdf" || fail "PSS exited $?"
pdfsig_ok "$T/pss.pdf" 1
qpdf_ok "$T/pss.pdf"
verify_ok "$T/pss.pdf" 1
cms_of "$T/pss.pdf" "$T/pss.der" "$T/pss.bin"
openssl cms -cmsout -print -inform DER -in "$T/pss.der" | grep -q rsassaPss || fail "not PSS"; ok
openssl cms -verify -inform DER -in "$T/pss.der" -content "$T/pss.bin" -binary \
  -CAfile "$P/ca.pem" -purpose any -out /dev/null 2>/dev/null || fail "PSS: openssl cms -verify"; ok
# SHA-512, PSS with it too
cp "$T/pdf/p4.pdf" "$T/s512.pdf"
"$SOHOA" sign --quiet --digest sha512 --key "$P/rsa.key" --cert "$P/rsa.pem" "$T/s512.pdf" || fail "sha512"
"$SOHOA" sign --quiet --digest sha512 --pss --key "$P/rsa.key" --cert "$P/rsa.pem" "$T/s512.pdf" || fail "sha512 PSS"
pdfsig_ok "$T/s512.pdf" 2
expect_eq "SHA-512 signatures" "$(pdfsig "$T/s512.pdf" | grep -c 'SHA-512')" 2
verify_ok "$T/s512.pdf" 2
# a later v1.5 signature over the PSS one: both valid
"$SOHOA" sign --quiet --key "$P/rsa.key" --cert "$P/rsa.pem" "$T/pss.pdf" || fail "sign after PSS"
pdfsig_ok "$T/pss.pdf" 2
mutool_ok "$T/pss.pdf"

# 4. refusals: nothing written, the file byte-identical, a message that says why
cp "$T/pdf/p3.pdf" "$T/r.pdf"
before=$(sha256sum <"$T/r.pdf")
refuse() { # refuse WHAT PATTERN ARGS...
  local what=$1 pat=$2
  shift 2
  if "$SOHOA" sign "$@" "$T/r.pdf" 2>"$T/refuse.err"; then fail "$what: signed anyway"; fi
  grep -q "$pat" "$T/refuse.err" || fail "$what: message: $(cat "$T/refuse.err")"
  expect_eq "$what: file untouched" "$(sha256sum <"$T/r.pdf")" "$before"
}
refuse "expired certificate" "expired" --key "$P/expired.key" --cert "$P/expired.pem"
refuse "wrong key usage" "not for signatures" --key "$P/nousage.key" --cert "$P/nousage.pem"
refuse "key and certificate differ" "does not belong" --key "$P/ec.key" --cert "$P/rsa.pem"
refuse "unknown digest" "sha256" --key "$P/rsa.key" --cert "$P/rsa.pem" --digest md5
# an encrypted key: no passphrase, a wrong one, then the right one from --pin-file
openssl pkey -in "$P/rsa.key" -aes256 -passout pass:mật-khẩu -out "$P/rsa-enc.key"
refuse "encrypted key, no passphrase" "no passphrase was given" --key "$P/rsa-enc.key" --cert "$P/rsa.pem"
SOHOA_PIN=wrong refuse "encrypted key, wrong passphrase" "passphrase (SOHOA_PIN or --pin-file) is wrong" --key "$P/rsa-enc.key" --cert "$P/rsa.pem"
printf 'mật-khẩu\n' >"$T/pin"
"$SOHOA" sign --quiet --key "$P/rsa-enc.key" --cert "$P/rsa.pem" --pin-file "$T/pin" "$T/r.pdf" ||
  fail "encrypted key with --pin-file"
pdfsig_ok "$T/r.pdf" 1

# 5. tampering: one flipped byte anywhere in the signed ranges fails sohoa verify
cp "$T/multi.pdf" "$T/t.pdf"
size=$(stat -c %s "$T/t.pdf")
read -r a b c <<<"$(byterange "$T/t.pdf")"
r1=$(grep -a -o '/ByteRange \[0 *[0-9]*' "$T/t.pdf" | head -1 | awk '{print $3}') # sig 1's hole
for off in 0 9 $((r1 / 2)) $((r1 - 1)) $((a - 1)) $((b)) $((size - 30)) $((size - 1)) \
  $((RANDOM * 32768 % a)); do
  cp "$T/multi.pdf" "$T/t.pdf"
  flip "$T/t.pdf" "$off"
  if "$SOHOA" verify --trust "$P/ca.pem" "$T/t.pdf" >"$T/t.out" 2>&1; then
    fail "byte $off flipped: sohoa verify still says valid: $(cat "$T/t.out")"
  fi
  ok
done
# and the untouched file still passes, in Vietnamese too
env -u LC_ALL LANG=vi_VN.UTF-8 "$SOHOA" verify --trust "$P/ca.pem" "$T/multi.pdf" >"$T/vi.out" || fail "verify (vi)"
expect_eq "Vietnamese report" "$(grep -c 'HỢP LỆ' "$T/vi.out")" 3
grep -q 'một phiên bản trước' "$T/vi.out" || fail "earlier revisions not reported: $(cat "$T/vi.out")"; ok
# a wrong trust root fails the chain
if "$SOHOA" verify --trust "$P/rsa.pem" "$T/multi.pdf" >"$T/trust.out"; then
  fail "an untrusted chain passed"
fi
grep -q 'certificate chain: FAILED' "$T/trust.out" || fail "chain: $(cat "$T/trust.out")"; ok
# an unsigned PDF is not a pass, and --quiet (only failures) still says so
if "$SOHOA" verify "$T/pdf/p4.pdf" >/dev/null; then fail "unsigned PDF verified"; fi; ok
if "$SOHOA" verify --quiet "$T/multi.pdf" "$T/pdf/p4.pdf" >"$T/q.out"; then fail "unsigned PDF verified (--quiet)"; fi
expect_eq "--quiet: the unsigned PDF named, nothing else" "$(cat "$T/q.out")" "$T/pdf/p4.pdf: no signatures"
done_ok
