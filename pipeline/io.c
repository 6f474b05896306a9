/* io.c: the I/O front (include/sohoa/io.h): picks a backend at start-up, turns blocking
 * calls into requests, waits for them; and the thread-pool backend, which is also what
 * runs where io_uring is unavailable (-ENOSYS: old kernel or gVisor; -EPERM: seccomp or
 * io_uring_disabled).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io_int.h"

#define IO_PAGE 4096 /* O_DIRECT's alignment: a page covers 512- and 4096-byte blocks */

int sh_io_backend_parse(const char *name, sh_io_backend *out)
{
    if (strcmp(name, "auto") == 0)
        *out = SH_IO_AUTO;
    else if (strcmp(name, "uring") == 0 || strcmp(name, "io_uring") == 0)
        *out = SH_IO_URING;
    else if (strcmp(name, "threads") == 0)
        *out = SH_IO_THREADS;
    else
        return -1;
    return 0;
}

sh_io *sh_io_open(sh_io_backend want, unsigned depth, sh_error *err)
{
    sh_io *io = calloc(1, sizeof *io);
    sh_error uring_err = {0};

    if (!io) {
        sh_fail(err, SH_ENOMEM, "out of memory starting I/O");
        return NULL;
    }
    pthread_mutex_init(&io->lock, NULL);
    pthread_cond_init(&io->cond, NULL);
    if (!depth)
        depth = 64;
    if (want != SH_IO_THREADS && io_uring_backend_open(io, depth, &uring_err) == 0)
        return io;
    if (want == SH_IO_URING) {
        *err = uring_err;
        sh_io_close(io);
        return NULL;
    }
    if (io_threads_backend_open(io, 4, err) == 0)
        return io;
    sh_io_close(io);
    return NULL;
}

void sh_io_close(sh_io *io)
{
    if (!io)
        return;
    if (io->be)
        io->be->close(io);
    pthread_cond_destroy(&io->cond);
    pthread_mutex_destroy(&io->lock);
    free(io);
}

const char *sh_io_backend_name(const sh_io *io) { return io->be->name; }

void io_done(sh_io *io, io_req *r)
{
    pthread_mutex_lock(&io->lock);
    r->done = true;
    pthread_cond_broadcast(&io->cond);
    pthread_mutex_unlock(&io->lock);
}

static void wait_all(sh_io *io, io_req *reqs, size_t n)
{
    pthread_mutex_lock(&io->lock);
    for (size_t i = 0; i < n; i++)
        while (!reqs[i].done)
            pthread_cond_wait(&io->cond, &io->lock);
    pthread_mutex_unlock(&io->lock);
}

int sh_io_read_many(sh_io *io, const char *const *paths, size_t n, size_t limit,
                    unsigned char **data, size_t *len, sh_error *errs)
{
    io_req *reqs = calloc(n ? n : 1, sizeof *reqs);
    int failed = 0;

    if (!reqs) {
        for (size_t i = 0; i < n; i++)
            sh_fail(&errs[i], SH_ENOMEM, "out of memory reading %s", paths[i]);
        return (int)n;
    }
    for (size_t i = 0; i < n; i++) {
        reqs[i] = (io_req){.kind = IO_READ, .path = paths[i], .limit = limit};
        io->be->submit(io, &reqs[i]);
    }
    wait_all(io, reqs, n);
    for (size_t i = 0; i < n; i++) {
        data[i] = reqs[i].data;
        len[i] = reqs[i].len;
        errs[i] = reqs[i].err;
        failed += reqs[i].rc != 0;
    }
    free(reqs);
    return failed;
}

int sh_io_read_file(sh_io *io, const char *path, size_t limit, unsigned char **data,
                    size_t *len, sh_error *err)
{
    sh_error e = {0};
    int failed = sh_io_read_many(io, &path, 1, limit, data, len, &e);
    if (failed && err)
        *err = e;
    return failed ? -1 : 0;
}

int sh_io_read_here(const char *path, size_t limit, unsigned char **data, size_t *len,
                    sh_error *err)
{
    io_req r = {.kind = IO_READ, .path = path, .limit = limit};
    io_threads_do(&r);
    *data = r.data;
    *len = r.len;
    if (r.rc && err)
        *err = r.err;
    return r.rc;
}

