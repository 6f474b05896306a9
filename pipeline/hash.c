/* hash.c: SHA-256 through OpenSSL's EVP interface (include/sohoa/hash.h). */
#include <openssl/evp.h>

#include "sohoa/hash.h"

struct sh_sha256 {
    EVP_MD_CTX *ctx;
};

static void to_hex(const unsigned char *md, unsigned n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < n; i++) {
        out[2 * i] = digits[md[i] >> 4];
        out[2 * i + 1] = digits[md[i] & 15];
    }
    out[2 * n] = '\0';
}

void sh_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char md[32];
    unsigned n = 0;
    EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
    to_hex(md, n, out);
}

sh_sha256 *sh_sha256_new(void)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    sh_sha256 *h;

    if (!ctx)
        return NULL;
    if (!(h = OPENSSL_malloc(sizeof *h))) {
        EVP_MD_CTX_free(ctx);
        return NULL;
    }
    h->ctx = ctx;
    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    return h;
}

void sh_sha256_update(sh_sha256 *h, const void *data, size_t len)
{
    EVP_DigestUpdate(h->ctx, data, len);
}

void sh_sha256_final(sh_sha256 *h, char out[65])
{
    unsigned char md[32];
    unsigned n = 0;
    EVP_DigestFinal_ex(h->ctx, md, &n);
    to_hex(md, n, out);
    EVP_MD_CTX_free(h->ctx);
    OPENSSL_free(h);
}
