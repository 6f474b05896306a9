/* memtiff.c: libtiff over memory buffers, reading (inputs, mapped: no copies) and writing
 * (the G4 re-encoder). Errors go into a caller's buffer through libtiff 4.5's per-handle
 * handlers, so concurrent workers never share a message and nothing prints to stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>

#include "ingest_int.h"

typedef struct membuf {
    unsigned char *data;
    size_t len, cap, pos;
    bool owned;   /* writable, growable */
    char *msg;    /* last error text for the caller */
    size_t msglen;
    unsigned char head[16]; /* the header as libtiff reads it (see sh_memtiff_open_page) */
    size_t head_len;
} membuf;

static tmsize_t mem_read(thandle_t h, void *buf, tmsize_t n)
{
    membuf *m = h;
    size_t avail = m->pos < m->len ? m->len - m->pos : 0;
    size_t k = (size_t)n < avail ? (size_t)n : avail;
    memcpy(buf, m->data + m->pos, k);
    if (m->pos < m->head_len) { /* the patched header in place of the file's */
        size_t over = m->head_len - m->pos < k ? m->head_len - m->pos : k;
        memcpy(buf, m->head + m->pos, over);
    }
    m->pos += k;
    return (tmsize_t)k;
}

static tmsize_t mem_write(thandle_t h, void *buf, tmsize_t n)
{
    membuf *m = h;
    size_t end = m->pos + (size_t)n;

    if (!m->owned)
        return 0;
    if (end > m->cap) {
        size_t cap = m->cap ? m->cap : 1 << 16;
        while (cap < end)
            cap *= 2;
        unsigned char *p = realloc(m->data, cap);
        if (!p)
            return 0;
        m->data = p;
        m->cap = cap;
    }
    if (m->pos > m->len) /* a seek past the end leaves a hole: zero it */
        memset(m->data + m->len, 0, m->pos - m->len);
    memcpy(m->data + m->pos, buf, (size_t)n);
    m->pos = end;
    if (end > m->len)
        m->len = end;
    return n;
}

static toff_t mem_seek(thandle_t h, toff_t off, int whence)
{
    membuf *m = h;
    size_t base = whence == SEEK_CUR ? m->pos : whence == SEEK_END ? m->len : 0;
    m->pos = base + (size_t)off;
    return m->pos;
}

static int mem_close(thandle_t h) { (void)h; return 0; }
static toff_t mem_size(thandle_t h) { return ((membuf *)h)->len; }

static int mem_map(thandle_t h, void **base, toff_t *size)
{
    membuf *m = h;
    if (m->owned)
        return 0;
    *base = m->data;
    *size = m->len;
    return 1;
}

static void mem_unmap(thandle_t h, void *base, toff_t size) { (void)h; (void)base; (void)size; }

static int on_error(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap)
{
    membuf *m = user;
    (void)tif;
    (void)module;
    if (m && m->msg && m->msglen && !m->msg[0]) /* keep the first: it is the cause */
        vsnprintf(m->msg, m->msglen, fmt, ap);
    return 1; /* handled: libtiff must not print */
}

static int on_warning(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap)
{
    (void)tif; (void)user; (void)module; (void)fmt; (void)ap;
    return 1;
}

static TIFF *open_on(membuf *m, const char *name, const char *mode)
{
    TIFFOpenOptions *o = TIFFOpenOptionsAlloc();
    TIFF *tif;

    if (!o)
        return NULL;
    TIFFOpenOptionsSetErrorHandlerExtR(o, on_error, m);
    TIFFOpenOptionsSetWarningHandlerExtR(o, on_warning, m);
    /* A hostile header can ask for gigabytes in one allocation; real pages never do. */
    TIFFOpenOptionsSetMaxSingleMemAlloc(o, (tmsize_t)1 << 31);
    tif = TIFFClientOpenExt(name, mode, m, mem_read, mem_write, mem_seek, mem_close, mem_size,
                            mem_map, mem_unmap, o);
    TIFFOpenOptionsFree(o);
    return tif;
}

TIFF *sh_memtiff_open(const unsigned char *data, size_t len, const char *name, char *msg,
                      size_t msglen)
{
    return sh_memtiff_open_page(data, len, 0, name, msg, msglen);
}

