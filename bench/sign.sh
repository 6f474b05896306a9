#!/usr/bin/env bash
# sign.sh: signatures per second, end to end (read, sign, write, made durable, renamed),
# on N copies of one ~100 KB archived PDF, for RSA-2048, ECDSA P-256 and RSA-2048 on a
# SoftHSM2 token; against `openssl cms -sign` in a shell loop (over the first 1,000 files:
# a process per file, so no start-up to spread) and against the raw `openssl speed` rate
# of the key, in the same run. Prints a table, ratios last.
#
#   bench/sign.sh [--files N] [--jobs "1 2"] [--repeat N]
# N is 4000 by default: a run of sohoa sign pays ~30-40 ms once (start-up ~10, making the
# --out folder durable ~3, the first group's reads, the last batch's commit after the last
# signature ~7): 525 us a file over 1,000 files and 496 over 4,000 here (RSA-2048, five
# runs of each, interleaved). Back-office batches are larger still. Each row is the median
# of --repeat runs (3): on a VM the first run after a quiet spell is up to 40 % slower (the
# host gives the memory and the CPU back slowly), which is the machine, not the program.
# Needs: a release build (made here in build-bench/), openssl, softhsm2, free space for
# the inputs and one run's outputs (2 x N x ~120 KB) and an inode for every file made
# (N x 31 with the defaults), both checked first.
set -euo pipefail
cd "$(dirname "$0")/.."

files=4000 jobs_list="1 $(nproc)" repeat=3
while [ $# -gt 0 ]; do
  case $1 in
    --files) files=$2; shift ;;
    --jobs) jobs_list=$2; shift ;;
    --repeat) repeat=$2; shift ;;
    *) echo "usage: $0 [--files N] [--jobs \"1 2\"] [--repeat N]" >&2; exit 1 ;;
  esac
  shift
done

. bench/lib.sh
W=$(mktemp -d "${TMPDIR:-/tmp}/sohoa-bench.XXXXXX")
# the clean-up's freed inodes written out with it: see "Outputs" below
cleanup() { rm -rf "$@"; sync -f "${TMPDIR:-/tmp}" 2>/dev/null || true; }
trap 'cleanup "$W"' EXIT

