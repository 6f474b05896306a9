/* gen.h: the parts of sohoa-gen, the project's own test-corpus generator: Vietnamese text
 * (text_vi.c) made into documents (doc.c), laid out and drawn (layout.c), put through a
 * simulated scanner (scan.c) and written as TIFF (tiffout.c), every choice from rng.c.
 * Test tooling: sohoa never links it. */
#ifndef SOHOA_GEN_H
#define SOHOA_GEN_H

#include <stddef.h>
#include <stdint.h>

/* ---- a seeded generator (xoshiro256**): output depends on the seed only, never on libc */
typedef struct { uint64_t s[4]; } gen_rng;
void rng_init(gen_rng *r, uint64_t seed, uint64_t a, uint64_t b);
uint64_t rng_next(gen_rng *r);
double rng_unit(gen_rng *r);            /* [0, 1) */
int rng_int(gen_rng *r, int n);         /* [0, n) */
int rng_range(gen_rng *r, int lo, int hi); /* [lo, hi] */
#define RNG_PICK(r, arr) ((arr)[rng_int((r), (int)(sizeof(arr) / sizeof((arr)[0])))])

/* ---- Vietnamese source text (text_vi.c); {KEY} marks what doc.c fills in */
typedef struct { const char *name, *up; } vi_pair;
typedef struct { vi_pair p; const char *cccd; vi_pair dist[4]; } vi_province;
typedef struct { const char *subject, *art1, *art2; } vi_decision;
typedef struct { const char *subject, *task[3]; } vi_plan;
typedef struct { const char *subject, *to[3], *para[4]; } vi_letter;
typedef struct { const char *title, *subtitle, *intro, *field[8], *closing; } vi_certificate;
typedef struct { const char *subject, *field[3], *para[3]; } vi_application;
typedef struct { const char *subject, *para[3]; } vi_notice;

#define VI_N(arr) ((int)(sizeof(arr) / sizeof((arr)[0])))
extern const vi_province vi_provinces[10];
extern const vi_pair vi_communes[16];
extern const char *const vi_villages[10];
extern const char *const vi_family[16], *const vi_middle_m[8], *const vi_middle_f[8];
extern const char *const vi_given_m[16], *const vi_given_f[16];
extern const char *const vi_bases[8], *const vi_proposals[3], *const vi_art3[2];
extern const vi_decision vi_decisions[5];
extern const char *const vi_plan_purpose[3], *const vi_plan_require[2], *const vi_plan_org[2];
extern const vi_plan vi_plans[3];
extern const vi_letter vi_letters[3];
extern const vi_certificate vi_certificates[2];
extern const vi_application vi_applications[3];
extern const vi_notice vi_notices[3];

/* ---- a document: blocks of paragraphs, before layout (doc.c) */
enum { STYLE_REGULAR, STYLE_BOLD, STYLE_ITALIC, STYLE_BOLD_ITALIC };
enum { FAMILY_SERIF, FAMILY_SANS };
#define FONT_COUNT 8 /* family * 4 + style */
enum { ALIGN_LEFT, ALIGN_CENTER, ALIGN_JUSTIFY };

typedef struct {
    int style, align;
    float pt;
    float indent_mm;       /* first line */
    float space_before_pt;
    float underline;       /* a rule under the last line, this share of its width (0: none) */
    int nowrap;            /* shrink to fit rather than wrap (the national motto) */
    int keep_next;         /* a title or heading: never the last thing on a page */
    int signature;         /* the space before this line holds a signature: 1, and a seal: 2 */
    char *text;            /* UTF-8, NFC, words separated by single spaces */
} gen_para;

typedef struct {
    int ncols;             /* 1: across the text width; 2: col[0][i] beside col[1][i] (row i) */
    int by_rows;           /* truth row by row (lines close enough that OCR reads across),
                              else the whole left column, then the right */
    float space_before_pt; /* two columns only (a paragraph carries its own) */
    float split;           /* the left column's share of the text width */
    gen_para *col[2];
    int n[2];
} gen_block;

