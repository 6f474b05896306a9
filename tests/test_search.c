/* test_search: the search index through the catalog API, as `sohoa search` uses it:
 * Vietnamese folding (đ, every tone, upper/lower case), exact tones ranked first, snippets
 * in the original text, phrases and prefixes, any query string safe, the applicant's
 * documents newest first, cancellation, forgetting a dossier, reindex giving identical
 * results, a schema-1 catalog migrated with its text made searchable, and filters over
 * many dossiers giving the same pages whichever way they are applied, before and after a
 * schema-2 catalog gains page_facets, and the merge of the index's segments that ends a run
 * changing no result. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "index/index_int.h"
#include "sohoa/search.h"
#include "textpage.h"

typedef struct hits {
    char dossier[32][17];
    unsigned page[32];
    char snippet[32][512];
    double score[32];
    bool cancelled[32];
    char date[32][16];
    unsigned n;
} hits;

static int collect(const sh_hit *h, void *ctx)
{
    hits *r = ctx;
    if (r->n < 32) {
        snprintf(r->dossier[r->n], 17, "%s", h->dossier);
        r->page[r->n] = h->page;
        snprintf(r->snippet[r->n], 512, "%s", h->snippet);
        r->score[r->n] = h->score;
        r->cancelled[r->n] = h->cancelled_at != NULL;
        snprintf(r->date[r->n], 16, "%s", h->date ? h->date : "");
    }
    r->n++;
    return 0;
}

static sh_catalog *cat;

static hits find_q(const char *query, const char *applicant)
{
    hits r = {0};
    sh_error err = {0};
    sh_search q = {.query = query, .applicant = applicant, .limit = 30};
    if (sh_catalog_search(cat, &q, collect, &r, &err) < 0) {
        fprintf(stderr, "search '%s': %s\n", query ? query : "", err.msg);
        r.n = 999;
    }
    return r;
}

static hits find(const char *query) { return find_q(query, NULL); }

/* Is the dossier named `name` among the hits? */
static bool has(const hits *r, const char *name)
{
    char key[65];
    sh_sha256_hex(name, strlen(name), key);
    for (unsigned i = 0; i < r->n && i < 32; i++)
        if (strncmp(r->dossier[i], key, 16) == 0)
            return true;
    return false;
}

static bool first_is(const hits *r, const char *name)
{
    char key[65];
    sh_sha256_hex(name, strlen(name), key);
    return r->n > 0 && r->n < 999 && strncmp(r->dossier[0], key, 16) == 0;
}

/* Archives a one-page (or more) dossier of text, with operator metadata. */
static void archive_text(const char *name, const char *const *texts, unsigned npages,
                         const char *const *meta)
{
    sh_dossier d;
    sh_file f;
    sh_page pages[4];
    sh_error err = {0};
    CHECK(textpage_dossier(&d, &f, pages, npages, name, texts) == 0);
    for (unsigned i = 0; i < npages; i++)
        if (texts[i])
            sh_meta_from_text(&d.meta, texts[i], i + 1);
    for (size_t i = 0; meta && meta[i]; i += 2)
        sh_meta_add(&d.meta, meta[i], meta[i + 1], 0);
    int ok = sh_catalog_intend(cat, &d, &err) == 0 && sh_catalog_commit(cat, d.id, &err) == 0;
    CHECK(ok);
    if (!ok)
        fprintf(stderr, "%s: %s\n", name, err.msg);
    textpage_free(&d);
}

static void archive1(const char *name, const char *text)
{
    const char *texts[] = {text};
    archive_text(name, texts, 1, NULL);
}

static const char *const filler[] = {
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Theo đề nghị của Giám đốc Sở Tư pháp tại Tờ trình số 45/TTr-STP.",
    "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân chủ trì, phối hợp với công chức các lĩnh vực.",
    "Thường trực Huyện ủy; các cơ quan, đơn vị liên quan; lưu văn thư.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan phản ánh kịp thời.",
    "Tổ chức tập huấn kỹ năng số hóa tài liệu cho công chức tại bộ phận một cửa.",
    "Niêm yết công khai tại trụ sở Ủy ban nhân dân xã và trên trang thông tin điện tử.",
    "Kết quả giải quyết thủ tục hành chính được trả qua dịch vụ bưu chính công ích.",
};

