/* test_ingest: the ingest stage on TIFFs made here with libtiff, every path checked by
 * decoding what it produced: G4 passes through byte for byte, other bilevel becomes G4
 * with the same pixels, gray/RGB/16-bit/planar/tiled become Flate with the same samples,
 * odd bit depths widen losslessly, damage is an error naming the page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>
#include <unistd.h>
#include <zlib.h>

#include <leptonica/allheaders.h>

#include "check.h"
#include "sohoa/ingest.h"
#include "sohoa/stage.h"


enum { W = 97, H = 61 }; /* odd sizes: row padding must be right */

typedef struct spec {
    uint16_t bps, spp, photometric, compression, planar;
    uint32_t tile; /* 0 = strips */
    uint32_t rows_per_strip;
} spec;

static unsigned char sample(uint32_t x, uint32_t y, unsigned s, unsigned bps)
{
    unsigned v = (x * 7 + y * 13 + s * 31) & 0xFF;
    return (unsigned char)(bps == 1 ? ((x / 3 + y / 5) & 1) : v);
}

/* Writes a one-page TIFF following sp, samples from sample(). */
static void write_tiff(const char *path, const spec *sp)
{
    TIFF *t = TIFFOpen(path, "w");
    TIFFSetField(t, TIFFTAG_IMAGEWIDTH, W);
    TIFFSetField(t, TIFFTAG_IMAGELENGTH, H);
    TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, sp->bps);
    TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, sp->spp);
    TIFFSetField(t, TIFFTAG_PHOTOMETRIC, sp->photometric);
    TIFFSetField(t, TIFFTAG_COMPRESSION, sp->compression);
    TIFFSetField(t, TIFFTAG_PLANARCONFIG, sp->planar);
    TIFFSetField(t, TIFFTAG_XRESOLUTION, 300.0);
    TIFFSetField(t, TIFFTAG_YRESOLUTION, 300.0);
    TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
    if (sp->tile) {
        TIFFSetField(t, TIFFTAG_TILEWIDTH, sp->tile);
        TIFFSetField(t, TIFFTAG_TILELENGTH, sp->tile);
    } else {
        TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, sp->rows_per_strip ? sp->rows_per_strip : H);
    }
    unsigned planes = sp->planar == PLANARCONFIG_SEPARATE ? sp->spp : 1;
    unsigned per_px = planes > 1 ? 1 : sp->spp;
    size_t sbytes = sp->bps == 16 ? 2 : 1;
    size_t rowb = sp->bps == 1 ? (W + 7) / 8 : (size_t)W * per_px * sbytes;
    unsigned char *img = calloc(rowb * H, 1);
    for (unsigned pl = 0; pl < planes; pl++) {
        memset(img, 0, rowb * H);
        for (uint32_t y = 0; y < H; y++)
            for (uint32_t x = 0; x < W; x++)
                for (unsigned s = 0; s < per_px; s++) {
                    unsigned ss = planes > 1 ? pl : s;
                    unsigned char v = sample(x, y, ss, sp->bps);
                    unsigned char *row = img + y * rowb;
                    if (sp->bps == 1) {
                        if (v)
                            row[x / 8] |= (unsigned char)(0x80 >> (x % 8));
                    } else if (sp->bps == 16) {
                        uint16_t v16 = (uint16_t)(v * 256 + ss);
                        memcpy(row + ((size_t)x * per_px + s) * 2, &v16, 2);
                    } else {
                        row[(size_t)x * per_px + s] = v;
                    }
                }
        if (sp->tile) {
            unsigned char *tb = calloc(TIFFTileSize(t), 1);
            size_t px = rowb / W;
            for (uint32_t ty = 0; ty < H; ty += sp->tile)
                for (uint32_t tx = 0; tx < W; tx += sp->tile) {
                    memset(tb, 0, TIFFTileSize(t));
                    for (uint32_t r = 0; r < sp->tile && ty + r < H; r++)
                        for (uint32_t cx = 0; cx < sp->tile && tx + cx < W; cx++)
                            memcpy(tb + ((size_t)r * sp->tile + cx) * px,
                                   img + (ty + r) * rowb + (tx + cx) * px, px);
                    TIFFWriteTile(t, tb, tx, ty, 0, (tsample_t)pl);
                }
            free(tb);
        } else {
            for (uint32_t y = 0; y < H; y++)
                TIFFWriteScanline(t, img + y * rowb, y, (tsample_t)pl);
        }
    }
    TIFFWriteDirectory(t);
    TIFFClose(t);
    free(img);
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    unsigned char *d = malloc(*len + 1);
    if (fread(d, 1, *len, f) != *len)
        *len = 0;
    fclose(f);
    return d;
}

