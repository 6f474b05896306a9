/* tiff.c: one TIFF page (directory) into an archivable image, losslessly.
 *
 * G4 single-strip pages and single-strip JPEG pages pass through as coded; other bilevel
 * pages are re-encoded G4; 8/16-bit gray, RGB and CMYK are stored as Flate; anything else
 * libtiff can decode (palette, old-style JPEG, LogLuv, 2/4-bit, subsampled YCbCr) goes
 * through libtiff's RGBA reader. Every page is decoded once, so damage is found here,
 * not by the reader of the archived PDF.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>

#include "ingest_int.h"

typedef struct tiff_info {
    uint32_t w, h;
    uint16_t bps, spp, photometric, compression, planar, fillorder, sampleformat, orientation;
    uint16_t extra; /* extra samples (alpha) after the colour ones */
    uint16_t inkset;
    int tiled;
} tiff_info;

static void read_info(TIFF *tif, tiff_info *t)
{
    uint16_t *extra_types = NULL;

    memset(t, 0, sizeof *t);
    TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &t->w);
    TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &t->h);
    TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &t->bps);
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &t->spp);
    TIFFGetFieldDefaulted(tif, TIFFTAG_COMPRESSION, &t->compression);
    TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &t->planar);
    TIFFGetFieldDefaulted(tif, TIFFTAG_FILLORDER, &t->fillorder);
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLEFORMAT, &t->sampleformat);
    TIFFGetFieldDefaulted(tif, TIFFTAG_ORIENTATION, &t->orientation);
    TIFFGetFieldDefaulted(tif, TIFFTAG_EXTRASAMPLES, &t->extra, &extra_types);
    TIFFGetFieldDefaulted(tif, TIFFTAG_INKSET, &t->inkset);
    if (!TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &t->photometric))
        t->photometric = t->spp >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISWHITE;
    t->tiled = TIFFIsTiled(tif);
    if (t->orientation < 1 || t->orientation > 8)
        t->orientation = ORIENTATION_TOPLEFT;
}

static double resolution_dpi(TIFF *tif, ttag_t tag)
{
    float v = 0;
    uint16_t unit = RESUNIT_INCH;

    if (!TIFFGetField(tif, tag, &v))
        return 0;
    TIFFGetFieldDefaulted(tif, TIFFTAG_RESOLUTIONUNIT, &unit);
    if (unit == RESUNIT_CENTIMETER)
        return v * 2.54;
    if (unit == RESUNIT_NONE) /* an aspect ratio, not a resolution */
        return 0;
    return v;
}

static const char *codec_name(uint16_t compression)
{
    switch (compression) {
    case COMPRESSION_NONE: return "tiff/none";
    case COMPRESSION_CCITTRLE: return "tiff/ccitt-rle";
    case COMPRESSION_CCITTFAX3: return "tiff/ccitt-g3";
    case COMPRESSION_CCITTFAX4: return "tiff/ccitt-g4";
    case COMPRESSION_LZW: return "tiff/lzw";
    case COMPRESSION_OJPEG: return "tiff/old-jpeg";
    case COMPRESSION_JPEG: return "tiff/jpeg";
    case COMPRESSION_ADOBE_DEFLATE:
    case COMPRESSION_DEFLATE: return "tiff/deflate";
    case COMPRESSION_PACKBITS: return "tiff/packbits";
    case COMPRESSION_LZMA: return "tiff/lzma";
    case COMPRESSION_ZSTD: return "tiff/zstd";
    case COMPRESSION_WEBP: return "tiff/webp";
    case COMPRESSION_SGILOG:
    case COMPRESSION_SGILOG24: return "tiff/logluv";
    case COMPRESSION_JBIG: return "tiff/jbig";
    }
    return "tiff/other";
}

/* Decodes every sample of the page into one interleaved, top-down raster
 * (spp samples per pixel, bps bits each, rows padded to whole bytes). */
