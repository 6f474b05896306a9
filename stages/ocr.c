/* ocr.c: the OCR stage: Tesseract reads the upright copy clean made, word by word.
 *
 * One Tesseract engine per worker thread, made once and never shared (engines are not
 * thread-safe; LIBS.md §5). Tesseract is loaded at the stage's start (tess.c), which also
 * limits its OpenMP to one thread: otherwise it spins and is 7x slower on small machines.
 */
#include <stdlib.h>
#include <string.h>

#include <leptonica/allheaders.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "sohoa/stage.h"
#include "tess.h"

typedef struct ocr_state {
    const sh_options *opt;
    char primary[64]; /* the first of several languages ("vie" of "vie+eng"), else "" */
} ocr_state;

/* Per worker: the engine with every language, and one with the first language alone. */
typedef struct ocr_engines {
    TessBaseAPI *all;
    TessBaseAPI *primary; /* NULL with a single language */
} ocr_engines;

static bool ocr_enabled(const sh_options *o) { return o->ocr; }

static int ocr_start(const sh_run *run, void **state, sh_error *err)
{
    if (sh_tess_load(err) < 0)
        return -1;
    ocr_state *s = calloc(1, sizeof *s);
    if (!s)
        return sh_fail(err, SH_ENOMEM, "out of memory");
    s->opt = run->opt;
    const char *plus = strchr(s->opt->lang, '+');
    if (plus && (size_t)(plus - s->opt->lang) < sizeof s->primary)
        memcpy(s->primary, s->opt->lang, (size_t)(plus - s->opt->lang));
    *state = s;
    return 0;
}

static TessBaseAPI *engine(const ocr_state *s, const char *lang, sh_error *err)
{
    TessBaseAPI *api = TessBaseAPICreate();

    if (!api) {
        sh_fail(err, SH_ENOMEM, "cannot create a Tesseract engine");
        return NULL;
    }
    /* Tesseract prints progress and "Detected N diacritics" to stderr; keep it quiet. */
    TessBaseAPISetVariable(api, "debug_file", "/dev/null");
    if (TessBaseAPIInit2(api, s->opt->tessdata, lang, OEM_LSTM_ONLY) != 0) {
        TessBaseAPIDelete(api);
        sh_fail(err, SH_EUNSUPPORTED, "Tesseract cannot load the language data '%s' "
                "(install tesseract-ocr-vie / tesseract-ocr-eng, or check --lang)", lang);
        return NULL;
    }
    return api;
}

static int ocr_thread_init(void *state, void **local, sh_error *err)
{
    ocr_state *s = state;
    ocr_engines *e = calloc(1, sizeof *e);

    if (!e)
        return sh_fail(err, SH_ENOMEM, "out of memory");
    if (!(e->all = engine(s, s->opt->lang, err)) ||
        (s->primary[0] && !(e->primary = engine(s, s->primary, err)))) {
        if (e->all)
            TessBaseAPIDelete(e->all);
        free(e);
        return -1;
    }
    TessBaseAPISetPageSegMode(e->all, PSM_AUTO);
    if (e->primary)
        TessBaseAPISetPageSegMode(e->primary, PSM_SINGLE_LINE);
    *local = e;
    return 0;
}

/* Tesseract's text in NFC, the form the text layer and the index use. */
static char *nfc(const char *s)
{
    size_t n = 0;
    uint8_t *out = u8_normalize(UNINORM_NFC, (const uint8_t *)s, strlen(s), NULL, &n);
    char *r = out ? realloc(out, n + 1) : NULL;
    if (!r) {
        free(out);
        return strdup(s);
    }
    r[n] = '\0';
    return r;
}

/* Under this confidence, a "word" mostly of punctuation, or a lone character, is what the
 * recogniser made of a signature stroke, a seal's rim or a speck (">>", ":", "_Í—", "š"
 * next to a signature, "—m—.=—-_..." across one): it is left out. Real punctuation and
 * short words are read at 60 and more. */
#define NOISE_CONF 40.0f

