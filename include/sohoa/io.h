/* io.h: whole-file reads and atomic whole-file writes, through io_uring or a thread pool.
 *
 * Every call blocks its caller until done and may be made from any thread at once; the
 * io_uring backend funnels all callers through one ring thread, so concurrent callers (and
 * the files of one sh_io_read_many) are in flight together. A file written with
 * sh_io_write_atomic is either complete and durable under its final name, or absent: it is
 * written to a temporary name in the same folder, fdatasync'd, renamed, and the folder fsync'd.
 * Never leaves a temporary file behind on error.
 */
#ifndef SOHOA_IO_H
#define SOHOA_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/uio.h>

#include "sohoa/error.h"

typedef enum sh_io_backend {
    SH_IO_AUTO = 0, /* io_uring if the kernel allows it, else threads */
    SH_IO_URING,    /* io_uring or fail */
    SH_IO_THREADS,  /* plain syscalls on a small thread pool */
} sh_io_backend;

typedef struct sh_io sh_io;

/* Parses "auto", "uring", "threads". Returns -1 on anything else. */
int sh_io_backend_parse(const char *name, sh_io_backend *out);

/* Opens the I/O engine. depth bounds the requests in flight (0 = default). With SH_IO_AUTO,
 * -ENOSYS/-EPERM from io_uring (old kernel, seccomp, io_uring_disabled) selects threads. */
sh_io *sh_io_open(sh_io_backend want, unsigned depth, sh_error *err);
void sh_io_close(sh_io *io);

/* "io_uring" or "threads": what sh_io_open actually chose. */
const char *sh_io_backend_name(const sh_io *io);

/* Reads all of path into a malloc'd buffer (*data, *len; caller frees). A file larger than
 * limit bytes is refused (SH_ELIMIT) without reading it. A directory, a missing or
 * unreadable file is SH_EIO with the path and the system's reason in the message. */
int sh_io_read_file(sh_io *io, const char *path, size_t limit, unsigned char **data,
                    size_t *len, sh_error *err);

/* The same read done on the calling thread with plain syscalls, no engine needed: for a
 * file in the page cache io_uring gains nothing (LIBS.md §7), and the hand-off to the ring
 * thread and back costs two context switches, more than reading 100 KB. */
int sh_io_read_here(const char *path, size_t limit, unsigned char **data, size_t *len,
                    sh_error *err);

/* The same into a buffer the caller keeps from file to file (*buf, *cap bytes; replaced by
 * a larger one when too small, freed by the caller). The buffer is page-aligned, as
 * O_DIRECT wants. direct: read with O_DIRECT, from the device straight into the buffer,
 * for a file read once (a document about to be signed), not through the page cache; the
 * page cache where O_DIRECT is refused. */
int sh_io_read_reuse(const char *path, size_t limit, bool direct, unsigned char **buf,
                     size_t *cap, size_t *len, sh_error *err);

/* The next file of a series read in the background (O_DIRECT, through an io_uring of the
 * caller's own) while the caller works on the current one, so a reader going through
 * files in turn does not wait for the device at each. One thread's object; at most one
 * read in flight. new returns NULL where io_uring is unavailable. start begins reading path
 * into *buf (page-aligned, replaced by a larger one when *cap is too small) and returns 0,
 * or -1 when it did not start (O_DIRECT refused, not a regular file, over limit, ...);
 * wait returns 0 and the length once the whole file is in *buf, -1 when it is not (an
 * error, a short read): either way the caller then reads the file itself, whose read
 * says what is wrong. free waits for a read still in flight. */
typedef struct sh_io_prefetch sh_io_prefetch;
sh_io_prefetch *sh_io_prefetch_new(void);
int sh_io_prefetch_start(sh_io_prefetch *p, const char *path, size_t limit,
                         unsigned char **buf, size_t *cap);
int sh_io_prefetch_wait(sh_io_prefetch *p, size_t *len);
void sh_io_prefetch_free(sh_io_prefetch *p);

/* Reads n files with all reads in flight together. Per-file results in data[i], len[i],
 * errs[i]; returns the number of files that failed (0 = all read). */
int sh_io_read_many(sh_io *io, const char *const *paths, size_t n, size_t limit,
                    unsigned char **data, size_t *len, sh_error *errs);

/* Writes len bytes to path atomically and durably (see above). The folder must exist.
 * An existing file at path is replaced. */
int sh_io_write_atomic(sh_io *io, const char *path, const void *data, size_t len,
                       sh_error *err);

/* ---- a batch of atomic writes made durable together (io_batch.c) ----
 * sh_io_write_atomic makes each file durable on its own: on ext4 its data sync and its
 * folder sync are a journal commit and a disk cache flush per file, which cost more than
 * signing it. A batch gives each file the same guarantee (its final name holds the old
 * content or the complete new one, never a part) for one commit per batch:
 * sh_io_batch_add writes the file to a temporary name beside its final one (page cache
 * only, on the caller's thread) and starts its writeback; sh_io_batch_commit waits for
 * every temporary's data to be on disk, renames each over its final name, then syncs each
 * folder once. A file fails alone; a temporary is never left behind on error. */
typedef struct sh_io_batch sh_io_batch;

/* A batch of at most max files (each keeps a descriptor open until the commit). */
sh_io_batch *sh_io_batch_new(size_t max, sh_error *err);

/* Writes len bytes to a temporary for path and queues it; data may be freed on return.
 * tag comes back in the commit's report. Safe from many threads at once, but not during a
 * commit of the same batch. Refused (-1, nothing left behind) when the write fails or the
 * batch is full. */
int sh_io_batch_add(sh_io_batch *b, const char *path, const void *data, size_t len,
                    void *tag, sh_error *err);
/* The same with the file's bytes in pieces (at most 8), written as they are. */
int sh_io_batch_addv(sh_io_batch *b, const char *path, const struct iovec *iov, int iovcnt,
                     void *tag, sh_error *err);

/* Files queued and not committed yet. */
size_t sh_io_batch_count(sh_io_batch *b);

/* Makes every queued file durable under its final name (see above) and calls
 * done(ctx, tag, rc, err) once per file, rc 0 or -1 with err saying why. Returns the
 * number that failed; the batch is empty again afterwards. */
typedef void (*sh_io_batch_done)(void *ctx, void *tag, int rc, const sh_error *err);
int sh_io_batch_commit(sh_io_batch *b, sh_io_batch_done done, void *ctx);

/* Frees the batch; files still queued are dropped: temporaries removed, finals untouched. */
void sh_io_batch_free(sh_io_batch *b);

#endif