static unsigned char *read_samples(TIFF *tif, const tiff_info *t, size_t *row_bytes,
                                   const char **why)
{
    size_t bits_per_pixel = (size_t)t->bps * t->spp;
    size_t rb = ((size_t)t->w * bits_per_pixel + 7) / 8;
    unsigned char *out = malloc(rb * t->h + 1);
    unsigned char *chunk = NULL;
    unsigned planes = t->planar == PLANARCONFIG_SEPARATE ? t->spp : 1;

    *why = "libtiff could not decode the image data";
    if (!out) {
        *why = "out of memory";
        return NULL;
    }
    if (planes > 1 && t->bps % 8) {
        *why = "planar images with sub-byte samples are not supported";
        goto fail;
    }
    chunk = malloc(t->tiled ? (size_t)TIFFTileSize(tif) : (size_t)TIFFStripSize(tif));
    if (!chunk) {
        *why = "out of memory";
        goto fail;
    }
    size_t bytes_per_sample = t->bps / 8;
    for (unsigned plane = 0; plane < planes; plane++) {
        if (!t->tiled) {
            uint32_t rps = 0;
            TIFFGetFieldDefaulted(tif, TIFFTAG_ROWSPERSTRIP, &rps);
            if (rps == 0 || rps > t->h)
                rps = t->h;
            for (uint32_t y = 0; y < t->h; y += rps) {
                uint32_t rows = t->h - y < rps ? t->h - y : rps;
                tstrip_t s = TIFFComputeStrip(tif, y, (tsample_t)plane);
                size_t prow = planes > 1 ? (size_t)t->w * bytes_per_sample : rb;
                if (TIFFReadEncodedStrip(tif, s, chunk, (tmsize_t)(prow * rows)) < 0)
                    goto fail;
                for (uint32_t r = 0; r < rows; r++) {
                    unsigned char *dst = out + (size_t)(y + r) * rb;
                    const unsigned char *src = chunk + r * prow;
                    if (planes == 1) {
                        memcpy(dst, src, rb);
                        continue;
                    }
                    for (uint32_t x = 0; x < t->w; x++)
                        memcpy(dst + ((size_t)x * t->spp + plane) * bytes_per_sample,
                               src + (size_t)x * bytes_per_sample, bytes_per_sample);
                }
            }
        } else {
            uint32_t tw = 0, th = 0;
            TIFFGetField(tif, TIFFTAG_TILEWIDTH, &tw);
            TIFFGetField(tif, TIFFTAG_TILELENGTH, &th);
            if (!tw || !th || (bits_per_pixel % 8 && planes == 1 && ((size_t)tw * bits_per_pixel) % 8)) {
                *why = "unusual tile geometry";
                goto fail;
            }
            size_t px_bytes = planes > 1 ? bytes_per_sample : bits_per_pixel / 8;
            size_t trow = planes > 1 ? (size_t)tw * bytes_per_sample
                                     : ((size_t)tw * bits_per_pixel + 7) / 8;
            for (uint32_t ty = 0; ty < t->h; ty += th)
                for (uint32_t tx = 0; tx < t->w; tx += tw) {
                    if (TIFFReadTile(tif, chunk, tx, ty, 0, (tsample_t)plane) < 0)
                        goto fail;
                    uint32_t rows = t->h - ty < th ? t->h - ty : th;
                    uint32_t cols = t->w - tx < tw ? t->w - tx : tw;
                    for (uint32_t r = 0; r < rows; r++) {
                        unsigned char *dst = out + (size_t)(ty + r) * rb;
                        const unsigned char *src = chunk + r * trow;
                        if (planes == 1) {
                            if (bits_per_pixel % 8) { /* whole bytes only (checked above) */
                                memcpy(dst + (size_t)tx * bits_per_pixel / 8, src,
                                       ((size_t)cols * bits_per_pixel + 7) / 8);
                            } else {
                                memcpy(dst + (size_t)tx * px_bytes, src, (size_t)cols * px_bytes);
                            }
                            continue;
                        }
                        for (uint32_t x = 0; x < cols; x++)
                            memcpy(dst + ((size_t)(tx + x) * t->spp + plane) * bytes_per_sample,
                                   src + (size_t)x * bytes_per_sample, bytes_per_sample);
                    }
                }
        }
    }
    free(chunk);
    *row_bytes = rb;
    return out;
fail:
    free(chunk);
    free(out);
    return NULL;
}

