/* ocr.c: the OCR stage: Tesseract reads the upright copy clean made, word by word.
 *
 * One Tesseract engine per worker thread, made once and never shared (engines are not
 * thread-safe; LIBS.md §5). The process must run with OMP_THREAD_LIMIT=1 (main.c sees to
 * it): Tesseract's OpenMP threads otherwise spin and make it 7x slower on small machines.
 */
#include <stdlib.h>
#include <string.h>

#include <leptonica/allheaders.h>
#include <tesseract/capi.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "sohoa/stage.h"

typedef struct ocr_state {
    const sh_options *opt;
} ocr_state;

static bool ocr_enabled(const sh_options *o) { return o->ocr; }

static int ocr_start(const sh_run *run, void **state, sh_error *err)
{
    ocr_state *s = calloc(1, sizeof *s);
    if (!s)
        return sh_fail(err, SH_ENOMEM, "out of memory");
    s->opt = run->opt;
    *state = s;
    return 0;
}

static int ocr_thread_init(void *state, void **local, sh_error *err)
{
    ocr_state *s = state;
    TessBaseAPI *api = TessBaseAPICreate();

    if (!api)
        return sh_fail(err, SH_ENOMEM, "cannot create a Tesseract engine");
    /* Tesseract prints progress and "Detected N diacritics" to stderr; keep it quiet. */
    TessBaseAPISetVariable(api, "debug_file", "/dev/null");
    if (TessBaseAPIInit2(api, s->opt->tessdata, s->opt->lang, OEM_LSTM_ONLY) != 0) {
        TessBaseAPIDelete(api);
        return sh_fail(err, SH_EUNSUPPORTED, "Tesseract cannot load the language data '%s' "
                       "(install tesseract-ocr-vie / tesseract-ocr-eng, or check --lang)",
                       s->opt->lang);
    }
    TessBaseAPISetPageSegMode(api, PSM_AUTO);
    *local = api;
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

/* Under this confidence, a "word" of punctuation or a lone character is what the recogniser
 * made of a signature stroke, a seal's rim or a speck (">>", ":", "_Í—", "š" next to a
 * signature): it is left out. Real punctuation and short words are read at 60 and more. */
#define NOISE_CONF 40.0f

static bool noise(const sh_word *w)
{
    const uint8_t *s = (const uint8_t *)w->text;
    size_t chars = 0;
    bool alnum = false;

    if (w->conf >= NOISE_CONF)
        return false;
    for (ucs4_t c; *s; chars++) {
        int n = u8_mbtouc(&c, s, strlen((const char *)s));
        if (n <= 0)
            break;
        alnum |= uc_is_alnum(c);
        s += n;
    }
    return !alnum || chars == 1;
}

static int add_word(sh_page *p, size_t *cap, const sh_word *w)
{
    if (p->nwords == *cap) {
        size_t c = *cap ? 2 * *cap : 256;
        sh_word *v = realloc(p->words, c * sizeof *v);
        if (!v)
            return -1;
        p->words = v;
        *cap = c;
    }
    p->words[p->nwords++] = *w;
    return 0;
}

static int ocr_process(void *state, void *local, void *unit, sh_error *err)
{
    TessBaseAPI *api = local;
    sh_page *p = unit;
    size_t cap = 0;
    double conf_sum = 0;
    float base[4] = {0};
    float line_h = 0;
    bool pending_line = false, pending_para = false;
    int rc = 0;

    (void)state;
    p->mean_conf = -1;
    if (!p->ocr_pix || p->blank)
        return 0;
    TessBaseAPISetImage2(api, p->ocr_pix);
    TessBaseAPISetSourceResolution(api, pixGetYRes(p->ocr_pix) > 0 ? pixGetYRes(p->ocr_pix) : 300);
    if (TessBaseAPIRecognize(api, NULL) != 0) {
        TessBaseAPIClear(api);
        return sh_fail(err, SH_EINTERNAL, "page %u: Tesseract could not recognise the page",
                       p->index + 1);
    }
    TessResultIterator *ri = TessBaseAPIGetIterator(api);
    if (ri) {
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
            if (add_word(p, &cap, &w) < 0) {
                free(w.text);
                rc = sh_fail(err, SH_ENOMEM, "out of memory");
                break;
            }
            conf_sum += w.conf;
        } while (TessResultIteratorNext(ri, RIL_WORD));
        TessResultIteratorDelete(ri);
    }
    TessBaseAPIClear(api);
    p->mean_conf = p->nwords ? (float)(conf_sum / p->nwords) : 0;
    pixDestroy(&p->ocr_pix);
    return rc;
}

static void ocr_thread_done(void *state, void *local)
{
    (void)state;
    if (local) {
        TessBaseAPIEnd(local);
        TessBaseAPIDelete(local);
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
