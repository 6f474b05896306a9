/* catalog.c: the SQLite catalog behind include/sohoa/archive.h.
 *
 * One connection in WAL mode with synchronous=FULL: a commit is durable before the call
 * returns, because the archive stage tells the user "archived" right after. All access is
 * under one mutex; SQL text lives here and in stages/index/index.c (the search calls) only.
 * Schema 2 adds the search index (pages_fts, kept by triggers), dossier metadata and
 * cancellation; schema 3 the facts a search filters by, copied onto each page (page_facets).
 * An older catalog is migrated when first opened for writing.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "catalog.h"
#include "index/index_int.h"

#define SCHEMA_VERSION 3

/* pages.id is an INTEGER PRIMARY KEY because the index refers to rows by rowid: a plain
 * rowid may be renumbered by VACUUM, an aliased one never is. */
#define PAGES_TABLE(name)                                                                     \
    "CREATE TABLE IF NOT EXISTS " name "("                                                  \
    "  id INTEGER PRIMARY KEY,"                                                               \
    "  dossier_id TEXT NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,"                   \
    "  page INTEGER NOT NULL,"             /* 1-based, as a person counts */                  \
    "  source_file TEXT NOT NULL,"                                                            \
    "  source_page INTEGER NOT NULL,"      /* 1-based within the source file */               \
    "  width INTEGER NOT NULL, height INTEGER NOT NULL,"                                      \
    "  dpi_x REAL NOT NULL, dpi_y REAL NOT NULL,"                                             \
    "  dpi_assumed INTEGER NOT NULL, low_dpi INTEGER NOT NULL,"                               \
    "  codec TEXT NOT NULL, encoding TEXT NOT NULL, colorspace TEXT NOT NULL, bpc INTEGER NOT NULL," \
    "  rotate INTEGER NOT NULL DEFAULT 0,"  /* degrees clockwise to read it upright */        \
    "  skew_deg REAL,"                      /* NULL: not measured (OCR off) */                \
    "  blank INTEGER NOT NULL DEFAULT 0,"   /* a separator sheet */                           \
    "  ink REAL,"                           /* dark fraction inside the margins */            \
    "  components INTEGER,"                 /* text-sized marks inside the margins */         \
    "  ocr_conf REAL,"                      /* mean word confidence; NULL: not recognised */  \
    "  words_count INTEGER NOT NULL DEFAULT 0,"                                               \
    "  text TEXT,"                          /* the recognised text, lines as read */          \
    "  words TEXT,"                         /* word TAB conf TAB x0 TAB y0 TAB x1 TAB y1 per line, scan pixels */ \
    "  UNIQUE (dossier_id, page));"

static const char pages_columns[] =
    "dossier_id, page, source_file, source_page, width, height, dpi_x, dpi_y, dpi_assumed,"
    " low_dpi, codec, encoding, colorspace, bpc, rotate, skew_deg, blank, ink, components,"
    " ocr_conf, words_count, text, words";

