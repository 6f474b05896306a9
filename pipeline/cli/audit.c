/* audit.c: `sohoa verify --archive` and `sohoa repair`: the fixity audit of an archive and
 * its replicas, for people (one line per faulty file, a progress line on a terminal) or for
 * programs (JSON Lines). Reads the catalog without the writer lock: safe during a run. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../i18n.h"
#include "cli.h"
#include "sohoa/archive.h"
#include "sohoa/fixity.h"

static const char verify_usage[] = N_(
    "usage: sohoa verify --archive [DIR] [OPTIONS]\n"
    "\n"
    "Re-reads every file of the archive and of its replicas, compares each with the\n"
    "SHA-256 recorded when it was written, and lists files on disk the catalog does not\n"
    "know. Each faulty file is named with its folder; the exit status is 2 if any.\n"
    "\n");
static const char repair_usage[] = N_(
    "usage: sohoa repair [--archive DIR] [OPTIONS]\n"
    "\n"
    "Like verify, and restores each missing or damaged file from a copy (the archive or a\n"
    "replica) that still matches the catalog, atomically. Removes temporary files left by\n"
    "interrupted writes; leaves files the catalog does not know where they are.\n"
    "Exit status 2 when something could not be repaired.\n"
    "\n");
static const char options_usage[] = N_(
    "  --archive DIR    the archive folder (default $SOHOA_ARCHIVE, else ./archive)\n"
    "  --replica DIR    also check this copy (the replicas the catalog remembers are\n"
    "                   checked anyway; --no-replicas skips them)\n"
    "  --since DATE     only files written since DATE (2026-01-31 or ISO 8601)\n"
    "  --sample P       check a random P percent of the files (e.g. 5%), for routine audits\n"
    "  --seed N         the sample's seed, to repeat an audit exactly\n"
    "  --jobs N         files hashed at once (default: online CPUs)\n"
    "  --json           JSON Lines on stdout: one object per problem, then a summary\n"
    "  --quiet          print problems only\n"
    "  --no-record      do not add a fixity event per dossier to the catalog\n"
    "\n"
    "Exit status: 0 every file matches, 2 problems found (or left unrepaired),\n"
    "1 usage or fatal error.\n");

typedef struct audit {
    bool json, quiet, tty;
    double last;
    double t0;
} audit;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The problem's name in the reader's language (JSON keeps sh_fixity_kind_name's). */
static const char *kind_label(sh_fixity_kind k)
{
    switch (k) {
    case SH_FIX_OK: return _("ok");
    case SH_FIX_MISSING: return _("missing");
    case SH_FIX_SIZE: return _("size differs");
    case SH_FIX_HASH: return _("hash differs");
    case SH_FIX_UNREADABLE: return _("unreadable");
    case SH_FIX_UNKNOWN: return _("not in the catalog");
    case SH_FIX_TEMP: return _("left by an interrupted write");
    case SH_FIX_CATALOG: return _("catalog copy damaged");
    case SH_FIX_SIGNATURE: return _("signature fails");
    }
    return sh_fixity_kind_name(k);
}

static void on_issue(const sh_fixity_issue *is, void *ctx)
{
    audit *au = ctx;
    if (au->tty && !au->quiet)
        fputs("\r\033[K", stderr); /* clear the progress line */
    if (au->json) {
        printf("{\"type\":\"problem\",\"copy\":");
        sh_json_string(stdout, is->copy);
        printf(",\"path\":");
        sh_json_string(stdout, is->path);
        printf(",\"problem\":\"%s\",\"detail\":", sh_fixity_kind_name(is->kind));
        sh_json_string(stdout, is->detail);
        printf(",\"repaired\":%s}\n", is->repaired > 0 ? "true" : "false");
        fflush(stdout);
        return;
    }
    fprintf(stderr, "%-9s %s/%s: %s: %s\n",
            is->repaired > 0 ? _("REPAIRED") : is->kind == SH_FIX_UNKNOWN ? _("UNKNOWN") : _("FAULTY"),
            is->copy, is->path, kind_label(is->kind), is->detail);
}

static void on_progress(const sh_fixity_stats *st, void *ctx)
{
    audit *au = ctx;
    double t = now_s();
    if (!au->tty || au->quiet || au->json || t - au->last < 0.25)
        return;
    au->last = t;
    fputs("\r\033[K", stderr);
    fprintf(stderr, _("checked %llu file%s in %u cop%s, %.1f MB, %.0f MB/s"),
            (unsigned long long)st->checked, st->checked == 1 ? "" : "s", st->copies,
            st->copies == 1 ? "y" : "ies", st->bytes / 1e6,
            st->bytes / 1e6 / (t - au->t0 > 1e-3 ? t - au->t0 : 1e-3));
}

/* "5%" or "0.05" or "5" (percent when > 1). */
static int parse_sample(const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || v <= 0 || (*end && strcmp(end, "%") != 0))
        return -1;
    if (*end == '%' || v > 1)
        v /= 100;
    if (v > 1)
        return -1;
    *out = v;
    return 0;
}

