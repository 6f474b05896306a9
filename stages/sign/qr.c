/* qr.c: the TT 01/2023 QR code (ISO/IEC 18004 via libqrencode) at the top-left of page 1
 * of a document the system issues: dossier code, procedure code, applicant's ID, document
 * name, issuing system and time, one "label: value" line each, UTF-8.
 *
 * Drawn as filled squares (vector, crisp at any zoom) in a locked, printed stamp
 * annotation that is part of the same signed update. By default it sits below the
 * digitizer's stamp (which takes the top-left corner) so the two never overlap.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>
#include <zlib.h>

#include "sign_int.h"

#define QR_X 28.0      /* the digitizer's stamp is at (28, 28), two lines of 10 pt */
#define QR_Y 64.0
#define QR_SIZE 72.0   /* one inch: readable by phone cameras from a printed page */

int sh_qr_write(sh_update *u, const sh_sign_request *rq, const sh_page_geom *g,
                unsigned page_num, unsigned page_gen, unsigned *annot, sh_error *err)
{
    const sh_sign_qr *q = rq->qr;
    char when[32];
    sh_sign_time_shown(rq->when, when);
    sh_buf text = {0};
    /* TT 01/2023 fields, in Vietnamese as a reader's phone shows them */
    const struct {
        const char *label, *value;
    } f[] = {
        {"Mã hồ sơ", q->dossier_code},  {"Mã TTHC", q->procedure_code},
        {"Mã định danh", q->applicant_id}, {"Tên giấy tờ", q->doc_name},
        {"Hệ thống", q->system_name},   {"Thời gian", when},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (f[i].value && *f[i].value)
            sh_buf_printf(&text, "%s%s: %s", text.n ? "\n" : "", f[i].label, f[i].value);
    sh_buf_putc(&text, 0);
    if (text.oom)
        return sh_fail(err, SH_ENOMEM, "out of memory");

    QRcode *code = QRcode_encodeString8bit((const char *)text.p, 0, QR_ECLEVEL_M);
    if (!code) {
        sh_buf_free(&text);
        return sh_fail(err, SH_ELIMIT, "the QR code's text (%zu bytes) does not fit a QR code",
                       text.n - 1);
    }
    /* dark modules as runs of squares, a 4-module quiet zone around */
    int n = code->width, quiet = 4;
    double size = q->size > 0 ? q->size : QR_SIZE, m = size / (n + 2 * quiet);
    sh_buf c = {0};
    sh_buf_printf(&c, "q 1 g 0 0 %.2f %.2f re f 0 g\n", size, size);
    for (int y = 0; y < n; y++)
        for (int x = 0; x < n;) {
            if (!(code->data[y * n + x] & 1)) {
                x++;
                continue;
            }
            int x1 = x;
            while (x1 < n && (code->data[y * n + x1] & 1))
                x1++;
            sh_buf_printf(&c, "%.3f %.3f %.3f %.3f re\n", (x + quiet) * m,
                          size - (y + quiet + 1) * m, (x1 - x) * m, m);
            x = x1;
        }
    sh_buf_printf(&c, "f Q\n");
    QRcode_free(code);
    uLongf zl = compressBound((uLong)c.n);
    unsigned char *z = c.oom ? NULL : malloc(zl);
    if (!z || compress2(z, &zl, c.p, (uLong)c.n, 6) != Z_OK) {
        free(z);
        sh_buf_free(&c);
        sh_buf_free(&text);
        return sh_fail(err, SH_ENOMEM, "out of memory");
    }
    sh_buf_free(&c);

    double rect[4];
    char matrix[64];
    sh_place(g, q->x >= 0 ? q->x : QR_X, q->y >= 0 ? q->y : QR_Y, size, size, rect, matrix);
    unsigned form = sh_update_new(u);
    *annot = sh_update_new(u);
    sh_update_obj(u, form, 0);
    sh_buf_printf(&u->out, "<< /Type /XObject /Subtype /Form /BBox [0 0 %.2f %.2f] /Matrix %s "
                           "/Resources << >> /Filter /FlateDecode /Length %lu >>\nstream\n",
                  size, size, matrix, (unsigned long)zl);
    sh_buf_put(&u->out, z, zl);
    sh_buf_printf(&u->out, "\nendstream\nendobj\n");
    free(z);
    /* printed (4) and locked (128); /Contents carries the same text for screen readers */
    sh_update_obj(u, *annot, 0);
    sh_buf_printf(&u->out, "<< /Type /Annot /Subtype /Stamp /F 132 /P %u %u R "
                           "/Rect [%.2f %.2f %.2f %.2f] /NM (sohoa-qr) /Contents ",
                  page_num, page_gen, rect[0], rect[1], rect[2], rect[3]);
    sh_pdf_text(&u->out, (const char *)text.p);
    sh_buf_printf(&u->out, "\n/AP << /N %u 0 R >> >>\nendobj\n", form);
    sh_buf_free(&text);
    return u->out.oom ? sh_fail(err, SH_ENOMEM, "out of memory") : 0;
}
