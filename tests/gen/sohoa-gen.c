/* sohoa-gen: the project's own test scans, so a fresh clone tests itself. Renders known
 * Vietnamese administrative text (FreeType, DejaVu) onto A4 pages at 200/300 dpi, makes
 * them look scanned (skew, noise, upside-down pages, blank separator sheets with scanner
 * edges and punch holes) and writes multi-page TIFFs in G4, LZW gray, JPEG gray and JPEG
 * RGB, with the exact text of every page as ground truth. Deterministic for a seed.
 */
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include <leptonica/allheaders.h>
#include <tiffio.h>

#include "text_vi.h"

#define N(a) (sizeof(a) / sizeof *(a))

static const char usage[] =
    "usage: sohoa-gen [OPTIONS] OUTDIR\n"
    "  --seed N              deterministic output for a seed (1)\n"
    "  --dossiers N          how many dossiers (4)\n"
    "  --pages N             text pages per dossier (3)\n"
    "  --dpi 200|300|mixed   resolution (mixed: dossiers alternate)\n"
    "  --kinds LIST|mixed    g4,lzw-gray,jpeg-gray,jpeg-rgb (mixed: dossiers cycle)\n"
    "  --skew MAXDEG         each page skewed by up to +-MAXDEG degrees (0)\n"
    "  --upside-down F       fraction of pages turned 180 degrees (0)\n"
    "  --blank-separators    put a blank separator sheet inside every other dossier\n"
    "  --noise               scanner noise, paper texture and specks\n"
    "  --single-page         one file per page: OUTDIR/D0001_p001.tif\n"
    "  --folders             one folder per dossier: OUTDIR/D0001/p001.tif\n"
    "Writes OUTDIR/manifest.tsv and OUTDIR/truth/<dossier>_p<NNN>.txt (NFC UTF-8).\n";

/* ---- a small deterministic PRNG (xorshift64*) ---- */
static uint64_t rng_state = 1;
static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}
static double frand(void) { return (rnd() >> 11) * (1.0 / 9007199254740992.0); }
static unsigned urand(unsigned n) { return (unsigned)(rnd() % n); }

/* ---- text rendering ---- */
typedef struct font {
    FT_Face face;
    int px; /* size in pixels */
} font;

static FT_Library ft;

static int load_font(font *f, const char *path, int px)
{
    if (FT_New_Face(ft, path, 0, &f->face) != 0)
        return -1;
    FT_Set_Pixel_Sizes(f->face, 0, (FT_UInt)px);
    f->px = px;
    return 0;
}

static uint32_t next_cp(const char **s)
{
    const unsigned char *u = (const unsigned char *)*s;
    uint32_t cp;
    int n;
    if (*u < 0x80) { cp = *u; n = 1; }
    else if ((*u & 0xE0) == 0xC0) { cp = *u & 0x1F; n = 2; }
    else if ((*u & 0xF0) == 0xE0) { cp = *u & 0x0F; n = 3; }
    else { cp = *u & 0x07; n = 4; }
    for (int i = 1; i < n && u[i]; i++)
        cp = cp << 6 | (u[i] & 0x3F);
    *s += n;
    return cp;
}

static int text_width(font *f, const char *s, size_t len)
{
    const char *end = s + len;
    int w = 0;
    while (s < end) {
        uint32_t cp = next_cp(&s);
        if (FT_Load_Char(f->face, cp, FT_LOAD_DEFAULT) == 0)
            w += (int)(f->face->glyph->advance.x >> 6);
    }
    return w;
}

/* Draws s (len bytes) at pen (x, baseline y) on an 8-bit page, darkening towards ink. */
static void draw(PIX *page, font *f, const char *s, size_t len, int x, int y, int ink)
{
    const char *end = s + len;
    l_uint32 *data = pixGetData(page);
    int wpl = pixGetWpl(page), W = pixGetWidth(page), H = pixGetHeight(page);
    while (s < end) {
        uint32_t cp = next_cp(&s);
        if (FT_Load_Char(f->face, cp, FT_LOAD_RENDER) != 0)
            continue;
        FT_GlyphSlot g = f->face->glyph;
        for (unsigned r = 0; r < g->bitmap.rows; r++) {
            int py = y - g->bitmap_top + (int)r;
            if (py < 0 || py >= H)
                continue;
            l_uint32 *line = data + (size_t)py * wpl;
            for (unsigned c = 0; c < g->bitmap.width; c++) {
                int px = x + g->bitmap_left + (int)c;
                int cov = g->bitmap.buffer[r * g->bitmap.pitch + c];
                if (px < 0 || px >= W || !cov)
                    continue;
                int old = GET_DATA_BYTE(line, px);
                int v = old - (old - ink) * cov / 255;
                SET_DATA_BYTE(line, px, v);
            }
        }
        x += (int)(g->advance.x >> 6);
    }
}