static void fail_decode(ingest_ctx *c, sh_error *err, const char *why, const char *libmsg)
{
    if (libmsg && libmsg[0])
        sh_fail(err, SH_EFORMAT, "%s (libtiff: %s)", why, libmsg);
    else
        sh_fail(err, SH_EFORMAT, "%s", why);
    (void)c;
}

/* Bilevel: pass single-strip G4 through after checking it decodes; re-encode the rest. */
static int do_bilevel(ingest_ctx *c, TIFF *tif, const tiff_info *t, const char *msg,
                      sh_error *err)
{
    const char *why;
    size_t rb;
    unsigned char *bits = read_samples(tif, t, &rb, &why);

    if (!bits) {
        fail_decode(c, err, why, msg);
        return -1;
    }
    if (sh_keep_bilevel(c, bits, rb, t->w, t->h, t->photometric != PHOTOMETRIC_MINISBLACK) < 0) {
        free(bits);
        return sh_fail(err, SH_ENOMEM, "out of memory for a %ux%u image", t->w, t->h);
    }
    bool passthrough = t->compression == COMPRESSION_CCITTFAX4 && !t->tiled &&
                       TIFFNumberOfStrips(tif) == 1 && t->fillorder == FILLORDER_MSB2LSB;
    if (passthrough) {
        uint64_t *counts = NULL;
        tmsize_t n = -1;
        unsigned char *raw = NULL;
        /* a byte count is a claim: no strip is bigger than the file it is in (the fuzzer
         * found a 1 KB file asking for 4 GB) */
        if (TIFFGetField(tif, TIFFTAG_STRIPBYTECOUNTS, &counts) && counts && counts[0] > 0 &&
            counts[0] <= c->file->len && (raw = malloc(counts[0])))
            n = TIFFReadRawStrip(tif, 0, raw, (tmsize_t)counts[0]);
        if (n > 0 && (uint64_t)n == counts[0]) {
            sh_image *img = &c->page->image;
            free(bits);
            img->enc = SH_ENC_CCITT;
            img->width = t->w;
            img->height = t->h;
            img->bpc = 1;
            img->cs = SH_CS_GRAY;
            img->ccitt_k = -1;
            /* The coded "black" runs are the 1 samples; under MinIsBlack those are white. */
            img->ccitt_black_is_1 = t->photometric == PHOTOMETRIC_MINISBLACK;
            img->data = raw;
            img->len = (size_t)n;
            return 0;
        }
        free(raw);
    }
    if (t->photometric == PHOTOMETRIC_MINISBLACK) /* the encoder wants 1 = black */
        for (size_t i = 0; i < rb * t->h; i++)
            bits[i] = (unsigned char)~bits[i];
    int rc = sh_image_encode_g4(&c->page->image, bits, rb, t->w, t->h, err);
    free(bits);
    return rc;
}

