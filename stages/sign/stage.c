/* stage.c: the sign stage: each dossier's PDF gets the run's signature in memory, between
 * the pdf stage that made it and the archive stage that hashes and writes it.
 *
 * On only when a key is configured and --no-sign was not given. The key is opened (and a
 * token logged in to) once in start(): a wrong PIN or an unusable certificate stops the run
 * before any dossier is archived.
 */
#include <stdlib.h>
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

static int sign_process(void *state, void *local, void *unit, sh_error *err)
{
    sign_state *s = state;
    sh_dossier *d = unit;
    unsigned char *out = NULL;
    size_t out_len = 0;
    sh_sign_request rq = {.when = time(NULL), .look = s->look};

    (void)local;
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
