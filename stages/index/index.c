/* index.c: the search calls of include/sohoa/search.h over the catalog's connection:
 * ranked search with snippets, the applicant's documents, metadata rows, cancellation,
 * reindexing. The catalog's SQL lives in stages/archive/catalog.c and here, nowhere else.
 *
 * Ranked search runs in two steps: the best N rows by bm25 first (no snippet is made for a
 * row that will not be shown), then snippets for those N only.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive/catalog.h"
#include "index_int.h"
#include "sohoa/search.h"

const char sh_mark_open[] = "[", sh_mark_close[] = "]";

/* The fields an applicant's ID may be found under. */
#define APPLICANT_FIELDS "('" SH_META_APPLICANT "','" SH_META_CCCD "','" SH_META_CMND "')"
/* set on every write (the document's date, else the archiving day), indexed */
#define DOC_DATE "d.doc_date"
/* A fact of the document a page belongs to: the operator's, else the one read on the
 * nearest page at or before it (a dossier may hold several documents). */
#define PAGE_META(field, page)                                                                \
    "(SELECT value FROM dossier_meta m WHERE m.dossier_id = d.id AND m.field = '" field "'"  \
    " AND m.page <= " page " ORDER BY m.page = 0 DESC, m.page DESC LIMIT 1)"

static int lock_fail(sh_catalog *c, sh_error *err, const char *what)
{
    int rc = sh_catalog_fail(c, err, what);
    pthread_mutex_unlock(&c->lock);
    return rc;
}

/* WHERE conditions for the filters; bound as ?2 applicant, ?3 procedure, ?4 from, ?5 to.
 * doc_date is always set (catalog write, migration), so a date range uses its index. */
static void filters(FILE *f, const sh_search *q, bool few_dates)
{
    fputs(" AND d.status = 'archived'", f);
    if (q->applicant)
        fputs(" AND d.id IN (SELECT dossier_id FROM dossier_meta WHERE field IN "
              APPLICANT_FIELDS " AND value = ?2)", f);
    /* thousands of dossiers share a procedure: walk the date index, newest first, and
     * probe the set ("+": never look each one up); a short date range walks few enough
     * dossiers to look each one up instead of building that set */
    if (q->procedure && few_dates)
        fputs(" AND EXISTS (SELECT 1 FROM dossier_meta m WHERE m.dossier_id = d.id AND"
              " m.field = '" SH_META_PROCEDURE "' AND m.value = ?3)", f);
    else if (q->procedure)
        fputs(" AND +d.id IN (SELECT dossier_id FROM dossier_meta WHERE field = '"
              SH_META_PROCEDURE "' AND value = ?3)", f);
    if (q->from)
        fputs(" AND d.doc_date >= ?4", f);
    if (q->to)
        fputs(" AND d.doc_date <= ?5", f);
}

/* The same filters as a set of page ids; only a date needs the dossiers table. */
static void page_set(FILE *f, const sh_search *q)
{
    fputs("SELECT p.id FROM pages p WHERE 1", f);
    if (q->applicant)
        fputs(" AND p.dossier_id IN (SELECT dossier_id FROM dossier_meta WHERE field IN "
              APPLICANT_FIELDS " AND value = ?2)", f);
    if (q->procedure)
        fputs(" AND p.dossier_id IN (SELECT dossier_id FROM dossier_meta WHERE field = '"
              SH_META_PROCEDURE "' AND value = ?3)", f);
    if (q->from || q->to)
        fprintf(f, " AND p.dossier_id IN (SELECT id FROM dossiers WHERE %s%s%s)",
                q->from ? "doc_date >= ?4" : "", q->from && q->to ? " AND " : "",
                q->to ? "doc_date <= ?5" : "");
}

static void bind_filters(sqlite3_stmt *st, const sh_search *q)
{
    if (q->applicant)
        sqlite3_bind_text(st, 2, q->applicant, -1, SQLITE_STATIC);
    if (q->procedure)
        sqlite3_bind_text(st, 3, q->procedure, -1, SQLITE_STATIC);
    if (q->from)
        sqlite3_bind_text(st, 4, q->from, -1, SQLITE_STATIC);
    if (q->to)
        sqlite3_bind_text(st, 5, q->to, -1, SQLITE_STATIC);
}

