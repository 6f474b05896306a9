/* search.c: `sohoa search`: pages found by their words (with or without diacritics) and
 * dossiers by their metadata, as lines a person reads or JSON Lines.
 * Opens the catalog read-only: safe while a run is writing. */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../i18n.h"
#include "cli.h"
#include "sohoa/search.h"

static const char usage[] = N_(
    "usage: sohoa search [--archive DIR] [--json] [--limit N] [--applicant ID]\n"
    "                    [--procedure CODE] [--from DATE] [--to DATE] [QUERY...]\n"
    "\n"
    "Finds archived pages by the words on them, best first. Words match with or without\n"
    "diacritics (\"nguoi dung dau\" finds \"người đứng đầu\"); typed with tones, the exact\n"
    "spelling ranks first. \"a phrase\", prefix*, OR and -excluded words work (put \"--\"\n"
    "before a query with -words); any other character is just text. Without QUERY, lists\n"
    "the documents the filters select, newest first (e.g. every document of an applicant).\n"
    "  --archive DIR     the archive folder (default $SOHOA_ARCHIVE, else ./archive)\n"
    "  --json            JSON Lines: dossier, page, pdf, snippet, score, source, date,\n"
    "                    doc_number, doc_type, cancelled_at\n"
    "  --limit N         at most N results (20)\n"
    "  --applicant ID    documents of this applicant (mã định danh / CCCD / CMND)\n"
    "  --procedure CODE  documents of this procedure (mã TTHC)\n"
    "  --from DATE       documents dated on or after DATE (YYYY-MM-DD or DD/MM/YYYY)\n"
    "  --to DATE         documents dated on or before DATE\n"
    "\n"
    "Matched words are shown between [ and ]. No result: no output, exit status 0.\n");

typedef struct out {
    bool json;
} out;

static int print_hit(const sh_hit *h, void *ctx)
{
    out *o = ctx;
    char *snippet = strdup(h->snippet ? h->snippet : "");
    if (!snippet)
        return 1;
    for (char *p = snippet; *p; p++) /* an excerpt reads as one line */
        if (*p == '\n' || *p == '\r' || *p == '\f')
            *p = ' ';
    if (o->json) {
        printf("{\"dossier\":\"%s\",\"page\":%u,\"pdf\":", h->dossier, h->page);
        sh_json_string(stdout, h->pdf);
        printf(",\"snippet\":");
        sh_json_string(stdout, snippet);
        printf(",\"score\":%.6g,\"source\":", h->score);
        sh_json_string(stdout, h->source);
        printf(",\"date\":");
        sh_json_string(stdout, h->date);
        printf(",\"doc_number\":");
        if (h->doc_number)
            sh_json_string(stdout, h->doc_number);
        else
            fputs("null", stdout);
        printf(",\"doc_type\":");
        if (h->doc_type)
            sh_json_string(stdout, h->doc_type);
        else
            fputs("null", stdout);
        printf(",\"cancelled_at\":");
        if (h->cancelled_at)
            sh_json_string(stdout, h->cancelled_at);
        else
            fputs("null", stdout);
        printf("}\n");
        free(snippet);
        return 0;
    }
    printf(_("%s  page %u  %s  %s%s%s%s\n"), h->dossier, h->page, h->date ? h->date : "",
           h->pdf, h->doc_number ? "  " : "", h->doc_number ? h->doc_number : "",
           h->cancelled_at ? _("  CANCELLED") : "");
    printf("    %s\n", snippet);
    free(snippet);
    return 0;
}

/* YYYY-MM-DD, or DD/MM/YYYY as Vietnamese write it, into ISO. */
static int parse_date(const char *opt, const char *s, char *iso, size_t n)
{
    int y, m, d;
    char tail;
    if ((sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 ||
         sscanf(s, "%2d/%2d/%4d%c", &d, &m, &y, &tail) == 3) &&
        y >= 1900 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= 31) {
        snprintf(iso, n, "%04d-%02d-%02d", y, m, d);
        return 0;
    }
    fprintf(stderr, _("sohoa search: %s wants a date as YYYY-MM-DD or DD/MM/YYYY, not '%s'\n"),
            opt, s);
    return -1;
}

int sh_cmd_search(int argc, char **argv)
{
    enum { O_ARCHIVE = 256, O_JSON, O_LIMIT, O_APPLICANT, O_PROCEDURE, O_FROM, O_TO, O_HELP };
    static const struct option longopts[] = {
        {"archive", required_argument, NULL, O_ARCHIVE},
        {"json", no_argument, NULL, O_JSON},
        {"limit", required_argument, NULL, O_LIMIT},
        {"applicant", required_argument, NULL, O_APPLICANT},
        {"procedure", required_argument, NULL, O_PROCEDURE},
        {"from", required_argument, NULL, O_FROM},
        {"to", required_argument, NULL, O_TO},
        {"help", no_argument, NULL, O_HELP},
        {0},
    };
    const char *archive = NULL;
    char from[16], to[16], *end;
    sh_search q = {0};
    out o = {0};
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case O_ARCHIVE: archive = optarg; break;
        case O_JSON: o.json = true; break;
        case O_LIMIT: {
            long v = strtol(optarg, &end, 10);
            if (!*optarg || *end || v < 1 || v > 100000) {
                fprintf(stderr, _("sohoa search: --limit wants a number from 1 to 100000, "
                                  "not '%s'\n"), optarg);
                return SH_EXIT_FATAL;
            }
            q.limit = (unsigned)v;
            break;
        }
        case O_APPLICANT: q.applicant = optarg; break;
        case O_PROCEDURE: q.procedure = optarg; break;
        case O_FROM:
            if (parse_date("--from", optarg, from, sizeof from) < 0)
                return SH_EXIT_FATAL;
            q.from = from;
            break;
        case O_TO:
            if (parse_date("--to", optarg, to, sizeof to) < 0)
                return SH_EXIT_FATAL;
            q.to = to;
            break;
        case 'h':
        case O_HELP: fputs(_(usage), stdout); return SH_EXIT_OK;
        default: fputs(_(usage), stderr); return SH_EXIT_FATAL;
        }
    }
    /* the words, as one query (the shell split them) */
    char *query = NULL;
    size_t qlen = 0;
    FILE *qf = open_memstream(&query, &qlen);
    if (!qf)
        return SH_EXIT_FATAL;
    for (int i = optind; i < argc; i++)
        fprintf(qf, "%s%s", i > optind ? " " : "", argv[i]);
    fclose(qf);
    q.query = query && *query ? query : NULL;
    if (!q.query && !q.applicant && !q.procedure && !q.from && !q.to) {
        fprintf(stderr, _("sohoa search: nothing to search for\n\n%s"), _(usage));
        free(query);
        return SH_EXIT_FATAL;
    }

    sh_error err = {0};
    sh_archive *a = sh_archive_open(sh_cli_archive(archive), false, true, NULL, &err);
    if (!a) {
        fprintf(stderr, "sohoa search: %s\n", err.msg);
        free(query);
        return SH_EXIT_FATAL;
    }
    int rc = sh_catalog_search(sh_archive_catalog(a), &q, print_hit, &o, &err);
    sh_archive_close(a);
    free(query);
    if (rc < 0) {
        fprintf(stderr, "sohoa search: %s\n", err.msg);
        return SH_EXIT_FATAL;
    }
    return SH_EXIT_OK;
}