static void test_folding(void)
{
    /* đ/Đ, case, and a query without diacritics */
    hits r = find("nguoi dung dau");
    CHECK(r.n == 1 && has(&r, "/in/dau.tif"));
    r = find("NGƯỜI ĐỨNG ĐẦU");
    CHECK(r.n == 1 && has(&r, "/in/dau.tif"));
    r = find("Nguoi Dung Dau");
    CHECK(r.n == 1 && has(&r, "/in/dau.tif"));
    r = find("nguyen van duc");
    CHECK(r.n == 1 && has(&r, "/in/duc.tif"));
    r = find("ĐỨC");
    CHECK(r.n == 1 && has(&r, "/in/duc.tif"));
    r = find("dat dai");
    CHECK(r.n == 1 && has(&r, "/in/datdai.tif"));
    /* every tone of a, and the vowels with hats and horns, fold to the plain letter */
    r = find("ma");
    CHECK(r.n == 6);
    r = find("lua");
    CHECK(r.n == 1 && has(&r, "/in/vowels.tif"));
    r = find("o u a e");
    CHECK(r.n == 1 && has(&r, "/in/vowels.tif"));
}

static void test_ranking(void)
{
    /* a query typed with tones puts the page with that exact spelling first */
    static const char *const tones[][2] = {
        {"ma", "/in/tone-ma.tif"}, {"má", "/in/tone-ma1.tif"}, {"mà", "/in/tone-ma2.tif"},
        {"mả", "/in/tone-ma3.tif"}, {"mã", "/in/tone-ma4.tif"}, {"mạ", "/in/tone-ma5.tif"},
    };
    for (int i = 1; i < 6; i++) {
        hits r = find(tones[i][0]);
        CHECK(r.n == 6 && first_is(&r, tones[i][1]));
        CHECK(r.n == 6 && r.score[0] > r.score[1]);
    }
    hits r = find("MẢ");
    CHECK(r.n == 6 && first_is(&r, "/in/tone-ma3.tif"));
    static const char *const ban[][2] = {
        {"bản", "/in/ban-copy.tif"}, {"bán", "/in/ban-sell.tif"}, {"bạn", "/in/ban-friend.tif"},
    };
    for (int i = 0; i < 3; i++) {
        r = find(ban[i][0]);
        CHECK(r.n >= 3 && first_is(&r, ban[i][1]));
    }
    /* two words: the page with both exact spellings beats the folded look-alike */
    r = find("bản sao");
    CHECK(r.n >= 2 && first_is(&r, "/in/ban-copy.tif"));
    /* without tones, all three match */
    r = find("ban");
    CHECK(has(&r, "/in/ban-copy.tif") && has(&r, "/in/ban-sell.tif") &&
          has(&r, "/in/ban-friend.tif"));
}

static void test_snippets(void)
{
    hits r = find("nguoi dung dau");
    CHECK(r.n == 1 && strstr(r.snippet[0], "[Người] [đứng] [đầu]") != NULL);
    r = find("nguyen van duc");
    CHECK(r.n == 1 && strstr(r.snippet[0], "[Nguyễn] [Văn] [Đức]") != NULL);
    r = find("dat dai");
    CHECK(r.n == 1 && strstr(r.snippet[0], "[đất] [đai]") != NULL);
}