static bool noise(const sh_word *w)
{
    const uint8_t *s = (const uint8_t *)w->text;
    size_t chars = 0, alnum = 0;

    if (w->conf >= NOISE_CONF)
        return false;
    for (ucs4_t c; *s; chars++) {
        int n = u8_mbtouc(&c, s, strlen((const char *)s));
        if (n <= 0)
            break;
        alnum += uc_is_alnum(c);
        s += n;
    }
    return 2 * alnum < chars || chars == 1;
}

static int push_word(sh_word **v, size_t *n, size_t *cap, const sh_word *w)
{
    if (*n == *cap) {
        size_t c = *cap ? 2 * *cap : 256;
        sh_word *grown = realloc(*v, c * sizeof *grown);
        if (!grown)
            return -1;
        *v = grown;
        *cap = c;
    }
    (*v)[(*n)++] = *w;
    return 0;
}

/* Reads the words of what the engine recognised, NFC, without the noise. The first word
 * kept of each text line says so; base and line_height are the line's. foreign, when
 * given, gets per word whether a language other than `primary` read it. */
static int read_words(TessBaseAPI *api, const char *primary, sh_word **v, size_t *n,
                      unsigned char **foreign, sh_error *err)
{
    size_t cap = 0, fcap = 0;
    float base[4] = {0}, line_h = 0;
    bool pending_line = false, pending_para = false;
    int rc = 0;
    TessResultIterator *ri = TessBaseAPIGetIterator(api);

    if (!ri)
        return 0;
    const TessPageIterator *pi = TessResultIteratorGetPageIterator(ri);
    do {
        char *text = TessResultIteratorGetUTF8Text(ri, RIL_WORD);
        if (!text)
            continue;
        sh_word w = {0};
        if (TessPageIteratorIsAtBeginningOf(pi, RIL_TEXTLINE)) {
            int x1, y1, x2, y2, l, t, r, b;
            w.line_start = true;
            w.para_start = TessPageIteratorIsAtBeginningOf(pi, RIL_PARA);
            if (TessPageIteratorBaseline(pi, RIL_TEXTLINE, &x1, &y1, &x2, &y2)) {
                base[0] = (float)x1;
                base[1] = (float)y1;
                base[2] = (float)x2;
                base[3] = (float)y2;
            }
            if (TessPageIteratorBoundingBox(pi, RIL_TEXTLINE, &l, &t, &r, &b))
                line_h = (float)(b - t);
        }
        TessPageIteratorBoundingBox(pi, RIL_WORD, &w.box[0], &w.box[1], &w.box[2], &w.box[3]);
        memcpy(w.base, base, sizeof base);
        w.line_height = line_h;
        w.conf = TessResultIteratorConfidence(ri, RIL_WORD);
        w.text = nfc(text);
        TessDeleteText(text);
        if (!w.text) {
            rc = sh_fail(err, SH_ENOMEM, "out of memory");
            break;
        }
        /* Tesseract sometimes returns a "word" of spaces over a rule or an edge */
        if (!w.text[strspn(w.text, " \t\r\n")] || noise(&w)) {
            /* the line (and paragraph) then starts at its next word */
            pending_line |= w.line_start;
            pending_para |= w.para_start;
            free(w.text);
            continue;
        }
        if (!w.line_start && pending_line) {
            w.line_start = true;
            w.para_start = pending_para;
        }
        pending_line = pending_para = false;
        if (push_word(v, n, &cap, &w) < 0) {
            free(w.text);
            rc = sh_fail(err, SH_ENOMEM, "out of memory");
            break;
        }
        if (foreign) {
            if (*n > fcap) {
                unsigned char *grown = realloc(*foreign, cap);
                if (!grown) {
                    rc = sh_fail(err, SH_ENOMEM, "out of memory");
                    break;
                }
                *foreign = grown;
                fcap = cap;
            }
            const char *lang = TessResultIteratorWordRecognitionLanguage(ri);
            (*foreign)[*n - 1] = lang && primary[0] && strcmp(lang, primary) != 0;
        }
    } while (TessResultIteratorNext(ri, RIL_WORD));
    TessResultIteratorDelete(ri);
    return rc;
}

