/* verify.c: checking every signature of a PDF: which bytes it covers, whether they are
 * the bytes that were signed, whether the CMS signature holds, and whether the signer's
 * chain reaches a trusted root.
 *
 * Signature dictionaries are found by their /ByteRange key in the file's bytes, not through
 * the xref, so files with cross-reference streams (other tools' output) are checked too:
 * a signature dictionary can never sit in a compressed object stream, since its
 * /ByteRange counts file offsets around its own /Contents.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/ts.h>
#include <openssl/x509v3.h>

#include "sign_int.h"

struct sh_trust {
    X509_STORE *store;
};

int sh_trust_load(const char *const *files, size_t n, sh_trust **out, sh_error *err)
{
    sh_trust *t = calloc(1, sizeof *t);
    *out = NULL;
    if (!t || !(t->store = X509_STORE_new())) {
        free(t);
        return sh_fail(err, SH_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        if (X509_STORE_load_file(t->store, files[i]) != 1) {
            char why[256];
            ERR_error_string_n(ERR_peek_last_error(), why, sizeof why);
            ERR_clear_error();
            sh_trust_free(t);
            return sh_fail(err, SH_EUSAGE, "%s: no trust root could be read from it (%s)",
                           files[i], why);
        }
    *out = t;
    return 0;
}

void sh_trust_free(sh_trust *t)
{
    if (t) {
        X509_STORE_free(t->store);
        free(t);
    }
}

/* ---- finding the signature dictionaries ---- */

typedef struct found {
    size_t dict;     /* offset of its "<<" */
    size_t key;      /* the /ByteRange we came from */
} found;

static void find_cb(void *ctx, const unsigned char *key, size_t kl, size_t v, size_t ve);

typedef struct find_ctx {
    const unsigned char *b;
    size_t len, want, dict, result;
    int depth;
} find_ctx;

/* The dictionary (at i, or nested in it) that has the key starting at want. */
static size_t dict_with_key_at(const unsigned char *b, size_t len, size_t i, size_t want,
                               int depth)
{
    find_ctx c = {b, len, want, i, 0, depth};
    if (depth > 8)
        return 0;
    i = sh_pdf_ws(b, len, i);
    if (i + 1 < len && b[i] == '[') {
        for (i++;;) {
            i = sh_pdf_ws(b, len, i);
            if (i >= len || b[i] == ']')
                return 0;
            size_t e = sh_pdf_skip(b, len, i);
            if (e >= len)
                return 0;
            if (want >= i && want < e)
                return dict_with_key_at(b, len, i, want, depth + 1);
            i = e;
        }
    }
    c.dict = i;
    if (sh_pdf_dict_each(b, len, i, find_cb, &c) < 0)
        return 0;
    return c.result;
}

static void find_cb(void *ctx, const unsigned char *key, size_t kl, size_t v, size_t ve)
{
    find_ctx *c = ctx;
    (void)kl;
    if (c->result)
        return;
    if ((size_t)(key - 1 - c->b) == c->want)
        c->result = c->dict;
    else if (c->want >= v && c->want < ve && (c->b[v] == '<' || c->b[v] == '['))
        c->result = dict_with_key_at(c->b, c->len, v, c->want, c->depth + 1);
}

/* Back from p to the "N G obj" that opens the object holding p; returns the offset after
 * "obj", 0 if none within reach. */
static size_t object_start(const unsigned char *b, size_t p)
{
    size_t lim = p > ((size_t)8 << 20) ? p - ((size_t)8 << 20) : 0;
    for (size_t i = p; i-- > lim + 4;) {
        if (b[i] != 'j' || b[i - 1] != 'b' || b[i - 2] != 'o')
            continue;
        size_t k = i - 3;
        if (b[k] != ' ' && b[k] != '\n' && b[k] != '\r')
            continue;
        while (k > 0 && (b[k] == ' ' || b[k] == '\n' || b[k] == '\r'))
            k--;
        if (b[k] >= '0' && b[k] <= '9')
            return i + 1;
    }
    return 0;
}

static bool get_num(const unsigned char *b, size_t len, size_t *i, double *v)
{
    *i = sh_pdf_ws(b, len, *i);
    if (!sh_pdf_num(b, len, *i, v))
        return false;
    *i = sh_pdf_skip(b, len, *i);
    return true;
}

