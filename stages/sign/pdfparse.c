/* pdfparse.c: just enough PDF reading to append a signature: the last startxref, the chain
 * of classic xref tables, the trailer, and values inside uncompressed objects.
 *
 * It never decodes a stream and never trusts an offset without a bounds check. Files with
 * cross-reference streams (object streams) or encryption are refused, not guessed at.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sign_int.h"

/* ---- the buffer ---- */

static void grow(sh_buf *b, size_t more)
{
    if (b->oom || b->n + more <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->n + more)
        cap *= 2;
    unsigned char *p = realloc(b->p, cap);
    if (!p) {
        b->oom = true;
        return;
    }
    b->p = p;
    b->cap = cap;
}

void sh_buf_put(sh_buf *b, const void *data, size_t len)
{
    grow(b, len);
    if (b->oom)
        return;
    if (len)
        memcpy(b->p + b->n, data, len);
    b->n += len;
}

void sh_buf_putc(sh_buf *b, unsigned char c) { sh_buf_put(b, &c, 1); }

void sh_buf_printf(sh_buf *b, const char *fmt, ...)
{
    va_list ap;
    char small[256];
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = true;
        return;
    }
    if ((size_t)n < sizeof small) {
        sh_buf_put(b, small, (size_t)n);
        return;
    }
    grow(b, (size_t)n + 1);
    if (b->oom)
        return;
    va_start(ap, fmt);
    vsnprintf((char *)b->p + b->n, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)n;
}

void sh_buf_free(sh_buf *b)
{
    free(b->p);
    *b = (sh_buf){0};
}

/* ---- the lexer ---- */

static bool is_ws(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0;
}

static bool is_delim(unsigned char c)
{
    switch (c) { /* asked for every byte of every token read: no strchr per byte */
    case '(': case ')': case '<': case '>': case '[': case ']': case '{': case '}':
    case '/': case '%':
        return true;
    default:
        return false;
    }
}

static bool is_regular(unsigned char c) { return !is_ws(c) && !is_delim(c); }

size_t sh_pdf_ws(const unsigned char *b, size_t len, size_t i)
{
    while (i < len) {
        if (is_ws(b[i]))
            i++;
        else if (b[i] == '%')
            while (i < len && b[i] != '\n' && b[i] != '\r')
                i++;
        else
            break;
    }
    return i;
}

static size_t skip_regular(const unsigned char *b, size_t len, size_t i)
{
    while (i < len && is_regular(b[i]))
        i++;
    return i;
}

static bool is_uint_token(const unsigned char *b, size_t len, size_t i, size_t *end)
{
    size_t j = i;
    while (j < len && b[j] >= '0' && b[j] <= '9')
        j++;
    if (j == i || (j < len && is_regular(b[j])))
        return false;
    *end = j;
    return true;
}

/* Nesting is bounded: a hostile file cannot exhaust the stack. */
static size_t skip_depth(const unsigned char *b, size_t len, size_t i, int depth)
{
    i = sh_pdf_ws(b, len, i);
    if (i >= len || depth > 64)
        return len;
    unsigned char c = b[i];
    if (c == '(') {
        int nest = 0;
        for (; i < len; i++) {
            if (b[i] == '\\')
                i++;
            else if (b[i] == '(')
                nest++;
            else if (b[i] == ')' && --nest == 0)
                return i + 1;
        }
        return len;
    }
    if (c == '<' && i + 1 < len && b[i + 1] == '<') {
        i += 2;
        for (;;) {
            i = sh_pdf_ws(b, len, i);
            if (i + 1 < len && b[i] == '>' && b[i + 1] == '>')
                return i + 2;
            if (i >= len || b[i] != '/')
                return len;
            i = skip_depth(b, len, i, depth + 1);  /* the key */
            if (i >= len)
                return len;
            i = skip_depth(b, len, i, depth + 1);  /* the value */
            if (i >= len)
                return len;
        }
    }
    if (c == '<') {
        const unsigned char *e = memchr(b + i, '>', len - i);
        return e ? (size_t)(e - b) + 1 : len;
    }
    if (c == '[') {
        i++;
        for (;;) {
            i = sh_pdf_ws(b, len, i);
            if (i < len && b[i] == ']')
                return i + 1;
            if (i >= len)
                return len;
            i = skip_depth(b, len, i, depth + 1);
        }
    }
    if (c == '/')
        return skip_regular(b, len, i + 1);
    if (!is_regular(c))
        return len;
    /* a number (maybe the start of "n g R") or a keyword */
    size_t e1, e2;
    if (is_uint_token(b, len, i, &e1)) {
        size_t j = sh_pdf_ws(b, len, e1);
        if (is_uint_token(b, len, j, &e2)) {
            size_t k = sh_pdf_ws(b, len, e2);
            if (k < len && b[k] == 'R' && (k + 1 >= len || !is_regular(b[k + 1])))
                return k + 1;
        }
        return e1;
    }
    return skip_regular(b, len, i);
}

