#!/usr/bin/env bash
# convert.sh: image -> PDF without OCR, sohoa against the tools a user would script instead,
# on the same generated pages in the same run. Prints pages/s, CPU s/page, output
# bytes/page and peak RSS for each, then the ratios; then sohoa's peak RSS at two batch
# sizes (memory must stay flat however large the batch).
#
#   bench/convert.sh [--pages N] [--kinds LIST] [--dpi 200|300|mixed] [--rss "100 5000"]
#                    [--per-dossier N] [--skip-rss]
# Needs: a release build (made here in build-bench/), tiff2pdf, img2pdf, GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."

pages=200 kinds=mixed dpi=mixed rss_sizes="100 5000" per=10 skip_rss=0
while [ $# -gt 0 ]; do
  case $1 in
    --pages) pages=$2; shift ;;
    --kinds) kinds=$2; shift ;;
    --dpi) dpi=$2; shift ;;
    --rss) rss_sizes=$2; shift ;;
    --per-dossier) per=$2; shift ;;
    --skip-rss) skip_rss=1 ;;
    *) echo "usage: $0 [--pages N] [--kinds LIST] [--dpi D] [--rss \"A B\"] [--per-dossier N] [--skip-rss]" >&2; exit 1 ;;
  esac
  shift
done
for t in tiff2pdf img2pdf /usr/bin/time; do
  command -v "$t" >/dev/null || { echo "bench: $t is not installed (apt-get install libtiff-tools img2pdf time)" >&2; exit 1; }
done

. bench/lib.sh
W=$(mktemp -d "${TMPDIR:-/tmp}/sohoa-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT

dossiers=$(( (pages + per - 1) / per ))
echo "generating $pages pages ($dossiers dossiers of $per, kinds $kinds, dpi $dpi)..." >&2
"$GEN" --seed 42 --dossiers "$dossiers" --pages "$per" --kinds "$kinds" --dpi "$dpi" --folders "$W/in" >/dev/null
mapfile -t page_files < <(find "$W/in" -name '*.tif' | sort)
n=${#page_files[@]}
in_bytes=$(cat "${page_files[@]}" | wc -c)

# measure NAME OUTDIR CMD...: wall s, user+sys s, peak RSS KiB of CMD and its children.
declare -A wall cpu rss outb
measure() {
  local name=$1 out=$2; shift 2
  rm -rf "$out"; mkdir -p "$out"
  sync
  /usr/bin/time -f "%e %U %S %M" -o "$W/time.$name" "$@" >/dev/null 2>"$W/err.$name" ||
    { echo "bench: $name failed: $(tail -3 "$W/err.$name")" >&2; exit 1; }
  read -r e u s m <"$W/time.$name"
  wall[$name]=$e
  cpu[$name]=$(echo "$u + $s" | bc -l)
  rss[$name]=$m
  outb[$name]=$(find "$out" -name '*.pdf' -print0 | du -cb --files0-from=- | tail -1 | cut -f1)
}

printf '%s\n' "${page_files[@]}" >"$W/pages.txt"
measure tiff2pdf "$W/o-tiff2pdf" bash -c '
  i=0; while read -r f; do i=$((i+1)); tiff2pdf -o "$0/$i.pdf" "$f" || exit 1; done <"$1"' "$W/o-tiff2pdf" "$W/pages.txt"
measure img2pdf "$W/o-img2pdf" bash -c '
  i=0; while read -r f; do i=$((i+1)); img2pdf -o "$0/$i.pdf" "$f" 2>/dev/null || exit 1; done <"$1"' "$W/o-img2pdf" "$W/pages.txt"
measure sohoa "$W/o-sohoa" env OMP_THREAD_LIMIT=1 "$SOHOA" run --quiet --no-ocr --no-sign --archive "$W/o-sohoa" "$W"/in/D*

echo
echo "image -> PDF, no OCR: $n pages ($kinds, $dpi dpi), $(nproc) cores, input $((in_bytes / n / 1024)) KiB/page"
printf '%-10s %10s %12s %14s %12s\n' tool "pages/s" "CPU s/page" "KiB/page out" "peak RSS MiB"
for t in sohoa tiff2pdf img2pdf; do
  printf '%-10s %10.1f %12.4f %14.1f %12.1f\n' "$t" \
    "$(echo "$n / ${wall[$t]}" | bc -l)" "$(echo "${cpu[$t]} / $n" | bc -l)" \
    "$(echo "${outb[$t]} / $n / 1024" | bc -l)" "$(echo "${rss[$t]} / 1024" | bc -l)"
done
echo
printf 'sohoa vs tiff2pdf: %.1fx pages/s, %.1fx less CPU/page\n' \
  "$(echo "${wall[tiff2pdf]} / ${wall[sohoa]}" | bc -l)" "$(echo "${cpu[tiff2pdf]} / ${cpu[sohoa]}" | bc -l)"
printf 'sohoa vs img2pdf:  %.1fx pages/s, %.1fx less CPU/page\n' \
  "$(echo "${wall[img2pdf]} / ${wall[sohoa]}" | bc -l)" "$(echo "${cpu[img2pdf]} / ${cpu[sohoa]}" | bc -l)"

[ $skip_rss = 1 ] && exit 0
echo
echo "sohoa peak RSS by batch size (g4+gray+rgb mix, $per pages per dossier):"
for size in $rss_sizes; do
  d=$(( (size + per - 1) / per ))
  rm -rf "$W/rss-in"
  "$GEN" --seed 7 --dossiers "$d" --pages "$per" --kinds "$kinds" --dpi "$dpi" --folders "$W/rss-in" >/dev/null
  measure "rss$size" "$W/o-rss" env OMP_THREAD_LIMIT=1 "$SOHOA" run --quiet --no-ocr --no-sign --archive "$W/o-rss" "$W"/rss-in/D*
  printf '  %6d pages: %7.1f MiB peak RSS, %6.1f pages/s\n' "$size" \
    "$(echo "${rss[rss$size]} / 1024" | bc -l)" "$(echo "$size / ${wall[rss$size]}" | bc -l)"
done
