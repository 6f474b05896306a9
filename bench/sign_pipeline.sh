#!/usr/bin/env bash
# sign_pipeline.sh: is the OCR pipeline slower with signing on? The same generated pages
# through `sohoa run` without a key (--no-sign) and with one (RSA-2048, the digitizer's
# stamp on page 1 of each dossier), in ABBA order (neither always goes first), each into a
# fresh archive; medians of the wall time, the CPU time and the sign stage's own CPU time
# (run --json), then the ratios. Every signed PDF must verify.
#
#   bench/sign_pipeline.sh [--pages N] [--per-dossier N] [--repeat N]
set -euo pipefail
cd "$(dirname "$0")/.."

pages=24 per=4 repeat=4
while [ $# -gt 0 ]; do
  case $1 in
    --pages) pages=$2; shift ;;
    --per-dossier) per=$2; shift ;;
    --repeat) repeat=$2; shift ;;
    *) echo "usage: $0 [--pages N] [--per-dossier N] [--repeat N]" >&2; exit 1 ;;
  esac
  shift
done
command -v pdfsig >/dev/null || { echo "bench: pdfsig is not installed (poppler-utils)" >&2; exit 1; }

. bench/lib.sh
W=$(mktemp -d "${TMPDIR:-/tmp}/sohoa-signpipe.XXXXXX")
trap 'rm -rf "$W"' EXIT

dossiers=$(((pages + per - 1) / per))
"$GEN" --seed 2027 --dossiers "$dossiers" --pages "$per" --kinds mixed --dpi mixed \
  --skew 3 --upside-down 0.1 --noise "$W/in" >/dev/null
n=$((dossiers * per))
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$W/key.pem" -out "$W/cert.pem" -days 30 \
  -subj "/CN=bench digitizer" -addext keyUsage=critical,digitalSignature,nonRepudiation 2>/dev/null

# one run: "wall cpu sign-stage-cpu" appended to FILE (bash's timer, to the millisecond)
timed() { # FILE CMD...
  local file=$1 TIMEFORMAT="%3R %3U %3S"
  shift
  { time "$@" >"$W/json" 2>&3; } 3>&2 2>>"$file.raw"
  local sign
  sign=$({ grep -o '"sign":[0-9.]*' "$W/json" || true; } | tail -1 | cut -d: -f2)
  tail -1 "$file.raw" | awk -v s="${sign:-0}" '{ print $1, $2 + $3, s }' >>"$file"
}
off() { timed "$W/off" "$SOHOA" run --json --quiet --no-sign --archive "$W/a-off$1" "$W"/in/D*.tif; }
on() {
  timed "$W/on" "$SOHOA" run --json --quiet --sign-key "$W/key.pem" --sign-cert "$W/cert.pem" \
    --archive "$W/a-on$1" "$W"/in/D*.tif
}
: >"$W/off"
: >"$W/on"
for r in $(seq 1 "$repeat"); do
  if [ $((r % 2)) = 1 ]; then off "$r"; on "$r"; else on "$r"; off "$r"; fi
done
# the signed run's PDFs are signed and valid; the other run's are not signed
for f in "$W/a-on1"/pdf/*/*.pdf; do
  pdfsig "$f" 2>&1 | grep -q 'Signature is Valid' || { echo "bench: $f: no valid signature" >&2; exit 1; }
done
f=$(find "$W/a-off1/pdf" -name '*.pdf' | head -1)
pdfsig "$f" 2>&1 | grep -q 'Signature #1' && { echo "bench: $f is signed with --no-sign" >&2; exit 1; }

median() { sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ow=$(cut -d' ' -f1 "$W/off" | median) oc=$(cut -d' ' -f2 "$W/off" | median)
sw=$(cut -d' ' -f1 "$W/on" | median) sc=$(cut -d' ' -f2 "$W/on" | median)
ss=$(cut -d' ' -f3 "$W/on" | median)
echo "$n pages in $dossiers dossiers, $(nproc) CPUs, medians of $repeat runs each, in ABBA order"
printf '%-34s %8s %10s %12s %16s\n' "sohoa run" "wall s" "pages/min" "CPU s/page" "sign stage CPU"
awk -v n="$n" -v d="$dossiers" -v ow="$ow" -v oc="$oc" -v sw="$sw" -v sc="$sc" -v ss="$ss" 'BEGIN {
  printf "%-34s %8.2f %10.1f %12.3f %16s\n", "--no-sign", ow, 60 * n / ow, oc / n, "-"
  printf "%-34s %8.2f %10.1f %12.3f %10.1f ms/dossier\n", "signed (RSA-2048, digitizer stamp)", sw, 60 * n / sw, sc / n, 1000 * ss / d
  printf "signed / not signed: wall %.3f, CPU %.3f; the sign stage is %.2f %% of the signed run'"'"'s CPU\n", sw / ow, sc / oc, 100 * ss / sc }'
paste -d' ' "$W/off" "$W/on" | awk '{ printf "  run %d: not signed %.2f s wall, %.2f s CPU; signed %.2f s wall, %.2f s CPU (sign stage %.3f s)\n", NR, $1, $2, $4, $5, $6 }'
