/* io_uring.c: the io_uring backend: one thread owns the ring; callers' requests reach it
 * through a queue and an eventfd. A read is statx, then a linked open -> read... -> close;
 * an atomic write is a linked open(temp) -> write... -> fdatasync -> close -> rename, then
 * open(folder) -> fsync -> close. Files are direct descriptors from a registered table.
 *
 * Direct descriptors are never inherited, and O_CLOEXEC on one is EINVAL.
 * Completions arrive out of order: slots come from a free list, never next % depth
 * (LIBS.md §7), and every CQE carries its request and step. A failed link cancels the rest
 * of its chain (-ECANCELED); the first real error is the one reported.
 */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io_int.h"

#define CHUNK ((size_t)1 << 30) /* one read/write op moves at most this (Linux caps ~2 GiB) */

enum step { ST_STATX, ST_OPEN, ST_RW, ST_FSYNC, ST_CLOSE, ST_RENAME, ST_WAKE };
enum phase { PH_STAT, PH_DATA, PH_DIRSYNC, PH_CLOSE };

typedef struct op {
    io_req *r;
    enum phase phase;
    int slot;                 /* direct descriptor in use, -1 none */
    bool open_ok, closed;     /* the slot's file: opened, closed again */
    enum phase broken;
    enum step last;           /* step of the SQE being prepared */        /* the phase whose chain broke, while PH_CLOSE tidies up */
    unsigned pending;         /* CQEs still to come for the current chain */
    int err;                  /* first real errno of the request */
    size_t moved;             /* bytes read or written so far */
    enum step err_step;
    char *tmp, *dir;
    struct statx stx;
    struct op *next;
} __attribute__((aligned(8))) op;

typedef struct uring {
    struct io_uring ring;
    pthread_t thread;
    int efd;
    uint64_t ebuf;
    pthread_mutex_t lock;     /* guards incoming and stop */
    io_req *incoming;
    bool stop;
    op *waiting;              /* accepted, waiting for a free slot */
    int *free_slots;
    unsigned nfree, depth, inflight;
    sh_io *io;
} uring;

/* The next SQE for a step of o. Flags (link, fixed file) are set after the io_uring_prep_*
 * call: every prep helper clears sqe->flags. */
static struct io_uring_sqe *sqe_for(uring *u, op *o, enum step s)
{
    struct io_uring_sqe *sqe = io_uring_get_sqe(&u->ring);
    if (!sqe) { /* the SQ ring is sized for depth full chains; flush and retry once */
        io_uring_submit(&u->ring);
        sqe = io_uring_get_sqe(&u->ring);
    }
    if (!sqe)
        return NULL;
    o->pending++;
    o->last = s;
    return sqe;
}

/* Tags the SQE just prepared with its op and step, and its flags. */
static void tag(struct io_uring_sqe *sqe, op *o, unsigned flags)
{
    io_uring_sqe_set_data64(sqe, (uint64_t)(uintptr_t)o | (uint64_t)o->last);
    sqe->flags |= (unsigned char)flags;
}

static void arm_wake(uring *u)
{
    struct io_uring_sqe *sqe = io_uring_get_sqe(&u->ring);
    if (sqe) {
        io_uring_prep_read(sqe, u->efd, &u->ebuf, sizeof u->ebuf, 0);
        io_uring_sqe_set_data64(sqe, ST_WAKE);
    }
}