int sh_io_write_atomic(sh_io *io, const char *path, const void *data, size_t len,
                       sh_error *err)
{
    io_req r = {.kind = IO_WRITE, .path = path, .data = (unsigned char *)data, .len = len};
    io->be->submit(io, &r);
    wait_all(io, &r, 1);
    if (r.rc && err)
        *err = r.err;
    return r.rc;
}

/* ---- shared helpers ----------------------------------------------------------------- */

char *io_temp_name(const char *path)
{
    static atomic_uint counter;
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path + 1) : 0;
    char *s = NULL;
    /* ".<name>.tmp.<pid>.<n>" beside the final name: the same file system, so the rename
     * is atomic, and a name recovery can recognise */
    if (asprintf(&s, "%.*s.%s.tmp.%ld.%u", (int)dirlen, path, path + dirlen, (long)getpid(),
                 atomic_fetch_add(&counter, 1)) < 0)
        return NULL;
    return s;
}

char *io_dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

int io_fail_errno(io_req *r, int errnum, const char *what)
{
    r->rc = -1;
    if (r->kind == IO_READ && errnum == EISDIR)
        return sh_fail(&r->err, SH_EIO, "%s is a folder, not a file", r->path);
    return sh_fail(&r->err, SH_EIO, "cannot %s %s: %s", what, r->path, strerror(errnum));
}

/* ---- the thread-pool backend -------------------------------------------------------- */

/* Reads the whole regular file at path into *buf, replaced by a larger page-aligned one
 * when *cap is too small; the request's messages on failure. direct: with O_DIRECT, from
 * the device into the buffer (whole pages, so the buffer has room for the last one), the
 * page cache used only where O_DIRECT is refused. */
static int read_into(io_req *r, bool direct, unsigned char **buf, size_t *cap)
{
    int fd = direct ? open(r->path, O_RDONLY | O_CLOEXEC | O_DIRECT) : -1;
    struct stat st;

    if (fd < 0 && direct && errno == EINVAL) /* no O_DIRECT on this file system (ramfs) */
        direct = false;
    if (!direct)
        fd = open(r->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return io_fail_errno(r, errno, "read");
    if (fstat(fd, &st) != 0) {
        io_fail_errno(r, errno, "read");
    } else if (S_ISDIR(st.st_mode)) {
        io_fail_errno(r, EISDIR, "read");
    } else if (!S_ISREG(st.st_mode)) {
        r->rc = sh_fail(&r->err, SH_EIO, "%s is not a regular file", r->path);
    } else if ((size_t)st.st_size > r->limit) {
        r->rc = sh_fail(&r->err, SH_ELIMIT, "%s is %lld bytes, over the %zu-byte limit",
                        r->path, (long long)st.st_size, r->limit);
    } else {
        size_t size = (size_t)st.st_size, got = 0;
        size_t want = direct ? (size / IO_PAGE + 1) * IO_PAGE : size + 1;
        if (*cap < want) { /* page-aligned, for O_DIRECT; the old bytes can go */
            void *p = NULL;
            if (posix_memalign(&p, IO_PAGE, want) != 0)
                p = NULL;
            free(*buf);
            *buf = NULL;
            *cap = 0;
            if (!p) {
                close(fd);
                return r->rc = sh_fail(&r->err, SH_ENOMEM, "out of memory reading %s", r->path);
            }
            *buf = p;
            *cap = want;
        }
        while (got < size) {
            /* O_DIRECT asks for whole pages, past the end if need be (it stops there) */
            size_t ask = direct ? (size - got + IO_PAGE - 1) / IO_PAGE * IO_PAGE : size - got;
            ssize_t n = pread(fd, *buf + got, ask, (off_t)got);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0 && errno == EINVAL && direct) { /* refused after all: on buffered */
                int fl = fcntl(fd, F_GETFL);
                if (fl >= 0 && fcntl(fd, F_SETFL, fl & ~O_DIRECT) == 0) {
                    direct = false;
                    continue;
                }
            }
            if (n <= 0) {
                io_fail_errno(r, n < 0 ? errno : EIO, "read");
                break;
            }
            got += (size_t)n;
        }
        r->len = got < size ? got : size; /* grown since: what fstat said */
    }
    close(fd);
    return r->rc;
}

