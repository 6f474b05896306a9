/* clean.c: the clean stage: what the recogniser needs to see, and what the catalog should
 * know, of a scanned page: blank separator sheet or not, which way up, how skewed.
 *
 * The archived image is not touched here: the stage builds a separate upright, straight,
 * background-flattened gray copy for OCR and records how it was made (sh_geometry) so the
 * text layer can be laid back onto the scan as scanned. All Leptonica, all in-process.
 * Only on request (--deskew-image, an access copy) does a skewed page's archived raster
 * become the straightened scan.
 */
#include <math.h>
#include <stdlib.h>

#include <leptonica/allheaders.h>

#include "sohoa/stage.h"
#include "tess.h"

/* Blank sheet: after flattening the background and dropping the margins (scanner edges,
 * punch holes) and specks (dust, show-through), a page with text still has hundreds of
 * text-sized marks; a separator sheet has a handful. */
#define MARGIN 0.07
#define BLANK_MAX_COMPONENTS 12
#define BLANK_MAX_INK 0.0015
/* pixFindSkew's confidence below which its angle is noise (LIBS.md: >= 3) */
#define SKEW_MIN_CONF 3.0
/* Any skew the finder is sure of is corrected. On generated pages the recogniser reads
 * slight skew (under a degree) a little better unresampled (CER 0.823 % against 0.875 % on
 * 51 pages, |skew| <= 3), but on the corpus's three-column UNLV page, 0.39 degrees off,
 * Tesseract's block order then changes and its CER doubles (4.7 % -> 9.4 %); past about
 * 2.5 degrees it loses whole lines. */
#define SKEW_MIN_DEG 0.05
/* Leptonica's up/down or left/right confidence under which it is not sure, and OSD's own
 * confidence under which its answer is not taken */
#define ORIENT_SURE 8.0
#define OSD_SURE 2.0
/* Up/down confidence from which the left/right detector is not asked: text read this
 * surely along its lines is not on its side (bench/orient.c: the same turn on every page,
 * at two thirds of the cost). Below it, a page whose up/down reading is at least
 * UPDOWN_LEAN and twice its left/right one is taken the way up/down leans, without OSD:
 * on 480 upright and upside-down turns of 120 generated pages that sign was never wrong,
 * and none of 456 sideways turns leaned so (bench/orient.c). */
#define UPDOWN_SURE 8.0f
#define UPDOWN_LEAN 2.0f
/* The resolution chosen from the text (--ocr-dpi auto): the page is looked at from about
 * 150 dpi (a 300-dpi scan halved, the cheapest reduction there is), and recognised at the
 * lowest of that, 200 dpi and the scan's own at which its letters (the median mark, with
 * their diacritics) are TEXT_MIN_PX tall. Generated 300-dpi pages read at 150 dpi against
 * 200 (bench/ocr.sh --body-pt N): body text of 10 pt (median mark 11-12 px at 150 dpi)
 * and more reads as well, 9 pt (10-11 px) and 8 pt (9-10 px) lose 1-2 points of CER that
 * 200 dpi gives back. 12 px sends 10 pt to 200 dpi too: a margin. */
#define ANALYSIS_DPI 150.0
#define TEXT_MIN_PX 12

static bool clean_enabled(const sh_options *o) { return o->ocr; }

static PIX *to_gray(PIX *pix)
{
    switch (pixGetDepth(pix)) {
    case 1: return pixConvert1To8(NULL, pix, 255, 0);
    /* Colour scans: the red channel. Black and blue ink stay dark in it, while red seals
     * and stamps (over signatures and the last lines of results) turn into paper, so the
     * recogniser is not fooled into reading them as a picture block. */
    case 32: return pixGetRGBComponent(pix, COLOR_RED);
    default: return pixConvertTo8(pix, 0);
    }
}

/* The median of n heights, each under max: a count per height, no sort. */
static l_int32 median_height(PIXA *pa, l_int32 n, l_int32 max)
{
    l_int32 *count = calloc((size_t)max + 1, sizeof *count), h = 0, seen = 0;
    if (!count)
        return 0;
    for (l_int32 i = 0; i < n; i++)
        if (pixaGetBoxGeometry(pa, i, NULL, NULL, NULL, &h) == 0 && h >= 0 && h <= max)
            count[h]++;
    for (h = 0; h <= max && (seen += count[h]) * 2 < n; h++)
        ;
    free(count);
    return h;
}

