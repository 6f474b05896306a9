/* test_sign: signing and verifying small PDFs in memory with a key made here: two
 * signatures both valid; every single flipped byte in the signed ranges caught; the shapes
 * of PDF the signer must update (inline AcroForm, indirect /Annots, no /ID) and the ones it
 * must refuse (xref stream, encryption, not a PDF); every truncation handled cleanly;
 * lengths made a multiple of any alignment asked for. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "check.h"
#include "sohoa/sign.h"

static char dir[] = "/tmp/test_sign.XXXXXX";
static char key_path[64], cert_path[64];

/* An RSA-2048 key and a self-signed certificate for signatures, as PEM files. */
static int make_key(void)
{
    EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    X509 *x = X509_new();
    if (!k || !x)
        return -1;
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
    X509_gmtime_adj(X509_getm_notBefore(x), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x), 3600L * 24 * 30);
    X509_set_pubkey(x, k);
    X509_NAME *n = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8, (const unsigned char *)"Lê Văn Đạt", -1,
                               -1, 0);
    X509_set_issuer_name(x, n);
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
    X509_EXTENSION *ku = X509V3_EXT_conf_nid(NULL, &ctx, NID_key_usage,
                                             "critical,digitalSignature,nonRepudiation");
    X509_add_ext(x, ku, -1);
    X509_EXTENSION_free(ku);
    X509_sign(x, k, EVP_sha256());
    snprintf(key_path, sizeof key_path, "%s/k.pem", dir);
    snprintf(cert_path, sizeof cert_path, "%s/c.pem", dir);
    FILE *f = fopen(key_path, "w"), *g = fopen(cert_path, "w");
    int rc = f && g && PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL) &&
                     PEM_write_X509(g, x) ? 0 : -1;
    if (f)
        fclose(f);
    if (g)
        fclose(g);
    EVP_PKEY_free(k);
    X509_free(x);
    return rc;
}

/* A PDF from object bodies (1..n) with a correct classic xref table. */
static size_t make_pdf(char *out, size_t cap, const char *const *objs, int n,
                       const char *trailer_extra)
{
    size_t off[16], len = (size_t)snprintf(out, cap, "%%PDF-1.7\n");
    for (int i = 0; i < n; i++) {
        off[i] = len;
        len += (size_t)snprintf(out + len, cap - len, "%d 0 obj\n%s\nendobj\n", i + 1, objs[i]);
    }
    size_t xref = len;
    len += (size_t)snprintf(out + len, cap - len, "xref\n0 %d\n0000000000 65535 f \n", n + 1);
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(out + len, cap - len, "%010zu 00000 n \n", off[i]);
    len += (size_t)snprintf(out + len, cap - len,
                            "trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%zu\n%%%%EOF\n",
                            n + 1, trailer_extra, xref);
    return len;
}

static const char *const basic[] = {
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 400] /Resources << >> >>",
};

static int count_bad(const sh_sig_report *r)
{
    int bad = 0;
    for (unsigned i = 0; i < r->n; i++)
        bad += !r->sigs[i].ok;
    return bad;
}

