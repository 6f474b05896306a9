#!/usr/bin/env bash
# ocr.sh: the full pipeline against what users run instead, on the same generated pages in
# the same run: accuracy (CER/WER of the text pdftotext extracts, against ground truth, by
# page kind) and throughput (pages/min, CPU s/page, bytes/page, peak RSS), plus sohoa's CPU
# split by stage and its blank-separator detection.
#
#   bench/ocr.sh [--pages N] [--per-dossier N] [--lang L] [--skip-ocrmypdf] [--skip-plain]
#                [--keep DIR] [--sohoa-args "ARGS"] [--body-pt PT]
# --body-pt: every page's body text at PT points (sohoa-gen's default: 11 to 13).
# Peers: ocrmypdf --deskew --rotate-pages --clean (and plain), tesseract CLI with xargs -P.
set -euo pipefail
cd "$(dirname "$0")/.."

pages=60 per=6 lang=vie+eng skip_ocrmypdf=0 skip_plain=0 keep= sohoa_args= body_pt=
while [ $# -gt 0 ]; do
  case $1 in
    --pages) pages=$2; shift ;;
    --per-dossier) per=$2; shift ;;
    --lang) lang=$2; shift ;;
    --skip-ocrmypdf) skip_ocrmypdf=1 ;;
    --skip-plain) skip_plain=1 ;;
    --keep) keep=$2; shift ;;
    --sohoa-args) sohoa_args=$2; shift ;;
    --body-pt) body_pt=$2; shift ;;
    *) echo "usage: $0 [--pages N] [--per-dossier N] [--lang L] [--skip-ocrmypdf] [--skip-plain] [--keep DIR] [--sohoa-args \"ARGS\"] [--body-pt PT]" >&2; exit 1 ;;
  esac
  shift
done
for t in tesseract pdftotext img2pdf /usr/bin/time bc; do
  command -v "$t" >/dev/null || { echo "bench: $t is not installed" >&2; exit 1; }
done
[ $skip_ocrmypdf = 1 ] || command -v ocrmypdf >/dev/null ||
  { echo "bench: ocrmypdf is not installed (apt-get install ocrmypdf), or pass --skip-ocrmypdf" >&2; exit 1; }

. bench/lib.sh
if [ -n "$keep" ]; then W=$keep; rm -rf "$W"; mkdir -p "$W"; else
  W=$(mktemp -d "${TMPDIR:-/tmp}/sohoa-ocrbench.XXXXXX"); trap 'rm -rf "$W"' EXIT; fi
cores=$(nproc)

dossiers=$(( (pages + per - 1) / per ))
echo "generating $((dossiers * per)) pages ($dossiers dossiers)..." >&2
"$GEN" --seed 2026 --dossiers "$dossiers" --pages "$per" --kinds mixed --dpi mixed \
  --skew 3 --upside-down 0.1 --blank-separators --noise ${body_pt:+--body-pt "$body_pt"} "$W/in" >/dev/null
M=$W/in/manifest.tsv
n=$(($(wc -l <"$M") - 1))

declare -A wall cpu rss outb
measure() { # NAME OUTDIR CMD...
  local name=$1 out=$2; shift 2
  mkdir -p "$out"
  /usr/bin/time -f "%e %U %S %M" -o "$W/time.$name" "$@" >"$W/out.$name" 2>"$W/err.$name" ||
    { echo "bench: $name failed: $(tail -3 "$W/err.$name")" >&2; exit 1; }
  read -r e u s m <"$W/time.$name"
  wall[$name]=$e; cpu[$name]=$(echo "$u + $s" | bc -l); rss[$name]=$m
  outb[$name]=$(find "$out" -name '*.pdf' -print0 | du -cb --files0-from=- 2>/dev/null | tail -1 | cut -f1)
}

# hypotheses: $W/hyp/<tool>/<dossier>_p<NNN>.txt, one per page
split_pdf_text() { # TOOL DOSSIER PDF
  local d=$W/hyp/$1; mkdir -p "$d"
  local np; np=$(pdfinfo "$3" | awk '/^Pages:/ {print $2}')
  for ((i = 1; i <= np; i++)); do pdftotext -q -f $i -l $i "$3" "$(printf '%s/%s_p%03d.txt' "$d" "$2" $i)"; done
}

echo "sohoa..." >&2
# shellcheck disable=SC2086 # sohoa_args is a list of words on purpose
measure sohoa "$W/o-sohoa" "$SOHOA" run --json --lang "$lang" --no-sign $sohoa_args --archive "$W/o-sohoa" "$W"/in/D*.tif
sqlite3 "$W/o-sohoa/catalog.sqlite" "SELECT source, pdf FROM dossiers" | while IFS='|' read -r src pdf; do
  split_pdf_text sohoa "$(basename "$src" .tif)" "$W/o-sohoa/$pdf"; done
sqlite3 -separator ' ' "$W/o-sohoa/catalog.sqlite" \
  "SELECT replace(source_file, rtrim(source_file, replace(source_file, '/', '')), ''), page, blank FROM pages" >"$W/sohoa-blank.txt"

echo "tesseract CLI, -P$cores..." >&2
mkdir -p "$W/o-tess"
measure tesseract "$W/o-tess" bash -c 'ls "$1"/D*.tif | xargs -P"$2" -I{} sh -c "OMP_THREAD_LIMIT=1 tesseract {} \"$0/\$(basename {} .tif)\" -l $3 txt pdf >/dev/null 2>&1"' \
  "$W/o-tess" "$W/in" "$cores" "$lang"
