/* catalog.h: opening and closing the catalog; only the archive module does this.
 * Everything else reaches the catalog through include/sohoa/archive.h. */
#ifndef SOHOA_STAGES_CATALOG_H
#define SOHOA_STAGES_CATALOG_H

#include <stdbool.h>

#include "sohoa/archive.h"

sh_catalog *sh_catalog_open(const char *path, bool readonly, sh_error *err);
void sh_catalog_close(sh_catalog *c);

#endif
