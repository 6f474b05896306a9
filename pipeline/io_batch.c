/* io_batch.c: many atomic whole-file writes made durable together (include/sohoa/io.h).
 *
 * Per file: temporary beside the final name, written and its writeback started at add
 * (or written by the caller and adopted); at commit the data made durable (one syncfs per
 * local disk file system, else an fdatasync per file, all in flight together through an
 * io_uring), rename, and one fsync per folder for the whole batch. A final name is only
 * ever renamed onto from a temporary whose data sync succeeded, so it never holds a
 * partial file; anything that fails removes its temporary.
 */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <linux/magic.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "io_int.h"

typedef struct entry {
    char *path, *tmp, *dir;
    int fd;
    void *tag;
    int rc;
    sh_error err;
} entry;

struct sh_io_batch {
    pthread_mutex_t lock; /* guards n (adds from many threads) */
    entry *e;
    size_t n, max;
};

sh_io_batch *sh_io_batch_new(size_t max, sh_error *err)
{
    sh_io_batch *b = calloc(1, sizeof *b);
    if (!b || !(b->e = calloc(max ? max : 1, sizeof *b->e))) {
        free(b);
        sh_fail(err, SH_ENOMEM, "out of memory for a batch of writes");
        return NULL;
    }
    pthread_mutex_init(&b->lock, NULL);
    b->max = max;
    return b;
}

static void entry_free(entry *e)
{
    free(e->path);
    free(e->tmp);
    free(e->dir);
    *e = (entry){.fd = -1};
}

/* an entry that failed or was dropped: its temporary goes, the final name is untouched */
static void entry_drop(entry *e)
{
    if (e->fd >= 0)
        close(e->fd);
    e->fd = -1;
    if (e->tmp)
        unlink(e->tmp);
}

static int fail_errno(sh_error *err, int errnum, const char *what, const char *path)
{
    return sh_fail(err, SH_EIO, "cannot %s %s: %s", what, path, strerror(errnum));
}

/* A written temporary into the batch, or dropped when it is full. */
static int queue(sh_io_batch *b, entry *e, sh_error *err)
{
    pthread_mutex_lock(&b->lock);
    bool full = b->n == b->max;
    if (!full)
        b->e[b->n++] = *e;
    pthread_mutex_unlock(&b->lock);
    if (full) {
        sh_fail(err, SH_EINTERNAL, "%s: the batch of writes is full", e->path);
        entry_drop(e);
        entry_free(e);
        return -1;
    }
    return 0;
}

int sh_io_batch_add(sh_io_batch *b, const char *path, const void *data, size_t len,
                    void *tag, sh_error *err)
{
    struct iovec one = {(void *)data, len};
    return sh_io_batch_addv(b, path, &one, 1, tag, err);
}

int sh_io_batch_addv(sh_io_batch *b, const char *path, const struct iovec *iov, int iovcnt,
                     void *tag, sh_error *err)
{
    entry e = {.fd = -1, .tag = tag};
    struct iovec v[8];

    if (iovcnt < 0 || iovcnt > 8)
        return sh_fail(err, SH_EINTERNAL, "%s: %d pieces to write, at most 8", path, iovcnt);
    memcpy(v, iov, (size_t)iovcnt * sizeof *v);
    if (!(e.path = strdup(path)) || !(e.tmp = io_temp_name(path)) ||
        !(e.dir = io_dir_of(path))) {
        entry_free(&e);
        return sh_fail(err, SH_ENOMEM, "out of memory writing %s", path);
    }
    e.fd = open(e.tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (e.fd < 0) {
        fail_errno(err, errno, "write", path);
        entry_free(&e);
        return -1;
    }
    for (int k = 0; k < iovcnt;) {
        if (v[k].iov_len == 0) {
            k++;
            continue;
        }
        ssize_t n = writev(e.fd, v + k, iovcnt - k);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            fail_errno(err, n < 0 ? errno : ENOSPC, "write", path);
            entry_drop(&e);
            entry_free(&e);
            return -1;
        }
        for (size_t left = (size_t)n; left;) { /* a short write: on from where it stopped */
            size_t take = left < v[k].iov_len ? left : v[k].iov_len;
            v[k].iov_base = (char *)v[k].iov_base + take;
            v[k].iov_len -= take;
            left -= take;
            if (v[k].iov_len == 0)
                k++;
        }
    }
    /* start the writeback now, so the data is on its way while the caller works on and
     * the commit mostly finds it written (an advisory call: its errors show at fdatasync) */
    sync_file_range(e.fd, 0, 0, SYNC_FILE_RANGE_WRITE);
    return queue(b, &e, err);
}

