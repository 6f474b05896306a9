/* watch.h: `sohoa watch`: a service archiving whatever a scanner drops into an inbox.
 *
 * An input (a scan file, or a folder of page images) is taken once it is complete: a file
 * once it was closed after writing or renamed in, and nothing touched it for a moment; a
 * folder once nothing in it changed for `settle` seconds. Each batch of complete inputs
 * goes through the engine; then each input (with its metadata sidecar) moves to
 * INBOX/done, or to INBOX/failed with NAME.error saying why. A restart finds what is left in
 * the inbox and goes on: an input archived just before a crash is a duplicate, so it only
 * moves to done.
 */
#ifndef SOHOA_WATCH_H
#define SOHOA_WATCH_H

#include <stdbool.h>

#include "engine.h"

typedef struct sh_watch_opts {
    double settle;       /* seconds a folder must be quiet (default 10) */
    double file_settle;  /* seconds a closed file must stay untouched (default 1) */
    bool once;           /* take what is in the inbox now, archive it, stop */
} sh_watch_opts;

/* Runs until SIGINT/SIGTERM (or, with once, until the inbox is done). `print` reports each
 * dossier and batch as `sohoa run` does. Returns 0, or -1 when the inbox cannot be watched
 * or the archive cannot be used. */
int sh_watch(const sh_options *opt, const char *inbox, const sh_watch_opts *w,
             const sh_engine_hooks *print, void (*summary)(const sh_summary *s, void *ctx),
             sh_error *err);

#endif
