/* testimg: images for the stamp and CMYK tests, and what renderings show.
 *   testimg seal OUT.png        a red round seal (472 px: 40 mm at 300 dpi), transparent
 *   testimg signature OUT.png   a blue handwritten-like stroke, transparent
 *   testimg cmyk-jpeg OUT.jpg   800 x 600 CMYK at 200 dpi, as Adobe writes it (APP14,
 *                               inverted samples): white paper, then cyan, magenta and
 *                               black squares above, 50 % black and yellow ones below
 *                               (200 px each, from x = 50 and y = 50 / 350, 50 px apart)
 *   testimg cmyk-tiff OUT.tif [16]  the same as a TIFF (separated, LZW; 8 or 16 bits)
 *   testimg cmyk-in-rgb-tiff IN.jpg OUT.tif   a JPEG-in-TIFF whose tags say 3-sample RGB
 *                               and whose one strip is the JPEG IN (a lie, when IN is CMYK)
 *   testimg diff A.ppm B.ppm    "N X0 Y0 X1 Y1": how many pixels differ (by more than 40
 *                               in a channel) and their bounding box; also "red N blue N"
 *                               for the differing pixels that are clearly red / blue
 *   testimg at A.ppm X Y        "R G B" of that pixel
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>
#include <tiffio.h>

static void dot(unsigned char *px, int w, int h, double x, double y, double r,
                const unsigned char c[3])
{
    for (int j = (int)(y - r) - 1; j <= (int)(y + r) + 1; j++)
        for (int i = (int)(x - r) - 1; i <= (int)(x + r) + 1; i++)
            if (i >= 0 && j >= 0 && i < w && j < h && hypot(i - x, j - y) <= r) {
                unsigned char *p = px + 4 * ((size_t)j * w + i);
                memcpy(p, c, 3);
                p[3] = 230;
            }
}

static int write_png(const char *path, unsigned char *px, int w, int h)
{
    png_image im = {.version = PNG_IMAGE_VERSION, .width = (png_uint_32)w,
                    .height = (png_uint_32)h, .format = PNG_FORMAT_RGBA};
    int rc = px && png_image_write_to_file(&im, path, 0, px, 0, NULL) ? 0 : 1;
    free(px);
    return rc;
}

static unsigned char *read_ppm(const char *path, int *w, int *h)
{
    FILE *f = fopen(path, "rb");
    int max;
    if (!f || fscanf(f, "P6 %d %d %d", w, h, &max) != 3 || fgetc(f) == EOF) {
        if (f)
            fclose(f);
        return NULL;
    }
    size_t n = (size_t)*w * *h * 3;
    unsigned char *p = malloc(n);
    if (p && fread(p, 1, n, f) != n) {
        free(p);
        p = NULL;
    }
    fclose(f);
    return p;
}

/* The CMYK test page: ink (0..255) of colour j (C, M, Y, K) at x, y. */
enum { CMYK_W = 800, CMYK_H = 600 };
static unsigned char cmyk_ink(int x, int y, int j)
{
    static const unsigned char patch[2][3][4] = {
        {{255, 0, 0, 0}, {0, 255, 0, 0}, {0, 0, 0, 255}}, /* cyan, magenta, black */
        {{0, 0, 0, 128}, {0, 0, 255, 0}, {0, 0, 0, 0}},   /* 50 % black, yellow, paper */
    };
    int col = (x - 50) / 250, row = (y - 50) / 300;
    if (x < 50 || y < 50 || col > 2 || row > 1 || (x - 50) % 250 >= 200 ||
        (y - 50) % 300 >= 200)
        return 0;
    return patch[row][col][j];
}

static int write_cmyk_jpeg(const char *path)
{
    struct jpeg_compress_struct info;
    struct jpeg_error_mgr jerr;
    FILE *f = fopen(path, "wb");
    unsigned char row[CMYK_W * 4];
    if (!f)
        return 1;
    info.err = jpeg_std_error(&jerr);
    jpeg_create_compress(&info);
    jpeg_stdio_dest(&info, f);
    info.image_width = CMYK_W;
    info.image_height = CMYK_H;
    info.input_components = 4;
    info.in_color_space = JCS_CMYK;
    jpeg_set_defaults(&info); /* CMYK: an Adobe marker with it */
    jpeg_set_quality(&info, 95, TRUE);
    info.density_unit = 1;
    info.X_density = info.Y_density = 200;
    info.write_JFIF_header = TRUE;
    jpeg_start_compress(&info, TRUE);
    while (info.next_scanline < CMYK_H) {
        for (int x = 0; x < CMYK_W; x++)
            for (int j = 0; j < 4; j++) /* Adobe's CMYK JPEGs store 255 - ink */
                row[4 * x + j] = (unsigned char)(255 - cmyk_ink(x, (int)info.next_scanline, j));
        JSAMPROW r = row;
        jpeg_write_scanlines(&info, &r, 1);
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);
    return fclose(f) != 0;
}

