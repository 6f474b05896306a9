/* scan.c: what paper and a scanner do to a clean rendering: tinted paper, a red seal and a
 * blue signature, skew, a sheet fed upside down, optical blur, paper texture, dust, ink
 * dropouts, the dark strip beyond a sheet's edge. Pixels only; sohoa-gen decides which
 * effects a page gets, and every random choice comes from the page's own generator. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

#define PI 3.14159265358979323846
#define ROT_PAD 2048 /* keeps rotated source coordinates positive */

int img_alloc(gen_img *im, int w, int h, int ch, uint8_t fill)
{
    im->w = w;
    im->h = h;
    im->ch = ch;
    im->px = malloc((size_t)w * (size_t)h * (size_t)ch);
    if (!im->px)
        return -1;
    memset(im->px, fill, (size_t)w * (size_t)h * (size_t)ch);
    return 0;
}

void img_free(gen_img *im)
{
    free(im->px);
    im->px = NULL;
}

static uint8_t *at(const gen_img *im, int x, int y)
{
    return im->px + ((size_t)y * (size_t)im->w + (size_t)x) * (size_t)im->ch;
}

void img_fill_rect(gen_img *im, gen_rect r, const uint8_t *ink)
{
    int x0 = r.x < 0 ? 0 : r.x, y0 = r.y < 0 ? 0 : r.y;
    int x1 = r.x + r.w > im->w ? im->w : r.x + r.w, y1 = r.y + r.h > im->h ? im->h : r.y + r.h;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
            memcpy(at(im, x, y), ink, (size_t)im->ch);
}

void img_to_rgb(const gen_img *gray, gen_img *rgb, const uint8_t paper[3])
{
    size_t n = (size_t)gray->w * (size_t)gray->h;
    for (size_t i = 0; i < n; i++) {
        unsigned g = gray->px[i];
        for (int c = 0; c < 3; c++)
            rgb->px[i * 3 + (size_t)c] = (uint8_t)((g * paper[c] + 127) / 255);
    }
}

/* Ink multiplies what is under it, as on paper: a seal over text leaves the text dark. */
static void blend(gen_img *im, int x, int y, int cov, const uint8_t *ink)
{
    if (cov <= 0 || x < 0 || y < 0 || x >= im->w || y >= im->h)
        return;
    if (cov > 255)
        cov = 255;
    uint8_t *p = at(im, x, y);
    for (int c = 0; c < im->ch; c++) {
        int keep = 255 - cov * (255 - ink[c]) / 255;
        p[c] = (uint8_t)((p[c] * keep + 127) / 255);
    }
}

/* A hand signature: a looping stroke with a pen of about 0.5 mm, and a flourish under it. */
void img_signature(gen_img *im, gen_rect area, const uint8_t *ink, int dpi, gen_rng *r)
{
    double pen = dpi * 0.25 / 25.4;
    int pad = (int)pen + 2;
    int bw = area.w + 2 * pad, bh = area.h + 2 * pad;
    uint8_t *cov = calloc((size_t)bw * (size_t)bh, 1);
    if (!cov)
        return;
    double sw = area.w * (0.35 + 0.15 * rng_unit(r)), sx = area.w * 0.5 - sw / 2;
    double cy = area.h * 0.5, amp = area.h * 0.28;
    double f1 = 3 + 2 * rng_unit(r), f2 = 1.5 + rng_unit(r), f3 = 4 + 2 * rng_unit(r);
    double p1 = 2 * PI * rng_unit(r), p2 = 2 * PI * rng_unit(r), p3 = 2 * PI * rng_unit(r);
    int n = (int)(sw * 6);
    for (int i = 0; i <= n + n / 3; i++) {
        double t = (double)i / n, x, y;
        if (i <= n) {
            x = sx + sw * t + sw * 0.07 * sin(2 * PI * f1 * t + p1);
            y = cy + amp * (0.6 * sin(2 * PI * f2 * t + p2) + 0.4 * sin(2 * PI * f3 * t + p3)) * (1 - 0.4 * t);
        } else { /* the flourish: back under the name, rising a little */
            double u = (t - 1) * 3;
            x = sx + sw * (1.05 - 1.1 * u);
            y = cy + amp * (0.95 - 0.25 * u);
        }
        x += pad;
        y += pad;
        for (int yy = (int)(y - pen - 1); yy <= (int)(y + pen + 1); yy++)
            for (int xx = (int)(x - pen - 1); xx <= (int)(x + pen + 1); xx++) {
                if (xx < 0 || yy < 0 || xx >= bw || yy >= bh)
                    continue;
                double d = hypot(xx - x, yy - y), c = pen + 0.5 - d;
                int v = c >= 1 ? 255 : c <= 0 ? 0 : (int)(c * 255);
                uint8_t *q = &cov[(size_t)yy * (size_t)bw + (size_t)xx];
                if (v > *q)
                    *q = (uint8_t)v;
            }
    }
    for (int y = 0; y < bh; y++)
        for (int x = 0; x < bw; x++)
            blend(im, area.x - pad + x, area.y - pad + y, cov[(size_t)y * (size_t)bw + (size_t)x] * 9 / 10, ink);
    free(cov);
}