/* What schema 2 adds over schema 1, besides pages.id and the dossiers columns. */
static const char index_schema[] =
    "CREATE TABLE IF NOT EXISTS dossier_meta("
    "  dossier_id TEXT NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,"
    "  field TEXT NOT NULL,"               /* include/sohoa/meta.h names */
    "  value TEXT NOT NULL,"
    "  page INTEGER NOT NULL DEFAULT 0,"   /* 0: given by the operator; else where it was read */
    "  PRIMARY KEY (dossier_id, field, value, page));"
    "CREATE INDEX IF NOT EXISTS dossier_meta_value ON dossier_meta(field, value);"
    "CREATE INDEX IF NOT EXISTS dossiers_date ON dossiers(doc_date);"
    SH_FTS_TABLE
    "CREATE TRIGGER IF NOT EXISTS pages_fts_insert AFTER INSERT ON pages"
    "  WHEN new.text IS NOT NULL BEGIN"
    "  INSERT INTO pages_fts(rowid, text) VALUES (new.id, new.text); END;"
    "CREATE TRIGGER IF NOT EXISTS pages_fts_delete AFTER DELETE ON pages"
    "  WHEN old.text IS NOT NULL BEGIN"
    "  INSERT INTO pages_fts(pages_fts, rowid, text) VALUES ('delete', old.id, old.text); END;"
    "CREATE TRIGGER IF NOT EXISTS pages_fts_update AFTER UPDATE OF text ON pages BEGIN"
    "  INSERT INTO pages_fts(pages_fts, rowid, text) SELECT 'delete', old.id, old.text"
    "    WHERE old.text IS NOT NULL;"
    "  INSERT INTO pages_fts(rowid, text) SELECT new.id, new.text WHERE new.text IS NOT NULL;"
    "  END;"
    /* schema 3: the facts a search filters by (the dossier's applicant IDs, procedure,
     * date), on every page, so a filter is one index range of page ids and a page passes it
     * or not in one lookup by its id. Written with the metadata (index.c). */
    "CREATE TABLE IF NOT EXISTS page_facets("
    "  page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,"
    "  field TEXT NOT NULL,"               /* applicant, procedure, date */
    "  value TEXT NOT NULL,"
    "  PRIMARY KEY (page_id, field, value)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS page_facets_value ON page_facets(field, value, page_id);";

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS meta("
    "  key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS dossiers("
    "  id TEXT PRIMARY KEY,"
    "  key TEXT NOT NULL UNIQUE,"          /* SHA-256 of the input bytes (of a part: see dossier.c) */
    "  input_key TEXT NOT NULL,"           /* SHA-256 of the input bytes */
    "  part INTEGER NOT NULL DEFAULT 1,"   /* --split-on-blank: which part of the input */
    "  parts INTEGER NOT NULL DEFAULT 1,"
    "  separator INTEGER,"                 /* input page of the separator sheet before it */
    "  source TEXT NOT NULL,"
    "  pages INTEGER NOT NULL,"
    "  input_bytes INTEGER NOT NULL,"
    "  pdf TEXT NOT NULL,"
    "  pdf_sha256 TEXT NOT NULL,"
    "  pdf_bytes INTEGER NOT NULL,"
    "  low_dpi_pages INTEGER NOT NULL DEFAULT 0,"
    "  status TEXT NOT NULL CHECK (status IN ('writing','archived')),"
    "  created_at TEXT NOT NULL,"
    "  archived_at TEXT,"
    "  doc_date TEXT,"                     /* the document's date (metadata), ISO 8601 */
    "  cancelled_at TEXT,"                 /* NĐ 45/2020 Art. 15: kept, flagged */
    "  cancel_reason TEXT);"
    PAGES_TABLE("pages")
    "CREATE INDEX IF NOT EXISTS dossiers_input ON dossiers(input_key);"
    "CREATE TABLE IF NOT EXISTS separators("  /* blank sheets cut out by --split-on-blank */
    "  input_key TEXT NOT NULL,"
    "  source TEXT NOT NULL,"
    "  page INTEGER NOT NULL,"             /* 1-based page of the input */
    "  PRIMARY KEY (input_key, page));"
    "CREATE TABLE IF NOT EXISTS files("    /* every file the archive wrote, for fixity */
    "  path TEXT PRIMARY KEY,"
    "  dossier_id TEXT REFERENCES dossiers(id) ON DELETE CASCADE,"
    "  role TEXT NOT NULL,"
    "  sha256 TEXT NOT NULL,"
    "  bytes INTEGER NOT NULL,"
    "  written_at TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS events("   /* what happened to a dossier (PREMIS-like) */
    "  dossier_id TEXT NOT NULL,"          /* kept after a dossier is forgotten: no FK */
    "  at TEXT NOT NULL,"                  /* ISO 8601, UTC */
    "  event TEXT NOT NULL,"               /* capture, clean, ocr, pdf, sign, archive, fixity */
    "  outcome TEXT NOT NULL,"             /* success, failure */
    "  agent TEXT NOT NULL,"               /* the operator, and sohoa's version */
    "  detail TEXT);"
    "CREATE INDEX IF NOT EXISTS events_dossier ON events(dossier_id);"
    "CREATE TABLE IF NOT EXISTS replicas("  /* other copies of the archive, kept in step */
    "  dir TEXT PRIMARY KEY, added_at TEXT NOT NULL);"
    ;

static int db_fail(sh_catalog *c, sh_error *err, const char *what)
{
    int code = sqlite3_errcode(c->db) & 0xff;
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED) /* after the 10 s busy timeout */
        return sh_fail(err, SH_ECATALOG, "the catalog is locked by another program (%s): "
                       "nothing was archived; run again once it is done (catalog: %s)",
                       sqlite3_errmsg(c->db), what);
    return sh_fail(err, SH_ECATALOG, "catalog: %s: %s", what, sqlite3_errmsg(c->db));
}

int sh_catalog_fail(sh_catalog *c, sh_error *err, const char *what)
{
    return db_fail(c, err, what);
}

static void now_iso(char *buf, size_t n)
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void sh_catalog_now(char *buf, size_t n) { now_iso(buf, n); }

