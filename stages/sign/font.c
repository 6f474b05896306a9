/* font.c: a TrueType font cut down to the glyphs one stamp uses, embedded as a Type0 /
 * CIDFontType2 font (Identity-H, CID = the subset's glyph id) with widths and a ToUnicode
 * map, so Vietnamese ("Đ", "ễ") renders in every viewer and can be copied as text.
 *
 * Why not the whole font: DejaVu Serif is 380 KB; a stamp needs 30-60 glyphs, which come to
 * a few KB. Glyphs are renumbered and composite glyphs (many Vietnamese letters are a base
 * letter plus marks) bring their parts along. Fonts are read once per path and kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>
#include <zlib.h>

#include "sign_int.h"

typedef struct ttf {
    char *path;
    unsigned char *data;
    size_t len;
    const unsigned char *head, *hhea, *maxp, *hmtx, *loca, *glyf, *cmap, *cvt, *fpgm, *prep;
    size_t maxp_len, glyf_len, cmap_len, cvt_len, fpgm_len, prep_len, hmtx_len;
    unsigned units, nglyphs, nmetrics, long_loca;
    int ascent, descent, bbox[4];
    const unsigned char *map4, *map12; /* cmap subtables */
    struct ttf *next;
} ttf;

static unsigned u16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }
static int s16(const unsigned char *p) { return (int16_t)u16(p); }
static uint32_t u32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static const unsigned char *table(const ttf *f, const char *tag, size_t min, size_t *len)
{
    unsigned n = u16(f->data + 4);
    for (unsigned i = 0; i < n && 12 + 16 * (size_t)(i + 1) <= f->len; i++) {
        const unsigned char *e = f->data + 12 + 16 * i;
        uint32_t off = u32(e + 8), l = u32(e + 12);
        if (memcmp(e, tag, 4) == 0 && off <= f->len && l <= f->len - off && l >= min) {
            if (len)
                *len = l;
            return f->data + off;
        }
    }
    return NULL;
}

static int ttf_parse(ttf *f)
{
    size_t l;
    if (f->len < 12)
        return -1;
    if (!(f->head = table(f, "head", 54, NULL)) || !(f->hhea = table(f, "hhea", 36, NULL)) ||
        !(f->maxp = table(f, "maxp", 6, &f->maxp_len)) || !(f->hmtx = table(f, "hmtx", 4, &f->hmtx_len)) ||
        !(f->loca = table(f, "loca", 4, &l)) || !(f->glyf = table(f, "glyf", 0, &f->glyf_len)) ||
        !(f->cmap = table(f, "cmap", 4, &f->cmap_len)))
        return -1;
    f->cvt = table(f, "cvt ", 0, &f->cvt_len);
    f->fpgm = table(f, "fpgm", 0, &f->fpgm_len);
    f->prep = table(f, "prep", 0, &f->prep_len);
    f->units = u16(f->head + 18);
    f->long_loca = s16(f->head + 50) == 1;
    for (int i = 0; i < 4; i++)
        f->bbox[i] = s16(f->head + 36 + 2 * i);
    f->ascent = s16(f->hhea + 4);
    f->descent = s16(f->hhea + 6);
    f->nmetrics = u16(f->hhea + 34);
    f->nglyphs = u16(f->maxp + 4);
    if (!f->units || !f->nmetrics || f->nmetrics > f->nglyphs ||
        (size_t)f->nmetrics * 4 > f->hmtx_len ||
        (size_t)(f->nglyphs + 1) * (f->long_loca ? 4 : 2) > l)
        return -1;
    /* the Unicode subtables: format 12 (full range) or 4 (BMP) */
    unsigned n = u16(f->cmap + 2);
    for (unsigned i = 0; i < n && 4 + 8 * (size_t)(i + 1) <= f->cmap_len; i++) {
        const unsigned char *e = f->cmap + 4 + 8 * i;
        unsigned pid = u16(e), eid = u16(e + 2);
        uint32_t off = u32(e + 4);
        if (off + 8 > f->cmap_len || !(pid == 0 || (pid == 3 && (eid == 1 || eid == 10))))
            continue;
        const unsigned char *st = f->cmap + off;
        if (u16(st) == 4 && !f->map4 && off + u16(st + 2) <= f->cmap_len)
            f->map4 = st;
        else if (u16(st) == 12 && !f->map12 && off + u32(st + 4) <= f->cmap_len)
            f->map12 = st;
    }
    return f->map4 || f->map12 ? 0 : -1;
}

