/* keys.c: opening a signer: a PEM or PKCS#12 key file, or a key on a PKCS#11 token
 * through libp11 (one login for the whole run), plus its certificate and chain; the checks
 * made before anything is signed; the raw signature every CMS needs.
 *
 * Never signs with a certificate that is expired, not yet valid, not meant for signatures,
 * or not the key's own: those are refused here, before any file is touched.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libp11.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include "sign_int.h"

/* OpenSSL's reason for the last failure, for the end of a message. */
static const char *ossl_reason(char *buf, size_t n)
{
    unsigned long e = ERR_peek_last_error();
    if (!e)
        return "no detail";
    ERR_error_string_n(e, buf, n);
    ERR_clear_error();
    return buf;
}

static int pass_cb(char *buf, int size, int rwflag, void *u)
{
    const char *pin = u;
    (void)rwflag;
    if (!pin)
        return -1;
    int n = (int)strlen(pin);
    if (n > size)
        n = size;
    memcpy(buf, pin, (size_t)n);
    return n;
}

static BIO *open_file(const char *path, sh_error *err)
{
    BIO *b = BIO_new_file(path, "rb");
    if (!b) {
        ERR_clear_error();
        sh_fail(err, SH_EIO, "%s: cannot be opened (%m)", path);
    }
    return b;
}

/* Certificates from a PEM (one or more) or DER file. */
static int read_certs(const char *path, STACK_OF(X509) *into, sh_error *err)
{
    BIO *b = open_file(path, err);
    X509 *x;
    int n = 0;
    if (!b)
        return -1;
    while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL))) {
        sk_X509_push(into, x);
        n++;
    }
    ERR_clear_error();
    if (n == 0) {
        BIO_reset(b);
        if ((x = d2i_X509_bio(b, NULL))) {
            sk_X509_push(into, x);
            n++;
        }
        ERR_clear_error();
    }
    BIO_free(b);
    if (n == 0)
        return sh_fail(err, SH_EFORMAT, "%s: holds no certificate (PEM or DER)", path);
    return n;
}

static bool looks_pkcs12(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot && (strcasecmp(dot, ".p12") == 0 || strcasecmp(dot, ".pfx") == 0);
}

static int open_pkcs12(sh_signer *s, const char *path, const char *pin, sh_error *err)
{
    char why[256];
    BIO *b = open_file(path, err);
    if (!b)
        return -1;
    PKCS12 *p12 = d2i_PKCS12_bio(b, NULL);
    BIO_free(b);
    if (!p12)
        return sh_fail(err, SH_EFORMAT, "%s: is not a PKCS#12 file (%s)", path,
                       ossl_reason(why, sizeof why));
    STACK_OF(X509) *ca = NULL;
    int ok = PKCS12_parse(p12, pin ? pin : "", &s->key, &s->cert, &ca);
    if (!ok) {
        /* older files use RC2/3DES, which OpenSSL 3 keeps in its legacy provider */
        ERR_clear_error();
        static OSSL_PROVIDER *legacy, *deflt;
        if (!legacy) {
            legacy = OSSL_PROVIDER_load(NULL, "legacy");
            deflt = OSSL_PROVIDER_load(NULL, "default");
        }
        (void)deflt;
        if (legacy)
            ok = PKCS12_parse(p12, pin ? pin : "", &s->key, &s->cert, &ca);
    }
    PKCS12_free(p12);
    if (!ok)
        return sh_fail(err, SH_EUSAGE, "%s: cannot be opened: wrong passphrase, or a damaged "
                       "file (%s)", path, ossl_reason(why, sizeof why));
    if (!s->key) {
        sk_X509_pop_free(ca, X509_free);
        return sh_fail(err, SH_EFORMAT, "%s: holds no private key", path);
    }
    while (ca && sk_X509_num(ca) > 0)
        sk_X509_push(s->chain, sk_X509_shift(ca));
    sk_X509_free(ca);
    return 0;
}