/* open -> (read|write)... [-> fsync -> close -> rename | -> close] */
static void start_data(uring *u, op *o)
{
    io_req *r = o->r;
    bool rd = r->kind == IO_READ;
    struct io_uring_sqe *sqe;

    o->phase = PH_DATA;
    sqe = sqe_for(u, o, ST_OPEN);
    if (rd)
        io_uring_prep_openat_direct(sqe, AT_FDCWD, r->path, O_RDONLY, 0, (unsigned)o->slot);
    else
        io_uring_prep_openat_direct(sqe, AT_FDCWD, o->tmp, O_WRONLY | O_CREAT | O_EXCL, 0644,
                                    (unsigned)o->slot);
    tag(sqe, o, IOSQE_IO_LINK);
    for (size_t off = 0; off < r->len; off += CHUNK) {
        size_t n = r->len - off < CHUNK ? r->len - off : CHUNK;
        sqe = sqe_for(u, o, ST_RW);
        if (rd)
            io_uring_prep_read(sqe, o->slot, r->data + off, (unsigned)n, off);
        else
            io_uring_prep_write(sqe, o->slot, r->data + off, (unsigned)n, off);
        tag(sqe, o, IOSQE_IO_LINK | IOSQE_FIXED_FILE);
    }
    if (!rd) {
        sqe = sqe_for(u, o, ST_FSYNC);
        io_uring_prep_fsync(sqe, o->slot, IORING_FSYNC_DATASYNC);
        tag(sqe, o, IOSQE_IO_LINK | IOSQE_FIXED_FILE);
    }
    sqe = sqe_for(u, o, ST_CLOSE);
    io_uring_prep_close_direct(sqe, (unsigned)o->slot);
    tag(sqe, o, rd ? 0 : IOSQE_IO_LINK);
    if (!rd) {
        sqe = sqe_for(u, o, ST_RENAME);
        io_uring_prep_renameat(sqe, AT_FDCWD, o->tmp, AT_FDCWD, r->path, 0);
        tag(sqe, o, 0);
    }
}

/* the rename's directory entry made durable: open(folder) -> fsync -> close */
static void start_dirsync(uring *u, op *o)
{
    struct io_uring_sqe *sqe;
    o->phase = PH_DIRSYNC;
    o->open_ok = o->closed = false;
    sqe = sqe_for(u, o, ST_OPEN);
    io_uring_prep_openat_direct(sqe, AT_FDCWD, o->dir, O_RDONLY | O_DIRECTORY, 0,
                                (unsigned)o->slot);
    tag(sqe, o, IOSQE_IO_LINK);
    sqe = sqe_for(u, o, ST_FSYNC);
    io_uring_prep_fsync(sqe, o->slot, 0);
    tag(sqe, o, IOSQE_IO_LINK | IOSQE_FIXED_FILE);
    sqe = sqe_for(u, o, ST_CLOSE);
    io_uring_prep_close_direct(sqe, (unsigned)o->slot);
    tag(sqe, o, 0);
}

static void start(uring *u, op *o)
{
    io_req *r = o->r;
    o->slot = u->free_slots[--u->nfree];
    u->inflight++;
    if (r->kind == IO_READ) {
        struct io_uring_sqe *sqe = sqe_for(u, o, ST_STATX);
        o->phase = PH_STAT;
        io_uring_prep_statx(sqe, AT_FDCWD, r->path, AT_STATX_SYNC_AS_STAT,
                            STATX_TYPE | STATX_SIZE, &o->stx);
        tag(sqe, o, 0);
    } else {
        start_data(u, o);
    }
}

static void finish(uring *u, op *o)
{
    io_req *r = o->r;
    if (o->err && !r->rc)
        io_fail_errno(r, o->err, r->kind == IO_READ ? "read"
                                 : o->phase == PH_DIRSYNC ? "make durable" : "write");
    if (r->rc && r->kind == IO_READ) {
        free(r->data);
        r->data = NULL;
        r->len = 0;
    }
    if (r->rc && r->kind == IO_WRITE && o->phase != PH_DIRSYNC && o->tmp)
        unlink(o->tmp); /* never leave a partial file behind */
    u->free_slots[u->nfree++] = o->slot;
    u->inflight--;
    free(o->tmp);
    free(o->dir);
    free(o);
    io_done(u->io, r);
}