size_t sh_pdf_skip(const unsigned char *b, size_t len, size_t i)
{
    return skip_depth(b, len, i, 0);
}

int sh_pdf_dict_each(const unsigned char *b, size_t len, size_t i,
                     void (*fn)(void *ctx, const unsigned char *key, size_t key_len,
                                size_t v, size_t v_end),
                     void *ctx)
{
    i = sh_pdf_ws(b, len, i);
    if (i + 1 >= len || b[i] != '<' || b[i + 1] != '<')
        return -1;
    i += 2;
    for (;;) {
        i = sh_pdf_ws(b, len, i);
        if (i + 1 < len && b[i] == '>' && b[i + 1] == '>')
            return 0;
        if (i >= len || b[i] != '/')
            return -1;
        size_t k = i + 1, ke = skip_regular(b, len, k);
        size_t v = sh_pdf_ws(b, len, ke), ve = sh_pdf_skip(b, len, v);
        if (ve >= len)
            return -1;
        fn(ctx, b + k, ke - k, v, ve);
        i = ve;
    }
}

typedef struct find_key {
    const char *key;
    size_t key_len, found;
} find_key;

static void find_cb(void *ctx, const unsigned char *key, size_t key_len, size_t v, size_t ve)
{
    find_key *f = ctx;
    (void)ve;
    if (!f->found && key_len == f->key_len && memcmp(key, f->key, key_len) == 0)
        f->found = v;
}

size_t sh_pdf_dict_get(const unsigned char *b, size_t len, size_t i, const char *key)
{
    find_key f = {key, strlen(key), 0};
    if (sh_pdf_dict_each(b, len, i, find_cb, &f) < 0)
        return 0;
    return f.found;
}

unsigned sh_pdf_ref(const unsigned char *b, size_t len, size_t i)
{
    size_t e1, e2;
    i = sh_pdf_ws(b, len, i);
    if (!is_uint_token(b, len, i, &e1))
        return 0;
    size_t j = sh_pdf_ws(b, len, e1);
    if (!is_uint_token(b, len, j, &e2))
        return 0;
    size_t k = sh_pdf_ws(b, len, e2);
    if (k >= len || b[k] != 'R')
        return 0;
    unsigned long n = strtoul((const char *)b + i, NULL, 10);
    return n > 0 && n < 100000000 ? (unsigned)n : 0;
}

bool sh_pdf_num(const unsigned char *b, size_t len, size_t i, double *v)
{
    char tmp[40];
    i = sh_pdf_ws(b, len, i);
    size_t e = skip_regular(b, len, i);
    if (e == i || e - i >= sizeof tmp)
        return false;
    memcpy(tmp, b + i, e - i);
    tmp[e - i] = 0;
    char *end;
    *v = strtod(tmp, &end);
    return *end == 0;
}

size_t sh_pdf_obj(const sh_pdfdoc *d, unsigned num)
{
    if (num == 0 || num >= d->size || !d->off[num])
        return 0;
    size_t i = d->off[num], e1, e2;
    const unsigned char *b = d->b;
    if (!is_uint_token(b, d->len, i, &e1) || strtoul((const char *)b + i, NULL, 10) != num)
        return 0;
    i = sh_pdf_ws(b, d->len, e1);
    if (!is_uint_token(b, d->len, i, &e2))
        return 0;
    i = sh_pdf_ws(b, d->len, e2);
    if (i + 3 > d->len || memcmp(b + i, "obj", 3) != 0)
        return 0;
    i = sh_pdf_ws(b, d->len, i + 3);
    return i < d->len ? i : 0;
}

