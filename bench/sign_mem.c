/* sign_mem.c: what one signature costs with no I/O at all: the same PDF, already in
 * memory, signed N times (sh_sign_pdf_update: the update built, the byte ranges hashed,
 * the CMS signed), against the key's bare signature on a 32-byte digest the same number
 * of times. The difference is the PDF and CMS work and the document's SHA-256.
 *
 *   sohoa-sign-mem KEY CERT PDF [N]     (an unencrypted PEM key; N: 2000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "sohoa/io.h"
#include "sohoa/sign.h"

static double cpu(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* the bare private-key operation on a SHA-256-sized digest, n times: ms each */
static double bare(const char *key_file, int n)
{
    FILE *f = fopen(key_file, "r");
    EVP_PKEY *key = f ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;
    if (f)
        fclose(f);
    EVP_PKEY_CTX *c = key ? EVP_PKEY_CTX_new(key, NULL) : NULL;
    unsigned char digest[32] = {1, 2, 3}, sig[1024];
    if (!c || EVP_PKEY_sign_init(c) <= 0 ||
        EVP_PKEY_CTX_set_signature_md(c, EVP_sha256()) <= 0) {
        EVP_PKEY_CTX_free(c);
        EVP_PKEY_free(key);
        return -1;
    }
    double t0 = cpu();
    for (int i = 0; i < n; i++) {
        size_t len = sizeof sig;
        if (EVP_PKEY_sign(c, sig, &len, digest, sizeof digest) <= 0)
            return -1;
    }
    double ms = 1000 * (cpu() - t0) / n;
    EVP_PKEY_CTX_free(c);
    EVP_PKEY_free(key);
    return ms;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: sohoa-sign-mem KEY CERT PDF [N]\n");
        return 1;
    }
    int n = argc > 4 ? atoi(argv[4]) : 2000;
    unsigned char *pdf = NULL;
    size_t len = 0;
    sh_error err = {0};
    sh_signer *s = NULL;
    sh_sign_key k = {.key = argv[1], .cert = argv[2]};
    if (n < 1 || sh_io_read_here(argv[3], (size_t)1 << 31, &pdf, &len, &err) < 0 ||
        sh_signer_open(&k, time(NULL), &s, &err) < 0) {
        fprintf(stderr, "sohoa-sign-mem: %s\n", err.msg[0] ? err.msg : "N must be 1 or more");
        return 1;
    }
    sh_sign_request rq = {.when = time(NULL)};
    double t0 = cpu();
    for (int i = 0; i < n; i++) {
        unsigned char *update = NULL;
        size_t update_len = 0;
        if (sh_sign_pdf_update(s, pdf, len, &rq, &update, &update_len, &err) < 0) {
            fprintf(stderr, "sohoa-sign-mem: %s\n", err.msg);
            return 1;
        }
        free(update);
    }
    double whole = 1000 * (cpu() - t0) / n, key = bare(argv[1], n);
    printf("%zu-byte PDF, %d signatures: %.3f ms each in memory; the key's bare signature "
           "%.3f ms; the rest %.3f ms\n", len, n, whole, key, whole - key);
    sh_signer_close(s);
    free(pdf);
    return key < 0;
}
