/* sign_int.h: the pieces of signing: a growable byte buffer, the minimal PDF reader
 * (pdfparse.c), the signer's insides (keys.c), the CMS builder (cms.c), the stamps
 * (appearance.c, qr.c). Nothing outside stages/sign/ and the sign/verify commands uses this. */
#ifndef SOHOA_SIGN_INT_H
#define SOHOA_SIGN_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "sohoa/error.h"
#include "sohoa/sign.h"

/* ---- a growable buffer; an allocation failure sticks (checked once, at the end) ---- */
typedef struct sh_buf {
    unsigned char *p;
    size_t n, cap;
    bool oom;
} sh_buf;

void sh_buf_put(sh_buf *b, const void *data, size_t len);
void sh_buf_putc(sh_buf *b, unsigned char c);
void sh_buf_printf(sh_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sh_buf_free(sh_buf *b);

/* ---- the PDF reader: classic xref tables only ---- */
typedef struct sh_pdfdoc {
    const unsigned char *b;
    size_t len;
    size_t startxref;        /* offset of the last xref section */
    size_t *off;             /* object number -> offset of "n g obj" (0: free/absent) */
    unsigned *gen;
    unsigned size;           /* entries in off/gen */
    unsigned next;           /* the first unused object number (/Size of the update) */
    unsigned root, info;     /* object numbers (0: absent) */
    const unsigned char *id0; /* first /ID element as written, with its brackets <..> or (..) */
    size_t id0_len;
} sh_pdfdoc;

/* Reads the xref chain and the newest trailer. Refuses xref streams, hybrid files and
 * encryption with SH_EUNSUPPORTED, broken structure with SH_EFORMAT. */
int sh_pdf_open(sh_pdfdoc *d, const unsigned char *b, size_t len, sh_error *err);
void sh_pdf_close(sh_pdfdoc *d);

/* Offsets after whitespace and comments / past one whole value (dict, array, string,
 * name, number, keyword or "n g R"). Return len on a syntax error. */
size_t sh_pdf_ws(const unsigned char *b, size_t len, size_t i);
size_t sh_pdf_skip(const unsigned char *b, size_t len, size_t i);

/* The value of object num: offset of its first byte (after "n g obj"), 0 if absent. */
size_t sh_pdf_obj(const sh_pdfdoc *d, unsigned num);

/* In the dictionary starting at i ("<<"), the value of /key: its offset, 0 if absent. */
size_t sh_pdf_dict_get(const unsigned char *b, size_t len, size_t i, const char *key);

/* "n g R" at i: the object number, 0 if i holds no reference. */
unsigned sh_pdf_ref(const unsigned char *b, size_t len, size_t i);

/* A value that may be a reference: follows it once. Returns the offset of the value. */
size_t sh_pdf_resolve(const sh_pdfdoc *d, size_t i);

/* Integer/real at i; false if there is none. */
bool sh_pdf_num(const unsigned char *b, size_t len, size_t i, double *v);

/* Calls fn for each key of the dictionary at i with the key (without '/') and the value's
 * span [v, v_end). Stops and returns -1 on a syntax error. */
int sh_pdf_dict_each(const unsigned char *b, size_t len, size_t i,
                     void (*fn)(void *ctx, const unsigned char *key, size_t key_len,
                                size_t v, size_t v_end),
                     void *ctx);

/* ---- the signer ---- */
struct sh_signer {
    EVP_PKEY *key;
    X509 *cert;
    STACK_OF(X509) *chain;    /* embedded after the signer's certificate */
    const EVP_MD *md;
    bool pss;
    char name[256];           /* subject CN */
    char org[256];            /* subject O ("" if none): the default agency on stamps */
    /* the parts of the CMS that do not change between signatures (cms.c) */
    sh_buf certs_der;         /* [0] IMPLICIT CertificateSet */
    sh_buf sid_der;           /* IssuerAndSerialNumber */
    sh_buf ess_attr_der;      /* the signingCertificateV2 attribute */
    sh_buf digest_alg_der;    /* AlgorithmIdentifier of md */
    sh_buf sig_alg_der;       /* AlgorithmIdentifier of the signature */
    size_t cms_max;           /* an upper bound of the CMS size: the /Contents room */
    /* a token: one login for the whole run, its operations one at a time */
    void *p11_ctx, *p11_slots;
    unsigned p11_nslots;
    bool serialise;
    pthread_mutex_t lock;
    /* signing contexts made once and reused, one per thread signing at once (keys.c) */
    EVP_PKEY_CTX *ctx_pool[16];
    unsigned nctx;
    pthread_mutex_t pool_lock;
};

/* Makes the fixed CMS parts above once the key, certificate and md are known. */
int sh_cms_prepare(sh_signer *s, sh_error *err);

/* Signs digest (of the PDF's byte ranges) into a DER CMS SignedData in *out. */
int sh_cms_sign(sh_signer *s, const unsigned char *digest, size_t dlen, sh_buf *out,
                sh_error *err);

/* The raw signature of data with the signer's key and padding (locks a token). */
int sh_signer_raw_sign(sh_signer *s, const unsigned char *data, size_t len,
                       unsigned char **sig, size_t *sig_len, sh_error *err);

/* ---- the time as the rules show it: Vietnam time, +07:00 ---- */
void sh_sign_time_pdf(time_t t, char out[32]);   /* D:20261130153000+07'00' */
void sh_sign_time_shown(time_t t, char out[32]); /* 30/11/2026 15:30:00 +07:00 */

/* ---- stamps (appearance.c, qr.c): objects appended to the update ---- */

/* Page 1 as it is displayed: its box in default user space and its /Rotate. */
typedef struct sh_page_geom {
    double x0, y0, x1, y1;
    int rotate; /* 0, 90, 180, 270 */
} sh_page_geom;

/* The update being written: objects go to out; their numbers come from next_obj and their
 * offsets are recorded with sh_update_obj. */
typedef struct sh_update {
    sh_buf out;
    size_t base;              /* file offset of out.p[0] */
    unsigned next_obj;
    struct { unsigned num, gen; size_t off; } *objs;
    unsigned nobjs, cap;
} sh_update;

/* Starts object num (gen 0 unless told) at the current position: writes "num gen obj\n". */
int sh_update_obj(sh_update *u, unsigned num, unsigned gen);
unsigned sh_update_new(sh_update *u); /* a fresh object number */

/* Writes a PDF text string (UTF-8 in): (..) when plain ASCII, else <FEFF..> UTF-16BE. */
void sh_pdf_text(sh_buf *b, const char *utf8);

/* A TrueType font subset for one stamp (font.c). Text is shown as <hex> strings of subset
 * glyph ids; widths are in 1/1000 of the font size. */
typedef struct sh_font sh_font;
sh_font *sh_font_open(const char *path, sh_error *err);
void sh_font_close(sh_font *f);
int sh_font_encode(sh_font *f, const char *utf8, sh_buf *hex, double *width);
double sh_font_width(const sh_font *f, const char *utf8);
double sh_font_ascent(const sh_font *f);
/* Writes the Type0 font and its parts into the update: the font's object number (0: err). */
unsigned sh_font_write(sh_font *f, sh_update *u, sh_error *err);

/* A box given on page 1 as displayed (dx, dy from its top-left, w x h) in default user
 * space (rect), and the /Matrix that keeps an appearance upright on a turned page. */
void sh_place(const sh_page_geom *g, double dx, double dy, double w, double h, double rect[4],
              char matrix[64]);

/* The signature's visible stamp: writes its objects and gives the widget's /Rect and
 * its appearance stream's object number. */
int sh_stamp_write(sh_update *u, const sh_signer *s, const sh_sign_request *rq,
                   const sh_page_geom *g, double rect[4], unsigned *ap, sh_error *err);

/* The TT 01/2023 QR code as a locked stamp annotation: its object number. */
int sh_qr_write(sh_update *u, const sh_sign_request *rq, const sh_page_geom *g,
                unsigned page_num, unsigned page_gen, unsigned *annot, sh_error *err);

#endif
