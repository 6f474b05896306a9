/* cms.c: the CMS SignedData of a PAdES B-B signature, written as DER by hand.
 *
 * Why by hand: OpenSSL 3.0's CMS_SignerInfo_sign always adds a signing-time attribute,
 * which PAdES baseline does not want (the claimed time is the PDF's /M), and a token
 * signer wants the exact bytes to sign anyway. The signed attributes are contentType,
 * messageDigest and ESS signing-certificate-v2, DER-sorted as a SET OF; everything that
 * does not depend on the document is built once per signer (sh_cms_prepare).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>

#include "sign_int.h"

/* ---- DER ---- */

static void der_len(sh_buf *b, size_t n)
{
    if (n < 0x80) {
        sh_buf_putc(b, (unsigned char)n);
        return;
    }
    unsigned char tmp[8];
    int k = 0;
    while (n) {
        tmp[k++] = (unsigned char)(n & 0xff);
        n >>= 8;
    }
    sh_buf_putc(b, (unsigned char)(0x80 | k));
    while (k)
        sh_buf_putc(b, tmp[--k]);
}

/* tag, length, then the bytes */
static void der_tlv(sh_buf *b, unsigned char tag, const void *v, size_t n)
{
    sh_buf_putc(b, tag);
    der_len(b, n);
    sh_buf_put(b, v, n);
}

/* wraps what was written since `from` in tag + length (moves it) */
static void der_wrap(sh_buf *b, size_t from, unsigned char tag)
{
    size_t n = b->n - from;
    sh_buf hdr = {0};
    sh_buf_putc(&hdr, tag);
    der_len(&hdr, n);
    if (hdr.oom) {
        b->oom = true;
        return;
    }
    sh_buf_put(b, hdr.p, hdr.n); /* make room */
    if (!b->oom) {
        memmove(b->p + from + hdr.n, b->p + from, n);
        memcpy(b->p + from, hdr.p, hdr.n);
    }
    sh_buf_free(&hdr);
}

static void der_oid(sh_buf *b, int nid)
{
    const ASN1_OBJECT *o = OBJ_nid2obj(nid);
    unsigned char *p = NULL;
    int n = o ? i2d_ASN1_OBJECT(o, &p) : -1;
    if (n <= 0) {
        b->oom = true;
        return;
    }
    sh_buf_put(b, p, (size_t)n);
    OPENSSL_free(p);
}

static void der_algid(sh_buf *b, int nid, bool null_params)
{
    size_t at = b->n;
    der_oid(b, nid);
    if (null_params)
        sh_buf_put(b, "\x05\x00", 2);
    der_wrap(b, at, 0x30);
}

static void der_small_int(sh_buf *b, unsigned v)
{
    unsigned char tmp[5];
    int k = 0;
    do {
        tmp[k++] = (unsigned char)(v & 0xff);
        v >>= 8;
    } while (v);
    if (tmp[k - 1] & 0x80)
        tmp[k++] = 0;
    sh_buf_putc(b, 0x02);
    der_len(b, (size_t)k);
    while (k)
        sh_buf_putc(b, tmp[--k]);
}

/* i2d of an OpenSSL object straight into b */
#define DER_I2D(b, fn, obj)                                                              \
    do {                                                                                 \
        unsigned char *p_ = NULL;                                                        \
        int n_ = fn(obj, &p_);                                                           \
        if (n_ <= 0)                                                                     \
            (b)->oom = true;                                                             \
        else                                                                             \
            sh_buf_put(b, p_, (size_t)n_);                                               \
        OPENSSL_free(p_);                                                                \
    } while (0)

/* ---- the fixed parts ---- */

static int cert_cmp(const void *a, const void *b)
{
    const sh_buf *x = a, *y = b;
    size_t n = x->n < y->n ? x->n : y->n;
    int c = n ? memcmp(x->p, y->p, n) : 0;
    return c ? c : (x->n > y->n) - (x->n < y->n);
}

