/* copies.c: the archive's other copies (--replica DIR): kept in step with the primary, with
 * the same atomic discipline, so one lost disk loses nothing (TT 02/2019 asks for two backup
 * sets on independent media).
 *
 * A replica is a folder laid out like the archive: the same pdf/ tree and a snapshot of the
 * catalog taken at the end of each run. Each file of a dossier is written to every copy
 * before the catalog calls the dossier archived; a replica attached late, or one a crash
 * left behind, is caught up from the primary when a run attaches it. Never writes a file the
 * primary's catalog does not name.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive_int.h"
#include "sohoa/hash.h"

/* mkdir -p, each new folder made durable in its parent. */
int sh_archive_mkdirs(const char *path, sh_error *err)
{
    char *tmp = strdup(path);
    if (!tmp)
        return sh_fail(err, SH_ENOMEM, "out of memory");
    for (char *q = tmp + 1; *q; q++)
        if (*q == '/') {
            *q = '\0';
            if (sh_archive_make_dir(tmp, err) < 0) {
                free(tmp);
                return -1;
            }
            *q = '/';
        }
    free(tmp);
    return sh_archive_make_dir(path, err);
}

/* Deletes every ".*.tmp.*" under dir/pdf: the leftovers of interrupted atomic writes. The
 * caller holds the copy's lock, so no write of this archive is in flight. */
static unsigned remove_all_temps(const char *dir)
{
    char path[4096];
    unsigned removed = 0;
    DIR *top;
    struct dirent *e;

    snprintf(path, sizeof path, "%s/pdf", dir);
    if (!(top = opendir(path)))
        return 0;
    while ((e = readdir(top))) {
        if (e->d_name[0] == '.')
            continue;
        char sub[4096 + 256];
        snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        DIR *dp = opendir(sub);
        if (!dp)
            continue;
        struct dirent *f;
        while ((f = readdir(dp)))
            if (f->d_name[0] == '.' && strstr(f->d_name, ".tmp.") &&
                unlinkat(dirfd(dp), f->d_name, 0) == 0)
                removed++;
        closedir(dp);
    }
    closedir(top);
    return removed;
}

typedef struct catch_up {
    sh_archive *a;
    sh_io *io;
    const char *dir;
    sh_replica_sync *st;
    sh_error *err;
    int rc;
} catch_up;

/* One file of the primary's catalog: present with the right size in the replica, or copied
 * there from the primary (whose bytes must still match the catalog). */
static int catch_up_file(const sh_file_row *f, void *ctx)
{
    catch_up *cu = ctx;
    char dst[4096], src[4096];
    struct stat st;

    if (!f->archived)
        return 0; /* an interrupted write: recovery decides, not us */
    snprintf(dst, sizeof dst, "%s/%s", cu->dir, f->path);
    if (stat(dst, &st) == 0 && (uint64_t)st.st_size == f->bytes) {
        cu->st->present++;
        return 0;
    }
    snprintf(src, sizeof src, "%s/%s", sh_archive_dir(cu->a), f->path);
    unsigned char *data = NULL;
    size_t len = 0;
    char hex[65];
    if (sh_io_read_file(cu->io, src, f->bytes + 1, &data, &len, cu->err) < 0) {
        cu->rc = -1;
        return 1;
    }
    sh_sha256_hex(data, len, hex);
    if (len != f->bytes || strcmp(hex, f->sha256) != 0) {
        free(data);
        cu->rc = sh_fail(cu->err, SH_EIO, "%s differs from the catalog: not copied to the "
                         "replica %s; run 'sohoa verify' and 'sohoa repair'", src, cu->dir);
        return 1;
    }
    char *slash = strrchr(dst, '/');
    *slash = '\0';
    int rc = sh_archive_mkdirs(dst, cu->err);
    *slash = '/';
    if (rc == 0)
        rc = sh_io_write_atomic(cu->io, dst, data, len, cu->err);
    free(data);
    if (rc < 0) {
        cu->rc = -1;
        return 1;
    }
    cu->st->copied++;
    return 0;
}

