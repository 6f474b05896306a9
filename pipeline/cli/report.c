/* report.c: `sohoa report`: the digitization figures for the report upward, as a table, as
 * JSON or as CSV for a spreadsheet. Reads the catalog only. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../i18n.h"
#include "cli.h"
#include "sohoa/report.h"

static const char usage[] = N_(
    "usage: sohoa report [--archive DIR] [--from DATE] [--to DATE]\n"
    "                    [--by agency|procedure|day] [--json | --csv]\n"
    "\n"
    "The digitization figures of the archive (dates are days of archiving, YYYY-MM-DD):\n"
    "  dossiers          inputs archived (digitized dossiers and results)\n"
    "  tthc_dossiers     distinct TTHC dossier codes among them (mã hồ sơ given by the\n"
    "                    operator): administrative dossiers with digitized components\n"
    "  results           marked kind = result (kết quả) by the operator\n"
    "  reused            marked reused_from (archived documents reused, QĐ 468)\n"
    "  applicant_known   whose applicant already had documents in the archive\n"
    "  signed, signatures, cancelled, pages, blank_pages, ocr_pages, low_conf_pages\n"
    "and rates in percent. --by splits the figures by the operator's agency, procedure\n"
    "code (mã TTHC) or day.\n");

typedef enum { OUT_TABLE, OUT_JSON, OUT_CSV } out_kind;

/* Prints s in exactly width columns (a UTF-8 character is one column: Vietnamese is NFC). */
static void put_cols(const char *s, int width)
{
    int cols = 0;
    const char *p = s;
    for (; *p; p++) {
        if (((unsigned char)*p & 0xC0) != 0x80) {
            if (cols == width)
                break;
            cols++;
        }
    }
    fwrite(s, 1, (size_t)(p - s), stdout);
    for (; cols < width; cols++)
        putchar(' ');
}

static double pct(double part, double whole) { return whole > 0 ? 100.0 * part / whole : 0; }

static void print_row(const sh_report_row *r, out_kind out, const char *by, bool total)
{
    unsigned long long text_pages = r->pages - r->blank_pages;
    double signed_rate = pct(r->signed_dossiers, r->dossiers);
    double ocr_rate = pct((double)r->ocr_pages, (double)text_pages);
    double result_rate = pct(r->results, r->dossiers);
    double reuse_rate = pct(r->reused, r->dossiers);
    double low_rate = pct((double)r->low_conf_pages, (double)r->ocr_pages);

    if (out == OUT_JSON) {
        printf("{\"type\":\"%s\",", total ? "total" : "group");
        if (!total && by) {
            printf("\"%s\":", by);
            sh_json_string(stdout, r->group);
            putchar(',');
        }
        printf("\"dossiers\":%u,\"tthc_dossiers\":%u,\"results\":%u,\"reused\":%u,"
               "\"applicant_known\":%u,\"signed\":%u,\"signatures\":%u,\"cancelled\":%u,"
               "\"pages\":%llu,\"blank_pages\":%llu,\"ocr_pages\":%llu,\"low_conf_pages\":%llu,"
               "\"signed_rate\":%.1f,\"ocr_rate\":%.1f,\"result_rate\":%.1f,"
               "\"reuse_rate\":%.1f,\"low_conf_rate\":%.1f,\"first\":\"%s\",\"last\":\"%s\"}\n",
               r->dossiers, r->tthc_dossiers, r->results, r->reused, r->applicant_known,
               r->signed_dossiers, r->signatures, r->cancelled, r->pages, r->blank_pages,
               r->ocr_pages, r->low_conf_pages, signed_rate, ocr_rate, result_rate, reuse_rate,
               low_rate, r->first, r->last);
        return;
    }
    if (out == OUT_CSV) {
        const char *g = total ? "TOTAL" : r->group;
        putchar('"');
        for (const char *p = g; *p; p++) /* CSV quoting: double the quotes */
            fputs(*p == '"' ? "\"\"" : (char[]){*p, 0}, stdout);
        printf("\",%u,%u,%u,%u,%u,%u,%u,%u,%llu,%llu,%llu,%llu,%.1f,%.1f,%.1f,%.1f\n",
               r->dossiers, r->tthc_dossiers, r->results, r->reused, r->applicant_known,
               r->signed_dossiers, r->signatures, r->cancelled, r->pages, r->blank_pages,
               r->ocr_pages, r->low_conf_pages, signed_rate, ocr_rate, result_rate, reuse_rate);
        return;
    }
    put_cols(total ? _("TOTAL") : *r->group ? r->group : _("(not given)"), 28);
    printf(" %8u %6u %7u %6u %7u %8llu %6llu %6llu %6.1f%% %6.1f%%\n", r->dossiers, r->tthc_dossiers,
           r->results, r->reused, r->signed_dossiers, r->pages, r->blank_pages,
           r->low_conf_pages, signed_rate, ocr_rate);
}