/* The schema version recorded in the catalog; 0 when there is none yet. */
static int schema_version(sh_catalog *c)
{
    sqlite3_stmt *st = NULL;
    int v = 0;
    if (sqlite3_prepare_v2(c->db, "SELECT value FROM meta WHERE key = 'schema'", -1, &st,
                           NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Schema 1 -> 2: pages rebuilt with an id the index can point at, dossiers given their
 * date and cancellation columns, the index built from the text already there. One
 * transaction: an interrupted migration leaves schema 1 as it was. */
static int migrate_v1(sh_catalog *c, char **msg)
{
    char *sql = sqlite3_mprintf(
        "BEGIN IMMEDIATE;"
        "ALTER TABLE dossiers ADD COLUMN doc_date TEXT;"
        "ALTER TABLE dossiers ADD COLUMN cancelled_at TEXT;"
        "ALTER TABLE dossiers ADD COLUMN cancel_reason TEXT;"
        "UPDATE dossiers SET doc_date = substr(created_at, 1, 10);"
        "ALTER TABLE pages RENAME TO pages_v1;"
        "%s"
        "INSERT INTO pages (%s) SELECT %s FROM pages_v1 ORDER BY rowid;"
        "DROP TABLE pages_v1;"
        "%s"
        "INSERT INTO pages_fts(pages_fts) VALUES ('rebuild');"
        "UPDATE meta SET value = '2' WHERE key = 'schema';"
        "COMMIT;", PAGES_TABLE("pages"), pages_columns, pages_columns, index_schema);
    if (!sql)
        return SQLITE_NOMEM;
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, msg);
    sqlite3_free(sql);
    if (rc != SQLITE_OK)
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* Schema 2 -> 3: every page given its dossier's facts. One transaction. */
static int migrate_v2(sh_catalog *c, char **msg)
{
    int rc = sqlite3_exec(c->db, "BEGIN IMMEDIATE;", NULL, NULL, msg);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(c->db, index_schema, NULL, NULL, msg);
    if (rc == SQLITE_OK && (rc = sh_index_fill_facets(c->db, NULL)) != SQLITE_OK)
        *msg = sqlite3_mprintf("%s", sqlite3_errmsg(c->db));
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(c->db, "UPDATE meta SET value = '3' WHERE key = 'schema';"
                          "COMMIT;", NULL, NULL, msg);
    if (rc != SQLITE_OK)
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

static int setup(sh_catalog *c, const char *path, sh_error *err)
{
    char *msg = NULL;
    const char *pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                          "PRAGMA foreign_keys=ON;";
    int rc = sqlite3_exec(c->db, pragmas, NULL, NULL, &msg);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(c->db, schema, NULL, NULL, &msg);
    int version = rc == SQLITE_OK ? schema_version(c) : 0;
    if (rc == SQLITE_OK && version > SCHEMA_VERSION) {
        return sh_fail(err, SH_ECATALOG, "the catalog %s was made by a newer sohoa (schema %d; "
                       "this one knows %d)", path, version, SCHEMA_VERSION);
    }
    if (rc == SQLITE_OK && version == 1)
        rc = migrate_v1(c, &msg);
    if (rc == SQLITE_OK && (version == 1 || version == 2))
        rc = migrate_v2(c, &msg);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(c->db, index_schema, NULL, NULL, &msg);
    if (rc == SQLITE_OK && version == 0)
        rc = sqlite3_exec(c->db, "INSERT OR IGNORE INTO meta VALUES ('schema', '3')", NULL,
                          NULL, &msg);
    if (rc != SQLITE_OK) {
        sh_fail(err, SH_ECATALOG, "cannot set up the catalog %s: %s", path,
                msg ? msg : sqlite3_errmsg(c->db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

sh_catalog *sh_catalog_open(const char *path, bool readonly, sh_error *err)
{
    sh_catalog *c = calloc(1, sizeof *c);
    int flags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;

    if (!c) {
        sh_fail(err, SH_ENOMEM, "out of memory opening the catalog");
        return NULL;
    }
    pthread_mutex_init(&c->lock, NULL);
    if (sqlite3_open_v2(path, &c->db, flags | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK) {
        sh_fail(err, SH_ECATALOG, "cannot open the catalog %s: %s", path,
                c->db ? sqlite3_errmsg(c->db) : "out of memory");
        sh_catalog_close(c);
        return NULL;
    }
    /* Another process (sohoa list, sqlite3) may hold a read lock for a moment. */
    sqlite3_busy_timeout(c->db, 10000);
    /* A search reads the index at random places: mapped, no read() per page. (Not for the
     * writer: mapped pages count in its RSS, and it reads little.) */
    if (readonly)
        sqlite3_exec(c->db, "PRAGMA mmap_size = 2147418112;", NULL, NULL, NULL);
    /* the index cannot be opened, read or written without its tokenizer */
    if (sh_fts_register(c->db) != SQLITE_OK) {
        sh_fail(err, SH_ECATALOG, "cannot set up the search index of %s: SQLite has no FTS5",
                path);
        sh_catalog_close(c);
        return NULL;
    }
    if (!readonly && setup(c, path, err) < 0) {
        sh_catalog_close(c);
        return NULL;
    }
    return c;
}

void sh_catalog_close(sh_catalog *c)
{
    if (!c)
        return;
    sqlite3_close(c->db);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

static void copy_text(char *dst, size_t n, sqlite3_stmt *st, int col)
{
    const unsigned char *s = sqlite3_column_text(st, col);
    snprintf(dst, n, "%s", s ? (const char *)s : "");
}

static const char row_columns[] =
    "id, key, source, pages, input_bytes, pdf, pdf_sha256, pdf_bytes, low_dpi_pages, status,"
    " created_at";

/* Fills row from a statement selecting row_columns. Strings stay valid until the next step. */
static void read_row(sqlite3_stmt *st, sh_dossier_row *row)
{
    memset(row, 0, sizeof *row);
    copy_text(row->id, sizeof row->id, st, 0);
    copy_text(row->key, sizeof row->key, st, 1);
    row->source = (const char *)sqlite3_column_text(st, 2);
    row->pages = (unsigned)sqlite3_column_int(st, 3);
    row->input_bytes = (uint64_t)sqlite3_column_int64(st, 4);
    copy_text(row->pdf, sizeof row->pdf, st, 5);
    copy_text(row->pdf_sha256, sizeof row->pdf_sha256, st, 6);
    row->pdf_bytes = (uint64_t)sqlite3_column_int64(st, 7);
    row->low_dpi_pages = (unsigned)sqlite3_column_int(st, 8);
    copy_text(row->status, sizeof row->status, st, 9);
    copy_text(row->created_at, sizeof row->created_at, st, 10);
}

int sh_catalog_lookup(sh_catalog *c, const char *key, sh_dossier_row *row, sh_error *err)
{
    char sql[256];
    sqlite3_stmt *st = NULL;
    int rc, found = 0;

    snprintf(sql, sizeof sql, "SELECT %s FROM dossiers WHERE key = ?1", row_columns);
    pthread_mutex_lock(&c->lock);
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
        found = db_fail(c, err, "lookup");
        goto out;
    }
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_row(st, row);
        row->source = NULL; /* not valid past finalize */
        found = 1;
    } else if (rc != SQLITE_DONE) {
        found = db_fail(c, err, "lookup");
    }
out:
    sqlite3_finalize(st);
    pthread_mutex_unlock(&c->lock);
    return found;
}

int sh_catalog_get(sh_catalog *c, const char *id, sh_dossier_row *row, sh_error *err)
{
    char sql[256];
    sqlite3_stmt *st = NULL;
    int found = 0;

    snprintf(sql, sizeof sql, "SELECT %s FROM dossiers WHERE id = ?1", row_columns);
    pthread_mutex_lock(&c->lock);
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
        found = db_fail(c, err, "look up dossier");
    } else {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW) {
            read_row(st, row);
            snprintf(row->source_buf, sizeof row->source_buf, "%s", row->source ? row->source : "");
            row->source = row->source_buf;
            found = 1;
        } else if (step != SQLITE_DONE) {
            found = db_fail(c, err, "look up dossier");
        }
    }
    sqlite3_finalize(st);
    pthread_mutex_unlock(&c->lock);
    return found;
}

int sh_catalog_input_done(sh_catalog *c, const char *input_key, sh_dossier_row *row,
                          sh_error *err)
{
    char sql[320];
    sqlite3_stmt *st = NULL;
    int rc, done = 0;

    /* every part archived: the number of archived rows reaches their common "parts" */
    snprintf(sql, sizeof sql,
             "SELECT %s, count(*) OVER (), parts FROM dossiers WHERE input_key = ?1 AND "
             "status = 'archived' ORDER BY part", row_columns);
    pthread_mutex_lock(&c->lock);
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
        done = db_fail(c, err, "lookup");
        goto out;
    }
    sqlite3_bind_text(st, 1, input_key, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_row(st, row);
        row->source = NULL;
        done = sqlite3_column_int(st, 11) >= sqlite3_column_int(st, 12);
    } else if (rc != SQLITE_DONE) {
        done = db_fail(c, err, "lookup");
    }
out:
    sqlite3_finalize(st);
    pthread_mutex_unlock(&c->lock);
    return done;
}

static const char *encoding_name(sh_encoding e)
{
    switch (e) {
    case SH_ENC_CCITT: return "ccitt";
    case SH_ENC_DCT: return "dct";
    case SH_ENC_FLATE: return "flate";
    case SH_ENC_NONE: break;
    }
    return "none";
}

static const char *colorspace_name(sh_colorspace cs)
{
    return cs == SH_CS_GRAY ? "gray" : cs == SH_CS_RGB ? "rgb" : "cmyk";
}

static int exec(sh_catalog *c, const char *sql, sh_error *err)
{
    if (sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(c, err, sql);
    return 0;
}

static int insert_pages(sh_catalog *c, const sh_dossier *d, sh_error *err)
{
    sqlite3_stmt *st = NULL;
    char sql[512];

    snprintf(sql, sizeof sql, "INSERT INTO pages (%s) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,"
             "?11,?12,?13,?14,?15,?16,?17,?18,?23,?19,?20,?21,?22)", pages_columns);
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_fail(c, err, "insert pages");
    for (unsigned i = 0; i < d->npages; i++) {
        const sh_page *p = &d->pages[i];
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, d->id, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, (int)i + 1);
        sqlite3_bind_text(st, 3, d->files[p->file].path, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 4, (int)p->src_page + 1);
        sqlite3_bind_int64(st, 5, p->image.width);
        sqlite3_bind_int64(st, 6, p->image.height);
        sqlite3_bind_double(st, 7, p->dpi_x);
        sqlite3_bind_double(st, 8, p->dpi_y);
        sqlite3_bind_int(st, 9, !!(p->flags & SH_PAGE_DPI_ASSUMED));
        sqlite3_bind_int(st, 10, !!(p->flags & SH_PAGE_LOW_DPI));
        sqlite3_bind_text(st, 11, p->codec ? p->codec : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 12, encoding_name(p->image.enc), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 13, colorspace_name(p->image.cs), -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 14, (int)p->image.bpc);
        sqlite3_bind_int(st, 15, p->rotate);
        bool cleaned = p->mean_conf >= 0 || p->blank;
        if (cleaned) {
            sqlite3_bind_double(st, 16, p->skew_deg);
            sqlite3_bind_double(st, 18, p->ink);
            sqlite3_bind_int(st, 23, (int)p->components);
        } else {
            sqlite3_bind_null(st, 16);
            sqlite3_bind_null(st, 18);
            sqlite3_bind_null(st, 23);
        }
        sqlite3_bind_int(st, 17, p->blank);
        if (p->mean_conf >= 0)
            sqlite3_bind_double(st, 19, p->mean_conf);
        else
            sqlite3_bind_null(st, 19);
        sqlite3_bind_int64(st, 20, (sqlite3_int64)p->nwords);
        char *text = p->nwords ? sh_page_text(p) : NULL;
        char *words = p->nwords ? sh_page_words_tsv(p) : NULL;
        sqlite3_bind_text(st, 21, text, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 22, words, -1, SQLITE_STATIC);
        int step = sqlite3_step(st);
        free(text);
        free(words);
        if (step != SQLITE_DONE) {
            sqlite3_finalize(st);
            return db_fail(c, err, "insert page");
        }
    }
    sqlite3_finalize(st);
    return 0;
}

static int insert_separators(sh_catalog *c, const sh_dossier *input, sh_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db, "INSERT OR IGNORE INTO separators VALUES (?1, ?2, ?3)", -1,
                           &st, NULL) != SQLITE_OK)
        return db_fail(c, err, "record separators");
    for (unsigned i = 0; i < input->npages; i++) {
        if (!input->pages[i].blank)
            continue;
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, input->key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, input->source, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 3, (int)i + 1);
        if (sqlite3_step(st) != SQLITE_DONE) {
            sqlite3_finalize(st);
            return db_fail(c, err, "record separators");
        }
    }
    sqlite3_finalize(st);
    return 0;
}

static int exec_id(sh_catalog *c, const char *sql, const char *id, sh_error *err);

static int insert_event(sh_catalog *c, const char *id, const char *at, const char *event,
                        const char *outcome, const char *detail, sh_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db, "INSERT INTO events VALUES (?1, ?2, ?3, ?4, ?5, ?6)", -1, &st,
                           NULL) != SQLITE_OK)
        return db_fail(c, err, "record event");
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, at, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, event, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, outcome, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, c->agent[0] ? c->agent : "sohoa " SOHOA_VERSION, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, detail, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? 0 : db_fail(c, err, "record event");
}

