/* pdfa.c: what makes the PDF a PDF/A-2b archive file (ISO 19005-2, TCVN 14159-2:2024):
 * XMP metadata agreeing with the Info dictionary, an sRGB output intent, a unique /ID.
 *
 * libharu 2.3 knows only PDF/A-1 and gets parts of it wrong (LIBS.md §1: part hard-coded
 * to 1, /SubType typo, no BOM, an /ID made from ctime()), so every object is built here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistr.h>

#include "pdf_int.h"
#include "sohoa/hash.h"

int sh_icc_load(sh_blob *icc, sh_error *err)
{
    static const char path[] = "/usr/share/color/icc/sRGB.icc";
    FILE *f = fopen(path, "rb");
    long n;

    memset(icc, 0, sizeof *icc);
    if (!f)
        return sh_fail(err, SH_EIO, "cannot read the sRGB profile %s (install icc-profiles-free)",
                       path);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    if (n <= 128 || n > 1 << 20 || !(icc->data = malloc((size_t)n)) ||
        fread(icc->data, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        free(icc->data);
        icc->data = NULL;
        return sh_fail(err, SH_EIO, "cannot read the sRGB profile %s", path);
    }
    fclose(f);
    icc->len = (size_t)n;
    return 0;
}

/* Text for XML: & < > " escaped, control characters dropped. */
static void xml_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: /* XML 1.0 has no place for other control characters */
            if ((unsigned char)*s >= 0x20 || *s == '\t' || *s == '\n' || *s == '\r')
                fputc(*s, f);
        }
    }
}

/* An Info text string: PDFDocEncoding when it is ASCII, else UTF-16BE with its BOM (libharu
 * would write UTF-8 bytes that readers take for PDFDocEncoding). */
static HPDF_STATUS info_text(HPDF_Doc pdf, const char *key, const char *value)
{
    size_t n = 0;
    bool ascii = true;
    for (const char *p = value; *p; p++)
        ascii = ascii && (unsigned char)*p < 0x80 && (unsigned char)*p >= 0x20;
    if (ascii)
        return HPDF_Dict_Add(pdf->info, key, HPDF_String_New(pdf->mmgr, value, NULL));
    uint16_t *u = u8_to_u16((const uint8_t *)value, strlen(value), NULL, &n);
    unsigned char *be = u ? malloc(2 * n + 2) : NULL;
    if (!be) {
        free(u);
        return HPDF_FAILD_TO_ALLOC_MEM;
    }
    be[0] = 0xFE;
    be[1] = 0xFF;
    for (size_t i = 0; i < n; i++) {
        be[2 + 2 * i] = (unsigned char)(u[i] >> 8);
        be[3 + 2 * i] = (unsigned char)(u[i] & 0xFF);
    }
    HPDF_STATUS rc = HPDF_Dict_Add(pdf->info, key, HPDF_Binary_New(pdf->mmgr, be, (HPDF_UINT)(2 * n + 2)));
    free(be);
    free(u);
    return rc;
}

