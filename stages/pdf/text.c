/* text.c: the invisible text layer: every recognised word placed exactly over its image
 * on the scan, as scanned (skew and quarter turns included), so that selecting text in a
 * viewer lands on the words and pdftotext gives back what was recognised.
 *
 * The font is Tesseract's glyphless one (572 bytes; libharu's TrueType loader rejects it,
 * so its objects are built here with libharu's object calls) and text is written as
 * UTF-16 code units, one CID each, with a ToUnicode map that says exactly that.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf_pages.h>
#include <libdeflate.h>

#include "pdf_int.h"

/* every glyph of the glyphless font is half an em wide (its /DW) */
#define GLYPH_WIDTH 0.5

static const char tounicode[] =
    "/CIDInit /ProcSet findresource begin\n"
    "12 dict begin\n"
    "begincmap\n"
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
    "/CMapName /Adobe-Identity-UCS def\n"
    "/CMapType 2 def\n"
    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
    "1 beginbfrange\n<0000> <FFFF> <0000>\nendbfrange\n"
    "endcmap\n"
    "CMapName currentdict /CMap defineresource pop\n"
    "end\nend\n";

int sh_textfont_load(sh_textfont *tf, const char *tessdata, sh_error *err)
{
    char path[1024];
    FILE *f;
    long n;

    memset(tf, 0, sizeof *tf);
    snprintf(path, sizeof path, "%s/pdf.ttf",
             tessdata ? tessdata : "/usr/share/tesseract-ocr/5/tessdata");
    if (!(f = fopen(path, "rb")))
        return sh_fail(err, SH_EIO, "cannot read the text-layer font %s (part of the "
                       "tesseract-ocr package)", path);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    if (n <= 0 || n > 1 << 20 || !(tf->ttf = malloc((size_t)n)) ||
        fread(tf->ttf, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        sh_textfont_free(tf);
        return sh_fail(err, SH_EIO, "cannot read the text-layer font %s", path);
    }
    fclose(f);
    tf->ttf_len = (size_t)n;

    /* CIDToGIDMap: 65536 big-endian glyph ids, all 1 (glyph 0 upsets Acrobat) */
    unsigned char *map = malloc(1 << 17);
    struct libdeflate_compressor *z = libdeflate_alloc_compressor(9);
    size_t bound = z ? libdeflate_zlib_compress_bound(z, 1 << 17) : 0;
    if (map && z && (tf->cidmap = malloc(bound))) {
        for (size_t i = 0; i < 1 << 17; i += 2) {
            map[i] = 0;
            map[i + 1] = 1;
        }
        tf->cidmap_len = libdeflate_zlib_compress(z, map, 1 << 17, tf->cidmap, bound);
    }
    free(map);
    libdeflate_free_compressor(z);
    if (!tf->cidmap_len) {
        sh_textfont_free(tf);
        return sh_fail(err, SH_ENOMEM, "out of memory");
    }
    return 0;
}

void sh_textfont_free(sh_textfont *tf)
{
    free(tf->ttf);
    free(tf->cidmap);
    memset(tf, 0, sizeof *tf);
}

HPDF_Dict sh_pdf_text_font(HPDF_Doc pdf, const sh_textfont *tf)
{
    HPDF_MMgr mm = pdf->mmgr;
    HPDF_STATUS rc = HPDF_OK;
    HPDF_Dict type0 = HPDF_Dict_New(mm), cid = HPDF_Dict_New(mm), desc = HPDF_Dict_New(mm);
    HPDF_Dict sysinfo = HPDF_Dict_New(mm), cmap = NULL, file = NULL, gidmap = NULL;
    HPDF_Array kids = HPDF_Array_New(mm), bbox = HPDF_Array_New(mm);

    if (!type0 || !cid || !desc || !sysinfo || !kids || !bbox)
        return NULL;
    rc |= HPDF_Xref_Add(pdf->xref, type0);
    rc |= HPDF_Xref_Add(pdf->xref, cid);
    rc |= HPDF_Xref_Add(pdf->xref, desc);
    if (rc != HPDF_OK)
        return NULL;
    if (!(cmap = HPDF_DictStream_New(mm, pdf->xref)) ||
        !(file = sh_pdf_coded_stream(pdf, tf->ttf, tf->ttf_len, NULL)) ||
        !(gidmap = sh_pdf_coded_stream(pdf, tf->cidmap, tf->cidmap_len, "FlateDecode")))
        return NULL;
    cmap->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    rc |= HPDF_Stream_WriteStr(cmap->stream, tounicode);
    rc |= HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)tf->ttf_len);

    rc |= HPDF_Dict_AddName(type0, "Type", "Font");
    rc |= HPDF_Dict_AddName(type0, "Subtype", "Type0");
    rc |= HPDF_Dict_AddName(type0, "BaseFont", "GlyphLessFont");
    rc |= HPDF_Dict_AddName(type0, "Encoding", "Identity-H");
    rc |= HPDF_Dict_Add(type0, "DescendantFonts", kids);
    rc |= HPDF_Array_Add(kids, cid);
    rc |= HPDF_Dict_Add(type0, "ToUnicode", cmap);

    rc |= HPDF_Dict_AddName(cid, "Type", "Font");
    rc |= HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
    rc |= HPDF_Dict_AddName(cid, "BaseFont", "GlyphLessFont");
    rc |= HPDF_Dict_Add(cid, "CIDSystemInfo", sysinfo);
    rc |= HPDF_Dict_Add(sysinfo, "Registry", HPDF_String_New(mm, "Adobe", NULL));
    rc |= HPDF_Dict_Add(sysinfo, "Ordering", HPDF_String_New(mm, "Identity", NULL));
    rc |= HPDF_Dict_AddNumber(sysinfo, "Supplement", 0);
    rc |= HPDF_Dict_Add(cid, "FontDescriptor", desc);
    rc |= HPDF_Dict_AddNumber(cid, "DW", (HPDF_INT32)(1000 * GLYPH_WIDTH));
    rc |= HPDF_Dict_Add(cid, "CIDToGIDMap", gidmap);

    rc |= HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
    rc |= HPDF_Dict_AddName(desc, "FontName", "GlyphLessFont");
    rc |= HPDF_Dict_AddNumber(desc, "Flags", 5); /* fixed pitch, symbolic */
    rc |= HPDF_Dict_Add(desc, "FontBBox", bbox);
    rc |= HPDF_Array_AddNumber(bbox, 0);
    rc |= HPDF_Array_AddNumber(bbox, 0);
    rc |= HPDF_Array_AddNumber(bbox, (HPDF_INT32)(1000 * GLYPH_WIDTH));
    rc |= HPDF_Array_AddNumber(bbox, 1000);
    rc |= HPDF_Dict_AddNumber(desc, "ItalicAngle", 0);
    rc |= HPDF_Dict_AddNumber(desc, "Ascent", 1000);
    rc |= HPDF_Dict_AddNumber(desc, "Descent", -1);
    rc |= HPDF_Dict_AddNumber(desc, "CapHeight", 1000);
    rc |= HPDF_Dict_AddNumber(desc, "StemV", 80);
    rc |= HPDF_Dict_Add(desc, "FontFile2", file);
    return rc == HPDF_OK ? type0 : NULL;
}