static void test_two_signatures_and_flips(sh_signer *s)
{
    char pdf[4096];
    size_t len = make_pdf(pdf, sizeof pdf, basic, 3, "/ID [<00112233445566778899AABBCCDDEEFF> <00112233445566778899AABBCCDDEEFF>]");
    sh_error err = {0};
    unsigned char *one = NULL, *two = NULL;
    size_t one_len = 0, two_len = 0;
    sh_sign_request rq = {.when = 1764480000};

    CHECK(sh_sign_pdf(s, (unsigned char *)pdf, len, &rq, &one, &one_len, &err) == 0);
    CHECK(one && memcmp(one, pdf, len) == 0); /* incremental: the old bytes stay */
    CHECK(sh_sign_pdf(s, one, one_len, &rq, &two, &two_len, &err) == 0);
    CHECK(two && memcmp(two, one, one_len) == 0);
    if (!two)
        return;
    CHECK(memmem(two, two_len, "/ID [<00112233445566778899AABBCCDDEEFF> <", 41) != NULL);

    sh_sig_report *r = NULL;
    CHECK(sh_verify_pdf(two, two_len, NULL, &r, &err) == 0);
    CHECK(r && r->n == 2 && count_bad(r) == 0);
    if (r && r->n == 2) {
        CHECK(!r->sigs[0].whole_file && r->sigs[0].revision_end);
        CHECK(r->sigs[0].range_end == one_len);
        CHECK(r->sigs[1].whole_file);
        CHECK(strcmp(r->sigs[0].signer, "Lê Văn Đạt") == 0);
        CHECK(strcmp(r->sigs[1].claimed, "D:20251130122000+07'00'") == 0);
    }
    sh_sig_report_free(r);

    /* every byte of the second signature's ranges, flipped one at a time: every one of
     * them must be caught (the hole, /Contents, is not signed and skipped) */
    const char *br = NULL;
    for (const unsigned char *p = two; (p = memmem(p, two_len - (size_t)(p - two), "/ByteRange", 10)); p++)
        br = (const char *)p;
    size_t a = 0, b = 0;
    CHECK(br && sscanf(br, "/ByteRange [0 %zu %zu", &a, &b) == 2);
    int missed = 0, tried = 0;
    for (size_t i = 0; i < two_len; i++) {
        if (i >= a && i < b)
            continue;
        two[i] ^= 1;
        if (sh_verify_pdf(two, two_len, NULL, &r, &err) == 0) {
            if (count_bad(r) == 0) {
                if (missed++ < 5)
                    fprintf(stderr, "byte %zu ('%c') flipped: not caught\n", i, two[i] ^ 1);
            }
            sh_sig_report_free(r);
        }
        two[i] ^= 1;
        tried++;
    }
    CHECK(missed == 0);
    CHECK(tried > 3000);

    /* truncated anywhere: refused or reported, never a crash (ASan watches) */
    for (size_t n = 0; n < two_len; n += 7) {
        unsigned char *o = NULL;
        size_t ol = 0;
        if (sh_sign_pdf(s, two, n, &rq, &o, &ol, &err) == 0)
            free(o);
        if (sh_verify_pdf(two, n, NULL, &r, &err) == 0)
            sh_sig_report_free(r);
    }
    free(one);
    free(two);
}

/* PDFs whose form and annotations the update must extend, not replace. */
static void test_shapes(sh_signer *s)
{
    static const char *const inline_form[] = {
        "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] /DA (/Helv 0 Tf 0 g) >> >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 400] /Annots 5 0 R >>",
        "<< /FT /Tx /T (Signature1) /Rect [0 0 10 10] /Type /Annot /Subtype /Widget /P 3 0 R >>",
        "[4 0 R]",
    };
    char pdf[4096];
    size_t len = make_pdf(pdf, sizeof pdf, inline_form, 5, "");
    sh_error err = {0};
    unsigned char *out = NULL;
    size_t out_len = 0;
    sh_sign_request rq = {.when = 1764480000};
    CHECK(sh_sign_pdf(s, (unsigned char *)pdf, len, &rq, &out, &out_len, &err) == 0);
    if (!out)
        return;
    const char *upd = (const char *)out + len;
    size_t ul = out_len - len;
    CHECK(memmem(upd, ul, "/DA (/Helv 0 Tf 0 g)", 20) != NULL); /* the form's keys kept */
    CHECK(memmem(upd, ul, "/Fields [4 0 R 8 0 R]", 21) != NULL); /* the old field kept */
    CHECK(memmem(upd, ul, "/T (Signature2)", 15) != NULL);      /* a name not taken */
    CHECK(memmem(upd, ul, "5 0 obj\n[4 0 R 8 0 R]", 21) != NULL); /* the /Annots object */
    CHECK(memmem(upd, ul, "/ID [<", 6) != NULL);                /* an /ID made */
    sh_sig_report *r = NULL;
    CHECK(sh_verify_pdf(out, out_len, NULL, &r, &err) == 0 && r->n == 1 && count_bad(r) == 0);
    sh_sig_report_free(r);
    free(out);

    /* refusals */
    static const char *const xrefstm[] = {"<< /Type /Catalog /Pages 2 0 R >>"};
    len = make_pdf(pdf, sizeof pdf, xrefstm, 1, "");
    char *x = strstr(pdf, "xref\n0 2");
    memcpy(x, "XREF", 4); /* startxref now points at something that is not a table */
    CHECK(sh_sign_pdf(s, (unsigned char *)pdf, len, &rq, &out, &out_len, &err) < 0);
    CHECK(err.code == SH_EUNSUPPORTED && strstr(err.msg, "cross-reference stream"));
    len = make_pdf(pdf, sizeof pdf, basic, 3, "/Encrypt 9 0 R");
    CHECK(sh_sign_pdf(s, (unsigned char *)pdf, len, &rq, &out, &out_len, &err) < 0);
    CHECK(err.code == SH_EUNSUPPORTED && strstr(err.msg, "encrypted"));
    CHECK(sh_sign_pdf(s, (const unsigned char *)"hello, world, not a PDF", 23, &rq, &out,
                      &out_len, &err) < 0);
    CHECK(err.code == SH_EFORMAT);
}

