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

/* ---- a thread's window of direct reads and writes (io_lane.c) ----
 * For a thread that takes many files start to end (a signer): whole files read from the
 * device straight into the caller's page-aligned buffers and written back from them
 * (O_DIRECT, no page-cache copy), everything queued going to the kernel in one io_uring
 * submission. On a VM each submission to the disk is an exit to the host, and each new
 * page-cache page a host fault: file by file through the page cache, this I/O cost 3-4x
 * the CPU (bench/sign_io.c).
 *
 * One thread's object. Each call either takes the file (0) or declines it (-1: no
 * io_uring, O_DIRECT refused, tmpfs, not a regular file, over the limit, ...), and the
 * caller then does that file with the ordinary calls, whose messages say what is wrong.
 * new returns NULL where io_uring is unavailable; every call accepts a NULL lane and
 * declines. */
typedef struct sh_io_lane sh_io_lane;

typedef struct sh_io_file {
    unsigned char *buf; /* page-aligned (grown by sh_io_lane_read), the caller frees it */
    size_t cap;         /* its size */
    bool fixed;         /* buf is not the lane's to free (a piece of the caller's arena):
                           when too small, a malloc'd one replaces it and this is cleared */
    size_t len;         /* a read's length once waited for */
    int fd;             /* a write's temporary, open, once waited for: the caller's now */
    char *tmp;          /*   and its name (malloc'd) */
    int why;            /* a failed write's errno */
    size_t size;        /* the file's size (a read) or the bytes written (a write) */
    /* the lane's */
    int state;
    bool write;
} sh_io_file;

sh_io_lane *sh_io_lane_new(unsigned depth);

/* Queues reading all of path into f->buf, grown to hold it and room bytes more. */
int sh_io_lane_read(sh_io_lane *l, sh_io_file *f, const char *path, size_t limit, size_t room);

/* Queues writing f->buf[0, len) to a new temporary beside path (its final name, which is
 * not touched): the whole pages direct, the last partial page through the page cache. Not
 * durable: hand the temporary to sh_io_batch_adopt. */
int sh_io_lane_write(sh_io_lane *l, sh_io_file *f, const char *path, size_t len);

/* Sends everything queued to the kernel, in one system call. */
void sh_io_lane_submit(sh_io_lane *l);

/* Waits for f's read or write (sending what is queued first). 0: a read is in f->buf
 * (f->len bytes), a write is in f->tmp (f->fd open). -1: a read was not whole (read the
 * file yourself); a write failed with f->why, its temporary removed. */
int sh_io_lane_wait(sh_io_lane *l, sh_io_file *f);

/* Whether the lane's ring broke with transfers out (an error other than a passing
 * shortage while waiting): their files came back from sh_io_lane_wait without buffer or
 * descriptor, which stay the kernel's, and memory the caller lent them (an arena) must
 * not be reused or freed either. */
bool sh_io_lane_lost(const sh_io_lane *l);

/* Frees the lane. Wait for every file first; one still in flight is waited for here and
 * its result dropped. */
void sh_io_lane_free(sh_io_lane *l);

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
/* Queues a temporary the caller wrote (sh_io_lane_write): tmp (malloc'd) and fd become the
 * batch's, whatever the result. Refused when the batch is full (the temporary removed). */
int sh_io_batch_adopt(sh_io_batch *b, const char *path, char *tmp, int fd, void *tag,
                      sh_error *err);

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
