# lib.sh: shared helpers for the end-to-end tests. Each test is a bash script run by ctest
# with SOHOA (the binary), SOHOA_GEN (the corpus generator) and SOHOA_CORPUS set.
# Exit 0 = pass, 77 = skipped (with a message saying why), anything else = fail.
set -euo pipefail
# messages in English whatever the machine's language (tests/e2e/i18n.sh checks Vietnamese)
export LC_ALL=C.UTF-8
unset LANGUAGE LANG LC_MESSAGES

: "${SOHOA:?SOHOA must name the sohoa binary}"
T=$(mktemp -d "${TMPDIR:-/tmp}/sohoa-e2e.XXXXXX")
trap 'rm -rf "$T"' EXIT
checks=0

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }
ok() { checks=$((checks + 1)); }
need() { for t in "$@"; do command -v "$t" >/dev/null || skip "$t is not installed"; done; }
done_ok() { echo "$checks passed, 0 failed"; }

# gen ARGS...: the project's own corpus generator.
gen() {
  [ -n "${SOHOA_GEN:-}" ] && [ -x "$SOHOA_GEN" ] || skip "the corpus generator (sohoa-gen) was not built"
  "$SOHOA_GEN" "$@" >/dev/null
}

# expect_eq WHAT GOT WANT
expect_eq() { [ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"; ok; }

# qpdf_ok PDF: the structure check of an independent tool.
qpdf_ok() { qpdf --check "$1" >"$T/qpdf.out" 2>&1 || fail "qpdf --check $1: $(cat "$T/qpdf.out")"; ok; }

# pdf_pages PDF
pdf_pages() { pdfinfo "$1" | awk '/^Pages:/ {print $2}'; }

# No temporary or partial file anywhere under an archive.
no_temps() {
  local found
  found=$(find "$1" -name '.*.tmp.*' -o -name '*.partial' | head -5)
  [ -z "$found" ] || fail "temporary files left in $1: $found"
  ok
}

# The catalog and the disk agree: every archived PDF exists with its recorded hash,
# and every PDF on disk is in the catalog.
catalog_matches_disk() {
  local a=$1
  sqlite3 "$a/catalog.sqlite" "SELECT pdf, pdf_sha256 FROM dossiers WHERE status='archived'" |
    while IFS='|' read -r pdf sha; do
      [ -f "$a/$pdf" ] || fail "catalog names $pdf, which is not on disk"
      [ "$(sha256sum "$a/$pdf" | cut -d' ' -f1)" = "$sha" ] || fail "$pdf: hash differs from the catalog"
    done
  local on_disk in_cat
  on_disk=$(find "$a/pdf" -name '*.pdf' | wc -l)
  in_cat=$(sqlite3 "$a/catalog.sqlite" "SELECT count(*) FROM dossiers")
  [ "$on_disk" = "$in_cat" ] || fail "$on_disk PDFs on disk but $in_cat dossiers in the catalog"
  ok
}