/* The dossier's history up to the archive write: what was captured, how it was read and
 * made into a PDF, who signed it. */
static int insert_intend_events(sh_catalog *c, const sh_dossier *d, const char *now,
                                sh_error *err)
{
    char detail[512];
    unsigned ocr = 0, blank = 0, turned = 0, words = 0;
    double conf = 0;

    for (unsigned i = 0; i < d->npages; i++) {
        const sh_page *p = &d->pages[i];
        blank += p->blank;
        turned += p->rotate != 0;
        if (p->mean_conf >= 0 && !p->blank) {
            ocr++;
            conf += p->mean_conf;
            words += (unsigned)p->nwords;
        }
    }
    snprintf(detail, sizeof detail, "%u page%s of %s (part %u), input SHA-256 %s", d->npages,
             d->npages == 1 ? "" : "s", d->source, d->part ? d->part : 1, d->input_key);
    if (insert_event(c, d->id, d->captured_at[0] ? d->captured_at : now, "capture", "success",
                     detail, err) < 0)
        return -1;
    if (ocr || blank) {
        snprintf(detail, sizeof detail, "%u blank separator page%s, %u page%s turned upright",
                 blank, blank == 1 ? "" : "s", turned, turned == 1 ? "" : "s");
        if (insert_event(c, d->id, now, "clean", "success", detail, err) < 0)
            return -1;
    }
    if (ocr) {
        snprintf(detail, sizeof detail, "%u page%s recognised, %u words, mean confidence %.1f",
                 ocr, ocr == 1 ? "" : "s", words, conf / ocr);
        if (insert_event(c, d->id, now, "ocr", "success", detail, err) < 0)
            return -1;
    }
    snprintf(detail, sizeof detail, "PDF/A-2b, %zu bytes, SHA-256 %s", d->pdf_len, d->pdf_sha256);
    if (insert_event(c, d->id, now, "pdf", "success", detail, err) < 0)
        return -1;
    if (d->signer && insert_event(c, d->id, now, "sign", "success", d->signer, err) < 0)
        return -1;
    return 0;
}