/* JPEG-in-TIFF in one strip: tables + strip make a complete JPEG file, passed as DCT. */
static int do_jpeg_passthrough(ingest_ctx *c, TIFF *tif, const tiff_info *t, sh_error *err)
{
    uint32_t tlen = 0;
    const unsigned char *tables = NULL;
    uint64_t *counts = NULL;
    unsigned char *strip = NULL, *jpeg = NULL;
    tmsize_t n;

    if (!TIFFGetField(tif, TIFFTAG_STRIPBYTECOUNTS, &counts) || !counts || counts[0] < 4 ||
        counts[0] > c->file->len) /* a claim bigger than the file is a lie */
        return 1;
    if (!(strip = malloc(counts[0])))
        return sh_fail(err, SH_ENOMEM, "out of memory");
    n = TIFFReadRawStrip(tif, 0, strip, (tmsize_t)counts[0]);
    if (n < 4 || (uint64_t)n != counts[0] || strip[0] != 0xFF || strip[1] != 0xD8) {
        free(strip);
        return 1; /* not a plain JPEG stream: let the decoder path handle it */
    }
    if (!TIFFGetField(tif, TIFFTAG_JPEGTABLES, &tlen, &tables) || tlen < 4)
        tlen = 0;
    /* tables = SOI ... EOI; drop their EOI and the strip's SOI */
    size_t len = tlen ? (tlen - 2) + ((size_t)n - 2) : (size_t)n;
    if (!(jpeg = malloc(len))) {
        free(strip);
        return sh_fail(err, SH_ENOMEM, "out of memory");
    }
    if (tlen) {
        memcpy(jpeg, tables, tlen - 2);
        memcpy(jpeg + tlen - 2, strip + 2, (size_t)n - 2);
    } else {
        memcpy(jpeg, strip, len);
    }
    free(strip);
    if (!sh_jpeg_is(jpeg, len, t->w, t->h, t->spp)) {
        free(jpeg); /* its tags say otherwise (a CMYK stream under RGB tags): decoded then */
        return 1;
    }

    sh_image *img = &c->page->image;
    img->enc = SH_ENC_DCT;
    img->width = t->w;
    img->height = t->h;
    img->bpc = 8;
    img->cs = t->spp == 1 ? SH_CS_GRAY : SH_CS_RGB;
    img->dct_no_transform = t->photometric == PHOTOMETRIC_RGB;
    img->data = jpeg;
    img->len = len;
    return 0;
}

/* Widens packed samples of odd sizes (2, 4, 12 bits) to 8 or 16 bits, values scaled so
 * white stays white: v * (2^out - 1) / (2^in - 1). Lossless: every value stays distinct. */
static unsigned char *widen(const unsigned char *raw, size_t rb, uint32_t w, uint32_t h,
                            unsigned spp, unsigned bps, unsigned *out_bps)
{
    unsigned ob = bps < 8 ? 8 : 16;
    size_t n = (size_t)w * spp, ob_bytes = ob / 8;
    unsigned char *out = malloc(n * h * ob_bytes + 1);
    uint32_t in_max = (1u << bps) - 1, out_max = (1u << ob) - 1;

    if (!out)
        return NULL;
    for (uint32_t y = 0; y < h; y++) {
        const unsigned char *row = raw + (size_t)y * rb;
        unsigned char *dst = out + (size_t)y * n * ob_bytes;
        size_t bit = 0;
        for (size_t i = 0; i < n; i++) {
            uint32_t v = 0;
            for (unsigned b = 0; b < bps; b++, bit++)
                v = v << 1 | ((row[bit >> 3] >> (7 - (bit & 7))) & 1);
            v = (uint32_t)(((uint64_t)v * out_max + in_max / 2) / in_max);
            if (ob == 8) {
                dst[i] = (unsigned char)v;
            } else { /* already big-endian, as PDF wants */
                dst[2 * i] = (unsigned char)(v >> 8);
                dst[2 * i + 1] = (unsigned char)v;
            }
        }
    }
    *out_bps = ob;
    return out;
}

/* Gray, RGB, CMYK of 2-16 bits: samples as they are (odd sizes widened), extra samples
 * dropped, Flate. */