/* A letter of the Vietnamese alphabet outside ASCII (NFC): the vowels with their marks, đ. */
static bool vi_letter(ucs4_t c)
{
    static const char others[] = "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯư";
    return (c >= 0x1EA0 && c <= 0x1EF9) || /* Latin Extended Additional: ạ ả ấ … ỹ */
           (c >= 0xC0 && c <= 0x1B0 && u8_strchr((const uint8_t *)others, c));
}

/* How Vietnamese a reading looks: words with a Vietnamese letter, words with a character
 * no Vietnamese text has (what the Vietnamese model makes of English: "Ÿomeone", "ñrst"),
 * and the mean confidence. */
typedef struct reading {
    size_t vi, alien;
    double conf;
} reading;

static reading judge(const sh_word *w, size_t n)
{
    reading r = {0};
    for (size_t i = 0; i < n; i++) {
        const uint8_t *u = (const uint8_t *)w[i].text;
        bool vi = false, alien = false;
        for (ucs4_t c; *u;) {
            int k = u8_mbtouc(&c, u, strlen((const char *)u));
            if (k <= 0)
                break;
            if (c >= 0x80) {
                if (vi_letter(c))
                    vi = true;
                else if (!(c >= 0x2010 && c <= 0x2026) && c != 0xB0 && c != 0xAB && c != 0xBB)
                    alien = true; /* dashes, quotes, ellipsis, degree, guillemets are fine */
            }
            u += k;
        }
        r.vi += vi;
        r.alien += alien;
        r.conf += w[i].conf;
    }
    r.conf = n ? r.conf / (double)n : 0;
    return r;
}

static void free_words(sh_word *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(w[i].text);
    free(w);
}

/* Tesseract with several languages goes on with whichever language read the last word:
 * after an English-looking word, a Vietnamese line is read by the English model and loses
 * its diacritics ("Noi nhan" for "Nơi nhận"; on 60 generated pages vie+eng misread 0.99 %
 * of the characters, vie alone 0.59 %). A line where another language won is read again
 * by the first language alone, and that reading replaces it when it looks Vietnamese:
 * more words with Vietnamese letters, at least three in ten, none with a letter
 * Vietnamese does not have, and a confidence not far under the first reading's. An
 * English line read by the Vietnamese model ("Ÿomeone sÄoxu") stays English. */
