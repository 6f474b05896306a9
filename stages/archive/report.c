/* report.c: the digitization figures an agency reports upward (QĐ 766's digitization
 * indicators; DOMAIN.md "Statistics"), counted from the catalog in one read transaction:
 * dossiers archived, TTHC dossiers with digitized components, results, reuse, pages, blank
 * and low-confidence pages, signatures. Grouped by agency, procedure or day when asked.
 *
 * A "result" is a dossier the operator marked kind = result (kết quả); "reused" is one the
 * operator marked with reused_from (the archived documents it reused, QĐ 468); "applicant
 * known" is one whose applicant already had documents in the archive before it, which is
 * what reuse could have been. Days are local days of archiving.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive_int.h"
#include "sohoa/report.h"

static const char report_sql[] =
    "WITH d AS ("
    "  SELECT x.id, x.pages, x.archived_at, x.cancelled_at,"
    "    date(x.archived_at, 'localtime') AS day,"
    "    (SELECT value FROM dossier_meta m WHERE m.dossier_id = x.id AND m.field = 'agency'"
    "       ORDER BY m.page LIMIT 1) AS agency,"
    "    (SELECT value FROM dossier_meta m WHERE m.dossier_id = x.id"
    "       AND m.field = 'procedure_code' ORDER BY m.page LIMIT 1) AS procedure,"
    "    (SELECT value FROM dossier_meta m WHERE m.dossier_id = x.id"
    "       AND m.field = 'dossier_code' ORDER BY m.page LIMIT 1) AS code,"
    "    EXISTS (SELECT 1 FROM dossier_meta m WHERE m.dossier_id = x.id AND m.field = 'kind'"
    "       AND lower(m.value) IN ('result', 'ket_qua', 'ket qua', 'kết quả')) AS result,"
    "    EXISTS (SELECT 1 FROM dossier_meta m WHERE m.dossier_id = x.id"
    "       AND m.field = 'reused_from') AS reused,"
    "    EXISTS (SELECT 1 FROM dossier_meta a JOIN dossier_meta b"
    "       ON b.field = 'applicant_id' AND b.value = a.value AND b.dossier_id != a.dossier_id"
    "       JOIN dossiers y ON y.id = b.dossier_id AND y.status = 'archived'"
    "         AND y.archived_at < x.archived_at"
    "       WHERE a.dossier_id = x.id AND a.field = 'applicant_id' AND a.page = 0) AS known,"
    "    (SELECT count(*) FROM events e WHERE e.dossier_id = x.id AND e.event = 'sign') AS sigs"
    "  FROM dossiers x WHERE x.status = 'archived'"
    "    AND (?1 IS NULL OR date(x.archived_at, 'localtime') >= ?1)"
    "    AND (?2 IS NULL OR date(x.archived_at, 'localtime') <= ?2)"
    "), g AS ("
    "  SELECT d.*, CASE ?3 WHEN 'agency' THEN coalesce(agency, '')"
    "    WHEN 'procedure' THEN coalesce(procedure, '') WHEN 'day' THEN day ELSE '' END AS grp"
    "  FROM d"
    "), p AS ("
    "  SELECT g.grp, sum(pg.blank) AS blank,"
    "    sum(pg.ocr_conf IS NOT NULL AND NOT pg.blank) AS ocr,"
    "    sum(pg.ocr_conf IS NOT NULL AND NOT pg.blank AND pg.ocr_conf < ?4) AS low"
    "  FROM pages pg JOIN g ON pg.dossier_id = g.id GROUP BY g.grp"
    ")"
    "SELECT g.grp, count(*), count(DISTINCT g.code), sum(g.pages), sum(g.result), sum(g.reused),"
    "  sum(g.known), sum(g.sigs > 0), sum(g.sigs), sum(g.cancelled_at IS NOT NULL),"
    "  coalesce(p.blank, 0), coalesce(p.ocr, 0), coalesce(p.low, 0),"
    "  min(g.archived_at), max(g.archived_at)"
    " FROM g LEFT JOIN p ON p.grp = g.grp GROUP BY g.grp ORDER BY g.grp";

static void add(sh_report_row *t, const sh_report_row *r)
{
    t->dossiers += r->dossiers;
    t->tthc_dossiers += r->tthc_dossiers; /* distinct per group: a code in two groups counts twice */
    t->pages += r->pages;
    t->results += r->results;
    t->reused += r->reused;
    t->applicant_known += r->applicant_known;
    t->signed_dossiers += r->signed_dossiers;
    t->signatures += r->signatures;
    t->cancelled += r->cancelled;
    t->blank_pages += r->blank_pages;
    t->ocr_pages += r->ocr_pages;
    t->low_conf_pages += r->low_conf_pages;
    if (r->first[0] && (!t->first[0] || strcmp(r->first, t->first) < 0))
        memcpy(t->first, r->first, sizeof t->first);
    if (strcmp(r->last, t->last) > 0)
        memcpy(t->last, r->last, sizeof t->last);
}