static const char *col(sqlite3_stmt *st, int i) { return (const char *)sqlite3_column_text(st, i); }

/* How many pages the filters leave (at most 301: only "few or many" matters), from the
 * dossiers: a schema-2 catalog opened read-only has no page_facets. */
static long long filter_pages_v2(sh_catalog *c, const sh_search *q, sh_error *err)
{
    char *sql = NULL;
    size_t len = 0;
    sqlite3_stmt *st = NULL;
    long long n = -1;
    FILE *f = open_memstream(&sql, &len);
    if (!f)
        return sh_fail(err, SH_ENOMEM, "out of memory");
    fputs("SELECT count(*) FROM (", f);
    page_set(f, q);
    fputs(" LIMIT 301)", f);
    if (fclose(f) != 0) {
        free(sql);
        return sh_fail(err, SH_ENOMEM, "out of memory");
    }
    pthread_mutex_lock(&c->lock);
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) == SQLITE_OK) {
        bind_filters(st, q);
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
    }
    if (n < 0)
        sh_catalog_fail(c, err, "search");
    sqlite3_finalize(st);
    pthread_mutex_unlock(&c->lock);
    free(sql);
    return n;
}

/* One number from a query bound with the filters; -1 on error. */
static long long scalar(sh_catalog *c, const char *sql, const sh_search *q)
{
    sqlite3_stmt *st = NULL;
    long long n = -1;
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) == SQLITE_OK) {
        bind_filters(st, q);
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return n;
}

enum { F_APPLICANT, F_PROCEDURE, F_DATE, NFILTERS };

static bool asked(const sh_search *q, int k)
{
    return k == F_APPLICANT ? q->applicant != NULL
         : k == F_PROCEDURE ? q->procedure != NULL : q->from || q->to;
}

/* What filter k asks of a page_facets row named a. */
static void facet_cond(FILE *f, const sh_search *q, int k, const char *a)
{
    if (k == F_APPLICANT)
        fprintf(f, "%s.field = 'applicant' AND %s.value = ?2", a, a);
    else if (k == F_PROCEDURE)
        fprintf(f, "%s.field = 'procedure' AND %s.value = ?3", a, a);
    else
        fprintf(f, "%s.field = 'date'", a);
    if (k == F_DATE && q->from)
        fprintf(f, " AND %s.value >= ?4", a);
    if (k == F_DATE && q->to)
        fprintf(f, " AND %s.value <= ?5", a);
}

/* Every filter but `skip`, each one lookup by primary key of the page whose id is `id`
 * (joined: a page has one date and each ID once, so a row never doubles). */
static void facet_joins(FILE *f, const sh_search *q, const char *id, int skip)
{
    for (int k = 0; k < NFILTERS; k++) {
        if (k == skip || !asked(q, k))
            continue;
        char a[8];
        snprintf(a, sizeof a, "f%d", k);
        fprintf(f, " CROSS JOIN page_facets %s ON %s.page_id = %s AND ", a, a, id);
        facet_cond(f, q, k, a);
    }
}

/* The pages passing the filters: filter `driver`'s index range, the others looked up. */
static void facet_set(FILE *f, const sh_search *q, int driver)
{
    fputs("SELECT s.page_id FROM page_facets s", f);
    facet_joins(f, q, "s.page_id", driver);
    fputs(" WHERE ", f);
    facet_cond(f, q, driver, "s");
}

/* How a ranked search applies its filters. FTS5 reads the query's matches newest first
 * until the window is full; a filter leaving a fraction s of the pages makes it read
 * window / s of them, and it can never be told "only these pages" except one page at a
 * time. So: a few pages, FTS5 looks each one up (LOOKUP); else the matches it reads are
 * checked against the pages of the most selective filter, built once (SET), or each one
 * looked up in page_facets by its id (PROBE), whichever reads less. PROBE costs the same
 * in any size of archive; SET costs the filter's pages. */
typedef enum { PLAN_LOOKUP, PLAN_SET, PLAN_PROBE } filter_plan;
int sh_index_plan_override = -1;

/* Rough costs in microseconds, measured at 50,000 pages (a two-word query). */
#define COST_LOOKUP 500.0 /* FTS5 looking up one page: every phrase sought in every segment
                           * (about 20 after many small transactions; 1 after reindex) */
