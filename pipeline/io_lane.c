/* io_lane.c: a thread's window of whole-file reads and writes straight between the device
 * and its own page-aligned buffers (O_DIRECT), many files to one io_uring submission
 * (include/sohoa/io.h).
 *
 * It only ever makes the work cheaper: what it will not do (no io_uring, O_DIRECT refused,
 * tmpfs, not a regular file, over the limit, a short read) it says so, and the caller does
 * that file with the ordinary calls, whose messages then say what is wrong. It never
 * leaves an operation in flight on a buffer the caller may free, nor a temporary behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdbool.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "io_int.h"

#define PAGE 4096 /* O_DIRECT's alignment: a page covers 512- and 4096-byte blocks */
#define MAX_RW ((size_t)INT_MAX & ~(size_t)(PAGE - 1)) /* the most one read or write moves */

struct sh_io_lane {
    struct io_uring ring;
    unsigned depth, in_flight, queued;
    dev_t read_dev;       /* the file system of the last file read, */
    bool read_in_memory;  /* and whether it is tmpfs */
    char *write_dir;      /* the folder of the last file written, */
    bool write_direct;    /* and whether writes there go direct */
    bool broken;          /* its ring could not be waited on: it declines everything */
    bool lost;            /* and some transfers were out then: their memory is theirs */
};

enum { IDLE, BUSY, DONE };

sh_io_lane *sh_io_lane_new(unsigned depth)
{
    sh_io_lane *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->depth = depth ? depth : 32;
    if (io_uring_queue_init(l->depth, &l->ring, 0) != 0) {
        free(l);
        return NULL; /* no io_uring here (-ENOSYS, -EPERM): the caller does each file */
    }
    return l;
}

/* tmpfs has no device to wait for, and io_uring hands its reads and writes to worker
 * threads (nothing there can be done without blocking): only their wake-ups were added */
static bool in_memory(int fd)
{
    struct statfs fs;
    return fstatfs(fd, &fs) == 0 && fs.f_type == TMPFS_MAGIC;
}

static struct io_uring_sqe *next_sqe(sh_io_lane *l)
{
    if (l->in_flight + l->queued >= l->depth)
        return NULL; /* never more than the completion ring holds */
    struct io_uring_sqe *sqe = io_uring_get_sqe(&l->ring);
    if (sqe)
        l->queued++;
    return sqe;
}

static bool grow(sh_io_file *f, size_t want)
{
    if (f->cap >= want)
        return true;
    void *m = NULL;
    if (posix_memalign(&m, PAGE, want) != 0)
        return false;
    if (!f->fixed)
        free(f->buf);
    f->buf = m;
    f->cap = want;
    f->fixed = false;
    return true;
}

