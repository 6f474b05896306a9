/* main.c: sohoa's entry point: makes the process environment right, then hands over to
 * the command. The only place that decides an exit status. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "config.h"
#include "i18n.h"
#include "sohoa/ingest.h"

static const char usage[] = N_(
    "usage: sohoa COMMAND [OPTIONS] [ARGS]\n"
    "\n"
    "Turns scanned paper into archived, searchable, signed PDF.\n"
    "\n"
    "Commands:\n"
    "  run INPUT...     archive each input (a multi-page TIFF, a folder of page images,\n"
    "                   or a lone JPEG/PNG) as one PDF dossier: cleaned, read, signed\n"
    "  watch INBOX      archive each dossier a scanner drops into INBOX (a service)\n"
    "  list             list the dossiers in the archive\n"
    "  search QUERY     find archived pages by their words (with or without diacritics),\n"
    "                   or documents by applicant, procedure, date\n"
    "  show DOSSIER     a dossier and its metadata\n"
    "  sign PDF...      add a PAdES signature to PDFs (in place or into --out)\n"
    "  verify PDF...    check every signature of the PDFs given\n"
    "  verify --archive check every file of the archive and its replicas against the\n"
    "                   SHA-256 recorded when it was written\n"
    "  repair           restore damaged or missing files from a good copy\n"
    "  export --bagit   archived dossiers as BagIt bags for the state archive\n"
    "  report           digitization figures (dossiers, pages, results, reuse, signatures)\n"
    "  cancel DOSSIER   mark a result cancelled (kept, findable, flagged)\n"
    "  reindex          rebuild the search index from the catalog\n"
    "\n"
    "Run 'sohoa COMMAND --help' for a command's options.\n"
    "\n"
    "Exit status: 0 all good, 2 some inputs failed (the rest were archived),\n"
    "1 usage or fatal error.\n"
    "\n"
    "Environment: SOHOA_ARCHIVE (archive folder), SOHOA_IO (auto|uring|threads),\n"
    "SOHOA_PIN (signing key passphrase or token PIN).\n");

/* `verify` checks signatures of the PDFs it is given, or with --archive (or no file at
 * all) the archive's fixity. */
static int verify_wants_archive(int argc, char **argv)
{
    bool files = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--archive") == 0 || strncmp(argv[i], "--archive=", 10) == 0)
            return 1;
        if (strcmp(argv[i], "--trust") == 0)
            i++;
        else if (argv[i][0] != '-')
            files = true;
    }
    return !files && !(argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0));
}

int main(int argc, char **argv)
{
    sh_i18n_init(argv[0]);
    sh_ingest_global_init();

    if (argc < 2) {
        fputs(_(usage), stderr);
        return SH_EXIT_FATAL;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(_(usage), stdout);
        return SH_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("sohoa %s\n", SOHOA_VERSION);
        return SH_EXIT_OK;
    }
    static const struct {
        const char *name;
        int (*fn)(int argc, char **argv);
    } commands[] = {
        {"run", sh_cmd_run},         {"watch", sh_cmd_watch},   {"list", sh_cmd_list},     {"search", sh_cmd_search},
        {"show", sh_cmd_show},       {"sign", sh_cmd_sign},     {"verify", sh_cmd_verify},
        {"audit", sh_cmd_audit},     {"repair", sh_cmd_repair}, {"export", sh_cmd_export},
        {"cancel", sh_cmd_cancel},   {"reindex", sh_cmd_reindex}, {"report", sh_cmd_report},
    };
    /* verify checks PDFs' signatures, or with --archive the archive's fixity ("audit" in
     * the configuration files) */
    if (strcmp(cmd, "verify") == 0 && verify_wants_archive(argc - 1, argv + 1))
        cmd = "audit";
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        if (strcmp(cmd, commands[i].name) != 0)
            continue;
        int n;
        char **args;
        sh_error err = {0};
        if (sh_config_args(cmd, argc - 1, argv + 1, &n, &args, &err) < 0) {
            fprintf(stderr, "sohoa: %s\n", err.msg);
            return SH_EXIT_FATAL;
        }
        return commands[i].fn(n, args);
    }
    fprintf(stderr, _("sohoa: unknown command '%s'\n\n%s"), cmd, _(usage));
    return SH_EXIT_FATAL;
}
