/* pades.c: one PAdES signature appended to a PDF as an incremental update.
 *
 * The update holds the signature dictionary, its field/widget, the AcroForm, page 1 (or
 * its /Annots array) with the new widget, the stamp's objects, an xref section and a
 * trailer whose /Prev chains to the old one. The original bytes are copied unchanged and
 * are never rewritten: earlier signatures stay valid. The /ByteRange is written with
 * fixed-width numbers and patched once the update's length is known; the CMS goes into
 * the /Contents hole last.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "sign_int.h"

int sh_update_obj(sh_update *u, unsigned num, unsigned gen)
{
    if (u->nobjs == u->cap) {
        unsigned cap = u->cap ? 2 * u->cap : 16;
        void *p = realloc(u->objs, cap * sizeof *u->objs);
        if (!p) {
            u->out.oom = true;
            return -1;
        }
        u->objs = p;
        u->cap = cap;
    }
    u->objs[u->nobjs].num = num;
    u->objs[u->nobjs].gen = gen;
    u->objs[u->nobjs].off = u->base + u->out.n;
    u->nobjs++;
    sh_buf_printf(&u->out, "%u %u obj\n", num, gen);
    return 0;
}

unsigned sh_update_new(sh_update *u) { return u->next_obj++; }

/* UTF-8 to code points; a bad sequence becomes U+FFFD. */
static unsigned utf8_next(const unsigned char **p)
{
    const unsigned char *s = *p;
    unsigned c = *s++, n = 0, cp;
    if (c < 0x80)
        cp = c;
    else if ((c & 0xE0) == 0xC0)
        cp = c & 0x1F, n = 1;
    else if ((c & 0xF0) == 0xE0)
        cp = c & 0x0F, n = 2;
    else if ((c & 0xF8) == 0xF0)
        cp = c & 0x07, n = 3;
    else
        cp = 0xFFFD;
    for (unsigned i = 0; i < n; i++) {
        if ((*s & 0xC0) != 0x80) {
            cp = 0xFFFD;
            break;
        }
        cp = cp << 6 | (*s++ & 0x3F);
    }
    *p = s;
    return cp;
}

void sh_pdf_text(sh_buf *b, const char *utf8)
{
    const unsigned char *p = (const unsigned char *)utf8;
    bool ascii = true;
    for (const unsigned char *q = p; *q; q++)
        if (*q < 0x20 || *q > 0x7e)
            ascii = false;
    if (ascii) {
        sh_buf_putc(b, '(');
        for (; *p; p++) {
            if (*p == '(' || *p == ')' || *p == '\\')
                sh_buf_putc(b, '\\');
            sh_buf_putc(b, *p);
        }
        sh_buf_putc(b, ')');
        return;
    }
    sh_buf_put(b, "<FEFF", 5);
    while (*p) {
        unsigned cp = utf8_next(&p);
        if (cp >= 0x10000) { /* a surrogate pair */
            cp -= 0x10000;
            sh_buf_printf(b, "%04X%04X", 0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF));
        } else {
            sh_buf_printf(b, "%04X", cp);
        }
    }
    sh_buf_putc(b, '>');
}

/* ---- reading what the update must change ---- */

typedef struct copy_ctx {
    const unsigned char *b;
    sh_buf *out;
    const char *const *skip;
} copy_ctx;

static void copy_cb(void *ctx, const unsigned char *key, size_t kl, size_t v, size_t ve)
{
    copy_ctx *c = ctx;
    for (const char *const *s = c->skip; *s; s++)
        if (strlen(*s) == kl && memcmp(*s, key, kl) == 0)
            return;
    sh_buf_putc(c->out, '/');
    sh_buf_put(c->out, key, kl);
    sh_buf_putc(c->out, ' ');
    sh_buf_put(c->out, c->b + v, ve - v);
    sh_buf_putc(c->out, '\n');
}

/* Writes the entries of the dictionary at i except the keys in skip (NULL-ended), without
 * the brackets: the caller adds its own keys and closes it. */