/* Counts the text-sized marks inside the margins of a binary page, their ink and their
 * median height (in pixels): one pass over the page's connected components, then
 * selections among them. */
static void measure_ink(PIX *bin, double dpi, float *ink, unsigned *components,
                        l_int32 *text_px)
{
    l_int32 w = pixGetWidth(bin), h = pixGetHeight(bin), count = 0;
    BOX *inner = boxCreate((l_int32)(w * MARGIN), (l_int32)(h * MARGIN),
                           (l_int32)(w * (1 - 2 * MARGIN)), (l_int32)(h * (1 - 2 * MARGIN)));
    PIX *clip = pixClipRectangle(bin, inner, NULL);
    PIXA *all = NULL, *marks = NULL, *text = NULL;
    /* a mark is at least ~0.3 mm and at most ~12 mm: dust and edges are neither */
    l_int32 small = L_MAX(2, (l_int32)(dpi / 80)), large = (l_int32)(dpi / 2);

    *ink = 0;
    *components = 0;
    *text_px = 0;
    BOXA *boxes = clip ? pixConnComp(clip, &all, 8) : NULL;
    if (all)
        marks = pixaSelectBySize(all, small, small, L_SELECT_IF_EITHER, L_SELECT_IF_GTE, NULL);
    if (marks)
        text = pixaSelectBySize(marks, large, large, L_SELECT_IF_BOTH, L_SELECT_IF_LT, NULL);
    if (text) {
        l_int32 n = pixaGetCount(text);
        for (l_int32 i = 0; i < n; i++) {
            PIX *c = pixaGetPix(text, i, L_CLONE);
            l_int32 k = 0;
            pixCountPixels(c, &k, NULL);
            count += k;
            pixDestroy(&c);
        }
        *ink = (float)count / ((float)pixGetWidth(clip) * pixGetHeight(clip));
        *components = (unsigned)n;
        *text_px = n ? median_height(text, n, large) : 0;
    }
    pixaDestroy(&text);
    pixaDestroy(&marks);
    pixaDestroy(&all);
    boxaDestroy(&boxes);
    pixDestroy(&clip);
    boxDestroy(&inner);
}

/* A TIFF Orientation tag is applied first, as the PDF applies it, so OCR reads what a
 * viewer shows: each tag is a left-right flip (or not) followed by quarter turns. */
static const struct { bool flip; int turns; } tag[9] = {
    [1] = {false, 0}, [2] = {true, 0}, [3] = {false, 2}, [4] = {true, 2},
    [5] = {true, 3},  [6] = {false, 1}, [7] = {true, 1}, [8] = {false, 3},
};

/* gray turned as tag o says; gray is consumed. NULL when out of memory. */
static PIX *apply_tag(PIX *gray, int o)
{
    if (!tag[o].flip && !tag[o].turns)
        return gray;
    PIX *flipped = tag[o].flip ? pixFlipLR(NULL, gray) : pixClone(gray);
    PIX *turned = flipped && tag[o].turns ? pixRotateOrth(flipped, tag[o].turns) : pixClone(flipped);
    pixDestroy(&flipped);
    pixDestroy(&gray);
    return turned;
}

/* The gray page at ANALYSIS_DPI or a little more: halved while twice that fits, the first
 * halving done with the conversion to gray (Leptonica's 2x area-map reductions from 1 bit,
 * from RGB keeping the red channel as to_gray does, and of 8-bit gray). */
static PIX *gray_halved(PIX *pix, double *dpi, double *scale)
{
    PIX *g = NULL;
    if (*dpi < 2 * ANALYSIS_DPI)
        return to_gray(pix);
    switch (pixGetDepth(pix)) {
    case 1: g = pixScaleToGray2(pix); break;
    case 32: g = pixScaleRGBToGray2(pix, 1.0f, 0.0f, 0.0f); break;
    default: {
        /* 8-bit gray halved where it lies; other depths made gray first */
        PIX *full = pixGetDepth(pix) == 8 && !pixGetColormap(pix) ? pixClone(pix) : to_gray(pix);
        g = full ? pixScaleAreaMap2(full) : NULL;
        pixDestroy(&full);
    }
    }
    for (*dpi /= 2, *scale /= 2; g && *dpi >= 2 * ANALYSIS_DPI; *dpi /= 2, *scale /= 2) {
        PIX *half = pixScaleAreaMap2(g);
        pixDestroy(&g);
        g = half;
    }
    return g;
}