int sh_io_batch_adopt(sh_io_batch *b, const char *path, char *tmp, int fd, void *tag,
                      sh_error *err)
{
    entry e = {.fd = fd, .tmp = tmp, .tag = tag};
    if (!(e.path = strdup(path)) || !(e.dir = io_dir_of(path))) {
        entry_drop(&e);
        entry_free(&e);
        return sh_fail(err, SH_ENOMEM, "out of memory writing %s", path);
    }
    return queue(b, &e, err);
}

size_t sh_io_batch_count(sh_io_batch *b)
{
    pthread_mutex_lock(&b->lock);
    size_t n = b->n;
    pthread_mutex_unlock(&b->lock);
    return n;
}

/* fdatasync of each file, the errno of each in why[i] (0: synced). One at a time
 * each sync waits for its own disk flush (~1-4 ms here, more than signing the file), so
 * they go through an io_uring together, whose workers run them in parallel; one by one
 * where io_uring is unavailable (LIBS.md §7). */
static void sync_each(entry **e, size_t n, int *why)
{
    struct io_uring ring;
    size_t done = 0;

    if (!why || !n)
        return;
    unsigned depth = n < 256 ? (unsigned)n : 256;
    if (io_uring_queue_init(depth, &ring, 0) == 0) {
        size_t sent = 0, seen = 0;
        bool broken = false;
        while (seen < sent || (sent < n && !broken)) {
            struct io_uring_sqe *sqe;
            while (sent < n && sent - seen < depth && (sqe = io_uring_get_sqe(&ring))) {
                io_uring_prep_fsync(sqe, e[sent]->fd, IORING_FSYNC_DATASYNC);
                io_uring_sqe_set_data64(sqe, sent);
                sent++;
            }
            int rc = io_uring_submit_and_wait(&ring, 1);
            if (rc == -EINTR)
                continue;
            if (rc < 0) {
                broken = true; /* what was not seen is synced one by one below */
                break;
            }
            struct io_uring_cqe *cqe;
            unsigned head, k = 0;
            io_uring_for_each_cqe(&ring, head, cqe) {
                size_t i = (size_t)io_uring_cqe_get_data64(cqe);
                why[i] = cqe->res < 0 ? -cqe->res : 0;
                e[i]->rc = 1; /* marks it seen; reset below */
                k++;
            }
            io_uring_cq_advance(&ring, k);
            seen += k;
        }
        io_uring_queue_exit(&ring); /* waits for any request still running */
        if (!broken) {
            for (size_t i = 0; i < n; i++)
                e[i]->rc = 0;
            return;
        }
    }
    for (; done < n; done++) {
        if (e[done]->rc == 1) { /* already synced through the ring */
            e[done]->rc = 0;
            continue;
        }
        while ((why[done] = fdatasync(e[done]->fd) != 0 ? errno : 0) == EINTR)
            ;
    }
}

/* Local disk file systems, where one syncfs makes every file written durable; and a
 * kernel whose syncfs reports write errors at all (5.8 and later). */
static bool syncfs_works(int fd)
{
    struct statfs fs;
    struct utsname u;
    unsigned major = 0, minor = 0;
    if (uname(&u) != 0 || sscanf(u.release, "%u.%u", &major, &minor) != 2 ||
        major < 5 || (major == 5 && minor < 8))
        return false;
    if (fstatfs(fd, &fs) != 0)
        return false;
    switch ((unsigned long)fs.f_type) {
    case EXT4_SUPER_MAGIC: /* ext2, ext3 and ext4 */
    case XFS_SUPER_MAGIC:
    case BTRFS_SUPER_MAGIC:
    case F2FS_SUPER_MAGIC:
        return true;
    default:
        return false; /* network and FUSE file systems: each file's own sync */
    }
}

/* Every entry's data on disk, the errno of each in why[i] (0: durable). Per local disk file
 * system one syncfs for the whole batch: its writeback in one pass, merged into few
 * requests, and one cache flush, where a data sync per file was a device request and a
 * flush each (a host exit each, on a VM). syncfs reports a write error on that file system
 * only if it came after the descriptor it is given was opened, so each file is then asked
 * for its own (sync_file_range waiting on its clean pages: no device request): an error
 * in any file's writeback since that file was opened is its error. Where syncfs fails,
 * and on other file systems, each file's own fdatasync, which also tells whose error. */