/* rq.align: the file's length the smallest multiple of it it can be, whatever the remainder
 * (odd counts get a space after the hole) and across startxref's number gaining a digit
 * (the large ones); every such file verifies, and so does a second signature on it. */
static void test_aligned(sh_signer *s)
{
    char pdf[4096];
    size_t len = make_pdf(pdf, sizeof pdf, basic, 3, "");
    sh_error err = {0};
    sh_sign_request rq = {.when = 1764480000};
    unsigned char *out = NULL;
    size_t plain = 0, odd = 0, digit = 0, bad = 0;

    CHECK(sh_sign_pdf(s, (unsigned char *)pdf, len, &rq, &out, &plain, &err) == 0);
    const char *sx0 = out ? memmem(out + plain - 32, 32, "startxref\n", 10) : NULL;
    size_t digits = sx0 ? strcspn(sx0 + 10, "\n") : 0;
    size_t xref0 = sx0 ? strtoul(sx0 + 10, NULL, 10) : 0;
    free(out);
    for (size_t a = 2; a <= 65536; a = a < 300 ? a + 1 : a * 2) {
        size_t n = 0;
        rq.align = a;
        out = NULL;
        if (sh_sign_pdf(s, (unsigned char *)pdf, len, &rq, &out, &n, &err) < 0) {
            bad++;
            continue;
        }
        sh_sig_report *r = NULL;
        if (n % a || n < plain || sh_verify_pdf(out, n, NULL, &r, &err) < 0 || r->n != 1 ||
            count_bad(r) || !r->sigs[0].whole_file) {
            if (bad++ < 5)
                fprintf(stderr, "align %zu: %zu bytes (%zu without)\n", a, n, plain);
        }
        /* the fewest bytes, by brute force: only the hole and startxref's number change */
        size_t p = 0, want;
        while ((want = plain + p + (size_t)snprintf(NULL, 0, "%zu", xref0 + p) - digits) % a)
            p++;
        if (n != want && bad++ < 5)
            fprintf(stderr, "align %zu: %zu bytes, the fewest is %zu\n", a, n, want);
        odd += (n - plain) % 2;
        const char *sx = memmem(out + n - 32, 32, "startxref\n", 10);
        digit += sx && strcspn(sx + 10, "\n") > digits;
        sh_sig_report_free(r);
        free(out);
    }
    CHECK(digits > 0 && bad == 0);
    CHECK(odd > 0);
    CHECK(digit > 0); /* some of them took the second turn */

    /* a second signature on an aligned file: aligned too, both valid */
    unsigned char *one = NULL, *two = NULL;
    size_t one_len = 0, two_len = 0;
    rq.align = 4096;
    CHECK(sh_sign_pdf(s, (unsigned char *)pdf, len, &rq, &one, &one_len, &err) == 0);
    CHECK(one && sh_sign_pdf(s, one, one_len, &rq, &two, &two_len, &err) == 0);
    CHECK(two_len % 4096 == 0 && two_len > one_len);
    sh_sig_report *r = NULL;
    CHECK(two && sh_verify_pdf(two, two_len, NULL, &r, &err) == 0 && r->n == 2 &&
          count_bad(r) == 0);
    sh_sig_report_free(r);
    free(one);
    free(two);
}

int main(void)
{
    if (!mkdtemp(dir) || make_key() < 0) {
        fprintf(stderr, "cannot make a test key\n");
        return 1;
    }
    sh_sign_key k = {.key = key_path, .cert = cert_path};
    sh_signer *s = NULL;
    sh_error err = {0};
    CHECK(sh_signer_open(&k, time(NULL), &s, &err) == 0);
    if (s) {
        test_two_signatures_and_flips(s);
        test_shapes(s);
        test_aligned(s);
        sh_signer_close(s);
    } else {
        fprintf(stderr, "%s\n", err.msg);
    }
    /* the certificate is refused once it has expired */
    CHECK(sh_signer_open(&k, time(NULL) + 3600L * 24 * 60, &s, &err) < 0);
    CHECK(strstr(err.msg, "expired") != NULL);
    unlink(key_path);
    unlink(cert_path);
    rmdir(dir);
    return check_report();
}