void sh_catalog_set_agent(sh_catalog *c, const char *agent)
{
    snprintf(c->agent, sizeof c->agent, "%s (sohoa %s)", agent, SOHOA_VERSION);
}

int sh_catalog_event(sh_catalog *c, const char *dossier_id, const char *event, bool ok,
                     const char *detail, sh_error *err)
{
    char now[32];
    now_iso(now, sizeof now);
    pthread_mutex_lock(&c->lock);
    int rc = insert_event(c, dossier_id, now, event, ok ? "success" : "failure", detail, err);
    pthread_mutex_unlock(&c->lock);
    return rc;
}

int sh_catalog_each_event(sh_catalog *c, const char *dossier_id,
                          int (*fn)(const sh_event_row *ev, void *ctx), void *ctx, sh_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = 0, step;

    pthread_mutex_lock(&c->lock);
    if (sqlite3_prepare_v2(c->db, "SELECT at, event, outcome, agent, detail FROM events"
                           " WHERE dossier_id = ?1 ORDER BY rowid", -1, &st, NULL) != SQLITE_OK) {
        rc = db_fail(c, err, "list events");
        goto out;
    }
    sqlite3_bind_text(st, 1, dossier_id, -1, SQLITE_STATIC);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        sh_event_row ev = {
            .at = (const char *)sqlite3_column_text(st, 0),
            .event = (const char *)sqlite3_column_text(st, 1),
            .outcome = (const char *)sqlite3_column_text(st, 2),
            .agent = (const char *)sqlite3_column_text(st, 3),
            .detail = (const char *)sqlite3_column_text(st, 4),
        };
        if (fn(&ev, ctx) != 0)
            break;
    }
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        rc = db_fail(c, err, "list events");
out:
    sqlite3_finalize(st);
    pthread_mutex_unlock(&c->lock);
    return rc;
}

