/* catalog.h: opening and closing the catalog; only the archive module does this, and the
 * index (stages/index) shares its connection and lock. Everything else reaches the catalog
 * through include/sohoa/archive.h and include/sohoa/search.h. */
#ifndef SOHOA_STAGES_CATALOG_H
#define SOHOA_STAGES_CATALOG_H

#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>

#include "sohoa/archive.h"
#include "sohoa/search.h"

struct sh_catalog {
    sqlite3 *db;
    pthread_mutex_t lock;
    char agent[160];     /* who is running sohoa, for the event log */
};

sh_catalog *sh_catalog_open(const char *path, bool readonly, sh_error *err);
void sh_catalog_close(sh_catalog *c);

/* 1 when the catalog names this file (path relative to the archive), 0 if not. */
int sh_catalog_has_file(sh_catalog *c, const char *path, sh_error *err);
/* Opens a catalog file (a replica's snapshot) read-only and runs SQLite's quick_check. */
int sh_catalog_check_file(const char *path, sh_error *err);
/* Records a "fixity" event per dossier checked, through a connection of its own. */
int sh_catalog_fixity_events(const char *archive_dir, char (*ids)[17], const bool *ok,
                             size_t n, unsigned copies, sh_error *err);
/* "catalog: what: sqlite's message" as an SH_ECATALOG error; returns -1. */
int sh_catalog_fail(sh_catalog *c, sh_error *err, const char *what);
/* Now, ISO 8601 UTC. */
void sh_catalog_now(char *buf, size_t n);
/* Writes d's metadata rows, its document date and (unless text_only: reindex, which
 * rewrites them all at its end) its pages' filter facts; inside the caller's transaction. */
int sh_catalog_write_meta(sh_catalog *c, const char *id, const sh_meta *m, bool text_only,
                          sh_error *err);

#endif