int sh_archive_add_replica(sh_archive *a, sh_io *io, const char *dir, sh_replica_sync *st,
                           sh_error *err)
{
    sh_replica_sync local;
    char path[4096];
    struct stat sb, pb;

    if (!st)
        st = &local;
    memset(st, 0, sizeof *st);
    if (a->nreplicas == SH_MAX_REPLICAS)
        return sh_fail(err, SH_EUSAGE, "at most %d replicas", SH_MAX_REPLICAS);
    if (sh_archive_mkdirs(dir, err) < 0)
        return -1;
    if (stat(dir, &sb) == 0 && stat(a->dir, &pb) == 0 && sb.st_dev == pb.st_dev &&
        sb.st_ino == pb.st_ino)
        return sh_fail(err, SH_EUSAGE, "the replica %s is the archive itself", dir);
    char *real = realpath(dir, NULL);
    if (!real)
        return sh_fail(err, SH_EIO, "replica %s: %s", dir, strerror(errno));
    replica *r = &a->replicas[a->nreplicas];
    r->dir = real;
    snprintf(path, sizeof path, "%s/lock", real);
    r->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (r->lock_fd < 0) {
        sh_fail(err, SH_EIO, "cannot write to the replica %s: %s", real, strerror(errno));
        goto fail;
    }
    if (flock(r->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        sh_fail(err, SH_EBUSY, "another sohoa is writing to the replica %s", real);
        goto fail;
    }
    snprintf(path, sizeof path, "%s/pdf", real);
    if (sh_archive_make_dir(path, err) < 0)
        goto fail;
    st->temp_removed = remove_all_temps(real);
    if (sh_catalog_add_replica(a->catalog, real, err) < 0)
        goto fail;
    catch_up cu = {.a = a, .io = io, .dir = real, .st = st, .err = err};
    if (sh_catalog_each_file(a->catalog, NULL, NULL, catch_up_file, &cu, err) < 0 || cu.rc < 0)
        goto fail;
    a->nreplicas++;
    return 0;
fail:
    if (r->lock_fd >= 0)
        close(r->lock_fd);
    r->lock_fd = -1;
    free(r->dir);
    r->dir = NULL;
    return -1;
}

int sh_archive_add_remembered(sh_archive *a, struct sh_io *io, unsigned *copied,
                              sh_error *err)
{
    char **dirs;
    int rc = sh_archive_remembered(a, &dirs, err);

    for (size_t i = 0; rc == 0 && dirs && dirs[i]; i++) {
        bool attached = false;
        struct stat st;
        sh_replica_sync rs;
        for (size_t k = 0; k < a->nreplicas; k++)
            attached = attached || strcmp(a->replicas[k].dir, dirs[i]) == 0;
        if (attached)
            continue;
        /* never re-created: a missing folder is a disk not mounted */
        if (stat(dirs[i], &st) != 0 || !S_ISDIR(st.st_mode))
            rc = sh_fail(err, SH_EIO, "the replica %s is not there (is its disk mounted?); "
                         "mount it, or run with --no-replicas and catch it up later", dirs[i]);
        else if ((rc = sh_archive_add_replica(a, io, dirs[i], &rs, err)) == 0 && copied)
            *copied += rs.copied;
    }
    sh_archive_free_dirs(dirs);
    return rc;
}

size_t sh_archive_nreplicas(const sh_archive *a) { return a->nreplicas; }
const char *sh_archive_replica(const sh_archive *a, size_t i) { return a->replicas[i].dir; }

/* Writes one file of a dossier (path relative to the archive) into every copy, primary
 * first. On failure the copies already written are removed again and err names the copy. */
int sh_archive_write_all(sh_archive *a, sh_io *io, const char *rel, const void *data,
                         size_t len, sh_error *err)
{
    size_t done = 0;
    char path[4096];

    for (; done <= a->nreplicas; done++) {
        const char *dir = done == 0 ? a->dir : a->replicas[done - 1].dir;
        snprintf(path, sizeof path, "%s/%s", dir, rel);
        char *slash = strrchr(path, '/');
        *slash = '\0';
        int rc = sh_archive_make_dir(path, err);
        *slash = '/';
        if (rc < 0 || sh_io_write_atomic(io, path, data, len, err) < 0) {
            if (done > 0)
                sh_error_prefix(err, "replica %s", dir);
            break;
        }
    }
    if (done == a->nreplicas + 1)
        return 0;
    sh_archive_unlink_all(a, rel, done);
    return -1;
}

/* Removes rel from the first n copies (primary first): a dossier that failed leaves
 * nothing behind in any of them. */
void sh_archive_unlink_all(sh_archive *a, const char *rel, size_t n)
{
    char path[4096];
    for (size_t i = 0; i < n && i <= a->nreplicas; i++) {
        snprintf(path, sizeof path, "%s/%s", i == 0 ? a->dir : a->replicas[i - 1].dir, rel);
        unlink(path);
    }
}

int sh_archive_snapshot_replicas(sh_archive *a, sh_error *err)
{
    char path[4096];
    for (size_t i = 0; i < a->nreplicas; i++) {
        snprintf(path, sizeof path, "%s/catalog.sqlite", a->replicas[i].dir);
        if (sh_catalog_snapshot(a->catalog, path, err) < 0)
            return -1;
    }
    return 0;
}

void sh_archive_close_replicas(sh_archive *a)
{
    for (size_t i = 0; i < a->nreplicas; i++) {
        if (a->replicas[i].lock_fd >= 0)
            close(a->replicas[i].lock_fd);
        free(a->replicas[i].dir);
    }
    a->nreplicas = 0;
}