int sh_io_lane_read(sh_io_lane *l, sh_io_file *f, const char *path, size_t limit, size_t room)
{
    struct stat st;
    if (!l || l->broken || f->state == BUSY)
        return -1;
    f->fd = open(path, O_RDONLY | O_CLOEXEC | O_DIRECT);
    if (f->fd < 0)
        return -1;
    if (fstat(f->fd, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > limit ||
        st.st_size == 0)
        goto no;
    if (st.st_dev != l->read_dev) {
        l->read_dev = st.st_dev;
        l->read_in_memory = in_memory(f->fd);
    }
    f->size = (size_t)st.st_size;
    size_t pages = (f->size + PAGE - 1) / PAGE * PAGE; /* O_DIRECT reads whole pages */
    struct io_uring_sqe *sqe;
    if (l->read_in_memory || pages > MAX_RW || !grow(f, pages + room) || !(sqe = next_sqe(l)))
        goto no;
    io_uring_prep_read(sqe, f->fd, f->buf, (unsigned)pages, 0);
    io_uring_sqe_set_data(sqe, f);
    f->write = false;
    f->state = BUSY;
    return 0;
no:
    close(f->fd);
    f->fd = -1;
    return -1;
}

/* Whether files in path's folder are written direct: not on tmpfs, not where O_DIRECT
 * is refused. Asked once per folder in a row. */
static bool direct_here(sh_io_lane *l, const char *path)
{
    char *dir = io_dir_of(path);
    if (!dir)
        return false;
    if (l->write_dir && strcmp(dir, l->write_dir) == 0) {
        free(dir);
        return l->write_direct;
    }
    free(l->write_dir);
    l->write_dir = dir;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    l->write_direct = fd >= 0 && !in_memory(fd);
    if (fd >= 0)
        close(fd);
    return l->write_direct;
}

/* A write's temporary closed and removed; the final name was never touched. */
static void drop_temp(sh_io_file *f)
{
    close(f->fd);
    unlink(f->tmp);
    free(f->tmp);
    f->tmp = NULL;
    f->fd = -1;
}

/* What an ordinary write of the file would fail with too: no room, over the quota or the
 * size limit, the device failing. */
static bool write_would_fail(int errnum)
{
    return errnum == ENOSPC || errnum == EDQUOT || errnum == EFBIG || errnum == EIO;
}

int sh_io_lane_write(sh_io_lane *l, sh_io_file *f, const char *path, size_t len)
{
    if (!l || l->broken || f->state == BUSY || len == 0 || len > MAX_RW ||
        !direct_here(l, path))
        return -1;
    if (!(f->tmp = io_temp_name(path)))
        return -1;
    f->fd = open(f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_DIRECT, 0644);
    if (f->fd < 0) {
        /* a file system without O_DIRECT (ramfs) refuses it after making the file: the
         * name is ours (O_EXCL), it goes, and this folder is written the ordinary way */
        if (errno == EINVAL) {
            unlink(f->tmp);
            l->write_direct = false;
        }
        free(f->tmp);
        f->tmp = NULL;
        return -1; /* the ordinary write says why (or goes through the page cache) */
    }
    f->write = true;
    f->size = len;
    f->why = 0;
    size_t head = len / PAGE * PAGE, tail = len - head;
    /* the final size and its blocks first: a direct write past the end of a file is done
     * synchronously (ext4 waits for it to finish), and one into a hole has blocks to
     * allocate, which io_uring hands to a worker thread (~2 % of the CPU at --jobs 2);
     * one into allocated blocks goes to the device and returns. Where fallocate fails
     * for a reason of its own (not supported, refused by a seccomp filter), the size
     * alone. */
    if (fallocate(f->fd, 0, 0, (off_t)len) != 0 &&
        (write_would_fail(errno) || ftruncate(f->fd, (off_t)len) != 0)) {
        f->why = errno;
    } else if (tail) {
        /* the last partial page through the page cache: O_DIRECT wants whole blocks, and
         * the commit's sync writes it out with everything else */
        int fl = fcntl(f->fd, F_GETFL);
        ssize_t n;
        if (fl < 0 || fcntl(f->fd, F_SETFL, fl & ~O_DIRECT) != 0)
            f->why = errno;
        else if ((n = pwrite(f->fd, f->buf + head, tail, (off_t)head)) != (ssize_t)tail)
            f->why = n < 0 ? errno : ENOSPC;
        else if (fcntl(f->fd, F_SETFL, fl) != 0)
            f->why = errno;
    }
    struct io_uring_sqe *sqe = NULL;
    if (!f->why && head && !(sqe = next_sqe(l))) {
        drop_temp(f); /* no room in the ring: the ordinary write does this one */
        return -1;
    }
    if (sqe) {
        io_uring_prep_write(sqe, f->fd, f->buf, (unsigned)head, 0);
        io_uring_sqe_set_data(sqe, f);
        f->state = BUSY;
    } else {
        f->state = DONE; /* all of it fitted in the tail, or it failed already */
    }
    return 0;
}

/* n requests taken by the kernel: in flight now. What it did not take stays queued and
 * goes with the next submit or wait. */
static void sent(sh_io_lane *l, int n)
{
    unsigned k = n > 0 ? (unsigned)n : 0;
    if (k > l->queued)
        k = l->queued;
    l->queued -= k;
    l->in_flight += k;
}

void sh_io_lane_submit(sh_io_lane *l)
{
    if (!l || l->broken || !l->queued)
        return;
    int n;
    while ((n = io_uring_submit(&l->ring)) == -EINTR)
        ;
    sent(l, n);
}

/* One completion's result into its file. */
static void finish(sh_io_file *f, int res)
{
    if (!f->write) {
        close(f->fd);
        f->fd = -1;
        f->why = res < 0 ? -res : (size_t)res < f->size ? EIO : 0;
    } else if (res < 0 || (size_t)res < f->size / PAGE * PAGE) {
        f->why = res < 0 ? -res : ENOSPC;
    }
    f->state = DONE;
}

/* The kernel short of memory or of room for completions for the moment: try again. */
static bool transient(int rc)
{
    return rc == -EINTR || rc == -EAGAIN || rc == -EBUSY || rc == -ENOMEM;
}

/* Files every completion already there (into its file, or nowhere when drop). */
static unsigned reap(sh_io_lane *l, bool drop)
{
    struct io_uring_cqe *cqe;
    unsigned head, seen = 0;
    io_uring_for_each_cqe(&l->ring, head, cqe) {
        if (!drop)
            finish(io_uring_cqe_get_data(cqe), cqe->res);
        seen++;
    }
    io_uring_cq_advance(&l->ring, seen);
    l->in_flight -= seen;
    return seen;
}

/* Sends what is queued and waits for at least one completion. -1 when the ring cannot be
 * waited on at all (not a passing shortage): the lane is broken. */
static int pump(sh_io_lane *l, bool drop)
{
    for (;;) {
        struct io_uring_cqe *cqe;
        int rc = l->queued ? io_uring_submit_and_wait(&l->ring, 1)
                           : io_uring_wait_cqe(&l->ring, &cqe);
        if (rc >= 0) {
            if (l->queued)
                sent(l, rc);
            reap(l, drop);
            return 0;
        }
        if (!transient(rc))
            return -1;
        if (rc == -EINTR)
            continue;
        if (reap(l, drop))
            return 0; /* room made, or what was waited for came */
        nanosleep(&(struct timespec){.tv_nsec = 1000000}, NULL);
    }
}

int sh_io_lane_wait(sh_io_lane *l, sh_io_file *f)
{
    while (f->state == BUSY && !l->broken)
        if (pump(l, false) < 0)
            l->broken = true; /* declines everything from now on */
    if (f->state == BUSY) {
        /* sent to a ring that cannot be waited on: the kernel may still read or write
         * this buffer and descriptor, so both are left to it, never reused (a leak, in
         * what does not happen): the caller gets the file back without them, and the
         * temporary stays where it is rather than be written into after a reuse */
        l->lost = true;
        f->state = IDLE;
        f->why = EIO;
        f->buf = NULL;
        f->cap = 0;
        f->fixed = false;
        f->fd = -1;
        free(f->tmp);
        f->tmp = NULL;
        return -1;
    }
    if (f->state != DONE)
        return -1;
    f->state = IDLE;
    if (!f->write) {
        f->len = f->why ? 0 : f->size;
        return f->why ? -1 : 0;
    }
    if (f->why) { /* the temporary goes; the caller has f->why for its message */
        drop_temp(f);
        return -1;
    }
    return 0;
}

bool sh_io_lane_lost(const sh_io_lane *l) { return l && l->lost; }

void sh_io_lane_free(sh_io_lane *l)
{
    if (!l)
        return;
    /* the caller waits for each file it started; should one still be in flight, its
     * transfer ends before the ring (and the caller's buffer) can go */
    while (!l->broken && (l->in_flight || l->queued))
        if (pump(l, true) < 0)
            break;
    io_uring_queue_exit(&l->ring);
    free(l->write_dir);
    free(l);
}
