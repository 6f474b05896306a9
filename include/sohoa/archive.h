/* archive.h: the archive folder and its catalog.
 *
 * An archive is a folder holding content-addressed PDFs (pdf/<2 hex>/<sha256>.pdf), a
 * catalog (catalog.sqlite: dossiers, pages, files, hashes, status) and a lock that keeps
 * one writer at a time. Every PDF is written to disk completely before the catalog says
 * it is archived; a dossier interrupted between the two is finished or rolled back when
 * the archive is next opened. The catalog is reached only through the calls below so that
 * another backend (PostgreSQL, for several machines on one archive) can stand behind them.
 */
#ifndef SOHOA_ARCHIVE_H
#define SOHOA_ARCHIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "sohoa/dossier.h"
#include "sohoa/error.h"

typedef struct sh_catalog sh_catalog;
typedef struct sh_archive sh_archive;

/* What the catalog knows of one dossier. Strings point into the row's own storage. */
typedef struct sh_dossier_row {
    char id[17];
    char key[65];
    char pdf_sha256[65];
    char status[16];       /* "writing", "archived" */
    char created_at[32];   /* ISO 8601, UTC */
    const char *source;
    char pdf[128];         /* relative to the archive folder */
    unsigned pages;
    unsigned low_dpi_pages;
    uint64_t pdf_bytes;
    uint64_t input_bytes;
    char source_buf[1024]; /* where source points after sh_catalog_get */
} sh_dossier_row;

typedef struct sh_recovery {
    unsigned completed;    /* written to disk before the interruption: now archived */
    unsigned rolled_back;  /* not (completely) on disk: forgotten, will be redone */
    unsigned temp_removed; /* temporary files of an interrupted write, deleted */
} sh_recovery;

/* Opens (creating with `create`) the archive at dir: folders, lock, catalog, recovery.
 * A second writer gets SH_EBUSY. `readonly` opens for listing without the writer lock. */
sh_archive *sh_archive_open(const char *dir, bool create, bool readonly, sh_recovery *rec,
                            sh_error *err);
void sh_archive_close(sh_archive *a);
const char *sh_archive_dir(const sh_archive *a);
sh_catalog *sh_archive_catalog(sh_archive *a);

/* Other copies of the archive (--replica), kept in step: each file of a dossier is written
 * to every copy before the dossier counts as archived. */
struct sh_io;
typedef struct sh_replica_sync {
    unsigned present;      /* files already there */
    unsigned copied;       /* files caught up from the primary */
    unsigned temp_removed; /* leftovers of interrupted writes */
} sh_replica_sync;

/* Attaches dir (created if need be) as a replica for this run: locks it, removes leftovers,
 * copies every archived file it lacks from the primary, and remembers it in the catalog. */
int sh_archive_add_replica(sh_archive *a, struct sh_io *io, const char *dir,
                           sh_replica_sync *st, sh_error *err);
/* Attaches every replica earlier runs were given and this run was not; a remembered
 * replica whose folder is missing (its disk not mounted) is an error, never re-created.
 * Adds the files caught up to *copied. */
int sh_archive_add_remembered(sh_archive *a, struct sh_io *io, unsigned *copied,
                              sh_error *err);
size_t sh_archive_nreplicas(const sh_archive *a);
const char *sh_archive_replica(const sh_archive *a, size_t i);
/* Writes a snapshot of the catalog into every attached replica (end of a run). */
int sh_archive_snapshot_replicas(sh_archive *a, sh_error *err);

/* Catalog calls. Thread-safe (one connection, one lock). */

/* 1 and *row filled if a dossier with this input key exists, 0 if not, -1 on error. */
int sh_catalog_lookup(sh_catalog *c, const char *key, sh_dossier_row *row, sh_error *err);

/* 1 and *row filled if a dossier with this id exists, 0 if not, -1 on error. */
int sh_catalog_get(sh_catalog *c, const char *id, sh_dossier_row *row, sh_error *err);

/* 1 and *row (its first part) filled if the input with this key is wholly archived (every
 * part, when it was split), 0 if not or only partly, -1 on error. */
int sh_catalog_input_done(sh_catalog *c, const char *input_key, sh_dossier_row *row,
                          sh_error *err);

/* Records the intent to archive d (status "writing") with its pages and PDF path/hash. */
int sh_catalog_intend(sh_catalog *c, const sh_dossier *d, sh_error *err);
/* The PDF is on disk: status "archived". */
int sh_catalog_commit(sh_catalog *c, const char *id, sh_error *err);
/* Drops an intent whose file could not be written. */
int sh_catalog_forget(sh_catalog *c, const char *id, sh_error *err);

/* Who runs sohoa (an operator's name), for the event log. */
void sh_catalog_set_agent(sh_catalog *c, const char *agent);

/* One entry of a dossier's event log (capture, clean, ocr, pdf, sign, archive, fixity). */
typedef struct sh_event_row {
    const char *at, *event, *outcome, *agent, *detail;
} sh_event_row;

/* Appends an event (outcome success or failure) to a dossier's log. */
int sh_catalog_event(sh_catalog *c, const char *dossier_id, const char *event, bool ok,
                     const char *detail, sh_error *err);
int sh_catalog_each_event(sh_catalog *c, const char *dossier_id,
                          int (*fn)(const sh_event_row *ev, void *ctx), void *ctx, sh_error *err);

/* One file the archive wrote: its path relative to the archive folder, and its fixity. */
typedef struct sh_file_row {
    const char *path;
    const char *dossier_id;
    const char *role;      /* "pdf", "text" */
    char sha256[65];
    uint64_t bytes;
    char written_at[32];
    bool archived;         /* its dossier is archived (not an interrupted write) */
} sh_file_row;

/* Records a file of a dossier (beside its PDF, which sh_catalog_intend records). */
int sh_catalog_add_file(sh_catalog *c, const char *dossier_id, const char *path,
                        const char *role, const char *sha256, uint64_t bytes, sh_error *err);
/* Every file, by path; only those written at or after `since` (ISO 8601) and of one
 * dossier, unless NULL. fn runs under the catalog's lock: it must not call the catalog. */
int sh_catalog_each_file(sh_catalog *c, const char *since, const char *dossier_id,
                         int (*fn)(const sh_file_row *f, void *ctx), void *ctx, sh_error *err);

/* The other copies of this archive (--replica), remembered so verify and repair find them. */
int sh_catalog_add_replica(sh_catalog *c, const char *dir, sh_error *err);
int sh_catalog_each_replica(sh_catalog *c, int (*fn)(const char *dir, void *ctx), void *ctx,
                            sh_error *err);
/* A consistent copy of the catalog written atomically at path. */
int sh_catalog_snapshot(sh_catalog *c, const char *path, sh_error *err);

/* Calls fn for every dossier, oldest first; fn returning non-zero stops the walk. */
int sh_catalog_each(sh_catalog *c, const char *status,
                    int (*fn)(const sh_dossier_row *row, void *ctx), void *ctx, sh_error *err);

#endif
