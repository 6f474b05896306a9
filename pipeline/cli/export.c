/* export.c: `sohoa export --bagit DIR [DOSSIER...]`: archived dossiers as BagIt bags for
 * the state archive, one bag per dossier, each written atomically. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../i18n.h"
#include "cli.h"
#include "sohoa/archive.h"
#include "sohoa/bagit.h"

static const char usage[] = N_(
    "usage: sohoa export --bagit DIR [--archive DIR] [--organization NAME] [DOSSIER...]\n"
    "\n"
    "Writes one BagIt bag (RFC 8493) per dossier into DIR/<dossier id>/: the PDF and its\n"
    "text under data/, bag-info.txt, SHA-256 manifests and the dossier's event log as\n"
    "PREMIS (premis.xml). Without DOSSIER ids, every archived dossier not yet in DIR.\n"
    "\n"
    "  --bagit DIR          where the bags go (created if need be)\n"
    "  --archive DIR        the archive folder (default $SOHOA_ARCHIVE, else ./archive)\n"
    "  --organization NAME  Source-Organization in bag-info.txt (default $SOHOA_ORGANIZATION)\n"
    "\n"
    "Exit status: 0 all exported, 2 some dossiers could not be, 1 usage or fatal error.\n");

typedef struct ids {
    char (*v)[17];
    size_t n;
} ids;

static int collect(const sh_dossier_row *row, void *ctx)
{
    ids *l = ctx;
    char(*v)[17] = realloc(l->v, (l->n + 1) * sizeof *v);
    if (!v)
        return 1;
    l->v = v;
    memcpy(v[l->n++], row->id, 17);
    return 0;
}

int sh_cmd_export(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"bagit", required_argument, NULL, 'b'},
        {"archive", required_argument, NULL, 'a'},
        {"organization", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {0},
    };
    const char *archive = NULL, *out = NULL;
    sh_bag_info info = {.organization = getenv("SOHOA_ORGANIZATION")};
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 'b': out = optarg; break;
        case 'a': archive = optarg; break;
        case 'o': info.organization = optarg; break;
        case 'h': fputs(_(usage), stdout); return SH_EXIT_OK;
        default: fputs(_(usage), stderr); return SH_EXIT_FATAL;
        }
    }
    if (!out) {
        fprintf(stderr, _("sohoa export: say where the bags go with --bagit DIR\n\n%s"), _(usage));
        return SH_EXIT_FATAL;
    }
    sh_error err = {0};
    sh_archive *a = sh_archive_open(sh_cli_archive(archive), false, true, NULL, &err);
    sh_io *io = a ? sh_io_open(SH_IO_AUTO, 0, &err) : NULL;
    if (!io) {
        fprintf(stderr, "sohoa export: %s\n", err.msg);
        sh_archive_close(a);
        return SH_EXIT_FATAL;
    }
    ids all = {0};
    bool every = optind == argc;
    if (every && sh_catalog_each(sh_archive_catalog(a), "archived", collect, &all, &err) < 0) {
        fprintf(stderr, "sohoa export: %s\n", err.msg);
        sh_io_close(io);
        sh_archive_close(a);
        return SH_EXIT_FATAL;
    }
    size_t n = every ? all.n : (size_t)(argc - optind), done = 0, failed = 0, skipped = 0;
    for (size_t i = 0; i < n; i++) {
        const char *id = every ? all.v[i] : argv[optind + i];
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", out, id);
        if (every && access(path, F_OK) == 0) { /* exported by an earlier run */
            skipped++;
            continue;
        }
        sh_error_clear(&err);
        if (sh_archive_export_bag(a, io, id, out, &info, &err) < 0) {
            fprintf(stderr, _("FAILED     %s: %s\n"), id, err.msg);
            failed++;
        } else {
            fprintf(stderr, _("exported   %s -> %s\n"), id, path);
            done++;
        }
    }
    fprintf(stderr, _("%zu bag%s written to %s, %zu already there, %zu failed\n"), done,
            done == 1 ? "" : "s", out, skipped, failed);
    free(all.v);
    sh_io_close(io);
    sh_archive_close(a);
    return failed ? SH_EXIT_PARTIAL : SH_EXIT_OK;
}