static int do_samples(ingest_ctx *c, TIFF *tif, const tiff_info *t, const char *msg,
                      sh_error *err)
{
    const char *why;
    size_t rb;
    unsigned colour = t->spp - t->extra, bpc = t->bps;
    unsigned char *raw = read_samples(tif, t, &rb, &why);

    if (!raw) {
        fail_decode(c, err, why, msg);
        return -1;
    }
    if (bpc != 8 && bpc != 16) {
        unsigned char *wide = widen(raw, rb, t->w, t->h, t->spp, t->bps, &bpc);
        free(raw);
        if (!(raw = wide))
            return sh_fail(err, SH_ENOMEM, "out of memory for a %ux%u image", t->w, t->h);
        rb = (size_t)t->w * t->spp * (bpc / 8);
    } else if (bpc == 16) {
        /* libtiff hands 16-bit samples in host order; PDF wants big-endian */
        for (size_t i = 0; i + 1 < rb * t->h; i += 2) {
            uint16_t v;
            memcpy(&v, raw + i, 2);
            raw[i] = (unsigned char)(v >> 8);
            raw[i + 1] = (unsigned char)v;
        }
    }
    size_t bytes = bpc / 8, out_px = colour * bytes, in_px = (size_t)t->spp * bytes;
    size_t out_rb = (size_t)t->w * out_px;
    /* Compact in place: drop extra samples. */
    for (uint32_t y = 0; y < t->h; y++) {
        unsigned char *src = raw + (size_t)y * rb, *dst = raw + (size_t)y * out_rb;
        for (uint32_t x = 0; x < t->w; x++)
            memmove(dst + x * out_px, src + x * in_px, out_px);
    }
    size_t total = out_rb * t->h;
    if (t->photometric == PHOTOMETRIC_MINISWHITE)
        for (size_t i = 0; i < total; i++)
            raw[i] = (unsigned char)~raw[i];
    sh_colorspace cs = colour == 1 ? SH_CS_GRAY : colour == 3 ? SH_CS_RGB : SH_CS_CMYK;
    int rc = sh_encode_samples(c, raw, total, t->w, t->h, cs, bpc, err);
    free(raw);
    return rc;
}

/* Whatever else libtiff can decode, through its RGBA reader: 8-bit RGB (or gray when every
 * pixel is gray, which keeps palette-gray and 2/4-bit gray pages small). */
static int do_rgba(ingest_ctx *c, TIFF *tif, const tiff_info *t, const char *msg,
                   sh_error *err)
{
    char emsg[1024] = "";
    TIFFRGBAImage ri;
    uint32_t *px = NULL;
    int rc = -1;

    if (!TIFFRGBAImageOK(tif, emsg)) {
        return sh_fail(err, SH_EUNSUPPORTED, "libtiff cannot decode this kind of image (%s)",
                       emsg[0] ? emsg : msg);
    }
    if (!TIFFRGBAImageBegin(&ri, tif, 0, emsg))
        return sh_fail(err, SH_EFORMAT, "libtiff cannot read the image (%s)", emsg);
    ri.req_orientation = ri.orientation; /* rows as stored; the PDF applies orientation */
    if (!(px = malloc((size_t)t->w * t->h * 4))) {
        rc = sh_fail(err, SH_ENOMEM, "out of memory for a %ux%u image", t->w, t->h);
        goto out;
    }
    if (!TIFFRGBAImageGet(&ri, px, t->w, t->h)) {
        fail_decode(c, err, "libtiff could not decode the image data", msg);
        goto out;
    }
    size_t n = (size_t)t->w * t->h;
    bool gray = true;
    for (size_t i = 0; i < n && gray; i++)
        gray = TIFFGetR(px[i]) == TIFFGetG(px[i]) && TIFFGetG(px[i]) == TIFFGetB(px[i]);
    unsigned char *out = (unsigned char *)px; /* pack in place: 4 bytes become 3 or 1 */
    for (size_t i = 0; i < n; i++) {
        uint32_t v = px[i];
        if (gray) {
            out[i] = (unsigned char)TIFFGetR(v);
        } else {
            out[3 * i] = (unsigned char)TIFFGetR(v);
            out[3 * i + 1] = (unsigned char)TIFFGetG(v);
            out[3 * i + 2] = (unsigned char)TIFFGetB(v);
        }
    }
    rc = sh_encode_samples(c, out, gray ? n : 3 * n, t->w, t->h, gray ? SH_CS_GRAY : SH_CS_RGB, 8,
                         err);
out:
    TIFFRGBAImageEnd(&ri);
    free(px);
    return rc;
}