static void test_syntax(void)
{
    /* phrase: adjacent words only */
    hits r = find("\"dung dau\"");
    CHECK(r.n == 1 && has(&r, "/in/dau.tif"));
    r = find("\"đầu đứng\"");
    CHECK(r.n == 0);
    r = find("\"người đứng đầu\"");
    CHECK(r.n == 1);
    /* prefix, with and without diacritics */
    r = find("nguy*");
    CHECK(has(&r, "/in/duc.tif"));
    r = find("Nguyễ*");
    CHECK(r.n >= 1 && has(&r, "/in/duc.tif"));
    /* OR and exclusion */
    r = find("đức OR đầu");
    CHECK(r.n == 2);
    r = find("ma -mả");
    CHECK(r.n == 5 && !has(&r, "/in/tone-ma3.tif"));
    /* the document number as typed */
    r = find("05/QĐ-UBND");
    CHECK(r.n == 1 && has(&r, "/in/qd.tif"));
    r = find("05/qd-ubnd");
    CHECK(r.n == 1 && has(&r, "/in/qd.tif"));
    /* anything else is text, never an FTS5 syntax error */
    static const char *const odd[] = {
        "\"", "(", ")", "((đức", "đức)", "\"đức", "đức\"", "AND", "OR", "NOT", "*", "-", "--",
        "text:đức", "NEAR(đức đầu)", "đức AND", "OR đức", "đức OR", "\"\"", "^đức", "đức + đầu",
        "{đức}", "'đức'", "đức;DROP TABLE pages", "\x01đức", "đức\x01", "\xff\xfe", "ĐỨC*",
        "-đức", "\"unclosed phrase đức",
    };
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        hits h = {0};
        sh_error err = {0};
        sh_search q = {.query = odd[i]};
        int rc = sh_catalog_search(cat, &q, collect, &h, &err);
        CHECK(rc == 0 || err.code == SH_EUSAGE);
        if (rc != 0 && err.code != SH_EUSAGE)
            fprintf(stderr, "query '%s': %s\n", odd[i], err.msg);
    }
    /* and the words in them still count */
    r = find("((đức");
    CHECK(r.n == 1 && has(&r, "/in/duc.tif"));
    r = find("\"unclosed phrase");
    CHECK(r.n == 0);
    char *fts = NULL;
    sh_error err = {0};
    CHECK(sh_search_translate("()", &fts, &err) == -1 && err.code == SH_EUSAGE && !fts);
    CHECK(sh_search_translate("-đức", &fts, &err) == -1 && err.code == SH_EUSAGE);
}

static void test_applicant(void)
{
    /* given by the operator on one dossier, read in the text of two others */
    hits r = find_q(NULL, "001234567890");
    CHECK(r.n == 3);
    /* newest first, by the document's date */
    CHECK(r.n == 3 && strcmp(r.date[0], "2025-03-02") == 0 && strcmp(r.date[1], "2024-06-15") == 0 &&
          strcmp(r.date[2], "2023-11-20") == 0);
    CHECK(r.n == 3 && first_is(&r, "/in/applicant-2025.tif"));
    /* the page where the ID was read */
    CHECK(r.n == 3 && r.page[1] == 2);
    /* a filter and a query together */
    r = find_q("giấy khai sinh", "001234567890");
    CHECK(r.n == 1 && has(&r, "/in/applicant-2024.tif"));
    r = find_q(NULL, "999999999999");
    CHECK(r.n == 0);
    /* procedure and dates */
    hits p = {0};
    sh_error err = {0};
    sh_search q = {.procedure = "1.001612", .from = "2024-01-01", .to = "2024-12-31"};
    CHECK(sh_catalog_search(cat, &q, collect, &p, &err) == 0 && p.n == 1 &&
          has(&p, "/in/applicant-2024.tif"));
    sh_search q2 = {.procedure = "1.001612"};
    p.n = 0;
    CHECK(sh_catalog_search(cat, &q2, collect, &p, &err) == 0 && p.n == 2);
}

static void test_cancel_forget(void)
{
    sh_error err = {0};
    sh_dossier_row row;
    CHECK(sh_catalog_find(cat, "HS-2025-0042", &row, &err) == 1);
    CHECK(sh_catalog_cancel(cat, row.id, "thu hồi theo quyết định mới", &err) == 1);
    CHECK(sh_catalog_cancel(cat, row.id, NULL, &err) == 0);
    hits r = find_q(NULL, "001234567890");
    CHECK(r.n == 3 && r.cancelled[0] && !r.cancelled[1]);
    r = find("công dân");
    CHECK(has(&r, "/in/applicant-2025.tif"));
    sh_dossier_info info;
    CHECK(sh_catalog_info(cat, row.id, &info, &err) == 0 && info.cancelled_at[0] &&
          info.cancel_reason && strcmp(info.cancel_reason, "thu hồi theo quyết định mới") == 0);
    sh_dossier_info_free(&info);

    /* a dossier that is forgotten (its PDF never made it) leaves the index too */
    sh_dossier d;
    sh_file f;
    sh_page pg;
    const char *texts[] = {"Biên bản bàn giao hồ sơ lưu trữ chuyên đề xyzzy"};
    CHECK(textpage_dossier(&d, &f, &pg, 1, "/in/forgotten.tif", texts) == 0);
    CHECK(sh_catalog_intend(cat, &d, &err) == 0);
    r = find("xyzzy");
    CHECK(r.n == 0); /* not archived yet: not shown */
    CHECK(sh_catalog_forget(cat, d.id, &err) == 0);
    CHECK(sh_catalog_index_check(cat, &err) == 0);
    CHECK(sh_catalog_find(cat, d.id, &row, &err) == 0);
    textpage_free(&d);
    /* a prefix of an id, too short or ambiguous */
    CHECK(sh_catalog_find(cat, "0", &row, &err) == 0);
}

