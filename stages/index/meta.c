/* meta.c: dossier metadata lists, Vietnamese folding, and the facts read from a page's
 * recognised text: the document's number and symbol, place and date of issue, issuing body,
 * type, subject line, and the citizen IDs it mentions.
 *
 * The reader follows the layout of Nghị định 30/2020 as OCR gives it back: the agency and
 * the national motto side by side in the first lines (read across, so the motto is removed
 * from them), "Số: 05/QĐ-UBND" and "Bắc Giang, ngày 08 tháng 01 năm 2024" on one row, then
 * the type in capitals and the subject under it. Words are compared folded (no diacritics,
 * lower case), so a tone OCR got wrong does not hide a keyword. Never fails on odd text:
 * what is not found is simply not added.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "sohoa/meta.h"

/* ---- the list ---------------------------------------------------------------------- */

int sh_meta_add(sh_meta *m, const char *field, const char *value, unsigned page)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->v[i].page == page && strcmp(m->v[i].field, field) == 0 &&
            strcmp(m->v[i].value, value) == 0)
            return 0;
    if (m->n == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 8;
        sh_meta_item *v = realloc(m->v, cap * sizeof *v);
        if (!v)
            return -1;
        m->v = v;
        m->cap = cap;
    }
    sh_meta_item *it = &m->v[m->n];
    it->field = strdup(field);
    it->value = strdup(value);
    it->page = page;
    if (!it->field || !it->value) {
        free(it->field);
        free(it->value);
        return -1;
    }
    m->n++;
    return 0;
}

const char *sh_meta_get(const sh_meta *m, const char *field)
{
    const char *found = NULL;
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->v[i].field, field) == 0) {
            if (m->v[i].page == 0)
                return m->v[i].value;
            if (!found)
                found = m->v[i].value;
        }
    return found;
}

int sh_meta_copy(sh_meta *dst, const sh_meta *src)
{
    for (size_t i = 0; i < src->n; i++)
        if (sh_meta_add(dst, src->v[i].field, src->v[i].value, src->v[i].page) < 0)
            return -1;
    return 0;
}

void sh_meta_free(sh_meta *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->v[i].field);
        free(m->v[i].value);
    }
    free(m->v);
    memset(m, 0, sizeof *m);
}

/* ---- folding ----------------------------------------------------------------------- */

static char *fold_n(const char *s, size_t n)
{
    size_t dlen = 0;
    uint8_t *d = u8_normalize(UNINORM_NFD, (const uint8_t *)s, n, NULL, &dlen);
    /* a byte of broken UTF-8 comes back as U+FFFD (3 bytes), and a lower case may be longer
     * than its capital: 4 bytes out per byte in (fuzz_meta overflowed dlen + 1) */
    size_t cap = 4 * dlen + 1;
    char *out = d ? malloc(cap) : NULL;
    size_t o = 0;

    if (!out) {
        free(d);
        return NULL;
    }
    for (size_t i = 0; i < dlen;) {
        ucs4_t uc;
        int k = u8_mbtouc(&uc, d + i, dlen - i);
        i += (size_t)(k > 0 ? k : 1);
        if (uc_is_general_category(uc, UC_CATEGORY_Mn))
            continue;
        if (uc == 0x0110 || uc == 0x0111)
            uc = 'd';
        uc = uc_tolower(uc);
        int w = u8_uctomb((uint8_t *)out + o, uc, (int)(cap - 1 - o));
        if (w > 0)
            o += (size_t)w;
    }
    out[o] = '\0';
    free(d);
    return out;
}

char *sh_fold(const char *s) { return fold_n(s, strlen(s)); }

/* ---- words of a line --------------------------------------------------------------- */

typedef struct word {
    const char *s;   /* in the page text */
    size_t n;
    char *fold;
    bool caps;       /* has letters, none of them lower case */
} word;

typedef struct line {
    word *w;
    size_t n;
    const char *s;
    size_t len;
} line;

