/* show.c: `sohoa show DOSSIER`: one dossier with its metadata: what the operator gave and
 * what was read in its text, its cancellation if any. Opens the catalog read-only. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../i18n.h"
#include "cli.h"
#include "sohoa/search.h"

static const char usage[] = N_(
    "usage: sohoa show [--archive DIR] [--json] DOSSIER\n"
    "\n"
    "Shows a dossier (its id, a unique start of it, or its dossier code) and its metadata:\n"
    "the fields given at ingest (page 0) and the facts read in its text, with their page.\n"
    "  --archive DIR   the archive folder (default $SOHOA_ARCHIVE, else ./archive)\n"
    "  --json          one JSON object: id, source, pages, pdf, sha256, status, created_at,\n"
    "                  archived_at, date, cancelled_at, cancel_reason, meta (a list of\n"
    "                  {field, value, page}; page 0: given by the operator)\n");

static void json_or_null(const char *s)
{
    if (s && *s)
        sh_json_string(stdout, s);
    else
        fputs("null", stdout);
}

static void print_json(const sh_dossier_row *r, const sh_dossier_info *in)
{
    printf("{\"id\":\"%s\",\"source\":", r->id);
    sh_json_string(stdout, r->source);
    printf(",\"pages\":%u,\"pdf\":", r->pages);
    sh_json_string(stdout, r->pdf);
    printf(",\"sha256\":\"%s\",\"status\":\"%s\",\"created_at\":\"%s\",\"archived_at\":",
           r->pdf_sha256, r->status, r->created_at);
    json_or_null(in->archived_at);
    printf(",\"date\":");
    json_or_null(in->date);
    printf(",\"cancelled_at\":");
    json_or_null(in->cancelled_at);
    printf(",\"cancel_reason\":");
    json_or_null(in->cancel_reason);
    printf(",\"meta\":[");
    for (size_t i = 0; i < in->meta.n; i++) {
        printf("%s{\"field\":", i ? "," : "");
        sh_json_string(stdout, in->meta.v[i].field);
        printf(",\"value\":");
        sh_json_string(stdout, in->meta.v[i].value);
        printf(",\"page\":%u}", in->meta.v[i].page);
    }
    printf("]}\n");
}

static void print_human(const sh_dossier_row *r, const sh_dossier_info *in)
{
    printf(_("dossier      %s\n"), r->id);
    printf(_("source       %s\n"), r->source ? r->source : "");
    printf(ngettext("pdf          %s (%u page)\n", "pdf          %s (%u pages)\n", r->pages),
           r->pdf, r->pages);
    printf(_("status       %s, archived %s\n"), sh_cli_status(r->status),
           in->archived_at[0] ? in->archived_at : "-");
    if (in->date[0])
        printf(_("date         %s\n"), in->date);
    if (in->cancelled_at[0])
        printf(_("CANCELLED    %s%s%s\n"), in->cancelled_at, in->cancel_reason ? ": " : "",
               in->cancel_reason ? in->cancel_reason : "");
    bool given = false, found = false;
    for (size_t i = 0; i < in->meta.n; i++)
        given |= in->meta.v[i].page == 0, found |= in->meta.v[i].page > 0;
    if (given) {
        printf(_("given at ingest:\n"));
        for (size_t i = 0; i < in->meta.n; i++)
            if (in->meta.v[i].page == 0)
                printf("  %-20s %s\n", in->meta.v[i].field, in->meta.v[i].value);
    }
    if (found) {
        printf(_("found in the text:\n"));
        for (size_t i = 0; i < in->meta.n; i++)
            if (in->meta.v[i].page > 0)
                printf(_("  %-20s %s (page %u)\n"), in->meta.v[i].field, in->meta.v[i].value,
                       in->meta.v[i].page);
    }
}

int sh_cmd_show(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"archive", required_argument, NULL, 'a'},
        {"json", no_argument, NULL, 'J'},
        {"help", no_argument, NULL, 'h'},
        {0},
    };
    const char *archive = NULL;
    bool json = false;
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 'a': archive = optarg; break;
        case 'J': json = true; break;
        case 'h': fputs(_(usage), stdout); return SH_EXIT_OK;
        default: fputs(_(usage), stderr); return SH_EXIT_FATAL;
        }
    }
    if (optind + 1 != argc) {
        fprintf(stderr, _("sohoa show: name one dossier\n\n%s"), _(usage));
        return SH_EXIT_FATAL;
    }
    sh_error err = {0};
    sh_archive *a = sh_archive_open(sh_cli_archive(archive), false, true, NULL, &err);
    if (!a) {
        fprintf(stderr, "sohoa show: %s\n", err.msg);
        return SH_EXIT_FATAL;
    }
    sh_catalog *cat = sh_archive_catalog(a);
    sh_dossier_row row;
    sh_dossier_info info;
    int rc = SH_EXIT_FATAL, found = sh_catalog_find(cat, argv[optind], &row, &err);
    if (found == 0)
        fprintf(stderr, _("sohoa show: no dossier '%s' in the archive\n"), argv[optind]);
    else if (found < 0 || sh_catalog_info(cat, row.id, &info, &err) < 0)
        fprintf(stderr, "sohoa show: %s\n", err.msg);
    else {
        row.source = info.source;
        if (json)
            print_json(&row, &info);
        else
            print_human(&row, &info);
        sh_dossier_info_free(&info);
        rc = SH_EXIT_OK;
    }
    sh_archive_close(a);
    return rc;
}
