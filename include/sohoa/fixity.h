/* fixity.h: proving an archive (and its replicas) is whole, and mending it from a good copy.
 *
 * Every file the catalog names is re-hashed in every copy and compared with the SHA-256
 * recorded when it was written; files on disk the catalog does not name are listed. Repair
 * rewrites a missing or damaged file from a copy that still matches, atomically, and never
 * touches a file that matches.
 */
#ifndef SOHOA_FIXITY_H
#define SOHOA_FIXITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sohoa/archive.h"
#include "sohoa/io.h"

typedef enum sh_fixity_kind {
    SH_FIX_OK = 0,
    SH_FIX_MISSING,    /* the catalog names it, the copy lacks it */
    SH_FIX_SIZE,       /* its size is not the recorded one */
    SH_FIX_HASH,       /* same size, other bytes */
    SH_FIX_UNREADABLE, /* there, but cannot be read */
    SH_FIX_UNKNOWN,    /* on disk, not in the catalog */
    SH_FIX_TEMP,       /* a temporary file of an interrupted write */
    SH_FIX_CATALOG,    /* a replica's catalog copy is missing or damaged */
    SH_FIX_SIGNATURE,  /* the recorded bytes, but a signature in them does not verify */
} sh_fixity_kind;

typedef struct sh_fixity_issue {
    const char *copy;    /* the archive folder or replica it is in */
    const char *path;    /* relative to that folder */
    sh_fixity_kind kind;
    const char *detail;  /* a sentence: sizes, hashes, what repair did */
    int repaired;        /* 1 repaired, -1 repair failed, 0 not attempted */
} sh_fixity_issue;

typedef struct sh_fixity_stats {
    unsigned copies;
    uint64_t files;      /* catalog entries checked (in every copy) */
    uint64_t checked;    /* file x copy checks done so far (progress) */
    uint64_t bytes;      /* bytes hashed */
    uint64_t problems, repaired;
    unsigned dossiers, dossiers_bad;
} sh_fixity_stats;

typedef struct sh_fixity_opts {
    unsigned jobs;            /* threads hashing at once */
    const char *since;        /* only files written at or after (ISO 8601), NULL: all */
    double sample;            /* 0 or 1: all; else the fraction of files to check */
    uint64_t seed;            /* the sample's seed (0: from the clock) */
    bool replicas;            /* check the replicas the catalog remembers too */
    const char *const *extra; /* more copies to check */
    size_t nextra;
    bool repair;              /* restore bad files from a good copy */
    bool record_events;       /* a "fixity" event per dossier in the catalog */
    void (*on_issue)(const sh_fixity_issue *is, void *ctx);
    void (*on_progress)(const sh_fixity_stats *st, void *ctx); /* from worker threads */
    void *ctx;
} sh_fixity_opts;

/* Checks (and with o->repair mends) the archive a. Returns 0 when the check ran (problems
 * are in st and were reported through on_issue), -1 when it could not run. */
int sh_archive_verify(sh_archive *a, sh_io *io, const sh_fixity_opts *o, sh_fixity_stats *st,
                      sh_error *err);
const char *sh_fixity_kind_name(sh_fixity_kind k);

#endif