static unsigned glyph_of(const ttf *f, unsigned cp)
{
    if (f->map12) {
        uint32_t n = u32(f->map12 + 12);
        for (uint32_t i = 0; i < n; i++) {
            const unsigned char *g = f->map12 + 16 + 12 * (size_t)i;
            if (cp >= u32(g) && cp <= u32(g + 4))
                return (unsigned)(u32(g + 8) + cp - u32(g));
        }
        return 0;
    }
    const unsigned char *t = f->map4;
    unsigned segs = u16(t + 6) / 2, len = u16(t + 2);
    const unsigned char *ends = t + 14, *starts = ends + 2 * segs + 2, *deltas = starts + 2 * segs,
                        *ranges = deltas + 2 * segs;
    if (cp > 0xFFFF || 16 + 8 * (size_t)segs > len)
        return 0;
    for (unsigned i = 0; i < segs; i++) {
        if (cp > u16(ends + 2 * i))
            continue;
        unsigned start = u16(starts + 2 * i), ro = u16(ranges + 2 * i);
        if (cp < start)
            return 0;
        if (!ro)
            return (cp + u16(deltas + 2 * i)) & 0xFFFF;
        const unsigned char *g = ranges + 2 * i + ro + 2 * (cp - start);
        if (g + 2 > t + len)
            return 0;
        unsigned gid = u16(g);
        return gid ? (gid + u16(deltas + 2 * i)) & 0xFFFF : 0;
    }
    return 0;
}

static size_t loca_at(const ttf *f, unsigned g)
{
    return f->long_loca ? u32(f->loca + 4 * g) : (size_t)u16(f->loca + 2 * g) * 2;
}

static unsigned advance(const ttf *f, unsigned g)
{
    return u16(f->hmtx + 4 * (g < f->nmetrics ? g : f->nmetrics - 1));
}

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static ttf *cache;

/* The font at path, read once per process; NULL with err set. */
static const ttf *font_load(const char *path, sh_error *err)
{
    pthread_mutex_lock(&cache_lock);
    for (ttf *f = cache; f; f = f->next)
        if (strcmp(f->path, path) == 0) {
            pthread_mutex_unlock(&cache_lock);
            return f;
        }
    ttf *f = calloc(1, sizeof *f);
    FILE *fp = fopen(path, "rb");
    if (f && fp && fseek(fp, 0, SEEK_END) == 0) {
        long n = ftell(fp);
        rewind(fp);
        if (n > 0 && n < (64 << 20) && (f->data = malloc((size_t)n)) &&
            fread(f->data, 1, (size_t)n, fp) == (size_t)n)
            f->len = (size_t)n;
    }
    if (fp)
        fclose(fp);
    if (!f || !f->len || ttf_parse(f) < 0 || !(f->path = strdup(path))) {
        if (f)
            free(f->data);
        free(f);
        pthread_mutex_unlock(&cache_lock);
        sh_fail(err, SH_EFORMAT, "%s: not a TrueType font sohoa can use for the stamp "
                "(give another with --font)", path);
        return NULL;
    }
    f->next = cache;
    cache = f;
    pthread_mutex_unlock(&cache_lock);
    return f;
}

/* ---- the subset of one stamp ---- */

struct sh_font {
    const ttf *f;
    unsigned *old;           /* subset glyph -> font glyph */
    unsigned *cps;           /* subset glyph -> code point (for ToUnicode; 0 none) */
    unsigned n, cap;
};