/* Leptonica's answer to which way up a binary page is: the clockwise quarter turns, in
 * degrees, that make it upright, or -1 when it cannot tell; *conf, how sure it is. */
static int lept_orientation(PIX *bin, float *conf)
{
    l_float32 up = 0, left = 0;
    l_int32 rotation = 0;
    if (pixUpDownDetect(bin, &up, 0, 0, 0) == 0 && fabsf(up) >= UPDOWN_SURE) {
        *conf = fabsf(up);
        return up > 0 ? 0 : 180;
    }
    PIX *turned = pixOrientCorrect(bin, 0.0f, 0.0f, &up, &left, &rotation, 0);
    pixDestroy(&turned);
    *conf = fmaxf(fabsf(up), fabsf(left));
    if (rotation != 0 || *conf >= ORIENT_SURE)
        return rotation; /* decided; or sure readings that disagree: as scanned */
    if (fabsf(up) >= UPDOWN_LEAN && fabsf(up) >= 2 * fabsf(left))
        return up > 0 ? 0 : 180;
    return -1;
}

/* The scan itself as a binary page (its Orientation tag applied), thresholded as the
 * page looked at is. */
static PIX *scan_binary(PIX *pix, int o)
{
    if (pixGetDepth(pix) == 1)
        return apply_tag(pixClone(pix), o);
    PIX *gray = to_gray(pix), *flat = NULL, *bin = NULL;
    gray = gray ? apply_tag(gray, o) : NULL;
    flat = gray ? pixBackgroundNormSimple(gray, NULL, NULL) : NULL;
    bin = flat ? pixThresholdToBinary(flat, 120) : NULL;
    pixDestroy(&flat);
    pixDestroy(&gray);
    return bin;
}

typedef struct clean_state {
    double ocr_dpi; /* 0: recognise at the scan's own resolution; SH_OCR_DPI_AUTO */
    bool deskew_image;
    int jpeg_quality;
    bool osd;       /* Tesseract is there */
} clean_state;

static int clean_start(const sh_run *run, void **state, sh_error *err)
{
    clean_state *s = calloc(1, sizeof *s);
    if (!s)
        return sh_fail(err, SH_ENOMEM, "out of memory");
    s->ocr_dpi = run->opt->ocr_dpi;
    s->deskew_image = run->opt->deskew_image;
    s->jpeg_quality = run->opt->jpeg_quality;
    /* Tesseract's OSD for the pages Leptonica is unsure of; Leptonica alone without it */
    s->osd = sh_tess_load(NULL) == 0;
    *state = s;
    return 0;
}

static void clean_stop(void *state) { free(state); }

/* Per worker: a Tesseract engine with only the OSD data, for the unsure pages. */
static int clean_thread_init(void *state, void **local, sh_error *err)
{
    const clean_state *s = state;
    TessBaseAPI *osd = s->osd ? TessBaseAPICreate() : NULL;
    (void)err;
    if (!osd)
        return 0; /* Leptonica alone, then */
    TessBaseAPISetVariable(osd, "debug_file", "/dev/null");
    if (TessBaseAPIInit2(osd, NULL, "osd", OEM_TESSERACT_ONLY) != 0) {
        TessBaseAPIDelete(osd); /* no osd.traineddata: Leptonica alone */
        return 0;
    }
    *local = osd;
    return 0;
}

static void clean_thread_done(void *state, void *local)
{
    (void)state;
    if (local) {
        TessBaseAPIEnd(local);
        TessBaseAPIDelete(local);
    }
}

/* --deskew-image: the archived raster becomes the scan turned by the skew found, about its
 * centre and in its own frame. The OCR copy's frame differs from it by a flip and quarter
 * turns, which commute with that rotation (a flip reverses its sense), so the text layer
 * then maps onto it without the deskew. Bilevel pages stay bilevel (G4, sheared), others
 * become JPEG (area-mapped). A page whose decoded pixels are not its samples (16-bit)
 * keeps its scan: returns 1 then, 0 when done, -1 on error. */