static int audit_main(int argc, char **argv, bool repair)
{
    enum { O_ARCHIVE = 256, O_REPLICA, O_NO_REPLICAS, O_SINCE, O_SAMPLE, O_SEED, O_JOBS,
           O_JSON, O_QUIET, O_NO_RECORD, O_HELP };
    static const struct option longopts[] = {
        {"archive", optional_argument, NULL, O_ARCHIVE},
        {"replica", required_argument, NULL, O_REPLICA},
        {"no-replicas", no_argument, NULL, O_NO_REPLICAS},
        {"since", required_argument, NULL, O_SINCE},
        {"sample", required_argument, NULL, O_SAMPLE},
        {"seed", required_argument, NULL, O_SEED},
        {"jobs", required_argument, NULL, O_JOBS},
        {"json", no_argument, NULL, O_JSON},
        {"quiet", no_argument, NULL, O_QUIET},
        {"no-record", no_argument, NULL, O_NO_RECORD},
        {"help", no_argument, NULL, O_HELP},
        {0},
    };
    const char *name = repair ? "repair" : "verify";
    const char *archive = NULL, *extra[8];
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    sh_fixity_opts o = {.jobs = cpus > 0 ? (unsigned)cpus : 1, .replicas = true,
                        .repair = repair, .record_events = true, .extra = extra};
    audit au = {.tty = isatty(2), .t0 = now_s()};
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "hq", longopts, NULL)) != -1) {
        switch (c) {
        case O_ARCHIVE:
            if (optarg)
                archive = optarg;
            else if (optind < argc && argv[optind][0] != '-')
                archive = argv[optind++]; /* --archive DIR, as everywhere else */
            break;
        case O_REPLICA:
            if (o.nextra == sizeof extra / sizeof *extra) {
                fprintf(stderr, _("sohoa %s: at most %zu extra copies\n"), name, o.nextra);
                return SH_EXIT_FATAL;
            }
            extra[o.nextra++] = optarg;
            break;
        case O_NO_REPLICAS: o.replicas = false; break;
        case O_SINCE: o.since = optarg; break;
        case O_SAMPLE:
            if (parse_sample(optarg, &o.sample) < 0) {
                fprintf(stderr, _("sohoa %s: --sample wants a percentage such as 5%%, not '%s'\n"),
                        name, optarg);
                return SH_EXIT_FATAL;
            }
            break;
        case O_SEED: o.seed = strtoull(optarg, NULL, 10); break;
        case O_JOBS: {
            int j = atoi(optarg);
            if (j < 1 || j > 64) {
                fprintf(stderr, _("sohoa %s: --jobs wants 1 to 64, not '%s'\n"), name, optarg);
                return SH_EXIT_FATAL;
            }
            o.jobs = (unsigned)j;
            break;
        }
        case O_JSON: au.json = true; break;
        case 'q':
        case O_QUIET: au.quiet = true; break;
        case O_NO_RECORD: o.record_events = false; break;
        case 'h':
        case O_HELP:
            fputs(repair ? _(repair_usage) : _(verify_usage), stdout);
            fputs(_(options_usage), stdout);
            return SH_EXIT_OK;
        default:
            fputs(repair ? _(repair_usage) : _(verify_usage), stderr);
            fputs(_(options_usage), stderr);
            return SH_EXIT_FATAL;
        }
    }
    if (optind < argc) {
        fprintf(stderr, _("sohoa %s: unexpected argument '%s'\n"), name, argv[optind]);
        return SH_EXIT_FATAL;
    }
    o.on_issue = on_issue;
    o.on_progress = on_progress;
    o.ctx = &au;

    sh_error err = {0};
    const char *dir = sh_cli_archive(archive);
    sh_archive *a = sh_archive_open(dir, false, true, NULL, &err);
    sh_io *io = a ? sh_io_open(SH_IO_AUTO, 0, &err) : NULL;
    sh_fixity_stats st;
    int rc = io ? sh_archive_verify(a, io, &o, &st, &err) : -1;
    sh_io_close(io);
    sh_archive_close(a);
    if (au.tty && !au.quiet && !au.json)
        fputs("\r\033[K", stderr);
    if (rc < 0) {
        fprintf(stderr, "sohoa %s: %s\n", name, err.msg);
        return SH_EXIT_FATAL;
    }
    double secs = now_s() - au.t0;
    uint64_t left = st.problems - st.repaired;
    if (au.json) {
        printf("{\"type\":\"summary\",\"copies\":%u,\"files\":%llu,\"dossiers\":%u,"
               "\"dossiers_faulty\":%u,\"bytes\":%llu,\"problems\":%llu,\"repaired\":%llu,"
               "\"seconds\":%.3f}\n", st.copies, (unsigned long long)st.files, st.dossiers,
               st.dossiers_bad, (unsigned long long)st.bytes, (unsigned long long)st.problems,
               (unsigned long long)st.repaired, secs);
    } else if (!au.quiet || st.problems) {
        fprintf(stderr, _("%s: %llu file%s of %u dossier%s in %u cop%s, %.1f MB in %.1f s: "),
                dir, (unsigned long long)st.files, st.files == 1 ? "" : "s", st.dossiers,
                st.dossiers == 1 ? "" : "s", st.copies, st.copies == 1 ? "y" : "ies",
                st.bytes / 1e6, secs);
        if (!st.problems)
            fputs(_("all match the catalog\n"), stderr);
        else if (repair)
            fprintf(stderr, _("%llu problem%s, %llu repaired, %llu left\n"),
                    (unsigned long long)st.problems, st.problems == 1 ? "" : "s",
                    (unsigned long long)st.repaired, (unsigned long long)left);
        else
            fprintf(stderr, _("%llu problem%s (run 'sohoa repair' to restore from a good copy)\n"),
                    (unsigned long long)st.problems, st.problems == 1 ? "" : "s");
    }
    return left ? SH_EXIT_PARTIAL : SH_EXIT_OK;
}

int sh_cmd_audit(int argc, char **argv) { return audit_main(argc, argv, false); }
int sh_cmd_repair(int argc, char **argv) { return audit_main(argc, argv, true); }
