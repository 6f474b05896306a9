/* rank.c: `vnrank`, the FTS5 ranking function sohoa searches with: Okapi BM25 as FTS5's own
 * bm25() computes it (k1 = 1.2, b = 0.75, one column), positive, higher is better.
 *
 * What differs is where each phrase's document frequency comes from. bm25() counts every
 * row of every phrase before it scores one row: a word on most of 200,000 pages costs tens
 * of milliseconds, per phrase, per query, whatever else is done. vnrank counts the first
 * RANK_SAMPLE rows (rowid order) and, for a more frequent phrase, extrapolates from how far
 * into the table they reached. The IDF of a rare word (where ranking matters) is exact; that
 * of a common one is within sampling error, and near zero either way.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "index_int.h"

enum { RANK_SAMPLE = 512 };

typedef struct rank_data {
    int nphrase;
    double avgdl;
    double *idf;
    double *freq; /* per row scratch */
} rank_data;

typedef struct sample {
    sqlite3_int64 rows, last;
} sample;

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *ctx)
{
    sample *s = ctx;
    s->last = api->xRowid(fts);
    return ++s->rows >= RANK_SAMPLE ? SQLITE_DONE : SQLITE_OK;
}

static void free_data(void *p)
{
    rank_data *d = p;
    if (d) {
        free(d->idf);
        free(d);
    }
}

static int prepare(const Fts5ExtensionApi *api, Fts5Context *fts, rank_data **out)
{
    sqlite3_int64 nrow = 0, ntoken = 0;
    rank_data *d = calloc(1, sizeof *d);
    int rc;

    if (!d)
        return SQLITE_NOMEM;
    d->nphrase = api->xPhraseCount(fts);
    d->idf = calloc((size_t)(d->nphrase ? d->nphrase : 1) * 2, sizeof *d->idf);
    if (!d->idf) {
        free(d);
        return SQLITE_NOMEM;
    }
    d->freq = d->idf + d->nphrase;
    if ((rc = api->xRowCount(fts, &nrow)) != SQLITE_OK ||
        (rc = api->xColumnTotalSize(fts, -1, &ntoken)) != SQLITE_OK) {
        free_data(d);
        return rc;
    }
    d->avgdl = nrow > 0 ? (double)ntoken / (double)nrow : 1;
    for (int i = 0; i < d->nphrase; i++) {
        sample s = {0};
        if ((rc = api->xQueryPhrase(fts, i, &s, count_row)) != SQLITE_OK) {
            free_data(d);
            return rc;
        }
        double df = (double)s.rows;
        if (s.rows >= RANK_SAMPLE && s.last > 0) /* rowids are dense: pages.id counts up */
            df = fmin((double)nrow, df * (double)nrow / (double)s.last);
        double idf = log(((double)nrow - df + 0.5) / (df + 0.5));
        d->idf[i] = idf > 1e-6 ? idf : 1e-6; /* as bm25(): a floor, never negative */
    }
    if ((rc = api->xSetAuxdata(fts, d, free_data)) != SQLITE_OK)
        return rc;
    *out = d;
    return SQLITE_OK;
}

static void vnrank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                   int nval, sqlite3_value **val)
{
    const double k1 = 1.2, b = 0.75;
    rank_data *d = api->xGetAuxdata(fts, 0);
    int rc = SQLITE_OK, ninst = 0, dl = 0;

    (void)nval;
    (void)val;
    if (!d && (rc = prepare(api, fts, &d)) != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    memset(d->freq, 0, (size_t)d->nphrase * sizeof *d->freq);
    if ((rc = api->xInstCount(fts, &ninst)) == SQLITE_OK)
        rc = api->xColumnSize(fts, -1, &dl);
    for (int i = 0; rc == SQLITE_OK && i < ninst; i++) {
        int phrase, column, offset;
        if ((rc = api->xInst(fts, i, &phrase, &column, &offset)) == SQLITE_OK)
            d->freq[phrase] += 1;
    }
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    double score = 0, norm = k1 * (1 - b + b * dl / d->avgdl);
    for (int i = 0; i < d->nphrase; i++)
        score += d->idf[i] * (d->freq[i] * (k1 + 1)) / (d->freq[i] + norm);
    sqlite3_result_double(ctx, score);
}

int sh_fts_register_rank(fts5_api *api)
{
    return api->xCreateFunction(api, "vnrank", NULL, vnrank, NULL);
}