static int run_report(sh_catalog *c, const sh_report_query *q,
                      int (*fn)(const sh_report_row *row, void *ctx), void *ctx,
                      sh_report_row *total, sh_error *err);

int sh_catalog_report(sh_catalog *c, const sh_report_query *q,
                      int (*fn)(const sh_report_row *row, void *ctx), void *ctx,
                      sh_report_row *total, sh_error *err)
{
    if (run_report(c, q, fn, ctx, total, err) < 0)
        return -1;
    if (!q->by || !*q->by)
        return 0;
    /* grouped: the total counted again without groups, or a TTHC dossier whose parts fall
     * on two days would count twice */
    sh_report_query all = *q;
    all.by = NULL;
    return run_report(c, &all, NULL, NULL, total, err);
}

static int run_report(sh_catalog *c, const sh_report_query *q,
                      int (*fn)(const sh_report_row *row, void *ctx), void *ctx,
                      sh_report_row *total, sh_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = 0, step;

    memset(total, 0, sizeof *total);
    total->group = "";
    pthread_mutex_lock(&c->lock);
    if (sqlite3_exec(c->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(c->db, report_sql, -1, &st, NULL) != SQLITE_OK) {
        rc = sh_fail(err, SH_ECATALOG, "catalog: report: %s", sqlite3_errmsg(c->db));
        goto out;
    }
    if (q->from)
        sqlite3_bind_text(st, 1, q->from, -1, SQLITE_STATIC);
    if (q->to)
        sqlite3_bind_text(st, 2, q->to, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, q->by ? q->by : "", -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 4, q->low_conf > 0 ? q->low_conf : 70);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *first = sqlite3_column_text(st, 13), *last = sqlite3_column_text(st, 14);
        sh_report_row r = {
            .group = (const char *)sqlite3_column_text(st, 0),
            .dossiers = (unsigned)sqlite3_column_int(st, 1),
            .tthc_dossiers = (unsigned)sqlite3_column_int(st, 2),
            .pages = (unsigned long long)sqlite3_column_int64(st, 3),
            .results = (unsigned)sqlite3_column_int(st, 4),
            .reused = (unsigned)sqlite3_column_int(st, 5),
            .applicant_known = (unsigned)sqlite3_column_int(st, 6),
            .signed_dossiers = (unsigned)sqlite3_column_int(st, 7),
            .signatures = (unsigned)sqlite3_column_int(st, 8),
            .cancelled = (unsigned)sqlite3_column_int(st, 9),
            .blank_pages = (unsigned long long)sqlite3_column_int64(st, 10),
            .ocr_pages = (unsigned long long)sqlite3_column_int64(st, 11),
            .low_conf_pages = (unsigned long long)sqlite3_column_int64(st, 12),
        };
        snprintf(r.first, sizeof r.first, "%s", first ? (const char *)first : "");
        snprintf(r.last, sizeof r.last, "%s", last ? (const char *)last : "");
        add(total, &r);
        if (fn && fn(&r, ctx) != 0)
            break;
    }
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        rc = sh_fail(err, SH_ECATALOG, "catalog: report: %s", sqlite3_errmsg(c->db));
out:
    sqlite3_finalize(st);
    sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
    pthread_mutex_unlock(&c->lock);
    return rc;
}