static int add_glyph(sh_font *s, unsigned g, unsigned cp)
{
    for (unsigned i = 0; i < s->n; i++)
        if (s->old[i] == g) {
            if (!s->cps[i] && g) /* .notdef never claims a character: extraction shows the gap */
                s->cps[i] = cp;
            return (int)i;
        }
    if (s->n == s->cap) {
        unsigned cap = s->cap ? 2 * s->cap : 64;
        unsigned *o = realloc(s->old, cap * sizeof *o), *c = o ? realloc(s->cps, cap * sizeof *c) : NULL;
        if (o)
            s->old = o;
        if (!c)
            return -1;
        s->cps = c;
        s->cap = cap;
    }
    s->old[s->n] = g;
    s->cps[s->n] = cp;
    return (int)s->n++;
}

sh_font *sh_font_open(const char *path, sh_error *err)
{
    const ttf *f = font_load(path, err);
    sh_font *s = f ? calloc(1, sizeof *s) : NULL;
    if (!f)
        return NULL;
    if (!s || (s->f = f, add_glyph(s, 0, 0)) < 0) { /* glyph 0 (.notdef) stays first */
        free(s);
        sh_fail(err, SH_ENOMEM, "out of memory");
        return NULL;
    }
    /* what every time needs, so that the subset does not change with the clock */
    for (const char *c = "0123456789/:+ "; *c; c++)
        if (add_glyph(s, glyph_of(f, (unsigned char)*c), (unsigned char)*c) < 0) {
            sh_font_close(s);
            sh_fail(err, SH_ENOMEM, "out of memory");
            return NULL;
        }
    return s;
}

void sh_font_close(sh_font *s)
{
    if (s) {
        free(s->old);
        free(s->cps);
        free(s);
    }
}

/* UTF-8 to code points (a bad byte becomes U+FFFD). */
static unsigned next_cp(const unsigned char **p)
{
    const unsigned char *q = *p;
    unsigned c = *q++, n = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    unsigned cp = n == 0 ? c : c & (0x3F >> n);
    for (unsigned i = 0; i < n; i++, q++) {
        if ((*q & 0xC0) != 0x80)
            return *p = q, 0xFFFD;
        cp = cp << 6 | (*q & 0x3F);
    }
    *p = q;
    return cp;
}

int sh_font_encode(sh_font *s, const char *utf8, sh_buf *hex, double *width)
{
    const unsigned char *p = (const unsigned char *)utf8;
    double w = 0;
    sh_buf_putc(hex, '<');
    while (*p) {
        unsigned cp = next_cp(&p), g = glyph_of(s->f, cp);
        int sub = add_glyph(s, g, cp);
        if (sub < 0)
            return -1;
        sh_buf_printf(hex, "%04X", (unsigned)sub);
        w += advance(s->f, g) * 1000.0 / s->f->units;
    }
    sh_buf_putc(hex, '>');
    if (width)
        *width = w;
    return 0;
}

double sh_font_width(const sh_font *s, const char *utf8)
{
    const unsigned char *p = (const unsigned char *)utf8;
    double w = 0;
    while (*p)
        w += advance(s->f, glyph_of(s->f, next_cp(&p))) * 1000.0 / s->f->units;
    return w;
}

double sh_font_ascent(const sh_font *s) { return s->f->ascent * 1000.0 / s->f->units; }

/* Composite glyphs name their parts: those join the subset, their ids rewritten later. */
static int add_components(sh_font *s)
{
    for (unsigned i = 0; i < s->n; i++) { /* s->n grows as parts are found */
        const ttf *f = s->f;
        unsigned g = s->old[i];
        if (g >= f->nglyphs)
            continue;
        size_t a = loca_at(f, g), b = loca_at(f, g + 1);
        if (b <= a + 10 || b > f->glyf_len || s16(f->glyf + a) >= 0)
            continue;
        size_t o = a + 10;
        for (;;) {
            if (o + 4 > b)
                break;
            unsigned flags = u16(f->glyf + o), part = u16(f->glyf + o + 2);
            if (add_glyph(s, part, 0) < 0)
                return -1;
            o += 4 + (flags & 1 ? 4 : 2);
            o += flags & 8 ? 2 : flags & 0x40 ? 4 : flags & 0x80 ? 8 : 0;
            if (!(flags & 0x20))
                break;
        }
    }
    return 0;
}

