/* appearance.c: the visible stamps of NĐ 30/2020 and TT 01/2023, as the signature widget's
 * appearance stream: text in an embedded Vietnamese font subset, the red seal and the blue
 * handwritten signature as transparent images at their real size.
 *
 *   digitizer  top-left of page 1: the signer's name, the time
 *   agency     top-right: the seal, then the agency's name and the time beside it
 *   result     lower right: title, the signature image, the name; the seal over the
 *              left third of the signature
 *   copy       top-right: "SAO Y", the agency, the time; no image
 * Positions are measured on page 1 as it is displayed (its /Rotate applied) and can be
 * given; the stamp is turned with the page so that it always reads upright.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>
#include <pthread.h>
#include <zlib.h>

#include "sign_int.h"

#define MARGIN 28.0 /* ~1 cm from the page's edges */
#define DEFAULT_FONT "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"

/* ---- images: a PNG read once per path, RGB and alpha Flate-coded ---- */

typedef struct png_img {
    char *path;
    unsigned w, h;
    unsigned char *rgb, *alpha; /* compressed */
    size_t rgb_len, alpha_len;  /* alpha_len 0: opaque */
    struct png_img *next;
} png_img;

static pthread_mutex_t img_lock = PTHREAD_MUTEX_INITIALIZER;
static png_img *images;

static unsigned char *deflate_buf(const unsigned char *in, size_t n, size_t *out_len)
{
    uLongf zl = compressBound((uLong)n);
    unsigned char *z = malloc(zl);
    if (z && compress2(z, &zl, in, (uLong)n, 6) == Z_OK) {
        *out_len = zl;
        return z;
    }
    free(z);
    return NULL;
}

static const png_img *image_load(const char *path, sh_error *err)
{
    pthread_mutex_lock(&img_lock);
    for (png_img *p = images; p; p = p->next)
        if (strcmp(p->path, path) == 0) {
            pthread_mutex_unlock(&img_lock);
            return p;
        }
    png_image im = {.version = PNG_IMAGE_VERSION};
    png_img *p = calloc(1, sizeof *p);
    unsigned char *px = NULL, *rgb = NULL, *a = NULL;
    if (!p || !png_image_begin_read_from_file(&im, path))
        goto bad;
    im.format = PNG_FORMAT_RGBA;
    if (im.width == 0 || im.height == 0 || im.width > 10000 || im.height > 10000 ||
        !(px = malloc(PNG_IMAGE_SIZE(im))) ||
        !png_image_finish_read(&im, NULL, px, 0, NULL))
        goto bad;
    size_t n = (size_t)im.width * im.height;
    rgb = malloc(3 * n);
    a = malloc(n);
    if (!rgb || !a)
        goto bad;
    bool opaque = true;
    for (size_t i = 0; i < n; i++) {
        memcpy(rgb + 3 * i, px + 4 * i, 3);
        a[i] = px[4 * i + 3];
        opaque &= a[i] == 255;
    }
    p->w = im.width;
    p->h = im.height;
    if (!(p->rgb = deflate_buf(rgb, 3 * n, &p->rgb_len)) ||
        (!opaque && !(p->alpha = deflate_buf(a, n, &p->alpha_len))) || !(p->path = strdup(path)))
        goto bad;
    free(px);
    free(rgb);
    free(a);
    p->next = images;
    images = p;
    pthread_mutex_unlock(&img_lock);
    return p;
bad:
    png_image_free(&im);
    if (p) {
        free(p->rgb);
        free(p->alpha);
    }
    free(p);
    free(px);
    free(rgb);
    free(a);
    pthread_mutex_unlock(&img_lock);
    sh_fail(err, SH_EFORMAT, "%s: not a PNG image sohoa can use for the stamp (%s)", path,
            im.message[0] ? im.message : "out of memory");
    return NULL;
}

