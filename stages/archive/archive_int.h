/* archive_int.h: what the archive module's files share (archive.c, copies.c, fixity.c).
 * Nothing outside stages/archive includes this. */
#ifndef SOHOA_ARCHIVE_INT_H
#define SOHOA_ARCHIVE_INT_H

#include "catalog.h"
#include "sohoa/archive.h"
#include "sohoa/io.h"

#define SH_MAX_REPLICAS 8

typedef struct replica {
    char *dir;     /* real path */
    int lock_fd;
} replica;

struct sh_archive {
    char *dir;
    int lock_fd;
    sh_catalog *catalog;
    replica replicas[SH_MAX_REPLICAS];
    size_t nreplicas;
};

/* mkdir (one level) made durable in its parent; an existing folder is fine. */
int sh_archive_make_dir(const char *path, sh_error *err);
int sh_archive_mkdirs(const char *path, sh_error *err);

int sh_archive_write_all(sh_archive *a, sh_io *io, const char *rel, const void *data,
                         size_t len, sh_error *err);
void sh_archive_unlink_all(sh_archive *a, const char *rel, size_t n);
void sh_archive_close_replicas(sh_archive *a);
/* The replicas the catalog remembers, a NULL-terminated list (free with
 * sh_archive_free_dirs). */
int sh_archive_remembered(sh_archive *a, char ***dirs, sh_error *err);
void sh_archive_free_dirs(char **dirs);

#endif