int sh_catalog_add_file(sh_catalog *c, const char *dossier_id, const char *path,
                        const char *role, const char *sha256, uint64_t bytes, sh_error *err)
{
    sqlite3_stmt *st = NULL;
    char now[32];
    int rc = 0;

    now_iso(now, sizeof now);
    pthread_mutex_lock(&c->lock);
    if (sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO files VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = db_fail(c, err, "record file");
    } else {
        sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, dossier_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, role, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, sha256, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, (sqlite3_int64)bytes);
        sqlite3_bind_text(st, 6, now, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = db_fail(c, err, "record file");
    }
    sqlite3_finalize(st);
    pthread_mutex_unlock(&c->lock);
    return rc;
}

int sh_catalog_each_file(sh_catalog *c, const char *since, const char *dossier_id,
                         int (*fn)(const sh_file_row *f, void *ctx), void *ctx, sh_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = 0, step;

    pthread_mutex_lock(&c->lock);
    if (sqlite3_prepare_v2(c->db,
                           "SELECT f.path, f.dossier_id, f.role, f.sha256, f.bytes, f.written_at,"
                           " d.status = 'archived' FROM files f LEFT JOIN dossiers d"
                           " ON d.id = f.dossier_id WHERE (?1 IS NULL OR f.written_at >= ?1)"
                           " AND (?2 IS NULL OR f.dossier_id = ?2) ORDER BY f.path", -1, &st,
                           NULL) != SQLITE_OK) {
        rc = db_fail(c, err, "list files");
        goto out;
    }
    if (since)
        sqlite3_bind_text(st, 1, since, -1, SQLITE_STATIC);
    if (dossier_id)
        sqlite3_bind_text(st, 2, dossier_id, -1, SQLITE_STATIC);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        sh_file_row f = {
            .path = (const char *)sqlite3_column_text(st, 0),
            .dossier_id = (const char *)sqlite3_column_text(st, 1),
            .role = (const char *)sqlite3_column_text(st, 2),
            .bytes = (uint64_t)sqlite3_column_int64(st, 4),
            .archived = sqlite3_column_int(st, 6) == 1,
        };
        copy_text(f.sha256, sizeof f.sha256, st, 3);
        copy_text(f.written_at, sizeof f.written_at, st, 5);
        if (fn(&f, ctx) != 0)
            break;
    }
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        rc = db_fail(c, err, "list files");
out:
    sqlite3_finalize(st);
    pthread_mutex_unlock(&c->lock);
    return rc;
}

int sh_catalog_has_file(sh_catalog *c, const char *path, sh_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;

    pthread_mutex_lock(&c->lock);
    if (sqlite3_prepare_v2(c->db, "SELECT 1 FROM files WHERE path = ?1", -1, &st, NULL) !=
        SQLITE_OK) {
        rc = db_fail(c, err, "look up file");
    } else {
        sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
        int step = sqlite3_step(st);
        rc = step == SQLITE_ROW ? 1 : step == SQLITE_DONE ? 0 : db_fail(c, err, "look up file");
    }
    sqlite3_finalize(st);
    pthread_mutex_unlock(&c->lock);
    return rc;
}

int sh_catalog_check_file(const char *path, sh_error *err)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int rc = -1;

    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK) {
        sh_fail(err, SH_ECATALOG, "cannot open %s: %s", path, db ? sqlite3_errmsg(db) : "?");
    } else if (sqlite3_step(st) != SQLITE_ROW) {
        sh_fail(err, SH_ECATALOG, "%s: %s", path, sqlite3_errmsg(db));
    } else {
        const char *res = (const char *)sqlite3_column_text(st, 0);
        if (res && strcmp(res, "ok") == 0)
            rc = 0;
        else
            sh_fail(err, SH_ECATALOG, "%s fails SQLite's check: %s", path, res ? res : "?");
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}

int sh_catalog_fixity_events(const char *archive_dir, char (*ids)[17], const bool *ok,
                             size_t n, unsigned copies, sh_error *err)
{
    char path[4096], detail[96], now[32];
    sh_catalog *c;
    int rc = 0;

    /* a connection of its own, without the archive's writer lock: an audit may run while
     * a batch is archiving, and SQLite serialises the two writers */
    snprintf(path, sizeof path, "%s/catalog.sqlite", archive_dir);
    if (!(c = sh_catalog_open(path, false, err)))
        return -1;
    now_iso(now, sizeof now);
    if (exec(c, "BEGIN IMMEDIATE", err) < 0) {
        sh_catalog_close(c);
        return -1;
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        snprintf(detail, sizeof detail, "SHA-256 of every file %s in %u cop%s",
                 ok[i] ? "matches" : "does not match", copies, copies == 1 ? "y" : "ies");
        rc = insert_event(c, ids[i], now, "fixity", ok[i] ? "success" : "failure", detail, err);
    }
    if (rc == 0)
        rc = exec(c, "COMMIT", err);
    if (rc < 0)
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    sh_catalog_close(c);
    return rc;
}