/* Numbers for content streams: two decimals with '.', whatever the locale says (a
 * hundredth of a point is far below what a viewer's selection can show). */
static char *num(char *buf, double v)
{
    long long t = llround(v * 100);
    const char *sign = t < 0 ? "-" : "";
    t = llabs(t);
    if (t % 100 == 0)
        sprintf(buf, "%s%lld", sign, t / 100);
    else if (t % 10 == 0)
        sprintf(buf, "%s%lld.%lld", sign, t / 100, t % 100 / 10);
    else
        sprintf(buf, "%s%lld.%02lld", sign, t / 100, t % 100);
    return buf;
}

/* Appends one word as UTF-16BE hex; returns the number of code units written. */
static size_t utf16_hex(const char *s, char *out, size_t cap)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t units = 0, at = 0;

    while (*u && at + 9 < cap) {
        unsigned cp, n;
        if (*u < 0x80) { cp = *u; n = 1; }
        else if ((*u & 0xE0) == 0xC0) { cp = *u & 0x1F; n = 2; }
        else if ((*u & 0xF0) == 0xE0) { cp = *u & 0x0F; n = 3; }
        else { cp = *u & 0x07; n = 4; }
        for (unsigned i = 1; i < n; i++) {
            if ((u[i] & 0xC0) != 0x80) { n = i; cp = 0xFFFD; break; }
            cp = cp << 6 | (u[i] & 0x3F);
        }
        u += n;
        if (cp >= 0x10000 && cp <= 0x10FFFF) { /* a surrogate pair: two CIDs */
            cp -= 0x10000;
            at += (size_t)sprintf(out + at, "%04X%04X", 0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF));
            units += 2;
        } else if (cp < 0xD800 || (cp >= 0xE000 && cp < 0x10000)) {
            at += (size_t)sprintf(out + at, "%04X", cp);
            units++;
        }
    }
    out[at] = '\0';
    return units;
}

