/* layout.c: turns a document into pages of placed text with FreeType: greedy word wrap (no
 * hyphenation, so a rendered line is exactly a line of ground truth), justified body text,
 * centred headers, two-column blocks read left column first. Glyphs are rendered once per
 * font and size and kept, which is what makes a page cost milliseconds, not seconds. */
#include <ft2build.h>
#include FT_FREETYPE_H
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

/* Only fonts-dejavu-core: italics are sheared romans, so the same fonts (and so the same
 * line breaks and ground truth) exist on every machine that can build this. */
#define FONT_DIR "/usr/share/fonts/truetype/dejavu/"
static const char *const font_files[FONT_COUNT] = {
    "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf",
    "DejaVuSans.ttf",  "DejaVuSans-Bold.ttf",  "DejaVuSans.ttf",  "DejaVuSans-Bold.ttf",
};
#define INK 22          /* printer black is not 0 */
#define GLYPH_PAGES 0x22 /* codepoints below U+2200: Latin, Vietnamese, punctuation */

typedef struct {
    int16_t left, top;
    uint16_t w, h;
    int32_t adv;        /* 26.6 pixels, unhinted: layout must not depend on hinting */
    uint8_t *bmp;
    uint8_t ready;
} glyph;

typedef struct size_cache {
    int font, dpi, pt64;
    glyph *page[GLYPH_PAGES];
    struct size_cache *next;
} size_cache;

struct gen_fonts {
    FT_Library lib;
    FT_Face face[FONT_COUNT];
    size_cache *caches;
    uint32_t missing;   /* a codepoint some font lacks: its truth would not match the page */
};

uint32_t fonts_missing(const gen_fonts *f) { return f->missing; }

gen_fonts *fonts_open(char *err, size_t errlen)
{
    gen_fonts *f = calloc(1, sizeof *f);
    if (!f) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (FT_Init_FreeType(&f->lib)) {
        snprintf(err, errlen, "FreeType failed to start");
        free(f);
        return NULL;
    }
    FT_Matrix shear = {0x10000, 0x3400, 0, 0x10000}; /* x += 0.2 y: an oblique */
    for (int i = 0; i < FONT_COUNT; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s%s", FONT_DIR, font_files[i]);
        if (FT_New_Face(f->lib, path, 0, &f->face[i])) {
            snprintf(err, errlen, "cannot open the font %s (package fonts-dejavu-core)", path);
            fonts_close(f);
            return NULL;
        }
        if (i & STYLE_ITALIC)
            FT_Set_Transform(f->face[i], &shear, NULL);
    }
    return f;
}

void fonts_close(gen_fonts *f)
{
    if (!f)
        return;
    for (size_cache *c = f->caches, *next; c; c = next) {
        next = c->next;
        for (int p = 0; p < GLYPH_PAGES; p++) {
            if (!c->page[p])
                continue;
            for (int i = 0; i < 256; i++)
                free(c->page[p][i].bmp);
            free(c->page[p]);
        }
        free(c);
    }
    for (int i = 0; i < FONT_COUNT; i++)
        if (f->face[i])
            FT_Done_Face(f->face[i]);
    FT_Done_FreeType(f->lib);
    free(f);
}

static size_cache *cache_for(gen_fonts *f, int font, float pt, int dpi)
{
    int pt64 = (int)lroundf(pt * 64);
    for (size_cache *c = f->caches; c; c = c->next)
        if (c->font == font && c->pt64 == pt64 && c->dpi == dpi)
            return c;
    size_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->font = font;
    c->pt64 = pt64;
    c->dpi = dpi;
    c->next = f->caches;
    f->caches = c;
    return c;
}