/* A field name that is a valid XMP property name as it stands. */
static bool xmp_name(const char *s)
{
    if (!(*s >= 'a' && *s <= 'z'))
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

/* Is m->v[i] the first item of its field? (Each field becomes one property.) */
static bool first_of_field(const sh_meta *m, size_t i)
{
    for (size_t k = 0; k < i; k++)
        if (strcmp(m->v[k].field, m->v[i].field) == 0)
            return false;
    return true;
}

#define SOHOA_NS "http://ns.sohoa.vn/meta/1.0/"

/* The dossier's fields as sohoa: properties (the operator's value, else every value read in
 * the text, "; " between), and the PDF/A extension schema that declares them (ISO 19005-2
 * 6.6.2.3.2: a property outside the predefined schemas must be described). */
static void xmp_fields(FILE *f, const sh_meta *m)
{
    bool any = false;
    for (size_t i = 0; i < m->n; i++)
        any = any || xmp_name(m->v[i].field);
    if (!any)
        return;
    fputs("<rdf:Description rdf:about=\"\"\n"
          "  xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\"\n"
          "  xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"\n"
          "  xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n"
          "<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n"
          "<pdfaSchema:schema>sohoa dossier metadata (TTHC, TT 02/2019, TT 05/2025)</pdfaSchema:schema>\n"
          "<pdfaSchema:namespaceURI>" SOHOA_NS "</pdfaSchema:namespaceURI>\n"
          "<pdfaSchema:prefix>sohoa</pdfaSchema:prefix>\n"
          "<pdfaSchema:property><rdf:Seq>\n", f);
    for (size_t i = 0; i < m->n; i++)
        if (xmp_name(m->v[i].field) && first_of_field(m, i))
            fprintf(f, "<rdf:li rdf:parseType=\"Resource\"><pdfaProperty:name>%s</pdfaProperty:name>"
                       "<pdfaProperty:valueType>Text</pdfaProperty:valueType>"
                       "<pdfaProperty:category>external</pdfaProperty:category>"
                       "<pdfaProperty:description>%s</pdfaProperty:description></rdf:li>\n",
                    m->v[i].field, m->v[i].page ? "read in the recognised text" : "given by the operator");
    fputs("</rdf:Seq></pdfaSchema:property>\n</rdf:li></rdf:Bag></pdfaExtension:schemas>\n"
          "</rdf:Description>\n"
          "<rdf:Description rdf:about=\"\" xmlns:sohoa=\"" SOHOA_NS "\">\n", f);
    for (size_t i = 0; i < m->n; i++) {
        if (!xmp_name(m->v[i].field) || !first_of_field(m, i))
            continue;
        fprintf(f, "<sohoa:%s>", m->v[i].field);
        bool operator_given = m->v[i].page == 0, first = true;
        for (size_t k = i; k < m->n; k++) {
            if (strcmp(m->v[k].field, m->v[i].field) != 0 || (operator_given && k != i))
                continue;
            if (!first)
                fputs("; ", f);
            xml_text(f, m->v[k].value);
            first = false;
        }
        fprintf(f, "</sohoa:%s>\n", m->v[i].field);
    }
    fputs("</rdf:Description>\n", f);
}

static HPDF_Date pdf_date(const struct tm *tm)
{
    HPDF_Date d = {0};
    long off = tm->tm_gmtoff;
    d.year = tm->tm_year + 1900;
    d.month = tm->tm_mon + 1;
    d.day = tm->tm_mday;
    d.hour = tm->tm_hour;
    d.minutes = tm->tm_min;
    d.seconds = tm->tm_sec;
    d.ind = off == 0 ? 'Z' : off > 0 ? '+' : '-';
    d.off_hour = (HPDF_INT)(labs(off) / 3600);
    d.off_minutes = (HPDF_INT)(labs(off) % 3600 / 60);
    return d;
}

int sh_pdf_archival(HPDF_Doc pdf, const sh_pdf_meta *meta, const sh_blob *icc)
{
    HPDF_MMgr mm = pdf->mmgr;
    HPDF_STATUS rc = HPDF_OK;
    char stamp[40], offset[16];
    long off = meta->created.tm_gmtoff;

    /* Info: the same values the XMP repeats (PDF/A-2 6.7.3) */
    HPDF_Date date = pdf_date(&meta->created);
    rc |= HPDF_SetInfoAttr(pdf, HPDF_INFO_PRODUCER, meta->producer);
    rc |= HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, meta->producer);
    if (rc != HPDF_OK || !pdf->info)
        return -1;
    rc |= info_text(pdf, "Title", meta->title);
    if (meta->author)
        rc |= info_text(pdf, "Author", meta->author);
    if (meta->subject)
        rc |= info_text(pdf, "Subject", meta->subject);
    if (meta->keywords)
        rc |= info_text(pdf, "Keywords", meta->keywords);
    rc |= HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, date);
    rc |= HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, date);

    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &meta->created);
    if (off == 0)
        snprintf(offset, sizeof offset, "Z");
    else
        snprintf(offset, sizeof offset, "%c%02d:%02d", off > 0 ? '+' : '-',
                 (int)(labs(off) / 3600 % 100), (int)(labs(off) % 3600 / 60));

    char *xmp = NULL;
    size_t xmp_len = 0;
    FILE *f = open_memstream(&xmp, &xmp_len);
    if (!f)
        return -1;
    fputs("<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
          "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
          "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
          "<rdf:Description rdf:about=\"\"\n"
          "  xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"\n"
          "  xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
          "  xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
          "  xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n"
          "<pdfaid:part>2</pdfaid:part>\n"
          "<pdfaid:conformance>B</pdfaid:conformance>\n"
          "<dc:format>application/pdf</dc:format>\n"
          "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">", f);
    xml_text(f, meta->title);
    fputs("</rdf:li></rdf:Alt></dc:title>\n", f);
    if (meta->author) {
        fputs("<dc:creator><rdf:Seq><rdf:li>", f);
        xml_text(f, meta->author);
        fputs("</rdf:li></rdf:Seq></dc:creator>\n", f);
    }
    if (meta->subject) {
        fputs("<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">", f);
        xml_text(f, meta->subject);
        fputs("</rdf:li></rdf:Alt></dc:description>\n", f);
    }
    if (meta->keywords) {
        fputs("<pdf:Keywords>", f);
        xml_text(f, meta->keywords);
        fputs("</pdf:Keywords>\n", f);
    }
    fputs("<pdf:Producer>", f);
    xml_text(f, meta->producer);
    fputs("</pdf:Producer>\n<xmp:CreatorTool>", f);
    xml_text(f, meta->producer);
    fprintf(f, "</xmp:CreatorTool>\n"
               "<xmp:CreateDate>%s%s</xmp:CreateDate>\n"
               "<xmp:ModifyDate>%s%s</xmp:ModifyDate>\n"
               "<xmp:MetadataDate>%s%s</xmp:MetadataDate>\n"
               "</rdf:Description>\n",
            stamp, offset, stamp, offset, stamp, offset);
    if (meta->fields)
        xmp_fields(f, meta->fields);
    fputs("</rdf:RDF>\n</x:xmpmeta>\n", f);
    /* the packet stays writable in place: padding as XMP recommends */
    for (int i = 0; i < 20; i++)
        fputs("                                                                                \n", f);
    fputs("<?xpacket end=\"w\"?>", f);
    if (fclose(f) != 0) {
        free(xmp);
        return -1;
    }
    HPDF_Dict md = sh_pdf_coded_stream(pdf, xmp, xmp_len, NULL); /* metadata stays plain */
    free(xmp);
    if (!md)
        return -1;
    rc |= HPDF_Dict_AddName(md, "Type", "Metadata");
    rc |= HPDF_Dict_AddName(md, "Subtype", "XML");
    rc |= HPDF_Dict_Add(pdf->catalog, "Metadata", md);

    /* the output intent: sRGB, the space every DeviceRGB/Gray image is meant in */
    HPDF_Dict profile = sh_pdf_coded_stream(pdf, icc->data, icc->len, NULL);
    HPDF_Dict intent = HPDF_Dict_New(mm);
    HPDF_Array intents = HPDF_Array_New(mm);
    if (!profile || !intent || !intents)
        return -1;
    profile->filter = HPDF_STREAM_FILTER_FLATE_DECODE; /* plain bytes: let libharu compress */
    rc |= HPDF_Dict_AddNumber(profile, "N", 3);
    rc |= HPDF_Dict_AddName(intent, "Type", "OutputIntent");
    rc |= HPDF_Dict_AddName(intent, "S", "GTS_PDFA1");
    rc |= HPDF_Dict_Add(intent, "OutputConditionIdentifier",
                        HPDF_String_New(mm, "sRGB IEC61966-2.1", NULL));
    rc |= HPDF_Dict_Add(intent, "Info", HPDF_String_New(mm, "sRGB IEC61966-2.1", NULL));
    rc |= HPDF_Dict_Add(intent, "DestOutputProfile", profile);
    rc |= HPDF_Array_Add(intents, intent);
    rc |= HPDF_Dict_Add(pdf->catalog, "OutputIntents", intents);

    /* /ID: unique per file: the input's identity, the time, the PDF's page count */
    char seed[256], hex[65];
    unsigned char id[16];
    snprintf(seed, sizeof seed, "%s|%s%s|%u|%ld", meta->key, stamp, offset, meta->pages,
             (long)clock());
    sh_sha256_hex(seed, strlen(seed), hex);
    for (int i = 0; i < 16; i++)
        sscanf(hex + 2 * i, "%2hhx", &id[i]);
    HPDF_Array ids = HPDF_Array_New(mm);
    if (!ids)
        return -1;
    rc |= HPDF_Array_Add(ids, HPDF_Binary_New(mm, id, 16));
    rc |= HPDF_Array_Add(ids, HPDF_Binary_New(mm, id, 16));
    rc |= HPDF_Dict_Add(pdf->trailer, "ID", ids);
    return rc == HPDF_OK ? 0 : -1;
}
