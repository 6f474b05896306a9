/* fuzz_ingest: libFuzzer harness for the image ingest: sniff, page scan and the ingest
 * stage's decode of every page (TIFF of any encoding, JPEG, PNG), exactly as a run does.
 * Build and run with tests/fuzz/run.sh. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sohoa/ingest.h"
#include "sohoa/stage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    static sh_options opt;
    static sh_run run;
    static void *state, *local;
    sh_error err;

    if (!state) {
        sh_ingest_global_init();
        sh_options_defaults(&opt);
        opt.max_pixels = 16u << 20; /* the fuzzer's memory limit, not a product limit */
        run.opt = &opt;
        if (sh_stage_ingest.start(&run, &state, &err) < 0 ||
            sh_stage_ingest.thread_init(state, &local, &err) < 0)
            return 0;
    }
    sh_dossier d = {0};
    sh_file f = {.path = "fuzz", .data = malloc(len ? len : 1), .len = len};
    uint64_t *offs = NULL;
    if (!f.data)
        return 0;
    memcpy(f.data, data, len); /* a heap copy: ASan sees reads past the end */
    f.kind = sh_ingest_sniff(f.data, f.len);
    d.files = &f;
    d.nfiles = 1;
    if (sh_ingest_scan(&f, 64, &offs, &err) == 0) {
        for (unsigned i = 0; i < f.npages; i++) {
            sh_page p = {.dossier = &d, .file = 0, .src_page = i,
                         .tiff_diroff = offs ? offs[i] : 0};
            if (sh_stage_ingest.process(state, local, &p, &err) == 0) {
                sh_image_free(&p.image);
                sh_page_free_work(&p);
            }
        }
    }
    free(offs);
    free(f.data);
    return 0;
}