static int copy_dict(const sh_pdfdoc *d, size_t i, sh_buf *out, const char *const *skip)
{
    copy_ctx c = {d->b, out, skip};
    return sh_pdf_dict_each(d->b, d->len, i, copy_cb, &c);
}

/* The elements of the array at i, as raw text, written to out with a space after each. */
static int copy_array_items(const sh_pdfdoc *d, size_t i, sh_buf *out, unsigned *count)
{
    const unsigned char *b = d->b;
    i = sh_pdf_ws(b, d->len, i);
    if (i >= d->len || b[i] != '[')
        return -1;
    i++;
    for (;;) {
        i = sh_pdf_ws(b, d->len, i);
        if (i < d->len && b[i] == ']')
            return 0;
        size_t e = sh_pdf_skip(b, d->len, i);
        if (e >= d->len)
            return -1;
        sh_buf_put(out, b + i, e - i);
        sh_buf_putc(out, ' ');
        if (count)
            ++*count;
        i = e;
    }
}

static bool is_dict(const sh_pdfdoc *d, size_t i)
{
    return i && i + 1 < d->len && d->b[i] == '<' && d->b[i + 1] == '<';
}

static bool name_is(const sh_pdfdoc *d, size_t i, const char *name)
{
    size_t n = strlen(name);
    return i && i + n < d->len && memcmp(d->b + i, name, n) == 0 &&
           sh_pdf_skip(d->b, d->len, i) == i + n;
}

/* Page 1: down the first kid of each /Pages node. */
static unsigned first_page(const sh_pdfdoc *d, size_t cat, sh_error *err)
{
    size_t v = sh_pdf_dict_get(d->b, d->len, cat, "Pages");
    unsigned num = v ? sh_pdf_ref(d->b, d->len, v) : 0;
    for (int depth = 0; num && depth < 32; depth++) {
        size_t o = sh_pdf_obj(d, num);
        if (!is_dict(d, o))
            break;
        size_t t = sh_pdf_dict_get(d->b, d->len, o, "Type");
        if (name_is(d, t, "/Page"))
            return num;
        size_t kids = sh_pdf_resolve(d, sh_pdf_dict_get(d->b, d->len, o, "Kids"));
        if (!kids || d->b[kids] != '[')
            break;
        num = sh_pdf_ref(d->b, d->len, kids + 1);
    }
    sh_fail(err, SH_EFORMAT, "its page tree has no first page that sohoa can find");
    return 0;
}

/* MediaBox/CropBox and Rotate of a page, inherited through /Parent where missing. */
static void page_geom(const sh_pdfdoc *d, unsigned page, sh_page_geom *g)
{
    bool have_box = false, have_crop = false, have_rot = false;
    *g = (sh_page_geom){0, 0, 595, 842, 0};
    unsigned num = page;
    for (int depth = 0; num && depth < 32; depth++) {
        size_t o = sh_pdf_obj(d, num);
        if (!is_dict(d, o))
            break;
        const char *keys[2] = {"CropBox", "MediaBox"};
        for (int k = 0; k < 2; k++) {
            if (have_crop || (k == 1 && have_box))
                continue;
            size_t v = sh_pdf_resolve(d, sh_pdf_dict_get(d->b, d->len, o, keys[k]));
            double x[4];
            if (!v || d->b[v] != '[')
                continue;
            size_t i = v + 1;
            int n = 0;
            for (; n < 4; n++) {
                i = sh_pdf_ws(d->b, d->len, i);
                if (!sh_pdf_num(d->b, d->len, i, &x[n]))
                    break;
                i = sh_pdf_skip(d->b, d->len, i);
            }
            if (n == 4) {
                g->x0 = x[0] < x[2] ? x[0] : x[2];
                g->x1 = x[0] < x[2] ? x[2] : x[0];
                g->y0 = x[1] < x[3] ? x[1] : x[3];
                g->y1 = x[1] < x[3] ? x[3] : x[1];
                have_box = true;
                if (k == 0)
                    have_crop = true;
            }
        }
        double r;
        size_t rv = sh_pdf_dict_get(d->b, d->len, o, "Rotate");
        if (!have_rot && rv && sh_pdf_num(d->b, d->len, rv, &r)) {
            int ri = ((int)r % 360 + 360) % 360;
            g->rotate = ri - ri % 90;
            have_rot = true;
        }
        size_t par = sh_pdf_dict_get(d->b, d->len, o, "Parent");
        num = par ? sh_pdf_ref(d->b, d->len, par) : 0;
    }
}

