/* ingest.c: the ingest stage (one page's bytes to an archivable image) and the scan the
 * allocator runs first (what kind of file, where its pages are).
 *
 * Decoding is per page and runs on every worker at once; each worker opens its own
 * libtiff handle over the dossier's shared, read-only input buffer.
 */
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>

#include <leptonica/allheaders.h>
#include <libdeflate.h>

#include "ingest_int.h"
#include "sohoa/ingest.h"
#include "sohoa/stage.h"

sh_file_kind sh_ingest_sniff(const unsigned char *d, size_t n)
{
    if (n >= 4 && ((d[0] == 'I' && d[1] == 'I' && (d[2] == 42 || d[2] == 43) && d[3] == 0) ||
                   (d[0] == 'M' && d[1] == 'M' && d[2] == 0 && (d[3] == 42 || d[3] == 43))))
        return SH_FILE_TIFF;
    if (n >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
        return SH_FILE_JPEG;
    if (n >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0)
        return SH_FILE_PNG;
    return SH_FILE_UNKNOWN;
}

int sh_ingest_scan(sh_file *f, unsigned max_pages, uint64_t **diroffs, sh_error *err)
{
    char msg[512];
    uint64_t *offs = NULL;
    size_t cap = 0;
    unsigned n = 0;
    TIFF *tif;

    *diroffs = NULL;
    f->kind = sh_ingest_sniff(f->data, f->len);
    switch (f->kind) {
    case SH_FILE_JPEG:
    case SH_FILE_PNG:
        f->npages = 1;
        return 0;
    case SH_FILE_UNKNOWN:
        if (f->len == 0)
            return sh_fail(err, SH_EFORMAT, "%s is empty (0 bytes)", f->path);
        return sh_fail(err, SH_EFORMAT, "%s is not a TIFF, JPEG or PNG image", f->path);
    case SH_FILE_TIFF:
        break;
    }
    if (!(tif = sh_memtiff_open(f->data, f->len, f->path, msg, sizeof msg)))
        return sh_fail(err, SH_EFORMAT, "%s: not a readable TIFF (libtiff: %s)", f->path, msg);
    /* Walk the chain once; libtiff (4.5) stops on a loop and says so in msg. */
    do {
        if (n == max_pages) {
            sh_fail(err, SH_ELIMIT, "%s has more than %u pages", f->path, max_pages);
            goto fail;
        }
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            uint64_t *v = realloc(offs, cap * sizeof *v);
            if (!v) {
                sh_fail(err, SH_ENOMEM, "out of memory");
                goto fail;
            }
            offs = v;
        }
        offs[n++] = TIFFCurrentDirOffset(tif);
        msg[0] = '\0';
    } while (TIFFReadDirectory(tif));
    if (msg[0]) {
        /* the next directory exists but is broken or loops back: the page count is unknown */
        sh_fail(err, SH_EFORMAT, "%s: page %u: the TIFF's next page cannot be read (libtiff: %s)",
                f->path, n + 1, msg);
        goto fail;
    }
    sh_memtiff_close(tif);
    f->npages = n;
    *diroffs = offs;
    return 0;
fail:
    sh_memtiff_close(tif);
    free(offs);
    return -1;
}

void sh_ingest_global_init(void)
{
    TIFFSetErrorHandler(NULL);
    TIFFSetWarningHandler(NULL);
    setMsgSeverity(L_SEVERITY_NONE); /* failures come back as return codes */
}

void sh_page_set_dpi(ingest_ctx *c, double x, double y)
{
    sh_page *p = c->page;
    const sh_options *o = c->opt;

    if (x <= 0 && y > 0)
        x = y;
    if (y <= 0 && x > 0)
        y = x;
    /* Under 50 or over 4800 dpi is no scanner's setting: a wrong tag, not a page size. */
    if (x < 50 || y < 50 || x > 4800 || y > 4800) {
        x = y = o->default_dpi;
        p->flags |= SH_PAGE_DPI_ASSUMED;
    }
    p->dpi_x = x;
    p->dpi_y = y;
    if (x < o->min_dpi - 0.5 || y < o->min_dpi - 0.5)
        p->flags |= SH_PAGE_LOW_DPI;
}