static bool all_caps(const char *s, size_t n)
{
    bool letters = false;
    for (size_t i = 0; i < n;) {
        ucs4_t uc;
        int k = u8_mbtouc(&uc, (const uint8_t *)s + i, n - i);
        i += (size_t)(k > 0 ? k : 1);
        if (uc_is_alpha(uc)) {
            if (uc_is_lower(uc))
                return false;
            letters = true;
        }
    }
    return letters;
}

static int split_line(line *l, const char *s, size_t len)
{
    size_t cap = 16;
    l->s = s;
    l->len = len;
    l->n = 0;
    if (!(l->w = malloc(cap * sizeof *l->w)))
        return -1;
    for (size_t i = 0; i < len;) {
        while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
            i++;
        size_t start = i;
        while (i < len && s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            i++;
        if (i == start)
            break;
        if (l->n == cap) {
            word *grown = realloc(l->w, (cap *= 2) * sizeof *grown);
            if (!grown)
                return -1;
            l->w = grown;
        }
        word *w = &l->w[l->n];
        w->s = s + start;
        w->n = i - start;
        w->caps = all_caps(w->s, w->n);
        if (!(w->fold = fold_n(w->s, w->n)))
            return -1;
        l->n++;
    }
    return 0;
}

static void free_line(line *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->w[i].fold);
    free(l->w);
    l->w = NULL;
    l->n = 0;
}

/* The folded word without punctuation around it, into buf. */
static const char *bare(const word *w, char *buf, size_t n)
{
    const char *s = w->fold;
    size_t len = strlen(s);
    while (len && ispunct((unsigned char)*s))
        s++, len--;
    while (len && ispunct((unsigned char)s[len - 1]))
        len--;
    snprintf(buf, n, "%.*s", (int)len, s);
    return buf;
}

static bool word_is(const word *w, const char *folded)
{
    char buf[64];
    return strcmp(bare(w, buf, sizeof buf), folded) == 0;
}

/* Does the folded phrase (words separated by single spaces) start at word i? Returns its
 * length in words, 0 if not. Punctuation-only words of the line ("-") are matched too. */
static size_t phrase_at(const line *l, size_t i, const char *phrase)
{
    size_t k = 0;
    char buf[64];
    while (*phrase) {
        size_t n = strcspn(phrase, " ");
        if (i + k >= l->n)
            return 0;
        const char *b = bare(&l->w[i + k], buf, sizeof buf);
        if (!*b) /* "-" between the motto's parts */
            b = l->w[i + k].fold;
        if (strlen(b) != n || memcmp(b, phrase, n) != 0)
            return 0;
        k++;
        phrase += n;
        while (*phrase == ' ')
            phrase++;
    }
    return k;
}

/* ---- the facts --------------------------------------------------------------------- */

static bool symbol_char(unsigned char c)
{
    return isalnum(c) || c == '-' || c == '/' || c == '.' || c >= 0x80;
}

/* "05/QĐ-UBND", "61/2018/NĐ-CP", "123/UBND-VP": digits, '/', then a symbol with a letter.
 * Returns its length (trailing dots dropped), 0 if s does not start with one. */
static size_t number_symbol(const char *s, size_t n)
{
    size_t i = 0, end;
    bool letter = false;
    while (i < n && isdigit((unsigned char)s[i]))
        i++;
    if (i == 0 || i > 6 || i >= n || s[i] != '/')
        return 0;
    end = i;
    while (end < n && symbol_char((unsigned char)s[end])) {
        if (isalpha((unsigned char)s[end]) || (unsigned char)s[end] >= 0x80)
            letter = true;
        end++;
    }
    while (end > i && (s[end - 1] == '.' || s[end - 1] == '-' || s[end - 1] == '/'))
        end--;
    return letter ? end : 0;
}