static int straighten_raster(sh_page *p, double rad, int quality, sh_error *err)
{
    const sh_image *img = &p->image;
    bool bilevel = img->bpc == 1;
    l_uint8 *raw = NULL;
    size_t nbytes = 0;
    sh_image fresh = {0};
    int rc = -1;

    if (!bilevel && !(img->bpc == 8 && (img->cs == SH_CS_GRAY || img->cs == SH_CS_RGB)))
        return 1;
    if (pixGetDepth(p->pix) != (bilevel ? 1 : img->cs == SH_CS_GRAY ? 8 : 32))
        return 1;
    PIX *turned = pixRotate(p->pix, (l_float32)(p->geom.mirror ? -rad : rad),
                            bilevel ? L_ROTATE_SHEAR : L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0);
    if (!turned || pixGetRasterData(turned, &raw, &nbytes) != 0) {
        sh_fail(err, SH_ENOMEM, "out of memory straightening page %u", p->index + 1);
        goto out;
    }
    uint32_t w = (uint32_t)pixGetWidth(turned), h = (uint32_t)pixGetHeight(turned);
    rc = bilevel ? sh_image_encode_g4(&fresh, raw, (w + 7) / 8, w, h, err)
                 : sh_image_encode_jpeg(&fresh, raw, w, h, img->cs, quality, err);
    if (rc == 0) {
        free(p->image.data);
        p->image = fresh;
        p->codec = bilevel ? "straightened: ccitt-g4" : "straightened: jpeg";
    }
out:
    lept_free(raw);
    pixDestroy(&turned);
    return rc;
}

