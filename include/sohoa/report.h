/* report.h: the digitization figures of an archive (see stages/archive/report.c for what
 * each one counts). */
#ifndef SOHOA_REPORT_H
#define SOHOA_REPORT_H

#include "sohoa/archive.h"

typedef struct sh_report_query {
    const char *from, *to;  /* local dates of archiving, inclusive (YYYY-MM-DD), or NULL */
    const char *by;         /* "agency", "procedure", "day" or NULL for one total */
    double low_conf;        /* the low-confidence bar (70) */
} sh_report_query;

typedef struct sh_report_row {
    const char *group;               /* the agency, procedure code or day ("" unknown) */
    unsigned dossiers;               /* archived inputs (hồ sơ số hóa) */
    unsigned tthc_dossiers;          /* distinct TTHC dossier codes among them */
    unsigned long long pages;
    unsigned results;                /* marked kind = result by the operator */
    unsigned reused;                 /* marked reused_from by the operator */
    unsigned applicant_known;        /* whose applicant had archived documents before */
    unsigned signed_dossiers, signatures;
    unsigned cancelled;
    unsigned long long blank_pages, ocr_pages, low_conf_pages;
    char first[32], last[32];        /* first and last archiving time (UTC) */
} sh_report_row;

/* Calls fn for each group (one row when q->by is NULL) and fills *total. */
int sh_catalog_report(sh_catalog *c, const sh_report_query *q,
                      int (*fn)(const sh_report_row *row, void *ctx), void *ctx,
                      sh_report_row *total, sh_error *err);

#endif