/* "Số: 05/QĐ-UBND" (capital S: "Nghị định số 61/2018/NĐ-CP" cites another document). */
static bool find_number(const line *l, char *out, size_t n, size_t *at)
{
    for (size_t i = 0; i < l->n; i++) {
        const word *w = &l->w[i];
        char buf[64];
        if (w->s[0] != 'S' || strncmp(bare(w, buf, sizeof buf), "so", 2) != 0 || buf[2])
            continue;
        const char *p = w->s + w->n; /* "Số:05/..." or "Số:" "05/..." or "Số" ":" "05/..." */
        const char *colon = memchr(w->s, ':', w->n);
        size_t j = i + 1;
        if (colon && colon + 1 < p) {
            size_t len = number_symbol(colon + 1, (size_t)(p - colon - 1));
            if (len) {
                snprintf(out, n, "%.*s", (int)len, colon + 1);
                *at = i;
                return true;
            }
            continue;
        }
        if (j < l->n && l->w[j].n == 1 && l->w[j].s[0] == ':')
            j++;
        if (j < l->n) {
            size_t len = number_symbol(l->w[j].s, l->w[j].n);
            if (len) {
                snprintf(out, n, "%.*s", (int)len, l->w[j].s);
                *at = i;
                return true;
            }
        }
    }
    return false;
}

/* "3/KH-UBND" standing alone: a symbol in capitals, not after the word "số". */
static bool find_bare_number(const line *l, char *out, size_t n)
{
    for (size_t i = 0; i < l->n; i++) {
        const word *w = &l->w[i];
        size_t len = number_symbol(w->s, w->n);
        if (!len || (i > 0 && word_is(&l->w[i - 1], "so")) || !all_caps(w->s, len))
            continue;
        snprintf(out, n, "%.*s", (int)len, w->s);
        return true;
    }
    return false;
}

static int small_number(const word *w, int lo, int hi)
{
    char buf[16];
    const char *b = bare(w, buf, sizeof buf);
    char *end;
    long v = strtol(b, &end, 10);
    return *b && !*end && v >= lo && v <= hi ? (int)v : -1;
}

/* "<Place>, ngày 08 tháng 01 năm 2024": the place is the capitalised words before the
 * comma. */
static bool find_date(const line *l, char *place, size_t np, char *iso, size_t ni)
{
    for (size_t i = 1; i + 5 < l->n; i++) {
        if (!word_is(&l->w[i], "ngay") || !word_is(&l->w[i + 2], "thang") ||
            !word_is(&l->w[i + 4], "nam"))
            continue;
        int d = small_number(&l->w[i + 1], 1, 31), m = small_number(&l->w[i + 3], 1, 12);
        int y = small_number(&l->w[i + 5], 1900, 2100);
        const word *prev = &l->w[i - 1];
        if (d < 0 || m < 0 || y < 0 || prev->s[prev->n - 1] != ',')
            continue;
        size_t first = i;
        while (first > 0 && i - first < 5) {
            const word *w = &l->w[first - 1];
            ucs4_t uc;
            u8_mbtouc(&uc, (const uint8_t *)w->s, w->n);
            if (!uc_is_upper(uc) || (first < i && w->s[w->n - 1] == ','))
                break;
            first--;
        }
        if (first == i)
            continue;
        const char *start = l->w[first].s;
        snprintf(place, np, "%.*s", (int)(prev->s + prev->n - 1 - start), start);
        snprintf(iso, ni, "%04d-%02d-%02d", y, m, d);
        return true;
    }
    return false;
}

static const char *const motto[] = {
    "cong hoa xa hoi chu nghia viet nam",
    "doc lap - tu do - hanh phuc",
    "doc lap tu do hanh phuc",
};

/* The header's capitals with the national motto taken out, appended to out. */
static void issuer_words(const line *l, size_t upto, char *out, size_t n)
{
    for (size_t i = 0; i < upto && i < l->n;) {
        size_t skip = 0;
        for (size_t k = 0; k < sizeof motto / sizeof motto[0] && !skip; k++)
            skip = phrase_at(l, i, motto[k]);
        if (skip) {
            i += skip;
            continue;
        }
        const word *w = &l->w[i++];
        if (!w->caps)
            break;
        size_t len = strlen(out);
        snprintf(out + len, n - len, "%s%.*s", len ? " " : "", (int)w->n, w->s);
    }
}

typedef struct doc_type {
    const char *fold, *name;
} doc_type;