/* Where a point of the OCR image falls on the page, in points. */
static void to_page(const sh_page *p, const double m[6], double u, double v, double *X,
                    double *Y)
{
    double x, y;
    sh_geometry_to_raster(&p->geom, p->image.width, p->image.height, u, v, &x, &y);
    double ux = x / p->image.width, uy = 1 - y / p->image.height; /* the unit square */
    *X = m[0] * ux + m[2] * uy + m[4];
    *Y = m[1] * ux + m[3] * uy + m[5];
}

/* A word's baseline on the page: where it starts and ends, in points. */
typedef struct placed {
    double x0, y0, x1, y1;
} placed;

static void place(const sh_page *p, const double m[6], const sh_word *w, placed *o)
{
    /* the word's stretch of its line's baseline, in OCR pixels */
    double bx1 = w->base[0], by1 = w->base[1], bx2 = w->base[2], by2 = w->base[3];
    double slope = bx2 != bx1 ? (by2 - by1) / (bx2 - bx1) : 0;
    double u0 = w->box[0], u1 = w->box[2];
    double v0 = bx2 != bx1 ? by1 + (u0 - bx1) * slope : w->box[3];
    double v1 = bx2 != bx1 ? by1 + (u1 - bx1) * slope : w->box[3];
    to_page(p, m, u0, v0, &o->x0, &o->y0);
    to_page(p, m, u1, v1, &o->x1, &o->y1);
}

/* One text line of the layer: its words [first, end), the quarter turn it runs along
 * (dc, ds), its slope on the page, and the font size it is written at. */
typedef struct layer_line {
    size_t first, end;
    double dc, ds, slope;
    double across; /* where its baseline is, across the quarter turn */
    double lo, hi; /* where it starts and ends, along it */
    double size;
    bool gapped; /* a gap of more than an em between two of its words */
} layer_line;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sizes 6 % apart: poppler keeps lines under 5 % apart together. */
static bool apart(double a, double b) { return fabs(a - b) >= 0.06 * fmax(a, b); }

/* Font sizes, so that extractors group the words as the recogniser did. poppler (pdftotext)
 * joins lines into a block when their font sizes differ by under 5 %: one size per
 * recognised paragraph (the median of its lines' heights) keeps a paragraph one block, and
 * a column a column, where sizes taken line by line (heights vary with diacritics and
 * descenders) broke paragraphs into lines and interleaved columns. A line with a wide gap
 * is a row across cells (the agency | motto header, the number | place-and-date line): the
 * recogniser reads it across, but an extractor splits it at the gap and, if the rows are
 * one size, stacks each side into a column block. Such rows get sizes 8 % or more under
 * their neighbours' (smaller, so that their glyph boxes do not reach into the row above and
 * change the order), so each stays a row of its own. */