/* The chain of the current phase is complete: on to the next phase, or done. */
static void advance(uring *u, op *o)
{
    io_req *r = o->r;

    if (o->phase == PH_DATA && !o->err && o->moved != r->len)
        /* a short transfer ends its chain quietly (the rest is only cancelled): the file
         * shrank under us, or the disk is full */
        o->err = r->kind == IO_READ ? EIO : ENOSPC;
    if (o->phase == PH_CLOSE) {
        o->phase = o->broken; /* back to where the chain broke, to finish as failed */
    } else if (o->open_ok && !o->closed) {
        /* the chain broke after its open: the slot still holds a file */
        o->broken = o->phase;
        o->phase = PH_CLOSE;
        struct io_uring_sqe *sqe = sqe_for(u, o, ST_CLOSE);
        io_uring_prep_close_direct(sqe, (unsigned)o->slot);
        tag(sqe, o, 0);
        return;
    }
    if (o->phase == PH_STAT && !o->err) {
        if (S_ISDIR(o->stx.stx_mode)) {
            io_fail_errno(r, EISDIR, "read");
        } else if (!S_ISREG(o->stx.stx_mode)) {
            r->rc = sh_fail(&r->err, SH_EIO, "%s is not a regular file", r->path);
        } else if (o->stx.stx_size > r->limit) {
            r->rc = sh_fail(&r->err, SH_ELIMIT, "%s is %llu bytes, over the %zu-byte limit",
                            r->path, (unsigned long long)o->stx.stx_size, r->limit);
        } else if (!(r->data = malloc(o->stx.stx_size + 1))) {
            r->rc = sh_fail(&r->err, SH_ENOMEM, "out of memory reading %s", r->path);
        } else {
            r->len = o->stx.stx_size;
            start_data(u, o);
            return;
        }
    } else if (o->phase == PH_DATA && !o->err && r->kind == IO_WRITE) {
        start_dirsync(u, o);
        return;
    }
    finish(u, o);
}

static void on_cqe(uring *u, struct io_uring_cqe *cqe)
{
    uint64_t data = io_uring_cqe_get_data64(cqe);
    enum step s = (enum step)(data & 7);
    op *o = (op *)(uintptr_t)(data & ~(uint64_t)7);
    int res = cqe->res;

    if (s == ST_WAKE) {
        arm_wake(u);
        return;
    }
    if (res >= 0) {
        if (s == ST_OPEN)
            o->open_ok = true;
        if (s == ST_CLOSE)
            o->closed = true;
    } else if (res != -ECANCELED && !o->err) {
        o->err = -res;
        o->err_step = s;
    }
    if (res > 0 && s == ST_RW)
        o->moved += (size_t)res;
    if (--o->pending == 0)
        advance(u, o);
}

static void *ring_main(void *arg)
{
    uring *u = arg;
    arm_wake(u);
    for (;;) {
        pthread_mutex_lock(&u->lock);
        io_req *in = u->incoming;
        bool stop = u->stop;
        u->incoming = NULL;
        pthread_mutex_unlock(&u->lock);
        for (io_req *r = in, *next; r; r = next) { /* accept, keeping arrival order */
            next = r->next;
            op *o = calloc(1, sizeof *o);
            if (!o || (r->kind == IO_WRITE && (!(o->tmp = io_temp_name(r->path)) ||
                                               !(o->dir = io_dir_of(r->path))))) {
                if (o) {
                    free(o->tmp);
                    free(o);
                }
                r->rc = sh_fail(&r->err, SH_ENOMEM, "out of memory for %s", r->path);
                io_done(u->io, r);
                continue;
            }
            o->r = r;
            o->slot = -1;
            op **tail = &u->waiting;
            while (*tail)
                tail = &(*tail)->next;
            *tail = o;
        }
        while (u->waiting && u->nfree) {
            op *o = u->waiting;
            u->waiting = o->next;
            start(u, o);
        }
        if (stop && !u->inflight && !u->waiting)
            break;
        io_uring_submit_and_wait(&u->ring, 1);
        struct io_uring_cqe *cqe;
        unsigned head, seen = 0;
        io_uring_for_each_cqe(&u->ring, head, cqe) {
            on_cqe(u, cqe);
            seen++;
        }
        io_uring_cq_advance(&u->ring, seen);
    }
    return NULL;
}

