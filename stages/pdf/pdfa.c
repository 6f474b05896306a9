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

/* Text for XML: & < > " escaped. */
static void xml_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
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
    rc |= HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, meta->title);
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
    fputs("</rdf:li></rdf:Alt></dc:title>\n<pdf:Producer>", f);
    xml_text(f, meta->producer);
    fputs("</pdf:Producer>\n<xmp:CreatorTool>", f);
    xml_text(f, meta->producer);
    fprintf(f, "</xmp:CreatorTool>\n"
               "<xmp:CreateDate>%s%s</xmp:CreateDate>\n"
               "<xmp:ModifyDate>%s%s</xmp:ModifyDate>\n"
               "<xmp:MetadataDate>%s%s</xmp:MetadataDate>\n"
               "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n",
            stamp, offset, stamp, offset, stamp, offset);
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
