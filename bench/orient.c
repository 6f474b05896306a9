/* orient.c: which way up? Leptonica's detector against Tesseract's OSD on the same pages
 * turned 0/90/180/270 degrees: how often each is right and what it costs. It measures the
 * choice clean.c makes (Leptonica on the flattened, thresholded page at 200 dpi).
 *
 *   sohoa-orient [--at 150|200] PAGE.tif...   (every page of every file, all four turns)
 *
 * --at 150: scans of 300 dpi and more halved, as clean.c looks at them under --ocr-dpi auto
 * (the default); --at 200: scaled to 200 dpi, as under --ocr-dpi 200.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <leptonica/allheaders.h>

#include "tess.h"

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

/* clean.c's lept_orientation: the clockwise turn to upright, or -1 when unsure */
static int lept(PIX *bin)
{
    l_float32 up = 0, left = 0;
    l_int32 rot = 0;
    if (pixUpDownDetect(bin, &up, 0, 0, 0) == 0 && fabsf(up) >= UPDOWN_SURE)
        return up > 0 ? 0 : 180;
    PIX *f = pixOrientCorrect(bin, 0.0f, 0.0f, &up, &left, &rot, 0);
    pixDestroy(&f);
    if (rot != 0 || fabsf(up) >= 8 || fabsf(left) >= 8)
        return rot;
    if (fabsf(up) >= UPDOWN_LEAN && fabsf(up) >= 2 * fabsf(left))
        return up > 0 ? 0 : 180;
    return -1;
}

/* clean.c's scan_binary: the page at its own resolution, thresholded */
static PIX *native_binary(PIX *pix)
{
    if (pixGetDepth(pix) == 1)
        return pixClone(pix);
    PIX *g = pixGetDepth(pix) == 32 ? pixGetRGBComponent(pix, COLOR_RED) : pixConvertTo8(pix, 0);
    PIX *n = pixBackgroundNormSimple(g, NULL, NULL), *b = pixThresholdToBinary(n, 120);
    pixDestroy(&n);
    pixDestroy(&g);
    return b;
}

int main(int argc, char **argv)
{
    /* clean.c's ORIENT_SURE and the thresholds around it */
    static const float sure[] = {4, 6, 8, 10, 12};
    enum { NSURE = sizeof sure / sizeof sure[0] };
    int n = 0, lep_ok = 0, osd_ok = 0, both_ok[NSURE] = {0}, asked[NSURE] = {0};
    double lep_t = 0, osd_t = 0, both_t[NSURE] = {0};
    /* clean.c's way: up/down alone first; both detectors only when it is unsure */
    int ud_ok = 0, ud_osd_ok = 0, ud_asked = 0, fine_ok = 0, fine_asked = 0;
    double ud_t = 0, ud_osd_t = 0, fine_t = 0, fine_osd_t = 0;
    sh_error err = {0};
    if (sh_tess_load(&err) < 0) {
        fprintf(stderr, "sohoa-orient: %s\n", err.msg);
        return 1;
    }
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
            PIX *norm = prepare(pix, at), *fine = NULL;
            if (pixGetXRes(pix) > pixGetXRes(norm) * 1.3)
                fine = native_binary(pix);
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
                int ud_rot = lept(bin);
                ud_t += now() - t0;
                int fine_rot = ud_rot;
                if (ud_rot < 0 && fine) { /* clean.c's second look, at the scan's resolution */
                    t0 = now();
                    PIX *fturned = turns ? pixRotateOrth(fine, turns) : pixClone(fine);
                    fine_rot = lept(fturned);
                    pixDestroy(&fturned);
                    fine_t += now() - t0;
                }
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
                ud_ok += ud_rot == want;
                ud_asked += ud_rot < 0;
                ud_osd_t += ud_rot < 0 ? osd_cost : 0;
                ud_osd_ok += (ud_rot >= 0 ? ud_rot : conf >= 2 && deg >= 0 ? deg : 0) == want;
                fine_ok += (fine_rot >= 0 ? fine_rot : conf >= 2 && deg >= 0 ? deg : 0) == want;
                fine_asked += fine_rot < 0;
                fine_osd_t += fine_rot < 0 ? osd_cost : 0;
                n++;
                pixDestroy(&fixed);
                pixDestroy(&bin);
                pixDestroy(&turned);
            }
            pixDestroy(&norm);
            pixDestroy(&fine);
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
    printf("%-24s %9.1f%% %12.1f   (unsure on %d)\n", "up/down first, or leaning",
           100.0 * ud_ok / n, 1000 * ud_t / n, ud_asked);
    printf("%-24s %9.1f%% %12.1f   (OSD asked on %d)\n", "  and OSD if unsure",
           100.0 * ud_osd_ok / n, 1000 * (ud_t + ud_osd_t) / n, ud_asked);
    printf("%-24s %9.1f%% %12.1f   (OSD asked on %d)\n", "clean.c: again at scan dpi",
           100.0 * fine_ok / n, 1000 * (ud_t + fine_t + fine_osd_t) / n, fine_asked);
    return 0;
}