static void size_lines(layer_line *ln, size_t nl, const sh_word *w, double *scratch)
{
    for (size_t a = 0, b; a < nl; a = b) {
        size_t n = 0;
        for (b = a; b < nl && (b == a || !w[ln[b].first].para_start); b++)
            if (ln[b].size > 0)
                scratch[n++] = ln[b].size;
        if (!n)
            continue;
        qsort(scratch, n, sizeof *scratch, cmp_double);
        double size = round(scratch[n / 2] * 4) / 4;
        /* a row across a gap under the distance to the line above: a glyph box (a whole em
         * over the baseline) reaching past that line's baseline makes the two cells of
         * each row overlap the row above, and an extractor reorders the table they make */
        for (size_t i = a > 0 ? a : 1; i < b; i++) {
            double d = ln[i - 1].across - ln[i].across;
            bool above = fmin(ln[i - 1].hi, ln[i].hi) > fmax(ln[i - 1].lo, ln[i].lo);
            if (ln[i].gapped && ln[i - 1].dc == ln[i].dc && ln[i - 1].ds == ln[i].ds &&
                above && d >= 0.5 * size && d < size / 0.95)
                size = floor(0.95 * d * 4) / 4;
        }
        for (size_t i = a; i < b; i++)
            if (ln[i].size > 0)
                ln[i].size = size;
    }
    /* a run of rows: sizes alternating between two steps under the smallest of them */
    for (size_t i = 0, j; i < nl; i = j) {
        if (!ln[i].gapped || ln[i].size <= 0) {
            j = i + 1;
            continue;
        }
        double under = ln[i].size;
        for (j = i; j < nl && ln[j].gapped && ln[j].size > 0; j++)
            under = fmin(under, ln[j].size);
        double prev = i > 0 ? ln[i - 1].size : 0, next = j < nl ? ln[j].size : 0;
        static const double step[][2] = {{0.92, 0.84}, {0.84, 0.92}, {0.76, 0.84}};
        for (size_t k = 0; k < sizeof step / sizeof step[0]; k++) {
            double a = round(under * step[k][0] * 4) / 4, b = round(under * step[k][1] * 4) / 4;
            double last = (j - i) % 2 ? a : b;
            if (apart(a, prev) && apart(last, next)) {
                for (size_t r = i; r < j; r++)
                    ln[r].size = (r - i) % 2 ? b : a;
                break;
            }
        }
    }
}

