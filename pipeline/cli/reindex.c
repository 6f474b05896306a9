/* reindex.c: `sohoa reindex`: rebuilds the search index from the catalog's stored text and
 * reads the facts in it again (the operator's metadata stays as given). Also the way to
 * give an archive made before the index its index. `--merge` only merges its segments. */
#include <getopt.h>
#include <stdio.h>
#include <time.h>

#include "../i18n.h"
#include "cli.h"
#include "sohoa/search.h"

static const char usage[] = N_(
    "usage: sohoa reindex [--archive DIR] [--merge] [--quiet]\n"
    "\n"
    "Rebuilds the search index and the metadata read from the text, in one transaction:\n"
    "an interrupted reindex leaves the old index as it was.\n"
    "  --archive DIR   the archive folder (default $SOHOA_ARCHIVE, else ./archive)\n"
    "  --merge         only merge the index into one segment, as each run does once enough\n"
    "                  is new: searches as fast as after a rebuild, in a fraction of its time\n"
    "  --quiet         print only errors\n");

static void progress(unsigned done, void *ctx)
{
    if (!*(bool *)ctx && done % 10000 == 0)
        fprintf(stderr, _("reindex: %u dossiers\n"), done);
}

int sh_cmd_reindex(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"archive", required_argument, NULL, 'a'},
        {"quiet", no_argument, NULL, 'q'},
        {"merge", no_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},
        {0},
    };
    const char *archive = NULL;
    bool quiet = false, merge_only = false;
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "hq", longopts, NULL)) != -1) {
        switch (c) {
        case 'a': archive = optarg; break;
        case 'q': quiet = true; break;
        case 'm': merge_only = true; break;
        case 'h': fputs(_(usage), stdout); return SH_EXIT_OK;
        default: fputs(_(usage), stderr); return SH_EXIT_FATAL;
        }
    }
    if (optind < argc) {
        fprintf(stderr, _("sohoa reindex: unexpected argument '%s'\n\n%s"), argv[optind], _(usage));
        return SH_EXIT_FATAL;
    }
    sh_error err = {0};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    sh_archive *a = sh_archive_open(sh_cli_archive(archive), false, false, NULL, &err);
    if (!a) {
        fprintf(stderr, "sohoa reindex: %s\n", err.msg);
        return SH_EXIT_FATAL;
    }
    long long pages = 0, bytes = 0;
    int rc, before = 0, after = 0;
    if (merge_only) {
        sh_catalog *cat = sh_archive_catalog(a);
        rc = before = sh_catalog_index_segments(cat, &err);
        if (rc >= 0)
            rc = after = sh_catalog_index_merge(cat, 1e9, 0, &err);
        rc = rc < 0 ? -1 : 0;
    } else {
        rc = sh_catalog_reindex(sh_archive_catalog(a), progress, &quiet, &err);
    }
    if (rc == 0)
        rc = sh_catalog_index_size(sh_archive_catalog(a), &pages, &bytes, &err);
    sh_archive_close(a);
    if (rc < 0) {
        fprintf(stderr, "sohoa reindex: %s\n", err.msg);
        return SH_EXIT_FATAL;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (!quiet && merge_only)
        fprintf(stderr, _("merged the index of %lld pages (%.1f MB) from %d segments into %d in "
                  "%.1f s\n"), pages, bytes / 1e6, before, after, secs);
    else if (!quiet)
        fprintf(stderr, _("reindexed %lld pages with text (%.1f MB of index) in %.1f s\n"), pages,
                bytes / 1e6, secs);
    return SH_EXIT_OK;
}