int sh_cms_prepare(sh_signer *s, sh_error *err)
{
    int md_nid = EVP_MD_get_type(s->md);
    int key_type = EVP_PKEY_get_base_id(s->key);
    size_t mdlen = (size_t)EVP_MD_get_size(s->md);

    /* certificates: the signer's first, then the chain; a DER SET OF is sorted */
    int nchain = s->chain ? sk_X509_num(s->chain) : 0;
    sh_buf *certs = calloc((size_t)nchain + 1, sizeof *certs);
    if (!certs)
        return sh_fail(err, SH_ENOMEM, "out of memory");
    DER_I2D(&certs[0], i2d_X509, s->cert);
    for (int i = 0; i < nchain; i++)
        DER_I2D(&certs[i + 1], i2d_X509, sk_X509_value(s->chain, i));
    qsort(certs, (size_t)nchain + 1, sizeof *certs, cert_cmp);
    size_t total = 0;
    for (int i = 0; i <= nchain; i++) {
        if (i == 0 || cert_cmp(&certs[i], &certs[i - 1]) != 0) /* the signer listed twice */
            sh_buf_put(&s->certs_der, certs[i].p, certs[i].n);
        total += certs[i].n;
        if (certs[i].oom)
            s->certs_der.oom = true;
    }
    for (int i = 0; i <= nchain; i++)
        sh_buf_free(&certs[i]);
    free(certs);
    der_wrap(&s->certs_der, 0, 0xA0);

    /* sid: IssuerAndSerialNumber */
    DER_I2D(&s->sid_der, i2d_X509_NAME, X509_get_issuer_name(s->cert));
    DER_I2D(&s->sid_der, i2d_ASN1_INTEGER, (ASN1_INTEGER *)X509_get0_serialNumber(s->cert));
    der_wrap(&s->sid_der, 0, 0x30);

    der_algid(&s->digest_alg_der, md_nid, false);

    /* ESS signing-certificate-v2 (RFC 5035): the hash of the signer's certificate */
    {
        unsigned char h[EVP_MAX_MD_SIZE], *der = NULL;
        unsigned hl = 0;
        int dl = i2d_X509(s->cert, &der);
        if (dl <= 0 || !EVP_Digest(der, (size_t)dl, h, &hl, s->md, NULL)) {
            OPENSSL_free(der);
            return sh_fail(err, SH_EINTERNAL, "cannot hash the signer certificate");
        }
        OPENSSL_free(der);
        sh_buf *a = &s->ess_attr_der;
        der_oid(a, NID_id_smime_aa_signingCertificateV2);
        size_t set = a->n;
        size_t scv2 = a->n, certs_seq = a->n, essid = a->n;
        if (md_nid != NID_sha256) /* DEFAULT id-sha256 is left out */
            der_algid(a, md_nid, false);
        der_tlv(a, 0x04, h, hl);
        size_t iss = a->n, gnames = a->n;
        DER_I2D(a, i2d_X509_NAME, X509_get_issuer_name(s->cert));
        der_wrap(a, gnames, 0xA4);  /* directoryName [4] (Name is a CHOICE: explicit) */
        der_wrap(a, gnames, 0x30);  /* GeneralNames */
        DER_I2D(a, i2d_ASN1_INTEGER, (ASN1_INTEGER *)X509_get0_serialNumber(s->cert));
        der_wrap(a, iss, 0x30);     /* IssuerSerial */
        der_wrap(a, essid, 0x30);   /* ESSCertIDv2 */
        der_wrap(a, certs_seq, 0x30); /* certs SEQUENCE OF */
        der_wrap(a, scv2, 0x30);    /* SigningCertificateV2 */
        der_wrap(a, set, 0x31);     /* attrValues */
        der_wrap(a, 0, 0x30);       /* Attribute */
    }

    /* signatureAlgorithm */
    sh_buf *g = &s->sig_alg_der;
    size_t sig_max = (size_t)EVP_PKEY_get_size(s->key);
    if (key_type == EVP_PKEY_RSA || key_type == EVP_PKEY_RSA_PSS) {
        if (key_type == EVP_PKEY_RSA_PSS)
            s->pss = true;
        if (!s->pss) {
            /* rsaEncryption is what CMS (RFC 3370) and every PAdES verifier expect */
            der_algid(g, NID_rsaEncryption, true);
        } else {
            /* RSASSA-PSS-params (RFC 4055): hash, MGF1 with the same hash, salt = hash size */
            der_oid(g, NID_rsassaPss);
            size_t params = g->n, h0 = g->n;
            der_algid(g, md_nid, true);
            der_wrap(g, h0, 0xA0);
            size_t m1 = g->n;
            der_oid(g, NID_mgf1);
            der_algid(g, md_nid, true);
            der_wrap(g, m1, 0x30);
            der_wrap(g, m1, 0xA1);
            size_t sl = g->n;
            der_small_int(g, (unsigned)mdlen);
            der_wrap(g, sl, 0xA2);
            der_wrap(g, params, 0x30);
            der_wrap(g, 0, 0x30);
        }
    } else if (key_type == EVP_PKEY_EC) {
        int nid = md_nid == NID_sha384   ? NID_ecdsa_with_SHA384
                  : md_nid == NID_sha512 ? NID_ecdsa_with_SHA512
                                         : NID_ecdsa_with_SHA256;
        der_algid(g, nid, false);
        sig_max = (size_t)EVP_PKEY_get_size(s->key) + 8;
    } else {
        return sh_fail(err, SH_EUNSUPPORTED, "the key is neither RSA nor ECDSA (type %s); "
                       "sohoa signs with RSA (PKCS#1 v1.5 or PSS) and ECDSA P-256/P-384",
                       OBJ_nid2sn(key_type));
    }
    if (s->certs_der.oom || s->sid_der.oom || s->ess_attr_der.oom || g->oom ||
        s->digest_alg_der.oom)
        return sh_fail(err, SH_ENOMEM, "out of memory");
    /* everything around: versions, OIDs, the two other attributes, lengths */
    s->cms_max = total + s->sid_der.n + s->ess_attr_der.n + 2 * s->digest_alg_der.n +
                 g->n + sig_max + 2 * mdlen + 256;
    return 0;
}

