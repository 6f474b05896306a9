/* cancel.c: `sohoa cancel DOSSIER`: marks an archived result cancelled (NĐ 45/2020 Art. 15):
 * the time and reason are recorded, the file stays, search still finds it, flagged. */
#include <getopt.h>
#include <stdio.h>

#include "../i18n.h"
#include "cli.h"
#include "sohoa/search.h"

static const char usage[] = N_(
    "usage: sohoa cancel [--archive DIR] [--reason TEXT] DOSSIER\n"
    "\n"
    "Marks a dossier (its id, a unique start of it, or its dossier code) cancelled, with the\n"
    "time and the reason. Its PDF stays in the archive and search still finds it, flagged.\n"
    "  --archive DIR   the archive folder (default $SOHOA_ARCHIVE, else ./archive)\n"
    "  --reason TEXT   why (kept in the catalog, shown by sohoa show)\n");

int sh_cmd_cancel(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"archive", required_argument, NULL, 'a'},
        {"reason", required_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {0},
    };
    const char *archive = NULL, *reason = NULL;
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 'a': archive = optarg; break;
        case 'r': reason = optarg; break;
        case 'h': fputs(_(usage), stdout); return SH_EXIT_OK;
        default: fputs(_(usage), stderr); return SH_EXIT_FATAL;
        }
    }
    if (optind + 1 != argc) {
        fprintf(stderr, _("sohoa cancel: name one dossier\n\n%s"), _(usage));
        return SH_EXIT_FATAL;
    }
    sh_error err = {0};
    sh_archive *a = sh_archive_open(sh_cli_archive(archive), false, false, NULL, &err);
    if (!a) {
        fprintf(stderr, "sohoa cancel: %s\n", err.msg);
        return SH_EXIT_FATAL;
    }
    sh_catalog *cat = sh_archive_catalog(a);
    sh_dossier_row row;
    int rc = SH_EXIT_FATAL, found = sh_catalog_find(cat, argv[optind], &row, &err), done;
    if (found == 0)
        fprintf(stderr, _("sohoa cancel: no dossier '%s' in the archive\n"), argv[optind]);
    else if (found < 0 || (done = sh_catalog_cancel(cat, row.id, reason, &err)) < 0)
        fprintf(stderr, "sohoa cancel: %s\n", err.msg);
    else if (done == 0)
        fprintf(stderr, _("sohoa cancel: %s is already cancelled (or not archived yet)\n"), row.id);
    else {
        fprintf(stderr, _("cancelled  %s (%s): kept in the archive, flagged in search\n"), row.id,
                row.pdf);
        rc = SH_EXIT_OK;
    }
    sh_archive_close(a);
    return rc;
}