static const char *const probes[] = {
    "nguoi dung dau", "bản", "ma", "\"dat dai\"", "nguy*", "công dân", "05/QĐ-UBND", "lua",
};

static void test_reindex(void)
{
    hits before[sizeof probes / sizeof probes[0]], after;
    sh_error err = {0};
    sh_dossier_row row;
    sh_dossier_info a, b;

    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++)
        before[i] = find(probes[i]);
    CHECK(sh_catalog_find(cat, "HS-2025-0042", &row, &err) == 1);
    CHECK(sh_catalog_info(cat, row.id, &a, &err) == 0);
    CHECK(sh_catalog_reindex(cat, NULL, NULL, &err) == 0);
    CHECK(sh_catalog_index_check(cat, &err) == 0);
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        after = find(probes[i]);
        CHECK(after.n == before[i].n && after.n > 0);
        CHECK(memcmp(&after, &before[i], sizeof after) == 0);
    }
    CHECK(sh_catalog_info(cat, row.id, &b, &err) == 0);
    bool same = a.meta.n == b.meta.n && strcmp(a.date, b.date) == 0;
    for (size_t i = 0; same && i < a.meta.n; i++)
        same = strcmp(a.meta.v[i].field, b.meta.v[i].field) == 0 &&
               strcmp(a.meta.v[i].value, b.meta.v[i].value) == 0 && a.meta.v[i].page == b.meta.v[i].page;
    CHECK(same && a.meta.n >= 5);
    sh_dossier_info_free(&a);
    sh_dossier_info_free(&b);
}

