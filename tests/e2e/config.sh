#!/usr/bin/env bash
# config: the configuration files and their precedence: built-in defaults < /etc/sohoa.conf
# < ~/.config/sohoa/sohoa.conf < --config FILE < the environment ([sohoa] keys) < the
# command line; a bad line is an error naming the file and line; no PIN in a file.
. "$(dirname "$0")/lib.sh"
need sqlite3
gen --seed 51 --dossiers 4 --pages 1 --kinds g4 --dpi 200 "$T/in"
export SOHOA_SYSCONF=$T/etc/sohoa.conf XDG_CONFIG_HOME=$T/xdg
unset SOHOA_ARCHIVE SOHOA_OPERATOR
mkdir -p "$T/etc" "$T/xdg/sohoa"
cat >"$SOHOA_SYSCONF" <<CONF
; the centre's settings
[sohoa]
archive = $T/sys-archive
operator = Bộ phận Một cửa

[run]
no_ocr = true
jobs = 1
CONF
cat >"$T/xdg/sohoa/sohoa.conf" <<CONF
[run]
jobs = 2
CONF
jobs_of() { grep -o '"jobs":[0-9]*' "$1" | cut -d: -f2; }

# system file: archive, operator, no OCR; user file: jobs 2 over the system's 1
"$SOHOA" run --json "$T/in/D0001.tif" >"$T/r1.json"
expect_eq "archive from /etc" "$(sqlite3 "$T/sys-archive/catalog.sqlite" "SELECT count(*) FROM dossiers")" 1
expect_eq "no OCR from /etc" "$(sqlite3 "$T/sys-archive/catalog.sqlite" "SELECT count(*) FROM pages WHERE ocr_conf IS NULL")" 1
sqlite3 "$T/sys-archive/catalog.sqlite" "SELECT agent FROM events LIMIT 1" | grep -q "Bộ phận Một cửa" || fail "operator from /etc"; ok
expect_eq "jobs from the user's file" "$(jobs_of "$T/r1.json")" 2

# --config FILE over the user's file; the command line over everything
printf '[run]\njobs = 3\n' >"$T/extra.conf"
"$SOHOA" run --config "$T/extra.conf" --json "$T/in/D0002.tif" >"$T/r2.json"
expect_eq "jobs from --config" "$(jobs_of "$T/r2.json")" 3
"$SOHOA" run --config="$T/extra.conf" --jobs 4 --json "$T/in/D0003.tif" >"$T/r3.json"
expect_eq "jobs from the command line" "$(jobs_of "$T/r3.json")" 4

# the environment over [sohoa]; --archive over the environment
SOHOA_ARCHIVE=$T/env-archive "$SOHOA" run --quiet "$T/in/D0004.tif"
[ -f "$T/env-archive/catalog.sqlite" ] || fail "SOHOA_ARCHIVE did not win over the file"; ok
SOHOA_ARCHIVE=$T/env-archive "$SOHOA" run --quiet --archive "$T/cli-archive" "$T/in/D0004.tif"
[ -f "$T/cli-archive/catalog.sqlite" ] || fail "--archive did not win over SOHOA_ARCHIVE"; ok
# other commands read [sohoa] too
expect_eq "list reads the archive from /etc" "$("$SOHOA" list | wc -l)" 3

# mistakes are named with their file and line
printf '[run]\njobs = 2\nthis is not ini\n' >"$T/bad.conf"
set +e
"$SOHOA" run --config "$T/bad.conf" "$T/in/D0001.tif" 2>"$T/e1"; rc=$?
set -e
expect_eq "bad file exit status" "$rc" 1
grep -q "bad.conf, line 3" "$T/e1" || fail "bad line not named: $(cat "$T/e1")"; ok
printf '[sign]\npin = 123456\n' >"$T/pin.conf"
set +e
"$SOHOA" sign --config "$T/pin.conf" x.pdf 2>"$T/e2"; rc=$?
set -e
expect_eq "PIN in a file exit status" "$rc" 1
grep -q "never written in a configuration file" "$T/e2" || fail "PIN accepted: $(cat "$T/e2")"; ok
grep -q 123456 "$T/e2" && fail "the PIN was echoed"; ok
set +e
"$SOHOA" run --config "$T/missing.conf" "$T/in/D0001.tif" 2>"$T/e3"; rc=$?
set -e
expect_eq "missing --config" "$rc" 1
grep -q "missing.conf cannot be read" "$T/e3" || fail "missing file: $(cat "$T/e3")"; ok
done_ok