static double ring(double d, double centre, double thick)
{
    double c = thick / 2 + 0.5 - fabs(d - centre);
    return c < 0 ? 0 : c > 1 ? 1 : c;
}

static int in_star(double x, double y, double ro, double ri)
{
    double a = atan2(y, x) + PI / 2, d = hypot(x, y);
    double seg = 2 * PI / 10, k = fmod(a + 20 * PI, 2 * seg) / seg; /* 0..2 across a point */
    double lim = k < 1 ? ro + (ri - ro) * k : ri + (ro - ri) * (k - 1);
    return d <= lim * (1 - 0.25 * sin(PI * (k < 1 ? k : 2 - k))); /* concave edges */
}

/* A round official seal: two rings and a star, unevenly inked. No lettering: every word on
 * the page must be in the ground truth. */
void img_seal(gen_img *im, int cx, int cy, int radius, const uint8_t *ink, gen_rng *r)
{
    double R = radius, t = R * 0.07;
    double ro = R * 0.3, ri = R * 0.12;
    uint64_t bits = 0;
    int nbits = 0;
    for (int y = -radius - 2; y <= radius + 2; y++)
        for (int x = -radius - 2; x <= radius + 2; x++) {
            double d = hypot(x, y), c = ring(d, R - t / 2, t);
            double c2 = ring(d, R * 0.74, t * 0.6);
            if (c2 > c)
                c = c2;
            if (d < ro + 2) {
                int s = in_star(x - 0.25, y - 0.25, ro, ri) + in_star(x + 0.25, y - 0.25, ro, ri) +
                        in_star(x - 0.25, y + 0.25, ro, ri) + in_star(x + 0.25, y + 0.25, ro, ri);
                if (s / 4.0 > c)
                    c = s / 4.0;
            }
            if (c <= 0)
                continue;
            if (nbits == 0) {
                bits = rng_next(r);
                nbits = 8;
            }
            int mottle = 170 + (int)(bits & 0x55); /* 170..255: a seal never inks evenly */
            bits >>= 8;
            nbits--;
            blend(im, cx + x, cy + y, (int)(c * mottle), ink);
        }
}

/* One output pixel from the four around a source point (16.16 fixed point); neighbours
 * off the sheet are the scanner lid: white. */
static void sample(const gen_img *im, int32_t fx16, int32_t fy16, uint8_t *o)
{
    int w = im->w, h = im->h, ch = im->ch;
    int ix = (fx16 >> 16) - ROT_PAD, iy = (fy16 >> 16) - ROT_PAD;
    int fx = (fx16 >> 8) & 255, fy = (fy16 >> 8) & 255;
    size_t stride = (size_t)w * (size_t)ch;
    for (int k = 0; k < ch; k++) {
        int v[4];
        for (int q = 0; q < 4; q++) {
            int qx = ix + (q & 1), qy = iy + (q >> 1);
            v[q] = qx < 0 || qy < 0 || qx >= w || qy >= h
                       ? 255 : im->px[(size_t)qy * stride + (size_t)qx * (size_t)ch + (size_t)k];
        }
        int top = v[0] * (256 - fx) + v[1] * fx, bot = v[2] * (256 - fx) + v[3] * fx;
        o[k] = (uint8_t)((top * (256 - fy) + bot * fy + 32768) >> 16);
    }
}