#define COST_READ 0.25    /* FTS5 reading one more match */
#define COST_PROBE 0.25   /* one page_facets lookup */
#define COST_BUILD 0.25   /* one page id walked and put into a set */
/* several filters: their common pages are counted when the smallest has at most this many */
#define COUNT_MAX 4000

/* How many pages pass filter k (-1: every filter, walking `driver`'s); -1 on error. */
static long long count_pages(sh_catalog *c, const sh_search *q, int k, int driver)
{
    char *sql = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&sql, &len);
    if (!f)
        return -1;
    fputs("SELECT count(*) FROM (", f);
    if (k >= 0) {
        fputs("SELECT 1 FROM page_facets s WHERE ", f);
        facet_cond(f, q, k, "s");
    } else {
        facet_set(f, q, driver);
    }
    fputs(")", f);
    long long n = fclose(f) == 0 ? scalar(c, sql, q) : -1;
    free(sql);
    return n;
}

static int plan_filters(sh_catalog *c, const sh_search *q, unsigned window, filter_plan *plan,
                        int *driver, sh_error *err)
{
    long long total, n[NFILTERS] = {0}, m;
    int asked_n = 0;

    if ((total = scalar(c, "SELECT max(id) FROM pages", q)) < 0)
        return sh_catalog_fail(c, err, "search");
    *driver = -1;
    for (int k = 0; k < NFILTERS; k++) {
        if (!asked(q, k))
            continue;
        if ((n[k] = count_pages(c, q, k, -1)) < 0)
            return sh_catalog_fail(c, err, "search");
        asked_n++;
        if (*driver < 0 || n[k] < n[*driver])
            *driver = k;
    }
    /* the pages passing every filter: counted when the others can be probed cheaply, else
     * estimated as if the filters were independent */
    m = n[*driver];
    if (asked_n > 1 && m <= COUNT_MAX) {
        if ((m = count_pages(c, q, -1, *driver)) < 0)
            return sh_catalog_fail(c, err, "search");
    } else {
        for (int k = 0; k < NFILTERS; k++)
            if (asked(q, k) && k != *driver && total > 0)
                m = (long long)((double)m * (double)n[k] / (double)total);
    }
    double reads = m > 0 ? fmin((double)total, (double)window * (double)total / (double)m)
                         : (double)total;
    double lookup = (double)m * COST_LOOKUP;
    double set = (double)n[*driver] * (COST_BUILD + (asked_n - 1) * COST_PROBE) +
                 reads * COST_READ;
    double probe = reads * (COST_READ + asked_n * COST_PROBE);
    *plan = lookup <= set && lookup <= probe ? PLAN_LOOKUP : set <= probe ? PLAN_SET : PLAN_PROBE;
    if (sh_index_plan_override >= 0)
        *plan = (filter_plan)sh_index_plan_override;
    return 0;
}

/* 1 when the catalog has page_facets (schema 3), 0 when not (schema 2, read-only). */
static bool has_facets(sh_catalog *c)
{
    return sqlite3_table_column_metadata(c->db, "main", "page_facets", "page_id", NULL, NULL,
                                         NULL, NULL, NULL) == SQLITE_OK;
}

/* A listing has no match to show: the document's type, number and subject stand for it,
 * else the start of its text. */
static char *list_snippet(sqlite3_stmt *st)
{
    const char *type = col(st, 8), *number = col(st, 9), *subject = col(st, 10), *text = col(st, 11);
    char *s = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&s, &len);
    if (!f)
        return NULL;
    if (type || number || subject) {
        fprintf(f, "%s%s%s%s%s", type ? type : "", type && number ? " " : "",
                number ? number : "", (type || number) && subject ? ": " : "",
                subject ? subject : "");
    } else if (text) {
        size_t n = 0, cut = 0;
        for (const char *p = text; *p && n < 160; p++, n++)
            if (((unsigned char)*p & 0xC0) != 0x80) /* cut between characters */
                cut = n;
        fprintf(f, "%.*s%s", (int)(text[n] ? cut : n), text, text[n] ? "…" : "");
    }
    if (fclose(f) != 0) {
        free(s);
        return NULL;
    }
    for (char *p = s; *p; p++)
        if (*p == '\n')
            *p = ' ';
    return s;
}

