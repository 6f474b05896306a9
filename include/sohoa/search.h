/* search.h: the archive's search index: every recognised page, searchable with or without
 * Vietnamese diacritics, ranked by bm25, and the dossier metadata it is filtered by.
 *
 * The index is an FTS5 table over the catalog's pages (content='pages'), kept in step by
 * triggers inside the very transaction that records a dossier, so a page is findable exactly
 * when its dossier is in the catalog. Its tokenizer `vn` (unicode61 with diacritics removed,
 * đ folded to d) also stores each accented word as it was written, so a query typed with
 * tones ranks exact-tone matches above folded ones. SQL stays behind these calls.
 */
#ifndef SOHOA_SEARCH_H
#define SOHOA_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "sohoa/archive.h"
#include "sohoa/error.h"
#include "sohoa/meta.h"

typedef struct sh_search {
    const char *query;      /* what the user typed; NULL or "" with a filter: list only */
    const char *applicant;  /* mã định danh: given by the operator or found in the text */
    const char *procedure;  /* mã TTHC */
    const char *from, *to;  /* ISO dates, inclusive, on the document's date */
    unsigned limit;         /* 0: 20 */
    unsigned window;        /* rank among the newest this many matching pages (0: 2000;
                               a quarter of it with a filter) */
} sh_search;

typedef struct sh_hit {
    const char *dossier;    /* id */
    unsigned page;          /* 1-based */
    const char *pdf;        /* relative to the archive */
    const char *source;
    const char *snippet;    /* the original text, matches between mark_open and mark_close */
    double score;           /* higher is better (-bm25); 0 when listing without a query */
    const char *date;       /* the document's date (issue date, else the archiving day) */
    const char *doc_number; /* NULL when unknown */
    const char *doc_type;
    const char *cancelled_at; /* NULL unless cancelled (NĐ 45/2020 Art. 15) */
} sh_hit;

/* Turns a user's query into a safe FTS5 expression: words (all must occur), "phrases",
 * word* prefixes, OR between words, -word to exclude. Anything else is text: a stray quote
 * or parenthesis is never an FTS5 syntax error. A word typed with diacritics also asks for
 * its exact spelling, which only raises the rank. malloc'd into *out; -1 (SH_EUSAGE) when
 * nothing searchable is left. */
int sh_search_translate(const char *query, char **out, sh_error *err);

/* Marks put around matched words in snippets. */
extern const char sh_mark_open[], sh_mark_close[];

/* Runs a search: best first (with a query), else newest first. fn returning non-zero stops.
 * Strings in the hit are valid during the call only. Ranking (vnrank: BM25) is over the
 * newest `window` pages that match (and pass the filters): exact for any query with fewer
 * matches, and a bounded cost for a query matching most of a large archive. */
int sh_catalog_search(sh_catalog *c, const sh_search *q,
                      int (*fn)(const sh_hit *hit, void *ctx), void *ctx, sh_error *err);

/* The dossier named by `name`: its id, a unique prefix of it (4 or more hex digits), or the
 * operator's dossier code. 1 found (*row filled, id copied), 0 not, -1 error. */
int sh_catalog_find(sh_catalog *c, const char *name, sh_dossier_row *row, sh_error *err);

/* Everything else `sohoa show` prints about a dossier. */
typedef struct sh_dossier_info {
    char *source;
    char archived_at[32];
    char cancelled_at[32];  /* "" unless cancelled */
    char *cancel_reason;    /* NULL unless given */
    char date[32];          /* the document's date */
    sh_meta meta;
} sh_dossier_info;
int sh_catalog_info(sh_catalog *c, const char *id, sh_dossier_info *info, sh_error *err);
void sh_dossier_info_free(sh_dossier_info *info);

/* Marks an archived dossier cancelled (kept, findable, flagged) with the time and reason.
 * 1 done, 0 already cancelled, -1 error. */
int sh_catalog_cancel(sh_catalog *c, const char *id, const char *reason, sh_error *err);

/* Rebuilds the index from the pages' stored text and re-reads the facts in it (the
 * operator's metadata stays). Calls progress (if not NULL) after each dossier. */
int sh_catalog_reindex(sh_catalog *c, void (*progress)(unsigned done, void *ctx), void *ctx,
                       sh_error *err);

/* FTS5's own check that the index agrees with the pages' text: 0 agrees, -1 not (or error). */
int sh_catalog_index_check(sh_catalog *c, sh_error *err);

/* How many segments the index is in (FTS5 writes one per write transaction and merges
 * them by levels as it goes: a search seeks every term in each). -1 on error. */
int sh_catalog_index_segments(sh_catalog *c, sh_error *err);

/* Merges the index's segments for at most `seconds`, in short transactions of its own (a
 * dossier archived meanwhile waits a fraction of a second): the small ones by levels every
 * time, all into one once the pages written since the index was last in one segment are
 * `share` (0..1) of all. A merge cut short goes on at the next call. The end of each run
 * does it (sh_options.index_merge_seconds, SH_INDEX_MERGE_SHARE); `sohoa reindex --merge`
 * with share 0. Returns the segments left, -1 on error (the index stays correct). */
int sh_catalog_index_merge(sh_catalog *c, double seconds, double share, sh_error *err);
#define SH_INDEX_MERGE_SHARE 0.05

/* Index statistics for the bench: pages indexed and bytes of index. */
int sh_catalog_index_size(sh_catalog *c, long long *pages, long long *bytes, sh_error *err);

#endif
