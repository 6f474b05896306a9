#!/usr/bin/env bash
# setup.sh: everything a fresh Debian 12 machine needs, in one command.
#   ./setup.sh demo   install, build, and archive a generated sample (the main job), signed
#                     with a throwaway key it makes and labels as such
#   ./setup.sh test   install, build, and run the whole test suite (+ an ASan/UBSan build)
#   ./setup.sh bench  install the peers too (ocrmypdf, img2pdf, tiff2pdf) and run bench/
#   ./setup.sh deps   install the Debian packages only
#   ./setup.sh build  build only (build/, release with debug info)
# Runs apt-get through sudo when not root. Set SOHOA_SKIP_APT=1 to skip installing.
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(
  build-essential cmake pkg-config git
  libtiff-dev libjpeg-dev libpng-dev zlib1g-dev libdeflate-dev libfreetype-dev
  libleptonica-dev libtesseract-dev tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng tesseract-ocr-osd
  libhpdf-dev liburing-dev libsqlite3-dev sqlite3 libssl-dev openssl libunistring-dev libjansson-dev
  libqrencode-dev libp11-dev libp11-kit-dev softhsm2 libinih-dev gettext
  fonts-dejavu-core icc-profiles-free
  poppler-utils qpdf mupdf-tools libtiff-tools time valgrind zbar-tools
)
BENCH_PACKAGES=(ocrmypdf img2pdf time bc)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

deps() {
  [ "${SOHOA_SKIP_APT:-0}" = 1 ] && return
  local missing=()
  for p in "${PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} = 0 ] && return
  echo "setup: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

build() { # build DIR [cmake args...]
  local dir=$1; shift
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build "$dir" -j"$(nproc)"
}

case "${1:-demo}" in
  deps) deps ;;
  build) deps; build build ;;
  demo)
    deps
    build build
    sample=${SOHOA_SAMPLE:-sample}
    rm -rf "$sample"
    ./build/tests/gen/sohoa-gen --seed 1 --dossiers 3 --pages 4 --kinds mixed --dpi mixed "$sample"
    export SOHOA_ARCHIVE=${SOHOA_ARCHIVE:-$PWD/archive}
    # A throwaway signing key, made here and named for what it is: it signs the demo's
    # PDFs so every step runs, and must never sign a real document.
    key=demo-signing-key
    if [ ! -f "$key/key.pem" ]; then
      mkdir -p "$key"
      openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
        -keyout "$key/key.pem" -out "$key/cert.pem" -utf8 \
        -subj "/CN=THROWAWAY DEMO KEY - NOT FOR REAL DOCUMENTS/O=sohoa demo" \
        -addext "keyUsage=critical,digitalSignature,nonRepudiation" 2>/dev/null
      echo "a throwaway key made by ./setup.sh demo; never sign real documents with it" \
        >"$key/README"
      echo "setup: made a THROWAWAY signing key in $key/ (for the demo only)"
    fi
    set +e
    ./build/sohoa run --sidecar --sign-key "$key/key.pem" --sign-cert "$key/cert.pem" \
      "$sample"/D*.tif
    rc=$?
    set -e
    ./build/sohoa list
    first=$(find "$SOHOA_ARCHIVE/pdf" -name '*.pdf' | head -1)
    [ -n "$first" ] && ./build/sohoa verify "$first" || true
    ./build/sohoa search --limit 3 "ho so" || true
    ./build/sohoa report
    echo "setup: the archive is in $SOHOA_ARCHIVE (catalog: $SOHOA_ARCHIVE/catalog.sqlite);"
    echo "setup: its PDFs are signed with the THROWAWAY demo key in $key/"
    exit $rc
    ;;
  test)
    deps
    build build -DSOHOA_WERROR=ON
    (cd build && ctest --output-on-failure -j2)
    build build-asan -DSOHOA_WERROR=ON -DSOHOA_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
    (cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
       ctest --output-on-failure -j2)
    # ThreadSanitizer on the tests that drive the threads: the unit tests, the pipeline end
    # to end, fixity's hashing threads, the watch service, the progress ticker, signing in a
    # run, `sohoa sign`'s signers and committer. gcc 12's TSan cannot map its shadow under
    # high-entropy ASLR: run it without.
    build build-tsan -DSOHOA_WERROR=ON -DSOHOA_TSAN=ON -DCMAKE_BUILD_TYPE=Debug
    (cd build-tsan && TSAN_OPTIONS=halt_on_error=1 setarch "$(uname -m)" -R \
       ctest --output-on-failure -j2 \
       -R '^test_|e2e_(run_basic|io_backends|folder_dossier|ocr_text|fixity|watch|progress|search|sign_run|sign_batch|sign_direct)$')
    ;;
  bench)
    deps "${BENCH_PACKAGES[@]}"
    bench/convert.sh
    bench/ocr.sh
    [ -d ../shared/corpus ] && bench/ocr_gt.sh
    bench/sign.sh
    bench/sign_pipeline.sh
    ;;
  *) echo "usage: $0 demo|test|bench|deps|build" >&2; exit 1 ;;
esac
