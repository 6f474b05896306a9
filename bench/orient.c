/* orient.c: which way up? Leptonica's detector against Tesseract's OSD on the same pages
 * turned 0/90/180/270 degrees: how often each is right and what it costs. It measures the
 * choice clean.c makes (Leptonica on the flattened, thresholded page at 200 dpi).
 *
 *   sohoa-orient [--at 150|200] PAGE.tif...   (every page of every file, all four turns)
 *
 * --at 150: scans of 300 dpi and more halved, as clean.c looks at them under --ocr-dpi auto
 * (the default); --at 200: scaled to 200 dpi, as under --ocr-dpi 200.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

/* clean.c's: up/down confidence from which the left/right detector is not asked, and
 * under which an up/down reading this strong and twice the left/right one is taken */
#define UPDOWN_SURE 8.0f
#define UPDOWN_LEAN 2.0f

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* the page as clean.c prepares it for analysis */
static PIX *prepare(PIX *pix, int at)
{
    PIX *g = pixGetDepth(pix) == 32 ? pixGetRGBComponent(pix, COLOR_RED)
             : pixGetDepth(pix) == 1 ? pixConvert1To8(NULL, pix, 255, 0) : pixConvertTo8(pix, 0);
    l_int32 xres = pixGetXRes(pix) > 0 ? pixGetXRes(pix) : 300;
    PIX *s = at == 150 ? (xres >= 300 ? pixScaleAreaMap2(g) : pixClone(g))
             : xres > 230 ? pixScaleAreaMap(g, 200.0f / xres, 200.0f / xres) : pixClone(g);
    PIX *n = pixBackgroundNormSimple(s, NULL, NULL);
    pixDestroy(&g);
    pixDestroy(&s);
    l_int32 dpi = at == 150 ? (xres >= 300 ? xres / 2 : xres) : xres > 230 ? 200 : xres;
    pixSetResolution(n, dpi, dpi);
    return n;
}

