/* io_prefetch.c: the next file read with O_DIRECT in the background while the caller works
 * on the current one (include/sohoa/io.h), through a small io_uring of the caller's own.
 *
 * It only ever speeds a read up: anything unusual (no io_uring, O_DIRECT refused, tmpfs,
 * not a regular file, over the limit, a short read or an error) says "read it yourself",
 * and the caller's ordinary read then gives the proper message. Never leaves a read in
 * flight into a buffer the caller may free: free waits for it.
 */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdbool.h>
#include <stdlib.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "io_int.h"

#define PAGE 4096

struct sh_io_prefetch {
    struct io_uring ring;
    int fd;          /* the file being read, -1 none */
    size_t size;     /* its size at fstat */
    bool pending;    /* a read in flight */
    dev_t dev;       /* the file system of the last file, */
    bool in_memory;  /* and whether it is tmpfs */
};

sh_io_prefetch *sh_io_prefetch_new(void)
{
    sh_io_prefetch *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->fd = -1;
    if (io_uring_queue_init(2, &p->ring, 0) != 0) {
        free(p);
        return NULL; /* no io_uring here (-ENOSYS, -EPERM): files are read in turn */
    }
    return p;
}

int sh_io_prefetch_start(sh_io_prefetch *p, const char *path, size_t limit,
                         unsigned char **buf, size_t *cap)
{
    struct stat st;
    if (!p || p->pending)
        return -1;
    p->fd = open(path, O_RDONLY | O_CLOEXEC | O_DIRECT);
    if (p->fd < 0)
        return -1;
    size_t want = 0;
    if (fstat(p->fd, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > limit ||
        st.st_size == 0)
        goto no;
    /* tmpfs has no device to wait for, and io_uring hands its reads to a worker thread
     * (no non-blocking reads there): reading ahead only added that thread's wake-ups */
    if (st.st_dev != p->dev) {
        struct statfs fs;
        p->dev = st.st_dev;
        p->in_memory = fstatfs(p->fd, &fs) == 0 && fs.f_type == TMPFS_MAGIC;
    }
    if (p->in_memory)
        goto no;
    p->size = (size_t)st.st_size;
    want = (p->size / PAGE + 1) * PAGE; /* whole pages, as the ordinary read asks */
    if (*cap < want) {
        void *m = NULL;
        if (posix_memalign(&m, PAGE, want) != 0)
            goto no;
        free(*buf);
        *buf = m;
        *cap = want;
    }
    struct io_uring_sqe *sqe = io_uring_get_sqe(&p->ring);
    if (!sqe)
        goto no;
    io_uring_prep_read(sqe, p->fd, *buf, (unsigned)((p->size + PAGE - 1) / PAGE * PAGE), 0);
    if (io_uring_submit(&p->ring) != 1)
        goto no;
    p->pending = true;
    return 0;
no:
    close(p->fd);
    p->fd = -1;
    return -1;
}

int sh_io_prefetch_wait(sh_io_prefetch *p, size_t *len)
{
    struct io_uring_cqe *cqe;
    int rc, res = -1;
    if (!p || !p->pending)
        return -1;
    while ((rc = io_uring_wait_cqe(&p->ring, &cqe)) == -EINTR)
        ;
    if (rc == 0) {
        res = cqe->res;
        io_uring_cqe_seen(&p->ring, cqe);
    }
    p->pending = rc != 0; /* a ring that cannot be waited on is not used again */
    close(p->fd);
    p->fd = -1;
    if (res < 0 || (size_t)res < p->size)
        return -1; /* an error or a short read: the ordinary read says what happened */
    *len = p->size; /* grown since: what fstat said, as the ordinary read does */
    return 0;
}

void sh_io_prefetch_free(sh_io_prefetch *p)
{
    if (!p)
        return;
    if (p->pending) {
        size_t len;
        sh_io_prefetch_wait(p, &len);
    }
    io_uring_queue_exit(&p->ring); /* waits for anything still in flight */
    free(p);
}