static int open_pem(sh_signer *s, const char *path, const char *pin, sh_error *err)
{
    char why[256];
    BIO *b = open_file(path, err);
    if (!b)
        return -1;
    s->key = PEM_read_bio_PrivateKey(b, NULL, pass_cb, (void *)pin);
    if (!s->key) {
        /* "ENCRYPTED" in its armour (PKCS#8 or old-style Proc-Type) says why it failed */
        char line[128];
        bool encrypted = false;
        BIO_reset(b);
        while (!encrypted && BIO_gets(b, line, sizeof line) > 0)
            encrypted = strstr(line, "ENCRYPTED") != NULL;
        BIO_free(b);
        if (encrypted && pin)
            return sh_fail(err, SH_EUSAGE, "%s: the key is encrypted and the passphrase "
                           "(SOHOA_PIN or --pin-file) is wrong (%s)", path,
                           ossl_reason(why, sizeof why));
        if (encrypted)
            return sh_fail(err, SH_EUSAGE, "%s: the key is encrypted and no passphrase was "
                           "given (SOHOA_PIN or --pin-file) (%s)", path,
                           ossl_reason(why, sizeof why));
        return sh_fail(err, SH_EFORMAT, "%s: holds no readable private key (%s)", path,
                       ossl_reason(why, sizeof why));
    }
    /* a PEM may carry its certificate too */
    if (!s->cert) {
        BIO_reset(b);
        s->cert = PEM_read_bio_X509(b, NULL, NULL, NULL);
        ERR_clear_error();
    }
    BIO_free(b);
    return 0;
}

static int open_pkcs11(sh_signer *s, const sh_sign_key *k, sh_error *err)
{
    char why[256];
    PKCS11_CTX *ctx = PKCS11_CTX_new();
    PKCS11_SLOT *slots = NULL, *slot = NULL;
    unsigned nslots = 0;

    if (!k->token || !k->key_label)
        return sh_fail(err, SH_EUSAGE, "a PKCS#11 key needs --token LABEL and --key-label L");
    if (!ctx)
        return sh_fail(err, SH_ENOMEM, "out of memory");
    s->p11_ctx = ctx;
    if (PKCS11_CTX_load(ctx, k->pkcs11_module) < 0)
        return sh_fail(err, SH_EIO, "%s: the PKCS#11 module cannot be loaded (%s)",
                       k->pkcs11_module, ossl_reason(why, sizeof why));
    if (PKCS11_enumerate_slots(ctx, &slots, &nslots) < 0)
        return sh_fail(err, SH_EIO, "%s: the PKCS#11 module lists no slots (%s)",
                       k->pkcs11_module, ossl_reason(why, sizeof why));
    s->p11_slots = slots;
    s->p11_nslots = nslots;
    /* tokens get random slot ids (SoftHSM): find ours by its label */
    for (unsigned i = 0; i < nslots; i++)
        if (slots[i].token && slots[i].token->label &&
            strcmp(slots[i].token->label, k->token) == 0) {
            slot = &slots[i];
            break;
        }
    if (!slot)
        return sh_fail(err, SH_EUSAGE, "no token labelled '%s' in %s", k->token,
                       k->pkcs11_module);
    if (!k->pin)
        return sh_fail(err, SH_EUSAGE, "token '%s' needs its PIN (SOHOA_PIN or --pin-file)",
                       k->token);
    if (PKCS11_open_session(slot, 0) < 0)
        return sh_fail(err, SH_EIO, "token '%s': cannot open a session (%s)", k->token,
                       ossl_reason(why, sizeof why));
    if (PKCS11_login(slot, 0, k->pin) < 0)
        return sh_fail(err, SH_EUSAGE, "token '%s' refused the PIN (%s); nothing was signed",
                       k->token, ossl_reason(why, sizeof why));
    PKCS11_KEY *keys = NULL;
    unsigned nkeys = 0;
    if (PKCS11_enumerate_keys(slot->token, &keys, &nkeys) < 0)
        return sh_fail(err, SH_EIO, "token '%s': cannot list its keys (%s)", k->token,
                       ossl_reason(why, sizeof why));
    for (unsigned i = 0; i < nkeys; i++)
        if (keys[i].isPrivate && keys[i].label && strcmp(keys[i].label, k->key_label) == 0) {
            s->key = PKCS11_get_private_key(&keys[i]);
            if (!s->cert) {
                PKCS11_CERT *c = PKCS11_find_certificate(&keys[i]);
                if (c && c->x509)
                    s->cert = X509_dup(c->x509);
            }
            break;
        }
    if (!s->key)
        return sh_fail(err, SH_EUSAGE, "token '%s' has no private key labelled '%s'", k->token,
                       k->key_label);
    s->serialise = true; /* libp11 sessions are not shared between threads here */
    return 0;
}