int sh_catalog_search(sh_catalog *c, const sh_search *q,
                      int (*fn)(const sh_hit *hit, void *ctx), void *ctx, sh_error *err)
{
    char *fts = NULL, *sql = NULL;
    size_t len = 0;
    sqlite3_stmt *st = NULL;
    bool ranked = q->query && *q->query;
    bool filtered = q->applicant || q->procedure || q->from || q->to, facets = false;
    filter_plan plan = PLAN_SET;
    int rc = 0, step, driver = -1;
    FILE *f;

    if (!ranked && !filtered)
        return sh_fail(err, SH_EUSAGE, "nothing to search for: give words, or a filter");
    if (ranked && sh_search_translate(q->query, &fts, err) < 0)
        return -1;
    /* a filter makes FTS5 read past the matches it drops: a quarter of the window */
    unsigned window = q->window ? q->window : 2000;
    if (filtered)
        window = (window + 3) / 4;
    /* a prefix is expanded at every index lookup: never look up page by page */
    bool prefix = ranked && strchr(fts, '*');
    if (ranked && filtered) {
        pthread_mutex_lock(&c->lock);
        facets = has_facets(c);
        rc = facets ? plan_filters(c, q, window, &plan, &driver, err) : 0;
        pthread_mutex_unlock(&c->lock);
        if (rc == 0 && !facets) { /* schema 2, opened read-only: sets from the dossiers */
            long long n = filter_pages_v2(c, q, err);
            rc = n < 0 ? -1 : 0;
            plan = n <= 300 ? PLAN_LOOKUP : PLAN_SET;
        }
        if (rc < 0) {
            free(fts);
            return -1;
        }
        if (prefix && plan == PLAN_LOOKUP)
            plan = PLAN_SET;
    }
    bool sparse = filtered && plan == PLAN_LOOKUP, few_dates = false;
    if (!ranked && q->procedure && (q->from || q->to)) {
        pthread_mutex_lock(&c->lock);
        long long n = scalar(c, q->from && q->to ? "SELECT count(*) FROM (SELECT 1 FROM dossiers"
                             " WHERE doc_date >= ?4 AND doc_date <= ?5 LIMIT 5001)"
                             : q->from ? "SELECT count(*) FROM (SELECT 1 FROM dossiers WHERE"
                             " doc_date >= ?4 LIMIT 5001)" : "SELECT count(*) FROM (SELECT 1"
                             " FROM dossiers WHERE doc_date <= ?5 LIMIT 5001)", q);
        pthread_mutex_unlock(&c->lock);
        few_dates = n >= 0 && n <= 5000;
    }
    if (!(f = open_memstream(&sql, &len))) {
        free(fts);
        return sh_fail(err, SH_ENOMEM, "out of memory");
    }
    if (ranked) {
        /* The newest `window` matches, scored as FTS5 reads them newest first (it stops
         * there); the best of them; snippets for those only, in one more pass (a MATCH per
         * row would expand a prefix query again for each). A filter (plan_filters): each
         * match looked up in page_facets, or a set of page ids built once and probed for
         * every match, or looked up in the index page by page when small (an applicant's
         * few dossiers). Archived or not is asked below. */
        fputs("WITH cand AS (SELECT pages_fts.rowid AS rid, vnrank(pages_fts) AS score"
              " FROM pages_fts", f);
        if (filtered && plan == PLAN_PROBE)
            facet_joins(f, q, "pages_fts.rowid", -1);
        fputs(" WHERE pages_fts MATCH ?1", f);
        if (filtered && plan != PLAN_PROBE) {
            fputs(sparse ? " AND pages_fts.rowid IN (" : " AND +pages_fts.rowid IN (", f);
            if (facets)
                facet_set(f, q, driver);
            else
                page_set(f, q);
            fputs(")", f);
        }
        fputs(" ORDER BY pages_fts.rowid DESC LIMIT ?9),"
              " best AS (SELECT rid, score FROM cand ORDER BY score DESC, rid DESC LIMIT ?6 + 2)"
              " SELECT d.id, p.page, d.pdf, d.source, best.score, " DOC_DATE ", d.cancelled_at,"
              " snippet(pages_fts, 0, ?7, ?8, '…', 14), " PAGE_META(SH_META_TYPE, "p.page") ","
              PAGE_META(SH_META_NUMBER, "p.page")
              , f);
        if (!sparse) /* one pass of FTS5 over the span the window read, outermost; the IN
                      * (an index built once) keeps the best rows before anything else */
            fputs(" FROM pages_fts CROSS JOIN best ON best.rid = pages_fts.rowid"
                  " JOIN pages p ON p.id = best.rid JOIN dossiers d ON d.id = p.dossier_id"
                  " WHERE pages_fts MATCH ?1 AND pages_fts.rowid BETWEEN"
                  " (SELECT min(rid) FROM best) AND (SELECT max(rid) FROM best)"
                  " AND +pages_fts.rowid IN (SELECT rid FROM best)", f);
        else /* a few pages anywhere in the table: a lookup each */
            fputs(" FROM best CROSS JOIN pages_fts ON pages_fts.rowid = best.rid"
                  " JOIN pages p ON p.id = best.rid JOIN dossiers d ON d.id = p.dossier_id"
                  " WHERE pages_fts MATCH ?1", f);
        fputs(" AND d.status = 'archived' ORDER BY best.score DESC, best.rid DESC LIMIT ?6", f);
    } else {
        /* the page: where the applicant's ID was read, else the first */
        fputs("WITH listed AS (SELECT d.id AS id, COALESCE((SELECT min(page) FROM dossier_meta"
              " WHERE dossier_id = d.id AND field IN " APPLICANT_FIELDS " AND value = ?2 AND"
              " page > 0), 1) AS page FROM dossiers d WHERE 1", f);
        filters(f, q, few_dates);
        fputs(" ORDER BY " DOC_DATE " DESC, d.created_at DESC, d.id LIMIT ?6)"
              " SELECT d.id, l.page, d.pdf, d.source, 0, " DOC_DATE ", d.cancelled_at, NULL, "
              PAGE_META(SH_META_TYPE, "l.page") ", " PAGE_META(SH_META_NUMBER, "l.page") ", "
              PAGE_META(SH_META_SUBJECT, "l.page") ","
              " (SELECT substr(text, 1, 400) FROM pages WHERE dossier_id = d.id AND page = l.page)"
              " FROM listed l JOIN dossiers d ON d.id = l.id"
              " ORDER BY " DOC_DATE " DESC, d.created_at DESC, d.id", f);
    }
    if (fclose(f) != 0) {
        free(fts);
        free(sql);
        return sh_fail(err, SH_ENOMEM, "out of memory");
    }

    pthread_mutex_lock(&c->lock);
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
        /* a catalog of schema 1 opened read-only has no index yet */
        if (strstr(sqlite3_errmsg(c->db), "pages_fts") || strstr(sqlite3_errmsg(c->db), "dossier_meta"))
            rc = sh_fail(err, SH_ECATALOG, "this archive has no search index yet: run 'sohoa "
                         "reindex' once to build it");
        else
            rc = sh_catalog_fail(c, err, "search");
        goto out;
    }
    if (ranked)
        sqlite3_bind_text(st, 1, fts, -1, SQLITE_STATIC);
    bind_filters(st, q);
    sqlite3_bind_int(st, 6, (int)(q->limit ? q->limit : 20));
    sqlite3_bind_text(st, 7, sh_mark_open, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, sh_mark_close, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 9, (int)window);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        char *made = ranked ? NULL : list_snippet(st);
        sh_hit h = {
            .dossier = col(st, 0),
            .page = (unsigned)sqlite3_column_int(st, 1),
            .pdf = col(st, 2),
            .source = col(st, 3),
            .score = sqlite3_column_double(st, 4),
            .date = col(st, 5),
            .cancelled_at = col(st, 6),
            .snippet = ranked ? col(st, 7) : made ? made : "",
            .doc_type = col(st, 8),
            .doc_number = col(st, 9),
        };
        int stop = fn(&h, ctx);
        free(made);
        if (stop)
            break;
    }
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        rc = sh_catalog_fail(c, err, "search");
out:
    sqlite3_finalize(st);
    pthread_mutex_unlock(&c->lock);
    free(fts);
    free(sql);
    return rc;
}