static int write_cmyk_tiff(const char *path, int bits)
{
    TIFF *t = TIFFOpen(path, "w");
    unsigned char row[CMYK_W * 8];
    int ok = t != NULL;
    if (!t)
        return 1;
    TIFFSetField(t, TIFFTAG_IMAGEWIDTH, CMYK_W);
    TIFFSetField(t, TIFFTAG_IMAGELENGTH, CMYK_H);
    TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 4);
    TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, bits);
    TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_SEPARATED);
    TIFFSetField(t, TIFFTAG_INKSET, INKSET_CMYK);
    TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_LZW);
    TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
    TIFFSetField(t, TIFFTAG_XRESOLUTION, 200.0);
    TIFFSetField(t, TIFFTAG_YRESOLUTION, 200.0);
    TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, 16);
    for (int y = 0; ok && y < CMYK_H; y++) {
        for (int x = 0; x < CMYK_W; x++)
            for (int j = 0; j < 4; j++) {
                unsigned char v = cmyk_ink(x, y, j);
                if (bits == 8) {
                    row[4 * x + j] = v;
                } else { /* in host order, as libtiff wants it; the low byte unlike the
                          * high one, so reading the wrong one shows */
                    uint16_t w = (uint16_t)(v << 8 | (255 - v));
                    memcpy(row + 8 * x + 2 * j, &w, 2);
                }
            }
        ok = TIFFWriteScanline(t, row, (uint32_t)y, 0) == 1;
    }
    TIFFClose(t);
    return !ok;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "seal") == 0) {
        int s = 472;
        unsigned char *px = calloc((size_t)s * s, 4), red[3] = {210, 25, 30};
        for (double a = 0; a < 2 * M_PI; a += 0.002) {
            dot(px, s, s, s / 2.0 + 220 * cos(a), s / 2.0 + 220 * sin(a), 8, red);
            dot(px, s, s, s / 2.0 + 170 * cos(a), s / 2.0 + 170 * sin(a), 4, red);
        }
        for (int k = 0; k < 5; k++) /* a five-pointed star */
            for (double t = 0; t < 1; t += 0.002) {
                double a1 = -M_PI / 2 + k * 4 * M_PI / 5, a2 = a1 + 4 * M_PI / 5;
                dot(px, s, s, s / 2.0 + 90 * ((1 - t) * cos(a1) + t * cos(a2)),
                    s / 2.0 + 90 * ((1 - t) * sin(a1) + t * sin(a2)), 5, red);
            }
        return write_png(argv[2], px, s, s);
    }
    if (argc == 3 && strcmp(argv[1], "signature") == 0) {
        int w = 500, h = 180;
        unsigned char *px = calloc((size_t)w * h, 4), blue[3] = {20, 40, 200};
        for (double t = 0; t < 1; t += 0.0005)
            dot(px, w, h, 20 + 460 * t, 90 + 60 * sin(t * 14) * (1 - t / 2), 4, blue);
        return write_png(argv[2], px, w, h);
    }
    if (argc == 4 && strcmp(argv[1], "diff") == 0) {
        int w, h, w2, h2, x0 = 1 << 30, y0 = 1 << 30, x1 = -1, y1 = -1;
        unsigned char *a = read_ppm(argv[2], &w, &h), *b = read_ppm(argv[3], &w2, &h2);
        long n = 0, red = 0, blue = 0;
        if (!a || !b || w != w2 || h != h2) {
            free(a);
            free(b);
            fprintf(stderr, "testimg: cannot compare %s and %s\n", argv[2], argv[3]);
            return 1;
        }
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                unsigned char *p = a + 3 * ((size_t)y * w + x), *q = b + 3 * ((size_t)y * w + x);
                if (abs(p[0] - q[0]) <= 40 && abs(p[1] - q[1]) <= 40 && abs(p[2] - q[2]) <= 40)
                    continue;
                n++;
                red += q[0] > 150 && q[1] < 100 && q[2] < 100;
                blue += q[2] > 120 && q[0] < 100 && q[1] < 120;
                x0 = x < x0 ? x : x0, y0 = y < y0 ? y : y0;
                x1 = x > x1 ? x : x1, y1 = y > y1 ? y : y1;
            }
        printf("%ld %d %d %d %d red %ld blue %ld\n", n, n ? x0 : 0, n ? y0 : 0, n ? x1 : 0,
               n ? y1 : 0, red, blue);
        free(a);
        free(b);
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "cmyk-jpeg") == 0)
        return write_cmyk_jpeg(argv[2]);
    if ((argc == 3 || argc == 4) && strcmp(argv[1], "cmyk-tiff") == 0)
        return write_cmyk_tiff(argv[2], argc == 4 && strcmp(argv[3], "16") == 0 ? 16 : 8);
    if (argc == 4 && strcmp(argv[1], "cmyk-in-rgb-tiff") == 0) {
        FILE *f = fopen(argv[2], "rb");
        static unsigned char jpeg[1 << 20];
        size_t n = f ? fread(jpeg, 1, sizeof jpeg, f) : 0;
        if (f)
            fclose(f);
        TIFF *t = n ? TIFFOpen(argv[3], "w") : NULL;
        if (!t)
            return 1;
        TIFFSetField(t, TIFFTAG_IMAGEWIDTH, CMYK_W);
        TIFFSetField(t, TIFFTAG_IMAGELENGTH, CMYK_H);
        TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 3);
        TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 8);
        TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB);
        TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
        TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_JPEG);
        TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, CMYK_H);
        int bad = TIFFWriteRawStrip(t, 0, jpeg, (tmsize_t)n) != (tmsize_t)n;
        TIFFClose(t);
        return bad;
    }
    if (argc == 5 && strcmp(argv[1], "at") == 0) {
        int w, h, x = atoi(argv[3]), y = atoi(argv[4]);
        unsigned char *a = read_ppm(argv[2], &w, &h);
        if (!a || x < 0 || y < 0 || x >= w || y >= h) {
            free(a);
            fprintf(stderr, "testimg: no pixel %d,%d in %s\n", x, y, argv[2]);
            return 1;
        }
        unsigned char *p = a + 3 * ((size_t)y * w + x);
        printf("%d %d %d\n", p[0], p[1], p[2]);
        free(a);
        return 0;
    }
    fprintf(stderr, "usage: testimg seal|signature OUT.png | cmyk-jpeg OUT.jpg | cmyk-tiff OUT.tif "
                    "[16] | cmyk-in-rgb-tiff IN.jpg OUT.tif | diff A.ppm B.ppm | at A.ppm X Y\n");
    return 1;
}