/* A catalog as sohoa 0.1 (schema 1) left it: opened for writing, it gains the index. */
static void test_migration(const char *root)
{
    char dir[600], path[700];
    sqlite3 *db;
    snprintf(dir, sizeof dir, "%s/v1", root);
    snprintf(path, sizeof path, "%s/catalog.sqlite", dir);
    CHECK(sh_archive_open(dir, true, true, NULL, &(sh_error){0}) == NULL); /* no catalog yet */
    sh_archive_close(sh_archive_open(dir, true, false, NULL, &(sh_error){0}));
    unlink(path);
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db,
        "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "CREATE TABLE dossiers(id TEXT PRIMARY KEY, key TEXT NOT NULL UNIQUE, input_key TEXT NOT NULL,"
        " part INTEGER NOT NULL DEFAULT 1, parts INTEGER NOT NULL DEFAULT 1, separator INTEGER,"
        " source TEXT NOT NULL, pages INTEGER NOT NULL, input_bytes INTEGER NOT NULL, pdf TEXT NOT NULL,"
        " pdf_sha256 TEXT NOT NULL, pdf_bytes INTEGER NOT NULL, low_dpi_pages INTEGER NOT NULL DEFAULT 0,"
        " status TEXT NOT NULL CHECK (status IN ('writing','archived')), created_at TEXT NOT NULL,"
        " archived_at TEXT);"
        "CREATE TABLE pages(dossier_id TEXT NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,"
        " page INTEGER NOT NULL, source_file TEXT NOT NULL, source_page INTEGER NOT NULL,"
        " width INTEGER NOT NULL, height INTEGER NOT NULL, dpi_x REAL NOT NULL, dpi_y REAL NOT NULL,"
        " dpi_assumed INTEGER NOT NULL, low_dpi INTEGER NOT NULL, codec TEXT NOT NULL,"
        " encoding TEXT NOT NULL, colorspace TEXT NOT NULL, bpc INTEGER NOT NULL,"
        " rotate INTEGER NOT NULL DEFAULT 0, skew_deg REAL, blank INTEGER NOT NULL DEFAULT 0,"
        " ink REAL, components INTEGER, ocr_conf REAL, words_count INTEGER NOT NULL DEFAULT 0,"
        " text TEXT, words TEXT, PRIMARY KEY (dossier_id, page));"
        "CREATE TABLE separators(input_key TEXT NOT NULL, source TEXT NOT NULL, page INTEGER NOT NULL,"
        " PRIMARY KEY (input_key, page));"
        "CREATE TABLE files(path TEXT PRIMARY KEY, dossier_id TEXT REFERENCES dossiers(id) ON DELETE"
        " CASCADE, role TEXT NOT NULL, sha256 TEXT NOT NULL, bytes INTEGER NOT NULL,"
        " written_at TEXT NOT NULL);"
        "INSERT INTO meta VALUES ('schema', '1');"
        "INSERT INTO dossiers VALUES ('aaaaaaaaaaaaaaaa', 'k1', 'k1', 1, 1, NULL, '/in/old.tif', 1, 10,"
        " 'pdf/aa/x.pdf', 'x', 10, 0, 'archived', '2024-05-01T00:00:00Z', '2024-05-01T00:00:00Z');"
        "INSERT INTO pages VALUES ('aaaaaaaaaaaaaaaa', 1, '/in/old.tif', 1, 10, 10, 300, 300, 0, 0,"
        " 'png', 'flate', 'gray', 8, 0, 0, 0, 0, 0, 90, 3,"
        " 'Số: 07/TB-UBND Hòa Tiến, ngày 02 tháng 3 năm 2024\nThông báo lịch tiếp công dân', NULL);",
        NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);

    sh_error err = {0};
    sh_archive *ro = sh_archive_open(dir, false, true, NULL, &err);
    sh_catalog *saved = cat;
    if (ro) { /* read-only: no migration, a clear message */
        cat = sh_archive_catalog(ro);
        hits r = find("lich tiep");
        CHECK(r.n == 999);
        sh_archive_close(ro);
    }
    sh_archive *a = sh_archive_open(dir, false, false, NULL, &err);
    CHECK(a != NULL);
    if (!a) {
        fprintf(stderr, "%s\n", err.msg);
        cat = saved;
        return;
    }
    cat = sh_archive_catalog(a);
    hits r = find("lich tiep cong dan");
    CHECK(r.n == 1 && strcmp(r.dossier[0], "aaaaaaaaaaaaaaaa") == 0 && r.page[0] == 1);
    CHECK(sh_catalog_reindex(cat, NULL, NULL, &err) == 0);
    r = find("lich tiep cong dan");
    CHECK(r.n == 1 && strcmp(r.date[0], "2024-03-02") == 0);
    sh_archive_close(a);
    cat = saved;
}

/* Filters over many dossiers: every way of applying them (page by page, a set, a lookup
 * per match; and from the dossiers, in a schema-2 catalog opened read-only) gives exactly
 * the newest matching pages that pass them, as many as the window holds. */
enum { NDOSSIERS = 240 };

static char many_ids[NDOSSIERS][17];

static const char *procedure_of(unsigned i) { return i % 3 == 0 ? "1.000001" : i % 3 == 1 ? "1.000002" : "1.000003"; }

static void applicant_of(unsigned i, char *out)
{
    if (i % 40 == 7) /* one citizen, six dossiers */
        snprintf(out, 13, "001000000007");
    else
        snprintf(out, 13, "002000%06u", i);
}

static void date_of(unsigned i, char *out)
{
    snprintf(out, 11, "%04u-%02u-10", 2020 + i % 5, 1 + i % 12);
}

static void archive_many(void)
{
    for (unsigned i = 0; i < NDOSSIERS; i++) {
        char name[32], t1[96], app[13], date[11];
        snprintf(name, sizeof name, "/in/many-%03u.tif", i);
        snprintf(t1, sizeof t1, "Hồ sơ thứ %u về %s", i, i % 4 == 0 ? "đất đai" : "hộ tịch");
        const char *texts[] = {t1, "Phiếu tiếp nhận hồ sơ và hẹn trả kết quả"};
        applicant_of(i, app);
        date_of(i, date);
        const char *meta[] = {SH_META_PROCEDURE, procedure_of(i), SH_META_APPLICANT, app,
                              SH_META_DATE, date, NULL};
        archive_text(name, texts, 2, meta);
        char key[65];
        sh_sha256_hex(name, strlen(name), key);
        snprintf(many_ids[i], sizeof many_ids[i], "%.16s", key);
    }
}

