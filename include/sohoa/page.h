/* page.h: one scanned page on its way through the pipeline, and the image it carries.
 *
 * Ownership: a page lives inside its dossier's page array. The stage that is processing a
 * page owns its buffers until it returns; the PDF stage consumes `image` (frees its data),
 * and the dossier frees whatever is left. Pixel buffers are large: lend, never copy.
 */
#ifndef SOHOA_PAGE_H
#define SOHOA_PAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sohoa/error.h"

struct Pix; /* Leptonica */
struct sh_dossier;

/* How the archived raster is coded in the PDF. Only lossless recodings or pass-through. */
typedef enum sh_encoding {
    SH_ENC_NONE = 0,
    SH_ENC_CCITT, /* CCITT G3/G4 data, passed through or re-encoded G4 */
    SH_ENC_DCT,   /* a complete JPEG stream, passed through untouched */
    SH_ENC_FLATE, /* zlib-compressed samples, row by row, no predictor */
} sh_encoding;

typedef enum sh_colorspace {
    SH_CS_GRAY = 1,
    SH_CS_RGB = 3,
    SH_CS_CMYK = 4,
} sh_colorspace;

typedef struct sh_image {
    sh_encoding enc;
    uint32_t width, height;   /* pixels, as stored */
    unsigned bpc;             /* bits per component: 1, 8 or 16 */
    sh_colorspace cs;
    /* CCITT parameters (PDF CCITTFaxDecode): K < 0 is G4, 0 is G3 1-D, > 0 G3 2-D. */
    int ccitt_k;
    bool ccitt_black_is_1;
    bool ccitt_byte_align;
    /* DCT: the JPEG holds RGB (not YCbCr). */
    bool dct_no_transform;
    unsigned char *data;      /* owned; malloc'd */
    size_t len;
} sh_image;

/* One recognised word. Coordinates are in the OCR image (see sh_geometry), y down. */
typedef struct sh_word {
    char *text;            /* UTF-8, NFC */
    float conf;            /* 0..100 */
    int box[4];            /* left, top, right, bottom */
    float base[4];         /* its line's baseline: x1, y1, x2, y2 */
    float line_height;     /* its line's height */
    bool line_start;       /* first word of a text line */
    bool para_start;       /* first word of a paragraph (and so of a line) */
} sh_word;

/* How the OCR image was made from the stored raster, so words can be put back onto the
 * scan: scale, a left-right flip, quarter turns clockwise, a small rotation about the
 * centre, in that order. */
typedef struct sh_geometry {
    double scale;          /* OCR pixels per stored pixel */
    bool mirror;           /* flipped left-right (a mirroring TIFF Orientation tag) */
    int quarter_turns;     /* 0..3, clockwise */
    double deskew_rad;     /* clockwise, after the turns */
    uint32_t width, height; /* the OCR image */
} sh_geometry;

/* What a page says about itself that a person must hear about (run summary + catalog). */
enum sh_page_flag {
    SH_PAGE_DPI_ASSUMED = 1 << 0, /* no or absurd resolution: 300 dpi assumed */
    SH_PAGE_LOW_DPI = 1 << 1,     /* under the 200 dpi input standard */
    SH_PAGE_BILEVEL = 1 << 2,     /* 1-bit: not "colour" in the sense of the input standard */
};

typedef struct sh_page {
    struct sh_dossier *dossier;
    unsigned index;        /* 0-based position in the dossier */
    unsigned file;         /* which of the dossier's files it comes from */
    unsigned src_page;     /* 0-based page (TIFF directory) within that file */
    uint64_t tiff_diroff;  /* offset of its TIFF directory, found once by the allocator */

    double dpi_x, dpi_y;   /* as used for the page size */
    unsigned flags;        /* enum sh_page_flag */
    int orientation;       /* TIFF Orientation 1..8 (1 = top-left, as scanned) */

    sh_image image;        /* the raster as archived */
    struct Pix *pix;       /* decoded pixels for clean/OCR; NULL when no stage needs them */
    const char *codec;     /* human name of the source coding, e.g. "tiff/ccitt-g4" */

    /* Learned by clean. */
    int rotate;            /* degrees clockwise that make the page upright: 0/90/180/270 */
    float orient_conf;
    double skew_deg;       /* the text lines' slope as scanned */
    float skew_conf;
    bool blank;            /* a separator sheet: no text, whatever the scanner added */
    float ink;             /* fraction of dark pixels inside the margins */
    unsigned components;   /* connected components inside the margins */
    struct Pix *ocr_pix;   /* upright, straight, cleaned copy for the recogniser */
    sh_geometry geom;      /* how ocr_pix relates to the stored raster */

    /* Learned by ocr. */
    sh_word *words;
    size_t nwords;
    float mean_conf;       /* mean word confidence, 0..100; -1 when not recognised */
} sh_page;

/* Codes pixels into img (whose data it replaces; the caller frees the old): 1-bit rows
 * (1 = black, MSB first, stride bytes per row) as CCITT G4, 8-bit gray or RGB samples as a
 * baseline JPEG of the given quality. */
int sh_image_encode_g4(sh_image *img, const unsigned char *bits, size_t stride, uint32_t w,
                       uint32_t h, sh_error *err);
int sh_image_encode_jpeg(sh_image *img, const unsigned char *raw, uint32_t w, uint32_t h,
                         sh_colorspace cs, int quality, sh_error *err);

/* Maps a point of the OCR image back onto the stored raster (pixels, y down). */
void sh_geometry_to_raster(const sh_geometry *g, uint32_t raster_w, uint32_t raster_h,
                           double u, double v, double *x, double *y);
void sh_page_free_work(sh_page *p); /* pixels and words: all but the archived image */

/* The recognised text: words joined by spaces, a line per text line (malloc'd; NULL when
 * out of memory). */
char *sh_page_text(const sh_page *p);
/* The words for the catalog, one per line: text, confidence and box on the stored scan
 * (pixels, y down): "word\tconf\tx0\ty0\tx1\ty1\n". */
char *sh_page_words_tsv(const sh_page *p);

/* Page size in PDF points (1/72 in) at 100 % scale, orientation applied. */
void sh_page_size_pt(const sh_page *p, double *w_pt, double *h_pt);

void sh_image_free(sh_image *img);

#endif