int sh_catalog_write_meta(sh_catalog *c, const char *id, const sh_meta *m, bool text_only,
                          sh_error *err)
{
    sqlite3_stmt *st = NULL;

    if (sqlite3_prepare_v2(c->db, "INSERT OR IGNORE INTO dossier_meta VALUES (?1, ?2, ?3, ?4)",
                           -1, &st, NULL) != SQLITE_OK)
        return sh_catalog_fail(c, err, "record metadata");
    for (size_t i = 0; i < m->n; i++) {
        if (text_only && m->v[i].page == 0)
            continue;
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, m->v[i].field, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, m->v[i].value, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 4, (int)m->v[i].page);
        if (sqlite3_step(st) != SQLITE_DONE) {
            sqlite3_finalize(st);
            return sh_catalog_fail(c, err, "record metadata");
        }
    }
    sqlite3_finalize(st);
    /* the document's date, else the day it was archived: never NULL, so indexed */
    if (sqlite3_prepare_v2(c->db, "UPDATE dossiers SET doc_date = COALESCE((SELECT value FROM"
                           " dossier_meta WHERE dossier_id = ?1 AND field = '" SH_META_DATE "'"
                           " ORDER BY page = 0 DESC, page LIMIT 1), substr(created_at, 1, 10))"
                           " WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
        return sh_catalog_fail(c, err, "record the document's date");
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step != SQLITE_DONE)
        return sh_catalog_fail(c, err, "record the document's date");
    /* reindex rewrites every page's facts once, at its end */
    if (!text_only && sh_index_fill_facets(c->db, id) != SQLITE_OK)
        return sh_catalog_fail(c, err, "record the facts searches filter by");
    return 0;
}

