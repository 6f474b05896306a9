/* pdf.c: the PDF stage: a dossier's encoded pages into one PDF, in order, at 100 % scale.
 *
 * Images arrive already coded (CCITT, DCT, Flate); they are placed into image XObjects
 * built with libharu's object calls and written as they are, so this stage copies bytes
 * and never re-encodes. One libharu document per dossier, never shared between threads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pdf_int.h"
#include "sohoa/stage.h"

#define PRODUCER "sohoa " SOHOA_VERSION

typedef struct hpdf_err {
    HPDF_STATUS code, detail;
} hpdf_err;

/* libharu calls this and then returns an error code; we record and carry on unwinding. */
static void on_error(HPDF_STATUS code, HPDF_STATUS detail, void *user)
{
    hpdf_err *e = user;
    if (!e->code) {
        e->code = code;
        e->detail = detail;
    }
}

/* libharu drops a /Filter key it did not set itself and compresses any stream it is told
 * is Flate; coded data gets its filter name through the dict's write hook instead
 * (called after the other keys, before ">>"). */
static HPDF_STATUS write_filter_ccitt(HPDF_Dict d, HPDF_Stream s)
{
    (void)d;
    return HPDF_Stream_WriteStr(s, "/Filter /CCITTFaxDecode\012");
}

static HPDF_STATUS write_filter_dct(HPDF_Dict d, HPDF_Stream s)
{
    (void)d;
    return HPDF_Stream_WriteStr(s, "/Filter /DCTDecode\012");
}

static HPDF_STATUS write_filter_flate(HPDF_Dict d, HPDF_Stream s)
{
    (void)d;
    return HPDF_Stream_WriteStr(s, "/Filter /FlateDecode\012");
}

HPDF_Dict sh_pdf_coded_stream(HPDF_Doc pdf, const void *data, size_t len, const char *filter)
{
    HPDF_Dict d = HPDF_DictStream_New(pdf->mmgr, pdf->xref);

    if (!d)
        return NULL;
    d->filter = HPDF_STREAM_FILTER_NONE; /* copied as they are */
    if (filter && strcmp(filter, "CCITTFaxDecode") == 0)
        d->write_fn = write_filter_ccitt;
    else if (filter && strcmp(filter, "DCTDecode") == 0)
        d->write_fn = write_filter_dct;
    else if (filter && strcmp(filter, "FlateDecode") == 0)
        d->write_fn = write_filter_flate;
    if (HPDF_Stream_Write(d->stream, data, (HPDF_UINT)len) != HPDF_OK)
        return NULL;
    return d;
}

static HPDF_Image make_image(HPDF_Doc pdf, const sh_image *img)
{
    static const char *const filters[] = {
        [SH_ENC_CCITT] = "CCITTFaxDecode", [SH_ENC_DCT] = "DCTDecode",
        [SH_ENC_FLATE] = "FlateDecode",
    };
    HPDF_MMgr mm = pdf->mmgr;
    HPDF_Dict im;
    HPDF_STATUS rc = HPDF_OK;

    if (img->enc == SH_ENC_NONE || !(im = sh_pdf_coded_stream(pdf, img->data, img->len,
                                                              filters[img->enc])))
        return NULL;
    /* libharu's own image loaders mark XObjects so; DrawImage checks for it */
    im->header.obj_class |= HPDF_OSUBCLASS_XOBJECT;
    rc |= HPDF_Dict_AddName(im, "Type", "XObject");
    rc |= HPDF_Dict_AddName(im, "Subtype", "Image");
    rc |= HPDF_Dict_AddNumber(im, "Width", (HPDF_INT32)img->width);
    rc |= HPDF_Dict_AddNumber(im, "Height", (HPDF_INT32)img->height);
    rc |= HPDF_Dict_AddNumber(im, "BitsPerComponent", (HPDF_INT32)img->bpc);
    /* gray or RGB only: ingest turns CMYK into RGB, for PDF/A's sRGB output intent */
    if (img->cs != SH_CS_GRAY && img->cs != SH_CS_RGB)
        return NULL;
    rc |= HPDF_Dict_AddName(im, "ColorSpace", img->cs == SH_CS_GRAY ? "DeviceGray" : "DeviceRGB");
    if (img->enc == SH_ENC_CCITT) {
        HPDF_Dict parms = HPDF_Dict_New(mm);
        if (!parms)
            return NULL;
        rc |= HPDF_Dict_Add(im, "DecodeParms", parms);
        rc |= HPDF_Dict_AddNumber(parms, "K", img->ccitt_k);
        rc |= HPDF_Dict_AddNumber(parms, "Columns", (HPDF_INT32)img->width);
        rc |= HPDF_Dict_AddNumber(parms, "Rows", (HPDF_INT32)img->height);
        if (img->ccitt_black_is_1)
            rc |= HPDF_Dict_AddBoolean(parms, "BlackIs1", HPDF_TRUE);
        if (img->ccitt_byte_align)
            rc |= HPDF_Dict_AddBoolean(parms, "EncodedByteAlign", HPDF_TRUE);
    }
    if (img->enc == SH_ENC_DCT && img->dct_no_transform) {
        HPDF_Dict parms = HPDF_Dict_New(mm);
        if (!parms)
            return NULL;
        rc |= HPDF_Dict_Add(im, "DecodeParms", parms);
        rc |= HPDF_Dict_AddNumber(parms, "ColorTransform", 0);
    }
    return rc == HPDF_OK ? im : NULL;
}