for t in "$W"/o-tess/*.txt; do # pages are separated by form feeds
  d=$(basename "$t" .txt); mkdir -p "$W/hyp/tesseract"
  awk -v RS='\f' -v dir="$W/hyp/tesseract" -v d="$d" '{ f = sprintf("%s/%s_p%03d.txt", dir, d, NR); printf "%s", $0 > f; close(f) }' "$t"
done

if [ $skip_ocrmypdf = 0 ]; then
  mkdir -p "$W/o-img2pdf"
  for f in "$W"/in/D*.tif; do img2pdf "$f" -o "$W/o-img2pdf/$(basename "$f" .tif).pdf"; done
  for mode in fix plain; do
    [ $mode = plain ] && [ $skip_plain = 1 ] && continue
    opts=(); [ $mode = fix ] && opts=(--deskew --rotate-pages --clean)
    echo "ocrmypdf ($mode)..." >&2
    measure "ocrmypdf-$mode" "$W/o-ocrmypdf-$mode" bash -c 'out=$1; shift; for f in "$0"/*.pdf; do ocrmypdf -q -l '"$lang"' --jobs '"$cores"' "$@" "$f" "$out/$(basename "$f")" || exit 1; done' \
      "$W/o-img2pdf" "$W/o-ocrmypdf-$mode" "${opts[@]}"
    for p in "$W/o-ocrmypdf-$mode"/*.pdf; do split_pdf_text "ocrmypdf-$mode" "$(basename "$p" .pdf)" "$p"; done
  done
fi

tools=(sohoa tesseract); [ $skip_ocrmypdf = 0 ] && tools+=(ocrmypdf-fix) && [ $skip_plain = 0 ] && tools+=(ocrmypdf-plain)

# per page: tool group chars cerr words werr
for t in "${tools[@]}"; do
  tail -n +2 "$M" | while IFS=$'\t' read -r dossier page file dpi kind skew rot blank w h; do
    [ "$blank" = 1 ] && continue
    truth=$W/in/truth/$(printf '%s_p%03d.txt' "$dossier" "$page")
    hyp=$W/hyp/$t/$(printf '%s_p%03d.txt' "$dossier" "$page")
    read -r c ce wd we < <("$CER" "$truth" "$hyp")
    a=${skew#-}
    band=$(awk -v a="$a" 'BEGIN { print (a < 0.5 ? "|skew|<0.5" : a < 2 ? "0.5<=|skew|<2" : "|skew|>=2") }')
    case $kind in g4) colour=bilevel ;; *gray) colour=gray ;; *) colour=colour ;; esac
    for g in all "$colour" "${dpi}dpi" "$band" "$([ "$rot" = 180 ] && echo upside-down || echo upright)"; do
      echo "$t $g $c $ce $wd $we"
    done
  done
done >"$W/errors.txt"

echo
echo "OCR accuracy: $n generated pages (Vietnamese administrative text), lang $lang; CER % (WER %)"
groups=$(awk '{print $2}' "$W/errors.txt" | awk '!seen[$0]++')
printf '%-16s' group; for t in "${tools[@]}"; do printf '%18s' "$t"; done; echo
for g in $groups; do
  printf '%-16s' "$g"
  for t in "${tools[@]}"; do
    awk -v t="$t" -v g="$g" '$1 == t && $2 == g { c += $3; ce += $4; w += $5; we += $6; n++ }
      END { if (c) printf "%18s", sprintf("%.2f (%.1f) n=%d", 100 * ce / c, 100 * we / w, n); else printf "%18s", "-" }' "$W/errors.txt"
  done
  echo
done

echo
echo "Throughput on $cores cores ($n pages):"
printf '%-16s %10s %12s %14s %12s\n' tool pages/min "CPU s/page" "KiB/page out" "peak RSS MiB"
for t in "${tools[@]}"; do
  printf '%-16s %10.1f %12.3f %14.1f %12.1f\n' "$t" "$(echo "$n * 60 / ${wall[$t]}" | bc -l)" \
    "$(echo "${cpu[$t]} / $n" | bc -l)" "$(echo "${outb[$t]:-0} / $n / 1024" | bc -l)" "$(echo "${rss[$t]} / 1024" | bc -l)"
done
echo
for t in "${tools[@]}"; do
  [ $t = sohoa ] && continue
  printf 'sohoa vs %-15s %.1fx pages/min, %.1fx less CPU/page\n' "$t" \
    "$(echo "${wall[$t]} / ${wall[sohoa]}" | bc -l)" "$(echo "${cpu[$t]} / ${cpu[sohoa]}" | bc -l)"
done
echo
echo "sohoa CPU by stage (s, all workers): $(tail -1 "$W/out.sohoa" | sed 's/.*"stage_cpu_seconds":{\([^}]*\)}.*/\1/')"

# blank separators: the manifest's truth against the catalog's flags
tail -n +2 "$M" | awk -F'\t' '{print $3, $2, $8}' | sort >"$W/blank-truth.txt"
sort "$W/sohoa-blank.txt" >"$W/blank-found.txt"
join -j1 <(awk '{print $1"#"$2, $3}' "$W/blank-truth.txt" | sort) <(awk '{print $1"#"$2, $3}' "$W/blank-found.txt" | sort) |
  awk '{ if ($2 == 1 && $3 == 1) hit++; else if ($2 == 1) miss++; else if ($3 == 1) wrong++ }
       END { printf "blank separators: %d found, %d missed, %d text pages flagged blank\n", hit, miss, wrong }'