typedef struct pageset {
    bool on[NDOSSIERS][3];
    unsigned n, stray;
} pageset;

static int mark(const sh_hit *h, void *ctx)
{
    pageset *s = ctx;
    for (unsigned i = 0; i < NDOSSIERS; i++)
        if (strcmp(h->dossier, many_ids[i]) == 0 && h->page >= 1 && h->page <= 2) {
            s->n += !s->on[i][h->page];
            s->on[i][h->page] = true;
            return 0;
        }
    s->stray++;
    return 0;
}

typedef struct many_query {
    const char *query, *applicant, *procedure, *from, *to;
} many_query;

static bool expected_page(const many_query *m, unsigned i, unsigned page)
{
    char app[13], date[11];
    applicant_of(i, app);
    date_of(i, date);
    bool text = strcmp(m->query, "hồ sơ") == 0 ||
                (page == 1 && strcmp(m->query, "dat dai") == 0 && i % 4 == 0) ||
                (page == 1 && strcmp(m->query, "hộ tịc*") == 0 && i % 4 != 0) ||
                (page == 2 && strcmp(m->query, "\"hẹn trả\"") == 0);
    return text && (!m->applicant || strcmp(m->applicant, app) == 0) &&
           (!m->procedure || strcmp(m->procedure, procedure_of(i)) == 0) &&
           (!m->from || strcmp(date, m->from) >= 0) && (!m->to || strcmp(date, m->to) <= 0);
}

static void check_many(const char *how)
{
    static const many_query qs[] = {
        {"hồ sơ", NULL, "1.000002", NULL, NULL},
        {"hồ sơ", "001000000007", NULL, NULL, NULL},
        {"hồ sơ", NULL, NULL, "2021-01-01", "2021-12-31"},
        {"dat dai", NULL, "1.000001", "2022-01-01", "2023-12-31"},
        {"hộ tịc*", "001000000007", "1.000002", NULL, NULL},
        {"\"hẹn trả\"", NULL, NULL, "2023-01-01", NULL},
        {"hồ sơ", NULL, "1.000003", NULL, "2020-12-31"},
        {"dat dai", NULL, "9.999999", NULL, NULL},
    };
    static const unsigned windows[] = {0, 8, 40, 200};
    for (size_t k = 0; k < sizeof qs / sizeof qs[0]; k++)
        for (size_t w = 0; w < sizeof windows / sizeof windows[0]; w++) {
            const many_query *m = &qs[k];
            sh_search q = {.query = m->query, .applicant = m->applicant,
                           .procedure = m->procedure, .from = m->from, .to = m->to,
                           .limit = 1000, .window = windows[w]};
            unsigned room = ((windows[w] ? windows[w] : 2000) + 3) / 4, want = 0;
            pageset got = {0};
            sh_error err = {0};
            bool same = sh_catalog_search(cat, &q, mark, &got, &err) == 0 && got.stray == 0;
            /* the newest first: dossier by dossier, last page first */
            for (int i = NDOSSIERS - 1; i >= 0; i--)
                for (unsigned page = 2; page >= 1; page--)
                    if (expected_page(m, (unsigned)i, page) && want < room) {
                        want++;
                        same = same && got.on[i][page];
                    }
            same = same && got.n == want;
            CHECK(same);
            if (!same)
                fprintf(stderr, "%s: '%s' (filter %zu, window %u): %u pages, %u expected%s%s\n",
                        how, m->query, k, windows[w], got.n, want, *err.msg ? ": " : "",
                        err.msg);
        }
}