static int clean_process(void *state, void *local, void *unit, sh_error *err)
{
    const clean_state *s = state;
    sh_page *p = unit;
    PIX *gray = NULL, *norm = NULL, *bin = NULL, *upright_bin = NULL, *upright = NULL;
    l_int32 rotation = 0;
    l_float32 angle = 0, conf = 0;
    int rc = -1;

    if (!p->pix)
        return 0;
    double dpi = p->dpi_y > 0 ? p->dpi_y : 300, native_dpi = dpi, scale = 1.0;
    bool auto_dpi = s->ocr_dpi == SH_OCR_DPI_AUTO;
    /* Looked at, and recognised, at a lower resolution than scanned where the text allows:
     * Tesseract's time goes with the pixel count, and so does this stage's. Under
     * --ocr-dpi auto a 300-dpi scan is halved as it is made gray, in one pass. */
    if (!(gray = auto_dpi ? gray_halved(p->pix, &dpi, &scale) : to_gray(p->pix)))
        goto nomem;
    int o = p->orientation >= 1 && p->orientation <= 8 ? p->orientation : 1;
    if (!(gray = apply_tag(gray, o)))
        goto nomem;
    if (!auto_dpi && s->ocr_dpi > 0 && dpi > s->ocr_dpi * 1.15) {
        scale = s->ocr_dpi / dpi;
        PIX *small = pixScaleAreaMap(gray, (l_float32)scale, (l_float32)scale);
        if (!small)
            goto nomem;
        pixDestroy(&gray);
        gray = small;
        dpi *= scale;
    }
    /* Flatten the paper (yellowing, shadows, show-through) before any threshold. */
    norm = pixBackgroundNormSimple(gray, NULL, NULL);
    if (!norm)
        norm = pixClone(gray);
    /* Flattened paper sits at 200 (pixBackgroundNormSimple's target): a fixed threshold
     * well under it keeps ink and drops paper noise. (Otsu would split the noise of an
     * empty sheet in two and call half of it ink.) */
    if (!(bin = pixThresholdToBinary(norm, 120)))
        goto nomem;

    l_int32 text_px = 0;
    measure_ink(bin, dpi, &p->ink, &p->components, &text_px);
    /* both few marks and little ink: a crop of a word or two is small but dark */
    p->blank = (p->components <= BLANK_MAX_COMPONENTS && p->ink < BLANK_MAX_INK) ||
               p->ink < BLANK_MAX_INK / 5;
    if (p->blank) {
        rc = 0;
        goto out;
    }

    /* Which way up: Leptonica's detector (ascenders and descenders of Latin script); where
     * it cannot tell at the resolution looked at, Leptonica again on the scan as scanned
     * (more of each letter to go on), and Tesseract's OSD only where that cannot tell
     * either: OSD costs ten to thirty times as much (bench/orient.c) and is no better on
     * the pages Leptonica is sure of. */
    rotation = lept_orientation(bin, &p->orient_conf);
    if (rotation < 0 && native_dpi > dpi * 1.3) {
        PIX *fine = scan_binary(p->pix, o);
        if (fine)
            rotation = lept_orientation(fine, &p->orient_conf);
        pixDestroy(&fine);
    }
    if (rotation < 0 && local) {
        int deg = 0;
        float oconf = 0, sconf = 0;
        const char *script = NULL;
        TessBaseAPISetImage2(local, bin);
        TessBaseAPISetSourceResolution(local, (int)(dpi + 0.5));
        if (TessBaseAPIDetectOrientationScript(local, &deg, &oconf, &script, &sconf) &&
            oconf >= OSD_SURE && deg % 90 == 0) {
            rotation = (360 - deg) % 360; /* OSD gives the counter-clockwise turn */
            p->orient_conf = oconf;
        }
        TessBaseAPIClear(local);
    }
    if (rotation < 0)
        rotation = 0; /* nobody can tell: as scanned */
    if (!(upright_bin = rotation ? pixRotateOrth(bin, rotation / 90) : pixClone(bin)))
        goto nomem;
    p->rotate = rotation;

    /* Letters too small for the resolution looked at: the recogniser gets a finer copy,
     * at 200 dpi, or the scan's own resolution if even that is not enough. */
    if (auto_dpi && text_px > 0 && text_px < TEXT_MIN_PX) {
        double want = dpi * TEXT_MIN_PX / text_px;
        double to = native_dpi > 200 * 1.15 && want <= 200 ? 200 : native_dpi;
        if (to > dpi * 1.05) {
            double f = to / native_dpi;
            PIX *full = to_gray(p->pix);
            full = full ? apply_tag(full, o) : NULL;
            PIX *finer = !full ? NULL
                         : f < 1 ? pixScaleAreaMap(full, (l_float32)f, (l_float32)f)
                                 : pixClone(full);
            pixDestroy(&full);
            PIX *flat = finer ? pixBackgroundNormSimple(finer, NULL, NULL) : NULL;
            if (!flat && finer)
                flat = pixClone(finer);
            pixDestroy(&finer);
            if (!flat)
                goto nomem;
            pixDestroy(&norm);
            norm = flat;
            scale = f;
            dpi = to;
        }
    }
    upright = rotation ? pixRotateOrth(norm, rotation / 90) : pixClone(norm);
    if (!upright)
        goto nomem;

    /* How skewed, on the upright page; a rotation only when the finder is sure. */
    if (pixFindSkew(upright_bin, &angle, &conf) == 0) {
        p->skew_deg = angle;
        p->skew_conf = conf;
    }
    p->geom = (sh_geometry){.scale = scale, .mirror = tag[o].flip,
                            .quarter_turns = (tag[o].turns + rotation / 90) % 4};
    if (conf >= SKEW_MIN_CONF && fabs(angle) >= SKEW_MIN_DEG) {
        double rad = angle * M_PI / 180.0;
        PIX *straight = pixRotate(upright, (l_float32)rad, L_ROTATE_AREA_MAP,
                                  L_BRING_IN_WHITE, 0, 0);
        if (straight) {
            pixDestroy(&upright);
            upright = straight;
            p->geom.deskew_rad = rad;
        }
        if (straight && s->deskew_image) {
            int done = straighten_raster(p, rad, s->jpeg_quality, err);
            if (done < 0)
                goto out;
            if (done == 0)
                p->geom.deskew_rad = 0; /* the archived raster is straight now */
        }
    }
    p->geom.width = (uint32_t)pixGetWidth(upright);
    p->geom.height = (uint32_t)pixGetHeight(upright);
    pixSetResolution(upright, (l_int32)(dpi + 0.5), (l_int32)(dpi + 0.5));
    p->ocr_pix = upright;
    upright = NULL;
    rc = 0;
    goto out;
nomem:
    sh_fail(err, SH_ENOMEM, "out of memory cleaning page %u", p->index + 1);
out:
    pixDestroy(&upright);
    pixDestroy(&upright_bin);
    pixDestroy(&bin);
    pixDestroy(&norm);
    pixDestroy(&gray);
    pixDestroy(&p->pix); /* the decoded scan is not needed past here */
    return rc;
}

const sh_stage sh_stage_clean = {
    .name = "clean",
    .unit = SH_UNIT_PAGE,
    .enabled = clean_enabled,
    .start = clean_start,
    .thread_init = clean_thread_init,
    .process = clean_process,
    .thread_done = clean_thread_done,
    .stop = clean_stop,
};
