# lib_sign.sh: helpers for the signing tests (sourced after lib.sh): a test PKI made with the
# openssl CLI, PDFs made by sohoa itself, the independent verifiers, and byte flipping.
need openssl pdfsig mutool qpdf

# pki DIR: a root CA, and signers: rsa (RSA-2048), ec (P-256), ec384 (P-384), expired,
# nousage (keyEncipherment only) - each DIR/NAME.key + DIR/NAME.pem.
pki() {
  local d=$1
  mkdir -p "$d"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/ca.key" -out "$d/ca.pem" -days 3650 \
    -subj "/CN=sohoa test root/O=sohoa" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  issue "$d" rsa "-newkey rsa:2048" "/CN=Nguyễn Văn Đức/O=UBND xã Yên Phong" "digitalSignature,nonRepudiation" 365
  issue "$d" ec "-newkey ec -pkeyopt ec_paramgen_curve:P-256" "/CN=Trần Thị Ễ" "digitalSignature" 365
  issue "$d" ec384 "-newkey ec -pkeyopt ec_paramgen_curve:P-384" "/CN=EC384 Signer" "nonRepudiation" 365
  issue "$d" expired "-newkey rsa:2048" "/CN=Expired Signer" "digitalSignature" -1
  issue "$d" nousage "-newkey rsa:2048" "/CN=Encryption Only" "keyEncipherment" 365
}

# issue DIR NAME KEYSPEC SUBJECT KEYUSAGE DAYS
issue() {
  local d=$1 n=$2
  printf 'keyUsage=critical,%s\nbasicConstraints=CA:FALSE\n' "$5" >"$d/$n.ext"
  # shellcheck disable=SC2086
  openssl req $3 -nodes -keyout "$d/$n.key" -out "$d/$n.csr" -subj "$4" -utf8 2>/dev/null
  openssl x509 -req -in "$d/$n.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial \
    -out "$d/$n.pem" -days "$6" -extfile "$d/$n.ext" 2>/dev/null
}

# make_pdfs DIR N: N small PDFs made by sohoa (no OCR, no signature), DIR/p1.pdf ...
make_pdfs() {
  local d=$1 n=$2 i=1
  gen --seed 11 --dossiers "$n" --pages 1 --kinds g4 "$T/gen_in"
  "$SOHOA" run --no-ocr --no-sign --quiet --archive "$T/gen_arch" "$T"/gen_in/D*.tif ||
    fail "sohoa run could not make the test PDFs"
  mkdir -p "$d"
  for f in $(find "$T/gen_arch/pdf" -name '*.pdf' | sort); do
    cp "$f" "$d/p$i.pdf"
    i=$((i + 1))
  done
}

# pdfsig_ok PDF N: N signatures, every one valid, the last one covering the whole file
pdfsig_ok() {
  local out
  out=$(pdfsig "$1" 2>&1) || true
  [ "$(grep -c 'Signature is Valid' <<<"$out")" = "$2" ] || fail "pdfsig $1: $out"
  [ "$(grep -c 'Signature #' <<<"$out")" = "$2" ] || fail "pdfsig $1 count: $out"
  grep -A20 "Signature #$2:" <<<"$out" | grep -q 'Total document signed' ||
    fail "pdfsig $1: the last signature does not cover the whole document: $out"
  ok
}

# mutool_ok PDF: mutool says the last signature is unchanged since signing
mutool_ok() {
  local out
  out=$(mutool sign -v "$1" 2>&1) || true
  tail -3 <<<"$out" | grep -q 'unchanged since signing' || fail "mutool sign -v $1: $out"
  ok
}

# verify_ok PDF N: sohoa verify (trusting DIR/ca.pem) says N signatures, all valid
verify_ok() {
  local out
  out=$("$SOHOA" verify --trust "$P/ca.pem" "$1" 2>&1) || fail "sohoa verify $1: $out"
  [ "$(grep -c '=> VALID' <<<"$out")" = "$2" ] || fail "sohoa verify $1: $out"
  ok
}

# signed_ok PDF N: every independent check of a file with N signatures
signed_ok() { pdfsig_ok "$1" "$2"; mutool_ok "$1"; qpdf_ok "$1"; verify_ok "$1" "$2"; }

# flip FILE OFFSET: one byte changed (low bit inverted), in place
flip() {
  local v
  v=$(dd if="$1" bs=1 skip="$2" count=1 2>/dev/null | od -An -tu1 | tr -d ' ')
  # shellcheck disable=SC2059
  printf "$(printf '\\%03o' $((v ^ 1)))" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# byterange PDF: the last signature's "a b c" of [0 a b c]
byterange() { grep -a -o '/ByteRange \[0 *[0-9]* *[0-9]* *[0-9]*\]' "$1" | tail -1 | tr -s ' ' | cut -d' ' -f3-5 | tr -d ']'; }

# unhex: hex digits on stdin to bytes on stdout (xxd -r -p without xxd)
unhex() { printf '%b' "$(tr -d ' \n' | sed 's/../\\x&/g')"; }

# cms_of PDF OUT.der [CONTENT.bin]: the last signature's CMS (and the bytes it signs)
cms_of() {
  local a b c
  read -r a b c <<<"$(byterange "$1")"
  dd if="$1" bs=1 skip=$((a + 1)) count=$((b - a - 2)) 2>/dev/null | unhex >"$2"
  [ -z "${3:-}" ] || { head -c "$a" "$1"; tail -c "$c" "$1"; } >"$3"
}
