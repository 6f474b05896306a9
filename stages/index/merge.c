/* merge.c: keeps the search index in few segments. FTS5 writes one segment per write
 * transaction and the archive commits each dossier in its own, so a batch leaves dozens of
 * small segments, and every term of every query is sought in each (23 after 80,000
 * dossiers: p95 25-29 ms instead of 12-17 at 200,000 pages). Here they are merged into one,
 * in short transactions of their own, never inside a dossier's: the text and its index
 * entries still change together, a merge only rewrites entries already there.
 */
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "archive/catalog.h"
#include "sohoa/search.h"

/* Leaf pages (about 4 KB) merged per transaction: ~0.1-0.3 s here, so the writer lock is
 * never held long and a dossier archived meanwhile waits at most that. */
#define MERGE_WORK 2000

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Segments in the index: each one has rows in pages_fts_idx (its b-tree, at least the
 * first leaf's), keyed (segid, term); one seek per segment. -1 on error. */
static long segments(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    long n = 0;
    long long segid = -1;
    if (sqlite3_prepare_v2(db, "SELECT segid FROM pages_fts_idx WHERE segid > ?1"
                           " ORDER BY segid LIMIT 1", -1, &st, NULL) != SQLITE_OK)
        return -1;
    for (;;) {
        sqlite3_bind_int64(st, 1, segid);
        int step = sqlite3_step(st);
        if (step == SQLITE_DONE)
            break;
        if (step != SQLITE_ROW) {
            n = -1;
            break;
        }
        segid = sqlite3_column_int64(st, 0);
        n++;
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return n;
}

int sh_catalog_index_segments(sh_catalog *c, sh_error *err)
{
    pthread_mutex_lock(&c->lock);
    long n = segments(c->db);
    if (n < 0)
        sh_catalog_fail(c, err, "count the search index's segments");
    pthread_mutex_unlock(&c->lock);
    return (int)n;
}

/* One step of merge work in a transaction of its own. FTS5's 'merge' with a positive
 * number goes on with a merge already started (by an earlier step, or by FTS5's own
 * automerge) or merges the segments of a level when there are 'usermerge' of them: 2, not
 * FTS5's 4, so the small segments beside the big one end up one per level (8 -> 3 at
 * 208,000 pages, in 0.8 s; automerge, which runs inside each dossier's transaction, keeps
 * its 4). With a negative number it starts merging every segment into one. Returns 1 when
 * it did work, 0 when there was none, -1 on error. */
static int step(sh_catalog *c, int pages, sh_error *err)
{
    char sql[96];
    int before = 0;
    snprintf(sql, sizeof sql, "INSERT INTO pages_fts(pages_fts, rank) VALUES ('merge', %d)",
             pages);
    pthread_mutex_lock(&c->lock);
    int rc = sqlite3_exec(c->db, "BEGIN IMMEDIATE; INSERT INTO pages_fts(pages_fts, rank)"
                          " VALUES ('usermerge', 2)", NULL, NULL, NULL);
    if (rc == SQLITE_OK) {
        before = sqlite3_total_changes(c->db);
        rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);
    }
    /* the command itself counts one change; a merge writes many blocks */
    int worked = sqlite3_total_changes(c->db) - before > 1;
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        sh_catalog_fail(c, err, "merge the search index");
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
        pthread_mutex_unlock(&c->lock);
        return -1;
    }
    pthread_mutex_unlock(&c->lock);
    return worked;
}

/* meta 'index_merged': the highest page id when the index was last in one segment. */
static long long merged_mark(sh_catalog *c, long long *max_id)
{
    sqlite3_stmt *st = NULL;
    long long mark = -1;
    pthread_mutex_lock(&c->lock);
    if (sqlite3_prepare_v2(c->db, "SELECT (SELECT max(id) FROM pages), (SELECT value FROM meta"
                           " WHERE key = 'index_merged')", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        *max_id = sqlite3_column_int64(st, 0);
        mark = sqlite3_column_int64(st, 1); /* none yet: 0, every page is new */
    }
    sqlite3_finalize(st);
    pthread_mutex_unlock(&c->lock);
    return mark;
}

static int set_mark(sh_catalog *c, long long max_id, sh_error *err)
{
    char sql[96];
    snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO meta VALUES ('index_merged', '%lld')",
             max_id);
    pthread_mutex_lock(&c->lock);
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL) == SQLITE_OK
                 ? 0 : sh_catalog_fail(c, err, "record the search index's merge");
    pthread_mutex_unlock(&c->lock);
    return rc;
}

int sh_catalog_index_merge(sh_catalog *c, double seconds, double share, sh_error *err)
{
    double deadline = now() + seconds;
    long long max_id = 0, mark = merged_mark(c, &max_id);
    int n = sh_catalog_index_segments(c, err);
    if (n < 0 || mark < 0)
        return mark < 0 ? sh_catalog_fail(c, err, "read the search index's merge") : -1;
    /* Merging everything rewrites the whole index: only once the pages written since the
     * last time are `share` of them, which keeps it to about 1/share rewrites of each page
     * over the archive's life (20 at 5 %), beside the ~log4(transactions) of FTS5's own
     * merging by levels; 17-30 s at 200,000 pages, once per 10,000 new ones. Until then
     * the new pages sit in small segments beside the big one, merged by levels (two of a
     * level, see step(): cheap) so that they stay few. */
    bool all = n > 1 && (double)(max_id - mark) >= share * (double)max_id;
    /* A negative merge re-levels every segment and starts again from nothing, even a merge
     * half done: so only when the positive one finds nothing to go on with. */
    while (n > 1 && now() < deadline) {
        int worked = step(c, MERGE_WORK, err);
        if (worked == 0 && all)
            worked = step(c, -MERGE_WORK, err);
        if (worked < 0)
            return -1;
        if ((n = sh_catalog_index_segments(c, err)) < 0)
            return -1;
        if (worked == 0)
            break;
    }
    if (n <= 1 && mark != max_id && set_mark(c, max_id, err) < 0)
        return -1;
    return n;
}