/* A signing context set up once (key, padding, digest) and reused: EVP_DigestSignInit per
 * signature fetched the algorithm and built a context each time, ~14 us of an RSA-2048
 * signature's ~300 (OpenSSL 3.0). A context serves one thread at a time, so they wait in a
 * small pool; a context that failed is freed, never reused. */
static EVP_PKEY_CTX *sign_ctx_get(sh_signer *s)
{
    EVP_PKEY_CTX *c = NULL;
    pthread_mutex_lock(&s->pool_lock);
    if (s->nctx)
        c = s->ctx_pool[--s->nctx];
    pthread_mutex_unlock(&s->pool_lock);
    if (c)
        return c;
    c = EVP_PKEY_CTX_new(s->key, NULL);
    if (c && EVP_PKEY_sign_init(c) > 0 && EVP_PKEY_CTX_set_signature_md(c, s->md) > 0 &&
        (!s->pss || (EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PSS_PADDING) > 0 &&
                     EVP_PKEY_CTX_set_rsa_pss_saltlen(c, RSA_PSS_SALTLEN_DIGEST) > 0 &&
                     EVP_PKEY_CTX_set_rsa_mgf1_md(c, s->md) > 0)))
        return c;
    EVP_PKEY_CTX_free(c);
    return NULL;
}

static void sign_ctx_put(sh_signer *s, EVP_PKEY_CTX *c)
{
    pthread_mutex_lock(&s->pool_lock);
    if (s->nctx < sizeof s->ctx_pool / sizeof *s->ctx_pool) {
        s->ctx_pool[s->nctx++] = c;
        c = NULL;
    }
    pthread_mutex_unlock(&s->pool_lock);
    EVP_PKEY_CTX_free(c);
}

int sh_signer_raw_sign(sh_signer *s, const unsigned char *data, size_t len,
                       unsigned char **sig, size_t *sig_len, sh_error *err)
{
    char why[256];
    unsigned char h[EVP_MAX_MD_SIZE];
    unsigned hl = 0;
    EVP_PKEY_CTX *c = NULL;
    int ok = 0;

    *sig = NULL;
    if (!EVP_Digest(data, len, h, &hl, s->md, NULL))
        return sh_fail(err, SH_EINTERNAL, "cannot hash the signed attributes (%s)",
                       ossl_reason(why, sizeof why));
    if (s->serialise)
        pthread_mutex_lock(&s->lock);
    if ((c = sign_ctx_get(s)) && EVP_PKEY_sign(c, NULL, sig_len, h, hl) > 0 &&
        (*sig = OPENSSL_malloc(*sig_len)) && EVP_PKEY_sign(c, *sig, sig_len, h, hl) > 0)
        ok = 1;
    if (s->serialise)
        pthread_mutex_unlock(&s->lock);
    if (ok)
        sign_ctx_put(s, c);
    else
        EVP_PKEY_CTX_free(c);
    if (!ok) {
        OPENSSL_free(*sig);
        *sig = NULL;
        return sh_fail(err, SH_EINTERNAL, "the key refused to sign (%s); with a token, check "
                       "that it is still plugged in, then run again", ossl_reason(why, sizeof why));
    }
    return 0;
}

static void cn_of(X509 *x, char *out, size_t n)
{
    X509_NAME *nm = X509_get_subject_name(x);
    if (X509_NAME_get_text_by_NID(nm, NID_commonName, out, (int)n) > 0)
        return;
    X509_NAME_oneline(nm, out, (int)n);
}

