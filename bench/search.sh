#!/usr/bin/env bash
# search.sh: the search index at scale. Builds a synthetic archive of PAGES pages of
# Vietnamese administrative text (sohoa-gen's text source, no OCR) through the catalog and
# its index, reports the build rate, index size per page and RSS, then the latency of a
# fixed query mix (folded, accented, phrase, prefix, rare, filtered, applicant) in-process,
# and of a few `sohoa search` commands end to end (process start included). The latency is
# taken three times: as the dossiers' transactions left the index (many segments), after
# the merge that ends every run, and after a later run too small to start one.
#
#   bench/search.sh [PAGES] [DIR]     (defaults: 200000, a temporary folder, removed after)
#   SOHOA_BUILD=build ROUNDS=20 bench/search.sh 1000000 /var/tmp/sb1m
#
# The archive grows: run it again on the same DIR with more PAGES to add to it.
set -euo pipefail
cd "$(dirname "$0")/.."
PAGES=${1:-200000}
BUILD=${SOHOA_BUILD:-build}
ROUNDS=${ROUNDS:-20}
if [ -n "${2:-}" ]; then
  DIR=$2
else
  DIR=$(mktemp -d "${TMPDIR:-/tmp}/sohoa-search-bench.XXXXXX")
  trap 'rm -rf "$DIR"' EXIT
fi
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j"$(nproc)" --target sohoa sohoa-search-bench >/dev/null

echo "## search bench: $PAGES pages, $(nproc) cores, $(date -u +%FT%TZ)"
echo
/usr/bin/time -f "build: %e s wall, %M KB peak RSS (time -f %%M)" \
  "$BUILD/sohoa-search-bench" build "$DIR" "$PAGES"
echo
echo "### 1. as the dossiers' transactions left it (a search during a long run)"
"$BUILD/sohoa-search-bench" query "$DIR" "$ROUNDS"
echo
echo "### 2. after the end of the run (what sohoa run and each watch batch do last)"
"$BUILD/sohoa-search-bench" merge "$DIR"
"$BUILD/sohoa-search-bench" query "$DIR" "$ROUNDS"
echo
echo "### 3. a later run adds 4 % more pages: under the 5 % that starts a merge, left as is"
"$BUILD/sohoa-search-bench" build "$DIR" $((PAGES / 25)) 2 | tail -8
"$BUILD/sohoa-search-bench" merge "$DIR"
"$BUILD/sohoa-search-bench" query "$DIR" "$ROUNDS"

echo
echo "sohoa search end to end (a new process each time, best of 5):"
echo
echo "| command | ms |"
echo "|---|---|"
while IFS= read -r q; do
  best=999999
  for _ in 1 2 3 4 5; do
    t0=$(date +%s%N)
    # shellcheck disable=SC2086
    "$BUILD/sohoa" search --archive "$DIR" $q >/dev/null
    t=$((($(date +%s%N) - t0) / 1000000))
    [ "$t" -lt "$best" ] && best=$t
  done
  echo "| sohoa search $q | $best |"
done <<'EOF'
nguoi dan
Nguyễn Văn Đức
--json số hóa hồ sơ
--applicant 005100000004
--procedure 1.001612 hồ sơ
EOF