/* Nghị định 30/2020 Art. 7's kinds and the usual TTHC results; longer names first. */
static const doc_type types[] = {
    {"giay xac nhan tinh trang hon nhan", "GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN"},
    {"giay chung nhan", "GIẤY CHỨNG NHẬN"}, {"giay xac nhan", "GIẤY XÁC NHẬN"},
    {"giay uy quyen", "GIẤY ỦY QUYỀN"}, {"giay gioi thieu", "GIẤY GIỚI THIỆU"},
    {"giay moi", "GIẤY MỜI"}, {"giay phep", "GIẤY PHÉP"}, {"giay nghi phep", "GIẤY NGHỈ PHÉP"},
    {"giay bien nhan", "GIẤY BIÊN NHẬN"}, {"giay khai sinh", "GIẤY KHAI SINH"},
    {"trich luc", "TRÍCH LỤC"}, {"quyet dinh", "QUYẾT ĐỊNH"}, {"nghi quyet", "NGHỊ QUYẾT"},
    {"chi thi", "CHỈ THỊ"}, {"quy che", "QUY CHẾ"}, {"quy dinh", "QUY ĐỊNH"},
    {"thong cao", "THÔNG CÁO"}, {"thong bao", "THÔNG BÁO"}, {"huong dan", "HƯỚNG DẪN"},
    {"chuong trinh", "CHƯƠNG TRÌNH"}, {"ke hoach", "KẾ HOẠCH"}, {"phuong an", "PHƯƠNG ÁN"},
    {"de an", "ĐỀ ÁN"}, {"du an", "DỰ ÁN"}, {"bao cao", "BÁO CÁO"}, {"bien ban", "BIÊN BẢN"},
    {"to trinh", "TỜ TRÌNH"}, {"hop dong", "HỢP ĐỒNG"}, {"cong van", "CÔNG VĂN"},
    {"cong dien", "CÔNG ĐIỆN"}, {"ban ghi nho", "BẢN GHI NHỚ"},
    {"ban thoa thuan", "BẢN THỎA THUẬN"}, {"phieu gui", "PHIẾU GỬI"},
    {"phieu chuyen", "PHIẾU CHUYỂN"}, {"phieu bao", "PHIẾU BÁO"},
    {"phieu tiep nhan", "PHIẾU TIẾP NHẬN"}, {"thu cong", "THƯ CÔNG"},
    {"don de nghi", "ĐƠN ĐỀ NGHỊ"}, {"don xin", "ĐƠN XIN"}, {"to khai", "TỜ KHAI"},
    {"nghi dinh", "NGHỊ ĐỊNH"}, {"thong tu", "THÔNG TƯ"},
};

/* The abbreviations of Nghị định 30/2020 Appendix III, for a document with no title line. */
static const doc_type abbrevs[] = {
    {"qd", "QUYẾT ĐỊNH"}, {"nq", "NGHỊ QUYẾT"}, {"ct", "CHỈ THỊ"}, {"qc", "QUY CHẾ"},
    {"qyd", "QUY ĐỊNH"}, {"tc", "THÔNG CÁO"}, {"tb", "THÔNG BÁO"}, {"hd", "HƯỚNG DẪN"},
    {"ctr", "CHƯƠNG TRÌNH"}, {"kh", "KẾ HOẠCH"}, {"pa", "PHƯƠNG ÁN"}, {"da", "ĐỀ ÁN"},
    {"bc", "BÁO CÁO"}, {"bb", "BIÊN BẢN"}, {"ttr", "TỜ TRÌNH"}, /* HĐ folds onto HD */
    {"cd", "CÔNG ĐIỆN"}, {"gcn", "GIẤY CHỨNG NHẬN"}, {"gm", "GIẤY MỜI"},
    {"gp", "GIẤY PHÉP"}, {"gxn", "GIẤY XÁC NHẬN"}, {"xntthn", "GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN"},
};

/* A title line: capitals only, starting with a known kind. */
static const char *title_type(const line *l)
{
    if (l->n == 0 || l->n > 10)
        return NULL;
    for (size_t i = 0; i < l->n; i++)
        if (!l->w[i].caps)
            return NULL;
    for (size_t k = 0; k < sizeof types / sizeof types[0]; k++) {
        size_t len = phrase_at(l, 0, types[k].fold);
        if (len)
            return types[k].name;
    }
    return NULL;
}

