/* pixels.c: the decoded page handed to clean and OCR as a Leptonica Pix, made from the
 * samples ingest decoded anyway, so no page is decoded twice. Only when a later stage
 * wants pixels (OCR on); the archived image never comes from here. */
#include <string.h>

#include <leptonica/allheaders.h>

#include "ingest_int.h"

bool sh_want_pixels(const ingest_ctx *c) { return c->opt->ocr; }

/* Copies packed rows into a Pix of depth 1 or 8: Leptonica keeps 32-bit words in host
 * order with the first pixel in the most significant byte, hence the swap. */
static PIX *from_rows(const unsigned char *rows, size_t stride, uint32_t w, uint32_t h, int d)
{
    PIX *pix = pixCreate((l_int32)w, (l_int32)h, d);
    if (!pix)
        return NULL;
    l_uint32 *data = pixGetData(pix);
    size_t wpl = (size_t)pixGetWpl(pix);
    size_t n = d == 1 ? (w + 7) / 8 : w;
    for (uint32_t y = 0; y < h; y++)
        memcpy(data + y * wpl, rows + y * stride, n);
    pixEndianByteSwap(pix);
    return pix;
}

int sh_keep_bilevel(ingest_ctx *c, const unsigned char *bits, size_t stride, uint32_t w,
                    uint32_t h, bool one_is_black)
{
    if (!sh_want_pixels(c) || c->page->pix)
        return 0;
    PIX *pix = from_rows(bits, stride, w, h, 1);
    if (!pix)
        return -1;
    if (!one_is_black)
        pixInvert(pix, pix);
    pixSetResolution(pix, (l_int32)(c->page->dpi_x + 0.5), (l_int32)(c->page->dpi_y + 0.5));
    c->page->pix = pix;
    return 0;
}

int sh_keep_samples(ingest_ctx *c, const unsigned char *raw, uint32_t w, uint32_t h,
                    sh_colorspace cs, unsigned bpc)
{
    if (!sh_want_pixels(c) || c->page->pix)
        return 0;
    size_t bytes = bpc / 8, px = (size_t)cs * bytes, stride = (size_t)w * px;
    PIX *pix = NULL;

    if (cs == SH_CS_GRAY && bpc == 8) {
        pix = from_rows(raw, stride, w, h, 8);
    } else if (cs == SH_CS_GRAY || cs == SH_CS_RGB) {
        /* 16-bit (big-endian: the high byte first) to 8 (CMYK never comes here: ingest
         * turned it into RGB) */
        pix = pixCreate((l_int32)w, (l_int32)h, cs == SH_CS_GRAY ? 8 : 32);
        if (!pix)
            return -1;
        l_uint32 *data = pixGetData(pix);
        l_int32 wpl = pixGetWpl(pix);
        for (uint32_t y = 0; y < h; y++) {
            const unsigned char *row = raw + y * stride;
            l_uint32 *line = data + (size_t)y * wpl;
            for (uint32_t x = 0; x < w; x++) {
                const unsigned char *s = row + x * px;
                if (cs == SH_CS_GRAY)
                    SET_DATA_BYTE(line, x, s[0]);
                else
                    composeRGBPixel(s[0], s[bytes], s[2 * bytes], line + x);
            }
        }
    }
    if (!pix)
        return -1;
    pixSetResolution(pix, (l_int32)(c->page->dpi_x + 0.5), (l_int32)(c->page->dpi_y + 0.5));
    c->page->pix = pix;
    return 0;
}

int sh_keep_jpeg(ingest_ctx *c)
{
    sh_image *img = &c->page->image;
    if (!sh_want_pixels(c) || c->page->pix || img->enc != SH_ENC_DCT)
        return 0;
    PIX *pix = pixReadMemJpeg(img->data, img->len, 0, 1, NULL, 0);
    if (!pix)
        return -1;
    pixSetResolution(pix, (l_int32)(c->page->dpi_x + 0.5), (l_int32)(c->page->dpi_y + 0.5));
    c->page->pix = pix;
    return 0;
}