static void put16(sh_buf *b, unsigned v)
{
    sh_buf_putc(b, (unsigned char)(v >> 8));
    sh_buf_putc(b, (unsigned char)v);
}

static void put32(sh_buf *b, uint32_t v)
{
    put16(b, v >> 16);
    put16(b, v & 0xFFFF);
}

static uint32_t checksum(const unsigned char *p, size_t n)
{
    uint32_t s = 0;
    for (size_t i = 0; i < n; i += 4) {
        unsigned char t[4] = {0};
        memcpy(t, p + i, n - i < 4 ? n - i : 4);
        s += u32(t);
    }
    return s;
}

/* The subset as a TrueType file: head, hhea, maxp, hmtx, loca, glyf (+ hinting tables). */
static int build_ttf(const sh_font *s, sh_buf *out)
{
    const ttf *f = s->f;
    sh_buf t[9] = {{0}};
    const char *tags[9] = {"cvt ", "fpgm", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "prep"};
    /* glyf + loca (long offsets), parts renumbered */
    for (unsigned i = 0; i < s->n; i++) {
        put32(&t[6], (uint32_t)t[2].n);
        unsigned g = s->old[i];
        size_t a = g < f->nglyphs ? loca_at(f, g) : 0, b = g < f->nglyphs ? loca_at(f, g + 1) : 0;
        if (b > a && b <= f->glyf_len) {
            size_t at = t[2].n;
            sh_buf_put(&t[2], f->glyf + a, b - a);
            if (s16(f->glyf + a) < 0 && !t[2].oom) { /* composite: new part ids */
                size_t o = at + 10;
                for (;;) {
                    if (o + 4 > t[2].n)
                        break;
                    unsigned flags = u16(t[2].p + o), part = u16(t[2].p + o + 2);
                    for (unsigned k = 0; k < s->n; k++)
                        if (s->old[k] == part) {
                            t[2].p[o + 2] = (unsigned char)(k >> 8);
                            t[2].p[o + 3] = (unsigned char)k;
                        }
                    o += 4 + (flags & 1 ? 4 : 2);
                    o += flags & 8 ? 2 : flags & 0x40 ? 4 : flags & 0x80 ? 8 : 0;
                    if (!(flags & 0x20))
                        break;
                }
            }
            while (t[2].n % 4)
                sh_buf_putc(&t[2], 0);
        }
        /* hmtx: every glyph gets its own advance and left side bearing */
        unsigned adv = advance(f, g < f->nglyphs ? g : 0);
        size_t lsb_at = g < f->nmetrics ? 4 * (size_t)g + 2 : 4 * (size_t)f->nmetrics + 2 * (size_t)(g - f->nmetrics);
        put16(&t[5], adv);
        put16(&t[5], lsb_at + 2 <= f->hmtx_len ? u16(f->hmtx + lsb_at) : 0);
    }
    put32(&t[6], (uint32_t)t[2].n);
    sh_buf_put(&t[3], f->head, 54);
    if (!t[3].oom) {
        memset(t[3].p + 8, 0, 4); /* checkSumAdjustment: not checked by PDF viewers */
        t[3].p[50] = 0;
        t[3].p[51] = 1; /* long loca */
    }
    sh_buf_put(&t[4], f->hhea, 36);
    if (!t[4].oom) {
        t[4].p[34] = (unsigned char)(s->n >> 8);
        t[4].p[35] = (unsigned char)s->n;
    }
    /* maxp as it was (version 1.0 carries the hinting limits fpgm/prep need) */
    sh_buf_put(&t[7], f->maxp, f->maxp_len >= 32 ? 32 : 6);
    if (!t[7].oom) {
        t[7].p[4] = (unsigned char)(s->n >> 8);
        t[7].p[5] = (unsigned char)s->n;
    }
    if (f->cvt)
        sh_buf_put(&t[0], f->cvt, f->cvt_len);
    if (f->fpgm)
        sh_buf_put(&t[1], f->fpgm, f->fpgm_len);
    if (f->prep)
        sh_buf_put(&t[8], f->prep, f->prep_len);

    unsigned nt = 0;
    for (int i = 0; i < 9; i++)
        nt += t[i].n > 0;
    put32(out, 0x00010000);
    put16(out, nt);
    unsigned es = 0;
    while ((2u << es) <= nt)
        es++;
    put16(out, 16u << es);
    put16(out, es);
    put16(out, nt * 16 - (16u << es));
    size_t off = 12 + 16 * (size_t)nt;
    for (int i = 0; i < 9; i++) {
        if (!t[i].n)
            continue;
        sh_buf_put(out, tags[i], 4);
        put32(out, checksum(t[i].p, t[i].n));
        put32(out, (uint32_t)off);
        put32(out, (uint32_t)t[i].n);
        off += (t[i].n + 3) & ~(size_t)3;
    }
    int oom = 0;
    for (int i = 0; i < 9; i++) {
        sh_buf_put(out, t[i].p, t[i].n);
        while (out->n % 4)
            sh_buf_putc(out, 0);
        oom |= t[i].oom;
        sh_buf_free(&t[i]);
    }
    return oom || out->oom ? -1 : 0;
}