static void do_read(io_req *r)
{
    size_t cap = 0;
    r->data = NULL;
    if (read_into(r, false, &r->data, &cap) < 0) {
        free(r->data);
        r->data = NULL;
    }
}

int sh_io_read_reuse(const char *path, size_t limit, bool direct, unsigned char **buf,
                     size_t *cap, size_t *len, sh_error *err)
{
    io_req r = {.kind = IO_READ, .path = path, .limit = limit};
    int rc = read_into(&r, direct, buf, cap);
    *len = rc ? 0 : r.len;
    if (rc && err)
        *err = r.err;
    return rc;
}

static int fsync_dir(const char *path)
{
    char *dir = io_dir_of(path);
    int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1, rc = -1;
    free(dir);
    if (fd >= 0) {
        rc = fsync(fd);
        close(fd);
    }
    return rc;
}

static void do_write(io_req *r)
{
    char *tmp = io_temp_name(r->path);
    int fd;

    if (!tmp) {
        r->rc = sh_fail(&r->err, SH_ENOMEM, "out of memory writing %s", r->path);
        return;
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        io_fail_errno(r, errno, "write");
        free(tmp);
        return;
    }
    size_t put = 0;
    while (put < r->len) {
        ssize_t n = pwrite(fd, r->data + put, r->len - put, (off_t)put);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            io_fail_errno(r, n < 0 ? errno : EIO, "write");
            break;
        }
        put += (size_t)n;
    }
    if (!r->rc && fdatasync(fd) != 0)
        io_fail_errno(r, errno, "write");
    if (close(fd) != 0 && !r->rc)
        io_fail_errno(r, errno, "write");
    if (!r->rc && rename(tmp, r->path) != 0)
        io_fail_errno(r, errno, "write");
    if (r->rc)
        unlink(tmp); /* never leave a partial file behind */
    else if (fsync_dir(r->path) != 0)
        io_fail_errno(r, errno, "make durable");
    free(tmp);
}

void io_threads_do(io_req *r)
{
    if (r->kind == IO_READ)
        do_read(r);
    else
        do_write(r);
}

typedef struct pool {
    pthread_t *threads;
    unsigned n;
    io_req *head, *tail;
    bool stop;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    sh_io *io;
} pool;

static void *pool_main(void *arg)
{
    pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        while (!p->head && !p->stop)
            pthread_cond_wait(&p->cond, &p->lock);
        io_req *r = p->head;
        if (r) {
            p->head = r->next;
            if (!p->head)
                p->tail = NULL;
        }
        pthread_mutex_unlock(&p->lock);
        if (!r)
            return NULL;
        io_threads_do(r);
        io_done(p->io, r);
    }
}

static void pool_submit(sh_io *io, io_req *r)
{
    pool *p = io->impl;
    r->next = NULL;
    pthread_mutex_lock(&p->lock);
    if (p->tail)
        p->tail->next = r;
    else
        p->head = r;
    p->tail = r;
    pthread_cond_signal(&p->cond);
    pthread_mutex_unlock(&p->lock);
}

static void pool_close(sh_io *io)
{
    pool *p = io->impl;
    pthread_mutex_lock(&p->lock);
    p->stop = true;
    pthread_cond_broadcast(&p->cond);
    pthread_mutex_unlock(&p->lock);
    for (unsigned i = 0; i < p->n; i++)
        pthread_join(p->threads[i], NULL);
    pthread_cond_destroy(&p->cond);
    pthread_mutex_destroy(&p->lock);
    free(p->threads);
    free(p);
}

static const io_backend threads_backend = {"threads", pool_submit, pool_close};

int io_threads_backend_open(sh_io *io, unsigned threads, sh_error *err)
{
    pool *p = calloc(1, sizeof *p);
    if (!p || !(p->threads = calloc(threads, sizeof *p->threads))) {
        free(p);
        return sh_fail(err, SH_ENOMEM, "out of memory starting I/O threads");
    }
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->cond, NULL);
    p->io = io;
    for (; p->n < threads; p->n++)
        if (pthread_create(&p->threads[p->n], NULL, pool_main, p) != 0)
            break;
    if (p->n == 0) {
        pool_close((sh_io *)&(sh_io){.impl = p});
        return sh_fail(err, SH_EINTERNAL, "cannot start I/O threads");
    }
    io->impl = p;
    io->be = &threads_backend;
    return 0;
}