int sh_catalog_add_replica(sh_catalog *c, const char *dir, sh_error *err)
{
    return exec_id(c, "INSERT OR IGNORE INTO replicas VALUES (?1, ?2)", dir, err);
}

int sh_catalog_each_replica(sh_catalog *c, int (*fn)(const char *dir, void *ctx), void *ctx,
                            sh_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = 0, step;

    pthread_mutex_lock(&c->lock);
    if (sqlite3_prepare_v2(c->db, "SELECT dir FROM replicas ORDER BY added_at, dir", -1, &st,
                           NULL) != SQLITE_OK) {
        rc = db_fail(c, err, "list replicas");
        goto out;
    }
    while ((step = sqlite3_step(st)) == SQLITE_ROW)
        if (fn((const char *)sqlite3_column_text(st, 0), ctx) != 0)
            break;
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        rc = db_fail(c, err, "list replicas");
out:
    sqlite3_finalize(st);
    pthread_mutex_unlock(&c->lock);
    return rc;
}

/* A consistent copy of the catalog at path, through SQLite's online backup (the catalog
 * stays usable meanwhile), written to a temporary name, synced and renamed into place. */
int sh_catalog_snapshot(sh_catalog *c, const char *path, sh_error *err)
{
    char tmp[4096];
    sqlite3 *dst = NULL;
    sqlite3_backup *b;
    int rc = -1;

    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    unlink(tmp);
    if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        sh_fail(err, SH_EIO, "cannot write the catalog copy %s: %s", tmp,
                dst ? sqlite3_errmsg(dst) : "out of memory");
        goto out;
    }
    pthread_mutex_lock(&c->lock);
    b = sqlite3_backup_init(dst, "main", c->db, "main");
    if (b) {
        sqlite3_backup_step(b, -1);
        sqlite3_backup_finish(b);
    }
    pthread_mutex_unlock(&c->lock);
    if (sqlite3_errcode(dst) != SQLITE_OK) {
        sh_fail(err, SH_EIO, "cannot copy the catalog to %s: %s", tmp, sqlite3_errmsg(dst));
        goto out;
    }
    sqlite3_close(dst);
    dst = NULL;
    int fd = open(tmp, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0 || rename(tmp, path) != 0) {
        sh_fail(err, SH_EIO, "cannot put the catalog copy in place at %s: %s", path,
                strerror(errno));
        if (fd >= 0)
            close(fd);
        goto out;
    }
    close(fd);
    rc = 0;
out:
    if (dst)
        sqlite3_close(dst);
    if (rc < 0)
        unlink(tmp);
    return rc;
}

int sh_catalog_intend(sh_catalog *c, const sh_dossier *d, sh_error *err)
{
    sqlite3_stmt *st = NULL;
    char now[32];
    unsigned low = 0;
    int rc = -1;
    const char *sql =
        "INSERT INTO dossiers (id, key, source, pages, input_bytes, pdf, pdf_sha256, pdf_bytes,"
        " low_dpi_pages, status, created_at, input_key, part, parts, separator)"
        " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,'writing',?10,?11,?12,?13,?14)";
    const char *file_sql = "INSERT OR REPLACE INTO files VALUES (?1, ?2, 'pdf', ?3, ?4, ?5)";

    for (unsigned i = 0; i < d->npages; i++)
        low += !!(d->pages[i].flags & SH_PAGE_LOW_DPI);
    now_iso(now, sizeof now);

    pthread_mutex_lock(&c->lock);
    if (exec(c, "BEGIN IMMEDIATE", err) < 0)
        goto out;
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
        db_fail(c, err, "record dossier");
        goto rollback;
    }
    sqlite3_bind_text(st, 1, d->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, d->key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, d->source, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, (int)d->npages);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)d->input_bytes);
    sqlite3_bind_text(st, 6, d->pdf_path, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, d->pdf_sha256, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)d->pdf_len);
    sqlite3_bind_int(st, 9, (int)low);
    sqlite3_bind_text(st, 10, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 11, d->input_key, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 12, d->part ? (int)d->part : 1);
    sqlite3_bind_int(st, 13, d->nparts && d->parent ? (int)d->nparts : 1);
    if (d->separator)
        sqlite3_bind_int(st, 14, (int)d->separator);
    else
        sqlite3_bind_null(st, 14);
    if (sqlite3_step(st) != SQLITE_DONE) {
        db_fail(c, err, "record dossier");
        goto rollback;
    }
    if (d->parent && d->part == 1 && insert_separators(c, d->parent, err) < 0)
        goto rollback;
    sqlite3_finalize(st);
    st = NULL;
    if (insert_pages(c, d, err) < 0 || sh_catalog_write_meta(c, d->id, &d->meta, false, err) < 0)
        goto rollback;
    if (sqlite3_prepare_v2(c->db, file_sql, -1, &st, NULL) != SQLITE_OK) {
        db_fail(c, err, "record file");
        goto rollback;
    }
    sqlite3_bind_text(st, 1, d->pdf_path, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, d->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, d->pdf_sha256, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)d->pdf_len);
    sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) {
        db_fail(c, err, "record file");
        goto rollback;
    }
    if (insert_intend_events(c, d, now, err) < 0)
        goto rollback;
    rc = exec(c, "COMMIT", err);
    if (rc == 0)
        goto out;