/* A glyph with no outline in the font comes out as '?', never as a silent gap. */
static const glyph *glyph_for(gen_fonts *f, size_cache *c, uint32_t cp)
{
    static const glyph none = {0, 0, 0, 0, 0, NULL, 1};
    if (!c)
        return &none;
    if (cp >= GLYPH_PAGES * 256) {
        f->missing = cp;
        cp = '?';
    }
    glyph **page = &c->page[cp >> 8];
    if (!*page && !(*page = calloc(256, sizeof **page)))
        return &none;
    glyph *g = &(*page)[cp & 255];
    if (g->ready)
        return g;
    FT_Face face = f->face[c->font];
    FT_UInt index = FT_Get_Char_Index(face, cp);
    if (!index) {
        f->missing = cp;
        index = FT_Get_Char_Index(face, '?');
    }
    g->ready = 1;
    if (FT_Set_Char_Size(face, 0, c->pt64, (FT_UInt)c->dpi, (FT_UInt)c->dpi) ||
        FT_Load_Glyph(face, index, FT_LOAD_RENDER | FT_LOAD_TARGET_LIGHT))
        return g;
    FT_GlyphSlot s = face->glyph;
    g->adv = (int32_t)(s->linearHoriAdvance >> 10);
    g->left = (int16_t)s->bitmap_left;
    g->top = (int16_t)s->bitmap_top;
    if (s->bitmap.rows && s->bitmap.width && s->bitmap.pixel_mode == FT_PIXEL_MODE_GRAY) {
        g->w = (uint16_t)s->bitmap.width;
        g->h = (uint16_t)s->bitmap.rows;
        g->bmp = malloc((size_t)g->w * g->h);
        if (!g->bmp) {
            g->w = g->h = 0;
            return g;
        }
        for (unsigned y = 0; y < g->h; y++)
            memcpy(g->bmp + (size_t)y * g->w, s->bitmap.buffer + (ptrdiff_t)y * s->bitmap.pitch, g->w);
    }
    return g;
}

static uint32_t utf8_next(const char **p)
{
    const unsigned char *s = (const unsigned char *)*p;
    uint32_t c = s[0];
    int n = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    if (n)
        c &= 0x3Fu >> n;
    for (int i = 1; i <= n; i++) {
        if ((s[i] & 0xC0) != 0x80) { /* cut short: take what there is */
            *p += i;
            return '?';
        }
        c = c << 6 | (s[i] & 0x3Fu);
    }
    *p += n + 1;
    return c;
}

static int32_t measure(gen_fonts *f, size_cache *c, const char *s, const char *end)
{
    int32_t w = 0;
    while (s < end)
        w += glyph_for(f, c, utf8_next(&s))->adv;
    return w;
}

/* ---- paragraphs into lines ---- */
typedef struct {
    int x, width;       /* relative to the column, pixels */
    int extra26;
    char *text;
} pline;

typedef struct {
    pline *l;
    int n;
    float pt;
    int font;
} plines;

static void plines_free(plines *pl)
{
    for (int i = 0; i < pl->n; i++)
        free(pl->l[i].text);
    free(pl->l);
    memset(pl, 0, sizeof *pl);
}

static int px(float v_pt, int dpi) { return (int)lroundf(v_pt * (float)dpi / 72.0f); }
static int mm(float v_mm, int dpi) { return (int)lroundf(v_mm * (float)dpi / 25.4f); }

static int add_line(plines *pl, const char *from, const char *to, int x, int width, int extra26)
{
    pline *grown = realloc(pl->l, (size_t)(pl->n + 1) * sizeof *grown);
    if (!grown)
        return -1;
    pl->l = grown;
    pline *l = &pl->l[pl->n];
    l->text = malloc((size_t)(to - from) + 1);
    if (!l->text)
        return -1;
    memcpy(l->text, from, (size_t)(to - from));
    l->text[to - from] = '\0';
    l->x = x;
    l->width = width;
    l->extra26 = extra26;
    pl->n++;
    return 0;
}

static int place_line(plines *pl, const gen_para *p, const char *from, const char *to,
                      int32_t natural26, int spaces, int first, int last, int indent, int cw)
{
    int width = (int)((natural26 + 32) >> 6), x = 0, extra26 = 0;
    int avail = cw - (first ? indent : 0);
    if (p->align == ALIGN_CENTER) {
        x = (cw - width) / 2;
    } else {
        x = first ? indent : 0;
        if (p->align == ALIGN_JUSTIFY && !last && spaces > 0 && width < avail) {
            extra26 = (int)(((int64_t)avail * 64 - natural26) / spaces);
            width = avail;
        }
    }
    return add_line(pl, from, to, x, width, extra26);
}

