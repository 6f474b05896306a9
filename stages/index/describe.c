/* describe.c: the meta stage: what a dossier is, before its PDF is made. The operator's
 * fields (a sidecar beside the input, or its entry in the run's --meta file) and the facts
 * read from each page's recognised text go into d->meta, which the PDF stage writes into
 * Info/XMP and the archive stage into the catalog. Reads only the dossier it is given.
 */
#include <stdlib.h>

#include "sohoa/meta.h"
#include "sohoa/stage.h"

static int meta_start(const sh_run *run, void **state, sh_error *err)
{
    *state = NULL;
    if (run->opt->meta_file && !(*state = sh_metafile_read(run->opt->meta_file, err)))
        return -1;
    return 0;
}

static int meta_process(void *state, void *local, void *unit, sh_error *err)
{
    sh_dossier *d = unit;
    (void)local;

    if (sh_meta_sidecar(d->source, &d->meta, err) < 0)
        return -1;
    if (state && sh_metafile_lookup(state, d->source, &d->meta) < 0)
        return sh_fail(err, SH_ENOMEM, "%s: out of memory reading its metadata", d->source);
    for (unsigned i = 0; i < d->npages; i++) {
        if (!d->pages[i].nwords)
            continue;
        char *text = sh_page_text(&d->pages[i]);
        int rc = text ? sh_meta_from_text(&d->meta, text, i + 1) : -1;
        free(text);
        if (rc < 0)
            return sh_fail(err, SH_ENOMEM, "%s: out of memory reading page %u", d->source, i + 1);
    }
    return 0;
}

static void meta_stop(void *state) { sh_metafile_free(state); }

const sh_stage sh_stage_meta = {
    .name = "meta",
    .unit = SH_UNIT_DOSSIER,
    .start = meta_start,
    .process = meta_process,
    .stop = meta_stop,
};
