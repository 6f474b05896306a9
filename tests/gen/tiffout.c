/* tiffout.c: writes pages as a scanner's TIFF would carry them: bilevel CCITT G4 in one
 * strip, 8-bit gray LZW with horizontal predictor, gray JPEG, RGB JPEG stored as YCbCr;
 * resolution in pixels per inch, one directory per page. Never touches pixel values except
 * to threshold a bilevel page at 50 %. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>

#include "gen.h"

const char *const gen_kind_names[KIND_COUNT] = {"g4", "lzw-gray", "jpeg-gray", "jpeg-rgb"};

struct gen_tiff {
    TIFF *t;
    char path[4096];
};

gen_tiff *tiff_create(const char *path, char *err, size_t errlen)
{
    gen_tiff *g = calloc(1, sizeof *g);
    if (!g) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    snprintf(g->path, sizeof g->path, "%s", path);
    g->t = TIFFOpen(path, "w");
    if (!g->t) {
        snprintf(err, errlen, "cannot create %s", path);
        free(g);
        return NULL;
    }
    return g;
}

/* 1 = black (min-is-white), rows padded to whole bytes, as G4 wants them. */
static uint8_t *bilevel(const gen_img *im, size_t *rowbytes)
{
    *rowbytes = ((size_t)im->w + 7) / 8;
    uint8_t *bits = calloc(*rowbytes * (size_t)im->h, 1);
    if (!bits)
        return NULL;
    for (int y = 0; y < im->h; y++) {
        const uint8_t *src = im->px + (size_t)y * (size_t)im->w;
        uint8_t *dst = bits + (size_t)y * *rowbytes;
        for (int x = 0; x < im->w; x++)
            if (src[x] < 128)
                dst[x >> 3] |= (uint8_t)(0x80 >> (x & 7));
    }
    return bits;
}

int tiff_add_page(gen_tiff *g, const gen_img *im, int kind, int dpi, int page, int npages,
                  char *err, size_t errlen)
{
    TIFF *t = g->t;
    int rgb = kind == KIND_JPEG_RGB;
    if ((rgb && im->ch != 3) || (!rgb && im->ch != 1)) {
        snprintf(err, errlen, "%s: page %d has %d channels for %s", g->path, page, im->ch,
                 gen_kind_names[kind]);
        return -1;
    }
    TIFFSetField(t, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
    TIFFSetField(t, TIFFTAG_PAGENUMBER, (uint16_t)(page - 1), (uint16_t)npages);
    TIFFSetField(t, TIFFTAG_IMAGEWIDTH, (uint32_t)im->w);
    TIFFSetField(t, TIFFTAG_IMAGELENGTH, (uint32_t)im->h);
    TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(t, TIFFTAG_XRESOLUTION, (float)dpi);
    TIFFSetField(t, TIFFTAG_YRESOLUTION, (float)dpi);
    TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
    TIFFSetField(t, TIFFTAG_SOFTWARE, "sohoa-gen");

    uint8_t *data = im->px, *bits = NULL;
    size_t rowbytes = (size_t)im->w * (size_t)im->ch;
    uint32_t rows = (uint32_t)im->h; /* one strip, except LZW */
    switch (kind) {
    case KIND_G4:
        if (!(bits = bilevel(im, &rowbytes))) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        data = bits;
        TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 1);
        TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1);
        TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
        TIFFSetField(t, TIFFTAG_FILLORDER, FILLORDER_MSB2LSB);
        TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX4);
        TIFFSetField(t, TIFFTAG_T6OPTIONS, 0);
        break;
    case KIND_LZW_GRAY:
        TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 8);
        TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1);
        TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
        TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_LZW);
        TIFFSetField(t, TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL);
        rows = (uint32_t)(256 * 1024 / rowbytes); /* strips of about 256 KiB */
        if (rows < 1)
            rows = 1;
        break;
    case KIND_JPEG_GRAY:
        TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 8);
        TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1);
        TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
        TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_JPEG);
        TIFFSetField(t, TIFFTAG_JPEGQUALITY, 75);
        break;
    default:
        TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 8);
        TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 3);
        TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_YCBCR);
        TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_JPEG);
        /* after COMPRESSION: the codec's pseudo-tags exist only once it is chosen */
        TIFFSetField(t, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
        TIFFSetField(t, TIFFTAG_JPEGQUALITY, 75);
        break;
    }
    TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, rows);

    int rc = 0;
    for (uint32_t y = 0, strip = 0; y < (uint32_t)im->h; y += rows, strip++) {
        uint32_t n = (uint32_t)im->h - y < rows ? (uint32_t)im->h - y : rows;
        /* the predictor differences the buffer in place: fine, the page is written once */
        if (TIFFWriteEncodedStrip(t, strip, data + (size_t)y * rowbytes, (tmsize_t)(n * rowbytes)) < 0) {
            rc = -1;
            break;
        }
    }
    if (rc == 0 && !TIFFWriteDirectory(t))
        rc = -1;
    free(bits);
    if (rc)
        snprintf(err, errlen, "%s: libtiff could not write page %d (disk full, or past the 4 GiB a TIFF holds?)",
                 g->path, page);
    return rc;
}

int tiff_finish(gen_tiff *g, char *err, size_t errlen)
{
    if (!g)
        return 0;
    int rc = 0;
    if (TIFFFlush(g->t) != 1) {
        snprintf(err, errlen, "%s: libtiff could not finish the file", g->path);
        rc = -1;
    }
    TIFFClose(g->t);
    free(g);
    return rc;
}