size_t sh_pdf_resolve(const sh_pdfdoc *d, size_t i)
{
    unsigned r = sh_pdf_ref(d->b, d->len, i);
    return r ? sh_pdf_obj(d, r) : sh_pdf_ws(d->b, d->len, i);
}

/* ---- xref and trailer ---- */

/* Reads one classic xref section at off into d (entries already set stay: newer wins).
 * Returns the offset of its trailer dictionary, or 0. */
static size_t read_xref(sh_pdfdoc *d, size_t off, sh_error *err)
{
    const unsigned char *b = d->b;
    size_t len = d->len, i = sh_pdf_ws(b, len, off);

    if (i + 4 > len || memcmp(b + i, "xref", 4) != 0) {
        sh_fail(err, SH_EUNSUPPORTED, "it uses a cross-reference stream (PDF 1.5 compressed "
                "structure), which sohoa cannot sign yet; only PDFs with classic xref tables "
                "(like the ones sohoa makes) can be signed");
        return 0;
    }
    i += 4;
    for (;;) {
        size_t e1, e2;
        i = sh_pdf_ws(b, len, i);
        if (i + 7 <= len && memcmp(b + i, "trailer", 7) == 0)
            return sh_pdf_ws(b, len, i + 7);
        if (!is_uint_token(b, len, i, &e1))
            break;
        unsigned long first = strtoul((const char *)b + i, NULL, 10);
        i = sh_pdf_ws(b, len, e1);
        if (!is_uint_token(b, len, i, &e2))
            break;
        unsigned long count = strtoul((const char *)b + i, NULL, 10);
        i = e2;
        if (first + count > 50000000 || count > len / 18)
            break;
        for (unsigned long k = 0; k < count; k++) {
            size_t a, ae, g, ge;
            i = sh_pdf_ws(b, len, i);
            if (!is_uint_token(b, len, i, &ae))
                goto bad;
            a = i;
            g = sh_pdf_ws(b, len, ae);
            if (!is_uint_token(b, len, g, &ge))
                goto bad;
            size_t t = sh_pdf_ws(b, len, ge);
            if (t >= len || (b[t] != 'n' && b[t] != 'f'))
                goto bad;
            i = t + 1;
            unsigned long num = first + k;
            if (num + 1 > d->next)
                d->next = (unsigned)num + 1;
            if (num >= d->size) { /* a table larger than /Size said: grow */
                size_t nsize = num + 1 > 2 * (size_t)d->size ? num + 1 : 2 * (size_t)d->size;
                size_t *o = realloc(d->off, nsize * sizeof *o);
                unsigned *gg = o ? realloc(d->gen, nsize * sizeof *gg) : NULL;
                if (o)
                    d->off = o;
                if (!gg) {
                    sh_fail(err, SH_ENOMEM, "out of memory");
                    return 0;
                }
                d->gen = gg;
                memset(d->off + d->size, 0, (nsize - d->size) * sizeof *o);
                memset(d->gen + d->size, 0, (nsize - d->size) * sizeof *gg);
                d->size = (unsigned)nsize;
            }
            if (d->off[num] == 0 && b[t] == 'n') {
                unsigned long long o = strtoull((const char *)b + a, NULL, 10);
                d->off[num] = o < len ? (size_t)o : 0;
                d->gen[num] = (unsigned)strtoul((const char *)b + g, NULL, 10);
            } else if (d->off[num] == 0) {
                d->off[num] = (size_t)-1; /* free in a newer section: stays free */
            }
        }
    }
bad:
    sh_fail(err, SH_EFORMAT, "its cross-reference table is damaged");
    return 0;
}

static size_t last_startxref(const unsigned char *b, size_t len)
{
    size_t from = len > 1024 ? len - 1024 : 0;
    for (size_t i = len; i-- > from;)
        if (i + 9 <= len && memcmp(b + i, "startxref", 9) == 0) {
            size_t j = sh_pdf_ws(b, len, i + 9);
            char *end;
            unsigned long long v = strtoull((const char *)b + j, &end, 10);
            if (end == (const char *)b + j || v >= len)
                return 0;
            return (size_t)v;
        }
    return 0;
}

