/* stage.c: the sign stage: each dossier's PDF gets the run's signature in memory, between
 * the pdf stage that made it and the archive stage that hashes and writes it.
 *
 * On only when a key is configured and --no-sign was not given. The key is opened (and a
 * token logged in to) once in start(): a wrong PIN or an unusable certificate stops the run
 * before any dossier is archived.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "sohoa/sign.h"
#include "sohoa/stage.h"

typedef struct sign_state {
    sh_signer *signer;
    const sh_sign_look *look;
} sign_state;

static bool sign_enabled(const sh_options *opt)
{
    return opt->sign && (opt->sign_key.key || opt->sign_key.pkcs11_module);
}

static int sign_start(const sh_run *run, void **state, sh_error *err)
{
    sign_state *s = calloc(1, sizeof *s);
    if (!s)
        return sh_fail(err, SH_ENOMEM, "out of memory");
    if (sh_signer_open(&run->opt->sign_key, time(NULL), &s->signer, err) < 0) {
        free(s);
        return -1;
    }
    if (sh_sign_look_check(s->signer, &run->opt->sign_look, err) < 0) {
        sh_signer_close(s->signer);
        free(s);
        return -1;
    }
    s->look = &run->opt->sign_look;
    *state = s;
    return 0;
}

static void sign_stop(void *state)
{
    sign_state *s = state;
    if (s)
        sh_signer_close(s->signer);
    free(s);
}

/* A document the system issues (the operator's metadata says kind = result, kết quả) gets
 * the TT 01/2023 QR code from its metadata: dossier code, procedure, applicant, document
 * name, issuing system (system_name, else the agency). Other dossiers get none. */
static bool issued_qr(const sh_dossier *d, sh_sign_qr *qr)
{
    const char *kind = sh_meta_get(&d->meta, "kind");
    static const char *const result[] = {"result", "ket_qua", "ket qua", "kết quả"};
    bool issued = false;
    for (size_t i = 0; kind && i < sizeof result / sizeof *result; i++)
        issued = issued || strcasecmp(kind, result[i]) == 0;
    if (!issued)
        return false;
    const char *system = sh_meta_get(&d->meta, "system_name");
    *qr = (sh_sign_qr){
        .dossier_code = sh_meta_get(&d->meta, SH_META_DOSSIER_CODE),
        .procedure_code = sh_meta_get(&d->meta, SH_META_PROCEDURE),
        .applicant_id = sh_meta_get(&d->meta, SH_META_APPLICANT),
        .doc_name = sh_meta_get(&d->meta, SH_META_DOC_NAME),
        .system_name = system ? system : sh_meta_get(&d->meta, SH_META_AGENCY),
        .x = -1, .y = -1, .size = -1,
    };
    if (!qr->doc_name)
        qr->doc_name = sh_meta_get(&d->meta, SH_META_TYPE); /* read in the text */
    return true;
}

static int sign_process(void *state, void *local, void *unit, sh_error *err)
{
    sign_state *s = state;
    sh_dossier *d = unit;
    unsigned char *out = NULL;
    size_t out_len = 0;
    sh_sign_request rq = {.when = time(NULL), .look = s->look};
    sh_sign_qr qr;

    (void)local;
    if (issued_qr(d, &qr))
        rq.qr = &qr;
    if (!d->pdf)
        return 0;
    if (sh_sign_pdf(s->signer, d->pdf, d->pdf_len, &rq, &out, &out_len, err) < 0) {
        sh_error_prefix(err, "%s: signing", d->source);
        return -1;
    }
    free(d->pdf);
    d->pdf = out;
    d->pdf_len = out_len;
    d->signer = sh_signer_name(s->signer); /* for the event log; lives as long as the run */
    return 0;
}

const sh_stage sh_stage_sign = {
    .name = "sign",
    .unit = SH_UNIT_DOSSIER,
    .enabled = sign_enabled,
    .start = sign_start,
    .process = sign_process,
    .stop = sign_stop,
};