/* Greedy wrap within cw pixels; a word wider than the column gets a line of its own. */
static int wrap(gen_fonts *f, const gen_para *p, int family, int dpi, int cw, plines *pl)
{
    memset(pl, 0, sizeof *pl);
    pl->font = family * 4 + p->style;
    pl->pt = p->pt;
    size_cache *c = cache_for(f, pl->font, pl->pt, dpi);
    const char *text = p->text, *end = text + strlen(text);
    if (!*text) /* an empty cell of a two-column row */
        return 0;
    if (p->nowrap) {
        int32_t w = measure(f, c, text, end);
        while (w > (int32_t)cw * 64 && pl->pt > p->pt - 4) {
            pl->pt -= 0.5f;
            c = cache_for(f, pl->font, pl->pt, dpi);
            w = measure(f, c, text, end);
        }
        return place_line(pl, p, text, end, w, 0, 1, 1, 0, cw);
    }
    int indent = mm(p->indent_mm, dpi);
    int32_t space = glyph_for(f, c, ' ')->adv;
    const char *line = text, *s = text;
    int32_t width = 0;
    int spaces = 0, first = 1;
    while (s < end) {
        const char *w_end = strchr(s, ' ');
        if (!w_end)
            w_end = end;
        int32_t ww = measure(f, c, s, w_end);
        int32_t avail = ((int32_t)cw - (first ? indent : 0)) * 64;
        if (s != line && width + space + ww > avail) {
            if (place_line(pl, p, line, s - 1, width, spaces, first, 0, indent, cw))
                return -1;
            line = s;
            width = 0;
            spaces = 0;
            first = 0;
        }
        if (s != line) {
            width += space;
            spaces++;
        }
        width += ww;
        s = w_end < end ? w_end + 1 : end;
    }
    return place_line(pl, p, line, end, width, spaces, first, 1, indent, cw);
}

/* ---- units ---- */
static gen_unit *new_unit(gen_flow *fl)
{
    if (fl->n == fl->cap) {
        int cap = fl->cap ? fl->cap * 2 : 64;
        gen_unit *grown = realloc(fl->u, (size_t)cap * sizeof *grown);
        if (!grown)
            return NULL;
        fl->u = grown;
        fl->cap = cap;
    }
    gen_unit *u = &fl->u[fl->n++];
    memset(u, 0, sizeof *u);
    return u;
}

static int append_line(char **truth, const char *text)
{
    size_t had = *truth ? strlen(*truth) : 0, len = strlen(text);
    char *grown = realloc(*truth, had + len + 2);
    if (!grown)
        return -1;
    *truth = grown;
    memcpy(grown + had, text, len);
    grown[had + len] = '\n';
    grown[had + len + 1] = '\0';
    return 0;
}

/* Places a line; its text goes to *truth (the unit's, or a column's kept for later). */
static int unit_text(gen_unit *u, char **truth, int font, float pt, int dpi, int x, int y,
                     const pline *l)
{
    gen_item *grown = realloc(u->items, (size_t)(u->nitems + 1) * sizeof *grown);
    if (!grown)
        return -1;
    u->items = grown;
    if (append_line(truth, l->text))
        return -1;
    size_t len = strlen(l->text);
    gen_item *it = &u->items[u->nitems++];
    *it = (gen_item){.font = font, .dpi = dpi, .x = x, .y = y, .pt = pt, .extra26 = l->extra26};
    it->text = malloc(len + 1);
    if (!it->text)
        return -1;
    memcpy(it->text, l->text, len + 1);
    return 0;
}

static int unit_rect(gen_rect **arr, int *n, gen_rect r)
{
    gen_rect *grown = realloc(*arr, (size_t)(*n + 1) * sizeof *grown);
    if (!grown)
        return -1;
    *arr = grown;
    grown[(*n)++] = r;
    return 0;
}

/* Where the baseline sits in a line box: DejaVu's ascender 0.928 em, descender 0.236 em,
 * centred in the box. */
static int baseline_in(float em, float lh) { return (int)lroundf((lh - 1.164f * em) / 2 + 0.928f * em); }

static int underline(gen_unit *u, const gen_para *p, const pline *l, int x0, int base, float em)
{
    int w = (int)lroundf((float)l->width * p->underline);
    int h = (int)fmaxf(1.0f, em / 16.0f);
    gen_rect r = {x0 + l->x + (l->width - w) / 2, base + (int)lroundf(em * 0.42f), w, h}; /* clear of descenders */
    return unit_rect(&u->rules, &u->nrules, r);
}

