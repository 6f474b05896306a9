/* index_int.h: the pieces of the search index shared inside stages/index and with the
 * catalog (stages/archive/catalog.c): the tokenizer's registration and its exact-spelling
 * mark, the index's definition, the filter facts. Nothing outside the catalog, the index
 * and their tests includes this. */
#ifndef SOHOA_INDEX_INT_H
#define SOHOA_INDEX_INT_H

#include <sqlite3.h>
#include <stdbool.h>

/* Starts a query string the tokenizer reads as "this spelling exactly". A control
 * character: sh_search_translate removes them from what users type. */
#define SH_EXACT_MARK '\x01'

/* The index. Prefix indexes for the prefixes people type: without one of exactly that
 * length FTS5 merges every matching term's whole doclist, at every use (the matches, each
 * phrase's statistics, the snippets): 200 ms for "tr*", 30 ms for "nguy*" at 200,000 pages.
 * Lengths 4 and 5 cost a quarter more index (3,150 -> 3,900 bytes a page). A catalog made
 * with other lengths keeps them until `sohoa reindex` (SH_FTS_PREFIX tells which). */
#define SH_FTS_PREFIX "prefix='2 3 4 5'"
#define SH_FTS_TABLE                                                                          \
    "CREATE VIRTUAL TABLE IF NOT EXISTS pages_fts USING fts5("                                \
    "  text, content='pages', content_rowid='id', tokenize='vn', " SH_FTS_PREFIX ");"

/* Registers the `vn` tokenizer and the `vnrank` function on db (every connection needs
 * them). SQLITE_OK or an error. */
int sh_fts_register(sqlite3 *db);
int sh_fts_register_rank(fts5_api *api); /* rank.c */

/* Tests only: how ranked searches apply filters (0 page by page, 1 a set, 2 a lookup per
 * match: index.c); -1, the default, chooses by cost. */
extern int sh_index_plan_override;

/* (Re)writes page_facets, the facts a search filters by, for the pages of one dossier (all
 * dossiers when dossier_id is NULL) from its metadata and date; inside the caller's
 * transaction (index.c). SQLITE_OK or an error. */
int sh_index_fill_facets(sqlite3 *db, const char *dossier_id);

#endif