/* Lines of text laid out on a page, with the text of each kept for the truth file. */
typedef struct layout {
    PIX *page;
    int y, left, right, bottom;
    FILE *truth;
    int ink;
} layout;

static void put_line(layout *L, font *f, const char *s, size_t len, bool centre)
{
    int w = text_width(f, s, len);
    int x = centre ? (L->left + L->right - w) / 2 : L->left;
    L->y += f->px * 3 / 2;
    draw(L->page, f, s, len, x, L->y, L->ink);
    fprintf(L->truth, "%.*s\n", (int)len, s);
}

/* Word-wraps a paragraph into the text block; false when the page is full. */
static bool paragraph(layout *L, font *f, const char *text)
{
    const char *p = text;
    while (*p) {
        if (L->y + f->px * 3 > L->bottom)
            return false;
        const char *line_end = p, *q = p;
        while (*q) {
            const char *word_end = q;
            while (*word_end && *word_end != ' ')
                word_end++;
            if (text_width(f, p, (size_t)(word_end - p)) > L->right - L->left && line_end > p)
                break;
            line_end = word_end;
            q = *word_end ? word_end + 1 : word_end;
        }
        put_line(L, f, p, (size_t)(line_end - p), false);
        p = *line_end ? line_end + 1 : line_end;
    }
    L->y += f->px / 2;
    return true;
}

/* ---- scanner effects ---- */
static void add_noise(PIX *pix, int amount, int specks)
{
    int W = pixGetWidth(pix), H = pixGetHeight(pix), wpl = pixGetWpl(pix);
    l_uint32 *data = pixGetData(pix);
    for (int y = 0; y < H; y++) {
        l_uint32 *line = data + (size_t)y * wpl;
        for (int x = 0; x < W; x++) {
            int v = GET_DATA_BYTE(line, x) + (int)(rnd() % (2 * amount + 1)) - amount;
            SET_DATA_BYTE(line, x, v < 0 ? 0 : v > 255 ? 255 : v);
        }
    }
    for (int i = 0; i < specks; i++) { /* dust: 1-3 px dark dots */
        int x = (int)urand((unsigned)W - 4), y = (int)urand((unsigned)H - 4), s = 1 + (int)urand(3);
        for (int dy = 0; dy < s; dy++)
            for (int dx = 0; dx < s; dx++)
                pixSetPixel(pix, x + dx, y + dy, 60);
    }
}

static void disc(PIX *pix, int cx, int cy, int r, int v)
{
    for (int y = -r; y <= r; y++)
        for (int x = -r; x <= r; x++)
            if (x * x + y * y <= r * r)
                pixSetPixel(pix, cx + x, cy + y, (l_uint32)v);
}

/* ---- one page ---- */
typedef struct page_spec {
    int dpi;
    const char *kind;
    double skew;
    bool upside_down, blank;
    bool noise;
    const char *truth_path;
    unsigned doc; /* which document text */
} page_spec;