static int attr_cmp(const void *a, const void *b) { return cert_cmp(a, b); }

int sh_cms_sign(sh_signer *s, const unsigned char *digest, size_t dlen, sh_buf *out,
                sh_error *err)
{
    sh_buf attr[3] = {{0}}, sa = {0};
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    int rc = -1;

    /* contentType = id-data */
    der_oid(&attr[0], NID_pkcs9_contentType);
    size_t v = attr[0].n;
    der_oid(&attr[0], NID_pkcs7_data);
    der_wrap(&attr[0], v, 0x31);
    der_wrap(&attr[0], 0, 0x30);
    /* messageDigest over the byte ranges */
    der_oid(&attr[1], NID_pkcs9_messageDigest);
    v = attr[1].n;
    der_tlv(&attr[1], 0x04, digest, dlen);
    der_wrap(&attr[1], v, 0x31);
    der_wrap(&attr[1], 0, 0x30);
    sh_buf_put(&attr[2], s->ess_attr_der.p, s->ess_attr_der.n);
    /* DER: a SET OF is sorted by its elements' encodings; this SET is what gets signed */
    qsort(attr, 3, sizeof *attr, attr_cmp);
    for (int i = 0; i < 3; i++)
        sh_buf_put(&sa, attr[i].p, attr[i].n);
    der_wrap(&sa, 0, 0x31);
    if (sa.oom || attr[0].oom || attr[1].oom || attr[2].oom) {
        sh_fail(err, SH_ENOMEM, "out of memory");
        goto out;
    }
    if (sh_signer_raw_sign(s, sa.p, sa.n, &sig, &sig_len, err) < 0)
        goto out;

    /* ContentInfo { signedData, [0] SignedData { 1, {alg}, {data}, [0] certs, {SignerInfo} } } */
    out->n = 0;
    der_oid(out, NID_pkcs7_signed);
    size_t explicit0 = out->n, sd = out->n;
    der_small_int(out, 1);
    sh_buf_putc(out, 0x31);
    der_len(out, s->digest_alg_der.n);
    sh_buf_put(out, s->digest_alg_der.p, s->digest_alg_der.n);
    size_t eci = out->n;
    der_oid(out, NID_pkcs7_data);
    der_wrap(out, eci, 0x30);
    sh_buf_put(out, s->certs_der.p, s->certs_der.n);
    size_t sis = out->n, si = out->n;
    der_small_int(out, 1);
    sh_buf_put(out, s->sid_der.p, s->sid_der.n);
    sh_buf_put(out, s->digest_alg_der.p, s->digest_alg_der.n);
    sh_buf_putc(out, 0xA0); /* signedAttrs [0] IMPLICIT: the same content as the SET signed */
    sh_buf_put(out, sa.p + 1, sa.n - 1);
    sh_buf_put(out, s->sig_alg_der.p, s->sig_alg_der.n);
    der_tlv(out, 0x04, sig, sig_len);
    der_wrap(out, si, 0x30);
    der_wrap(out, sis, 0x31);
    der_wrap(out, sd, 0x30);
    der_wrap(out, explicit0, 0xA0);
    der_wrap(out, 0, 0x30);
    if (out->oom) {
        sh_fail(err, SH_ENOMEM, "out of memory");
        goto out;
    }
    rc = 0;
out:
    OPENSSL_free(sig);
    for (int i = 0; i < 3; i++)
        sh_buf_free(&attr[i]);
    sh_buf_free(&sa);
    return rc;
}