static const char *type_from_symbol(const char *number)
{
    const char *s = strrchr(number, '/');
    char *f, head[16];
    if (!s || !(f = sh_fold(s + 1)))
        return NULL;
    size_t n = strcspn(f, "-");
    snprintf(head, sizeof head, "%.*s", (int)(n < sizeof head ? n : sizeof head - 1), f);
    bool has_dash = f[n] == '-';
    free(f);
    for (size_t k = 0; k < sizeof abbrevs / sizeof abbrevs[0]; k++)
        if (strcmp(head, abbrevs[k].fold) == 0)
            return abbrevs[k].name;
    /* "123/UBND-VP": an agency and its unit, no kind: the pattern of a công văn */
    return has_dash ? "CÔNG VĂN" : NULL;
}

static bool starts_lower(const line *l)
{
    ucs4_t uc;
    if (!l->n)
        return false;
    u8_mbtouc(&uc, (const uint8_t *)l->w[0].s, l->w[0].n);
    return uc_is_lower(uc) || uc_is_digit(uc);
}

/* A line that begins a paragraph of its own, never a subject. */
static bool body_start(const line *l)
{
    static const char *const starts[] = {"can cu", "kinh gui", "xet de nghi", "theo de nghi",
                                         "toi ten la", "ho va ten", "ho, chu dem"};
    for (size_t k = 0; k < sizeof starts / sizeof starts[0]; k++)
        if (phrase_at(l, 0, starts[k]))
            return true;
    return false;
}

/* The subject: the line after the title (or after "V/v"), with the lines that continue
 * it, three at most. Under a title a wrapped line starts in lower case (the body after it
 * starts a sentence); "V/v" runs until "Kính gửi". */
static void subject_from(const line *lines, size_t nlines, size_t first, size_t skip_words,
                         bool vv, char *out, size_t n)
{
    out[0] = '\0';
    for (size_t i = first; i < nlines && i < first + 3; i++) {
        const line *l = &lines[i];
        if (!l->n || (i > first && !vv && !starts_lower(l)) || body_start(l) ||
            (i == first && skip_words == 0 && title_type(l)))
            break;
        bool caps = true;
        for (size_t k = 0; k < l->n; k++)
            caps = caps && l->w[k].caps;
        if (caps)
            break;
        size_t from = i == first ? skip_words : 0;
        if (from >= l->n)
            continue;
        const char *s = l->w[from].s;
        size_t len = (size_t)(l->s + l->len - s), o = strlen(out);
        while (len && (s[len - 1] == ' ' || s[len - 1] == '\r'))
            len--;
        snprintf(out + o, n - o, "%s%.*s", o ? " " : "", (int)len, s);
    }
}

/* 12 digits (CCCD) or 9 (the old CMND) standing alone: not inside a longer number, a date,
 * an amount ("450.000.000") or a phone number. */
static int find_ids(sh_meta *m, const char *text, unsigned page)
{
    for (const char *p = text; *p;) {
        if (!isdigit((unsigned char)*p)) {
            p++;
            continue;
        }
        const char *start = p;
        while (isdigit((unsigned char)*p))
            p++;
        size_t n = (size_t)(p - start);
        bool joined_before = start > text && (isalnum((unsigned char)start[-1]) ||
                                              ((start[-1] == '.' || start[-1] == ',' ||
                                                start[-1] == '/' || start[-1] == '-') &&
                                               start - 1 > text && isdigit((unsigned char)start[-2])));
        bool joined_after = isalpha((unsigned char)*p) ||
                            ((*p == '.' || *p == ',' || *p == '/' || *p == '-') &&
                             isdigit((unsigned char)p[1]));
        if ((n == 12 || n == 9) && !joined_before && !joined_after) {
            char id[13];
            snprintf(id, sizeof id, "%.*s", (int)n, start);
            if (sh_meta_add(m, n == 12 ? SH_META_CCCD : SH_META_CMND, id, page) < 0)
                return -1;
        }
    }
    return 0;
}