/* Returns an 8-bit gray page (or 32-bit RGB for jpeg-rgb) and writes its truth. */
static PIX *render(const page_spec *ps, const char *fonts_dir)
{
    int W = (int)lround(ps->dpi * 210 / 25.4), H = (int)lround(ps->dpi * 297 / 25.4); /* A4 */
    bool colour = strcmp(ps->kind, "jpeg-rgb") == 0;
    PIX *page = pixCreate(W, H, 8);
    pixSetAllArbitrary(page, colour ? 250 : 255);
    FILE *truth = fopen(ps->truth_path, "w");
    char path[512];

    if (!ps->blank) {
        font body, bold;
        int px = ps->dpi * 12 / 72; /* 12 pt */
        snprintf(path, sizeof path, "%s/DejaVuSerif.ttf", fonts_dir);
        load_font(&body, path, px);
        snprintf(path, sizeof path, "%s/DejaVuSerif-Bold.ttf", fonts_dir);
        if (load_font(&bold, path, px) != 0)
            load_font(&bold, (snprintf(path, sizeof path, "%s/DejaVuSerif.ttf", fonts_dir), path), px);
        int margin = ps->dpi * 98 / 100; /* 2.5 cm */
        layout L = {page, margin, margin + ps->dpi / 4, W - margin, H - margin, truth, 20};
        unsigned d = ps->doc;
        char line[256];
        put_line(&L, &bold, vi_agencies[d % N(vi_agencies)], strlen(vi_agencies[d % N(vi_agencies)]), true);
        put_line(&L, &bold, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", strlen("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), true);
        put_line(&L, &body, "Độc lập - Tự do - Hạnh phúc", strlen("Độc lập - Tự do - Hạnh phúc"), true);
        snprintf(line, sizeof line, "Số: %02u/QĐ-UBND", 1 + d % 97);
        put_line(&L, &body, line, strlen(line), false);
        snprintf(line, sizeof line, "Bắc Giang, ngày %02u tháng %u năm 2024", 1 + d % 28, 1 + d % 12);
        put_line(&L, &body, line, strlen(line), false);
        L.y += px;
        put_line(&L, &bold, vi_titles[d % N(vi_titles)], strlen(vi_titles[d % N(vi_titles)]), true);
        const char *subj = vi_subjects[(d / 3) % N(vi_subjects)];
        paragraph(&L, &body, subj);
        for (unsigned k = 0; paragraph(&L, &body, vi_paragraphs[(d * 7 + k * 3) % N(vi_paragraphs)]); k++)
            if (k > 40)
                break;
        FT_Done_Face(body.face);
        FT_Done_Face(bold.face);
    }
    fclose(truth);

    if (ps->blank) { /* a separator sheet: paper, dust, a dark scanner edge, punch holes */
        for (int y = 0; y < H; y++)
            for (int x = 0; x < ps->dpi / 20; x++)
                pixSetPixel(page, x, y, 40);
        disc(page, ps->dpi / 2, H / 2 - ps->dpi * 4 / 10, ps->dpi / 10, 30);
        disc(page, ps->dpi / 2, H / 2 + ps->dpi * 4 / 10, ps->dpi / 10, 30);
    }
    if (ps->noise || ps->blank)
        add_noise(page, ps->noise ? 10 : 4, ps->noise ? 60 : 25);
    if (ps->skew != 0) {
        PIX *r = pixRotate(page, (l_float32)(ps->skew * M_PI / 180), L_ROTATE_AREA_MAP,
                           L_BRING_IN_WHITE, 0, 0);
        pixDestroy(&page);
        page = r;
    }
    if (ps->upside_down) {
        PIX *r = pixRotate180(NULL, page);
        pixDestroy(&page);
        page = r;
    }
    if (colour) { /* yellowed paper, dark blue ink, a red seal */
        PIX *rgb = pixCreate(W, H, 32);
        l_uint32 *src = pixGetData(page), *dst = pixGetData(rgb);
        int swpl = pixGetWpl(page), dwpl = pixGetWpl(rgb);
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) {
                int v = GET_DATA_BYTE(src + (size_t)y * swpl, x);
                composeRGBPixel(v, v * 245 / 255, v * 215 / 255 + (255 - v) * 60 / 255,
                                dst + (size_t)y * dwpl + x);
            }
        int cx = W * 3 / 4, cy = H - ps->dpi * 3 / 2, r = ps->dpi * 6 / 10;
        for (int y = -r; y <= r; y++)
            for (int x = -r; x <= r; x++) {
                int d2 = x * x + y * y;
                if (d2 <= r * r && d2 >= (r - ps->dpi / 25) * (r - ps->dpi / 25))
                    pixSetPixel(rgb, cx + x, cy + y, 0xD0202000);
            }
        pixDestroy(&page);
        page = rgb;
    }
    return page;
}

