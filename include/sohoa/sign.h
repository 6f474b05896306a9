/* sign.h: PAdES signatures on PDFs (baseline B-B, ETSI.CAdES.detached) and their checking.
 *
 * A signer holds one key (PEM, PKCS#12, or a PKCS#11 token logged in once) and its
 * certificate chain; it signs any number of PDFs, each as an incremental update that never
 * rewrites the bytes it signs. Signing from several threads at once is safe; a token's
 * operations are serialised inside. Verifying needs no signer: sh_verify_pdf checks every
 * signature of one PDF held in memory.
 */
#ifndef SOHOA_SIGN_H
#define SOHOA_SIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "sohoa/error.h"

/* Where the key is and how to use it. Strings are borrowed, not copied. */
typedef struct sh_sign_key {
    const char *key;           /* PEM private key or PKCS#12 (.p12/.pfx) file */
    const char *cert;          /* signer certificate (PEM/DER); optional with PKCS#12/token */
    const char *chain;         /* PEM file of CA certificates to embed (optional) */
    const char *pkcs11_module; /* PKCS#11 module (.so); with token and key_label */
    const char *token;         /* token label */
    const char *key_label;     /* private key object label on the token */
    const char *pin;           /* passphrase or PIN (from SOHOA_PIN or a file, never argv) */
    const char *digest;        /* "sha256" (default), "sha384", "sha512" */
    bool pss;                  /* RSA: RSASSA-PSS instead of PKCS#1 v1.5 */
} sh_sign_key;

/* A visible stamp (NĐ 30/2020, TT 01/2023). Profiles set the defaults; any field may be
 * overridden. Positions are in points from the top-left corner of page 1 as displayed. */
typedef enum sh_sign_profile {
    SH_PROFILE_NONE = 0,  /* invisible signature */
    SH_PROFILE_DIGITIZER, /* top-left: signer name + time */
    SH_PROFILE_AGENCY,    /* top-right: red seal image + agency + time */
    SH_PROFILE_RESULT,    /* signer's blue signature image, seal over its left third */
    SH_PROFILE_COPY,      /* top-right: "SAO Y" text + agency + time, no image */
} sh_sign_profile;

typedef struct sh_sign_look {
    sh_sign_profile profile;
    const char *name;         /* shown name (default: the certificate's CN) */
    const char *agency;       /* agency name for agency/result/copy */
    const char *title;        /* result: the signer's title (e.g. "CHỦ TỊCH") */
    const char *seal_png;     /* red seal, transparent PNG */
    const char *sig_png;      /* signer's blue signature, PNG */
    const char *font;         /* TrueType with Vietnamese glyphs (default DejaVu Serif) */
    double seal_dpi;          /* the seal's scan resolution: real size (default 300) */
    double x, y;              /* top-left of the stamp from the page's top-left, pt; <0 default */
    double font_size;         /* pt (default 10) */
} sh_sign_look;

/* TT 01/2023 QR code fields, drawn top-left on page 1 (below the digitizer's stamp). */
typedef struct sh_sign_qr {
    const char *dossier_code;   /* mã hồ sơ */
    const char *procedure_code; /* mã TTHC */
    const char *applicant_id;   /* mã định danh */
    const char *doc_name;       /* tên giấy tờ */
    const char *system_name;    /* hệ thống cấp */
    double x, y, size;          /* from the top-left, pt; <0 default */
} sh_sign_qr;

typedef struct sh_signer sh_signer;

/* Opens the key and certificate, logs in to a token once, and checks before anything is
 * signed: the certificate is valid at `now`, allows digitalSignature or nonRepudiation,
 * and belongs to the key (a test signature is made and verified). */
int sh_signer_open(const sh_sign_key *k, time_t now, sh_signer **out, sh_error *err);
void sh_signer_close(sh_signer *s);

/* The subject's common name (for the stamp), never NULL. */
const char *sh_signer_name(const sh_signer *s);

/* Whether look can be drawn with this signer: what the profile needs is given, and the
 * images and font can be read. Call before a batch: a bad stamp fails before any file. */
int sh_sign_look_check(const sh_signer *s, const sh_sign_look *look, sh_error *err);

typedef struct sh_sign_request {
    time_t when;                /* the claimed signing time, written to /M (+07:00) */
    const sh_sign_look *look;   /* NULL or profile NONE: invisible */
    const sh_sign_qr *qr;       /* NULL: no QR code */
    const char *reason;         /* optional /Reason */
    size_t align;               /* >1: the new file's length made a multiple of it, by a
                                 * larger /Contents hole (zeros, as any hole ends), for a
                                 * writer of whole blocks; 0: no larger than it needs */
} sh_sign_request;

/* Appends one signature to pdf as an incremental update. *out (malloc'd) is the whole new
 * file; pdf itself is not changed. PDFs with cross-reference streams or encryption are
 * refused (SH_EUNSUPPORTED). */
int sh_sign_pdf(sh_signer *s, const unsigned char *pdf, size_t len, const sh_sign_request *rq,
                unsigned char **out, size_t *out_len, sh_error *err);

/* The same signature as only the bytes to append (*update, malloc'd): the new file is pdf
 * followed by *update. For writing the two pieces as they are (writev), with no copy of
 * the whole document. */
int sh_sign_pdf_update(sh_signer *s, const unsigned char *pdf, size_t len,
                       const sh_sign_request *rq, unsigned char **update, size_t *update_len,
                       sh_error *err);

/* ---- verifying ---- */

typedef struct sh_trust sh_trust;

/* Trust roots from PEM files (each may hold several certificates). */
int sh_trust_load(const char *const *files, size_t n, sh_trust **out, sh_error *err);
void sh_trust_free(sh_trust *t);

typedef enum sh_check {
    SH_CHECK_SKIPPED = 0, /* not checked (e.g. no trust roots given) */
    SH_CHECK_OK,
    SH_CHECK_FAILED,
} sh_check;

typedef struct sh_sig_info {
    char subfilter[64];
    char signer[256];         /* the signer certificate's subject CN (or whole subject) */
    char claimed[64];         /* /M as written, "" if none */
    char digest[16];          /* digest algorithm of the signer info */
    size_t range_end;         /* the last signed byte + 1 */
    size_t file_len;
    bool whole_file;          /* the ranges cover the whole file but /Contents */
    bool revision_end;        /* covered bytes end at an %%EOF (an earlier revision) */
    sh_check integrity;       /* digest over the ByteRange == the signed messageDigest */
    sh_check signature;       /* the CMS signature verifies with the signer's key */
    sh_check chain;           /* chain to a trust root (at the current time) */
    char problem[512];        /* the first thing wrong, in English ("" if none) */
    char problem_vi[512];     /* the same in Vietnamese */
    bool ok;                  /* integrity and signature OK and chain not FAILED */
} sh_sig_info;

typedef struct sh_sig_report {
    bool encrypted;           /* strings (like /M) are encrypted: the claimed time is not read */
    unsigned n;
    sh_sig_info *sigs;        /* in signing order (by the end of their signed range) */
} sh_sig_report;

/* Checks every signature in pdf. Returns 0 and a report (possibly with n == 0) when the
 * file could be examined; -1 only when it could not be (memory). */
int sh_verify_pdf(const unsigned char *pdf, size_t len, const sh_trust *trust,
                  sh_sig_report **out, sh_error *err);
void sh_sig_report_free(sh_sig_report *r);

#endif