/* The matrix that puts the stored image upright on a PW x PH page (TIFF Orientation 1-8). */
static void orientation_matrix(int o, double pw, double ph, double m[6])
{
    static const signed char t[9][6] = {
        /* a   b   c   d   e   f  in units of PW/PH */
        {0},
        {1, 0, 0, 1, 0, 0},   /* 1 top-left */
        {-1, 0, 0, 1, 1, 0},  /* 2 top-right: mirrored */
        {-1, 0, 0, -1, 1, 1}, /* 3 bottom-right: turned 180 */
        {1, 0, 0, -1, 0, 1},  /* 4 bottom-left: flipped */
        {0, -1, -1, 0, 1, 1}, /* 5 left-top: transposed */
        {0, -1, 1, 0, 0, 1},  /* 6 right-top: turned 90 clockwise to view */
        {0, 1, 1, 0, 0, 0},   /* 7 right-bottom */
        {0, 1, -1, 0, 1, 0},  /* 8 left-bottom: turned 90 counter-clockwise to view */
    };
    if (o < 1 || o > 8)
        o = 1;
    /* a, c, e scale with PW; b, d, f with PH: the unit square lands on the page. */
    m[0] = t[o][0] * pw;
    m[1] = t[o][1] * ph;
    m[2] = t[o][2] * pw;
    m[3] = t[o][3] * ph;
    m[4] = t[o][4] * pw;
    m[5] = t[o][5] * ph;
}

void sh_page_size_pt(const sh_page *p, double *w_pt, double *h_pt)
{
    double w = p->image.width * 72.0 / p->dpi_x, h = p->image.height * 72.0 / p->dpi_y;
    bool transposed = p->orientation >= 5 && p->orientation <= 8;
    *w_pt = transposed ? h : w;
    *h_pt = transposed ? w : h;
}

/* PDF pages are 3 to 14400 units a side. A thumbnail-sized image would make a smaller
 * page: give it a lower resolution instead (said in the catalog as an assumed dpi). */
static int fit_page(sh_page *p, double *pw, double *ph, sh_error *err)
{
    sh_page_size_pt(p, pw, ph);
    double small = *pw < *ph ? *pw : *ph, large = *pw > *ph ? *pw : *ph;
    if (small < 3) {
        double k = 3 / small;
        p->dpi_x /= k;
        p->dpi_y /= k;
        p->flags |= SH_PAGE_DPI_ASSUMED | SH_PAGE_LOW_DPI;
        sh_page_size_pt(p, pw, ph);
        large = *pw > *ph ? *pw : *ph;
    }
    if (large > 14400)
        return sh_fail(err, SH_ELIMIT, "page %u would be %.0f x %.0f inches at %g dpi, over "
                       "the PDF limit of 200 inches", p->index + 1, *pw / 72, *ph / 72,
                       p->dpi_x);
    return 0;
}

typedef struct pdf_state {
    sh_textfont font;     /* loaded when OCR is on */
    bool have_font;
    sh_blob icc;          /* sRGB, for the PDF/A output intent */
} pdf_state;

typedef struct doc {
    HPDF_Doc pdf;
    const pdf_state *state;
    HPDF_Dict text_font;  /* made on the first page with words */
} doc;

static int add_page(doc *dc, sh_page *p, sh_error *err)
{
    HPDF_Doc pdf = dc->pdf;
    double pw, ph, m[6];
    HPDF_Page page;
    HPDF_Image im;

    if (fit_page(p, &pw, &ph, err) < 0)
        return -1;
    if (!(im = make_image(pdf, &p->image)) || !(page = HPDF_AddPage(pdf)))
        return -1; /* libharu's error handler has the reason */
    HPDF_Page_SetWidth(page, (HPDF_REAL)pw);
    HPDF_Page_SetHeight(page, (HPDF_REAL)ph);
    orientation_matrix(p->orientation, pw, ph, m);
    HPDF_Page_GSave(page);
    HPDF_Page_Concat(page, (HPDF_REAL)m[0], (HPDF_REAL)m[1], (HPDF_REAL)m[2], (HPDF_REAL)m[3],
                     (HPDF_REAL)m[4], (HPDF_REAL)m[5]);
    HPDF_Page_ExecuteXObject(page, im);
    HPDF_Page_GRestore(page);
    sh_image_free(&p->image); /* libharu holds its own copy now */
    if (p->nwords && dc->state->have_font) {
        if (!dc->text_font && !(dc->text_font = sh_pdf_text_font(pdf, &dc->state->font)))
            return -1;
        if (sh_pdf_text_layer(pdf, page, dc->text_font, p, m) < 0)
            return -1;
    }
    /* A page found lying on its side or upside down is shown upright; its pixels stay
     * as scanned. (A TIFF Orientation tag is applied through m; clean looked at the page
     * after it, so p->rotate is what is left to do.) */
    if (p->rotate)
        HPDF_Page_SetRotate(page, (HPDF_UINT16)p->rotate);
    return 0;
}