/* ---- TIFF output ---- */
static void write_page(TIFF *t, PIX *pix, const page_spec *ps)
{
    int W = pixGetWidth(pix), H = pixGetHeight(pix);
    const char *k = ps->kind;
    TIFFSetField(t, TIFFTAG_IMAGEWIDTH, W);
    TIFFSetField(t, TIFFTAG_IMAGELENGTH, H);
    TIFFSetField(t, TIFFTAG_XRESOLUTION, (float)ps->dpi);
    TIFFSetField(t, TIFFTAG_YRESOLUTION, (float)ps->dpi);
    TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
    TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(t, TIFFTAG_SOFTWARE, "sohoa-gen");
    if (strcmp(k, "g4") == 0) {
        PIX *bin = pixConvertTo1(pix, 128);
        TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 1);
        TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1);
        TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
        TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX4);
        TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, H);
        pixEndianByteSwap(bin);
        l_uint32 *d = pixGetData(bin);
        int wpl = pixGetWpl(bin);
        for (int y = 0; y < H; y++)
            TIFFWriteScanline(t, d + (size_t)y * wpl, (uint32_t)y, 0);
        pixDestroy(&bin);
    } else if (strcmp(k, "jpeg-rgb") == 0) {
        TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 8);
        TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 3);
        TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_JPEG);
        TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_YCBCR);
        TIFFSetField(t, TIFFTAG_YCBCRSUBSAMPLING, 2, 2);
        TIFFSetField(t, TIFFTAG_JPEGQUALITY, 75);
        TIFFSetField(t, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
        TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, H);
        unsigned char *row = malloc((size_t)W * 3);
        l_uint32 *d = pixGetData(pix);
        int wpl = pixGetWpl(pix);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                l_int32 r, g, b;
                extractRGBValues(d[(size_t)y * wpl + x], &r, &g, &b);
                row[3 * x] = (unsigned char)r;
                row[3 * x + 1] = (unsigned char)g;
                row[3 * x + 2] = (unsigned char)b;
            }
            TIFFWriteScanline(t, row, (uint32_t)y, 0);
        }
        free(row);
    } else {
        bool jpeg = strcmp(k, "jpeg-gray") == 0;
        TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 8);
        TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1);
        TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
        TIFFSetField(t, TIFFTAG_COMPRESSION, jpeg ? COMPRESSION_JPEG : COMPRESSION_LZW);
        if (jpeg) {
            TIFFSetField(t, TIFFTAG_JPEGQUALITY, 75);
            TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, H);
        } else {
            TIFFSetField(t, TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL);
            TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, 64);
        }
        unsigned char *row = malloc((size_t)W);
        l_uint32 *d = pixGetData(pix);
        int wpl = pixGetWpl(pix);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++)
                row[x] = (unsigned char)GET_DATA_BYTE(d + (size_t)y * wpl, x);
            TIFFWriteScanline(t, row, (uint32_t)y, 0);
        }
        free(row);
    }
    TIFFWriteDirectory(t);
}

static const char *const all_kinds[] = {"g4", "lzw-gray", "jpeg-gray", "jpeg-rgb"};