typedef struct {
    gen_block *b;
    int n, cap;
    int family;
    float line_spacing;    /* line height / em */
    float margin_mm[4];    /* left, right, top, bottom */
} gen_doc;

int doc_make(gen_doc *d, gen_rng *r, char *err, size_t errlen);
/* the same with the body text at body_pt points (0: drawn from 11 to 13, as doc_make) */
int doc_make_sized(gen_doc *d, gen_rng *r, float body_pt, char *err, size_t errlen);
void doc_free(gen_doc *d);

/* ---- layout (layout.c): one thread's fonts, documents cut into pages of placed text */
typedef struct gen_fonts gen_fonts;
gen_fonts *fonts_open(char *err, size_t errlen);
void fonts_close(gen_fonts *f);
uint32_t fonts_missing(const gen_fonts *f); /* 0, or a codepoint drawn as '?' */

typedef struct { int x, y, w, h; } gen_rect;
typedef struct { gen_rect area; int seal; } gen_sig; /* a signature, an official's with a seal */
typedef struct {
    int font, dpi, x, y;   /* y: the baseline */
    float pt;
    int extra26;           /* 26.6 pixels added to each space (justified lines) */
    char *text;
} gen_item;

/* An unbreakable piece of a page: a line, or a two-column block. */
typedef struct {
    int height, space_before;
    int glued;             /* must share a page with the unit before it */
    gen_item *items; int nitems;
    gen_rect *rules; int nrules;
    gen_sig *sigs; int nsigs;
    char *truth;                /* its lines in reading order, each ending in '\n' */
} gen_unit;

typedef struct { gen_unit *u; int n, cap; int top, bottom; } gen_flow;

int layout_doc(gen_fonts *f, const gen_doc *d, int dpi, int w, int h, gen_flow *out);
void flow_free(gen_flow *fl);
/* Draws the units in [from, to) one below another from the top margin (a page's worth). */
void layout_draw(gen_fonts *f, const gen_flow *fl, int from, int to, uint8_t *gray, int w, int h,
                 gen_sig *sigs, int *nsigs, int maxsigs);
/* How many units from `from` fit on one page. */
int layout_page_end(const gen_flow *fl, int from);

/* ---- pixels and the scanner (scan.c) */
typedef struct { int w, h, ch; uint8_t *px; } gen_img;  /* ch 1 (gray) or 3 (RGB), 255 = white */
int img_alloc(gen_img *im, int w, int h, int ch, uint8_t fill);
void img_free(gen_img *im);
void img_fill_rect(gen_img *im, gen_rect r, const uint8_t *ink);
void img_to_rgb(const gen_img *gray, gen_img *rgb, const uint8_t paper[3]);
void img_signature(gen_img *im, gen_rect area, const uint8_t *ink, int dpi, gen_rng *r);
void img_seal(gen_img *im, int cx, int cy, int radius, const uint8_t *ink, gen_rng *r);
int img_rotate(gen_img *im, double deg);      /* clockwise on screen, white brought in */
void img_rotate180(gen_img *im);
int img_blur(gen_img *im);
void img_texture(gen_img *im, int amplitude, gen_rng *r);
void img_specks(gen_img *im, int count, int max_radius, gen_rng *r);
void img_salt(gen_img *im, int count, gen_rng *r);
void img_edge_strip(gen_img *im, int width, gen_rng *r);

/* ---- TIFF output (tiffout.c) */
enum { KIND_G4, KIND_LZW_GRAY, KIND_JPEG_GRAY, KIND_JPEG_RGB, KIND_COUNT };
extern const char *const gen_kind_names[KIND_COUNT];
typedef struct gen_tiff gen_tiff;
gen_tiff *tiff_create(const char *path, char *err, size_t errlen);
int tiff_add_page(gen_tiff *t, const gen_img *im, int kind, int dpi, int page, int npages,
                  char *err, size_t errlen);
int tiff_finish(gen_tiff *t, char *err, size_t errlen); /* closes and frees, even on error */

#endif