/* The image (and its soft mask) as XObjects in the update: the image's object number. */
static unsigned image_write(sh_update *u, const png_img *p)
{
    unsigned img = sh_update_new(u), mask = p->alpha_len ? sh_update_new(u) : 0;
    sh_update_obj(u, img, 0);
    sh_buf_printf(&u->out, "<< /Type /XObject /Subtype /Image /Width %u /Height %u "
                           "/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode "
                           "/Length %zu", p->w, p->h, p->rgb_len);
    if (mask)
        sh_buf_printf(&u->out, " /SMask %u 0 R", mask);
    sh_buf_printf(&u->out, " >>\nstream\n");
    sh_buf_put(&u->out, p->rgb, p->rgb_len);
    sh_buf_printf(&u->out, "\nendstream\nendobj\n");
    if (mask) {
        sh_update_obj(u, mask, 0);
        sh_buf_printf(&u->out, "<< /Type /XObject /Subtype /Image /Width %u /Height %u "
                               "/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode "
                               "/Length %zu >>\nstream\n", p->w, p->h, p->alpha_len);
        sh_buf_put(&u->out, p->alpha, p->alpha_len);
        sh_buf_printf(&u->out, "\nendstream\nendobj\n");
    }
    return img;
}

/* ---- placing a box given on the displayed page ---- */

/* Display size of the page (after /Rotate). */
static void shown_size(const sh_page_geom *g, double *w, double *h)
{
    double pw = g->x1 - g->x0, ph = g->y1 - g->y0;
    bool turned = g->rotate == 90 || g->rotate == 270;
    *w = turned ? ph : pw;
    *h = turned ? pw : ph;
}

void sh_place(const sh_page_geom *g, double dx, double dy, double w, double h, double rect[4],
              char matrix[64])
{
    switch (g->rotate) {
    case 90: /* shown top-left is the user space's bottom-left; right = +y, down = +x */
        rect[0] = g->x0 + dy, rect[1] = g->y0 + dx, rect[2] = g->x0 + dy + h, rect[3] = g->y0 + dx + w;
        snprintf(matrix, 64, "[0 1 -1 0 0 0]");
        break;
    case 180:
        rect[0] = g->x1 - dx - w, rect[1] = g->y0 + dy, rect[2] = g->x1 - dx, rect[3] = g->y0 + dy + h;
        snprintf(matrix, 64, "[-1 0 0 -1 0 0]");
        break;
    case 270:
        rect[0] = g->x1 - dy - h, rect[1] = g->y1 - dx - w, rect[2] = g->x1 - dy, rect[3] = g->y1 - dx;
        snprintf(matrix, 64, "[0 -1 1 0 0 0]");
        break;
    default:
        rect[0] = g->x0 + dx, rect[1] = g->y1 - dy - h, rect[2] = g->x0 + dx + w, rect[3] = g->y1 - dy;
        snprintf(matrix, 64, "[1 0 0 1 0 0]");
    }
}

/* ---- the stamp ---- */

typedef struct line {
    const char *text;
    double w; /* pt */
} line;

/* Writes one line of text with its baseline at (x, y). */
static int text_at(sh_buf *c, sh_font *f, double size, const char *s, double x, double y)
{
    sh_buf_printf(c, "BT /F1 %.2f Tf 1 0 0 1 %.2f %.2f Tm ", size, x, y);
    if (sh_font_encode(f, s, c, NULL) < 0)
        return -1;
    sh_buf_printf(c, " Tj ET\n");
    return 0;
}

int sh_sign_look_check(const sh_signer *s, const sh_sign_look *lk, sh_error *err)
{
    if (!lk || lk->profile == SH_PROFILE_NONE)
        return 0;
    const char *agency = lk->agency && *lk->agency ? lk->agency : s->org;
    if ((lk->profile == SH_PROFILE_AGENCY || lk->profile == SH_PROFILE_COPY) && !*agency)
        return sh_fail(err, SH_EUSAGE, "the %s stamp needs the agency's name (--agency, or an "
                       "O= in the certificate)", lk->profile == SH_PROFILE_COPY ? "copy" : "agency");
    if ((lk->profile == SH_PROFILE_AGENCY || lk->profile == SH_PROFILE_RESULT) && !lk->seal_png)
        return sh_fail(err, SH_EUSAGE, "the %s stamp needs the seal image (--seal PNG)",
                       lk->profile == SH_PROFILE_AGENCY ? "agency" : "result");
    if (lk->profile == SH_PROFILE_RESULT && !lk->sig_png)
        return sh_fail(err, SH_EUSAGE, "the result stamp needs the signer's signature image "
                       "(--signature-image PNG)");
    /* read (and keep) what the stamp draws with now: a bad file fails before any PDF */
    if ((lk->profile == SH_PROFILE_AGENCY || lk->profile == SH_PROFILE_RESULT) &&
        !image_load(lk->seal_png, err))
        return -1;
    if (lk->profile == SH_PROFILE_RESULT && !image_load(lk->sig_png, err))
        return -1;
    sh_font *f = sh_font_open(lk->font && *lk->font ? lk->font : DEFAULT_FONT, err);
    if (!f)
        return -1;
    sh_font_close(f);
    return 0;
}