/* Runs the ingest stage on page 1 of a file, the way the engine does. */
static int ingest(const char *path, sh_dossier *d, sh_file *f, sh_page *p, sh_error *err)
{
    static sh_options opt;
    static sh_run run;
    static void *state, *local;
    uint64_t *offs = NULL;

    if (!state) {
        sh_options_defaults(&opt);
        run.opt = &opt;
        sh_stage_ingest.start(&run, &state, err);
        sh_stage_ingest.thread_init(state, &local, err);
    }
    memset(d, 0, sizeof *d);
    memset(f, 0, sizeof *f);
    memset(p, 0, sizeof *p);
    f->path = (char *)path;
    f->data = slurp(path, &f->len);
    d->files = f;
    d->nfiles = 1;
    d->pages = p;
    d->npages = 1;
    p->dossier = d;
    int rc = sh_ingest_scan(f, 100, &offs, err);
    if (rc == 0) {
        p->tiff_diroff = offs ? offs[0] : 0;
        rc = sh_stage_ingest.process(state, local, p, err);
    }
    free(offs);
    return rc;
}

static unsigned char *inflate_all(const sh_image *img, size_t want)
{
    unsigned char *out = malloc(want + 1);
    uLongf n = want;
    if (uncompress(out, &n, img->data, img->len) != Z_OK || n != want) {
        free(out);
        return NULL;
    }
    return out;
}

/* Decodes a CCITT G4 image by wrapping it into a TIFF again: 1 = black rows back. */
static unsigned char *decode_g4(const sh_image *img, const char *tmp)
{
    TIFF *t = TIFFOpen(tmp, "w");
    TIFFSetField(t, TIFFTAG_IMAGEWIDTH, img->width);
    TIFFSetField(t, TIFFTAG_IMAGELENGTH, img->height);
    TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 1);
    TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1);
    TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
    TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX4);
    TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, img->height);
    TIFFWriteRawStrip(t, 0, img->data, (tmsize_t)img->len);
    TIFFWriteDirectory(t);
    TIFFClose(t);
    t = TIFFOpen(tmp, "r");
    size_t rb = (img->width + 7) / 8;
    unsigned char *out = malloc(rb * img->height);
    if (TIFFReadEncodedStrip(t, 0, out, (tmsize_t)(rb * img->height)) < 0) {
        free(out);
        out = NULL;
    }
    TIFFClose(t);
    return out;
}

static int same_bilevel(const unsigned char *bits, int black_is_1)
{
    size_t rb = (W + 7) / 8;
    for (uint32_t y = 0; y < H; y++)
        for (uint32_t x = 0; x < W; x++) {
            int b = (bits[y * rb + x / 8] >> (7 - x % 8)) & 1;
            /* the written value v sets bit 1; under MinIsWhite that is black */
            if (b != (black_is_1 ? sample(x, y, 0, 1) : !sample(x, y, 0, 1)))
                return 0;
        }
    return 1;
}