static void asn1_time_text(const ASN1_TIME *t, char *out, size_t n)
{
    struct tm tm;
    if (ASN1_TIME_to_tm(t, &tm))
        strftime(out, n, "%Y-%m-%d %H:%M:%S UTC", &tm);
    else
        snprintf(out, n, "?");
}

/* The checks the issue asks for before signing anything. */
static int check_cert(sh_signer *s, const char *what, time_t now, sh_error *err)
{
    char when[64];
    if (X509_cmp_time(X509_get0_notBefore(s->cert), &now) > 0) {
        asn1_time_text(X509_get0_notBefore(s->cert), when, sizeof when);
        return sh_fail(err, SH_EUSAGE, "%s: the certificate of '%s' is not valid before %s; "
                       "nothing was signed", what, s->name, when);
    }
    if (X509_cmp_time(X509_get0_notAfter(s->cert), &now) < 0) {
        asn1_time_text(X509_get0_notAfter(s->cert), when, sizeof when);
        return sh_fail(err, SH_EUSAGE, "%s: the certificate of '%s' expired on %s; nothing "
                       "was signed", what, s->name, when);
    }
    /* no keyUsage extension at all means unrestricted (RFC 5280 4.2.1.3) */
    if ((X509_get_extension_flags(s->cert) & EXFLAG_KUSAGE) &&
        !(X509_get_key_usage(s->cert) & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)))
        return sh_fail(err, SH_EUSAGE, "%s: the certificate of '%s' is not for signatures "
                       "(its key usage has neither digitalSignature nor nonRepudiation); "
                       "nothing was signed", what, s->name);
    /* the key matches the certificate: a test signature must verify with its public key;
     * works the same for a key on a token, whose private half cannot be compared */
    static const unsigned char probe[] = "sohoa key check";
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    sh_error e2;
    if (sh_signer_raw_sign(s, probe, sizeof probe, &sig, &sig_len, &e2) < 0)
        return sh_fail(err, SH_EUSAGE, "%s: %s; nothing was signed", what, e2.msg);
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pc = NULL;
    int ok = m && EVP_DigestVerifyInit(m, &pc, s->md, NULL, X509_get0_pubkey(s->cert)) > 0 &&
             (!s->pss || (EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PSS_PADDING) > 0 &&
                          EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, RSA_PSS_SALTLEN_DIGEST) > 0)) &&
             EVP_DigestVerify(m, sig, sig_len, probe, sizeof probe) == 1;
    EVP_MD_CTX_free(m);
    OPENSSL_free(sig);
    ERR_clear_error();
    if (!ok)
        return sh_fail(err, SH_EUSAGE, "%s: the certificate of '%s' does not belong to this "
                       "key; nothing was signed", what, s->name);
    return 0;
}

