/* error.c: filling and naming sh_error values (include/sohoa/error.h).
 * Plain formatting only: no allocation, no logging, safe from any thread. Messages come
 * out in the reader's language: the format is looked up in sohoa's translations
 * (pipeline/po; none bound, as in the unit tests: the English text itself). */
#include <libintl.h>
#include <stdio.h>
#include <string.h>

#include "sohoa/error.h"

int sh_vfail(sh_error *err, sh_code code, const char *fmt, va_list ap)
{
    if (err) {
        err->code = code;
        vsnprintf(err->msg, sizeof err->msg, dgettext("sohoa", fmt), ap);
    }
    return -1;
}

int sh_fail(sh_error *err, sh_code code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sh_vfail(err, code, fmt, ap);
    va_end(ap);
    return -1;
}

void sh_error_prefix(sh_error *err, const char *fmt, ...)
{
    char old[sizeof err->msg];
    va_list ap;
    int n;

    if (!err)
        return;
    memcpy(old, err->msg, sizeof old);
    va_start(ap, fmt);
    n = vsnprintf(err->msg, sizeof err->msg, dgettext("sohoa", fmt), ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof err->msg - 3)
        return;
    /* then ": " and as much of the old message as fits */
    size_t at = (size_t)n, room = sizeof err->msg - at - 3;
    size_t len = strnlen(old, room);
    memcpy(err->msg + at, ": ", 2);
    memcpy(err->msg + at + 2, old, len);
    err->msg[at + 2 + len] = '\0';
}

void sh_error_clear(sh_error *err)
{
    if (err) {
        err->code = SH_OK;
        err->msg[0] = '\0';
    }
}

const char *sh_code_name(sh_code code)
{
    switch (code) {
    case SH_OK: return "ok";
    case SH_EIO: return "io";
    case SH_EFORMAT: return "format";
    case SH_EUNSUPPORTED: return "unsupported";
    case SH_ELIMIT: return "limit";
    case SH_ENOMEM: return "nomem";
    case SH_EPDF: return "pdf";
    case SH_ECATALOG: return "catalog";
    case SH_EUSAGE: return "usage";
    case SH_EBUSY: return "busy";
    case SH_EINTERNAL: return "internal";
    }
    return "unknown";
}