/* The bytes of the hex digits in b[from, to) into out (at most cap), whitespace and other
 * bytes skipped as PDF readers do (a trailing odd digit is dropped); how many were made. */
static size_t unhex(const unsigned char *b, size_t from, size_t to, unsigned char *out,
                    size_t cap)
{
    size_t o = 0;
    int hi = -1;
    for (size_t k = from; k < to && o < cap; k++) {
        int d = b[k] >= '0' && b[k] <= '9'   ? b[k] - '0'
                : b[k] >= 'a' && b[k] <= 'f' ? b[k] - 'a' + 10
                : b[k] >= 'A' && b[k] <= 'F' ? b[k] - 'A' + 10
                                             : -1;
        if (d < 0)
            continue;
        if (hi < 0) {
            hi = d;
        } else {
            out[o++] = (unsigned char)(hi << 4 | d);
            hi = -1;
        }
    }
    return o;
}

/* A literal or hex string at i, decoded (escapes and hex) into out (NUL-terminated). */
static void pdf_string(const unsigned char *b, size_t len, size_t i, char *out, size_t n)
{
    size_t e = sh_pdf_skip(b, len, i), o = 0;
    out[0] = 0;
    if (!i || e >= len || e <= i + 1 || n == 0)
        return;
    if (b[i] == '(') {
        for (size_t k = i + 1; k + 1 < e && o + 1 < n; k++) {
            unsigned char c = b[k];
            if (c == '\\' && k + 2 < e) {
                c = b[++k];
                if (c >= '0' && c <= '7') { /* \ddd, one to three octal digits */
                    unsigned v = 0;
                    int nd = 0;
                    for (; nd < 3 && k + 1 < e && b[k] >= '0' && b[k] <= '7'; nd++)
                        v = v * 8 + (unsigned)(b[k++] - '0');
                    k--;
                    c = (unsigned char)v;
                } else {
                    c = c == 'n' ? '\n' : c == 'r' ? '\r' : c == 't' ? '\t' : c;
                }
            }
            out[o++] = (char)c;
        }
    } else if (b[i] == '<') {
        o = unhex(b, i + 1, e - 1, (unsigned char *)out, n - 1);
    }
    out[o] = 0;
    /* UTF-16BE with a BOM (how /Name and /T carry Vietnamese): to UTF-8 */
    if (o >= 2 && (unsigned char)out[0] == 0xFE && (unsigned char)out[1] == 0xFF) {
        char tmp[512];
        size_t t = 0;
        for (size_t k = 2; k + 1 < o && t + 4 < sizeof tmp; k += 2) {
            unsigned cp = (unsigned char)out[k] << 8 | (unsigned char)out[k + 1];
            if (cp >= 0xD800 && cp < 0xDC00 && k + 3 < o) {
                unsigned lo = (unsigned char)out[k + 2] << 8 | (unsigned char)out[k + 3];
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                k += 2;
            }
            if (cp < 0x80)
                tmp[t++] = (char)cp;
            else if (cp < 0x800) {
                tmp[t++] = (char)(0xC0 | cp >> 6);
                tmp[t++] = (char)(0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                tmp[t++] = (char)(0xE0 | cp >> 12);
                tmp[t++] = (char)(0x80 | (cp >> 6 & 0x3F));
                tmp[t++] = (char)(0x80 | (cp & 0x3F));
            } else {
                tmp[t++] = (char)(0xF0 | cp >> 18);
                tmp[t++] = (char)(0x80 | (cp >> 12 & 0x3F));
                tmp[t++] = (char)(0x80 | (cp >> 6 & 0x3F));
                tmp[t++] = (char)(0x80 | (cp & 0x3F));
            }
        }
        tmp[t] = 0;
        size_t c = t < n - 1 ? t : n - 1;
        memcpy(out, tmp, c);
        out[c] = 0;
    }
}

static void problem(sh_sig_info *si, const char *en, const char *vi)
{
    if (si->problem[0])
        return;
    snprintf(si->problem, sizeof si->problem, "%s", en);
    snprintf(si->problem_vi, sizeof si->problem_vi, "%s", vi);
}

/* ---- checking one signature ---- */

typedef struct ranges {
    size_t start[8], len[8];
    int n;
} ranges;

static bool digest_ranges(const unsigned char *b, const ranges *r, const EVP_MD *md,
                          unsigned char *out, unsigned *out_len)
{
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    bool ok = m && EVP_DigestInit_ex(m, md, NULL);
    for (int i = 0; ok && i < r->n; i++)
        ok = EVP_DigestUpdate(m, b + r->start[i], r->len[i]);
    ok = ok && EVP_DigestFinal_ex(m, out, out_len);
    EVP_MD_CTX_free(m);
    return ok;
}

static void signer_name(X509 *x, char *out, size_t n)
{
    X509_NAME *nm = X509_get_subject_name(x);
    if (X509_NAME_get_text_by_NID(nm, NID_commonName, out, (int)n) <= 0)
        X509_NAME_oneline(nm, out, (int)n);
}

static void check_chain(sh_sig_info *si, CMS_ContentInfo *cms, X509 *signer,
                        const sh_trust *trust)
{
    if (!trust || !signer)
        return;
    STACK_OF(X509) *certs = CMS_get1_certs(cms);
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    if (ctx && X509_STORE_CTX_init(ctx, trust->store, signer, certs) == 1) {
        X509_VERIFY_PARAM_set_purpose(X509_STORE_CTX_get0_param(ctx), X509_PURPOSE_ANY);
        if (X509_verify_cert(ctx) == 1) {
            si->chain = SH_CHECK_OK;
        } else {
            int e = X509_STORE_CTX_get_error(ctx);
            char en[300], vi[300];
            si->chain = SH_CHECK_FAILED;
            snprintf(en, sizeof en, "the signer's certificate chain does not reach a trusted "
                     "root: %s", X509_verify_cert_error_string(e));
            snprintf(vi, sizeof vi, "chuỗi chứng thư của người ký không dẫn tới gốc tin cậy: %s",
                     X509_verify_cert_error_string(e));
            problem(si, en, vi);
        }
    }
    X509_STORE_CTX_free(ctx);
    sk_X509_pop_free(certs, X509_free);
    ERR_clear_error();
}

/* A document timestamp (ETSI.RFC3161): its TSTInfo's message imprint is the digest. */
static void check_timestamp(sh_sig_info *si, const unsigned char *b, const ranges *r,
                            CMS_ContentInfo *cms)
{
    BIO *out = BIO_new(BIO_s_mem());
    TS_TST_INFO *tst = NULL;
    if (out && CMS_verify(cms, NULL, NULL, NULL, out, CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY) == 1) {
        si->signature = SH_CHECK_OK;
        tst = d2i_TS_TST_INFO_bio(out, NULL);
    } else {
        si->signature = SH_CHECK_FAILED;
        problem(si, "the timestamp token's signature does not verify",
                "chữ ký của dấu thời gian không hợp lệ");
    }
    if (tst) {
        TS_MSG_IMPRINT *mi = TS_TST_INFO_get_msg_imprint(tst);
        const EVP_MD *md = EVP_get_digestbyobj(TS_MSG_IMPRINT_get_algo(mi)->algorithm);
        ASN1_OCTET_STRING *want = TS_MSG_IMPRINT_get_msg(mi);
        unsigned char dg[EVP_MAX_MD_SIZE];
        unsigned dl = 0;
        if (md && digest_ranges(b, r, md, dg, &dl) && (int)dl == ASN1_STRING_length(want) &&
            memcmp(dg, ASN1_STRING_get0_data(want), dl) == 0) {
            si->integrity = SH_CHECK_OK;
        } else {
            si->integrity = SH_CHECK_FAILED;
            problem(si, "the document was changed after it was timestamped (digest mismatch)",
                    "tài liệu đã bị thay đổi sau khi gắn dấu thời gian (sai giá trị băm)");
        }
        snprintf(si->digest, sizeof si->digest, "%s", md ? EVP_MD_get0_name(md) : "?");
        snprintf(si->signer, sizeof si->signer, "(document timestamp)");
        TS_TST_INFO_free(tst);
    } else if (si->signature == SH_CHECK_OK) {
        si->integrity = SH_CHECK_FAILED;
        problem(si, "the timestamp token holds no readable TSTInfo",
                "dấu thời gian không đọc được");
    }
    BIO_free(out);
    ERR_clear_error();
}

static void check_cms(sh_sig_info *si, const unsigned char *b, const ranges *r,
                      CMS_ContentInfo *cms, const sh_trust *trust)
{
    STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
    if (!sis || sk_CMS_SignerInfo_num(sis) != 1) {
        problem(si, "the CMS does not hold exactly one signer",
                "CMS không chứa đúng một người ký");
        si->signature = SH_CHECK_FAILED;
        return;
    }
    CMS_SignerInfo *x = sk_CMS_SignerInfo_value(sis, 0);
    X509 *signer = NULL;
    X509_ALGOR *dalg = NULL;
    CMS_set1_signers_certs(cms, NULL, 0);
    CMS_SignerInfo_get0_algs(x, NULL, &signer, &dalg, NULL);
    ERR_clear_error();
    const EVP_MD *md = dalg ? EVP_get_digestbyobj(dalg->algorithm) : NULL;
    snprintf(si->digest, sizeof si->digest, "%s", md ? EVP_MD_get0_name(md) : "?");
    if (signer)
        signer_name(signer, si->signer, sizeof si->signer);
    else
        problem(si, "the signer's certificate is not embedded",
                "chứng thư của người ký không được nhúng");

    /* the signed bytes, as one buffer for OpenSSL's own check */
    size_t total = 0;
    for (int i = 0; i < r->n; i++)
        total += r->len[i];
    unsigned char *all = malloc(total ? total : 1);
    if (!all) {
        problem(si, "out of memory", "hết bộ nhớ");
        return;
    }
    for (size_t i = 0, o = 0; i < (size_t)r->n; o += r->len[i], i++)
        memcpy(all + o, b + r->start[i], r->len[i]);

    ASN1_OCTET_STRING **econt = CMS_get0_content(cms);
    /* an empty eContent is read as none, as poppler and NSS read it */
    bool attached = econt && *econt && ASN1_STRING_length(*econt) > 0;
    if (CMS_signed_get_attr_count(x) > 0) {
        /* integrity: our digest of the ranges against the signed messageDigest */
        ASN1_OCTET_STRING *md_attr = CMS_signed_get0_data_by_OBJ(
            x, OBJ_nid2obj(NID_pkcs9_messageDigest), -3, V_ASN1_OCTET_STRING);
        unsigned char dg[EVP_MAX_MD_SIZE];
        unsigned dl = 0;
        const unsigned char *content = attached ? ASN1_STRING_get0_data(*econt) : all;
        size_t clen = attached ? (size_t)ASN1_STRING_length(*econt) : total;
        ranges whole = {{0}, {clen}, 1};
        bool ok = md && md_attr && digest_ranges(content, &whole, md, dg, &dl) &&
                  (int)dl == ASN1_STRING_length(md_attr) &&
                  memcmp(dg, ASN1_STRING_get0_data(md_attr), dl) == 0;
        /* an encapsulated content must itself be the signed bytes */
        if (ok && attached && (clen != total || memcmp(content, all, total) != 0))
            ok = false;
        si->integrity = ok ? SH_CHECK_OK : SH_CHECK_FAILED;
        if (!ok)
            problem(si, "the signed bytes were changed after signing (digest mismatch)",
                    "nội dung đã ký bị thay đổi sau khi ký (sai giá trị băm)");
        si->signature = signer && CMS_SignerInfo_verify(x) == 1 ? SH_CHECK_OK : SH_CHECK_FAILED;
        if (si->signature == SH_CHECK_FAILED)
            problem(si, "the CMS signature does not verify with the signer's key",
                    "chữ ký CMS không hợp lệ với khóa của người ký");
    } else {
        /* no signed attributes: the signature is over the content's digest itself */
        BIO *dc = attached ? NULL : BIO_new_mem_buf(all, (int)total);
        BIO *sink = BIO_new(BIO_s_mem());
        int v = CMS_verify(cms, NULL, NULL, dc, sink, CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY);
        if (v == 1 && attached) {
            char *p;
            long n = BIO_get_mem_data(sink, &p);
            v = n >= 0 && (size_t)n == total && memcmp(p, all, total) == 0;
        }
        si->integrity = si->signature = v == 1 ? SH_CHECK_OK : SH_CHECK_FAILED;
        if (v != 1)
            problem(si, "the signature does not match the signed bytes (changed after signing, "
                    "or a bad signature)", "chữ ký không khớp với nội dung đã ký (bị thay đổi "
                    "sau khi ký, hoặc chữ ký hỏng)");
        BIO_free(dc);
        BIO_free(sink);
    }
    free(all);
    ERR_clear_error();
    check_chain(si, cms, signer, trust);
}

/* Fills si for the signature dictionary at dict. */
static void check_one(const unsigned char *b, size_t len, size_t dict, const sh_trust *trust,
                      sh_sig_info *si)
{
    si->file_len = len;
    size_t v;
    if ((v = sh_pdf_dict_get(b, len, dict, "SubFilter")) && b[v] == '/') {
        size_t e = sh_pdf_skip(b, len, v);
        snprintf(si->subfilter, sizeof si->subfilter, "%.*s", (int)(e - v - 1), b + v + 1);
    }
    if ((v = sh_pdf_dict_get(b, len, dict, "M")))
        pdf_string(b, len, v, si->claimed, sizeof si->claimed);

    /* the ranges: start at 0, in order, inside the file, the gaps are /Contents only */
    ranges r = {.n = 0};
    size_t br = sh_pdf_dict_get(b, len, dict, "ByteRange");
    size_t ct = sh_pdf_dict_get(b, len, dict, "Contents");
    bool shape = br && b[br] == '[' && ct && b[ct] == '<';
    size_t i = br + 1;
    while (shape) {
        double s, l;
        i = sh_pdf_ws(b, len, i);
        if (i < len && b[i] == ']')
            break;
        if (r.n == 8 || !get_num(b, len, &i, &s) || !get_num(b, len, &i, &l) || s < 0 ||
            l < 0 || s + l > (double)len) {
            shape = false;
            break;
        }
        r.start[r.n] = (size_t)s;
        r.len[r.n] = (size_t)l;
        r.n++;
    }
    size_t ct_end = shape ? sh_pdf_skip(b, len, ct) : 0;
    if (!shape || r.n == 0 || r.start[0] != 0) {
        problem(si, "its /ByteRange or /Contents is malformed or points outside the file",
                "/ByteRange hoặc /Contents sai cấu trúc hoặc trỏ ra ngoài tệp");
        si->integrity = SH_CHECK_FAILED;
        return;
    }
    for (int k = 1; k < r.n; k++) {
        size_t gap = r.start[k - 1] + r.len[k - 1];
        if (r.start[k] < gap || gap != ct || r.start[k] != ct_end) {
            problem(si, "its signed ranges leave out bytes that are not the signature value",
                    "vùng được ký bỏ sót những byte không phải giá trị chữ ký");
            si->integrity = SH_CHECK_FAILED;
            return;
        }
    }
    si->range_end = r.start[r.n - 1] + r.len[r.n - 1];
    si->whole_file = si->range_end == len;
    {
        size_t e = si->range_end;
        while (e > 0 && (b[e - 1] == '\n' || b[e - 1] == '\r' || b[e - 1] == ' '))
            e--;
        si->revision_end = e >= 5 && memcmp(b + e - 5, "%%EOF", 5) == 0;
    }

    /* the CMS */
    size_t hex = ct_end - ct - 2;
    unsigned char *der = malloc(hex / 2 + 1);
    size_t dn = der ? unhex(b, ct + 1, ct_end - 1, der, hex / 2 + 1) : 0;
    const unsigned char *p = der;
    CMS_ContentInfo *cms = der ? d2i_CMS_ContentInfo(NULL, &p, (long)dn) : NULL;
    free(der);
    if (!cms) {
        ERR_clear_error();
        problem(si, "its /Contents is not a CMS signature", "/Contents không phải chữ ký CMS");
        si->signature = SH_CHECK_FAILED;
        return;
    }
    if (strcmp(si->subfilter, "ETSI.RFC3161") == 0)
        check_timestamp(si, b, &r, cms);
    else
        check_cms(si, b, &r, cms, trust);
    CMS_ContentInfo_free(cms);
}

static int by_end(const void *a, const void *b)
{
    const sh_sig_info *x = a, *y = b;
    return (x->range_end > y->range_end) - (x->range_end < y->range_end);
}

/* A signature dictionary shows itself by its /ByteRange or by a /SubFilter naming a
 * signature format: one changed byte can break one of these keys (or the dictionary
 * around them) but not both, so a damaged signature is reported, never silently lost. */
static bool candidate(const unsigned char *pdf, size_t len, size_t at)
{
    static const char br[] = "/ByteRange", sf[] = "/SubFilter";
    if (len - at >= sizeof br - 1 && memcmp(pdf + at, br, sizeof br - 1) == 0)
        return true;
    if (len - at < sizeof sf - 1 || memcmp(pdf + at, sf, sizeof sf - 1) != 0)
        return false;
    size_t v = sh_pdf_ws(pdf, len, at + sizeof sf - 1);
    /* the signature formats (not /adbe.pkcs7.s3..s5, which name public-key encryption) */
    static const char *const names[] = {"/adbe.pkcs7.detached", "/adbe.pkcs7.sha1",
                                        "/adbe.x509.rsa_sha1", "/ETSI.CAdES.detached",
                                        "/ETSI.RFC3161"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t n = strlen(names[i]);
        if (len - v > n && memcmp(pdf + v, names[i], n) == 0 && sh_pdf_skip(pdf, len, v) == v + n)
            return true;
    }
    return false;
}

int sh_verify_pdf(const unsigned char *pdf, size_t len, const sh_trust *trust,
                  sh_sig_report **out, sh_error *err)
{
    sh_sig_report *r = calloc(1, sizeof *r);
    found *f = NULL;
    unsigned nf = 0, cap = 0;

    *out = NULL;
    if (!r)
        return sh_fail(err, SH_ENOMEM, "out of memory");
    for (const unsigned char *p = pdf; (p = memchr(p, '/', len - (size_t)(p - pdf))); p++) {
        size_t at = (size_t)(p - pdf);
        if (!candidate(pdf, len, at))
            continue;
        size_t o = object_start(pdf, at);
        size_t dict = o ? dict_with_key_at(pdf, len, o, at, 0) : 0;
        bool dup = false; /* the same dictionary reached twice (by both keys) */
        for (unsigned i = 0; i < nf && !dup && dict; i++)
            dup = f[i].dict == dict;
        if (dup)
            continue;
        if (nf == cap) {
            cap = cap ? 2 * cap : 8;
            found *nfp = realloc(f, cap * sizeof *f);
            if (!nfp) {
                free(f);
                free(r);
                return sh_fail(err, SH_ENOMEM, "out of memory");
            }
            f = nfp;
        }
        f[nf++] = (found){dict, at};
    }
    if (nf && !(r->sigs = calloc(nf, sizeof *r->sigs))) {
        free(f);
        free(r);
        return sh_fail(err, SH_ENOMEM, "out of memory");
    }
    r->n = nf;
    /* the signature value is never encrypted, but the other strings of its dictionary are */
    r->encrypted = memmem(pdf, len, "/Encrypt", 8) != NULL;
    for (unsigned i = 0; i < nf; i++) {
        sh_sig_info *si = &r->sigs[i];
        if (f[i].dict && sh_pdf_dict_get(pdf, len, f[i].dict, "ByteRange")) {
            check_one(pdf, len, f[i].dict, trust, si);
        } else {
            si->file_len = len;
            si->range_end = f[i].key; /* for the order only */
            si->integrity = SH_CHECK_FAILED;
            problem(si, "a signature dictionary is damaged and cannot be read",
                    "một từ điển chữ ký bị hỏng, không đọc được");
        }
        if (r->encrypted)
            si->claimed[0] = 0;
        si->ok = si->integrity == SH_CHECK_OK && si->signature == SH_CHECK_OK &&
                 si->chain != SH_CHECK_FAILED;
        if (!si->ok && !si->problem[0])
            problem(si, "the signature could not be checked", "không kiểm tra được chữ ký");
    }
    free(f);
    if (r->n)
        qsort(r->sigs, r->n, sizeof *r->sigs, by_end);
    *out = r;
    return 0;
}

void sh_sig_report_free(sh_sig_report *r)
{
    if (r) {
        free(r->sigs);
        free(r);
    }
}