/* Opens one page of a TIFF by making libtiff believe its directory is the first: the
 * header read through mem_read names diroff as the first IFD. TIFFSetSubDirectory would do
 * the same, but libtiff 4.5 walks the whole chain of directories from the start to number
 * it, on every fresh handle: O(pages) per page, 11 s for an 8,192-page file. diroff 0: the
 * file's own first page. */
TIFF *sh_memtiff_open_page(const unsigned char *data, size_t len, uint64_t diroff,
                           const char *name, char *msg, size_t msglen)
{
    membuf *m = calloc(1, sizeof *m);
    TIFF *tif;

    if (!m)
        return NULL;
    if (msg && msglen)
        msg[0] = '\0';
    m->data = (unsigned char *)data;
    m->len = len;
    m->msg = msg;
    m->msglen = msglen;
    if (len >= 16 && diroff != 0) {
        bool little = data[0] == 'I';
        bool big = (little ? data[2] | data[3] << 8 : data[3] | data[2] << 8) == 43;
        unsigned off_at = big ? 8 : 4, width = big ? 8 : 4;
        if (!big && diroff > UINT32_MAX) {
            free(m);
            return NULL;
        }
        m->head_len = big ? 16 : 8;
        memcpy(m->head, data, m->head_len);
        for (unsigned i = 0; i < width; i++) /* in the file's own byte order */
            m->head[off_at + (little ? i : width - 1 - i)] = (unsigned char)(diroff >> (8 * i));
    }
    if (!(tif = open_on(m, name, "r"))) /* mapped through mem_map: strips are not copied */
        free(m);
    return tif;
}

void sh_memtiff_close(TIFF *tif)
{
    if (!tif)
        return;
    membuf *m = TIFFClientdata(tif);
    TIFFClose(tif);
    if (m && m->owned)
        free(m->data);
    free(m);
}

/* G4 through libtiff's own encoder: write a one-strip TIFF into memory, then lift the strip
 * out. The strip is exactly the CCITT stream PDF's CCITTFaxDecode wants (K -1). */
int sh_image_encode_g4(sh_image *img, const unsigned char *bits, size_t stride, uint32_t w,
                       uint32_t h, sh_error *err)
{
    char msg[256] = "";
    membuf out = {.owned = true, .msg = msg, .msglen = sizeof msg};
    TIFF *tif = open_on(&out, "g4", "w");
    unsigned char *strip = NULL;
    tmsize_t n = -1;

    if (!tif)
        return sh_fail(err, SH_ENOMEM, "cannot start the G4 encoder: %s", msg);
    TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, w);
    TIFFSetField(tif, TIFFTAG_IMAGELENGTH, h);
    TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 1);
    TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 1);
    TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
    TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX4);
    TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, h);
    TIFFSetField(tif, TIFFTAG_FILLORDER, FILLORDER_MSB2LSB);
    for (uint32_t y = 0; y < h; y++) {
        if (TIFFWriteScanline(tif, (void *)(bits + (size_t)y * stride), y, 0) < 0)
            goto fail;
    }
    if (!TIFFWriteDirectory(tif))
        goto fail;
    TIFFClose(tif);
    tif = NULL;

    /* Read it back to find the strip (offset and size are libtiff's business). */
    {
        membuf in = {.data = out.data, .len = out.len, .msg = msg, .msglen = sizeof msg};
        TIFF *rt = open_on(&in, "g4", "r");
        uint64_t *counts = NULL;
        if (!rt)
            goto fail;
        if (TIFFGetField(rt, TIFFTAG_STRIPBYTECOUNTS, &counts) && counts &&
            (strip = malloc(counts[0] ? counts[0] : 1)))
            n = TIFFReadRawStrip(rt, 0, strip, (tmsize_t)counts[0]);
        TIFFClose(rt);
    }
    if (n < 0)
        goto fail;
    free(out.data);
    img->enc = SH_ENC_CCITT;
    img->width = w;
    img->height = h;
    img->bpc = 1;
    img->cs = SH_CS_GRAY;
    img->ccitt_k = -1;
    img->ccitt_black_is_1 = false;
    img->ccitt_byte_align = false;
    img->data = strip;
    img->len = (size_t)n;
    return 0;
fail:
    if (tif)
        TIFFClose(tif);
    free(out.data);
    free(strip);
    return sh_fail(err, SH_EINTERNAL, "G4 encoding failed: %s", msg[0] ? msg : "libtiff error");
}