int main(int argc, char **argv)
{
    unsigned seed = 1, dossiers = 4, pages = 3;
    const char *dpi_opt = "mixed", *kinds_opt = "mixed", *out = NULL;
    const char *fonts = "/usr/share/fonts/truetype/dejavu";
    double skew = 0, upside = 0;
    bool blanks = false, noise = false, single = false, folders = false;
    const char *kinds[8];
    unsigned nkinds = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(usage, stdout); return 0; }
        else if (!strcmp(a, "--seed") && v) { seed = (unsigned)atoi(v); i++; }
        else if (!strcmp(a, "--dossiers") && v) { dossiers = (unsigned)atoi(v); i++; }
        else if (!strcmp(a, "--pages") && v) { pages = (unsigned)atoi(v); i++; }
        else if (!strcmp(a, "--dpi") && v) { dpi_opt = v; i++; }
        else if (!strcmp(a, "--kinds") && v) { kinds_opt = v; i++; }
        else if (!strcmp(a, "--skew") && v) { skew = atof(v); i++; }
        else if (!strcmp(a, "--upside-down") && v) { upside = atof(v); i++; }
        else if (!strcmp(a, "--blank-separators")) blanks = true;
        else if (!strcmp(a, "--noise")) noise = true;
        else if (!strcmp(a, "--single-page")) single = true;
        else if (!strcmp(a, "--folders")) folders = true;
        else if (a[0] != '-' && !out) out = a;
        else { fprintf(stderr, "sohoa-gen: bad argument '%s'\n%s", a, usage); return 1; }
    }
    if (!out || !dossiers || !pages || (strcmp(dpi_opt, "200") && strcmp(dpi_opt, "300") &&
                                        strcmp(dpi_opt, "mixed"))) {
        fputs(usage, stderr);
        return 1;
    }
    if (strcmp(kinds_opt, "mixed") == 0) {
        for (unsigned k = 0; k < N(all_kinds); k++)
            kinds[nkinds++] = all_kinds[k];
    } else {
        char *list = strdup(kinds_opt);
        for (char *tok = strtok(list, ","); tok && nkinds < 8; tok = strtok(NULL, ",")) {
            unsigned k = 0;
            while (k < N(all_kinds) && strcmp(tok, all_kinds[k]))
                k++;
            if (k == N(all_kinds)) {
                fprintf(stderr, "sohoa-gen: unknown kind '%s'\n", tok);
                return 1;
            }
            kinds[nkinds++] = all_kinds[k];
        }
    }
    rng_state = (0x9E3779B97F4A7C15ull ^ ((uint64_t)seed * 0xBF58476D1CE4E5B9ull)) | 1;
    if (FT_Init_FreeType(&ft) != 0) {
        fprintf(stderr, "sohoa-gen: FreeType failed to start\n");
        return 1;
    }
    setMsgSeverity(L_SEVERITY_NONE);
    char path[1024];
    mkdir(out, 0755);
    snprintf(path, sizeof path, "%s/truth", out);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/manifest.tsv", out);
    FILE *man = fopen(path, "w");
    if (!man) {
        fprintf(stderr, "sohoa-gen: cannot write %s\n", path);
        return 1;
    }
    fprintf(man, "dossier\tpage\tfile\tdpi\tkind\tskew_deg\trotation\tblank\twidth\theight\n");

    for (unsigned d = 0; d < dossiers; d++) {
        char name[32];
        snprintf(name, sizeof name, "D%04u", d + 1);
        const char *kind = kinds[d % nkinds];
        int dpi = !strcmp(dpi_opt, "mixed") ? (d % 2 ? 200 : 300) : atoi(dpi_opt);
        unsigned total = pages + (blanks && d % 2 == 1);
        unsigned blank_at = blanks && d % 2 == 1 ? 1 + urand(pages) : ~0u; /* never first */
        TIFF *t = NULL;
        if (folders) {
            snprintf(path, sizeof path, "%s/%s", out, name);
            mkdir(path, 0755);
        } else if (!single) {
            snprintf(path, sizeof path, "%s/%s.tif", out, name);
            if (!(t = TIFFOpen(path, "w"))) {
                fprintf(stderr, "sohoa-gen: cannot write %s\n", path);
                return 1;
            }
        }
        for (unsigned p = 0; p < total; p++) {
            char truth[1024], file[64];
            page_spec ps = {
                .dpi = dpi, .kind = kind, .blank = p == blank_at, .noise = noise,
                .doc = d * 5 + p + seed * 11,
            };
            ps.skew = ps.blank || skew == 0 ? 0 : round((frand() * 2 - 1) * skew * 100) / 100;
            ps.upside_down = !ps.blank && upside > 0 && frand() < upside;
            snprintf(truth, sizeof truth, "%s/truth/%s_p%03u.txt", out, name, p + 1);
            ps.truth_path = truth;
            PIX *pix = render(&ps, fonts);
            TIFF *pt = t;
            if (folders)
                snprintf(file, sizeof file, "%s/p%03u.tif", name, p + 1);
            else if (single)
                snprintf(file, sizeof file, "%s_p%03u.tif", name, p + 1);
            else
                snprintf(file, sizeof file, "%s.tif", name);
            if (!t) {
                snprintf(path, sizeof path, "%s/%s", out, file);
                if (!(pt = TIFFOpen(path, "w"))) {
                    fprintf(stderr, "sohoa-gen: cannot write %s\n", path);
                    return 1;
                }
            }
            write_page(pt, pix, &ps);
            if (!t)
                TIFFClose(pt);
            fprintf(man, "%s\t%u\t%s\t%d\t%s\t%.2f\t%d\t%d\t%d\t%d\n", name, p + 1, file, dpi, kind,
                    ps.skew, ps.upside_down ? 180 : 0, ps.blank, pixGetWidth(pix), pixGetHeight(pix));
            pixDestroy(&pix);
        }
        if (t)
            TIFFClose(t);
    }
    fclose(man);
    FT_Done_FreeType(ft);
    return 0;
}