int main(void)
{
    char dir[] = "/tmp/sohoa-ingest.XXXXXX", path[256], tmp[256];
    sh_dossier d;
    sh_file f;
    sh_page p;
    sh_error err = {0};

    sh_ingest_global_init();
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof path, "%s/in.tif", dir);
    snprintf(tmp, sizeof tmp, "%s/g4.tif", dir);

    /* 1. G4, one strip: passed through, the strip byte for byte */
    spec g4 = {1, 1, PHOTOMETRIC_MINISWHITE, COMPRESSION_CCITTFAX4, PLANARCONFIG_CONTIG, 0, 0};
    write_tiff(path, &g4);
    CHECK(ingest(path, &d, &f, &p, &err) == 0);
    CHECK(p.image.enc == SH_ENC_CCITT && p.image.ccitt_k == -1 && !p.image.ccitt_black_is_1);
    {
        TIFF *t = TIFFOpen(path, "r");
        uint64_t *bc;
        TIFFGetField(t, TIFFTAG_STRIPBYTECOUNTS, &bc);
        unsigned char *raw = malloc(bc[0]);
        TIFFReadRawStrip(t, 0, raw, (tmsize_t)bc[0]);
        CHECK(p.image.len == bc[0] && memcmp(raw, p.image.data, bc[0]) == 0);
        free(raw);
        TIFFClose(t);
    }
    CHECK(p.dpi_x == 300 && !(p.flags & SH_PAGE_LOW_DPI) && (p.flags & SH_PAGE_BILEVEL));
    sh_image_free(&p.image);
    sh_page_free_work(&p);
    free(f.data);

    /* 2. bilevel LZW in several strips, MinIsWhite: re-encoded G4 with the same pixels */
    spec lzw1 = {1, 1, PHOTOMETRIC_MINISWHITE, COMPRESSION_LZW, PLANARCONFIG_CONTIG, 0, 16};
    write_tiff(path, &lzw1);
    CHECK(ingest(path, &d, &f, &p, &err) == 0);
    CHECK(p.image.enc == SH_ENC_CCITT);
    unsigned char *bits = p.image.enc == SH_ENC_CCITT ? decode_g4(&p.image, tmp) : NULL;
    CHECK(bits && same_bilevel(bits, 1));
    free(bits);
    sh_image_free(&p.image);
    sh_page_free_work(&p);
    free(f.data);

    /* 3. bilevel MinIsBlack: the same sample bits now mean white, and stay so */
    spec mib = {1, 1, PHOTOMETRIC_MINISBLACK, COMPRESSION_PACKBITS, PLANARCONFIG_CONTIG, 0, 0};
    write_tiff(path, &mib);
    CHECK(ingest(path, &d, &f, &p, &err) == 0);
    bits = p.image.enc == SH_ENC_CCITT ? decode_g4(&p.image, tmp) : NULL;
    CHECK(bits && same_bilevel(bits, 0));
    free(bits);
    sh_image_free(&p.image);
    sh_page_free_work(&p);
    free(f.data);

    /* 4. gray 8 LZW, RGB 8 Deflate planar, RGB 8 tiled, gray 16: Flate, same samples */
    spec flate_cases[] = {
        {8, 1, PHOTOMETRIC_MINISBLACK, COMPRESSION_LZW, PLANARCONFIG_CONTIG, 0, 7},
        {8, 3, PHOTOMETRIC_RGB, COMPRESSION_ADOBE_DEFLATE, PLANARCONFIG_SEPARATE, 0, 10},
        {8, 3, PHOTOMETRIC_RGB, COMPRESSION_LZW, PLANARCONFIG_CONTIG, 32, 0},
        {16, 1, PHOTOMETRIC_MINISBLACK, COMPRESSION_NONE, PLANARCONFIG_CONTIG, 0, 0},
        {16, 3, PHOTOMETRIC_RGB, COMPRESSION_LZW, PLANARCONFIG_SEPARATE, 0, 0},
    };
    for (size_t k = 0; k < sizeof flate_cases / sizeof *flate_cases; k++) {
        const spec *sp = &flate_cases[k];
        write_tiff(path, sp);
        int rc = ingest(path, &d, &f, &p, &err);
        CHECK(rc == 0);
        if (rc)
            fprintf(stderr, "case %zu: %s\n", k, err.msg);
        CHECK(p.image.enc == SH_ENC_FLATE && p.image.bpc == sp->bps &&
              (unsigned)p.image.cs == sp->spp);
        size_t sb = sp->bps / 8, n = (size_t)W * H * sp->spp * sb;
        unsigned char *px = p.image.enc == SH_ENC_FLATE ? inflate_all(&p.image, n) : NULL;
        int same = px != NULL;
        for (uint32_t y = 0; same && y < H; y++)
            for (uint32_t x = 0; same && x < W; x++)
                for (unsigned s = 0; s < sp->spp; s++) {
                    size_t at = (((size_t)y * W + x) * sp->spp + s) * sb;
                    unsigned v = sample(x, y, s, sp->bps);
                    if (sb == 2) /* big-endian in the PDF */
                        same &= px[at] * 256u + px[at + 1] == v * 256 + s;
                    else
                        same &= px[at] == v;
                }
        CHECK(same);
        if (!same)
            fprintf(stderr, "case %zu: samples differ\n", k);
        free(px);
        sh_image_free(&p.image);
        sh_page_free_work(&p);
    sh_page_free_work(&p);
        free(f.data);
    }

    /* 5. gray MinIsWhite 8-bit: inverted to PDF's DeviceGray (0 = black); the pixels kept
     * for OCR say the same */
    spec miw = {8, 1, PHOTOMETRIC_MINISWHITE, COMPRESSION_NONE, PLANARCONFIG_CONTIG, 0, 0};
    write_tiff(path, &miw);
    CHECK(ingest(path, &d, &f, &p, &err) == 0);
    unsigned char *px = inflate_all(&p.image, (size_t)W * H);
    CHECK(px && px[0] == (unsigned char)~sample(0, 0, 0, 8) && px[W + 5] == (unsigned char)~sample(5, 1, 0, 8));
    {
        l_uint32 v = 0;
        CHECK(p.pix && pixGetDepth(p.pix) == 8 && pixGetPixel(p.pix, 5, 1, &v) == 0 &&
              v == (unsigned char)~sample(5, 1, 0, 8));
    }
    free(px);
    sh_image_free(&p.image);
    sh_page_free_work(&p);
    free(f.data);

    /* 6. a page whose strip lies past the end of the file: an error naming the file */
    write_tiff(path, &flate_cases[0]);
    {
        size_t len;
        unsigned char *all = slurp(path, &len);
        /* damage the LZW data (written before the directory) and keep the header */
        memset(all + 8, 0xFF, len / 3);
        FILE *o = fopen(path, "wb");
        fwrite(all, 1, len, o);
        fclose(o);
        free(all);
    }
    int rc = ingest(path, &d, &f, &p, &err);
    CHECK(rc == -1 && strstr(err.msg, path) != NULL);
    sh_page_free_work(&p);
    free(f.data);

    /* 7. not an image; an empty file */
    FILE *o = fopen(path, "wb");
    fputs("hello", o);
    fclose(o);
    CHECK(ingest(path, &d, &f, &p, &err) == -1 && strstr(err.msg, "not a TIFF, JPEG or PNG"));
    free(f.data);
    o = fopen(path, "wb");
    fclose(o);
    CHECK(ingest(path, &d, &f, &p, &err) == -1 && strstr(err.msg, "empty"));
    free(f.data);

    /* 8. recognised by content, not name */
    CHECK(sh_ingest_sniff((const unsigned char *)"II*\0", 4) == SH_FILE_TIFF);
    CHECK(sh_ingest_sniff((const unsigned char *)"\xff\xd8\xff\xe0", 4) == SH_FILE_JPEG);

    unlink(path);
    unlink(tmp);
    rmdir(dir);
    return check_report();
}