/* Subsets already made, by their exact glyph list: a batch stamps the same name again and
 * again, and the digits of the time are in every subset (sh_font_open), so after the first
 * file the font program is reused instead of rebuilt and recompressed. */
typedef struct made {
    const ttf *f;
    unsigned *old, n;
    unsigned char *z;
    size_t z_len, ttf_len;
} made;
#define MADE_MAX 16
static made made_cache[MADE_MAX];
static unsigned made_next;
static pthread_mutex_t made_lock = PTHREAD_MUTEX_INITIALIZER;

/* The compressed font program of subset s into z (a copy); ttf_len its size unpacked. */
static int font_program(const sh_font *s, sh_buf *z, size_t *ttf_len)
{
    pthread_mutex_lock(&made_lock);
    for (unsigned i = 0; i < MADE_MAX; i++) {
        made *m = &made_cache[i];
        if (m->f == s->f && m->n == s->n && memcmp(m->old, s->old, s->n * sizeof *s->old) == 0) {
            sh_buf_put(z, m->z, m->z_len);
            *ttf_len = m->ttf_len;
            pthread_mutex_unlock(&made_lock);
            return z->oom ? -1 : 0;
        }
    }
    pthread_mutex_unlock(&made_lock);
    sh_buf file = {0};
    if (build_ttf(s, &file) < 0) {
        sh_buf_free(&file);
        return -1;
    }
    uLongf zl = compressBound((uLong)file.n);
    unsigned char *zp = malloc(zl);
    if (!zp || compress2(zp, &zl, file.p, (uLong)file.n, 6) != Z_OK) {
        free(zp);
        sh_buf_free(&file);
        return -1;
    }
    *ttf_len = file.n;
    sh_buf_free(&file);
    sh_buf_put(z, zp, zl);
    unsigned *old = malloc(s->n * sizeof *old);
    if (old) {
        memcpy(old, s->old, s->n * sizeof *old);
        pthread_mutex_lock(&made_lock);
        made *m = &made_cache[made_next++ % MADE_MAX];
        free(m->old);
        free(m->z);
        *m = (made){s->f, old, s->n, zp, zl, *ttf_len};
        pthread_mutex_unlock(&made_lock);
    } else {
        free(zp);
    }
    return z->oom ? -1 : 0;
}