int sh_signer_open(const sh_sign_key *k, time_t now, sh_signer **out, sh_error *err)
{
    sh_signer *s = calloc(1, sizeof *s);
    const char *what = k->pkcs11_module ? k->key_label : k->key;
    *out = NULL;
    if (!s || !(s->chain = sk_X509_new_null())) {
        free(s);
        return sh_fail(err, SH_ENOMEM, "out of memory");
    }
    pthread_mutex_init(&s->lock, NULL);
    pthread_mutex_init(&s->pool_lock, NULL);
    const char *dg = k->digest && *k->digest ? k->digest : "sha256";
    s->md = strcmp(dg, "sha256") == 0   ? EVP_sha256()
            : strcmp(dg, "sha384") == 0 ? EVP_sha384()
            : strcmp(dg, "sha512") == 0 ? EVP_sha512()
                                        : NULL;
    s->pss = k->pss;
    if (!s->md) {
        sh_fail(err, SH_EUSAGE, "digest '%s' is not one of sha256, sha384, sha512", dg);
        goto fail;
    }
    if (!what) {
        sh_fail(err, SH_EUSAGE, "no signing key given (--key FILE or a PKCS#11 token)");
        goto fail;
    }
    if (k->cert) {
        STACK_OF(X509) *c = sk_X509_new_null();
        if (!c || read_certs(k->cert, c, err) < 0) {
            sk_X509_pop_free(c, X509_free);
            goto fail;
        }
        s->cert = sk_X509_shift(c); /* the first is the signer's; the rest join the chain */
        while (sk_X509_num(c) > 0)
            sk_X509_push(s->chain, sk_X509_shift(c));
        sk_X509_free(c);
    }
    int rc;
    if (k->pkcs11_module) {
        rc = open_pkcs11(s, k, err);
    } else if (looks_pkcs12(k->key)) {
        X509 *given = s->cert;
        s->cert = NULL;
        rc = open_pkcs12(s, k->key, k->pin, err);
        if (given) { /* --cert wins over the one in the file */
            X509_free(s->cert);
            s->cert = given;
        }
    } else {
        rc = open_pem(s, k->key, k->pin, err);
    }
    if (rc < 0)
        goto fail;
    if (!s->cert) {
        sh_fail(err, SH_EUSAGE, "%s: no certificate for this key (give --cert FILE)", what);
        goto fail;
    }
    if (k->chain && read_certs(k->chain, s->chain, err) < 0)
        goto fail;
    cn_of(s->cert, s->name, sizeof s->name);
    if (X509_NAME_get_text_by_NID(X509_get_subject_name(s->cert), NID_organizationName, s->org,
                                  (int)sizeof s->org) <= 0)
        s->org[0] = 0;
    if (EVP_PKEY_get_base_id(s->key) == EVP_PKEY_RSA_PSS)
        s->pss = true;
    if (s->pss && EVP_PKEY_get_base_id(X509_get0_pubkey(s->cert)) != EVP_PKEY_RSA &&
        EVP_PKEY_get_base_id(X509_get0_pubkey(s->cert)) != EVP_PKEY_RSA_PSS) {
        sh_fail(err, SH_EUSAGE, "%s: PSS needs an RSA key", what);
        goto fail;
    }
    if (check_cert(s, what, now, err) < 0 || sh_cms_prepare(s, err) < 0)
        goto fail;
    *out = s;
    return 0;
fail:
    sh_signer_close(s);
    return -1;
}

void sh_signer_close(sh_signer *s)
{
    if (!s)
        return;
    for (unsigned i = 0; i < s->nctx; i++) /* they hold the key */
        EVP_PKEY_CTX_free(s->ctx_pool[i]);
    EVP_PKEY_free(s->key); /* before the token's module goes away */
    X509_free(s->cert);
    sk_X509_pop_free(s->chain, X509_free);
    if (s->p11_ctx) {
        if (s->p11_slots)
            PKCS11_release_all_slots(s->p11_ctx, s->p11_slots, s->p11_nslots);
        PKCS11_CTX_unload(s->p11_ctx);
        PKCS11_CTX_free(s->p11_ctx);
    }
    sh_buf_free(&s->certs_der);
    sh_buf_free(&s->sid_der);
    sh_buf_free(&s->ess_attr_der);
    sh_buf_free(&s->digest_alg_der);
    sh_buf_free(&s->sig_alg_der);
    pthread_mutex_destroy(&s->lock);
    pthread_mutex_destroy(&s->pool_lock);
    free(s);
}

const char *sh_signer_name(const sh_signer *s) { return s->name; }

/* Vietnam keeps +07:00 all year: the shown and claimed times use it whatever the host's
 * zone is, so every stamp reads the same wherever it was made. */
static void vn_tm(time_t t, struct tm *tm)
{
    time_t v = t + 7 * 3600;
    gmtime_r(&v, tm);
}

void sh_sign_time_pdf(time_t t, char out[32])
{
    struct tm tm;
    vn_tm(t, &tm);
    strftime(out, 32, "D:%Y%m%d%H%M%S+07'00'", &tm);
}

void sh_sign_time_shown(time_t t, char out[32])
{
    struct tm tm;
    vn_tm(t, &tm);
    strftime(out, 32, "%d/%m/%Y %H:%M:%S +07:00", &tm);
}
