#!/usr/bin/env bash
# i18n: a Vietnamese locale gives Vietnamese --help and messages (through gettext, whether
# or not vi_VN.UTF-8 is generated on the machine), any other gives English; JSON stays the
# same (a decimal point, English keys) in both.
. "$(dirname "$0")/lib.sh"
gen --seed 91 --dossiers 1 --pages 1 --kinds g4 --dpi 200 "$T/in"
vi() { env -u LC_ALL LANG=vi_VN.UTF-8 "$@"; }
en() { env -u LC_ALL LANG=en_US.UTF-8 "$@"; }

vi "$SOHOA" --help >"$T/vi.help"
grep -q "^cách dùng: sohoa LỆNH" "$T/vi.help" || fail "Vietnamese --help: $(head -3 "$T/vi.help")"; ok
grep -q "kiểm tra mọi chữ ký số" "$T/vi.help" || fail "Vietnamese command list"; ok
# (outputs go to files first: grep -q would cut a pipe short under pipefail)
has() { "${@:2}" >"$T/out" 2>&1; grep -q -- "$1" "$T/out"; }
has "^usage: sohoa COMMAND" en "$SOHOA" --help || fail "English --help"; ok
has "^usage: sohoa COMMAND" "$SOHOA" --help || fail "C locale --help"; ok
has "^  --sidecar         lưu thêm văn bản nhận dạng" vi "$SOHOA" run --help || fail "Vietnamese run --help"; ok
has "HỘP-THƯ/done" vi "$SOHOA" watch --help || fail "Vietnamese watch --help"; ok
has "^cách dùng: sohoa report" vi "$SOHOA" report --help || fail "Vietnamese report --help"; ok
has "^cách dùng: sohoa repair" vi "$SOHOA" repair --help || fail "Vietnamese repair --help"; ok
has "^cách dùng: sohoa list" vi "$SOHOA" list --help || fail "Vietnamese list --help"; ok
has "^cách dùng: sohoa export" vi "$SOHOA" export --help || fail "Vietnamese export --help"; ok
has "^cách dùng: sohoa verify \[--trust" vi "$SOHOA" verify --help x.pdf || fail "Vietnamese verify --help"; ok
has "^cách dùng: sohoa sign" vi "$SOHOA" sign --help || fail "Vietnamese sign --help"; ok
# every command's --help, in both languages
for cmd in $("$SOHOA" --help | awk '/^Commands:/ {on=1; next} on && /^  [a-z]/ {print $1}' | sort -u); do
  has "^cách dùng: sohoa $cmd" vi "$SOHOA" $cmd --help || fail "no Vietnamese help for $cmd: $(head -2 "$T/out")"
  has "^usage: sohoa $cmd" en "$SOHOA" $cmd --help || fail "no English help for $cmd: $(head -2 "$T/out")"
  ok
done
# LC_ALL wins over LANG; LANGUAGE picks the language under a real locale
has "^usage:" env LC_ALL=C.UTF-8 LANG=vi_VN.UTF-8 "$SOHOA" --help || fail "LC_ALL=C over LANG=vi"; ok
has "^cách dùng:" env -u LC_ALL LANG=C.UTF-8 LANGUAGE=vi "$SOHOA" --help || fail "LANGUAGE=vi"; ok

# every message marked in the sources has its Vietnamese: the template made afresh (as
# `cmake --build build --target pot` does) and merged into vi.po, nothing left untranslated
if command -v xgettext >/dev/null && [ -n "${SOHOA_SRC:-}" ]; then
  (cd "$SOHOA_SRC" && xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=sh_fail:3 \
    --keyword=sh_error_prefix:2 --flag=sh_fail:3:c-format --flag=sh_error_prefix:2:c-format \
    -o "$T/now.pot" pipeline/*.c pipeline/cli/*.c stages/*.c stages/*/*.c)
  msgmerge -q -o "$T/vi.po" "$SOHOA_SRC/pipeline/po/vi.po" "$T/now.pot"
  msgfmt --check --statistics -o /dev/null "$T/vi.po" 2>"$T/stats"
  if grep -q "untranslated\|fuzzy" "$T/stats"; then
    { msgattrib --untranslated --no-wrap "$T/vi.po"; msgattrib --only-fuzzy --no-wrap "$T/vi.po"; } |
      grep '^msgid "[^"]' | head -5 >"$T/missing"
    fail "messages without Vietnamese ($(cat "$T/stats")): $(cat "$T/missing")"
  fi
  ok