/* Each page's filter facts: its dossier's applicant IDs (whichever field they came in),
 * procedure codes and date, from dossier_meta and dossiers. */
#define FACETS_INSERT(meta_where, dossier_where)                                              \
    "INSERT OR IGNORE INTO page_facets (page_id, field, value) SELECT p.id, f.field, f.value" \
    " FROM (SELECT dossier_id AS did, 'applicant' AS field, value FROM dossier_meta"          \
    " WHERE field IN " APPLICANT_FIELDS meta_where                                            \
    " UNION ALL SELECT dossier_id, 'procedure', value FROM dossier_meta WHERE field = '"       \
    SH_META_PROCEDURE "'" meta_where                                                          \
    " UNION ALL SELECT id, 'date', doc_date FROM dossiers WHERE doc_date IS NOT NULL"         \
    dossier_where ") f JOIN pages p ON p.dossier_id = f.did"

int sh_index_fill_facets(sqlite3 *db, const char *dossier_id)
{
    static const char *const one[] = {
        "DELETE FROM page_facets WHERE page_id IN (SELECT id FROM pages WHERE dossier_id = ?1)",
        FACETS_INSERT(" AND dossier_id = ?1", " AND id = ?1"),
    };
    if (!dossier_id)
        return sqlite3_exec(db, "DELETE FROM page_facets;" FACETS_INSERT("", ""), NULL, NULL,
                            NULL);
    for (size_t i = 0; i < sizeof one / sizeof one[0]; i++) {
        sqlite3_stmt *st = NULL;
        int rc = sqlite3_prepare_v2(db, one[i], -1, &st, NULL);
        if (rc != SQLITE_OK)
            return rc;
        sqlite3_bind_text(st, 1, dossier_id, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            return rc;
    }
    return SQLITE_OK;
}

int sh_catalog_info(sh_catalog *c, const char *id, sh_dossier_info *info, sh_error *err)
{
    sqlite3_stmt *st = NULL;
    int step;

    memset(info, 0, sizeof *info);
    pthread_mutex_lock(&c->lock);
    if (sqlite3_prepare_v2(c->db, "SELECT archived_at, cancelled_at, cancel_reason, " DOC_DATE
                           ", source FROM dossiers d WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
        return lock_fail(c, err, "read the dossier");
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if ((step = sqlite3_step(st)) == SQLITE_ROW) {
        snprintf(info->archived_at, sizeof info->archived_at, "%s", col(st, 0) ? col(st, 0) : "");
        snprintf(info->cancelled_at, sizeof info->cancelled_at, "%s", col(st, 1) ? col(st, 1) : "");
        info->cancel_reason = col(st, 2) ? strdup(col(st, 2)) : NULL;
        snprintf(info->date, sizeof info->date, "%s", col(st, 3) ? col(st, 3) : "");
        info->source = strdup(col(st, 4) ? col(st, 4) : "");
    }
    sqlite3_finalize(st);
    if (step != SQLITE_ROW) {
        pthread_mutex_unlock(&c->lock);
        return step == SQLITE_DONE ? sh_fail(err, SH_EUSAGE, "no dossier %s", id)
                                   : sh_catalog_fail(c, err, "read the dossier");
    }
    if (sqlite3_prepare_v2(c->db, "SELECT field, value, page FROM dossier_meta WHERE dossier_id"
                           " = ?1 ORDER BY page, rowid", -1, &st, NULL) != SQLITE_OK)
        return lock_fail(c, err, "read the metadata");
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    while ((step = sqlite3_step(st)) == SQLITE_ROW)
        if (sh_meta_add(&info->meta, col(st, 0), col(st, 1), (unsigned)sqlite3_column_int(st, 2)) < 0) {
            step = SQLITE_NOMEM;
            break;
        }
    sqlite3_finalize(st);
    pthread_mutex_unlock(&c->lock);
    if (step != SQLITE_DONE) {
        sh_dossier_info_free(info);
        return sh_fail(err, SH_ECATALOG, "catalog: cannot read the metadata of %s", id);
    }
    return 0;
}

void sh_dossier_info_free(sh_dossier_info *info)
{
    free(info->cancel_reason);
    free(info->source);
    info->cancel_reason = info->source = NULL;
    sh_meta_free(&info->meta);
}

int sh_catalog_cancel(sh_catalog *c, const char *id, const char *reason, sh_error *err)
{
    sqlite3_stmt *st = NULL;
    char now[32];
    int rc;

    sh_catalog_now(now, sizeof now);
    pthread_mutex_lock(&c->lock);
    if (sqlite3_prepare_v2(c->db, "UPDATE dossiers SET cancelled_at = ?2, cancel_reason = ?3"
                           " WHERE id = ?1 AND status = 'archived' AND cancelled_at IS NULL",
                           -1, &st, NULL) != SQLITE_OK)
        return lock_fail(c, err, "cancel");
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) {
        sqlite3_finalize(st);
        return lock_fail(c, err, "cancel");
    }
    rc = sqlite3_changes(c->db) == 1;
    sqlite3_finalize(st);
    pthread_mutex_unlock(&c->lock);
    return rc;
}

/* Re-reads the facts of one dossier's pages; inside reindex's transaction. */
static int reread(sh_catalog *c, const char *id, sh_meta *m, sh_error *err)
{
    int rc = sh_catalog_write_meta(c, id, m, true, err);
    sh_meta_free(m);
    return rc;
}

int sh_catalog_reindex(sh_catalog *c, void (*progress)(unsigned done, void *ctx), void *ctx,
                       sh_error *err)
{
    sqlite3_stmt *st = NULL;
    char id[17] = "";
    sh_meta m = {0};
    unsigned done = 0;
    int step, rc = -1;

    pthread_mutex_lock(&c->lock);
    if (sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        sh_catalog_fail(c, err, "rebuild the index");
        goto out;
    }
    /* made again when an older sohoa made it with other prefix indexes */
    if (sqlite3_prepare_v2(c->db, "SELECT instr(sql, ?1) FROM sqlite_schema WHERE name ="
                           " 'pages_fts'", -1, &st, NULL) != SQLITE_OK) {
        sh_catalog_fail(c, err, "rebuild the index");
        goto rollback;
    }
    sqlite3_bind_text(st, 1, SH_FTS_PREFIX, -1, SQLITE_STATIC);
    bool outdated = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 0;
    sqlite3_finalize(st);
    st = NULL;
    if (outdated && sqlite3_exec(c->db, "DROP TABLE pages_fts;" SH_FTS_TABLE, NULL, NULL, NULL)
        != SQLITE_OK) {
        sh_catalog_fail(c, err, "rebuild the index");
        goto rollback;
    }
    /* rebuilt, then merged into one segment: a lookup then seeks once per term, not once
     * per segment the archive's many small transactions left */
    if (sqlite3_exec(c->db, "INSERT INTO pages_fts(pages_fts) VALUES ('rebuild');"
                     "INSERT INTO pages_fts(pages_fts) VALUES ('optimize');"
                     "DELETE FROM dossier_meta WHERE page > 0;"
                     "UPDATE dossiers SET doc_date = NULL;", NULL, NULL, NULL) != SQLITE_OK) {
        sh_catalog_fail(c, err, "rebuild the index");
        goto rollback;
    }
    if (sqlite3_prepare_v2(c->db, "SELECT dossier_id, page, text FROM pages"
                           " ORDER BY dossier_id, page", -1, &st, NULL) != SQLITE_OK) {
        sh_catalog_fail(c, err, "read the pages");
        goto rollback;
    }
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *did = col(st, 0), *text = col(st, 2);
        if (strcmp(did, id) != 0) {
            if (*id && reread(c, id, &m, err) < 0)
                goto rollback;
            if (*id && progress)
                progress(++done, ctx);
            snprintf(id, sizeof id, "%s", did);
        }
        if (text && sh_meta_from_text(&m, text, (unsigned)sqlite3_column_int(st, 1)) < 0) {
            sh_fail(err, SH_ENOMEM, "out of memory reading the text of %s", id);
            goto rollback;
        }
    }
    if (step != SQLITE_DONE) {
        sh_catalog_fail(c, err, "read the pages");
        goto rollback;
    }
    if (*id && reread(c, id, &m, err) < 0)
        goto rollback;
    if (*id && progress)
        progress(++done, ctx);
    sqlite3_finalize(st);
    st = NULL;
    /* dossiers without any text keep the operator's date */
    if (sqlite3_exec(c->db, "UPDATE dossiers SET doc_date = COALESCE((SELECT value FROM"
                     " dossier_meta m WHERE m.dossier_id = dossiers.id AND m.field = '"
                     SH_META_DATE "' ORDER BY m.page = 0 DESC, m.page LIMIT 1),"
                     " substr(created_at, 1, 10)) WHERE doc_date IS NULL;", NULL, NULL, NULL)
        != SQLITE_OK || sh_index_fill_facets(c->db, NULL) != SQLITE_OK ||
        sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        sh_catalog_fail(c, err, "rebuild the index");
        goto rollback;
    }
    rc = 0;
    goto out;
rollback:
    sqlite3_finalize(st);
    st = NULL;
    sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
out:
    sh_meta_free(&m);
    pthread_mutex_unlock(&c->lock);
    return rc;
}

int sh_catalog_index_size(sh_catalog *c, long long *pages, long long *bytes, sh_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = 0;

    *pages = *bytes = 0;
    pthread_mutex_lock(&c->lock);
    /* dbstat counts whole database pages; without it, the index's own blocks */
    if (sqlite3_prepare_v2(c->db, "SELECT (SELECT count(*) FROM pages WHERE text IS NOT NULL),"
                           " (SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'pages_fts%')",
                           -1, &st, NULL) != SQLITE_OK &&
        sqlite3_prepare_v2(c->db, "SELECT (SELECT count(*) FROM pages WHERE text IS NOT NULL),"
                           " (SELECT sum(length(block)) FROM pages_fts_data) +"
                           " (SELECT sum(length(sz)) FROM pages_fts_docsize)",
                           -1, &st, NULL) != SQLITE_OK)
        return lock_fail(c, err, "measure the index");
    if (sqlite3_step(st) == SQLITE_ROW) {
        *pages = sqlite3_column_int64(st, 0);
        *bytes = sqlite3_column_int64(st, 1);
    } else {
        rc = sh_catalog_fail(c, err, "measure the index");
    }
    sqlite3_finalize(st);
    pthread_mutex_unlock(&c->lock);
    return rc;
}

int sh_catalog_index_check(sh_catalog *c, sh_error *err)
{
    int rc = 0;
    pthread_mutex_lock(&c->lock);
    if (sqlite3_exec(c->db, "INSERT INTO pages_fts(pages_fts, rank) VALUES ('integrity-check', 1)",
                     NULL, NULL, NULL) != SQLITE_OK)
        rc = sh_catalog_fail(c, err, "the search index does not match the pages (run sohoa "
                             "reindex)");
    pthread_mutex_unlock(&c->lock);
    return rc;
}