int sh_pdf_open(sh_pdfdoc *d, const unsigned char *b, size_t len, sh_error *err)
{
    *d = (sh_pdfdoc){.b = b, .len = len};
    if (len < 16 || memcmp(b, "%PDF-", 5) != 0)
        return sh_fail(err, SH_EFORMAT, "it is not a PDF (no %%PDF- header)");
    size_t xref = last_startxref(b, len);
    if (!xref)
        return sh_fail(err, SH_EFORMAT, "it has no usable startxref at its end");
    d->startxref = xref;

    unsigned visited = 0;
    bool newest = true;
    while (xref) {
        if (++visited > 1000) {
            sh_pdf_close(d);
            return sh_fail(err, SH_EFORMAT, "its chain of xref sections loops");
        }
        size_t tr = read_xref(d, xref, err);
        if (!tr) {
            sh_pdf_close(d);
            return -1;
        }
        if (sh_pdf_skip(b, len, tr) >= len) {
            sh_pdf_close(d);
            return sh_fail(err, SH_EFORMAT, "its trailer is damaged");
        }
        if (sh_pdf_dict_get(b, len, tr, "XRefStm")) {
            sh_pdf_close(d);
            return sh_fail(err, SH_EUNSUPPORTED, "it is a hybrid file whose objects are partly "
                           "in a cross-reference stream, which sohoa cannot sign yet");
        }
        if (newest) {
            double v = 0;
            size_t i;
            if (sh_pdf_dict_get(b, len, tr, "Encrypt")) {
                sh_pdf_close(d);
                return sh_fail(err, SH_EUNSUPPORTED, "it is encrypted; sohoa signs only "
                               "unencrypted PDFs");
            }
            if ((i = sh_pdf_dict_get(b, len, tr, "Size")) && sh_pdf_num(b, len, i, &v) &&
                v > d->size && v < 50000000) {
                size_t *o = realloc(d->off, (size_t)v * sizeof *o);
                unsigned *g = o ? realloc(d->gen, (size_t)v * sizeof *g) : NULL;
                if (o)
                    d->off = o;
                if (!g) {
                    sh_pdf_close(d);
                    return sh_fail(err, SH_ENOMEM, "out of memory");
                }
                d->gen = g;
                memset(d->off + d->size, 0, ((size_t)v - d->size) * sizeof *o);
                memset(d->gen + d->size, 0, ((size_t)v - d->size) * sizeof *g);
                d->size = (unsigned)v;
            }
            if (i && v > d->next && v < 50000000)
                d->next = (unsigned)v;
            d->root = (i = sh_pdf_dict_get(b, len, tr, "Root")) ? sh_pdf_ref(b, len, i) : 0;
            d->info = (i = sh_pdf_dict_get(b, len, tr, "Info")) ? sh_pdf_ref(b, len, i) : 0;
            if ((i = sh_pdf_dict_get(b, len, tr, "ID")) && b[i] == '[') {
                size_t e0 = sh_pdf_ws(b, len, i + 1), e1 = sh_pdf_skip(b, len, e0);
                if (e1 < len && (b[e0] == '<' || b[e0] == '(')) {
                    d->id0 = b + e0;
                    d->id0_len = e1 - e0;
                }
            }
            newest = false;
        }
        double prev;
        size_t p = sh_pdf_dict_get(b, len, tr, "Prev");
        xref = p && sh_pdf_num(b, len, p, &prev) && prev > 0 && prev < (double)len ? (size_t)prev
                                                                                    : 0;
    }
    for (unsigned k = 0; k < d->size; k++)
        if (d->off[k] == (size_t)-1)
            d->off[k] = 0;
    if (!d->root || !sh_pdf_obj(d, d->root)) {
        sh_pdf_close(d);
        return sh_fail(err, SH_EFORMAT, "its trailer names no readable document catalog");
    }
    return 0;
}

void sh_pdf_close(sh_pdfdoc *d)
{
    free(d->off);
    free(d->gen);
    d->off = NULL;
    d->gen = NULL;
}