int main(int argc, char **argv)
{
    /* clean.c's ORIENT_SURE and the thresholds around it */
    static const float sure[] = {4, 6, 8, 10, 12};
    enum { NSURE = sizeof sure / sizeof sure[0] };
    int n = 0, lep_ok = 0, osd_ok = 0, both_ok[NSURE] = {0}, asked[NSURE] = {0};
    double lep_t = 0, osd_t = 0, both_t[NSURE] = {0};
    /* clean.c's way: up/down alone first; both detectors only when it is unsure */
    int ud_ok = 0, ud_osd_ok = 0, ud_asked = 0;
    double ud_t = 0, ud_osd_t = 0;
    TessBaseAPI *osd = TessBaseAPICreate();

    setMsgSeverity(L_SEVERITY_NONE);
    TessBaseAPISetVariable(osd, "debug_file", "/dev/null");
    if (TessBaseAPIInit2(osd, NULL, "osd", OEM_TESSERACT_ONLY) != 0) {
        fprintf(stderr, "sohoa-orient: cannot load Tesseract's osd data\n");
        return 1;
    }
    int at = 200, first = 1;
    if (argc > 2 && strcmp(argv[1], "--at") == 0) {
        at = atoi(argv[2]);
        first = 3;
    }
    for (int a = first; a < argc; a++) {
        for (int page = 0;; page++) {
            PIX *pix = pixReadTiff(argv[a], page);
            if (!pix)
                break;
            PIX *norm = prepare(pix, at);
            for (int turns = 0; turns < 4; turns++) {
                PIX *turned = turns ? pixRotateOrth(norm, turns) : pixClone(norm);
                int want = (4 - turns) % 4 * 90; /* clockwise degrees back to upright */
                double t0 = now();
                PIX *bin = pixThresholdToBinary(turned, 120);
                l_float32 up = 0, left = 0;
                l_int32 rot = -1;
                PIX *fixed = pixOrientCorrect(bin, 0.0f, 0.0f, &up, &left, &rot, 0);
                lep_t += now() - t0;
                lep_ok += rot == want;
                t0 = now();
                l_float32 ud = 0, ud_left = 0;
                l_int32 ud_rot = 0;
                pixUpDownDetect(bin, &ud, 0, 0, 0);
                if ((ud < 0 ? -ud : ud) >= UPDOWN_SURE) {
                    ud_rot = ud > 0 ? 0 : 180;
                    ud_left = 0;
                } else {
                    PIX *f2 = pixOrientCorrect(bin, 0.0f, 0.0f, &ud, &ud_left, &ud_rot, 0);
                    pixDestroy(&f2);
                }
                ud_t += now() - t0;
                t0 = now();
                int deg = -1;
                float conf = 0, sconf = 0;
                const char *script = NULL;
                TessBaseAPISetImage2(osd, bin);
                TessBaseAPISetSourceResolution(osd, pixGetXRes(norm));
                if (TessBaseAPIDetectOrientationScript(osd, &deg, &conf, &script, &sconf))
                    deg = (360 - deg) % 360; /* OSD reports the counter-clockwise angle */
                double osd_cost = now() - t0;
                osd_t += osd_cost;
                osd_ok += deg == want;
                /* what clean.c does: Leptonica, and OSD only where Leptonica is unsure */
                for (int k = 0; k < NSURE; k++) {
                    bool unsure = rot == 0 && (up < 0 ? -up : up) < sure[k] &&
                                  (left < 0 ? -left : left) < sure[k];
                    int both = unsure && conf >= 2 && deg >= 0 ? deg : rot;
                    both_t[k] += unsure ? osd_cost : 0;
                    asked[k] += unsure;
                    both_ok[k] += both == want;
                }
                float aud = ud < 0 ? -ud : ud, aleft = ud_left < 0 ? -ud_left : ud_left;
                bool leans = aud >= UPDOWN_LEAN && aud >= 2 * aleft;
                bool ud_unsure = ud_rot == 0 && aud < 8 && aleft < 8;
                if (ud_unsure && leans) {
                    ud_rot = ud > 0 ? 0 : 180;
                    ud_unsure = false;
                }
                ud_ok += ud_rot == want;
                ud_asked += ud_unsure;
                ud_osd_t += ud_unsure ? osd_cost : 0;
                ud_osd_ok += (ud_unsure && conf >= 2 && deg >= 0 ? deg : ud_rot) == want;
                n++;
                pixDestroy(&fixed);
                pixDestroy(&bin);
                pixDestroy(&turned);
            }
            pixDestroy(&norm);
            pixDestroy(&pix);
        }
    }
    TessBaseAPIEnd(osd);
    TessBaseAPIDelete(osd);
    if (!n) {
        fprintf(stderr, "usage: sohoa-orient PAGE.tif...\n");
        return 1;
    }
    printf("orientation on %d page turns (0/90/180/270 of each page), %s:\n", n,
           at == 150 ? "scans of 300 dpi and more halved (--ocr-dpi auto)" : "at 200 dpi");
    printf("%-24s %10s %12s\n", "detector", "correct", "CPU ms/page");
    printf("%-24s %9.1f%% %12.1f\n", "Leptonica pixOrientCorrect", 100.0 * lep_ok / n, 1000 * lep_t / n);
    printf("%-24s %9.1f%% %12.1f\n", "Tesseract OSD", 100.0 * osd_ok / n, 1000 * osd_t / n);
    for (int k = 0; k < NSURE; k++) {
        char name[64];
        snprintf(name, sizeof name, "Leptonica, OSD under %g", sure[k]);
        printf("%-24s %9.1f%% %12.1f   (OSD asked on %d)\n", name, 100.0 * both_ok[k] / n,
               1000 * (lep_t + both_t[k]) / n, asked[k]);
    }
    printf("%-24s %9.1f%% %12.1f\n", "clean.c: up/down first", 100.0 * ud_ok / n, 1000 * ud_t / n);
    printf("%-24s %9.1f%% %12.1f   (OSD asked on %d)\n", "  and OSD if not leaning",
           100.0 * ud_osd_ok / n, 1000 * (ud_t + ud_osd_t) / n, ud_asked);
    return 0;
}
