/* jpeg.c: a JPEG file is one page, passed through as DCT untouched.
 * libjpeg reads the header (size, components, density, Adobe marker) to describe it
 * correctly; the pixels are decoded only when a later stage needs them. A CMYK JPEG is
 * the exception: it is decoded and coded again as an RGB one (sh_cmyk_to_rgb says why). */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

#include "ingest_int.h"

typedef struct jerr {
    struct jpeg_error_mgr mgr;
    jmp_buf jmp;
    char msg[JMSG_LENGTH_MAX];
} jerr;

static void on_error(j_common_ptr cinfo)
{
    jerr *e = (jerr *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, e->msg);
    longjmp(e->jmp, 1); /* libjpeg's documented way out; contained in this file */
}

static void on_message(j_common_ptr cinfo, int level) { (void)cinfo; (void)level; }

/* A codec's errors into e: the message kept, then a longjmp to e->jmp, which the caller
 * sets; warnings dropped. */
static struct jpeg_error_mgr *errors_to(jerr *e)
{
    jpeg_std_error(&e->mgr);
    e->mgr.error_exit = on_error;
    e->mgr.emit_message = on_message;
    e->msg[0] = '\0';
    return &e->mgr;
}

/* A CMYK JPEG as RGB, coded again as JPEG at --jpeg-quality: its source was lossy
 * already, and Flate would store a photograph at many times its size. adobe: the samples
 * are inverted, as Adobe's CMYK JPEGs (with their APP14 marker) store them. */
static int cmyk_as_rgb(ingest_ctx *c, bool adobe, sh_error *err)
{
    struct jpeg_decompress_struct info;
    jerr e;
    unsigned char *volatile cmyk = NULL;
    const sh_file *f = c->file;

    memset(&info, 0, sizeof info);
    info.err = errors_to(&e);
    if (setjmp(e.jmp)) {
        jpeg_destroy_decompress(&info);
        free(cmyk);
        return sh_fail(err, SH_EFORMAT, "not a readable JPEG (libjpeg: %s)", e.msg);
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, f->data, (unsigned long)f->len);
    jpeg_read_header(&info, TRUE);
    info.out_color_space = JCS_CMYK;
    jpeg_start_decompress(&info);
    uint32_t w = info.output_width, h = info.output_height;
    size_t stride = (size_t)w * 4;
    if (info.output_components != 4) { /* libjpeg gives CMYK as four, or fails */
        jpeg_destroy_decompress(&info);
        return sh_fail(err, SH_EFORMAT, "a JPEG with %d colour components",
                       info.output_components);
    }
    if (!(cmyk = malloc(stride * h + 1))) {
        jpeg_destroy_decompress(&info);
        return sh_fail(err, SH_ENOMEM, "out of memory for a %ux%u image", w, h);
    }
    while (info.output_scanline < h) {
        JSAMPROW row = (JSAMPROW)(cmyk + info.output_scanline * stride);
        jpeg_read_scanlines(&info, &row, 1);
    }
    jpeg_finish_decompress(&info);
    jpeg_destroy_decompress(&info);

    unsigned char *rgb = sh_cmyk_to_rgb(cmyk, w, h, 8, adobe);
    free(cmyk);
    int rc = !rgb || sh_keep_samples(c, rgb, w, h, SH_CS_RGB, 8) < 0
                 ? sh_fail(err, SH_ENOMEM, "out of memory for a %ux%u image", w, h)
                 : sh_image_encode_jpeg(&c->page->image, rgb, w, h, SH_CS_RGB,
                                        c->opt->jpeg_quality, err);
    free(rgb);
    if (rc == 0)
        c->page->codec = "jpeg: cmyk, archived as rgb";
    return rc;
}

