/* fuzz_pdf: libFuzzer harness for the PDF reader behind `sohoa sign` and `sohoa verify`:
 * every input is verified (all signatures checked) and signed with a throwaway P-256 key
 * (invisible, then with the digitizer's stamp on page 1); whatever signing accepts must
 * come back from verify with its new signature whole and valid, else the harness traps.
 * Build and run with tests/fuzz/run.sh. */
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sohoa/sign.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

/* A self-signed P-256 certificate for digitalSignature, written where sh_signer_open
 * reads keys from: files. */
static sh_signer *throwaway_signer(void)
{
    static char key_path[] = "/tmp/fuzz_pdf_key.XXXXXX", cert_path[] = "/tmp/fuzz_pdf_crt.XXXXXX";
    EVP_PKEY *pk = EVP_EC_gen("P-256");
    X509 *x = X509_new();
    sh_signer *s = NULL;
    sh_error err;
    if (!pk || !x)
        return NULL;
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x), 3600L * 24 * 365);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_UTF8,
                               (const unsigned char *)"Người Thử Nghiệm", -1, -1, 0);
    X509_set_issuer_name(x, X509_get_subject_name(x));
    X509_set_pubkey(x, pk);
    X509_EXTENSION *ku = X509V3_EXT_conf_nid(NULL, NULL, NID_key_usage, "critical,digitalSignature");
    X509_add_ext(x, ku, -1);
    X509_EXTENSION_free(ku);
    X509_sign(x, pk, EVP_sha256());
    FILE *kf = fdopen(mkstemp(key_path), "w"), *cf = fdopen(mkstemp(cert_path), "w");
    if (kf && cf && PEM_write_PrivateKey(kf, pk, NULL, NULL, 0, NULL, NULL) &&
        PEM_write_X509(cf, x)) {
        fclose(kf);
        fclose(cf);
        kf = cf = NULL;
        sh_sign_key k = {.key = key_path, .cert = cert_path};
        if (sh_signer_open(&k, time(NULL), &s, &err) < 0)
            fprintf(stderr, "fuzz_pdf: %s\n", err.msg);
    }
    if (kf)
        fclose(kf);
    if (cf)
        fclose(cf);
    remove(key_path);
    remove(cert_path);
    X509_free(x);
    EVP_PKEY_free(pk);
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    static sh_signer *signer;
    static bool tried;
    sh_sig_report *r = NULL;
    sh_error err;

    if (!tried) {
        tried = true;
        signer = throwaway_signer();
    }
    unsigned char *pdf = malloc(len ? len : 1); /* a heap copy: ASan sees overreads */
    if (!pdf)
        return 0;
    memcpy(pdf, data, len);
    if (sh_verify_pdf(pdf, len, NULL, &r, &err) == 0)
        sh_sig_report_free(r);

    static const sh_sign_look stamp = {.profile = SH_PROFILE_DIGITIZER, .x = -1, .y = -1};
    for (int visible = 0; signer && visible < 2; visible++) {
        unsigned char *out = NULL;
        size_t out_len = 0;
        /* the invisible signature as sohoa sign makes it, a whole number of pages long */
        sh_sign_request rq = {.when = 1700000000, .look = visible ? &stamp : NULL,
                              .align = visible ? 0 : 4096};
        if (sh_sign_pdf(signer, pdf, len, &rq, &out, &out_len, &err) < 0)
            continue;
        /* what signing produced, verify must accept: its last signature whole and valid */
        r = NULL;
        bool aligned = !rq.align || out_len % rq.align == 0;
        if (!aligned || sh_verify_pdf(out, out_len, NULL, &r, &err) < 0 || r->n == 0 ||
            !r->sigs[r->n - 1].ok || !r->sigs[r->n - 1].whole_file) {
            fprintf(stderr, "fuzz_pdf: signed output does not verify: %s\n",
                    !aligned ? "not a whole number of pages"
                    : r && r->n ? r->sigs[r->n - 1].problem : "no signature found");
            __builtin_trap();
        }
        sh_sig_report_free(r);
        free(out);
    }
    free(pdf);
    return 0;
}