# one archived PDF near 100 KB: four generated G4 pages, no OCR, not signed
"$GEN" --seed 9 --dossiers 1 --pages 4 --kinds g4 --dpi 300 "$W/in" >/dev/null
"$SOHOA" run --no-ocr --no-sign --quiet --archive "$W/a" "$W"/in/D*.tif
pdf=$(find "$W/a/pdf" -name '*.pdf' | head -1)
size=$(stat -c %s "$pdf")
need=$((2 * files * (size + 12288) / 1024 + 65536)) # KB: the inputs, one run's outputs (a stamp and the
# padding to whole pages make a signed copy up to 12 KB longer), 64 MB more
free=$(df --output=avail -k "$W" | tail -1)
[ "$free" -ge "$need" ] || { echo "bench: $W has $((free / 1024)) MB free, needs $((need / 1024)) MB (--files $files)" >&2; exit 1; }
# and an inode for each input and for each output of every run on this file system, all
# kept (emptied) until the end: 5 rows of --repeat runs per --jobs (df says - where a file
# system does not count them)
inodes=$((files * (1 + 5 * repeat * $(wc -w <<<"$jobs_list")) + 1000))
ifree=$(df --output=iavail "$W" | tail -1 | tr -d ' ')
[ "$ifree" = - ] || [ "$ifree" -ge "$inodes" ] || { echo "bench: $W has $ifree inodes free, needs $inodes (--files $files)" >&2; exit 1; }
mkdir -p "$W/pdfs"
for i in $(seq 1 "$files"); do cp "$pdf" "$W/pdfs/f$i.pdf"; done
sync "$W"/pdfs/*.pdf # their writeback done, not sharing the disk with the first row
fs=$(stat -f -c %T "$W")
dev=$(basename "$(df --output=source "$W" | tail -1)")
[ "$fs" = ext2/ext3 ] && { [ -e /proc/fs/jbd2/"$dev"-8 ] && fs="ext4 (journal)" || fs="ext4 (no journal)"; }
echo "input: $files copies of a $((size / 1024)) KB PDF (4 pages), $(nproc) CPUs, outputs on $fs" >&2
[ "$fs" = "ext4 (no journal)" ] &&
  echo "note: ext4 without a journal: files deleted on it in the last 6 minutes (another bench's clean-up, a test run) slow every file this bench creates; see \"Outputs\" in $0" >&2

# keys
K=$W/keys
mkdir -p "$K"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$K/ca.key" -out "$K/ca.pem" -days 30 \
  -subj "/CN=bench CA" 2>/dev/null
for k in rsa ec; do
  spec="-newkey rsa:2048"
  [ $k = ec ] && spec="-newkey ec -pkeyopt ec_paramgen_curve:P-256"
  # shellcheck disable=SC2086
  openssl req $spec -nodes -keyout "$K/$k.key" -out "$K/$k.csr" -subj "/CN=bench $k" 2>/dev/null
  printf 'keyUsage=critical,digitalSignature,nonRepudiation\n' >"$K/ext"
  openssl x509 -req -in "$K/$k.csr" -CA "$K/ca.pem" -CAkey "$K/ca.key" -CAcreateserial \
    -out "$K/$k.pem" -days 30 -extfile "$K/ext" 2>/dev/null
done
export SOFTHSM2_CONF=$W/softhsm2.conf
mkdir -p "$W/tokens"
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$W" >"$SOFTHSM2_CONF"
softhsm2-util --init-token --free --label bench --so-pin 87654321 --pin 123456 >/dev/null
openssl pkcs8 -topk8 -nocrypt -in "$K/rsa.key" -out "$K/rsa.p8"
softhsm2-util --import "$K/rsa.p8" --token bench --label signer --id 01 --pin 123456 >/dev/null

# raw rates, one core
speed() { openssl speed -seconds "${3:-3}" "$1" 2>/dev/null | awk -v k="$2" '$0 ~ k {print $(NF-1); exit}'; }
raw_rsa=$(speed rsa2048 "^rsa 2048")
raw_ec=$(speed ecdsap256 "nistp256")
# the raw rate again right before each row (1 s), which that row's ratios use: the machine
# may be shared, and its load changes between rows
raw_now() { if [ "$1" = rsa ]; then speed rsa2048 "^rsa 2048" 1; else speed ecdsap256 "nistp256" 1; fi; }
rows=()
# row LABEL JOBS TIMEFILE [FILES]: from the repetitions' "wall user sys raw" lines, the medians of
# the wall time, of the CPU time and of the raw rate; then the wall rate, CPU per signature
# (user + sys, all threads), signatures per CPU-second, and the two per-core ratios to the
# key's raw one-core rate: the wall rate per core the run was given (min(jobs, CPUs)), and
# signatures per CPU-second (what the run cost, whatever else shared the machine)
median() { sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
row() { # LABEL JOBS TIMEFILE [FILES]
  local wall cpu raw n=${4:-$files}
  wall=$(awk '{ print $1 }' "$3" | median)
  cpu=$(awk '{ print $2 + $3 }' "$3" | median)
  raw=$(awk '{ print $4 }' "$3" | median)
  rows+=("$(awk -v l="$1" -v j="$2" -v raw="$raw" -v n="$n" -v w="$wall" -v cpu="$cpu" -v c="$(nproc)" 'BEGIN {
    if (cpu <= 0) cpu = 0.001; if (w <= 0) w = 0.001; k = j < c ? j : c
    printf "%-40s %4s %7.3f %8.0f %10.3f %10.0f %7.0f %8.0f%% %8.0f%%", l, j, w, n / w, 1000 * cpu / n, n / cpu, raw, 100 * n / w / k / raw, 100 * n / cpu / raw }')")
}
# timed FILE RAW CMD...: runs CMD, appends "wall user sys RAW" (bash's own timer: to the
# millisecond, where GNU time rounds to 10 ms) to FILE; CMD's own errors still show
timed() {
  local file=$1 TIMEFORMAT="%3R %3U %3S $2"
  shift 2
  { time "$@" 2>&3; } 3>&2 2>>"$file"
}

# sohoa sign: signed copies into a fresh folder each time (made durable, then renamed).
# Outputs: each run's are emptied after it (truncate: the space back) but deleted only at the
# end. On ext4 without a journal (this machine's disk) a new inode is not taken from those
# freed in the last 60 s, or 360 s while their inode table block is dirty (fs/ext4/ialloc.c:
# RECENTCY_MIN, + RECENTCY_DIRTY), and every new file checks each such inode of its group in
# turn (find_inode_bit -> recently_deleted): 4,000 files deleted before a run cost it up to
# 0.3 ms a file (sys 0.3 -> 1.2-1.5 s for 4,000 signatures here). The clean-up at the end
# syncs, so that its table blocks are clean: the next bench on this disk should still start
# a minute or more after it. With a journal (ext4's default, XFS) there is no such check.
run_sohoa() { # LABEL rsa|ec JOBS SRC_DIR OUT_BASE ARGS...
  local label=$1 key=$2 j=$3 src=$4 base=$5 out r
  shift 5
  : >"$W/time"
  for r in $(seq 1 "$repeat"); do
    out=$base/out.$RANDOM$r
    SOHOA_PIN=123456 timed "$W/time" "$(raw_now "$key")" "$SOHOA" sign --quiet --jobs "$j" --out "$out" "$@" "$src"/*.pdf
    "$SOHOA" verify --quiet "$out/f1.pdf" "$out/f$files.pdf" || { echo "bench: $label: not valid" >&2; exit 1; }
    find "$out" -type f -exec truncate -s 0 {} +
  done
  row "$label" "$j" "$W/time"
}
for j in $jobs_list; do
  run_sohoa "sohoa sign, RSA-2048 PEM" rsa "$j" "$W/pdfs" "$W" --key "$K/rsa.key" --cert "$K/rsa.pem"
  run_sohoa "sohoa sign, RSA-2048 PSS PEM" rsa "$j" "$W/pdfs" "$W" --key "$K/rsa.key" --cert "$K/rsa.pem" --pss
  run_sohoa "sohoa sign, ECDSA P-256 PEM" ec "$j" "$W/pdfs" "$W" --key "$K/ec.key" --cert "$K/ec.pem"
  run_sohoa "sohoa sign, RSA-2048 SoftHSM2 token" rsa "$j" "$W/pdfs" "$W" --pkcs11-module \
    /usr/lib/softhsm/libsofthsm2.so --token bench --key-label signer --cert "$K/rsa.pem"
  run_sohoa "sohoa sign, RSA-2048 + digitizer stamp" rsa "$j" "$W/pdfs" "$W" --key "$K/rsa.key" \
    --cert "$K/rsa.pem" --profile digitizer
done
# the same on tmpfs: what is left when the disk's sync costs nothing
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  S=$(mktemp -d /dev/shm/sohoa-bench.XXXXXX)
  trap 'cleanup "$W" "$S"' EXIT
  cp -r "$W/pdfs" "$S/pdfs"
  run_sohoa "sohoa sign, RSA-2048 PEM, on tmpfs" rsa 1 "$S/pdfs" "$S" --key "$K/rsa.key" --cert "$K/rsa.pem"
  run_sohoa "sohoa sign, ECDSA P-256 PEM, on tmpfs" ec 1 "$S/pdfs" "$S" --key "$K/ec.key" --cert "$K/ec.pem"
  rm -rf "$S" # memory back; tmpfs has no such inode scan
fi

# openssl cms -sign over each whole file, detached, in a loop (no PDF, no fsync)
peer_files=$((files < 1000 ? files : 1000))
peer() { # LABEL rsa|ec KEY CERT
  local p7 r
  : >"$W/time"
  for r in $(seq 1 "$repeat"); do
    p7=$W/p7.$RANDOM$r
    mkdir -p "$p7"
    timed "$W/time" "$(raw_now "$2")" bash -c 'for i in $(seq 1 "$5"); do
        openssl cms -sign -binary -nosmimecap -in "$1/pdfs/f$i.pdf" -signer "$2" -inkey "$3" \
          -outform DER -out "$4/f$i.p7s"; done' _ "$W" "$4" "$3" "$p7" "$peer_files"
  done
  row "$1" 1 "$W/time" "$peer_files"
}
peer "openssl cms -sign loop, RSA-2048" rsa "$K/rsa.key" "$K/rsa.pem"
peer "openssl cms -sign loop, P-256" ec "$K/ec.key" "$K/ec.pem"

echo
echo "(each row: the median of $repeat runs)"
printf '%-40s %4s %7s %8s %10s %10s %7s %9s %9s\n' "method" "jobs" "wall s" "sigs/s" "CPU ms/sig" "sigs/CPU-s" "raw/s" "raw/core" "raw/CPU-s"
for r in "${rows[@]}"; do echo "$r"; done
printf '%-40s %4s %7s %8.0f %10.3f %10.0f %7.0f %9s %9s\n' "openssl speed rsa2048 (raw sign, 1 core)" 1 - "$raw_rsa" "$(awk -v r="$raw_rsa" 'BEGIN { print 1000 / r }')" "$raw_rsa" "$raw_rsa" "100%" "100%"
printf '%-40s %4s %7s %8.0f %10.3f %10.0f %7.0f %9s %9s\n' "openssl speed ecdsap256 (raw, 1 core)" 1 - "$raw_ec" "$(awk -v r="$raw_ec" 'BEGIN { print 1000 / r }')" "$raw_ec" "$raw_ec" "100%" "100%"
echo "(the raw rates are openssl speed without -multi: one process on one core, signatures per"
echo " CPU-second of user time; raw/s is that rate measured again right before the row. raw/core ="
echo " wall sigs/s / min(jobs, $(nproc) CPUs) / raw: the goal's 'per core', lowered when other"
echo " work shares the CPUs; raw/CPU-s = signatures per CPU-second, all threads' user + system"
echo " time, / raw: what each signature cost, whatever else ran. sigs/s uses every core given)"
