/* fuzz_meta: libFuzzer harness for the metadata readers: the facts found in OCR text
 * (document number, place and date, issuer, type, subject, citizen IDs), the operator's
 * field names, and sidecar/batch files (JSON and CSV). The first byte picks the reader.
 * Build and run with tests/fuzz/run.sh. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sohoa/meta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static void read_file_as(const char *ext, const uint8_t *data, size_t len)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/fuzz_meta.%d%s", (int)getpid(), ext);
    FILE *f = fopen(path, "wb");
    if (!f)
        return;
    fwrite(data, 1, len, f);
    fclose(f);
    sh_error err;
    sh_metafile *mf = sh_metafile_read(path, &err);
    if (mf) {
        sh_meta m = {0};
        sh_metafile_lookup(mf, "D0001.tif", &m);
        sh_metafile_lookup(mf, "/in/hồ sơ/D0002", &m);
        sh_meta_free(&m);
        sh_metafile_free(mf);
    }
    unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    if (len < 1)
        return 0;
    char *text = malloc(len); /* NUL-terminated heap copy of all but the selector */
    if (!text)
        return 0;
    memcpy(text, data + 1, len - 1);
    text[len - 1] = '\0';
    switch (data[0] % 4) {
    case 0: {
        sh_meta m = {0};
        sh_meta_from_text(&m, text, 1);
        for (size_t i = 0; i < m.n; i++) /* every value must be a string we can print */
            if (!m.v[i].field || !m.v[i].value)
                __builtin_trap();
        sh_meta_free(&m);
        break;
    }
    case 1: {
        char out[128];
        sh_meta_field_name(text, out, sizeof out);
        if (strlen(out) >= sizeof out)
            __builtin_trap();
        break;
    }
    case 2: read_file_as(".json", data + 1, len - 1); break;
    default: read_file_as(".csv", data + 1, len - 1); break;
    }
    free(text);
    return 0;
}
