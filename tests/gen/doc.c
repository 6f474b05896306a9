/* doc.c: makes one Vietnamese administrative document (decision, plan, official letter,
 * certificate, citizen's application, notice) as blocks of styled paragraphs, in the layout
 * of Nghị định 30/2020 (agency and national motto side by side, signature bottom right).
 * Knows nothing of pixels; every choice comes from the caller's generator. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

/* ---- the facts one document repeats: who, where, when ---- */
enum { KEY_LEN = 16, VAL_LEN = 200, NKEYS = 40 };
typedef struct {
    char key[NKEYS][KEY_LEN];
    char val[NKEYS][VAL_LEN];
    int n;
} facts;

static void fact(facts *f, const char *key, const char *fmt, ...)
{
    if (f->n == NKEYS)
        return;
    snprintf(f->key[f->n], KEY_LEN, "%s", key);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->val[f->n], VAL_LEN, fmt, ap);
    va_end(ap);
    f->n++;
}

static const char *fact_get(const facts *f, const char *key, size_t len)
{
    for (int i = 0; i < f->n; i++)
        if (strlen(f->key[i]) == len && memcmp(f->key[i], key, len) == 0)
            return f->val[i];
    return NULL;
}

/* The template with every {KEY} replaced. An unknown key is copied into *unknown (the
 * document is then refused: a typo in text_vi.c must not reach the ground truth). */
static char *expand(const facts *f, const char *tpl, char *unknown, size_t unknown_len)
{
    size_t cap = strlen(tpl) * 2 + 64, n = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    for (const char *p = tpl; *p;) {
        const char *val = NULL, *end = NULL;
        size_t len = 1;
        if (*p == '{' && (end = strchr(p, '}')) != NULL &&
            !(val = fact_get(f, p + 1, (size_t)(end - p - 1))))
            snprintf(unknown, unknown_len, "%.*s", (int)(end - p + 1), p);
        if (val)
            len = strlen(val);
        if (n + len + 1 > cap) {
            cap = (n + len + 1) * 2;
            char *grown = realloc(out, cap);
            if (!grown) {
                free(out);
                return NULL;
            }
            out = grown;
        }
        if (val) {
            memcpy(out + n, val, len);
            p = end + 1;
        } else {
            out[n] = *p++;
        }
        n += len;
    }
    out[n] = '\0';
    return out;
}

/* "ngày 08 tháng 01 năm 2024": days below 10 and months 1-2 take a leading zero. */
static void vi_date(char *buf, size_t len, int d, int m, int y)
{
    snprintf(buf, len, "ngày %02d tháng %s%d năm %d", d, m < 3 ? "0" : "", m, y);
}

static void person(gen_rng *r, char *buf, size_t len, int *female)
{
    int fem = rng_int(r, 2);
    if (female)
        *female = fem;
    snprintf(buf, len, "%s %s %s", RNG_PICK(r, vi_family),
             fem ? RNG_PICK(r, vi_middle_f) : RNG_PICK(r, vi_middle_m),
             fem ? RNG_PICK(r, vi_given_f) : RNG_PICK(r, vi_given_m));
}

/* 1.234.567: Vietnamese thousands separator */
static void thousands(char *buf, size_t len, long v)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%ld", v), o = 0;
    for (int i = 0; i < n && o + 2 < (int)len; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            buf[o++] = '.';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
}

/* ---- the issuing agency ---- */
enum { AG_PROVINCE, AG_DISTRICT, AG_COMMUNE, AG_DEPARTMENT, AG_OFFICE, AG_CENTRE };
typedef struct {
    char parent[96], name[96];   /* the header's first two lines, left column */
    int parent_bold;             /* a UBND names itself in two bold lines */
    char code[16];               /* after the number: QĐ-UBND, STP-HCTP ... */
    char authority[160];         /* "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN ..." */
    char place[48];              /* before the date */
    const char *sign[2];         /* signer's capacity lines */
    int ubnd;
} agency;