static int reread_lines(TessBaseAPI *primary, sh_page *p, const unsigned char *foreign,
                        sh_error *err)
{
    sh_word *out = NULL;
    size_t n = 0, cap = 0;
    bool image_set = false;
    int rc = 0;
    int iw = pixGetWidth(p->ocr_pix), ih = pixGetHeight(p->ocr_pix);

    for (size_t first = 0, end; first < p->nwords && rc == 0; first = end) {
        bool any = false;
        for (end = first; end < p->nwords && (end == first || !p->words[end].line_start); end++)
            any |= foreign[end];
        sh_word *fresh = NULL;
        size_t nfresh = 0;
        if (any) {
            if (!image_set) {
                TessBaseAPISetImage2(primary, p->ocr_pix);
                TessBaseAPISetSourceResolution(primary, pixGetYRes(p->ocr_pix) > 0
                                                            ? pixGetYRes(p->ocr_pix) : 300);
                image_set = true;
            }
            int l = p->words[first].box[0], t = p->words[first].box[1];
            int r = p->words[first].box[2], b = p->words[first].box[3];
            for (size_t i = first + 1; i < end; i++) {
                l = p->words[i].box[0] < l ? p->words[i].box[0] : l;
                t = p->words[i].box[1] < t ? p->words[i].box[1] : t;
                r = p->words[i].box[2] > r ? p->words[i].box[2] : r;
                b = p->words[i].box[3] > b ? p->words[i].box[3] : b;
            }
            int pad = (int)(p->words[first].line_height / 4) + 2;
            l = l - pad < 0 ? 0 : l - pad;
            t = t - pad < 0 ? 0 : t - pad;
            r = r + pad > iw ? iw : r + pad;
            b = b + pad > ih ? ih : b + pad;
            TessBaseAPISetRectangle(primary, l, t, r - l, b - t);
            if (TessBaseAPIRecognize(primary, NULL) == 0)
                rc = read_words(primary, "", &fresh, &nfresh, NULL, err);
            reading now = judge(p->words + first, end - first), then = judge(fresh, nfresh);
            if (rc == 0 && nfresh && !then.alien && then.vi > now.vi &&
                then.vi * 10 >= nfresh * 3 && then.conf >= now.conf - 15) {
                for (size_t i = 0; i < nfresh; i++) { /* the line's place as first read */
                    fresh[i].line_start = i == 0;
                    fresh[i].para_start = i == 0 && p->words[first].para_start;
                    memcpy(fresh[i].base, p->words[first].base, sizeof fresh[i].base);
                    fresh[i].line_height = p->words[first].line_height;
                }
                for (size_t i = first; i < end; i++) {
                    free(p->words[i].text);
                    p->words[i].text = NULL;
                }
                for (size_t i = 0; i < nfresh; i++) {
                    if (rc == 0 && push_word(&out, &n, &cap, &fresh[i]) < 0)
                        rc = sh_fail(err, SH_ENOMEM, "out of memory");
                    if (rc < 0)
                        free(fresh[i].text);
                }
                free(fresh); /* the texts moved to out */
                continue;
            }
            free_words(fresh, nfresh);
        }
        for (size_t i = first; i < end && rc == 0; i++) {
            if (push_word(&out, &n, &cap, &p->words[i]) < 0)
                rc = sh_fail(err, SH_ENOMEM, "out of memory");
            else
                p->words[i].text = NULL;
        }
    }
    if (image_set)
        TessBaseAPIClear(primary);
    if (rc < 0) {
        free_words(out, n);
        return rc; /* p->words still holds whatever was not moved; freed with the page */
    }
    free(p->words);
    p->words = out;
    p->nwords = n;
    return 0;
}

static int ocr_process(void *state, void *local, void *unit, sh_error *err)
{
    const ocr_state *s = state;
    ocr_engines *e = local;
    sh_page *p = unit;
    unsigned char *foreign = NULL;
    int rc = 0;

    p->mean_conf = -1;
    if (!p->ocr_pix || p->blank)
        return 0;
    TessBaseAPISetImage2(e->all, p->ocr_pix);
    TessBaseAPISetSourceResolution(e->all, pixGetYRes(p->ocr_pix) > 0 ? pixGetYRes(p->ocr_pix) : 300);
    if (TessBaseAPIRecognize(e->all, NULL) != 0) {
        TessBaseAPIClear(e->all);
        return sh_fail(err, SH_EINTERNAL, "page %u: Tesseract could not recognise the page",
                       p->index + 1);
    }
    rc = read_words(e->all, s->primary, &p->words, &p->nwords, e->primary ? &foreign : NULL, err);
    TessBaseAPIClear(e->all);
    if (rc == 0 && e->primary && foreign)
        rc = reread_lines(e->primary, p, foreign, err);
    free(foreign);
    double conf_sum = 0;
    for (size_t i = 0; i < p->nwords; i++)
        conf_sum += p->words[i].conf;
    p->mean_conf = p->nwords ? (float)(conf_sum / p->nwords) : 0;
    pixDestroy(&p->ocr_pix);
    return rc;
}

static void ocr_thread_done(void *state, void *local)
{
    ocr_engines *e = local;
    (void)state;
    if (e) {
        TessBaseAPIEnd(e->all);
        TessBaseAPIDelete(e->all);
        if (e->primary) {
            TessBaseAPIEnd(e->primary);
            TessBaseAPIDelete(e->primary);
        }
        free(e);
    }
}

static void ocr_stop(void *state) { free(state); }

const sh_stage sh_stage_ocr = {
    .name = "ocr",
    .unit = SH_UNIT_PAGE,
    .enabled = ocr_enabled,
    .start = ocr_start,
    .thread_init = ocr_thread_init,
    .process = ocr_process,
    .thread_done = ocr_thread_done,
    .stop = ocr_stop,
};
