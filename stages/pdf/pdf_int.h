/* pdf_int.h: the pieces of the PDF stage: the page images (pdf.c), the invisible text
 * layer and its glyphless font (text.c). Nothing outside stages/pdf/ includes this. */
#ifndef SOHOA_PDF_INT_H
#define SOHOA_PDF_INT_H

#include <stddef.h>
#include <time.h>

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>

#include "sohoa/error.h"
#include "sohoa/meta.h"
#include "sohoa/page.h"

/* A stream object holding bytes that are already coded with `filter` ("FlateDecode",
 * "DCTDecode", "CCITTFaxDecode", or NULL for none): written as they are. */
HPDF_Dict sh_pdf_coded_stream(HPDF_Doc pdf, const void *data, size_t len, const char *filter);

/* The text layer's font, shared read-only by every document of a run: Tesseract's
 * glyphless TrueType (every code point draws one empty glyph) and a CIDToGIDMap sending
 * every CID to it, compressed once. */
typedef struct sh_textfont {
    unsigned char *ttf;
    size_t ttf_len;
    unsigned char *cidmap;   /* Flate-coded */
    size_t cidmap_len;
} sh_textfont;

int sh_textfont_load(sh_textfont *tf, const char *tessdata, sh_error *err);
void sh_textfont_free(sh_textfont *tf);

/* The Type0 font objects in one document (once per document, on first use). */
HPDF_Dict sh_pdf_text_font(HPDF_Doc pdf, const sh_textfont *tf);

/* Writes p's words as invisible text onto page, laid over the scan that the matrix m puts
 * on the page (m maps the image's unit square, as for the image itself). */
int sh_pdf_text_layer(HPDF_Doc pdf, HPDF_Page page, HPDF_Dict font, const sh_page *p,
                      const double m[6]);

/* Bytes read once per run and shared read-only. */
typedef struct sh_blob {
    unsigned char *data;
    size_t len;
} sh_blob;

/* The sRGB profile for the output intent (icc-profiles-free). */
int sh_icc_load(sh_blob *icc, sh_error *err);

typedef struct sh_pdf_meta {
    const char *title;
    const char *author;     /* the issuing body; NULL: none */
    const char *subject;    /* trích yếu; NULL: none */
    const char *keywords;   /* NULL: none */
    const sh_meta *fields;  /* every field, into the XMP (sohoa: namespace); NULL: none */
    const char *producer;
    const char *key;        /* the dossier's identity, seeds the /ID */
    struct tm created;      /* local time with its offset */
    unsigned pages;
} sh_pdf_meta;

/* Info, XMP (pdfaid part 2, conformance B), output intent and /ID. */
int sh_pdf_archival(HPDF_Doc pdf, const sh_pdf_meta *meta, const sh_blob *icc);

#endif
