/* clean.c: what each step of the clean stage costs, and what the cheaper ways of doing it
 * would cost, per page: CPU ms of this thread, averaged over every page given. The steps are
 * those of stages/clean.c in its order; each variant starts from the same input as the step
 * it could replace.
 *
 *   sohoa-clean-bench [--at 150|200] PAGE.tif...   (every page of every file)
 *
 * --at 200 (the default): scans over 230 dpi are scaled to 200 (--ocr-dpi 200);
 * --at 150: scans of 300 dpi and more are halved until under 300 (--ocr-dpi auto).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <leptonica/allheaders.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

enum { GRAY, SCALE_AM, SCALE_LI, SCALE_SMOOTH, SCALE_SAMPLE, SCALE_HALF, GRAY_HALF, BGNORM, THRESH, CC, ORIENT, UPDOWN, SKEW, ROT_AM, ROT_SHEAR,
       ROT_SAMPLE, NSTEP };
static const char *name[NSTEP] = {
    [GRAY] = "gray (red channel / depth to 8)",
    [SCALE_AM] = "scale, area map (the one used)",
    [SCALE_LI] = "  or linear interpolation",
    [SCALE_SMOOTH] = "  or smoothed then sampled",
    [SCALE_SAMPLE] = "  or sampled",
    [SCALE_HALF] = "  or halved, area map",
    [GRAY_HALF] = "gray and halved in one pass (clean.c)",
    [BGNORM] = "background normalisation",
    [THRESH] = "threshold",
    [CC] = "connected components (blank test)",
    [ORIENT] = "orientation, up/down and left/right",
    [UPDOWN] = "  or up/down first, left/right if unsure",
    [SKEW] = "skew search",
    [ROT_AM] = "deskew rotation, area map",
    [ROT_SHEAR] = "  or by shear",
    [ROT_SAMPLE] = "  or sampled",
};

static double cost[NSTEP];
static int runs[NSTEP];

#define TIMED(step, expr)                                                                    \
    do {                                                                                     \
        double t0_ = now();                                                                  \
        expr;                                                                                \
        cost[step] += now() - t0_;                                                           \
        runs[step]++;                                                                        \
    } while (0)

int main(int argc, char **argv)
{
    int pages = 0, orient_same = 0, at = 200, first = 1;
    setMsgSeverity(L_SEVERITY_NONE);
    if (argc > 2 && strcmp(argv[1], "--at") == 0) {
        at = atoi(argv[2]);
        first = 3;
    }
    for (int a = first; a < argc; a++) {
        for (int page = 0;; page++) {
            PIX *pix = pixReadTiff(argv[a], page);
            if (!pix)
                break;
            pages++;
            PIX *gray, *small, *li, *norm, *bin, *up, *rot;
            l_int32 xres = pixGetXRes(pix) > 0 ? pixGetXRes(pix) : 300;
            TIMED(GRAY, gray = pixGetDepth(pix) == 32   ? pixGetRGBComponent(pix, COLOR_RED)
                               : pixGetDepth(pix) == 1 ? pixConvert1To8(NULL, pix, 255, 0)
                                                       : pixConvertTo8(pix, 0));
            if (at == 150 && xres >= 300) {
                TIMED(SCALE_HALF, small = pixScaleAreaMap2(gray));
                PIX *fused;
                TIMED(GRAY_HALF, fused = pixGetDepth(pix) == 32 ? pixScaleRGBToGray2(pix, 1, 0, 0)
                                         : pixGetDepth(pix) == 1 ? pixScaleToGray2(pix)
                                                                 : pixScaleAreaMap2(pix));
                pixDestroy(&fused);
            } else if (at == 200 && xres > 230) {
                float f = 200.0f / xres;
                TIMED(SCALE_AM, small = pixScaleAreaMap(gray, f, f));
                TIMED(SCALE_LI, li = pixScaleGrayLI(gray, f, f));
                pixDestroy(&li);
                TIMED(SCALE_SMOOTH, li = pixScaleSmooth(gray, f, f));
                pixDestroy(&li);
                TIMED(SCALE_SAMPLE, li = pixScaleBySampling(gray, f, f));
                pixDestroy(&li);
                TIMED(SCALE_HALF, li = pixScaleAreaMap2(gray));
                pixDestroy(&li);
            } else {
                small = pixClone(gray);
            }
            TIMED(BGNORM, norm = pixBackgroundNormSimple(small, NULL, NULL));
            TIMED(THRESH, bin = pixThresholdToBinary(norm, 120));
            BOXA *boxa;
            TIMED(CC, boxa = pixConnComp(bin, NULL, 8));
            boxaDestroy(&boxa);
            l_float32 upconf = 0, leftconf = 0, conf2 = 0;
            l_int32 rotation = 0;
            TIMED(ORIENT, up = pixOrientCorrect(bin, 0.0f, 0.0f, &upconf, &leftconf, &rotation, 0));
            int rot2 = -1;
            TIMED(UPDOWN, {
                pixUpDownDetect(bin, &conf2, 0, 0, 0);
                if (fabsf(conf2) >= 8.0f)
                    rot2 = conf2 > 0 ? 0 : 180;
                else {
                    l_int32 r = 0;
                    PIX *u2 = pixOrientCorrect(bin, 0.0f, 0.0f, NULL, NULL, &r, 0);
                    rot2 = r;
                    pixDestroy(&u2);
                }
            });
            orient_same += rot2 == rotation;
            l_float32 angle = 0, conf = 0;
            TIMED(SKEW, pixFindSkew(up, &angle, &conf));
            float rad = angle * (float)M_PI / 180.0f;
            if (fabsf(angle) < 0.05f)
                rad = 0.02f; /* every page pays a rotation here: its cost is the question */
            TIMED(ROT_AM, rot = pixRotate(norm, rad, L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0));
            pixDestroy(&rot);
            TIMED(ROT_SHEAR, rot = pixRotate(norm, rad, L_ROTATE_SHEAR, L_BRING_IN_WHITE, 0, 0));
            pixDestroy(&rot);
            TIMED(ROT_SAMPLE,
                  rot = pixRotate(norm, rad, L_ROTATE_SAMPLING, L_BRING_IN_WHITE, 0, 0));
            pixDestroy(&rot);
            pixDestroy(&up);
            pixDestroy(&bin);
            pixDestroy(&norm);
            pixDestroy(&small);
            pixDestroy(&gray);
            pixDestroy(&pix);
        }
    }
    if (!pages) {
        fprintf(stderr, "usage: sohoa-clean-bench PAGE.tif...\n");
        return 1;
    }
    printf("%-44s %8s %6s\n", "step (CPU of one thread)", "ms/page", "pages");
    for (int s = 0; s < NSTEP; s++)
        printf("%-44s %8.2f %6d\n", name[s], runs[s] ? 1000 * cost[s] / runs[s] : 0, runs[s]);
    printf("up/down first gives the same turn as both detectors on %d of %d pages\n",
           orient_same, pages);
    return 0;
}