unsigned sh_font_write(sh_font *s, sh_update *u, sh_error *err)
{
    const ttf *f = s->f;
    sh_buf z = {0}, file = {0}; /* file: only its length, for /Length1 */
    if (add_components(s) < 0 || font_program(s, &z, &file.n) < 0) {
        sh_buf_free(&z);
        sh_fail(err, SH_ENOMEM, "out of memory");
        return 0;
    }
    double k = 1000.0 / f->units;
    unsigned type0 = sh_update_new(u), cid = sh_update_new(u), desc = sh_update_new(u),
             ff = sh_update_new(u), tu = sh_update_new(u);
    /* a subset tag from the glyphs, so two different subsets never share a name */
    uint32_t h = 2166136261u;
    for (unsigned i = 0; i < s->n; i++)
        h = (h ^ s->old[i]) * 16777619u;
    char name[64], base[40];
    const char *slash = strrchr(s->f->path, '/');
    snprintf(base, sizeof base, "%s", slash ? slash + 1 : s->f->path);
    char *dot = strrchr(base, '.');
    if (dot)
        *dot = 0;
    for (char *c = base; *c; c++)
        if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-'))
            *c = '-';
    snprintf(name, sizeof name, "%c%c%c%c%c%c+%s", 'A' + h % 26, 'A' + h / 26 % 26,
             'A' + h / 676 % 26, 'A' + h / 17576 % 26, 'A' + h / 456976 % 26,
             'A' + h / 11881376 % 26, base);

    sh_update_obj(u, type0, 0);
    sh_buf_printf(&u->out, "<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H "
                           "/DescendantFonts [%u 0 R] /ToUnicode %u 0 R >>\nendobj\n",
                  name, cid, tu);
    sh_update_obj(u, cid, 0);
    sh_buf_printf(&u->out, "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo "
                           "<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                           "/FontDescriptor %u 0 R /CIDToGIDMap /Identity /DW 1000\n/W [0 [",
                  name, desc);
    for (unsigned i = 0; i < s->n; i++)
        sh_buf_printf(&u->out, "%s%.0f", i ? " " : "", advance(f, s->old[i]) * k);
    sh_buf_printf(&u->out, "]] >>\nendobj\n");
    sh_update_obj(u, desc, 0);
    sh_buf_printf(&u->out, "<< /Type /FontDescriptor /FontName /%s /Flags 6 /FontBBox [%.0f %.0f "
                           "%.0f %.0f] /ItalicAngle 0 /Ascent %.0f /Descent %.0f /CapHeight %.0f "
                           "/StemV 80 /FontFile2 %u 0 R >>\nendobj\n",
                  name, f->bbox[0] * k, f->bbox[1] * k, f->bbox[2] * k, f->bbox[3] * k,
                  f->ascent * k, f->descent * k, f->ascent * k * 0.7, ff);
    sh_update_obj(u, ff, 0);
    sh_buf_printf(&u->out, "<< /Length %zu /Length1 %zu /Filter /FlateDecode >>\nstream\n", z.n,
                  file.n);
    sh_buf_put(&u->out, z.p, z.n);
    sh_buf_printf(&u->out, "\nendstream\nendobj\n");
    /* ToUnicode: subset glyph -> the character it was drawn for */
    sh_buf cm = {0};
    sh_buf_printf(&cm, "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
                       "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                       "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
                       "1 begincodespacerange <0000> <FFFF> endcodespacerange\n");
    unsigned mapped = 0;
    for (unsigned i = 0; i < s->n; i++)
        mapped += s->cps[i] != 0;
    for (unsigned i = 0, done = 0; i < s->n; i++) {
        if (!s->cps[i])
            continue;
        if (done % 100 == 0)
            sh_buf_printf(&cm, "%u beginbfchar\n", mapped - done < 100 ? mapped - done : 100);
        unsigned cp = s->cps[i];
        if (cp >= 0x10000)
            sh_buf_printf(&cm, "<%04X> <%04X%04X>\n", i, 0xD800 + ((cp - 0x10000) >> 10),
                          0xDC00 + ((cp - 0x10000) & 0x3FF));
        else
            sh_buf_printf(&cm, "<%04X> <%04X>\n", i, cp);
        if (++done % 100 == 0 || done == mapped)
            sh_buf_printf(&cm, "endbfchar\n");
    }
    sh_buf_printf(&cm, "endcmap CMapName currentdict /CMap defineresource pop end end\n");
    sh_update_obj(u, tu, 0);
    sh_buf_printf(&u->out, "<< /Length %zu >>\nstream\n", cm.n);
    sh_buf_put(&u->out, cm.p, cm.n);
    sh_buf_printf(&u->out, "\nendstream\nendobj\n");
    int oom = cm.oom;
    sh_buf_free(&cm);
    sh_buf_free(&z);
    if (oom || u->out.oom) {
        sh_fail(err, SH_ENOMEM, "out of memory");
        return 0;
    }
    return type0;
}
