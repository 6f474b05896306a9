/* io_int.h: the two I/O backends behind include/sohoa/io.h and the request they share.
 * A request is made and waited for by its caller; a backend fills its result. */
#ifndef SOHOA_IO_INT_H
#define SOHOA_IO_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "sohoa/io.h"

typedef enum io_kind { IO_READ, IO_WRITE } io_kind;

typedef struct io_req {
    io_kind kind;
    const char *path;
    size_t limit;               /* reads: refuse larger files */
    unsigned char *data;        /* reads: the result (malloc'd); writes: the bytes */
    size_t len;
    sh_error err;
    int rc;                     /* 0 or -1 */
    bool done;
    struct io_req *next;        /* a backend's queue */
    void *backend;              /* a backend's per-request state */
} io_req;

typedef struct io_backend {
    const char *name;
    void (*submit)(sh_io *io, io_req *r);   /* hand over; completes later via io_done */
    void (*close)(sh_io *io);
} io_backend;

struct sh_io {
    const io_backend *be;
    void *impl;
    pthread_mutex_t lock;       /* guards every req->done */
    pthread_cond_t cond;
};

/* Called by a backend when a request is finished (any thread). */
void io_done(sh_io *io, io_req *r);

/* Plain-syscall helpers both backends use: the temp name of an atomic write, the
 * messages. */
char *io_temp_name(const char *path);
char *io_dir_of(const char *path);
int io_fail_errno(io_req *r, int errnum, const char *what);

int io_uring_backend_open(sh_io *io, unsigned depth, sh_error *err);
int io_threads_backend_open(sh_io *io, unsigned threads, sh_error *err);

/* The thread pool's whole work for one request, also the uring backend's fallback. */
void io_threads_do(io_req *r);

#endif
