/* fuzz_query: libFuzzer harness for the search query parser: whatever a user types is
 * translated into an FTS5 expression, and that expression must never be an FTS5 syntax
 * error; the search runs against a small real catalog (vn tokenizer, bm25, snippets), and
 * any failure other than "nothing searchable" traps. Build and run with tests/fuzz/run.sh. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../textpage.h"
#include "sohoa/archive.h"
#include "sohoa/search.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static int count(const sh_hit *h, void *ctx)
{
    (void)h;
    ++*(unsigned *)ctx;
    return 0;
}

static sh_catalog *small_catalog(void)
{
    static char dir[] = "/tmp/fuzz_query.XXXXXX";
    static const char *texts[] = {
        "ỦY BAN NHÂN DÂN\nXÃ YÊN PHONG\nSố: 05/QĐ-UBND\nQUYẾT ĐỊNH\nVề việc cấp giấy chứng nhận",
        "Bắc Giang, ngày 08 tháng 1 năm 2024\nÔng Nguyễn Văn Đức, người đứng đầu bản làng",
        "bán bản bạn bàn bận\n\"quoted\" (paren) -minus OR AND NOT near* NEAR(a b)",
    };
    if (!mkdtemp(dir))
        return NULL;
    static sh_archive *a; /* kept open for the whole run */
    sh_error err;
    if (!(a = sh_archive_open(dir, true, false, NULL, &err)))
        return NULL;
    sh_dossier d;
    sh_file f;
    sh_page pages[3];
    if (textpage_dossier(&d, &f, pages, 3, "/in/D0001.tif", texts) == 0) {
        snprintf(d.pdf_path, sizeof d.pdf_path, "pdf/00/fuzz.pdf");
        if (sh_catalog_intend(sh_archive_catalog(a), &d, &err) == 0)
            sh_catalog_commit(sh_archive_catalog(a), d.id, &err);
        textpage_free(&d);
    }
    return sh_archive_catalog(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    static sh_catalog *cat;
    static bool tried;
    if (!tried) {
        tried = true;
        cat = small_catalog();
    }
    char *q = malloc(len + 1);
    if (!q)
        return 0;
    memcpy(q, data, len);
    q[len] = '\0';
    char *expr = NULL;
    sh_error err = {0};
    if (sh_search_translate(q, &expr, &err) == 0) {
        free(expr);
        unsigned n = 0;
        sh_search s = {.query = q, .limit = 5};
        if (cat && sh_catalog_search(cat, &s, count, &n, &err) < 0 && err.code != SH_EUSAGE) {
            fprintf(stderr, "fuzz_query: '%s' fails: %s\n", q, err.msg);
            __builtin_trap();
        }
    }
    free(q);
    return 0;
}