typedef struct out_ctx {
    out_kind out;
    const char *by;
} out_ctx;

static int each(const sh_report_row *r, void *ctx)
{
    out_ctx *o = ctx;
    print_row(r, o->out, o->by, false);
    return 0;
}

static bool is_date(const char *s)
{
    int y, m, d;
    char tail;
    return sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && strlen(s) == 10 && m >= 1 &&
           m <= 12 && d >= 1 && d <= 31;
}

int sh_cmd_report(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"archive", required_argument, NULL, 'a'}, {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},      {"by", required_argument, NULL, 'b'},
        {"json", no_argument, NULL, 'J'},          {"csv", no_argument, NULL, 'C'},
        {"help", no_argument, NULL, 'h'},          {0},
    };
    const char *archive = NULL;
    sh_report_query q = {.low_conf = 70};
    out_ctx o = {.out = OUT_TABLE};
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 'a': archive = optarg; break;
        case 'f': q.from = optarg; break;
        case 't': q.to = optarg; break;
        case 'b': q.by = optarg; break;
        case 'J': o.out = OUT_JSON; break;
        case 'C': o.out = OUT_CSV; break;
        case 'h': fputs(_(usage), stdout); return SH_EXIT_OK;
        default: fputs(_(usage), stderr); return SH_EXIT_FATAL;
        }
    }
    if (optind < argc) {
        fprintf(stderr, _("sohoa report: unexpected argument '%s'\n"), argv[optind]);
        return SH_EXIT_FATAL;
    }
    if (q.by && strcmp(q.by, "agency") && strcmp(q.by, "procedure") && strcmp(q.by, "day")) {
        fprintf(stderr, _("sohoa report: --by agency, procedure or day, not '%s'\n"), q.by);
        return SH_EXIT_FATAL;
    }
    if ((q.from && !is_date(q.from)) || (q.to && !is_date(q.to))) {
        fputs(_("sohoa report: dates are written YYYY-MM-DD (e.g. 2026-11-30)\n"), stderr);
        return SH_EXIT_FATAL;
    }
    o.by = q.by;
    sh_error err = {0};
    sh_archive *a = sh_archive_open(sh_cli_archive(archive), false, true, NULL, &err);
    if (!a) {
        fprintf(stderr, "sohoa report: %s\n", err.msg);
        return SH_EXIT_FATAL;
    }
    if (o.out == OUT_CSV)
        printf("%s,dossiers,tthc_dossiers,results,reused,applicant_known,signed,signatures,"
               "cancelled,pages,blank_pages,ocr_pages,low_conf_pages,signed_rate,ocr_rate,"
               "result_rate,reuse_rate\n", q.by ? q.by : "group");
    if (o.out == OUT_TABLE)
        /* TRANSLATORS: the report table's header; keep each column's width */
        fputs(_("group                        dossiers   tthc results reused  signed    pages  blank lowconf  signed     ocr\n"), stdout);
    sh_report_row total;
    int rc = sh_catalog_report(sh_archive_catalog(a), &q, q.by ? each : NULL, &o, &total, &err);
    sh_archive_close(a);
    if (rc < 0) {
        fprintf(stderr, "sohoa report: %s\n", err.msg);
        return SH_EXIT_FATAL;
    }
    print_row(&total, o.out, q.by, true);
    return SH_EXIT_OK;
}
