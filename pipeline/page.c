/* page.c: what every stage may do with a page: free its parts, and map points of the OCR
 * image back onto the stored raster (the inverse of what clean did). */
#include <math.h>
#include <stdlib.h>

#include <leptonica/allheaders.h>

#include "sohoa/page.h"

void sh_image_free(sh_image *img)
{
    free(img->data);
    img->data = NULL;
    img->len = 0;
}

void sh_page_free_work(sh_page *p)
{
    pixDestroy(&p->pix);
    pixDestroy(&p->ocr_pix);
    for (size_t i = 0; i < p->nwords; i++)
        free(p->words[i].text);
    free(p->words);
    p->words = NULL;
    p->nwords = 0;
}

void sh_geometry_to_raster(const sh_geometry *g, uint32_t raster_w, uint32_t raster_h,
                           double u, double v, double *x, double *y)
{
    /* undo the deskew: it turned the image clockwise by deskew_rad about its centre */
    double cx = g->width / 2.0, cy = g->height / 2.0;
    double c = cos(g->deskew_rad), s = sin(g->deskew_rad);
    double du = u - cx, dv = v - cy;
    double a = cx + c * du + s * dv, b = cy - s * du + c * dv;

    /* undo the quarter turns, in the scaled raster's frame */
    double sw = raster_w * g->scale, sh = raster_h * g->scale, px, py;
    switch (g->quarter_turns & 3) {
    case 1: px = b; py = sh - a; break;      /* it was turned 90 clockwise */
    case 2: px = sw - a; py = sh - b; break;
    case 3: px = sw - b; py = a; break;      /* 270 clockwise */
    default: px = a; py = b; break;
    }
    *x = px / g->scale;
    *y = py / g->scale;
}