int sh_check_pixels(ingest_ctx *c, uint32_t w, uint32_t h, sh_error *err)
{
    if ((uint64_t)w * h > c->opt->max_pixels)
        return sh_fail(err, SH_ELIMIT, "the image is %ux%u pixels, over the limit of %llu",
                       w, h, (unsigned long long)c->opt->max_pixels);
    return 0;
}

/* The sRGB colour of each corner of CMYK, each ink full or none (index c*8 + m*4 + y*2 + k),
 * 0..1: a press's inks (SWOP), as poppler and xpdf show DeviceCMYK without a profile and
 * close to what Adobe's viewers show. Between corners, multilinear. */
static const float cmyk_corner[16][3] = {
    {1, 1, 1},                {0.1373f, 0.1216f, 0.1255f}, /* paper;          K */
    {1, 0.9490f, 0},          {0.1098f, 0.1020f, 0},       /* Y;              Y+K */
    {0.9255f, 0, 0.5490f},    {0.1412f, 0, 0},             /* M;              M+K */
    {0.9294f, 0.1098f, 0.1412f}, {0.1333f, 0, 0},          /* M+Y;            M+Y+K */
    {0, 0.6784f, 0.9373f},    {0, 0.0588f, 0.1412f},       /* C;              C+K */
    {0, 0.6510f, 0.3137f},    {0, 0.0745f, 0},             /* C+Y;            C+Y+K */
    {0.1804f, 0.1922f, 0.5725f}, {0, 0, 0.0078f},          /* C+M;            C+M+K */
    {0.2118f, 0.2119f, 0.2235f}, {0, 0, 0},                /* C+M+Y;          all four */
};

unsigned char *sh_cmyk_to_rgb(const unsigned char *cmyk, uint32_t w, uint32_t h, unsigned bpc,
                              bool inverted)
{
    size_t n = (size_t)w * h, b = bpc / 8; /* 16-bit samples: the high byte first */
    unsigned char *rgb = malloc(n ? 3 * n : 1);
    uint32_t last = 0;
    unsigned char last_rgb[3] = {255, 255, 255};
    if (!rgb)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *s = cmyk + i * 4 * b;
        unsigned char ink[4];
        for (size_t j = 0; j < 4; j++)
            ink[j] = inverted ? (unsigned char)(255 - s[j * b]) : s[j * b];
        uint32_t key = (uint32_t)ink[0] << 24 | (uint32_t)ink[1] << 16 |
                       (uint32_t)ink[2] << 8 | ink[3];
        if (key != last) { /* a page is mostly runs of one colour, paper first */
            float on[4][2], cm[4], yk[4], out[3] = {0, 0, 0};
            for (int j = 0; j < 4; j++) {
                on[j][1] = ink[j] / 255.0f;
                on[j][0] = 1 - on[j][1];
            }
            for (int a = 0; a < 4; a++) {
                cm[a] = on[0][a >> 1] * on[1][a & 1];
                yk[a] = on[2][a >> 1] * on[3][a & 1];
            }
            for (int a = 0; a < 16; a++) {
                float wt = cm[a >> 2] * yk[a & 3];
                for (int j = 0; j < 3; j++)
                    out[j] += wt * cmyk_corner[a][j];
            }
            for (int j = 0; j < 3; j++)
                last_rgb[j] = (unsigned char)(out[j] * 255 + 0.5f);
            last = key;
        }
        memcpy(rgb + 3 * i, last_rgb, 3);
    }
    return rgb;
}