int sh_stamp_write(sh_update *u, const sh_signer *s, const sh_sign_request *rq,
                   const sh_page_geom *g, double rect[4], unsigned *ap, sh_error *err)
{
    const sh_sign_look *lk = rq->look;
    double fs = lk->font_size > 0 ? lk->font_size : 10, lh = fs * 1.3;
    double dpi = lk->seal_dpi > 0 ? lk->seal_dpi : 300;
    const char *name = lk->name && *lk->name ? lk->name : s->name;
    const char *agency = lk->agency && *lk->agency ? lk->agency : s->org;
    char when[32];
    sh_sign_time_shown(rq->when, when);

    if (sh_sign_look_check(s, lk, err) < 0)
        return -1;

    const png_img *seal = NULL, *sig = NULL;
    if ((lk->profile == SH_PROFILE_AGENCY || lk->profile == SH_PROFILE_RESULT) &&
        !(seal = image_load(lk->seal_png, err)))
        return -1;
    if (lk->profile == SH_PROFILE_RESULT && !(sig = image_load(lk->sig_png, err)))
        return -1;
    sh_font *f = sh_font_open(lk->font && *lk->font ? lk->font : DEFAULT_FONT, err);
    if (!f)
        return -1;

    /* the lines of text, by profile */
    line ln[4];
    int nl = 0;
    char sao_y[] = "SAO Y";
    switch (lk->profile) {
    case SH_PROFILE_DIGITIZER:
        ln[nl++].text = name;
        ln[nl++].text = when;
        break;
    case SH_PROFILE_AGENCY:
        ln[nl++].text = agency;
        ln[nl++].text = when;
        break;
    case SH_PROFILE_COPY:
        ln[nl++].text = sao_y;
        ln[nl++].text = agency;
        ln[nl++].text = when;
        break;
    case SH_PROFILE_RESULT:
        ln[nl++].text = lk->title && *lk->title ? lk->title : "";
        ln[nl++].text = name;
        ln[nl++].text = when;
        break;
    default:
        break;
    }
    double text_w = 0;
    for (int i = 0; i < nl; i++) {
        ln[i].w = sh_font_width(f, ln[i].text) * fs / 1000;
        if (ln[i].w > text_w)
            text_w = ln[i].w;
    }
    double asc = sh_font_ascent(f) * fs / 1000, pad = 2;

    /* the box and its content, in the box's own coordinates (origin bottom-left) */
    sh_buf c = {0};
    double bw = 0, bh = 0;
    double sw = seal ? seal->w * 72.0 / dpi : 0, shh = seal ? seal->h * 72.0 / dpi : 0;
    double gw = sig ? sig->w * 72.0 / dpi : 0, gh = sig ? sig->h * 72.0 / dpi : 0;
    int rc = 0;
    sh_buf_printf(&c, "q 0 g\n");
    if (lk->profile == SH_PROFILE_DIGITIZER || lk->profile == SH_PROFILE_COPY) {
        bw = text_w + 2 * pad;
        bh = nl * lh + 2 * pad;
        for (int i = 0; i < nl && rc == 0; i++)
            rc = text_at(&c, f, fs, ln[i].text, pad, bh - pad - asc - i * lh);
    } else if (lk->profile == SH_PROFILE_AGENCY) {
        double gap = 6, th = nl * lh;
        bw = sw + gap + text_w + pad;
        bh = (shh > th ? shh : th) + 2 * pad;
        sh_buf_printf(&c, "q %.2f 0 0 %.2f 0 %.2f cm /Im1 Do Q\n", sw, shh, (bh - shh) / 2);
        double top = (bh + th) / 2;
        for (int i = 0; i < nl && rc == 0; i++)
            rc = text_at(&c, f, fs, ln[i].text, sw + gap, top - asc - i * lh);
    } else { /* result: title / signature (seal over its left third) / name / time */
        double left = sw / 2 > gw / 6 ? sw / 2 - gw / 6 : 0; /* room for the seal's left half */
        double inner = gw > text_w ? gw : text_w;
        bw = left + inner + 2 * pad;
        double sig_block = gh > shh ? gh : shh;
        bh = 3 * lh + sig_block + 2 * pad;
        double cx = left + pad + inner / 2, y = bh - pad - asc;
        rc = text_at(&c, f, fs, ln[0].text, cx - ln[0].w / 2, y);
        double sig_y = bh - pad - lh - sig_block + (sig_block - gh) / 2;
        double sig_x = cx - gw / 2;
        sh_buf_printf(&c, "q %.2f 0 0 %.2f %.2f %.2f cm /Im2 Do Q\n", gw, gh, sig_x, sig_y);
        double seal_cx = sig_x + gw / 6, seal_cy = sig_y + gh / 2;
        sh_buf_printf(&c, "q %.2f 0 0 %.2f %.2f %.2f cm /Im1 Do Q\n", sw, shh, seal_cx - sw / 2,
                      seal_cy - shh / 2);
        y = bh - pad - lh - sig_block - asc;
        for (int i = 1; i < nl && rc == 0; i++, y -= lh)
            rc = text_at(&c, f, fs, ln[i].text, cx - ln[i].w / 2, y);
    }
    sh_buf_printf(&c, "Q\n");

    /* where: given, else by profile */
    double pw, ph, dx = lk->x, dy = lk->y;
    shown_size(g, &pw, &ph);
    if (dx < 0 || dy < 0) {
        switch (lk->profile) {
        case SH_PROFILE_DIGITIZER: dx = MARGIN, dy = MARGIN; break;
        case SH_PROFILE_RESULT: dx = pw - MARGIN - bw, dy = ph - 2 * MARGIN - bh; break;
        default: dx = pw - MARGIN - bw, dy = MARGIN; break;
        }
        if (dx < 0)
            dx = 0;
        if (dy < 0)
            dy = 0;
    }
    char matrix[64];
    sh_place(g, dx, dy, bw, bh, rect, matrix);

    unsigned font = rc == 0 && !c.oom ? sh_font_write(f, u, err) : 0;
    sh_font_close(f);
    if (!font) {
        sh_buf_free(&c);
        return rc < 0 || c.oom ? sh_fail(err, SH_ENOMEM, "out of memory") : -1;
    }
    unsigned im1 = seal ? image_write(u, seal) : 0, im2 = sig ? image_write(u, sig) : 0;
    *ap = sh_update_new(u);
    sh_update_obj(u, *ap, 0);
    sh_buf_printf(&u->out, "<< /Type /XObject /Subtype /Form /BBox [0 0 %.2f %.2f] /Matrix %s\n"
                           "/Resources << /Font << /F1 %u 0 R >>", bw, bh, matrix, font);
    if (im1 || im2) {
        sh_buf_printf(&u->out, " /XObject <<");
        if (im1)
            sh_buf_printf(&u->out, " /Im1 %u 0 R", im1);
        if (im2)
            sh_buf_printf(&u->out, " /Im2 %u 0 R", im2);
        sh_buf_printf(&u->out, " >>");
    }
    sh_buf_printf(&u->out, " >>\n/Length %zu >>\nstream\n", c.n);
    sh_buf_put(&u->out, c.p, c.n);
    sh_buf_printf(&u->out, "\nendstream\nendobj\n");
    sh_buf_free(&c);
    return u->out.oom ? sh_fail(err, SH_ENOMEM, "out of memory") : 0;
}