/* A field name not taken yet: Signature1, Signature2, ... */
static void field_name(const sh_pdfdoc *d, size_t fields, char out[32])
{
    for (unsigned n = 1;; n++) {
        snprintf(out, 32, "(Signature%u)", n);
        bool taken = false;
        size_t i = fields ? fields + 1 : 0;
        while (i && !taken) {
            i = sh_pdf_ws(d->b, d->len, i);
            if (i >= d->len || d->b[i] == ']')
                break;
            size_t f = sh_pdf_resolve(d, i);
            size_t t = is_dict(d, f) ? sh_pdf_dict_get(d->b, d->len, f, "T") : 0;
            if (t && sh_pdf_skip(d->b, d->len, t) - t == strlen(out) &&
                memcmp(d->b + t, out, strlen(out)) == 0)
                taken = true;
            i = sh_pdf_skip(d->b, d->len, i);
        }
        if (!taken || n > 10000)
            return;
    }
}

static int obj_cmp(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return (x > y) - (x < y);
}

static void hex_into(unsigned char *dst, const unsigned char *src, size_t n)
{
    static const char hx[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        dst[2 * i] = (unsigned char)hx[src[i] >> 4];
        dst[2 * i + 1] = (unsigned char)hx[src[i] & 15];
    }
}

static size_t startxref_len(size_t xref_at)
{
    return (size_t)snprintf(NULL, 0, "startxref\n%zu\n%%%%EOF\n", xref_at);
}

/* The fewest bytes the hole must grow by for a file of `body` bytes, followed by its
 * startxref line for an xref at xref_at, to end on a multiple of align. The line's number
 * grows with the padding and may gain a digit, which the padding then gives back. */
static size_t padding(size_t body, size_t xref_at, size_t align)
{
    size_t pad = 0;
    for (;;) {
        size_t sx = startxref_len(xref_at + pad), rest = (body + pad + sx) % align;
        if (rest == 0)
            return pad;
        if (pad >= rest && startxref_len(xref_at + pad - rest) == sx)
            return pad - rest; /* the digit gained, given back */
        pad += align - rest;
    }
}