rollback:
    sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
out:
    sqlite3_finalize(st);
    pthread_mutex_unlock(&c->lock);
    return rc;
}

static int exec_id(sh_catalog *c, const char *sql, const char *id, sh_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = 0;

    pthread_mutex_lock(&c->lock);
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
        rc = db_fail(c, err, sql);
    } else {
        char now[32];
        now_iso(now, sizeof now);
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        if (sqlite3_bind_parameter_count(st) >= 2)
            sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = db_fail(c, err, sql);
    }
    sqlite3_finalize(st);
    pthread_mutex_unlock(&c->lock);
    return rc;
}

int sh_catalog_commit(sh_catalog *c, const char *id, sh_error *err)
{
    char now[32];
    int rc;

    now_iso(now, sizeof now);
    pthread_mutex_lock(&c->lock);
    if ((rc = exec(c, "BEGIN IMMEDIATE", err)) < 0)
        goto out;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db, "UPDATE dossiers SET status = 'archived', archived_at = ?2"
                           " WHERE id = ?1", -1, &st, NULL) != SQLITE_OK) {
        rc = db_fail(c, err, "commit dossier");
    } else {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(c, err, "commit dossier");
    }
    sqlite3_finalize(st);
    if (rc == 0)
        rc = insert_event(c, id, now, "archive", "success", "written and synced", err);
    if (rc == 0)
        rc = exec(c, "COMMIT", err);
    if (rc < 0)
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
out:
    pthread_mutex_unlock(&c->lock);
    return rc;
}

int sh_catalog_forget(sh_catalog *c, const char *id, sh_error *err)
{
    /* pages and files go with it (ON DELETE CASCADE); the events of an intent that never
     * reached the disk are not history */
    if (exec_id(c, "DELETE FROM events WHERE dossier_id = ?1 AND dossier_id IN"
                " (SELECT id FROM dossiers WHERE status = 'writing')", id, err) < 0)
        return -1;
    return exec_id(c, "DELETE FROM dossiers WHERE id = ?1 AND status = 'writing'", id, err);
}

int sh_catalog_each(sh_catalog *c, const char *status,
                    int (*fn)(const sh_dossier_row *row, void *ctx), void *ctx, sh_error *err)
{
    char sql[256];
    sqlite3_stmt *st = NULL;
    int rc = 0, step;

    snprintf(sql, sizeof sql,
             "SELECT %s FROM dossiers WHERE ?1 IS NULL OR status = ?1 ORDER BY created_at, rowid",
             row_columns);
    pthread_mutex_lock(&c->lock);
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
        rc = db_fail(c, err, "list dossiers");
        goto out;
    }
    if (status)
        sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        sh_dossier_row row;
        read_row(st, &row);
        if (fn(&row, ctx) != 0)
            break;
    }
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        rc = db_fail(c, err, "list dossiers");
out:
    sqlite3_finalize(st);
    pthread_mutex_unlock(&c->lock);
    return rc;
}

/* One dossier whose id matches sql's ?1, or 0 when none, or -2 when several. */
static int find_one(sh_catalog *c, const char *sql, const char *arg, sh_dossier_row *row,
                    sh_error *err)
{
    sqlite3_stmt *st = NULL;
    int n = 0, step;

    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_fail(c, err, "find the dossier");
    sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
    while ((step = sqlite3_step(st)) == SQLITE_ROW && n < 2) {
        if (n++ == 0) {
            read_row(st, row);
            row->source = NULL;
        }
    }
    sqlite3_finalize(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return db_fail(c, err, "find the dossier");
    return n > 1 ? -2 : n;
}

int sh_catalog_find(sh_catalog *c, const char *name, sh_dossier_row *row, sh_error *err)
{
    char sql[3][320];
    size_t hex = strspn(name, "0123456789abcdef");

    snprintf(sql[0], sizeof sql[0], "SELECT %s FROM dossiers WHERE id = ?1", row_columns);
    snprintf(sql[1], sizeof sql[1], "SELECT %s FROM dossiers WHERE substr(id, 1, length(?1)) = ?1",
             row_columns);
    snprintf(sql[2], sizeof sql[2], "SELECT %s FROM dossiers WHERE id IN (SELECT dossier_id FROM "
             "dossier_meta WHERE field = 'dossier_code' AND value = ?1 AND page = 0)", row_columns);
    pthread_mutex_lock(&c->lock);
    int found = 0;
    for (int i = 0; i < 3 && found == 0; i++) {
        if (i == 1 && (hex != strlen(name) || hex < 4))
            continue;
        found = find_one(c, sql[i], name, row, err);
    }
    pthread_mutex_unlock(&c->lock);
    if (found == -2)
        return sh_fail(err, SH_EUSAGE, "'%s' names more than one dossier; give more of its id",
                       name);
    return found;
}