int sh_pdf_text_layer(HPDF_Doc pdf, HPDF_Page page, HPDF_Dict font, const sh_page *p,
                      const double m[6])
{
    HPDF_Stream s = ((HPDF_PageAttr)page->attr)->stream;
    const char *fname;
    char n[8][32], hex[4096], line[256];
    /* points per OCR pixel: the OCR image keeps the scan's resolution times its scale */
    double pt_per_px = 72.0 / (p->dpi_y * p->geom.scale);
    placed *pl;
    layer_line *ln;
    double *scratch;
    size_t nl = 0;

    (void)pdf;
    if (!p->nwords)
        return 0;
    if (!(fname = HPDF_Page_GetLocalFontName(page, font)))
        return -1;
    pl = malloc(p->nwords * sizeof *pl);
    ln = malloc(p->nwords * sizeof *ln);
    scratch = malloc(p->nwords * sizeof *scratch);
    if (!pl || !ln || !scratch) {
        free(pl);
        free(ln);
        free(scratch);
        return -1;
    }
    for (size_t i = 0; i < p->nwords; i++)
        place(p, m, &p->words[i], &pl[i]);

    double cx = (m[0] + m[2]) / 2 + m[4], cy = (m[1] + m[3]) / 2 + m[5]; /* page centre */
    for (size_t first = 0, end; first < p->nwords; first = end) {
        for (end = first + 1; end < p->nwords && !p->words[end].line_start; end++)
            ;
        layer_line *l = &ln[nl++];
        l->first = first;
        l->end = end;
        l->slope = atan2(pl[end - 1].y1 - pl[first].y0, pl[end - 1].x1 - pl[first].x0);
        double theta = round(l->slope / (M_PI / 2)) * (M_PI / 2);
        l->dc = round(cos(theta));
        l->ds = round(sin(theta));
        l->size = p->words[first].line_height * pt_per_px;
        if (l->size <= 0)
            l->size = (p->words[first].box[3] - p->words[first].box[1]) * pt_per_px;
        l->gapped = false;
        for (size_t i = first; i + 1 < end; i++) {
            double gap = (pl[i + 1].x0 - pl[i].x1) * l->dc + (pl[i + 1].y0 - pl[i].y1) * l->ds;
            if (gap > l->size)
                l->gapped = true;
        }
        /* The line is written straight, along the nearest quarter turn, through the middle
         * of its baseline on the scan; each word where it starts. Extractors group words
         * by baseline, and a line following the scan's slope runs into its neighbours
         * (how Tesseract's own PDFs lose their word order on skewed pages): level lines
         * keep pdftotext's text what was recognised, and selection lands on the words.
         * The line's height is taken where its baseline crosses the page's centre line
         * (the straightened page's order): short lines at the margins then keep their
         * place among long ones, which a height taken at each line's own middle does not
         * at a few degrees of skew. */
        double mx = (pl[first].x0 + pl[end - 1].x1) / 2, my = (pl[first].y0 + pl[end - 1].y1) / 2;
        double dc = l->dc, ds = l->ds, t = tan(l->slope - theta);
        double along_mid = mx * dc + my * ds, along_c = cx * dc + cy * ds;
        l->across = -mx * ds + my * dc - (along_mid - along_c) * t;
        l->lo = pl[first].x0 * dc + pl[first].y0 * ds;
        l->hi = pl[end - 1].x1 * dc + pl[end - 1].y1 * ds;
    }
    size_lines(ln, nl, p->words, scratch);

    HPDF_Stream_WriteStr(s, "\nBT\n3 Tr\n");
    double last_size = -1;
    for (size_t k = 0; k < nl; k++) {
        size_t first = ln[k].first, end = ln[k].end;
        double dc = ln[k].dc, ds = ln[k].ds, size = ln[k].size, across = ln[k].across;
        if (size <= 0)
            continue;
        if (size != last_size) {
            snprintf(line, sizeof line, "/%s %s Tf ", fname, num(n[0], size));
            HPDF_Stream_WriteStr(s, line);
            last_size = size;
        }
        double prev_along = 0;
        bool started = false;
        for (size_t i = first; i < end; i++) {
            size_t units = utf16_hex(p->words[i].text, hex, sizeof hex);
            double along = pl[i].x0 * dc + pl[i].y0 * ds;
            double len = (pl[i].x1 - pl[i].x0) * dc + (pl[i].y1 - pl[i].y0) * ds;
            double next = i + 1 < end ? pl[i + 1].x0 * dc + pl[i + 1].y0 * ds : INFINITY;
            if (!units)
                continue;
            /* a word ends a fifth of an em before the next one starts: boxes that touch
             * would otherwise read as one word ("dữliệu") */
            if (len > next - along - 0.2 * size)
                len = next - along - 0.2 * size;
            if (len < 0.25 * size * units * GLYPH_WIDTH)
                len = 0.25 * size * units * GLYPH_WIDTH;
            if (!started) {
                snprintf(line, sizeof line, "%s %s %s %s %s %s Tm ", num(n[1], dc), num(n[2], ds),
                         num(n[3], -ds), num(n[4], dc), num(n[5], along * dc - across * ds),
                         num(n[6], along * ds + across * dc));
                started = true;
            } else { /* along the line from the previous word */
                snprintf(line, sizeof line, "%s 0 Td ", num(n[1], along - prev_along));
            }
            HPDF_Stream_WriteStr(s, line);
            prev_along = along;
            snprintf(line, sizeof line, "%s Tz <", num(n[7], 100 * len / (units * GLYPH_WIDTH * size)));
            HPDF_Stream_WriteStr(s, line);
            HPDF_Stream_WriteStr(s, hex);
            /* then a space over the gap to the next word: justified lines leave gaps that
             * extractors would not take for word breaks ("số hóa" read as "sốhóa") */
            if (i + 1 < end) {
                double gap = next - along - len;
                if (gap > 0.01) {
                    snprintf(line, sizeof line, "> Tj %s Tz <0020", num(n[7], 100 * gap / (GLYPH_WIDTH * size)));
                    HPDF_Stream_WriteStr(s, line);
                }
            }
            HPDF_Stream_WriteStr(s, "> Tj\n");
        }
    }
    free(pl);
    free(ln);
    free(scratch);
    return HPDF_Stream_WriteStr(s, "ET\n") == HPDF_OK ? 0 : -1;
}
