/* ingest.h: what the engine's allocator asks of the ingest module before any page work:
 * which kind of file this is and where its pages are. Decoding itself is the ingest stage. */
#ifndef SOHOA_INGEST_H
#define SOHOA_INGEST_H

#include <stdint.h>

#include "sohoa/dossier.h"
#include "sohoa/error.h"

/* Recognises a file by its first bytes (not its name). */
sh_file_kind sh_ingest_sniff(const unsigned char *data, size_t len);

/* Counts f's pages. For a TIFF, *diroffs receives each page's directory offset (malloc'd,
 * caller frees); a TIFF whose directory chain loops or breaks is an error naming the file.
 * max_pages bounds the walk. */
int sh_ingest_scan(sh_file *f, unsigned max_pages, uint64_t **diroffs, sh_error *err);

/* Silences libtiff's and Leptonica's global message printers (per-handle handlers carry
 * the messages into sh_error instead). Call once at start-up. */
void sh_ingest_global_init(void);

#endif