/* The rows of a rotation, for a channel count the compiler knows (the loop is the cost). */
static inline void rotate_rows(const gen_img *im, uint8_t *out, double c, double s, const int ch)
{
    int w = im->w, h = im->h;
    double cx = (w - 1) / 2.0, cy = (h - 1) / 2.0;
    int32_t dx = (int32_t)lround(c * 65536), dy = (int32_t)lround(-s * 65536);
    size_t stride = (size_t)w * (size_t)ch;
    for (int y = 0; y < h; y++) {
        double ry = y - cy; /* the source of (0, y), then one step per pixel */
        int32_t sx = (int32_t)lround((-c * cx + s * ry + cx + ROT_PAD) * 65536);
        int32_t sy = (int32_t)lround((s * cx + c * ry + cy + ROT_PAD) * 65536);
        uint8_t *o = out + (size_t)y * stride;
        for (int x = 0; x < w; x++, sx += dx, sy += dy, o += ch) {
            int ix = (sx >> 16) - ROT_PAD, iy = (sy >> 16) - ROT_PAD;
            if (ix < 0 || iy < 0 || ix >= w - 1 || iy >= h - 1) {
                sample(im, sx, sy, o);
                continue;
            }
            int fx = (sx >> 8) & 255, fy = (sy >> 8) & 255;
            const uint8_t *p = im->px + (size_t)iy * stride + (size_t)ix * (size_t)ch;
            if (ch == 1 && (p[0] & p[1] & p[stride] & p[stride + 1]) == 255) {
                *o = 255; /* most of a page is blank paper */
                continue;
            }
            for (int k = 0; k < ch; k++) {
                int top = p[k] * (256 - fx) + p[k + ch] * fx;
                int bot = p[stride + (size_t)k] * (256 - fx) + p[stride + (size_t)(k + ch)] * fx;
                o[k] = (uint8_t)((top * (256 - fy) + bot * fy + 32768) >> 16);
            }
        }
    }
}

/* Bilinear, about the centre, same size. Fixed point with the source coordinates kept
 * positive (ROT_PAD pixels of margin), so a shift is a floor. */
int img_rotate(gen_img *im, double deg)
{
    uint8_t *out = malloc((size_t)im->w * (size_t)im->h * (size_t)im->ch);
    if (!out)
        return -1;
    double a = deg * PI / 180;
    if (im->ch == 1)
        rotate_rows(im, out, cos(a), sin(a), 1);
    else
        rotate_rows(im, out, cos(a), sin(a), 3);
    free(im->px);
    im->px = out;
    return 0;
}

void img_rotate180(gen_img *im)
{
    size_t n = (size_t)im->w * (size_t)im->h, ch = (size_t)im->ch;
    for (size_t i = 0, j = n - 1; i < j; i++, j--)
        for (size_t k = 0; k < ch; k++) {
            uint8_t t = im->px[i * ch + k];
            im->px[i * ch + k] = im->px[j * ch + k];
            im->px[j * ch + k] = t;
        }
}

static inline void blur_row(uint8_t *row, const uint8_t *cur, int w, const int ch)
{
    for (int k = 0; k < ch; k++) {
        row[k] = (uint8_t)((3 * cur[k] + cur[ch + k] + 2) >> 2);
        row[(size_t)(w - 1) * ch + k] = (uint8_t)((3 * cur[(size_t)(w - 1) * ch + k] + cur[(size_t)(w - 2) * ch + k] + 2) >> 2);
    }
    for (size_t i = ch; i < (size_t)(w - 1) * ch; i++)
        row[i] = (uint8_t)((cur[i - ch] + 2 * cur[i] + cur[i + ch] + 2) >> 2);
}

/* The optics: a 3x3 binomial kernel, rows then columns. */
int img_blur(gen_img *im)
{
    int w = im->w, h = im->h, ch = im->ch;
    size_t stride = (size_t)w * (size_t)ch;
    uint8_t *prev = malloc(stride), *cur = malloc(stride);
    if (!prev || !cur || w < 2) {
        free(prev);
        free(cur);
        return w < 2 ? 0 : -1;
    }
    for (int y = 0; y < h; y++) {
        uint8_t *row = im->px + (size_t)y * stride;
        memcpy(cur, row, stride);
        if (ch == 1)
            blur_row(row, cur, w, 1);
        else
            blur_row(row, cur, w, 3);
    }
    memcpy(prev, im->px, stride);
    for (int y = 0; y < h; y++) {
        uint8_t *row = im->px + (size_t)y * stride;
        const uint8_t *next = y < h - 1 ? row + stride : row;
        memcpy(cur, row, stride);
        for (size_t i = 0; i < stride; i++)
            row[i] = (uint8_t)((prev[i] + 2 * cur[i] + next[i] + 2) >> 2);
        uint8_t *t = prev;
        prev = cur;
        cur = t;
    }
    free(prev);
    free(cur);
    return 0;
}