int sh_jpeg_decode(ingest_ctx *c, sh_error *err)
{
    struct jpeg_decompress_struct info;
    jerr e;
    sh_page *p = c->page;
    const sh_file *f = c->file;

    memset(&info, 0, sizeof info);
    info.err = errors_to(&e);
    if (setjmp(e.jmp)) {
        jpeg_destroy_decompress(&info);
        return sh_fail(err, SH_EFORMAT, "not a readable JPEG (libjpeg: %s)", e.msg);
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, f->data, (unsigned long)f->len);
    jpeg_save_markers(&info, JPEG_APP0 + 14, 0xFFFF);
    jpeg_read_header(&info, TRUE);

    uint32_t w = info.image_width, h = info.image_height;
    int comps = info.num_components;
    double dx = 0, dy = 0;
    if (info.saw_JFIF_marker && info.X_density && info.Y_density) {
        if (info.density_unit == 1) {
            dx = info.X_density;
            dy = info.Y_density;
        } else if (info.density_unit == 2) {
            dx = info.X_density * 2.54;
            dy = info.Y_density * 2.54;
        }
    }
    bool adobe = info.saw_Adobe_marker;
    int transform = info.Adobe_transform;
    jpeg_destroy_decompress(&info);

    p->codec = "jpeg";
    sh_page_set_dpi(c, dx, dy);
    if (sh_check_pixels(c, w, h, err) < 0)
        return -1;
    if (comps != 1 && comps != 3 && comps != 4)
        return sh_fail(err, SH_EUNSUPPORTED, "a JPEG with %d colour components", comps);
    if (comps == 4)
        return cmyk_as_rgb(c, adobe, err);

    sh_image *img = &p->image;
    if (!(img->data = malloc(f->len)))
        return sh_fail(err, SH_ENOMEM, "out of memory");
    memcpy(img->data, f->data, f->len);
    img->len = f->len;
    img->enc = SH_ENC_DCT;
    img->width = w;
    img->height = h;
    img->bpc = 8;
    img->cs = comps == 1 ? SH_CS_GRAY : SH_CS_RGB;
    img->dct_no_transform = comps == 3 && adobe && transform == 0;
    return 0;
}

bool sh_jpeg_is(const unsigned char *data, size_t len, uint32_t w, uint32_t h, int comps)
{
    struct jpeg_decompress_struct info;
    jerr e;
    volatile bool same = false;

    memset(&info, 0, sizeof info);
    info.err = errors_to(&e);
    if (setjmp(e.jmp)) {
        jpeg_destroy_decompress(&info);
        return false;
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, data, (unsigned long)len);
    jpeg_read_header(&info, TRUE);
    same = info.image_width == w && info.image_height == h && info.num_components == comps;
    jpeg_destroy_decompress(&info);
    return same;
}

/* Lossy on request only (--jpeg, --deskew-image): 8-bit gray or RGB samples as a baseline
 * JPEG. */
int sh_image_encode_jpeg(sh_image *img, const unsigned char *raw, uint32_t w, uint32_t h,
                         sh_colorspace cs, int quality, sh_error *err)
{
    struct jpeg_compress_struct info;
    jerr e;
    unsigned char *volatile out = NULL;
    unsigned long len = 0;

    memset(&info, 0, sizeof info);
    info.err = errors_to(&e);
    if (setjmp(e.jmp)) {
        jpeg_destroy_compress(&info);
        free(out);
        return sh_fail(err, SH_EINTERNAL, "JPEG encoding failed (libjpeg: %s)", e.msg);
    }
    jpeg_create_compress(&info);
    jpeg_mem_dest(&info, (unsigned char **)&out, &len);
    info.image_width = w;
    info.image_height = h;
    info.input_components = cs == SH_CS_GRAY ? 1 : 3;
    info.in_color_space = cs == SH_CS_GRAY ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, quality, TRUE);
    jpeg_start_compress(&info, TRUE);
    size_t stride = (size_t)w * info.input_components;
    while (info.next_scanline < h) {
        JSAMPROW row = (JSAMPROW)(raw + info.next_scanline * stride);
        jpeg_write_scanlines(&info, &row, 1);
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);

    img->enc = SH_ENC_DCT;
    img->width = w;
    img->height = h;
    img->bpc = 8;
    img->cs = cs;
    img->data = out;
    img->len = len;
    return 0;
}
