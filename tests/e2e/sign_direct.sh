#!/usr/bin/env bash
# sign_direct: `sohoa sign` reads documents with O_DIRECT into page-aligned buffers, a
# group of them per submission while it signs the group before, and writes each signed
# copy from its buffer (the document, then the update), in one direct write: the update's
# /Contents hole makes the file a whole number of pages. Every copy is the original byte
# for byte followed by one update, of the size that says, valid for pdfsig, mutool and
# qpdf, and a multiple of 4096 bytes long: inputs whose
# length is a page multiple plus 0, 1, a few hundred and thousands of bytes, one smaller
# than a page, and two larger than a signer's piece of its buffer arena (300 KB, 3 MB).
# Files that cannot be read, among 40 good ones across several groups, fail alone. Where
# O_DIRECT is refused (a ramfs, in a mount namespace of its own when this runs as root)
# the same files are read, and written, the ordinary way, as valid. Signing in place too.
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
# bigger than a signer's piece of its buffer arena (256 KB): a buffer of their own
pad "$T/src/p1.pdf" "$T/pdf/big300k.pdf" 300000
pad "$T/src/p2.pdf" "$T/pdf/big3m.pdf" 3000000
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
    expect_eq "${f##*/}: length modulo 4096" $(($(stat -c %s "$1/${f##*/}") % 4096)) 0
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
  expect_eq "${f##*/}, signed twice: length modulo 4096" $(($(stat -c %s "$f") % 4096)) 0
done
no_temps "$T/again"

# 3. files that cannot be read, between 40 good ones, so that they fall in different
# groups of what each signer reads at once: each fails alone with the ordinary message
mkdir -p "$T/mixed/f13_folder.pdf"
printf 'not a pdf' >"$T/mixed/f27_junk.pdf"
: >"$T/mixed/f05_empty.pdf"
names=()
for i in $(seq -w 1 40); do
  src=$T/pdf/plain.pdf
  [ $((10#$i % 3)) = 0 ] && src=$T/pdf/plus1.pdf
  [ $((10#$i % 7)) = 0 ] && src=$T/pdf/aligned.pdf
  cp "$src" "$T/mixed/f$i.pdf"
  names+=("$T/mixed/f$i.pdf")
  case $i in
    05) names+=("$T/mixed/f05_empty.pdf") ;;
    13) names+=("$T/mixed/f13_folder.pdf") ;;
    20) names+=("$T/mixed/f20_missing.pdf") ;;
    27) names+=("$T/mixed/f27_junk.pdf") ;;
  esac
done
for j in 1 2; do
  set +e
  "$SOHOA" sign --jobs $j --key "$P/rsa.key" --cert "$P/rsa.pem" --out "$T/mixed_out$j" "${names[@]}" 2>"$T/err"
  rc=$?
  set -e
  expect_eq "exit status with four unreadable (--jobs $j)" "$rc" 2
  expect_eq "failures (--jobs $j)" "$(grep -c '^FAILED' "$T/err")" 4
  expect_eq "signed (--jobs $j)" "$(grep -c '^signed' "$T/err")" 40
  grep -q '^FAILED .*f20_missing\.pdf.*No such file' "$T/err" || fail "missing file: $(cat "$T/err")"; ok
  grep -q '^FAILED .*f13_folder\.pdf is a folder' "$T/err" || fail "folder: $(cat "$T/err")"; ok
  grep -q '^FAILED .*f27_junk\.pdf' "$T/err" || fail "junk: $(cat "$T/err")"; ok
  grep -q '^FAILED .*f05_empty\.pdf' "$T/err" || fail "empty: $(cat "$T/err")"; ok
  for i in 01 05 06 13 14 21 27 28 40; do
    n=$(stat -c %s "$T/mixed/f$i.pdf")
    cmp -s -n "$n" "$T/mixed/f$i.pdf" "$T/mixed_out$j/f$i.pdf" || fail "f$i.pdf: not its input, then the update"
    ok
    signed_ok "$T/mixed_out$j/f$i.pdf" 1
  done
  expect_eq "signed copies (--jobs $j)" "$(find "$T/mixed_out$j" -name 'f??.pdf' | wc -l)" 40
  "$SOHOA" verify --quiet "$T/mixed_out$j"/f??.pdf || fail "not every signed copy verifies (--jobs $j)"; ok
  no_temps "$T/mixed_out$j"
done

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
    # and the signed copies written onto it: no O_DIRECT there either
    "$2" sign --quiet --jobs 2 --key "$3/rsa.key" --cert "$3/rsa.pem" --out "$1/ram/out" "$1"/pdf/*.pdf
    cp -r "$1/ram/out" "$1/toram"
    ls -a "$1/ram/out" >"$1/toram.list"
  ' _ "$T" "$SOHOA" "$P" || fail "signing documents on a ramfs exited $?"
  check "$T/fromram"
  check "$T/toram"
  grep -q '\.tmp\.' "$T/toram.list" && fail "a temporary was left on the ramfs"
  ok
else
  echo "(ramfs part skipped: needs root and unshare -m)"
fi
done_ok