int layout_doc(gen_fonts *f, const gen_doc *d, int dpi, int w, int h, gen_flow *fl)
{
    memset(fl, 0, sizeof *fl);
    int left = mm(d->margin_mm[0], dpi), tw = w - left - mm(d->margin_mm[1], dpi);
    fl->top = mm(d->margin_mm[2], dpi);
    fl->bottom = h - mm(d->margin_mm[3], dpi);
    int keep_next = 0;
    for (int bi = 0; bi < d->n; bi++) {
        const gen_block *b = &d->b[bi];
        if (b->ncols == 1) {
            const gen_para *p = &b->col[0][0];
            plines pl;
            if (wrap(f, p, d->family, dpi, tw, &pl))
                goto fail_lines;
            float em = pl.pt * (float)dpi / 72.0f, lh = em * d->line_spacing;
            for (int i = 0; i < pl.n; i++) {
                gen_unit *u = new_unit(fl);
                if (!u)
                    goto fail_lines;
                /* a heading stays with what it heads, a paragraph's first two lines together */
                u->glued = i ? i == 1 : keep_next;
                u->height = (int)lroundf(lh);
                u->space_before = i ? 0 : px(p->space_before_pt, dpi);
                int base = baseline_in(em, lh);
                if (unit_text(u, &u->truth, pl.font, pl.pt, dpi, left + pl.l[i].x, base, &pl.l[i]))
                    goto fail_lines;
                if (p->underline > 0 && i == pl.n - 1 && underline(u, p, &pl.l[i], left, base, em))
                    goto fail_lines;
            }
            plines_free(&pl);
            keep_next = p->keep_next;
            continue;
        fail_lines:
            plines_free(&pl);
            flow_free(fl);
            return -1;
        }
        /* two columns, row against row: one unbreakable unit */
        gen_unit *u = new_unit(fl);
        if (!u)
            goto fail;
        u->space_before = px(b->space_before_pt, dpi);
        /* a signature never stands alone: the last two lines above come along */
        u->glued = bi > 0;
        if (bi > 0 && fl->n >= 2 && d->b[bi - 1].ncols == 1)
            fl->u[fl->n - 2].glued = 1;
        keep_next = 0;
        int cw0 = (int)lroundf((float)tw * b->split);
        int x0[2] = {left, left + cw0}, cw[2] = {cw0, tw - cw0};
        float cur[2] = {0, 0};
        char *coltext[2] = {NULL, NULL}; /* read column by column: held back until the end */
        int rows = b->n[0] > b->n[1] ? b->n[0] : b->n[1];
        for (int r = 0; r < rows; r++) {
            plines pl[2] = {{0}, {0}};
            float top = 0, pitch = 0, em[2] = {0, 0};
            int boff = 0, nl = 0;
            for (int c = 0; c < 2; c++) {
                const gen_para *p = r < b->n[c] ? &b->col[c][r] : NULL;
                if (p && wrap(f, p, d->family, dpi, cw[c], &pl[c]))
                    goto fail_row;
                float t = cur[c];
                if (pl[c].n) {
                    em[c] = pl[c].pt * (float)dpi / 72.0f;
                    float lh = em[c] * d->line_spacing;
                    t += r ? (float)px(p->space_before_pt, dpi) : 0;
                    pitch = fmaxf(pitch, lh);
                    if (baseline_in(em[c], lh) > boff)
                        boff = baseline_in(em[c], lh);
                    if (pl[c].n > nl)
                        nl = pl[c].n;
                }
                top = fmaxf(top, t);
            }
            for (int c = 0; c < 2; c++) { /* the space above a signed name is for the signature */
                if (!pl[c].n || !b->col[c][r].signature)
                    continue;
                gen_sig *grown = realloc(u->sigs, (size_t)(u->nsigs + 1) * sizeof *grown);
                if (!grown)
                    goto fail_row;
                u->sigs = grown;
                grown[u->nsigs++] = (gen_sig){{x0[c], (int)cur[c], cw[c], (int)(top - cur[c] + em[c] * 0.3f)},
                                              b->col[c][r].signature == 2};
            }
            for (int k = 0; k < nl; k++)
                for (int c = 0; c < 2; c++) {
                    if (k >= pl[c].n)
                        continue;
                    int base = (int)(top + (float)k * pitch) + boff;
                    char **to = b->by_rows ? &u->truth : &coltext[c];
                    if (unit_text(u, to, pl[c].font, pl[c].pt, dpi, x0[c] + pl[c].l[k].x, base, &pl[c].l[k]) ||
                        (b->col[c][r].underline > 0 && k == pl[c].n - 1 &&
                         underline(u, &b->col[c][r], &pl[c].l[k], x0[c], base, em[c])))
                        goto fail_row;
                }
            for (int c = 0; c < 2; c++) {
                if (pl[c].n)
                    cur[c] = top + (float)pl[c].n * pitch;
                plines_free(&pl[c]);
            }
            continue;
        fail_row:
            plines_free(&pl[0]);
            plines_free(&pl[1]);
            free(coltext[0]);
            free(coltext[1]);
            goto fail;
        }
        u->height = (int)lroundf(fmaxf(cur[0], cur[1]));
        for (int c = 0; c < 2; c++) {
            if (coltext[c]) /* it ends in a newline that append_line adds back */
                coltext[c][strlen(coltext[c]) - 1] = '\0';
            int bad = coltext[c] && append_line(&u->truth, coltext[c]);
            free(coltext[c]);
            coltext[c] = NULL;
            if (bad) {
                free(coltext[1]);
                goto fail;
            }
        }
    }
    return 0;
fail:
    flow_free(fl);
    return -1;
}