static void make_agency(agency *a, int kind, gen_rng *r, const vi_province *pv,
                        const vi_pair *dist, const vi_pair *com)
{
    memset(a, 0, sizeof *a);
    a->ubnd = kind <= AG_COMMUNE;
    switch (kind) {
    case AG_PROVINCE:
        snprintf(a->name, sizeof a->name, "TỈNH %s", pv->p.up);
        snprintf(a->place, sizeof a->place, "%s", pv->p.name);
        break;
    case AG_DISTRICT:
        snprintf(a->name, sizeof a->name, "HUYỆN %s", dist->up);
        snprintf(a->place, sizeof a->place, "%s", dist->name);
        break;
    case AG_COMMUNE:
        snprintf(a->name, sizeof a->name, "XÃ %s", com->up);
        snprintf(a->place, sizeof a->place, "%s", com->name);
        break;
    case AG_DEPARTMENT:
        snprintf(a->parent, sizeof a->parent, "UBND TỈNH %s", pv->p.up);
        snprintf(a->name, sizeof a->name, "SỞ TƯ PHÁP");
        snprintf(a->code, sizeof a->code, "STP-HCTP");
        snprintf(a->authority, sizeof a->authority, "GIÁM ĐỐC SỞ TƯ PHÁP TỈNH %s", pv->p.up);
        snprintf(a->place, sizeof a->place, "%s", pv->p.name);
        break;
    case AG_OFFICE:
        snprintf(a->parent, sizeof a->parent, "UBND HUYỆN %s", dist->up);
        snprintf(a->name, sizeof a->name, "PHÒNG TÀI NGUYÊN VÀ MÔI TRƯỜNG");
        snprintf(a->code, sizeof a->code, "TNMT");
        snprintf(a->place, sizeof a->place, "%s", dist->name);
        break;
    default:
        snprintf(a->parent, sizeof a->parent, "UBND TỈNH %s", pv->p.up);
        snprintf(a->name, sizeof a->name, "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG");
        snprintf(a->code, sizeof a->code, "TTPVHCC");
        snprintf(a->place, sizeof a->place, "%s", pv->p.name);
        break;
    }
    if (a->ubnd) {
        snprintf(a->parent, sizeof a->parent, "ỦY BAN NHÂN DÂN");
        a->parent_bold = 1;
        snprintf(a->code, sizeof a->code, "UBND");
        snprintf(a->authority, sizeof a->authority, "CHỦ TỊCH ỦY BAN NHÂN DÂN %s", a->name);
        int deputy = rng_int(r, 3) == 0;
        a->sign[0] = deputy ? "KT. CHỦ TỊCH" : "TM. ỦY BAN NHÂN DÂN";
        a->sign[1] = deputy ? "PHÓ CHỦ TỊCH" : "CHỦ TỊCH";
    } else if (kind == AG_OFFICE) {
        a->sign[0] = "TRƯỞNG PHÒNG";
    } else {
        int deputy = rng_int(r, 3) == 0;
        a->sign[0] = deputy ? "KT. GIÁM ĐỐC" : "GIÁM ĐỐC";
        a->sign[1] = deputy ? "PHÓ GIÁM ĐỐC" : NULL;
    }
}

/* ---- building blocks ---- */
typedef struct {
    gen_doc *d;
    const facts *f;
    float body, head, title; /* point sizes */
    int failed;
    char unknown[32];        /* a {KEY} with no fact */
} builder;

static gen_block *new_block(builder *b, int ncols)
{
    gen_doc *d = b->d;
    if (d->n == d->cap) {
        int cap = d->cap ? d->cap * 2 : 32;
        gen_block *grown = realloc(d->b, (size_t)cap * sizeof *grown);
        if (!grown) {
            b->failed = 1;
            return NULL;
        }
        d->b = grown;
        d->cap = cap;
    }
    gen_block *blk = &d->b[d->n++];
    memset(blk, 0, sizeof *blk);
    blk->ncols = ncols;
    blk->split = 0.42f;
    return blk;
}

