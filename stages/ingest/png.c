/* png.c: a PNG file is one page, decoded with libpng and stored as Flate, samples
 * unchanged: palettes expand to RGB, 16-bit stays 16-bit, alpha is dropped (a scan has
 * no transparency worth keeping), sub-byte gray widens to 8 bits. */
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

#include "ingest_int.h"

typedef struct reader {
    const unsigned char *data;
    size_t len, pos;
    char msg[256];
} reader;

static void read_fn(png_structp png, png_bytep out, png_size_t n)
{
    reader *r = png_get_io_ptr(png);
    if (n > r->len - r->pos)
        png_error(png, "the file ends early (truncated)");
    memcpy(out, r->data + r->pos, n);
    r->pos += n;
}

static void on_error(png_structp png, png_const_charp msg)
{
    reader *r = png_get_error_ptr(png);
    snprintf(r->msg, sizeof r->msg, "%s", msg);
    png_longjmp(png, 1); /* libpng's documented way out; contained in this file */
}

static void on_warning(png_structp png, png_const_charp msg) { (void)png; (void)msg; }

int sh_png_decode(ingest_ctx *c, sh_error *err)
{
    reader r = {.data = c->file->data, .len = c->file->len};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &r, on_error, on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    unsigned char *volatile raw = NULL;
    png_bytep *volatile rows = NULL;
    int rc = -1;

    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        return sh_fail(err, SH_ENOMEM, "out of memory");
    }
    if (setjmp(png_jmpbuf(png))) {
        sh_fail(err, SH_EFORMAT, "not a readable PNG (libpng: %s)", r.msg);
        goto out;
    }
    png_set_read_fn(png, &r, read_fn);
    png_read_info(png, info);

    png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
    int type = png_get_color_type(png, info), depth = png_get_bit_depth(png, info);
    png_uint_32 rx = 0, ry = 0;
    int unit = 0;
    if (png_get_pHYs(png, info, &rx, &ry, &unit) && unit == PNG_RESOLUTION_METER)
        sh_page_set_dpi(c, rx * 0.0254, ry * 0.0254);
    else
        sh_page_set_dpi(c, 0, 0);
    c->page->codec = "png";
    if (sh_check_pixels(c, w, h, err) < 0)
        goto out;

    if (type == PNG_COLOR_TYPE_PALETTE)
        png_set_palette_to_rgb(png);
    if (type == PNG_COLOR_TYPE_GRAY && depth < 8)
        png_set_expand_gray_1_2_4_to_8(png);
    png_set_strip_alpha(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);

    int channels = png_get_channels(png, info);
    int bpc = png_get_bit_depth(png, info);
    size_t rb = png_get_rowbytes(png, info);
    if (!(raw = malloc(rb * h)) || !(rows = malloc(h * sizeof *rows))) {
        sh_fail(err, SH_ENOMEM, "out of memory for a %ux%u PNG", (unsigned)w, (unsigned)h);
        goto out;
    }
    for (png_uint_32 y = 0; y < h; y++)
        rows[y] = raw + y * rb;
    png_read_image(png, rows);
    png_read_end(png, NULL);
    /* PNG samples are big-endian, as PDF wants them. */
    rc = sh_encode_samples(c, raw, rb * h, w, h, channels == 1 ? SH_CS_GRAY : SH_CS_RGB,
                         (unsigned)bpc, err);
out:
    png_destroy_read_struct(&png, &info, NULL);
    free(raw);
    free(rows);
    return rc;
}
