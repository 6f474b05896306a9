/* error.h: how every sohoa function reports failure.
 *
 * A failure is a short code (what kind of thing went wrong) plus one sentence a clerk can
 * act on, naming the file and page where there is one. Library code fills an sh_error and
 * returns -1; only main() turns errors into exit codes. Nothing here allocates.
 */
#ifndef SOHOA_ERROR_H
#define SOHOA_ERROR_H

#include <stdarg.h>
#include <stddef.h>

typedef enum sh_code {
    SH_OK = 0,
    SH_EIO,          /* reading or writing a file failed (errno text in the message) */
    SH_EFORMAT,      /* the input is not a valid image / PDF / ... */
    SH_EUNSUPPORTED, /* valid, but of a kind sohoa (or its library) cannot handle */
    SH_ELIMIT,       /* over a configured limit: pixels, bytes, pages */
    SH_ENOMEM,
    SH_EPDF,         /* libharu refused something */
    SH_ECATALOG,     /* the SQLite catalog failed */
    SH_EUSAGE,       /* a bad option or argument */
    SH_EBUSY,        /* the archive is locked by another sohoa */
    SH_EINTERNAL,
} sh_code;

typedef struct sh_error {
    sh_code code;
    char msg[1024];
} sh_error;

/* Sets code and message (printf-style). Returns -1 so callers can `return sh_fail(...)`. */
int sh_fail(sh_error *err, sh_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int sh_vfail(sh_error *err, sh_code code, const char *fmt, va_list ap);

/* Puts "prefix: " in front of an existing message (e.g. the file name an inner call lacked). */
void sh_error_prefix(sh_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void sh_error_clear(sh_error *err);

/* "io", "format", ... : the stable short name used in JSON output and the catalog. */
const char *sh_code_name(sh_code code);

#endif