int sh_tiff_decode(ingest_ctx *c, sh_error *err)
{
    char msg[512];
    sh_page *p = c->page;
    TIFF *tif = sh_memtiff_open_page(c->file->data, c->file->len, p->tiff_diroff,
                                     c->file->path, msg, sizeof msg);
    tiff_info t;
    int rc = -1;

    if (!tif)
        return sh_fail(err, SH_EFORMAT, "cannot read the page's TIFF directory (libtiff: %s)",
                       msg[0] ? msg : "no directory there");
    read_info(tif, &t);
    p->codec = codec_name(t.compression);
    p->orientation = t.orientation;
    sh_page_set_dpi(c, resolution_dpi(tif, TIFFTAG_XRESOLUTION),
                    resolution_dpi(tif, TIFFTAG_YRESOLUTION));
    if (t.w == 0 || t.h == 0) {
        sh_fail(err, SH_EFORMAT, "the TIFF page has no pixels (%ux%u)", t.w, t.h);
        goto out;
    }
    if (sh_check_pixels(c, t.w, t.h, err) < 0)
        goto out;
    if (!TIFFIsCODECConfigured(t.compression)) {
        sh_fail(err, SH_EUNSUPPORTED, "the TIFF uses compression %u, which this libtiff cannot "
                "decode", t.compression);
        goto out;
    }
    bool uint = t.sampleformat == SAMPLEFORMAT_UINT;
    unsigned colour = t.spp >= t.extra ? (unsigned)(t.spp - t.extra) : 0;
    bool bilevel = uint && t.bps == 1 && t.spp == 1 &&
                   (t.photometric == PHOTOMETRIC_MINISWHITE ||
                    t.photometric == PHOTOMETRIC_MINISBLACK);
    if (bilevel) {
        p->flags |= SH_PAGE_BILEVEL;
        rc = do_bilevel(c, tif, &t, msg, err);
        goto out;
    }
    if (t.compression == COMPRESSION_JPEG && !t.tiled && TIFFNumberOfStrips(tif) == 1 &&
        t.bps == 8 && t.extra == 0 &&
        ((t.spp == 1 && t.photometric == PHOTOMETRIC_MINISBLACK) ||
         (t.spp == 3 && (t.photometric == PHOTOMETRIC_YCBCR || t.photometric == PHOTOMETRIC_RGB)))) {
        rc = do_jpeg_passthrough(c, tif, &t, err);
        if (rc <= 0)
            goto out;
    }
    if (t.compression == COMPRESSION_JPEG && t.photometric == PHOTOMETRIC_YCBCR) {
        /* let libjpeg convert to RGB: then it is an ordinary RGB page */
        TIFFSetField(tif, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
        t.photometric = PHOTOMETRIC_RGB;
    }
    if (t.bps > 16 && t.compression != COMPRESSION_SGILOG && t.compression != COMPRESSION_SGILOG24) {
        sh_fail(err, SH_EUNSUPPORTED, "the image has %u-bit samples; a PDF image holds at most "
                "16 bits per sample", t.bps);
        goto out;
    }
    bool plain = uint && t.bps >= 2 && t.bps <= 16 && t.compression != COMPRESSION_OJPEG &&
                 (t.planar == PLANARCONFIG_CONTIG || t.bps % 8 == 0) &&
                 ((colour == 1 && (t.photometric == PHOTOMETRIC_MINISBLACK ||
                                   t.photometric == PHOTOMETRIC_MINISWHITE)) ||
                  (colour == 3 && t.photometric == PHOTOMETRIC_RGB) ||
                  (colour == 4 && t.photometric == PHOTOMETRIC_SEPARATED &&
                   t.inkset == INKSET_CMYK));
    rc = plain ? do_samples(c, tif, &t, msg, err) : do_rgba(c, tif, &t, msg, err);
out:
    sh_memtiff_close(tif);
    return rc;
}