static void sync_data(entry *e, size_t n, int *why)
{
    entry **rest = malloc((n ? n : 1) * sizeof *rest);
    int *rest_why = malloc((n ? n : 1) * sizeof *rest_why);
    dev_t *dev = malloc((n ? n : 1) * sizeof *dev);
    char *synced = calloc(n ? n : 1, 1);
    size_t m = 0;

    if (!rest || !rest_why || !dev || !synced) {
        for (size_t i = 0; i < n; i++)
            why[i] = ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        dev[i] = fstat(e[i].fd, &st) == 0 ? st.st_dev : 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (synced[i] || !dev[i])
            continue;
        bool ok = syncfs_works(e[i].fd) && syncfs(e[i].fd) == 0;
        for (size_t j = i; j < n; j++)
            if (dev[j] == dev[i])
                synced[j] = ok ? 1 : 2; /* 2: asked, not durable that way */
    }
    for (size_t i = 0; i < n; i++) {
        why[i] = 0;
        if (synced[i] != 1)
            rest[m++] = &e[i];
        else if (sync_file_range(e[i].fd, 0, 0, SYNC_FILE_RANGE_WAIT_BEFORE |
                                 SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER) != 0)
            why[i] = errno; /* reported once: this is the file's error, not re-asked */
    }
    sync_each(rest, m, rest_why);
    for (size_t i = 0, k = 0; i < n && k < m; i++)
        if (synced[i] != 1)
            why[i] = rest_why[k++];
out:
    free(rest);
    free(rest_why);
    free(dev);
    free(synced);
}

static int by_dir(const void *x, const void *y)
{
    const entry *a = *(entry *const *)x, *b = *(entry *const *)y;
    return strcmp(a->dir, b->dir);
}

int sh_io_batch_commit(sh_io_batch *b, sh_io_batch_done done, void *ctx)
{
    size_t n = b->n;
    int failed = 0;

    /* 1. every temporary's data on disk */
    int *whys = calloc(n ? n : 1, sizeof *whys);
    if (whys)
        sync_data(b->e, n, whys);
    for (size_t i = 0; i < n; i++) {
        entry *e = &b->e[i];
        if (!whys)
            e->rc = sh_fail(&e->err, SH_ENOMEM, "out of memory writing %s", e->path);
        else if (whys[i])
            e->rc = fail_errno(&e->err, whys[i], "write", e->path);
        if (close(e->fd) != 0 && !e->rc) /* closed even when it fails: never twice */
            e->rc = fail_errno(&e->err, errno, "write", e->path);
        e->fd = -1;
        if (e->rc)
            entry_drop(e);
    }
    free(whys);
    /* 2. each complete temporary over its final name */
    for (size_t i = 0; i < n; i++) {
        entry *e = &b->e[i];
        if (!e->rc && rename(e->tmp, e->path) != 0) {
            e->rc = fail_errno(&e->err, errno, "write", e->path);
            entry_drop(e);
        }
    }
    /* 3. the renames made durable: one fsync per folder */
    entry **order = malloc((n ? n : 1) * sizeof *order);
    size_t m = 0;
    for (size_t i = 0; order && i < n; i++)
        if (!b->e[i].rc)
            order[m++] = &b->e[i];
    if (order)
        qsort(order, m, sizeof *order, by_dir);
    for (size_t i = 0; order && i < m;) {
        size_t j = i + 1;
        while (j < m && strcmp(order[j]->dir, order[i]->dir) == 0)
            j++;
        int fd = open(order[i]->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), why = 0;
        if (fd < 0 || fsync(fd) != 0)
            why = errno;
        if (fd >= 0)
            close(fd);
        for (size_t k = i; why && k < j; k++)
            order[k]->rc = fail_errno(&order[k]->err, why, "make durable", order[k]->path);
        i = j;
    }
    if (!order) /* cannot group the folders: sync each file's own */
        for (size_t i = 0; i < n; i++) {
            entry *e = &b->e[i];
            int fd = e->rc ? -1 : open(e->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (!e->rc && (fd < 0 || fsync(fd) != 0))
                e->rc = fail_errno(&e->err, errno, "make durable", e->path);
            if (fd >= 0)
                close(fd);
        }
    free(order);
    for (size_t i = 0; i < n; i++) {
        entry *e = &b->e[i];
        failed += e->rc != 0;
        if (done)
            done(ctx, e->tag, e->rc, &e->err);
        entry_free(e);
    }
    b->n = 0;
    return failed;
}

void sh_io_batch_free(sh_io_batch *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++) {
        entry_drop(&b->e[i]);
        entry_free(&b->e[i]);
    }
    pthread_mutex_destroy(&b->lock);
    free(b->e);
    free(b);
}