static gen_para *col_add(builder *b, gen_block *blk, int col, int style, float pt, int align,
                         const char *tpl)
{
    if (!blk)
        return NULL;
    gen_para *grown = realloc(blk->col[col], (size_t)(blk->n[col] + 1) * sizeof *grown);
    if (!grown) {
        b->failed = 1;
        return NULL;
    }
    blk->col[col] = grown;
    gen_para *p = &grown[blk->n[col]];
    memset(p, 0, sizeof *p);
    p->style = style;
    p->pt = pt;
    p->align = align;
    p->text = expand(b->f, tpl, b->unknown, sizeof b->unknown);
    if (!p->text) {
        b->failed = 1;
        return NULL;
    }
    blk->n[col]++;
    return p;
}

/* One paragraph across the text width. */
static gen_para *para(builder *b, int style, float pt, int align, float space_before_pt,
                      float indent_mm, const char *tpl)
{
    gen_block *blk = new_block(b, 1);
    gen_para *p = col_add(b, blk, 0, style, pt, align, tpl);
    if (p) {
        p->space_before_pt = space_before_pt;
        p->indent_mm = indent_mm;
        p->keep_next = align != ALIGN_JUSTIFY && (style & STYLE_BOLD); /* titles, headings */
    }
    return p;
}

static void body(builder *b, int style, const char *tpl)
{
    para(b, style, b->body, ALIGN_JUSTIFY, b->body * 0.45f, 10.0f, tpl);
}

static void heading(builder *b, const char *tpl, float space_before)
{
    para(b, STYLE_BOLD, b->body, ALIGN_LEFT, space_before, 10.0f, tpl);
}

/* Pads the shorter column with empty paragraphs: what follows starts a new row. */
static void next_row(builder *b, gen_block *blk)
{
    if (!blk)
        return;
    for (int c = 0; c < 2; c++)
        while (blk->n[c] < blk->n[1 - c])
            col_add(b, blk, c, STYLE_REGULAR, b->head, ALIGN_LEFT, "");
}

/* Agency on the left, national motto and place-date on the right, row against row as in
 * the Nghị định 30 template: OCR reads such rows across, so the truth does too. */