#define HEAD_LINES 8 /* the header rows of a first page: agency, motto, number, date */

int sh_meta_from_text(sh_meta *m, const char *text, unsigned page)
{
    line *lines = NULL;
    size_t nlines = 0, cap = 0;
    int rc = -1;
    char number[96] = "", place[96] = "", date[16] = "", issuer[256] = "", subject[512] = "";
    const char *type = NULL;
    size_t number_line = (size_t)-1, number_word = 0, title_line = (size_t)-1;
    size_t vv_line = (size_t)-1;

    for (const char *p = text; *p;) {
        size_t len = strcspn(p, "\n\f");
        if (nlines == cap) {
            line *grown = realloc(lines, (cap = cap ? 2 * cap : 64) * sizeof *grown);
            if (!grown)
                goto out;
            lines = grown;
        }
        memset(&lines[nlines], 0, sizeof lines[nlines]);
        if (split_line(&lines[nlines++], p, len) < 0)
            goto out;
        p += len;
        if (*p)
            p++;
    }
    for (size_t i = 0; i < nlines; i++) {
        const line *l = &lines[i];
        if (number_line == (size_t)-1 && i < HEAD_LINES && find_number(l, number, sizeof number,
                                                                        &number_word))
            number_line = i;
        if (!date[0] && find_date(l, place, sizeof place, date, sizeof date)) {
            /* found */
        }
        if (title_line == (size_t)-1 && (type = title_type(l)) != NULL)
            title_line = i;
        if (vv_line == (size_t)-1 && l->n && i < HEAD_LINES + 4 &&
            strncmp(l->w[0].fold, "v/v", 3) == 0)
            vv_line = i;
    }
    if (number_line == (size_t)-1)
        for (size_t i = 0; i < nlines && i < HEAD_LINES / 2 && !number[0]; i++)
            if (find_bare_number(&lines[i], number, sizeof number))
                number_line = i;
    /* the issuing body: only above a number in the header, never a heading further down */
    if (number_line != (size_t)-1) {
        for (size_t i = 0; i <= number_line; i++)
            issuer_words(&lines[i], i == number_line ? number_word : lines[i].n, issuer,
                         sizeof issuer);
    }
    if (vv_line != (size_t)-1) {
        const line *l = &lines[vv_line];
        size_t skip = l->w[0].n > 3 ? 0 : 1; /* "V/v" then the subject, or "V/v..." */
        if (skip == 0) { /* "V/vđôn đốc": the subject starts inside the first word */
            char tmp[512];
            subject_from(lines, nlines, vv_line, 0, true, tmp, sizeof tmp);
            snprintf(subject, sizeof subject, "%s", tmp + 3);
        } else {
            subject_from(lines, nlines, vv_line, skip, true, subject, sizeof subject);
        }
        if (!type)
            type = "CÔNG VĂN";
    } else if (title_line != (size_t)-1) {
        subject_from(lines, nlines, title_line + 1, 0, false, subject, sizeof subject);
    }
    if (!type && number[0])
        type = type_from_symbol(number);

    rc = 0;
    if ((number[0] && sh_meta_add(m, SH_META_NUMBER, number, page) < 0) ||
        (type && sh_meta_add(m, SH_META_TYPE, type, page) < 0) ||
        (issuer[0] && sh_meta_add(m, SH_META_ISSUER, issuer, page) < 0) ||
        (place[0] && sh_meta_add(m, SH_META_PLACE, place, page) < 0) ||
        (date[0] && sh_meta_add(m, SH_META_DATE, date, page) < 0) ||
        (subject[0] && sh_meta_add(m, SH_META_SUBJECT, subject, page) < 0) ||
        find_ids(m, text, page) < 0)
        rc = -1;
out:
    for (size_t i = 0; i < nlines; i++)
        free_line(&lines[i]);
    free(lines);
    return rc;
}

/* ---- operator field names ----------------------------------------------------------- */

typedef struct alias {
    const char *key, *field;
} alias;

