/* page.c: what every stage may do with a page: free its parts, and map points of the OCR
 * image back onto the stored raster (the inverse of what clean did). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    if (g->mirror)
        px = sw - px;
    *x = px / g->scale;
    *y = py / g->scale;
}

char *sh_page_text(const sh_page *p)
{
    size_t len = 0;
    char *buf = NULL;
    FILE *f = open_memstream(&buf, &len);

    if (!f)
        return NULL;
    for (size_t i = 0; i < p->nwords; i++) {
        if (i > 0)
            fputc(p->words[i].line_start ? '\n' : ' ', f);
        fputs(p->words[i].text, f);
    }
    if (p->nwords)
        fputc('\n', f);
    return fclose(f) == 0 ? buf : (free(buf), NULL);
}

char *sh_page_words_tsv(const sh_page *p)
{
    size_t len = 0;
    char *buf = NULL;
    FILE *f = open_memstream(&buf, &len);

    if (!f)
        return NULL;
    for (size_t i = 0; i < p->nwords; i++) {
        const sh_word *w = &p->words[i];
        double x[4], y[4];
        double cu[4] = {w->box[0], w->box[2], w->box[2], w->box[0]};
        double cv[4] = {w->box[1], w->box[1], w->box[3], w->box[3]};
        for (int k = 0; k < 4; k++)
            sh_geometry_to_raster(&p->geom, p->image.width, p->image.height, cu[k], cv[k],
                                  &x[k], &y[k]);
        double x0 = fmin(fmin(x[0], x[1]), fmin(x[2], x[3]));
        double x1 = fmax(fmax(x[0], x[1]), fmax(x[2], x[3]));
        double y0 = fmin(fmin(y[0], y[1]), fmin(y[2], y[3]));
        double y1 = fmax(fmax(y[0], y[1]), fmax(y[2], y[3]));
        fprintf(f, "%s\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\n", w->text, w->conf, x0, y0, x1, y1);
    }
    return fclose(f) == 0 ? buf : (free(buf), NULL);
}
