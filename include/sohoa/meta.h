/* meta.h: what is known about a dossier besides its pages: the fields the operator gave at
 * ingest (a sidecar JSON/CSV, or --meta for a batch) and the facts found in its OCR text
 * (document number, place and date, issuing body, type, subject, citizen IDs).
 *
 * A metadata list is a plain array of field/value pairs; a field may repeat (several IDs,
 * several documents in one dossier). `page` says where a fact was read (1-based), 0 for what
 * the operator gave. Field names are the stable English ones below; the catalog, `sohoa
 * show`, the JSON output and the PDF's XMP all use them.
 */
#ifndef SOHOA_META_H
#define SOHOA_META_H

#include <stdbool.h>
#include <stddef.h>

#include "sohoa/error.h"

/* Given by the operator (TTHC fields, NĐ 45/2020; archive fields, TT 02/2019 / TT 05/2025). */
#define SH_META_DOSSIER_CODE "dossier_code"     /* mã hồ sơ (TTHC) */
#define SH_META_PROCEDURE "procedure_code"      /* mã TTHC */
#define SH_META_APPLICANT "applicant_id"        /* mã định danh of the applicant */
#define SH_META_APPLICANT_NAME "applicant_name" /* chủ hồ sơ */
#define SH_META_DOC_NAME "document_name"        /* tên giấy tờ */
#define SH_META_AGENCY "agency"                 /* cơ quan */
#define SH_META_TITLE "title"                   /* tiêu đề */
#define SH_META_RETENTION "retention"           /* thời hạn bảo quản */
#define SH_META_ACCESS "access"                 /* mức độ tiếp cận */
#define SH_META_LANGUAGE "language"             /* ngôn ngữ */
#define SH_META_KEYWORDS "keywords"             /* từ khóa */
#define SH_META_SHEETS "sheets"                 /* số tờ */
#define SH_META_PAGE_COUNT "page_count"         /* số trang */
#define SH_META_RELIABILITY "reliability"       /* mức độ tin cậy */
#define SH_META_PAPER_CODE "paper_dossier_code" /* mã hồ sơ gốc giấy */
/* Found in the text (also accepted from the operator, who then wins). */
#define SH_META_NUMBER "doc_number"             /* số, ký hiệu: "05/QĐ-UBND" */
#define SH_META_DATE "issue_date"               /* ngày ban hành, ISO 8601 "2024-01-08" */
#define SH_META_PLACE "issue_place"             /* địa danh: "Bắc Giang" */
#define SH_META_ISSUER "issuer"                 /* cơ quan ban hành: the all-caps header */
#define SH_META_TYPE "doc_type"                 /* tên loại: "QUYẾT ĐỊNH" */
#define SH_META_SUBJECT "subject"               /* trích yếu */
#define SH_META_CCCD "cccd"                     /* a 12-digit citizen ID in the text */
#define SH_META_CMND "cmnd"                     /* a 9-digit old ID in the text */

typedef struct sh_meta_item {
    char *field;
    char *value;     /* UTF-8, NFC */
    unsigned page;   /* 0: given by the operator; else the page it was read on */
} sh_meta_item;

typedef struct sh_meta {
    sh_meta_item *v;
    size_t n, cap;
} sh_meta;

/* Appends a copy (an identical field/value pair already there is not repeated). */
int sh_meta_add(sh_meta *m, const char *field, const char *value, unsigned page);
/* The first value of field, the operator's before the text's; NULL when none. */
const char *sh_meta_get(const sh_meta *m, const char *field);
int sh_meta_copy(sh_meta *dst, const sh_meta *src);
void sh_meta_free(sh_meta *m);

/* Reads the facts of one page's recognised text into m, marked with page (1-based). */
int sh_meta_from_text(sh_meta *m, const char *text, unsigned page);

/* The canonical field for an operator's key: English names, Vietnamese ones with or
 * without diacritics ("Mã hồ sơ", "ma_ho_so"), case and separators ignored. Unknown keys
 * come back folded ("Ghi chú" -> "ghi_chu"). Writes at most n bytes. */
void sh_meta_field_name(const char *key, char *out, size_t n);

/* Operator metadata files. A sidecar describes one input: a JSON object, or a CSV with a
 * header row and one row. A batch file (--meta) describes many: a JSON array of objects or
 * an object of objects keyed by input, or a CSV with one row per input; the input is named
 * by a "file" column (also "source", "input", "tep"). */
typedef struct sh_metafile sh_metafile;
sh_metafile *sh_metafile_read(const char *path, sh_error *err);
/* The entry for an input (matched by the path as given, its base name, or its base name
 * without extension) appended to m; 1 if there was one, 0 if not, -1 when out of memory. */
int sh_metafile_lookup(const sh_metafile *f, const char *input, sh_meta *m);
void sh_metafile_free(sh_metafile *f);
/* The sidecar next to an input: for dir/D1.tif, dir/D1.json, dir/D1.csv, dir/D1.tif.json
 * or dir/D1.tif.csv (a folder input: folder.json, folder.csv, or folder/meta.json,
 * folder/meta.csv inside it). 1 read into m, 0 none, -1 unreadable (err says why). */
int sh_meta_sidecar(const char *input, sh_meta *m, sh_error *err);

/* Vietnamese folding, as the search index does it: lower case, no diacritics, đ -> d.
 * malloc'd; NULL when out of memory. */
char *sh_fold(const char *s);

#endif