/* Folded keys, separators as '_'. */
static const alias aliases[] = {
    {"ma_ho_so", SH_META_DOSSIER_CODE}, {"ma_hs", SH_META_DOSSIER_CODE},
    {"ma_ho_so_tthc", SH_META_DOSSIER_CODE},
    {"ma_tthc", SH_META_PROCEDURE}, {"ma_thu_tuc", SH_META_PROCEDURE},
    {"ma_thu_tuc_hanh_chinh", SH_META_PROCEDURE}, {"procedure", SH_META_PROCEDURE},
    {"ma_dinh_danh", SH_META_APPLICANT}, {"so_dinh_danh", SH_META_APPLICANT},
    {"cccd", SH_META_APPLICANT}, {"applicant", SH_META_APPLICANT},
    {"chu_ho_so", SH_META_APPLICANT_NAME}, {"nguoi_nop", SH_META_APPLICANT_NAME},
    {"ho_ten", SH_META_APPLICANT_NAME}, {"ho_va_ten", SH_META_APPLICANT_NAME},
    {"ten_giay_to", SH_META_DOC_NAME}, {"co_quan", SH_META_AGENCY},
    {"co_quan_tiep_nhan", SH_META_AGENCY}, {"don_vi", SH_META_AGENCY},
    {"tieu_de", SH_META_TITLE}, {"tieu_de_ho_so", SH_META_TITLE},
    {"thoi_han_bao_quan", SH_META_RETENTION}, {"thoi_han_luu_tru", SH_META_RETENTION},
    {"muc_do_tiep_can", SH_META_ACCESS}, {"che_do_su_dung", SH_META_ACCESS},
    {"ngon_ngu", SH_META_LANGUAGE}, {"tu_khoa", SH_META_KEYWORDS},
    {"so_to", SH_META_SHEETS}, {"so_luong_to", SH_META_SHEETS},
    {"so_trang", SH_META_PAGE_COUNT}, {"muc_do_tin_cay", SH_META_RELIABILITY},
    {"ma_ho_so_goc_giay", SH_META_PAPER_CODE}, {"so_ky_hieu", SH_META_NUMBER},
    {"so_va_ky_hieu", SH_META_NUMBER}, {"so", SH_META_NUMBER}, {"ngay_ban_hanh", SH_META_DATE},
    {"ngay_van_ban", SH_META_DATE}, {"ngay", SH_META_DATE}, {"date", SH_META_DATE},
    {"dia_danh", SH_META_PLACE}, {"co_quan_ban_hanh", SH_META_ISSUER},
    {"ten_loai", SH_META_TYPE}, {"ten_loai_van_ban", SH_META_TYPE},
    {"loai_van_ban", SH_META_TYPE}, {"trich_yeu", SH_META_SUBJECT},
    {"trich_yeu_noi_dung", SH_META_SUBJECT},
    {"thoi_gian_bat_dau", "start_date"}, {"thoi_gian_ket_thuc", "end_date"},
    {"tinh_trang_vat_ly", "physical_state"}, {"ky_hieu_thong_tin", "info_code"},
    {"so_luong_tai_lieu", "doc_count"}, {"ghi_chu", "notes"},
    {"he_thong", "issuing_system"}, {"hieu_luc", "validity"},
};

void sh_meta_field_name(const char *key, char *out, size_t n)
{
    char *f = sh_fold(key ? key : "");
    size_t o = 0;
    bool sep = false;

    if (!n)
        return;
    for (const char *p = f ? f : ""; *p && o + 1 < n; p++) {
        if (isalnum((unsigned char)*p) || (unsigned char)*p >= 0x80) {
            if (sep && o)
                out[o++] = '_';
            if (o + 1 < n)
                out[o++] = *p;
            sep = false;
        } else {
            sep = true;
        }
    }
    out[o] = '\0';
    free(f);
    for (size_t k = 0; k < sizeof aliases / sizeof aliases[0]; k++)
        if (strcmp(out, aliases[k].key) == 0) {
            snprintf(out, n, "%s", aliases[k].field);
            return;
        }
}