static void uring_submit(sh_io *io, io_req *r)
{
    uring *u = io->impl;
    uint64_t one = 1;
    pthread_mutex_lock(&u->lock);
    r->next = NULL;
    io_req **tail = &u->incoming; /* callers' order is kept */
    while (*tail)
        tail = &(*tail)->next;
    *tail = r;
    pthread_mutex_unlock(&u->lock);
    if (write(u->efd, &one, sizeof one) < 0) {
        /* an eventfd write only fails on overflow, which wakes the ring anyway */
    }
}

static void uring_close(sh_io *io)
{
    uring *u = io->impl;
    uint64_t one = 1;
    pthread_mutex_lock(&u->lock);
    u->stop = true;
    pthread_mutex_unlock(&u->lock);
    if (write(u->efd, &one, sizeof one) < 0) {
        /* see uring_submit */
    }
    pthread_join(u->thread, NULL);
    io_uring_queue_exit(&u->ring);
    close(u->efd);
    pthread_mutex_destroy(&u->lock);
    free(u->free_slots);
    free(u);
}

static const io_backend uring_backend = {"io_uring", uring_submit, uring_close};

int io_uring_backend_open(sh_io *io, unsigned depth, sh_error *err)
{
    static const int needed[] = {IORING_OP_OPENAT, IORING_OP_READ, IORING_OP_WRITE,
                                 IORING_OP_FSYNC, IORING_OP_CLOSE, IORING_OP_RENAMEAT,
                                 IORING_OP_STATX};
    uring *u = calloc(1, sizeof *u);
    int rc;

    if (!u || !(u->free_slots = calloc(depth, sizeof *u->free_slots))) {
        free(u);
        return sh_fail(err, SH_ENOMEM, "out of memory starting io_uring");
    }
    /* room for `depth` chains of open + 4 transfers + fsync + close + rename, and the wake */
    rc = io_uring_queue_init(depth * 8 + 8, &u->ring, 0);
    if (rc < 0) {
        free(u->free_slots);
        free(u);
        return sh_fail(err, SH_EUNSUPPORTED, "io_uring is not available here (%s)",
                       strerror(-rc));
    }
    struct io_uring_probe *probe = io_uring_get_probe_ring(&u->ring);
    for (size_t i = 0; probe && i < sizeof needed / sizeof *needed; i++)
        if (!io_uring_opcode_supported(probe, needed[i])) {
            io_uring_free_probe(probe);
            probe = NULL;
            rc = -EOPNOTSUPP;
        }
    if (probe)
        io_uring_free_probe(probe);
    else if (rc == 0)
        rc = -EOPNOTSUPP;
    if (rc == 0)
        rc = io_uring_register_files_sparse(&u->ring, depth);
    if (rc == 0 && (u->efd = eventfd(0, EFD_CLOEXEC)) < 0)
        rc = -errno;
    if (rc < 0) {
        io_uring_queue_exit(&u->ring);
        free(u->free_slots);
        free(u);
        return sh_fail(err, SH_EUNSUPPORTED, "io_uring lacks what sohoa needs here (%s)",
                       strerror(-rc));
    }
    pthread_mutex_init(&u->lock, NULL);
    for (unsigned i = 0; i < depth; i++)
        u->free_slots[u->nfree++] = (int)(depth - 1 - i);
    u->depth = depth;
    u->io = io;
    io->impl = u;
    io->be = &uring_backend;
    if (pthread_create(&u->thread, NULL, ring_main, u) != 0) {
        io->impl = NULL;
        io->be = NULL;
        io_uring_queue_exit(&u->ring);
        close(u->efd);
        free(u->free_slots);
        free(u);
        return sh_fail(err, SH_EINTERNAL, "cannot start the io_uring thread");
    }
    return 0;
}
