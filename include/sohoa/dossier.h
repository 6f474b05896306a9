/* dossier.h: one hồ sơ, the unit the archive stores: its source files, its pages in order,
 * what became of it.
 *
 * A dossier is made by the allocator (pipeline/scheduler.c), its pages are worked on in
 * parallel, and the last page to finish hands the whole dossier on to the dossier stages
 * (pdf, archive). The scheduler frees it after reporting it.
 */
#ifndef SOHOA_DOSSIER_H
#define SOHOA_DOSSIER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "sohoa/error.h"
#include "sohoa/meta.h"
#include "sohoa/page.h"

typedef enum sh_file_kind {
    SH_FILE_UNKNOWN = 0,
    SH_FILE_TIFF,
    SH_FILE_JPEG,
    SH_FILE_PNG,
} sh_file_kind;

typedef struct sh_file {
    char *path;              /* as found (input path, or folder/name) */
    sh_file_kind kind;
    unsigned char *data;     /* the whole file, read once; pages decode from it */
    size_t len;
    unsigned npages;
} sh_file;

typedef enum sh_status {
    SH_DOSSIER_PENDING = 0,
    SH_DOSSIER_ARCHIVED,   /* new in this run */
    SH_DOSSIER_DUPLICATE,  /* already in the archive: nothing added */
    SH_DOSSIER_RESUMED,    /* an interrupted earlier run had written it: completed now */
    SH_DOSSIER_FAILED,
} sh_status;

typedef struct sh_dossier {
    char *source;            /* the input as the user gave it */
    char key[65];            /* hex SHA-256 of the input bytes: the dossier's identity */
    char id[17];             /* short id shown to people: the first 16 hex digits of key */
    sh_file *files;
    unsigned nfiles;
    sh_page *pages;
    unsigned npages;
    size_t input_bytes;

    atomic_uint pages_left;  /* pages not yet through the page stages */
    atomic_bool failed;      /* set once; `err` written only by the one who set it */
    sh_error err;
    sh_status status;

    /* The operator's fields and the facts found in the text (the meta stage); the PDF's
     * Info/XMP and the catalog are written from it. Each part has its own. */
    sh_meta meta;

    /* Filled by the PDF stage, consumed by the archive stage. */
    unsigned char *pdf;
    size_t pdf_len;
    /* Filled by the archive stage. */
    char pdf_sha256[65];
    char pdf_path[128];      /* relative to the archive folder */

    double started, finished; /* monotonic seconds, for the summary */
    char captured_at[32];     /* ISO 8601 UTC wall time the input was read (event log) */
    const char *signer;       /* set by the sign stage: who signed, for the event log */

    /* --split-on-blank: an input cut at its separator sheets becomes parts, each a dossier
     * of its own that shares the input's files and pages (owned by the parent). */
    struct sh_dossier *parent;   /* NULL for an input */
    char input_key[65];          /* the input's key (== key when not split) */
    unsigned part, nparts;       /* 1-based part number, parts of the input (0/1 unsplit) */
    unsigned first_page;         /* 0-based position of the part's first page in the input */
    unsigned separator;          /* 1-based input page of the separator before it, 0 none */
    struct sh_dossier **parts;   /* the parent's children */
    atomic_uint parts_left;      /* children not yet reported */
} sh_dossier;

/* Cuts d at its blank pages into parts (d->parts, d->nparts); none when there is nothing to
 * cut (no blank page, or only blank pages). Returns -1 when out of memory. */
int sh_dossier_split(sh_dossier *d);

/* Records the first failure of a dossier (thread-safe; later failures are dropped). */
void sh_dossier_fail(sh_dossier *d, const sh_error *err);
bool sh_dossier_failed(const sh_dossier *d);
void sh_dossier_free(sh_dossier *d);
const char *sh_status_name(sh_status s);

#endif