int sh_sign_pdf_update(sh_signer *s, const unsigned char *pdf, size_t len,
                       const sh_sign_request *rq, unsigned char **out, size_t *out_len,
                       sh_error *err)
{
    sh_pdfdoc d;
    sh_update u = {0};
    sh_buf cms = {0};
    int rc = -1;

    *out = NULL;
    *out_len = 0;
    if (sh_pdf_open(&d, pdf, len, err) < 0)
        return -1;
    const unsigned char *b = d.b;
    size_t cat = sh_pdf_obj(&d, d.root);
    unsigned page = is_dict(&d, cat) ? first_page(&d, cat, err) : 0;
    if (!is_dict(&d, cat)) {
        sh_fail(err, SH_EFORMAT, "its document catalog is not a dictionary");
        goto out;
    }
    if (!page)
        goto out;
    sh_page_geom geom;
    page_geom(&d, page, &geom);

    u.base = len;
    u.next_obj = d.next;
    if (len && b[len - 1] != '\n' && b[len - 1] != '\r')
        sh_buf_putc(&u.out, '\n'); /* the old %%EOF keeps its own line */

    /* the AcroForm: rewritten in place when it is an object of its own, else made */
    size_t af_v = sh_pdf_dict_get(b, len, cat, "AcroForm");
    unsigned af_num = af_v ? sh_pdf_ref(b, len, af_v) : 0;
    size_t af = af_v ? sh_pdf_resolve(&d, af_v) : 0;
    if (af && !is_dict(&d, af)) {
        sh_fail(err, SH_EFORMAT, "its /AcroForm is not a dictionary");
        goto out;
    }
    size_t fields = af ? sh_pdf_resolve(&d, sh_pdf_dict_get(b, len, af, "Fields")) : 0;
    if (fields && b[fields] != '[')
        fields = 0;
    if (fields && sh_pdf_ref(b, len, sh_pdf_dict_get(b, len, af, "Fields"))) {
        sh_fail(err, SH_EUNSUPPORTED, "its form's /Fields is an object of its own, which "
                "sohoa does not update yet");
        goto out;
    }
    bool new_af = af_num == 0;
    if (new_af)
        af_num = sh_update_new(&u);
    unsigned sig_num = sh_update_new(&u), wid_num = sh_update_new(&u);
    unsigned pg_gen = d.gen[page];

    /* the stamp first: the widget needs its /Rect and /AP */
    double rect[4] = {0, 0, 0, 0};
    unsigned ap = 0, qr = 0;
    if (rq->look && rq->look->profile != SH_PROFILE_NONE &&
        sh_stamp_write(&u, s, rq, &geom, rect, &ap, err) < 0)
        goto out;
    if (rq->qr && sh_qr_write(&u, rq, &geom, page, pg_gen, &qr, err) < 0)
        goto out;

    /* the field and its widget, merged */
    char fname[32];
    field_name(&d, fields, fname);
    sh_update_obj(&u, wid_num, 0);
    sh_buf_printf(&u.out, "<< /Type /Annot /Subtype /Widget /FT /Sig /T %s /V %u 0 R\n"
                          "/F 132 /P %u %u R /Rect [%.2f %.2f %.2f %.2f]",
                  fname, sig_num, page, pg_gen, rect[0], rect[1], rect[2], rect[3]);
    if (ap)
        sh_buf_printf(&u.out, "\n/AP << /N %u 0 R >>", ap);
    sh_buf_printf(&u.out, " >>\nendobj\n");

    /* the AcroForm with the new field added */
    sh_update_obj(&u, af_num, new_af ? 0 : d.gen[af_num]);
    sh_buf_printf(&u.out, "<<\n");
    static const char *const af_skip[] = {"Fields", "SigFlags", NULL};
    if (af && copy_dict(&d, af, &u.out, af_skip) < 0)
        goto syntax;
    sh_buf_printf(&u.out, "/Fields [");
    if (fields && copy_array_items(&d, fields, &u.out, NULL) < 0)
        goto syntax;
    sh_buf_printf(&u.out, "%u 0 R]\n/SigFlags 3\n>>\nendobj\n", wid_num);

    /* the catalog, when the AcroForm is new or was inline */
    if (new_af) {
        static const char *const cat_skip[] = {"AcroForm", NULL};
        sh_update_obj(&u, d.root, d.gen[d.root]);
        sh_buf_printf(&u.out, "<<\n");
        if (copy_dict(&d, cat, &u.out, cat_skip) < 0)
            goto syntax;
        sh_buf_printf(&u.out, "/AcroForm %u 0 R\n>>\nendobj\n", af_num);
    }

    /* page 1's annotations: its /Annots array object, or the page itself */
    size_t pg = sh_pdf_obj(&d, page);
    size_t an_v = sh_pdf_dict_get(b, len, pg, "Annots");
    unsigned an_num = an_v ? sh_pdf_ref(b, len, an_v) : 0;
    size_t an = an_v ? sh_pdf_resolve(&d, an_v) : 0;
    if (an && b[an] != '[')
        goto syntax;
    if (an_num) {
        sh_update_obj(&u, an_num, d.gen[an_num]);
        sh_buf_putc(&u.out, '[');
        if (copy_array_items(&d, an, &u.out, NULL) < 0)
            goto syntax;
        sh_buf_printf(&u.out, "%u 0 R", wid_num);
        if (qr)
            sh_buf_printf(&u.out, " %u 0 R", qr);
        sh_buf_printf(&u.out, "]\nendobj\n");
    } else {
        static const char *const pg_skip[] = {"Annots", NULL};
        sh_update_obj(&u, page, pg_gen);
        sh_buf_printf(&u.out, "<<\n");
        if (copy_dict(&d, pg, &u.out, pg_skip) < 0)
            goto syntax;
        sh_buf_printf(&u.out, "/Annots [");
        if (an && copy_array_items(&d, an, &u.out, NULL) < 0)
            goto syntax;
        sh_buf_printf(&u.out, "%u 0 R", wid_num);
        if (qr)
            sh_buf_printf(&u.out, " %u 0 R", qr);
        sh_buf_printf(&u.out, "]\n>>\nendobj\n");
    }

    /* the signature dictionary last: its hole can grow (below) with no object moving */
    char when[32];
    sh_sign_time_pdf(rq->when, when);
    sh_update_obj(&u, sig_num, 0);
    sh_buf_printf(&u.out, "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached"
                          "\n/M (%s)\n/Name ", when);
    sh_pdf_text(&u.out, s->name);
    if (rq->reason && *rq->reason) {
        sh_buf_printf(&u.out, "\n/Reason ");
        sh_pdf_text(&u.out, rq->reason);
    }
    sh_buf_printf(&u.out, "\n/ByteRange [0 ");
    size_t br_at = u.out.n; /* three fixed-width numbers, patched below */
    sh_buf_printf(&u.out, "%10u %10u %10u]\n/Contents ", 0u, 0u, 0u);
    size_t contents_at = u.out.n;
    sh_buf_putc(&u.out, '<');
    size_t hex_len = 2 * s->cms_max;
    char zeros[256];
    memset(zeros, '0', sizeof zeros);
    for (size_t i = 0; i < hex_len; i += sizeof zeros)
        sh_buf_put(&u.out, zeros, hex_len - i < sizeof zeros ? hex_len - i : sizeof zeros);
    sh_buf_printf(&u.out, ">\n>>\nendobj\n");
    size_t contents_end = u.out.n - strlen("\n>>\nendobj\n");

    /* the xref section: one subsection per run of consecutive object numbers */
    size_t xref_at = u.base + u.out.n;
    unsigned *order = malloc((u.nobjs ? u.nobjs : 1) * 2 * sizeof *order);
    if (!order) {
        sh_fail(err, SH_ENOMEM, "out of memory");
        goto out;
    }
    for (unsigned i = 0; i < u.nobjs; i++) {
        order[2 * i] = u.objs[i].num;
        order[2 * i + 1] = i;
    }
    qsort(order, u.nobjs, 2 * sizeof *order, obj_cmp);
    sh_buf_printf(&u.out, "xref\n");
    for (unsigned i = 0; i < u.nobjs;) {
        unsigned j = i + 1;
        while (j < u.nobjs && order[2 * j] == order[2 * (j - 1)] + 1)
            j++;
        sh_buf_printf(&u.out, "%u %u\n", order[2 * i], j - i);
        for (unsigned k = i; k < j; k++) {
            unsigned o = order[2 * k + 1];
            sh_buf_printf(&u.out, "%010zu %05u n\r\n", u.objs[o].off, u.objs[o].gen);
        }
        i = j;
    }
    free(order);
    unsigned char fresh[16];
    if (RAND_bytes(fresh, sizeof fresh) != 1) {
        sh_fail(err, SH_EINTERNAL, "no random bytes for the file identifier");
        goto out;
    }
    sh_buf_printf(&u.out, "trailer\n<< /Size %u /Root %u %u R", u.next_obj, d.root,
                  d.gen[d.root]);
    if (d.info && d.info < d.size)
        sh_buf_printf(&u.out, " /Info %u %u R", d.info, d.gen[d.info]);
    /* the first /ID element names the document for good; the second, this version */
    sh_buf_printf(&u.out, "\n/ID [");
    if (d.id0)
        sh_buf_put(&u.out, d.id0, d.id0_len);
    else
        for (int i = 0; i < 16; i++)
            sh_buf_printf(&u.out, "%s%02X", i ? "" : "<", fresh[15 - i]);
    if (!d.id0)
        sh_buf_putc(&u.out, '>');
    sh_buf_printf(&u.out, " <");
    for (int i = 0; i < 16; i++)
        sh_buf_printf(&u.out, "%02X", fresh[i]);
    sh_buf_printf(&u.out, ">]\n/Prev %zu >>\n", d.startxref);
    size_t pad = rq->align > 1 ? padding(len + u.out.n, xref_at, rq->align) : 0;
    if (pad && !u.out.oom) {
        /* into the hole, before its '>' (and one space after it for an odd count): the
         * sections after it move, and nothing in them names an offset past the hole */
        size_t at = contents_end - 1, even = pad & ~(size_t)1;
        size_t tail = u.out.n - at;
        for (size_t k = 0; k < pad; k += sizeof zeros) /* the room, at the end */
            sh_buf_put(&u.out, zeros, pad - k < sizeof zeros ? pad - k : sizeof zeros);
        if (!u.out.oom) {
            memmove(u.out.p + at + pad, u.out.p + at, tail);
            memset(u.out.p + at, '0', even);
            u.out.p[at + even] = '>';
            if (pad & 1)
                u.out.p[at + pad] = ' ';
            contents_end = at + even + 1;
            xref_at += pad;
        }
    }
    sh_buf_printf(&u.out, "startxref\n%zu\n%%%%EOF\n", xref_at);
    if (u.out.oom) {
        sh_fail(err, SH_ENOMEM, "out of memory");
        goto out;
    }

    /* the byte ranges over the whole file (the original, then the update), the digest
     * over them piece by piece, the CMS into the hole */
    size_t total = len + u.out.n;
    size_t a = len + contents_at, bb = len + contents_end;
    char br[40];
    snprintf(br, sizeof br, "%10zu %10zu %10zu", a, bb, total - bb);
    memcpy(u.out.p + br_at, br, 32);

    unsigned char dg[EVP_MAX_MD_SIZE];
    unsigned dl = 0;
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    int ok = m && EVP_DigestInit_ex(m, s->md, NULL) && EVP_DigestUpdate(m, pdf, len) &&
             EVP_DigestUpdate(m, u.out.p, contents_at) &&
             EVP_DigestUpdate(m, u.out.p + contents_end, u.out.n - contents_end) &&
             EVP_DigestFinal_ex(m, dg, &dl);
    EVP_MD_CTX_free(m);
    if (!ok) {
        sh_fail(err, SH_EINTERNAL, "the digest of the document could not be computed");
        goto out;
    }
    if (sh_cms_sign(s, dg, dl, &cms, err) < 0)
        goto out;
    if (cms.n > s->cms_max) {
        sh_fail(err, SH_EINTERNAL, "the signature (%zu bytes) is larger than the room kept "
                "for it (%zu)", cms.n, s->cms_max);
        goto out;
    }
    hex_into(u.out.p + contents_at + 1, cms.p, cms.n);
    *out = u.out.p;
    *out_len = u.out.n;
    u.out = (sh_buf){0};
    rc = 0;
    goto out;
syntax:
    sh_fail(err, SH_EFORMAT, "a dictionary the signature must update is damaged");
out:
    free(u.objs);
    sh_buf_free(&u.out);
    sh_buf_free(&cms);
    sh_pdf_close(&d);
    return rc;
}

int sh_sign_pdf(sh_signer *s, const unsigned char *pdf, size_t len, const sh_sign_request *rq,
                unsigned char **out, size_t *out_len, sh_error *err)
{
    unsigned char *update = NULL, *file;
    size_t n = 0;

    *out = NULL;
    *out_len = 0;
    if (sh_sign_pdf_update(s, pdf, len, rq, &update, &n, err) < 0)
        return -1;
    if (!(file = malloc(len + n))) {
        free(update);
        return sh_fail(err, SH_ENOMEM, "out of memory for a %zu-byte PDF", len + n);
    }
    memcpy(file, pdf, len);
    memcpy(file + len, update, n);
    free(update);
    *out = file;
    *out_len = len + n;
    return 0;
}
