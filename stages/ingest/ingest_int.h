/* ingest_int.h: the pieces of the ingest stage, one file per input format, and the
 * encoders they share. Nothing outside stages/ingest/ includes this. */
#ifndef SOHOA_INGEST_INT_H
#define SOHOA_INGEST_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sohoa/dossier.h"
#include "sohoa/error.h"
#include "sohoa/options.h"
#include "sohoa/page.h"

/* Per-worker scratch, reused page after page. */
typedef struct ingest_local {
    struct libdeflate_compressor *deflate;
    int deflate_level;
} ingest_local;

typedef struct ingest_ctx {
    const sh_options *opt;
    ingest_local *local;
    const sh_file *file;
    sh_page *page;
} ingest_ctx;

int sh_tiff_decode(ingest_ctx *c, sh_error *err);
int sh_jpeg_decode(ingest_ctx *c, sh_error *err);
int sh_png_decode(ingest_ctx *c, sh_error *err);

/* Whether the JPEG stream in data is w x h with comps components, as the file that holds
 * it says: a TIFF's tags are not taken on trust before its JPEG is passed through. */
bool sh_jpeg_is(const unsigned char *data, size_t len, uint32_t w, uint32_t h, int comps);

/* Sets page dpi from what the file says (0 = nothing), applying the defaults and flags. */
void sh_page_set_dpi(ingest_ctx *c, double x, double y);
/* Refuses images over the pixel limit. */
int sh_check_pixels(ingest_ctx *c, uint32_t w, uint32_t h, sh_error *err);

/* CMYK samples (8 or 16 bits) as 8-bit RGB (malloc'd; NULL: out of memory), as viewers
 * show CMYK that has no profile (a press's inks). inverted: the samples are 255 - ink
 * (Adobe's CMYK JPEGs). No CMYK page is archived as CMYK: PDF/A-2b allows
 * DeviceCMYK only under a CMYK output intent (ours is sRGB, for every page), and Debian
 * has no freely licensed CMYK profile to make one of. */
unsigned char *sh_cmyk_to_rgb(const unsigned char *cmyk, uint32_t w, uint32_t h, unsigned bpc,
                              bool inverted);

/* Stores raw samples into page->image: Flate, or JPEG when the user asked for it (--jpeg)
 * and the samples are 8-bit gray or RGB; CMYK as RGB (sh_cmyk_to_rgb). raw stays the
 * caller's. */
int sh_encode_samples(ingest_ctx *c, const unsigned char *raw, size_t len, uint32_t w,
                    uint32_t h, sh_colorspace cs, unsigned bpc, sh_error *err);

/* Pixels for clean and OCR (pixels.c), made only when OCR is on. */
bool sh_want_pixels(const ingest_ctx *c);
int sh_keep_bilevel(ingest_ctx *c, const unsigned char *bits, size_t stride, uint32_t w,
                    uint32_t h, bool one_is_black);
int sh_keep_samples(ingest_ctx *c, const unsigned char *raw, uint32_t w, uint32_t h,
                    sh_colorspace cs, unsigned bpc);
int sh_keep_jpeg(ingest_ctx *c);

/* A libtiff handle over a memory buffer; errors and warnings go to *msg. */
typedef struct memtiff memtiff;
struct tiff;
struct tiff *sh_memtiff_open(const unsigned char *data, size_t len, const char *name,
                             char *msg, size_t msglen);
void sh_memtiff_close(struct tiff *tif);
/* The page whose directory is at diroff, opened in O(1) whatever the page count. */
struct tiff *sh_memtiff_open_page(const unsigned char *data, size_t len, uint64_t diroff,
                                  const char *name, char *msg, size_t msglen);

#endif
