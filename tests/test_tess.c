/* test_tess: Tesseract is loaded only when asked for (stages/tess.c): not in the process
 * before (nor its OpenMP runtime, nor curl), in it after; a load that succeeds found every
 * function sohoa calls; OpenMP is limited to one thread whatever OMP_THREAD_LIMIT said
 * (libgomp itself is asked); an engine made through the pointers reads a line of text; a
 * second load gives the same answer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <leptonica/allheaders.h>

#include "check.h"
#include "tess.h"

/* whether a library whose file name contains name is mapped into this process */
static int mapped(const char *name)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    int found = 0;
    while (f && fgets(line, sizeof line, f))
        found |= strstr(line, name) != NULL;
    if (f)
        fclose(f);
    return found;
}

int main(void)
{
    sh_error err = {0};
    CHECK(!mapped("libtesseract"));
    CHECK(!mapped("libgomp"));
    CHECK(!mapped("libcurl"));
    setenv("OMP_THREAD_LIMIT", "8", 1); /* whatever was there: it is set to 1 */
    int rc = sh_tess_load(&err);
    if (rc < 0)
        fprintf(stderr, "load: %s\n", err.msg);
    CHECK(rc == 0);
    CHECK(mapped("libtesseract"));
    CHECK(sh_tess_threads_limited());
    CHECK(getenv("OMP_THREAD_LIMIT") && strcmp(getenv("OMP_THREAD_LIMIT"), "1") == 0);
    CHECK(sh_tess_load(NULL) == 0);

    /* one engine through the pointers: a line of text drawn with Leptonica's own font */
    TessBaseAPI *api = TessBaseAPICreate();
    CHECK(api != NULL);
    if (api && TessBaseAPIInit2(api, NULL, "eng", OEM_LSTM_ONLY) == 0) {
        L_BMF *font = bmfCreate(NULL, 20);
        PIX *page = pixCreate(900, 120, 1);
        pixSetAll(page);
        pixClearAll(page);
        if (font)
            pixSetTextline(page, font, "HELLO SOHOA 2026", 0x000000ff, 40, 80, NULL, NULL);
        pixSetResolution(page, 300, 300);
        TessBaseAPISetImage2(api, page);
        TessBaseAPISetSourceResolution(api, 300);
        CHECK(TessBaseAPIRecognize(api, NULL) == 0);
        TessResultIterator *it = TessBaseAPIGetIterator(api);
        char *word = it ? TessResultIteratorGetUTF8Text(it, RIL_WORD) : NULL;
        CHECK(word && strstr("HELLO", word));
        if (word)
            TessDeleteText(word);
        if (it)
            TessResultIteratorDelete(it);
        pixDestroy(&page);
        bmfDestroy(&font);
    } else {
        printf("(no eng.traineddata: the engine part is skipped)\n");
    }
    if (api) {
        TessBaseAPIEnd(api);
        TessBaseAPIDelete(api);
    }
    return check_report();
}
