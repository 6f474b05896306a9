/* index_int.h: the pieces of the search index shared inside stages/index and with the
 * catalog (stages/archive/catalog.c): the tokenizer's registration and its exact-spelling
 * mark. Nothing outside the catalog and the index includes this. */
#ifndef SOHOA_INDEX_INT_H
#define SOHOA_INDEX_INT_H

#include <sqlite3.h>
#include <stdbool.h>

/* Starts a query string the tokenizer reads as "this spelling exactly". A control
 * character: sh_search_translate removes them from what users type. */
#define SH_EXACT_MARK '\x01'

/* Registers the `vn` tokenizer and the `vnrank` function on db (every connection needs
 * them). SQLITE_OK or an error. */
int sh_fts_register(sqlite3 *db);
int sh_fts_register_rank(fts5_api *api); /* rank.c */

#endif
