#!/usr/bin/env bash
# sign_direct: `sohoa sign` reads each document with O_DIRECT into a page-aligned buffer,
# the next one in the background while it signs the current one, and writes the signed
# copy as that buffer plus the update. Every copy is the original byte for byte followed
# by one update, of the size that says, valid for pdfsig, mutool and qpdf: inputs whose
# length is a page multiple plus 0, 1, a few hundred and thousands of bytes, and one
# smaller than a page; unreadable files between good ones fail alone. Where O_DIRECT is
# refused (a ramfs, in a mount namespace of its own when this runs as root) the same files
# are read the ordinary way, as valid. Signing in place too.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_sign.sh"

P=$T/pki
pki "$P"
make_pdfs "$T/src" 2
mkdir -p "$T/pdf"
# pad SRC DST N: SRC with N spaces after its last "trailer" keyword (no offset before it
# moves, so the PDF stays valid): a document of any length wanted
pad() {
  local at
  at=$(grep -abo 'trailer' "$1" | tail -1 | cut -d: -f1)
  { head -c $((at + 7)) "$1"; printf '%*s' "$3" ''; tail -c +$((at + 8)) "$1"; } >"$2"
}
base=$(stat -c %s "$T/src/p1.pdf")
up=$(((base + 4095) / 4096 * 4096)) # the next page multiple
pad "$T/src/p1.pdf" "$T/pdf/aligned.pdf" $((up - base))
pad "$T/src/p1.pdf" "$T/pdf/plus1.pdf" $((up - base + 1))
pad "$T/src/p1.pdf" "$T/pdf/plus300.pdf" $((up - base + 300))
pad "$T/src/p1.pdf" "$T/pdf/plus4000.pdf" $((up - base + 4000))
cp "$T/src/p2.pdf" "$T/pdf/plain.pdf"
expect_eq "aligned input" $(($(stat -c %s "$T/pdf/aligned.pdf") % 4096)) 0
expect_eq "input + 1" $(($(stat -c %s "$T/pdf/plus1.pdf") % 4096)) 1
qpdf_ok "$T/pdf/aligned.pdf"

# check DIR: each signed copy in DIR is its input, then one update, and valid
check() {
  local f n
  for f in "$T"/pdf/*.pdf; do
    n=$(stat -c %s "$f")
    cmp -s -n "$n" "$f" "$1/${f##*/}" || fail "$1/${f##*/}: the first $n bytes are not the input's"
    ok
    [ "$(stat -c %s "$1/${f##*/}")" -gt "$n" ] || fail "$1/${f##*/}: no update after the input"
    ok
    # the update is exactly what the ByteRange covers after the input: the file ends
    # where the signature's second range ends
    read -r a b c <<<"$(byterange "$1/${f##*/}")"
    expect_eq "${f##*/}: covered length" $((b + c)) "$(stat -c %s "$1/${f##*/}")"
    signed_ok "$1/${f##*/}" 1
  done
  no_temps "$1"
}

# 1. into --out on the test's own folder (ext4, XFS... take O_DIRECT; tmpfs since 6.6)
"$SOHOA" sign --quiet --jobs 2 --key "$P/rsa.key" --cert "$P/rsa.pem" --out "$T/out" "$T"/pdf/*.pdf ||
  fail "signing into --out exited $?"
check "$T/out"

# 2. in place, a second signature on the copies: the first stays valid
cp -r "$T/out" "$T/again"
"$SOHOA" sign --quiet --jobs 1 --key "$P/ec.key" --cert "$P/ec.pem" "$T"/again/*.pdf ||
  fail "signing in place exited $?"
for f in "$T"/again/*.pdf; do
  n=$(stat -c %s "$T/out/${f##*/}")
  cmp -s -n "$n" "$T/out/${f##*/}" "$f" || fail "$f: the first signed version is not kept as it was"
  ok
  signed_ok "$f" 2
done
no_temps "$T/again"

# 3. files that cannot be read, between good ones (each signer reads the next file while
# it signs the current one): each fails alone with the ordinary message
mkdir -p "$T/mixed/folder.pdf"
printf 'not a pdf' >"$T/mixed/junk.pdf"
cp "$T/pdf/plain.pdf" "$T/mixed/a.pdf"
cp "$T/pdf/plus1.pdf" "$T/mixed/b.pdf"
cp "$T/pdf/aligned.pdf" "$T/mixed/c.pdf"
set +e
"$SOHOA" sign --jobs 1 --key "$P/rsa.key" --cert "$P/rsa.pem" --out "$T/mixed_out" "$T/mixed/a.pdf" \
  "$T/mixed/missing.pdf" "$T/mixed/b.pdf" "$T/mixed/folder.pdf" "$T/mixed/junk.pdf" "$T/mixed/c.pdf" 2>"$T/err"
rc=$?
set -e
expect_eq "exit status with three unreadable" "$rc" 2
expect_eq "failures" "$(grep -c '^FAILED' "$T/err")" 3
grep -q '^FAILED .*missing\.pdf.*No such file' "$T/err" || fail "missing file: $(cat "$T/err")"; ok
grep -q '^FAILED .*folder\.pdf is a folder' "$T/err" || fail "folder: $(cat "$T/err")"; ok
grep -q '^FAILED .*junk\.pdf' "$T/err" || fail "junk: $(cat "$T/err")"; ok
for f in a b c; do signed_ok "$T/mixed_out/$f.pdf" 1; done
no_temps "$T/mixed_out"

# 4. documents on a file system that refuses O_DIRECT (ramfs): read the ordinary way
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null &&
  unshare -m true 2>/dev/null; then
  mkdir -p "$T/ram"
  unshare -m bash -c '
    set -e
    mount -t ramfs none "$1/ram"
    head -c 4096 /dev/zero >"$1/ram/probe"
    if dd if="$1/ram/probe" of=/dev/null bs=4096 count=1 iflag=direct 2>/dev/null; then
      echo "this ramfs takes O_DIRECT: the fallback is not tested" >&2; exit 3
    fi
    rm -f "$1/ram/probe"
    cp -r "$1/pdf" "$1/ram/pdf"
    "$2" sign --quiet --jobs 2 --key "$3/rsa.key" --cert "$3/rsa.pem" --out "$1/fromram" "$1"/ram/pdf/*.pdf
  ' _ "$T" "$SOHOA" "$P" || fail "signing documents on a ramfs exited $?"
  check "$T/fromram"
else
  echo "(ramfs part skipped: needs root and unshare -m)"
fi
done_ok