fi

vi "$SOHOA" run --no-ocr --archive "$T/a" "$T/in/D0001.tif" "$T/missing.tif" 2>"$T/vi.err" || true
vi "$SOHOA" run --no-ocr --archive "$T/j" --json "$T/in/D0001.tif" >"$T/vi.json" 2>/dev/null
grep -q "^đã lưu     .*D0001.tif: 1 trang -> pdf/" "$T/vi.err" || fail "Vietnamese dossier line: $(cat "$T/vi.err")"; ok
grep -q "^LỖI        .*missing.tif: không đọc được .*missing.tif" "$T/vi.err" || fail "Vietnamese failure line: $(cat "$T/vi.err")"; ok
grep -q "^2 đầu vào: 1 đã lưu (1 trang), 0 đã có sẵn, 1 lỗi; " "$T/vi.err" || fail "Vietnamese summary: $(cat "$T/vi.err")"; ok
grep -q '"seconds":[0-9]*\.[0-9]*,' "$T/vi.json" || fail "JSON numbers under a vi locale: $(tail -1 "$T/vi.json")"; ok
grep -q '"status":"archived"' "$T/vi.json" || fail "JSON translated"; ok
en "$SOHOA" run --no-ocr --archive "$T/a" "$T/in/D0001.tif" 2>"$T/en.err"
grep -q "^skipped    .*already archived as" "$T/en.err" || fail "English skipped line: $(cat "$T/en.err")"; ok
vi "$SOHOA" run --no-ocr --archive "$T/a" "$T/in/D0001.tif" 2>"$T/vi2.err"
grep -q "^bỏ qua     .*đã lưu trước đó với mã" "$T/vi2.err" || fail "Vietnamese skipped line"; ok
vi "$SOHOA" verify --archive "$T/a" 2>"$T/vi3.err"
grep -q "tất cả khớp với danh mục" "$T/vi3.err" || fail "Vietnamese audit: $(cat "$T/vi3.err")"; ok
vi "$SOHOA" report --archive "$T/a" >"$T/vi.rep"
grep -q "^TỔNG CỘNG  *1 " "$T/vi.rep" || fail "Vietnamese report: $(cat "$T/vi.rep")"; ok
# list and show: the catalog's status in words, the columns still aligned; JSON keeps it
vi "$SOHOA" list --archive "$T/a" >"$T/vi.list"
grep -q "^[0-9a-f]\{16\}  đã lưu        1  pdf/" "$T/vi.list" || fail "Vietnamese list: $(cat "$T/vi.list")"; ok
has "^[0-9a-f]\{16\}  archived      1  pdf/" en "$SOHOA" list --archive "$T/a" || fail "English list"; ok
has '"status":"archived"' vi "$SOHOA" list --archive "$T/a" --json || fail "JSON status translated"; ok
# sohoa sign: each file's line and the summary
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/k.key" -out "$T/k.pem" -days 2 \
  -subj "/CN=Nguyễn Văn A" -addext keyUsage=critical,digitalSignature 2>/dev/null
pdf=$(find "$T/a/pdf" -name '*.pdf' | head -1)
vi "$SOHOA" sign --key "$T/k.key" --cert "$T/k.pem" --out "$T/s" "$pdf" "$T/missing.pdf" 2>"$T/vi.sign" || true
grep -q "^đã ký      .*\.pdf$" "$T/vi.sign" || fail "Vietnamese signed line: $(cat "$T/vi.sign")"; ok
grep -q "^LỖI        .*missing.pdf" "$T/vi.sign" || fail "Vietnamese sign failure: $(cat "$T/vi.sign")"; ok
grep -q "^2 tệp: 1 đã ký, 1 lỗi$" "$T/vi.sign" || fail "Vietnamese sign summary: $(cat "$T/vi.sign")"; ok
en "$SOHOA" sign --key "$T/k.key" --cert "$T/k.pem" --out "$T/s2" "$pdf" 2>"$T/en.sign"
grep -q "^1 file: 1 signed, 0 failed$" "$T/en.sign" || fail "English sign summary: $(cat "$T/en.sign")"; ok
done_ok
