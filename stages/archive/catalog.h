/* catalog.h: opening and closing the catalog; only the archive module does this.
 * Everything else reaches the catalog through include/sohoa/archive.h. */
#ifndef SOHOA_STAGES_CATALOG_H
#define SOHOA_STAGES_CATALOG_H

#include <stdbool.h>

#include "sohoa/archive.h"

sh_catalog *sh_catalog_open(const char *path, bool readonly, sh_error *err);
void sh_catalog_close(sh_catalog *c);

/* 1 when the catalog names this file (path relative to the archive), 0 if not. */
int sh_catalog_has_file(sh_catalog *c, const char *path, sh_error *err);
/* Opens a catalog file (a replica's snapshot) read-only and runs SQLite's quick_check. */
int sh_catalog_check_file(const char *path, sh_error *err);
/* Records a "fixity" event per dossier checked, through a connection of its own. */
int sh_catalog_fixity_events(const char *archive_dir, char (*ids)[17], const bool *ok,
                             size_t n, unsigned copies, sh_error *err);

#endif
