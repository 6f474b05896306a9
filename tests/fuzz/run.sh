#!/usr/bin/env bash
# run.sh: builds the libFuzzer harnesses (clang, ASan+UBSan), seeds each from the shared
# corpus and the project's own generator, and runs each for SECONDS (default 900).
#
#   tests/fuzz/run.sh [--seconds N] [--jobs N] [HARNESS...]     (default: every fuzz_*.c)
#
# Crashes, leaks and timeouts libFuzzer finds are copied to tests/fuzz/regressions/<harness>/
# where tests/e2e/fuzz_regressions.sh replays them on every test run. Needs clang and
# libfuzzer-14-dev (apt-get install clang libfuzzer-14-dev).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
corpus=${SOHOA_CORPUS:-$root/../shared/corpus}
seconds=900 jobs=1 harnesses=()
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=$2; shift ;;
    --jobs) jobs=$2; shift ;;
    -*) echo "usage: $0 [--seconds N] [--jobs N] [HARNESS...]" >&2; exit 1 ;;
    *) harnesses+=("$1") ;;
  esac
  shift
done
command -v clang >/dev/null || { echo "run.sh: clang is not installed (apt-get install clang libfuzzer-14-dev)" >&2; exit 1; }
if [ ${#harnesses[@]} = 0 ]; then
  for f in "$here"/fuzz_*.c; do harnesses+=("$(basename "$f" .c)"); done
fi

B=$root/build-fuzz
CC=clang cmake -S "$root" -B "$B" -DSOHOA_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF >/dev/null
cmake --build "$B" -j"$(nproc)" --target "${harnesses[@]}" sohoa-gen sohoa >/dev/null 2>&1 ||
  cmake --build "$B" -j"$(nproc)" --target "${harnesses[@]}"

W=${FUZZ_WORK:-$root/build-fuzz/work}
mkdir -p "$W"

# seed NAME DIR: the starting inputs of one harness.
seed() {
  local name=$1 dir=$2
  mkdir -p "$dir"
  case $name in
    fuzz_ingest)
      [ -d "$corpus" ] && find "$corpus/tiff" "$corpus/tiff_malformed" "$corpus/scans" "$corpus/ocr_gt" \
        -type f \( -iname '*.tif*' -o -iname '*.png' -o -iname '*.jp*g' \) -size -2M \
        -exec cp -t "$dir" {} + 2>/dev/null || true
      if [ -x "$B/tests/gen/sohoa-gen" ]; then
        "$B/tests/gen/sohoa-gen" --seed 1 --dossiers 4 --pages 1 --dpi 200 --single-page "$W/gen" >/dev/null 2>&1 &&
          cp "$W"/gen/*.tif "$dir"/ 2>/dev/null || true
      fi ;;
    fuzz_pdf)
      [ -d "$corpus" ] && find "$corpus/odd_pdfs" "$corpus/signing" -name '*.pdf' -size -1000k |
        while IFS= read -r f; do cp "$f" "$dir/$(printf %s "$f" | sha1sum | cut -c1-12).pdf"; done
      if [ -x "$B/sohoa" ] && [ -x "$B/tests/gen/sohoa-gen" ]; then
        "$B/tests/gen/sohoa-gen" --seed 2 --dossiers 2 --pages 1 --kinds g4 --dpi 200 "$W/genpdf" >/dev/null 2>&1 &&
          "$B/sohoa" run --no-ocr --quiet --archive "$W/genpdf/a" "$W"/genpdf/D*.tif 2>/dev/null &&
          find "$W/genpdf/a/pdf" -name '*.pdf' -exec cp -t "$dir" {} + || true
      fi ;;
    *)
      [ -d "$here/seeds/$name" ] && cp "$here/seeds/$name"/* "$dir"/ 2>/dev/null || true ;;
  esac
  [ -d "$here/regressions/$name" ] && cp "$here/regressions/$name"/* "$dir"/ 2>/dev/null || true
  # something to start from even with no corpus
  [ -n "$(ls -A "$dir")" ] || printf 'II*\0\x08\0\0\0\0\0' >"$dir/empty-tiff"
}

printf '%-16s %8s %10s %8s %s\n' harness seconds runs found note
for h in "${harnesses[@]}"; do
  seed_dir=$W/$h/corpus art=$W/$h/artifacts
  mkdir -p "$art"
  seed "$h" "$seed_dir"
  rm -f "$W/$h"/fuzz-*.log
  log=$W/$h/log
  set +e
  cd "$W/$h" # where libFuzzer's -jobs write their fuzz-N.log
  "$B/tests/fuzz/$h" "$seed_dir" -max_total_time="$seconds" -jobs="$jobs" -workers="$jobs" \
    -rss_limit_mb=2560 -timeout=30 -max_len=4000000 -artifact_prefix="$art/" -print_final_stats=1 \
    >"$log" 2>&1
  cd "$root"
  set -e
  logs=("$W/$h"/fuzz-*.log) # with -jobs, the workers' own logs hold the counts
  [ -e "${logs[0]}" ] || logs=("$log")
  runs=$(cat "${logs[@]}" | awk '/stat::number_of_executed_units:/ {s+=$2} END {print s+0}')
  found=$(ls "$art" | wc -l)
  if [ "$found" -gt 0 ]; then
    mkdir -p "$here/regressions/$h"
    cp "$art"/* "$here/regressions/$h"/
  fi
  printf '%-16s %8s %10s %8s %s\n' "$h" "$seconds" "$runs" "$found" "$([ "$found" -gt 0 ] && echo "see tests/fuzz/regressions/$h")"
done