int sh_encode_samples(ingest_ctx *c, const unsigned char *raw, size_t len, uint32_t w,
                      uint32_t h, sh_colorspace cs, unsigned bpc, sh_error *err)
{
    if (cs == SH_CS_CMYK) {
        unsigned char *rgb = sh_cmyk_to_rgb(raw, w, h, bpc, false);
        if (!rgb)
            return sh_fail(err, SH_ENOMEM, "out of memory for a %ux%u image", w, h);
        int rc = sh_encode_samples(c, rgb, 3 * (size_t)w * h, w, h, SH_CS_RGB, 8, err);
        free(rgb);
        return rc;
    }
    if (sh_keep_samples(c, raw, w, h, cs, bpc) < 0)
        return sh_fail(err, SH_ENOMEM, "out of memory for a %ux%u image", w, h);
    if (c->opt->lossy_jpeg && bpc == 8)
        return sh_image_encode_jpeg(&c->page->image, raw, w, h, cs, c->opt->jpeg_quality, err);

    size_t bound = libdeflate_zlib_compress_bound(c->local->deflate, len);
    unsigned char *out = malloc(bound);
    size_t n;

    if (!out)
        return sh_fail(err, SH_ENOMEM, "out of memory compressing a %ux%u image", w, h);
    n = libdeflate_zlib_compress(c->local->deflate, raw, len, out, bound);
    if (n == 0) {
        free(out);
        return sh_fail(err, SH_EINTERNAL, "Flate compression failed");
    }
    unsigned char *shrunk = realloc(out, n); /* the bound is generous: give back the rest */
    sh_image *img = &c->page->image;
    img->enc = SH_ENC_FLATE;
    img->width = w;
    img->height = h;
    img->cs = cs;
    img->bpc = bpc;
    img->data = shrunk ? shrunk : out;
    img->len = n;
    return 0;
}

/* ---- the stage ------------------------------------------------------------------------ */

static int ingest_start(const sh_run *run, void **state, sh_error *err)
{
    (void)err;
    *state = (void *)run->opt;
    return 0;
}

static int ingest_thread_init(void *state, void **local, sh_error *err)
{
    const sh_options *o = state;
    ingest_local *l = calloc(1, sizeof *l);

    if (!l || !(l->deflate = libdeflate_alloc_compressor(o->flate_level))) {
        free(l);
        return sh_fail(err, SH_ENOMEM, "out of memory");
    }
    *local = l;
    return 0;
}

static int ingest_process(void *state, void *local, void *unit, sh_error *err)
{
    sh_page *p = unit;
    const sh_file *f = &p->dossier->files[p->file];
    ingest_ctx c = {.opt = state, .local = local, .file = f, .page = p};
    int rc;

    switch (f->kind) {
    case SH_FILE_TIFF: rc = sh_tiff_decode(&c, err); break;
    case SH_FILE_JPEG: rc = sh_jpeg_decode(&c, err); break;
    case SH_FILE_PNG: rc = sh_png_decode(&c, err); break;
    default: rc = sh_fail(err, SH_EFORMAT, "not an image");
    }
    if (rc == 0 && sh_keep_jpeg(&c) < 0)
        rc = sh_fail(err, SH_EFORMAT, "the JPEG data cannot be decoded");
    if (rc < 0) {
        sh_image_free(&p->image);
        sh_page_free_work(p);
        if (f->npages > 1)
            sh_error_prefix(err, "page %u of %s", p->src_page + 1, f->path);
        else
            sh_error_prefix(err, "%s", f->path);
    }
    return rc;
}

static void ingest_thread_done(void *state, void *local)
{
    ingest_local *l = local;
    (void)state;
    if (l)
        libdeflate_free_compressor(l->deflate);
    free(l);
}

const sh_stage sh_stage_ingest = {
    .name = "ingest",
    .unit = SH_UNIT_PAGE,
    .start = ingest_start,
    .thread_init = ingest_thread_init,
    .process = ingest_process,
    .thread_done = ingest_thread_done,
};
