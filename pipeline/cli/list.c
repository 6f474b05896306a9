/* list.c: `sohoa list`: the dossiers in the archive, as a table or JSON Lines.
 * Opens the catalog read-only: safe while a run is writing. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../i18n.h"
#include "cli.h"
#include "sohoa/archive.h"

static const char usage[] = N_(
    "usage: sohoa list [--archive DIR] [--json]\n"
    "\n"
    "Lists the dossiers in the archive, oldest first.\n"
    "  --archive DIR   the archive folder (default $SOHOA_ARCHIVE, else ./archive)\n"
    "  --json          JSON Lines: id, source, pages, pdf, sha256 (of the PDF),\n"
    "                  input_sha256, pdf_bytes, low_dpi_pages, status, created_at\n");

static int print_row(const sh_dossier_row *r, void *ctx)
{
    bool json = *(bool *)ctx;
    if (!json) {
        /* the status padded to 8 characters, not bytes: "đã lưu" is 6 in 9 */
        const char *st = sh_cli_status(r->status);
        int chars = 0;
        for (const char *q = st; *q; q++)
            chars += ((unsigned char)*q & 0xC0) != 0x80;
        printf("%-16s  %s%*s  %5u  %s  %s\n", r->id, st, chars < 8 ? 8 - chars : 0, "",
               r->pages, r->pdf, r->source ? r->source : "");
        return 0;
    }
    printf("{\"id\":\"%s\",\"source\":", r->id);
    sh_json_string(stdout, r->source);
    printf(",\"pages\":%u,\"pdf\":", r->pages);
    sh_json_string(stdout, r->pdf);
    printf(",\"sha256\":\"%s\",\"input_sha256\":\"%s\",\"pdf_bytes\":%llu,"
           "\"low_dpi_pages\":%u,\"status\":\"%s\",\"created_at\":\"%s\"}\n",
           r->pdf_sha256, r->key, (unsigned long long)r->pdf_bytes, r->low_dpi_pages,
           r->status, r->created_at);
    return 0;
}

int sh_cmd_list(int argc, char **argv)
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
    if (optind < argc) {
        fprintf(stderr, "sohoa list: unexpected argument '%s'\n\n%s", argv[optind], _(usage));
        return SH_EXIT_FATAL;
    }
    sh_error err = {0};
    sh_archive *a = sh_archive_open(sh_cli_archive(archive), false, true, NULL, &err);
    if (!a) {
        fprintf(stderr, "sohoa list: %s\n", err.msg);
        return SH_EXIT_FATAL;
    }
    int rc = sh_catalog_each(sh_archive_catalog(a), NULL, print_row, &json, &err);
    sh_archive_close(a);
    if (rc < 0) {
        fprintf(stderr, "sohoa list: %s\n", err.msg);
        return SH_EXIT_FATAL;
    }
    return SH_EXIT_OK;
}