void flow_free(gen_flow *fl)
{
    for (int i = 0; i < fl->n; i++) {
        gen_unit *u = &fl->u[i];
        for (int j = 0; j < u->nitems; j++)
            free(u->items[j].text);
        free(u->items);
        free(u->rules);
        free(u->sigs);
        free(u->truth);
    }
    free(fl->u);
    memset(fl, 0, sizeof *fl);
}

int layout_page_end(const gen_flow *fl, int from)
{
    int y = fl->top, i = from;
    for (; i < fl->n; i++) {
        int need = (i > from ? fl->u[i].space_before : 0) + fl->u[i].height;
        if (i > from && y + need > fl->bottom)
            break;
        y += need;
    }
    int end = i;
    while (end < fl->n && end > from + 1 && fl->u[end].glued)
        end--;
    return end > from + 1 || end == fl->n ? end : i; /* a page of glue only: break anyway */
}

static void draw_item(gen_fonts *f, const gen_item *it, int y0, uint8_t *gray, int w, int h)
{
    size_cache *c = cache_for(f, it->font, it->pt, it->dpi);
    int32_t pen = it->x * 64;
    int base = y0 + it->y;
    for (const char *s = it->text; *s;) {
        uint32_t cp = utf8_next(&s);
        const glyph *g = glyph_for(f, c, cp);
        if (g->bmp) {
            int gx = ((pen + 32) >> 6) + g->left, gy = base - g->top;
            for (int y = 0; y < g->h; y++) {
                if (gy + y < 0 || gy + y >= h)
                    continue;
                uint8_t *row = gray + (size_t)(gy + y) * (size_t)w;
                const uint8_t *src = g->bmp + (size_t)y * g->w;
                for (int x = 0; x < g->w; x++) {
                    int a = src[x], X = gx + x;
                    if (!a || X < 0 || X >= w)
                        continue;
                    int d = row[X];
                    if (d > INK)
                        row[X] = (uint8_t)(d - (a * (d - INK) + 127) / 255);
                }
            }
        }
        pen += g->adv + (cp == ' ' ? it->extra26 : 0);
    }
}

void layout_draw(gen_fonts *f, const gen_flow *fl, int from, int to, uint8_t *gray, int w, int h,
                 gen_sig *sigs, int *nsigs, int maxsigs)
{
    int y = fl->top;
    static const uint8_t ink = INK;
    gen_img im = {w, h, 1, gray};
    *nsigs = 0;
    for (int i = from; i < to; i++) {
        const gen_unit *u = &fl->u[i];
        if (i > from)
            y += u->space_before;
        for (int j = 0; j < u->nitems; j++)
            draw_item(f, &u->items[j], y, gray, w, h);
        for (int j = 0; j < u->nrules; j++) {
            gen_rect r = u->rules[j];
            r.y += y;
            img_fill_rect(&im, r, &ink);
        }
        for (int j = 0; j < u->nsigs && *nsigs < maxsigs; j++) {
            gen_sig s = u->sigs[j];
            s.area.y += y;
            sigs[(*nsigs)++] = s;
        }
        y += u->height;
    }
}