static void test_filters(const char *root)
{
    char dir[600], path[700];
    sh_error err = {0};
    sh_catalog *saved = cat;
    snprintf(dir, sizeof dir, "%s/many", root);
    snprintf(path, sizeof path, "%s/catalog.sqlite", dir);
    sh_archive *a = sh_archive_open(dir, true, false, NULL, &err);
    CHECK(a != NULL);
    if (!a)
        return;
    cat = sh_archive_catalog(a);
    archive_many();
    static const char *const plans[] = {"by cost", "page by page", "a set", "a lookup per match"};
    for (int plan = -1; plan <= 2; plan++) {
        sh_index_plan_override = plan;
        check_many(plans[plan + 1]);
    }
    sh_index_plan_override = -1;
    sh_archive_close(a);

    /* as sohoa before page_facets left it (schema 2, prefix indexes 2 and 3) */
    sqlite3 *db;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK && sh_fts_register(db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "DROP TABLE page_facets; UPDATE meta SET value = '2' WHERE key ="
                       " 'schema'; DROP TABLE pages_fts; CREATE VIRTUAL TABLE pages_fts USING"
                       " fts5(text, content='pages', content_rowid='id', tokenize='vn',"
                       " prefix='2 3'); INSERT INTO pages_fts(pages_fts) VALUES ('rebuild');",
                       NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    sh_archive *ro = sh_archive_open(dir, false, true, NULL, &err);
    CHECK(ro != NULL);
    if (ro) {
        cat = sh_archive_catalog(ro);
        check_many("schema 2, read-only");
        sh_archive_close(ro);
    }
    /* opened for writing: migrated, every page given its facts */
    a = sh_archive_open(dir, false, false, NULL, &err);
    CHECK(a != NULL);
    if (!a) {
        cat = saved;
        return;
    }
    cat = sh_archive_catalog(a);
    check_many("migrated to schema 3");
    CHECK(sh_catalog_reindex(cat, NULL, NULL, &err) == 0);
    check_many("reindexed");
    sh_archive_close(a);
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    sqlite3_stmt *st = NULL;
    /* reindex made the index again with today's prefix indexes */
    CHECK(sqlite3_prepare_v2(db, "SELECT (SELECT value FROM meta WHERE key = 'schema'),"
                             " (SELECT count(*) FROM page_facets WHERE field = 'date'),"
                             " (SELECT instr(sql, ?1) FROM sqlite_schema WHERE name ="
                             " 'pages_fts')", -1, &st, NULL) == SQLITE_OK);
    sqlite3_bind_text(st, 1, SH_FTS_PREFIX, -1, SQLITE_STATIC);
    CHECK(sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 3 &&
          sqlite3_column_int(st, 1) == 2 * NDOSSIERS && sqlite3_column_int(st, 2) > 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    cat = saved;
}

/* Many small transactions leave the index in many segments; the merge that ends a run
 * puts them into one without changing any result, cut short it does nothing harmful, and
 * a later run adding few pages is left beside the big segment until enough are new. */
static void test_merge(const char *root)
{
    static const char *const qs[] = {"hồ sơ", "dat dai", "hộ tịc*", "\"hẹn trả\"", "ho so hen"};
    enum { NQ = sizeof qs / sizeof qs[0] };
    hits before[NQ], after;
    char dir[600];
    sh_error err = {0};
    sh_catalog *saved = cat;
    snprintf(dir, sizeof dir, "%s/merge", root);
    sh_archive *a = sh_archive_open(dir, true, false, NULL, &err);
    CHECK(a != NULL);
    if (!a)
        return;
    cat = sh_archive_catalog(a);
    archive_many();
    int n = sh_catalog_index_segments(cat, &err);
    CHECK(n > 2);
    for (size_t i = 0; i < NQ; i++)
        before[i] = find(qs[i]);
    CHECK(sh_catalog_index_merge(cat, 0, SH_INDEX_MERGE_SHARE, &err) == n); /* no time */
    /* a catalog that was never merged (any made before): every page counts as new */
    CHECK(sh_catalog_index_merge(cat, 60, SH_INDEX_MERGE_SHARE, &err) == 1);
    CHECK(sh_catalog_index_segments(cat, &err) == 1);
    CHECK(sh_catalog_index_check(cat, &err) == 0);
    for (size_t i = 0; i < NQ; i++) {
        after = find(qs[i]);
        CHECK(after.n == before[i].n && after.n > 0 && after.n < 999);
        CHECK(memcmp(&after, &before[i], sizeof after) == 0);
    }
    check_many("merged");
    sh_archive_close(a);

    /* reopened, a run of one dossier: far under 5 % new, its segment stays */
    a = sh_archive_open(dir, false, false, NULL, &err);
    CHECK(a != NULL);
    if (!a) {
        cat = saved;
        return;
    }
    cat = sh_archive_catalog(a);
    archive1("/in/merge-later.tif", "Hồ sơ hẹn trả kết quả đất đai");
    CHECK(sh_catalog_index_segments(cat, &err) == 2);
    CHECK(sh_catalog_index_merge(cat, 60, SH_INDEX_MERGE_SHARE, &err) == 2);
    hits later = find("\"hẹn trả\" đất");
    CHECK(later.n == 1 && has(&later, "/in/merge-later.tif"));
    CHECK(sh_catalog_index_merge(cat, 60, 0, &err) == 1);
    CHECK(memcmp(&later, &(hits){0}, sizeof later) != 0);
    hits merged = find("\"hẹn trả\" đất");
    CHECK(memcmp(&merged, &later, sizeof later) == 0);
    CHECK(sh_catalog_index_check(cat, &err) == 0);
    sh_archive_close(a);
    cat = saved;
}

int main(void)
{
    char dir[] = "/tmp/sohoa-search.XXXXXX";
    sh_error err = {0};

    if (!mkdtemp(dir))
        return 1;
    sh_archive *ar = sh_archive_open(dir, true, false, NULL, &err);
    CHECK(ar != NULL);
    if (!ar) {
        fprintf(stderr, "%s\n", err.msg);
        return check_report();
    }
    cat = sh_archive_catalog(ar);

    archive1("/in/dau.tif", "Người đứng đầu cơ quan chịu trách nhiệm trước pháp luật");
    archive1("/in/duc.tif", "Ông Nguyễn Văn Đức, trú tại thôn Đông Xá");
    archive1("/in/datdai.tif", "Hồ sơ lưu trữ về đất đai năm 2011");
    archive1("/in/vowels.tif", "ơ ư ă ê lúa");
    archive1("/in/tone-ma.tif", "con ma trong truyện");
    archive1("/in/tone-ma1.tif", "con má trong truyện");
    archive1("/in/tone-ma2.tif", "con mà trong truyện");
    archive1("/in/tone-ma3.tif", "con mả trong truyện");
    archive1("/in/tone-ma4.tif", "con mã trong truyện");
    archive1("/in/tone-ma5.tif", "con mạ trong truyện");
    archive1("/in/ban-copy.tif", "Cấp bản sao giấy tờ cho công dân");
    archive1("/in/ban-sell.tif", "Cấp bán sao giấy tờ cho công dân");
    archive1("/in/ban-friend.tif", "Cấp bạn sao giấy tờ cho công dân");
    archive1("/in/qd.tif", "Số: 05/QĐ-UBND Bắc Giang, ngày 08 tháng 01 năm 2024\nQUYẾT ĐỊNH");
    for (size_t i = 0; i < sizeof filler / sizeof filler[0]; i++) {
        char name[32];
        snprintf(name, sizeof name, "/in/filler%zu.tif", i);
        archive1(name, filler[i]);
    }
    static const char *const op2025[] = {SH_META_DOSSIER_CODE, "HS-2025-0042", SH_META_APPLICANT,
                                         "001234567890", SH_META_PROCEDURE, "1.001612", NULL};
    const char *t2025[] = {"Số: 12/GCN Hòa Tiến, ngày 02 tháng 3 năm 2025\nGIẤY CHỨNG NHẬN\n"
                           "Cấp cho công dân đã hoàn thành khóa tập huấn"};
    archive_text("/in/applicant-2025.tif", t2025, 1, op2025);
    static const char *const op2024[] = {SH_META_PROCEDURE, "1.001612", NULL};
    const char *t2024[] = {"Số: 3/TB-UBND Yên Phong, ngày 15 tháng 6 năm 2024\nTHÔNG BÁO\nVề việc cấp lại giấy khai sinh",
                           "Người đề nghị: Trần Thị Lan\nSố định danh cá nhân: 001234567890"};
    archive_text("/in/applicant-2024.tif", t2024, 2, op2024);
    const char *t2023[] = {"Tam Giang, ngày 20 tháng 11 năm 2023\nĐƠN ĐỀ NGHỊ\nCCCD số 001234567890"};
    archive_text("/in/applicant-2023.tif", t2023, 1, NULL);

    test_folding();
    test_ranking();
    test_snippets();
    test_syntax();
    test_applicant();
    test_cancel_forget();
    test_reindex();
    CHECK(sh_catalog_index_check(cat, &err) == 0);
    long long pages = 0, bytes = 0;
    CHECK(sh_catalog_index_size(cat, &pages, &bytes, &err) == 0 && pages == 26 && bytes > 0);
    sh_archive_close(ar);
    test_migration(dir);
    test_filters(dir);
    test_merge(dir);

    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_report();
}