static int pdf_start(const sh_run *run, void **state, sh_error *err)
{
    pdf_state *s = calloc(1, sizeof *s);
    if (!s)
        return sh_fail(err, SH_ENOMEM, "out of memory");
    if (sh_icc_load(&s->icc, err) < 0) {
        free(s);
        return -1;
    }
    if (run->opt->ocr) {
        if (sh_textfont_load(&s->font, run->opt->tessdata, err) < 0) {
            free(s);
            return -1;
        }
        s->have_font = true;
    }
    *state = s;
    return 0;
}

static void pdf_stop(void *state)
{
    pdf_state *s = state;
    if (s) {
        sh_textfont_free(&s->font);
        free(s->icc.data);
    }
    free(s);
}

static int pdf_process(void *state, void *local, void *unit, sh_error *err)
{
    sh_dossier *d = unit;
    hpdf_err e = {0};
    HPDF_Doc pdf = HPDF_New(on_error, &e);
    doc dc = {.pdf = pdf, .state = state};
    int rc = -1;

    (void)local;
    sh_error_clear(err);
    if (!pdf)
        return sh_fail(err, SH_ENOMEM, "%s: cannot start a PDF (out of memory)", d->source);
    /* 16-bit images need PDF 1.5; 1.7 is what PDF/A-2 builds on. */
    pdf->pdf_version = HPDF_VER_17;
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL); /* page content streams; images are ours */
    const char *base = strrchr(d->source, '/');
    char title[512];
    const char *type = sh_meta_get(&d->meta, SH_META_TYPE), *num = sh_meta_get(&d->meta, SH_META_NUMBER);
    /* the operator's title, else what the document calls itself, else the file's name */
    if (sh_meta_get(&d->meta, SH_META_TITLE))
        snprintf(title, sizeof title, "%s", sh_meta_get(&d->meta, SH_META_TITLE));
    else if (type || num)
        snprintf(title, sizeof title, "%s%s%s", type ? type : "", type && num ? " " : "", num ? num : "");
    else if (sh_meta_get(&d->meta, SH_META_DOC_NAME))
        snprintf(title, sizeof title, "%s", sh_meta_get(&d->meta, SH_META_DOC_NAME));
    else
        snprintf(title, sizeof title, "%s", base && base[1] ? base + 1 : d->source);
    const char *author = sh_meta_get(&d->meta, SH_META_ISSUER);
    sh_pdf_meta meta = {
        .title = title,
        .author = author ? author : sh_meta_get(&d->meta, SH_META_AGENCY),
        .subject = sh_meta_get(&d->meta, SH_META_SUBJECT),
        .keywords = sh_meta_get(&d->meta, SH_META_KEYWORDS),
        .fields = &d->meta,
        .producer = PRODUCER,
        .key = d->key,
        .pages = d->npages,
    };
    time_t now = time(NULL);
    localtime_r(&now, &meta.created);
    if (sh_pdf_archival(pdf, &meta, &dc.state->icc) < 0 || e.code) {
        sh_fail(err, SH_EPDF, "%s: the PDF/A metadata could not be made (libharu error 0x%04X)",
                d->source, (unsigned)e.code);
        goto out;
    }
    for (unsigned i = 0; i < d->npages; i++) {
        if (add_page(&dc, &d->pages[i], err) < 0 && err->code != SH_OK) {
            sh_error_prefix(err, "%s", d->source);
            goto out;
        }
        if (e.code) {
            sh_fail(err, SH_EPDF, "%s: page %u could not be placed in the PDF "
                    "(libharu error 0x%04X, detail %u)", d->source, i + 1,
                    (unsigned)e.code, (unsigned)e.detail);
            goto out;
        }
    }
    if (HPDF_SaveToStream(pdf) != HPDF_OK)
        goto save_failed;
    HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
    if (!(d->pdf = malloc(size ? size : 1))) {
        sh_fail(err, SH_ENOMEM, "%s: out of memory for a %u-byte PDF", d->source, size);
        goto out;
    }
    HPDF_UINT32 got = size;
    if (HPDF_ReadFromStream(pdf, d->pdf, &got) != HPDF_OK && got != size)
        goto save_failed;
    d->pdf_len = got;
    rc = 0;
    goto out;
save_failed:
    sh_fail(err, SH_EPDF, "%s: the PDF could not be written (libharu error 0x%04X)", d->source,
            (unsigned)e.code);
out:
    HPDF_Free(pdf);
    return rc;
}

const sh_stage sh_stage_pdf = {
    .name = "pdf",
    .unit = SH_UNIT_DOSSIER,
    .start = pdf_start,
    .process = pdf_process,
    .stop = pdf_stop,
};
