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

#include <stddef.h>

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

/* Reads n files with all reads in flight together. Per-file results in data[i], len[i],
 * errs[i]; returns the number of files that failed (0 = all read). */
int sh_io_read_many(sh_io *io, const char *const *paths, size_t n, size_t limit,
                    unsigned char **data, size_t *len, sh_error *errs);

/* Writes len bytes to path atomically and durably (see above). The folder must exist.
 * An existing file at path is replaced. */
int sh_io_write_atomic(sh_io *io, const char *path, const void *data, size_t len,
                       sh_error *err);

#endif