/* Paper grain (per pixel, +-amplitude) and the lamp's fall-off towards one side. */
void img_texture(gen_img *im, int amplitude, gen_rng *r)
{
    if (amplitude <= 0)
        return;
    uint64_t span = 2 * (uint64_t)amplitude + 1;
    int shade = amplitude + rng_int(r, amplitude + 1), dark_right = rng_int(r, 2);
    uint64_t x64 = rng_next(r) | 1;
    int *fall = malloc((size_t)im->w * sizeof *fall);
    if (!fall)
        return;
    for (int x = 0; x < im->w; x++)
        fall[x] = (dark_right ? x : im->w - 1 - x) * shade / im->w;
    for (int y = 0; y < im->h; y++) {
        uint8_t *p = at(im, 0, y);
        for (int x = 0; x < im->w; x++) {
            x64 ^= x64 << 13; /* xorshift: a fresh draw per pixel must cost nothing */
            x64 ^= x64 >> 7;
            x64 ^= x64 << 17;
            int n = (int)(((x64 >> 32) * span) >> 32) - amplitude - fall[x];
            for (int k = 0; k < im->ch; k++, p++) {
                /* a colour sensor's channels are noisy each on its own, a little */
                int v = *p + n + (im->ch > 1 ? (int)((x64 >> (4 * k)) & 3) - 1 : 0);
                *p = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
            }
        }
    }
    free(fall);
}

/* Dust and toner specks: small dark dots, some slightly oval. */
void img_specks(gen_img *im, int count, int max_radius, gen_rng *r)
{
    for (int i = 0; i < count; i++) {
        int cx = rng_int(r, im->w), cy = rng_int(r, im->h);
        double rad = 0.6 + rng_unit(r) * (max_radius - 0.6), stretch = 1 + rng_unit(r);
        uint8_t ink[3];
        memset(ink, 20 + rng_int(r, 80), sizeof ink);
        int reach = (int)(rad * stretch) + 2;
        for (int y = -reach; y <= reach; y++)
            for (int x = -reach; x <= reach; x++) {
                double d = hypot(x / stretch, y), c = rad + 0.5 - d;
                if (c > 0)
                    blend(im, cx + x, cy + y, c >= 1 ? 255 : (int)(c * 255), ink);
            }
    }
}

/* Ink dropouts: single light pixels, visible only where there was ink. */
void img_salt(gen_img *im, int count, gen_rng *r)
{
    for (int i = 0; i < count; i++) {
        uint8_t *p = at(im, rng_int(r, im->w), rng_int(r, im->h));
        uint8_t v = (uint8_t)(215 + rng_int(r, 40));
        for (int k = 0; k < im->ch; k++)
            if (p[k] < v)
                p[k] = v;
    }
}

/* The dark band a scanner shows past a sheet that was fed slightly short or askew. */
void img_edge_strip(gen_img *im, int width, gen_rng *r)
{
    int side = rng_int(r, 4), len = side & 1 ? im->h : im->w;
    int level = 30 + rng_int(r, 40), edge = width;
    for (int i = 0; i < len; i++) {
        if (rng_int(r, 12) == 0) /* a paper edge is straight, but not ruler-straight */
            edge += rng_int(r, 3) - 1;
        if (edge < width / 2)
            edge = width / 2;
        if (edge > width * 3 / 2)
            edge = width * 3 / 2;
        for (int d = 0; d < edge + 3; d++) {
            int x = side == 0 ? i : side == 1 ? d : side == 2 ? i : im->w - 1 - d;
            int y = side == 0 ? d : side == 1 ? i : side == 2 ? im->h - 1 - d : i;
            if (x < 0 || y < 0 || x >= im->w || y >= im->h)
                continue;
            int v = d < edge ? level + rng_int(r, 8) : level + (255 - level) * (d - edge + 1) / 4;
            uint8_t *p = at(im, x, y);
            for (int k = 0; k < im->ch; k++)
                if (p[k] > v)
                    p[k] = (uint8_t)v;
        }
    }
}