static void header(builder *b, const agency *a, const char *number, const char *subject,
                   const char *date)
{
    gen_block *blk = new_block(b, 2);
    gen_para *p;
    if (blk)
        blk->by_rows = 1;
    col_add(b, blk, 0, a->parent_bold ? STYLE_BOLD : STYLE_REGULAR, b->head, ALIGN_CENTER, a->parent);
    if ((p = col_add(b, blk, 1, STYLE_BOLD, b->head, ALIGN_CENTER, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")))
        p->nowrap = 1;
    if ((p = col_add(b, blk, 0, STYLE_BOLD, b->head, ALIGN_CENTER, a->name)))
        p->underline = 0.4f;
    if ((p = col_add(b, blk, 1, STYLE_BOLD, b->head + 1, ALIGN_CENTER, "Độc lập - Tự do - Hạnh phúc"))) {
        p->nowrap = 1;
        p->underline = 1.0f;
    }
    if ((p = col_add(b, blk, 0, STYLE_REGULAR, b->head, ALIGN_CENTER, number)))
        p->space_before_pt = 10;
    if ((p = col_add(b, blk, 1, STYLE_ITALIC, b->head + 1, ALIGN_CENTER, date))) {
        p->space_before_pt = 10;
        p->nowrap = 1;
    }
    if (subject && (p = col_add(b, blk, 0, STYLE_REGULAR, b->head - 1, ALIGN_CENTER, subject)))
        p->space_before_pt = 2;
    next_row(b, blk);
}

/* Capacity, signature space and name on the right; the recipients (when given) below on the
 * left. Templates often put the recipients beside the capacity, but then OCR engines read
 * those rows across or down as the gap happens to fall, and no ground truth could be exact. */
static void signature(builder *b, const char *const *to, int nto, const char *const *cap,
                      const int *styles, int ncap, const char *name, int sealed)
{
    gen_block *blk = new_block(b, 2);
    if (!blk)
        return;
    blk->split = 0.45f;
    blk->space_before_pt = 16;
    blk->by_rows = 1;
    gen_para *p;
    for (int i = 0; i < ncap; i++) {
        if (cap[i] && (p = col_add(b, blk, 1, styles ? styles[i] : STYLE_BOLD, b->head, ALIGN_CENTER, cap[i])))
            p->nowrap = 1;
        next_row(b, blk);
    }
    if ((p = col_add(b, blk, 1, STYLE_BOLD, b->head + 0.5f, ALIGN_CENTER, name))) {
        p->space_before_pt = 70;
        p->signature = sealed ? 2 : 1;
    }
    next_row(b, blk);
    for (int i = 0; i < (nto ? nto + 1 : 0); i++) {
        if (i == 0 && (p = col_add(b, blk, 0, STYLE_BOLD_ITALIC, b->head - 0.5f, ALIGN_LEFT, "Nơi nhận:")))
            p->space_before_pt = 10;
        else if (i > 0)
            col_add(b, blk, 0, STYLE_REGULAR, b->head - 1.5f, ALIGN_LEFT, to[i - 1]);
        next_row(b, blk);
    }
}

static void doc_number(char *buf, size_t len, gen_rng *r, const char *type, const agency *a)
{
    int n = rng_range(r, 1, 1800);
    if (type)
        snprintf(buf, len, "Số: %02d/%s-%s", n, type, a->code);
    else
        snprintf(buf, len, "Số: %02d/%s", n, a->code);
}

/* ---- the six kinds of document ---- */
static void decision(builder *b, gen_rng *r, const agency *a, const char *date, const char *signer)
{
    char number[64];
    doc_number(number, sizeof number, r, "QĐ", a);
    header(b, a, number, NULL, date);
    const vi_decision *dc = &vi_decisions[rng_int(r, VI_N(vi_decisions))];
    para(b, STYLE_BOLD, b->title, ALIGN_CENTER, 20, 0, "QUYẾT ĐỊNH");
    para(b, STYLE_BOLD, b->body + 0.5f, ALIGN_CENTER, 2, 0, dc->subject);
    para(b, STYLE_BOLD, b->body, ALIGN_CENTER, 14, 0, a->authority);
    int nb = rng_range(r, 2, 4), first = rng_int(r, VI_N(vi_bases));
    for (int i = 0; i < nb; i++) /* stride 3 over 8: never the same basis twice */
        para(b, STYLE_ITALIC, b->body, ALIGN_JUSTIFY, i ? b->body * 0.3f : 12, 10,
             vi_bases[(first + i * 3) % VI_N(vi_bases)]);
    body(b, STYLE_ITALIC, RNG_PICK(r, vi_proposals));
    para(b, STYLE_BOLD, b->title - 0.5f, ALIGN_CENTER, 12, 0, "QUYẾT ĐỊNH:");
    body(b, STYLE_REGULAR, dc->art1);
    body(b, STYLE_REGULAR, dc->art2);
    body(b, STYLE_REGULAR, RNG_PICK(r, vi_art3));
    static const char *const to[] = {"- Như Điều 3;", "- Chủ tịch, các PCT UBND;", "- Lưu: VT."};
    signature(b, to, 3, a->sign, NULL, 2, signer, 1);
}

static void plan(builder *b, gen_rng *r, const agency *a, const char *date, const char *signer)
{
    char number[64], item[600];
    doc_number(number, sizeof number, r, "KH", a);
    header(b, a, number, NULL, date);
    const vi_plan *pl = &vi_plans[rng_int(r, VI_N(vi_plans))];
    para(b, STYLE_BOLD, b->title, ALIGN_CENTER, 20, 0, "KẾ HOẠCH");
    para(b, STYLE_BOLD, b->body + 0.5f, ALIGN_CENTER, 2, 0, pl->subject);
    heading(b, "I. MỤC ĐÍCH, YÊU CẦU", 14);
    heading(b, "1. Mục đích", 4);
    int np = rng_range(r, 1, 2), first = rng_int(r, VI_N(vi_plan_purpose));
    for (int i = 0; i < np; i++)
        body(b, STYLE_REGULAR, vi_plan_purpose[(first + i) % VI_N(vi_plan_purpose)]);
    heading(b, "2. Yêu cầu", 4);
    for (int i = 0; i < VI_N(vi_plan_require); i++)
        body(b, STYLE_REGULAR, vi_plan_require[i]);
    heading(b, "II. NỘI DUNG THỰC HIỆN", 10);
    for (int i = 0; i < 3; i++) {
        snprintf(item, sizeof item, "%d. %s", i + 1, pl->task[i]);
        body(b, STYLE_REGULAR, item);
    }
    heading(b, "III. TỔ CHỨC THỰC HIỆN", 10);
    for (int i = 0; i < VI_N(vi_plan_org); i++)
        body(b, STYLE_REGULAR, vi_plan_org[i]);
    static const char *const to[] = {"- Thường trực Huyện ủy;", "- Chủ tịch, các PCT UBND;",
                                      "- Các cơ quan, đơn vị liên quan;", "- Lưu: VT."};
    signature(b, to, 4, a->sign, NULL, 2, signer, 1);
}

static void letter(builder *b, gen_rng *r, const agency *a, const char *date, const char *signer)
{
    char number[64];
    int vp = a->ubnd;
    snprintf(number, sizeof number, "Số: %d/%s%s", rng_range(r, 10, 2400), a->code, vp ? "-VP" : "");
    const vi_letter *lt = &vi_letters[rng_int(r, VI_N(vi_letters))];
    header(b, a, number, lt->subject, date);
    int nto = 0;
    while (nto < 3 && lt->to[nto])
        nto++;
    if (nto == 1) {
        char line[200];
        snprintf(line, sizeof line, "Kính gửi: %s", lt->to[0]);
        para(b, STYLE_REGULAR, b->body + 0.5f, ALIGN_CENTER, 22, 0, line);
    } else {
        para(b, STYLE_REGULAR, b->body + 0.5f, ALIGN_LEFT, 22, 40, "Kính gửi:");
        for (int i = 0; i < nto; i++) {
            char line[200];
            snprintf(line, sizeof line, "- %s", lt->to[i]);
            para(b, STYLE_REGULAR, b->body + 0.5f, ALIGN_LEFT, 2, 55, line);
        }
    }
    for (int i = 0; i < 4 && lt->para[i]; i++)
        para(b, STYLE_REGULAR, b->body, ALIGN_JUSTIFY, i ? b->body * 0.45f : 16, 10, lt->para[i]);
    static const char *const to[] = {"- Như trên;", "- Lưu: VT."};
    signature(b, to, 2, a->sign, NULL, 2, signer, 1);
}

static void certificate(builder *b, gen_rng *r, const agency *a, const char *date, const char *signer)
{
    char number[64];
    /* a commune certifies marital status; the service centre, training */
    const vi_certificate *c = &vi_certificates[a->ubnd ? 0 : 1];
    snprintf(number, sizeof number, "Số: %d/%s", rng_range(r, 1, 400), c->subtitle ? "GCN" : "XNTTHN");
    header(b, a, number, NULL, date);
    para(b, STYLE_BOLD, b->title + 1, ALIGN_CENTER, 22, 0, c->title);
    if (c->subtitle)
        para(b, STYLE_BOLD, b->body + 0.5f, ALIGN_CENTER, 2, 0, c->subtitle);
    para(b, STYLE_ITALIC, b->body, ALIGN_JUSTIFY, 14, 10, c->intro);
    if (!c->subtitle)
        para(b, STYLE_BOLD, b->body, ALIGN_CENTER, 8, 0, "XÁC NHẬN:");
    for (int i = 0; i < 8 && c->field[i]; i++)
        para(b, STYLE_REGULAR, b->body, ALIGN_LEFT, i ? 3 : 8, 10, c->field[i]);
    body(b, STYLE_ITALIC, c->closing);
    signature(b, NULL, 0, a->sign, NULL, 2, signer, 1);
}

static void application(builder *b, gen_rng *r, const char *date, const char *name)
{
    const vi_application *ap = &vi_applications[rng_int(r, VI_N(vi_applications))];
    gen_para *p;
    p = para(b, STYLE_BOLD, b->head, ALIGN_CENTER, 0, 0, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    if (p)
        p->nowrap = 1;
    p = para(b, STYLE_BOLD, b->head + 1, ALIGN_CENTER, 2, 0, "Độc lập - Tự do - Hạnh phúc");
    if (p)
        p->underline = 0.9f;
    para(b, STYLE_BOLD, b->title + 1, ALIGN_CENTER, 30, 0, "ĐƠN ĐỀ NGHỊ");
    para(b, STYLE_BOLD, b->body + 0.5f, ALIGN_CENTER, 2, 0, ap->subject);
    para(b, STYLE_REGULAR, b->body + 0.5f, ALIGN_CENTER, 18, 0,
         "Kính gửi: Ủy ban nhân dân xã {XA}, huyện {H}.");
    para(b, STYLE_REGULAR, b->body, ALIGN_LEFT, 16, 10, "Tôi tên là: {TEN}");
    para(b, STYLE_REGULAR, b->body, ALIGN_LEFT, 3, 10, "Ngày sinh: {NGAYSINH}; Giới tính: {GT}");
    para(b, STYLE_REGULAR, b->body, ALIGN_LEFT, 3, 10, "Số định danh cá nhân: {CCCD}");
    for (int i = 0; i < 3 && ap->field[i]; i++)
        para(b, STYLE_REGULAR, b->body, ALIGN_LEFT, 3, 10, ap->field[i]);
    for (int i = 0; i < 3 && ap->para[i]; i++)
        body(b, STYLE_REGULAR, ap->para[i]);
    body(b, STYLE_REGULAR,
         "Tôi xin cam đoan những nội dung khai trên đây là đúng sự thật, nếu sai tôi xin hoàn toàn "
         "chịu trách nhiệm trước pháp luật. Kính đề nghị Ủy ban nhân dân xem xét, giải quyết./.");
    const char *cap[] = {date, "NGƯỜI LÀM ĐƠN", "(Ký và ghi rõ họ tên)"};
    static const int styles[] = {STYLE_ITALIC, STYLE_BOLD, STYLE_ITALIC};
    signature(b, NULL, 0, cap, styles, 3, name, 0);
}

static void notice(builder *b, gen_rng *r, const agency *a, const char *date, const char *signer)
{
    char number[64];
    doc_number(number, sizeof number, r, "TB", a);
    header(b, a, number, NULL, date);
    const vi_notice *nt = &vi_notices[rng_int(r, VI_N(vi_notices))];
    para(b, STYLE_BOLD, b->title, ALIGN_CENTER, 20, 0, "THÔNG BÁO");
    para(b, STYLE_BOLD, b->body + 0.5f, ALIGN_CENTER, 2, 0, nt->subject);
    for (int i = 0; i < 3 && nt->para[i]; i++)
        para(b, STYLE_REGULAR, b->body, ALIGN_JUSTIFY, i ? b->body * 0.45f : 16, 10, nt->para[i]);
    static const char *const to[] = {"- Các thôn, tổ dân phố;", "- Niêm yết tại trụ sở;", "- Lưu: VT."};
    signature(b, to, 3, a->sign, NULL, 2, signer, 1);
}

int doc_make(gen_doc *d, gen_rng *r, char *err, size_t errlen)
{
    return doc_make_sized(d, r, 0, err, errlen);
}

int doc_make_sized(gen_doc *d, gen_rng *r, float body_pt, char *err, size_t errlen)
{
    memset(d, 0, sizeof *d);
    facts *f = calloc(1, sizeof *f);
    if (!f) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }

    const vi_province *pv = &vi_provinces[rng_int(r, VI_N(vi_provinces))];
    const vi_pair *dist = &pv->dist[rng_int(r, 4)];
    const vi_pair *com = &vi_communes[rng_int(r, VI_N(vi_communes))];
    int year = rng_range(r, 2023, 2025), month = rng_range(r, 1, 12), day = rng_range(r, 1, 28);
    int female = 0, byear = rng_range(r, 1958, 2003);
    char name[96], buf[VAL_LEN];

    person(r, name, sizeof name, &female);
    fact(f, "TEN", "%s", name);
    fact(f, "GT", "%s", female ? "Nữ" : "Nam");
    fact(f, "CCCD", "%s%d%02d%06d", pv->cccd, (byear >= 2000 ? 2 : 0) + female, byear % 100,
         rng_int(r, 1000000));
    fact(f, "NGAYSINH", "%02d/%02d/%d", rng_range(r, 1, 28), rng_range(r, 1, 12), byear);
    person(r, name, sizeof name, NULL);
    fact(f, "TEN2", "%s", name);
    person(r, name, sizeof name, NULL);
    fact(f, "TEN3", "%s", name);
    fact(f, "NGAYSINH2", "%02d/%02d/%d", rng_range(r, 1, 28), rng_range(r, 1, 12), rng_range(r, 2008, 2020));
    fact(f, "NGAYCAP", "%02d/%02d/%d", rng_range(r, 1, 28), rng_range(r, 1, 12), rng_range(r, 2021, 2022));
    fact(f, "XA", "%s", com->name);
    fact(f, "H", "%s", dist->name);
    fact(f, "P", "%s", pv->p.name);
    fact(f, "DIACHI", "%s, xã %s, huyện %s, tỉnh %s", RNG_PICK(r, vi_villages), com->name,
         dist->name, pv->p.name);
    fact(f, "DIACHI2", "%s, xã %s, huyện %s, tỉnh %s", RNG_PICK(r, vi_villages),
         RNG_PICK(r, vi_communes).name, pv->dist[rng_int(r, 4)].name, pv->p.name);
    fact(f, "NAM", "%d", year);
    fact(f, "NAMCU", "%d", rng_range(r, 1998, 2015));
    int m2 = month > 1 ? month - 1 : 1;
    vi_date(buf, sizeof buf, rng_range(r, 1, 28), m2, year);
    fact(f, "NGAY2", "%s", buf);
    vi_date(buf, sizeof buf, rng_range(r, 1, 28), month < 12 ? month + 1 : 12, year);
    fact(f, "NGAY3", "%s", buf);
    fact(f, "NGAYSO1", "%02d/%02d/%d", rng_range(r, 1, 14), m2, year);
    fact(f, "NGAYSO2", "%02d/%02d/%d", rng_range(r, 15, 28), month, year);
    fact(f, "SO2", "%d", rng_range(r, 10, 950));
    fact(f, "DT", "%d,%d", rng_range(r, 80, 450), rng_int(r, 10));
    fact(f, "THUA", "%d", rng_range(r, 1, 999));
    fact(f, "TO", "%d", rng_range(r, 1, 60));
    fact(f, "SERI", "%s %06d", RNG_PICK(r, ((const char *const[]){"CS", "CH", "BĐ", "DA"})),
         rng_int(r, 1000000));
    thousands(buf, sizeof buf, (long)rng_range(r, 50, 900) * 1000000L);
    fact(f, "SOTIEN", "%s", buf);
    fact(f, "PT", "%d,%d", rng_range(r, 20, 70), rng_int(r, 10));
    fact(f, "N", "%d", rng_range(r, 12, 64));
    int sohs = rng_range(r, 1200, 9500);
    thousands(buf, sizeof buf, sohs);
    fact(f, "SOHS", "%s", buf);
    thousands(buf, sizeof buf, sohs * rng_range(r, 55, 95) / 100);
    fact(f, "SOHS2", "%s", buf);
    fact(f, "MAHS", "H%02d.%d-%02d%02d%02d-%04d", rng_range(r, 10, 60), rng_range(r, 10, 99),
         year % 100, m2, rng_range(r, 1, 28), rng_range(r, 1, 9999));
    fact(f, "PHONE", "09%02d %03d %03d", rng_int(r, 100), rng_int(r, 1000), rng_int(r, 1000));

    int type = rng_int(r, 6), kind;
    static const int decision_ag[] = {AG_PROVINCE, AG_DISTRICT, AG_COMMUNE};
    static const int letter_ag[] = {AG_DISTRICT, AG_COMMUNE, AG_DEPARTMENT, AG_OFFICE};
    static const int notice_ag[] = {AG_DISTRICT, AG_COMMUNE, AG_CENTRE};
    switch (type) {
    case 0: case 1: kind = RNG_PICK(r, decision_ag); break;
    case 2: kind = RNG_PICK(r, letter_ag); break;
    case 3: kind = rng_int(r, 2) ? AG_COMMUNE : AG_CENTRE; break;
    case 4: kind = AG_COMMUNE; break;
    default: kind = RNG_PICK(r, notice_ag); break;
    }
    agency a;
    make_agency(&a, kind, r, pv, dist, com);
    /* the level the agency answers to: a department or an office speaks for its UBND */
    const char *level = kind == AG_PROVINCE || kind == AG_DEPARTMENT || kind == AG_CENTRE ? "tỉnh"
                        : kind == AG_COMMUNE ? "xã" : "huyện";
    const char *where = level[0] == 't' ? pv->p.name : kind == AG_COMMUNE ? com->name : dist->name;
    fact(f, "HCAP", "%s %s", level, where);
    fact(f, "CQ", "Ủy ban nhân dân %s %s", level, where);

    char date[sizeof a.place + VAL_LEN + 2], signer[96];
    vi_date(buf, sizeof buf, day, month, year);
    snprintf(date, sizeof date, "%s, %s", a.place, buf);
    person(r, signer, sizeof signer, NULL);

    static const float body_pts[] = {11, 11.5f, 12, 12.5f, 13};
    builder b = {.d = d, .f = f};
    b.body = RNG_PICK(r, body_pts); /* drawn either way: the same seed, the same documents */
    if (body_pt > 0)
        b.body = body_pt;
    b.head = b.body > 12 ? 12 : b.body;
    b.title = b.body + 2;
    d->family = rng_int(r, 5) == 0 ? FAMILY_SANS : FAMILY_SERIF;
    d->line_spacing = 1.2f + 0.05f * (float)rng_int(r, 5);
    d->margin_mm[0] = 25 + (float)rng_int(r, 6);
    d->margin_mm[1] = 18 + (float)rng_int(r, 5);
    d->margin_mm[2] = 18 + (float)rng_int(r, 6);
    d->margin_mm[3] = 18 + (float)rng_int(r, 5);

    switch (type) {
    case 0: decision(&b, r, &a, date, signer); break;
    case 1: plan(&b, r, &a, date, signer); break;
    case 2: letter(&b, r, &a, date, signer); break;
    case 3: certificate(&b, r, &a, date, signer); break;
    case 4: application(&b, r, date, fact_get(f, "TEN", 3)); break;
    default: notice(&b, r, &a, date, signer); break;
    }
    free(f);
    if (b.failed || b.unknown[0]) {
        if (b.unknown[0])
            snprintf(err, errlen, "tests/gen/text_vi.c uses %s, which doc.c does not fill in", b.unknown);
        else
            snprintf(err, errlen, "out of memory");
        doc_free(d);
        return -1;
    }
    return 0;
}

void doc_free(gen_doc *d)
{
    for (int i = 0; i < d->n; i++)
        for (int c = 0; c < 2; c++) {
            for (int j = 0; j < d->b[i].n[c]; j++)
                free(d->b[i].col[c][j].text);
            free(d->b[i].col[c]);
        }
    free(d->b);
    d->b = NULL;
    d->n = d->cap = 0;
}
