/* run.c: `sohoa run`: options into an sh_options, the engine, a line per dossier and a
 * summary for people (stderr) or JSON Lines for programs (stdout). */
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "../engine.h"
#include "../i18n.h"
#include "../watch.h"
#include "cli.h"
#include "sohoa/options.h"

static const char usage[] = N_(
    "usage: sohoa run [OPTIONS] INPUT...\n"
    "\n"
    "Archives each INPUT as one dossier: a multi-page TIFF, a folder of page images\n"
    "(TIFF/JPEG/PNG, natural sort order), or a lone JPEG/PNG. An input already in the\n"
    "archive (same SHA-256 of its bytes) is skipped.\n"
    "\n"
    "  --archive DIR     the archive folder (default $SOHOA_ARCHIVE, else ./archive)\n"
    "  --jobs N          worker threads (default: online CPUs)\n"
    "  --no-ocr          do not recognise text (no clean, no text layer)\n"
    "  --lang LANGS      Tesseract languages (default vie+eng; 'vie' alone works too)\n"
    "  --sidecar         also archive the recognised text as a .txt beside the PDF\n"
    "  --split-on-blank  a blank separator sheet starts a new dossier; the sheets are\n"
    "                    left out of the PDFs and recorded in the catalog\n"
    "  --meta FILE       the operator's metadata for this batch: JSON (a list of objects,\n"
    "                    or objects keyed by input) or CSV (a row per input), the input\n"
    "                    named by a \"file\" column; a sidecar INPUT-stem.json/.csv beside an\n"
    "                    input is read too (mã hồ sơ, mã TTHC, mã định danh, tên giấy tờ,\n"
    "                    tiêu đề, thời hạn bảo quản, ... in English or Vietnamese)\n"
    "  --ocr-dpi N|auto  recognise pages at N dpi (0 = at the scan's resolution); auto\n"
    "                    (the default) picks 150 dpi, 200 or the scan's own per page,\n"
    "                    the lowest at which its letters are big enough; the archived\n"
    "                    image is never rescaled\n"
    "  --sign-key FILE   sign each dossier as it is archived: PEM key or PKCS#12\n"
    "  --sign-cert FILE  the signer's certificate (PEM/DER; optional with .p12/token)\n"
    "  --sign-chain FILE CA certificates to embed (PEM)\n"
    "  --pkcs11-module SO, --token LABEL, --key-label L\n"
    "                    sign with a key on a PKCS#11 token instead (one login per run)\n"
    "  --pin-file FILE   passphrase/PIN is this file's first line (default $SOHOA_PIN)\n"
    "  --sign-digest ALG sha256 (default), sha384, sha512;  --sign-pss  RSASSA-PSS\n"
    "  --sign-profile P  the stamp: digitizer (default: name + time, top-left of page 1),\n"
    "                    agency, result, copy or none (invisible)\n"
    "  --sign-name TEXT, --sign-agency TEXT, --sign-seal PNG, --sign-signature-image PNG,\n"
    "  --sign-title TEXT, --sign-pos X,Y, --sign-font TTF\n"
    "                    what the stamp shows and where (see 'sohoa sign --help')\n"
    "  --no-sign         do not sign, even with a key configured\n"
    "  --replica DIR     keep another complete copy of the archive in DIR (repeatable); a\n"
    "                    dossier counts as archived only once it is in every copy; later\n"
    "                    runs keep it in step without naming it again\n"
    "  --no-replicas     this once, write only the archive (a replica's disk is away); the\n"
    "                    next run with the replica catches it up\n"
    "  --operator NAME   who is running the scan, for the event log (default\n"
    "                    $SOHOA_OPERATOR, else the login name)\n"
    "  --config FILE     read options from FILE too (after /etc/sohoa.conf and\n"
    "                    ~/.config/sohoa/sohoa.conf; the command line wins)\n"
    "  --json            print JSON Lines on stdout: one object per dossier, then a summary\n"
    "  --quiet           print only errors\n"
    "  --io BACKEND      auto, uring or threads (default $SOHOA_IO, else auto)\n"
    "  --default-dpi N   resolution assumed when a file has none or an absurd one (300)\n"
    "  --min-dpi N       flag pages under this resolution (200, the input standard)\n"
    "  --max-pixels N    refuse larger images (400000000)\n"
    "  --max-pages N     refuse files with more pages (100000)\n"
    "  --jpeg[=Q]        store gray/colour pages that are not JPEG already as JPEG of\n"
    "                    quality Q (85): smaller, but lossy; default is lossless Flate\n"
    "  --deskew-image    archive skewed pages straightened (JPEG, G4 if bilevel): an\n"
    "                    access copy; by default the scan is archived as it came\n"
    "\n"
    "Exit status: 0 all inputs archived or already there, 2 some inputs failed (the\n"
    "others were archived; a failed dossier leaves nothing in the archive),\n"
    "1 usage or fatal error (e.g. the archive is not writable or is in use).\n");

typedef struct report {
    bool json, quiet;
    bool tty;                /* stderr is a terminal: a live progress line */
    bool line_shown;         /* the progress line is on screen now */
    unsigned failed;         /* dossiers failed so far */
    pthread_mutex_t lock;    /* the progress thread and the dossier lines share stderr */
} report;

static void clear_progress(report *r)
{
    if (r->line_shown)
        fputs("\r\033[K", stderr);
    r->line_shown = false;
}

static void fmt_duration(char *buf, size_t n, double s)
{
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, n, "%ld:%02ld", t / 60, t % 60);
}

/* One line, rewritten in place: pages done of (an estimate of) all, dossiers, speed, time
 * left, the input being read, failures so far. */
static void on_progress(const sh_progress *p, void *ctx)
{
    report *r = ctx;
    char line[512], eta[32] = "", rate[32] = "";
    double per_input = p->inputs_worked ? (double)p->pages_known / p->inputs_worked : 0;
    double total = p->pages_known + (p->inputs - p->inputs_started) * per_input;
    double ppm = p->seconds > 1 ? p->pages_done / p->seconds * 60 : 0;
    struct winsize ws;
    int width = ioctl(2, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20 ? ws.ws_col : 80;
    const char *cur = p->current ? strrchr(p->current, '/') : NULL;

    if (ppm > 0) {
        snprintf(rate, sizeof rate, _("  %.0f pages/min"), ppm);
        if (total > p->pages_done) {
            fmt_duration(eta, sizeof eta - 6, (total - p->pages_done) / ppm * 60);
            char left[24];
            memcpy(left, eta, sizeof left);
            snprintf(eta, sizeof eta, _("  ETA %s"), left);
        }
    }
    snprintf(line, sizeof line, _("%u/%s%.0f pages  %u/%u inputs%s%s  %s"), p->pages_done,
             p->inputs_started < p->inputs ? "~" : "", total, p->inputs_started, p->inputs,
             rate, eta, cur ? cur + 1 : p->current ? p->current : "");
    pthread_mutex_lock(&r->lock);
    if (r->failed)
        snprintf(line + strlen(line), sizeof line - strlen(line), _("  (%u failed)"), r->failed);
    if ((int)strlen(line) >= width) /* never wrap: the line is redrawn with \r */
        line[width - 1] = '\0';
    fprintf(stderr, "\r\033[K%s", line);
    r->line_shown = true;
    pthread_mutex_unlock(&r->lock);
}

static void print_json(const sh_dossier *d)
{
    printf("{\"type\":\"dossier\",\"source\":");
    sh_json_string(stdout, d->source);
    printf(",\"status\":\"%s\"", sh_status_name(d->status));
    if (d->status == SH_DOSSIER_FAILED) {
        printf(",\"error\":\"%s\",\"message\":", sh_code_name(d->err.code));
        sh_json_string(stdout, d->err.msg);
    } else {
        unsigned low = 0, assumed = 0;
        for (unsigned i = 0; d->pages && i < d->npages; i++) {
            low += !!(d->pages[i].flags & SH_PAGE_LOW_DPI);
            assumed += !!(d->pages[i].flags & SH_PAGE_DPI_ASSUMED);
        }
        printf(",\"id\":\"%s\",\"input_sha256\":\"%s\",\"part\":%u,\"parts\":%u,"
               "\"pages\":%u,\"pdf\":", d->id, d->input_key, d->part ? d->part : 1,
               d->nparts ? d->nparts : 1, d->npages);
        sh_json_string(stdout, d->pdf_path);
        printf(",\"sha256\":\"%s\",\"pdf_bytes\":%zu,\"low_dpi_pages\":%u,"
               "\"dpi_assumed_pages\":%u,\"blank_pages\":[", d->pdf_sha256, d->pdf_len, low,
               assumed);
        bool first = true;
        for (unsigned i = 0; d->pages && i < d->npages; i++)
            if (d->pages[i].blank) {
                printf("%s%u", first ? "" : ",", i + 1);
                first = false;
            }
        printf("],\"page_conf\":[");
        for (unsigned i = 0; d->pages && i < d->npages; i++)
            printf("%s%.1f", i ? "," : "", d->pages[i].mean_conf);
        /* the resolution each page was recognised at (0: not recognised) */
        printf("],\"ocr_dpi\":[");
        for (unsigned i = 0; d->pages && i < d->npages; i++) {
            const sh_page *pg = &d->pages[i];
            double dpi = pg->mean_conf >= 0 ? pg->dpi_y * pg->geom.scale : 0;
            printf("%s%.0f", i ? "," : "", dpi);
        }
        printf("]");
    }
    printf("}\n");
}

static void print_human(const sh_dossier *d)
{
    switch (d->status) {
    case SH_DOSSIER_FAILED:
        /* messages name their file; say the input too when it is a folder */
        if (strncmp(d->err.msg, d->source, strlen(d->source)) == 0)
            fprintf(stderr, _("FAILED     %s\n"), d->err.msg);
        else
            fprintf(stderr, _("FAILED     %s: %s\n"), d->source, d->err.msg);
        return;
    case SH_DOSSIER_DUPLICATE:
        fprintf(stderr, _("skipped    %s: already archived as %s\n"), d->source, d->id);
        return;
    default:
        break;
    }
    if (d->nparts > 1 && d->parent)
        fprintf(stderr, _("archived   %s (part %u of %u, from page %u): %u page%s -> %s\n"),
                d->source, d->part, d->nparts, d->first_page + 1, d->npages,
                d->npages == 1 ? "" : "s", d->pdf_path);
    else
        fprintf(stderr, _("archived   %s: %u page%s -> %s\n"), d->source, d->npages,
                d->npages == 1 ? "" : "s", d->pdf_path);
    unsigned low = 0, assumed = 0, blank = 0;
    for (unsigned i = 0; i < d->npages; i++) {
        low += !!(d->pages[i].flags & SH_PAGE_LOW_DPI);
        assumed += !!(d->pages[i].flags & SH_PAGE_DPI_ASSUMED);
        blank += d->pages[i].blank;
    }
    if (blank) {
        fprintf(stderr, _("  note: %s: blank separator page%s"), d->source, blank == 1 ? "" : "s");
        for (unsigned i = 0; i < d->npages; i++)
            if (d->pages[i].blank)
                fprintf(stderr, " %u", i + 1);
        fputs(_(" (kept in the PDF, flagged in the catalog)\n"), stderr);
    }
    if (assumed)
        fprintf(stderr, _("  warning: %u page%s of %s give no usable resolution; %g dpi "
                "assumed for the page size\n"), assumed, assumed == 1 ? "" : "s", d->source,
                d->pages[0].dpi_x);
    if (low) {
        fprintf(stderr, _("  warning: %s: page%s"), d->source, low == 1 ? "" : "s");
        for (unsigned i = 0; i < d->npages; i++)
            if (d->pages[i].flags & SH_PAGE_LOW_DPI)
                fprintf(stderr, " %u", i + 1);
        fputs(_(" under 200 dpi (the input standard asks for colour at >= 200 dpi)\n"), stderr);
    }
}

static void on_dossier(const sh_dossier *d, void *ctx)
{
    report *r = ctx;
    pthread_mutex_lock(&r->lock);
    clear_progress(r);
    r->failed += d->status == SH_DOSSIER_FAILED;
    if (r->json)
        print_json(d);
    if (!r->quiet || d->status == SH_DOSSIER_FAILED)
        print_human(d);
    pthread_mutex_unlock(&r->lock);
}

static void print_summary(const sh_summary *s, bool json)
{
    double ppm = s->seconds > 0 ? s->pages / s->seconds * 60 : 0;
    if (json) {
        printf("{\"type\":\"summary\",\"inputs\":%u,\"archived\":%u,\"duplicates\":%u,"
               "\"failed\":%u,\"pages\":%u,\"low_dpi_pages\":%u,\"dpi_assumed_pages\":%u,"
               "\"blank_pages\":%u,\"ocr_pages\":%u,\"low_conf_pages\":%u,"
               "\"resumed\":%u,\"rolled_back\":%u,\"input_bytes\":%llu,\"output_bytes\":%llu,"
               "\"seconds\":%.3f,\"pages_per_minute\":%.1f,\"jobs\":%u,\"io\":\"%s\","
               "\"failures\":{",
               s->inputs, s->archived, s->duplicates, s->failed, s->pages, s->low_dpi_pages,
               s->dpi_assumed_pages, s->blank_pages, s->ocr_pages, s->low_conf_pages,
               s->recovery.completed, s->recovery.rolled_back,
               s->input_bytes, s->output_bytes, s->seconds, ppm, s->jobs,
               s->io_backend ? s->io_backend : "");
        bool first = true;
        for (int c = 0; c <= SH_EINTERNAL; c++)
            if (s->failed_by_code[c]) {
                printf("%s\"%s\":%u", first ? "" : ",", sh_code_name(c), s->failed_by_code[c]);
                first = false;
            }
        printf("},\"stage_cpu_seconds\":{");
        for (int i = 0; i < SH_MAX_STAGES && s->stage_name[i]; i++)
            printf("%s\"%s\":%.3f", i ? "," : "", s->stage_name[i], s->stage_cpu[i]);
        printf("}}\n");
        return;
    }
    if (s->replica_copied)
        fprintf(stderr, _("replicas caught up: %u file%s copied from the archive\n"),
                s->replica_copied, s->replica_copied == 1 ? "" : "s");
    if (s->recovery.completed || s->recovery.rolled_back)
        fprintf(stderr, _("recovered an interrupted run: %u dossier(s) completed, %u to redo\n"),
                s->recovery.completed, s->recovery.rolled_back);
    fprintf(stderr, _("%u input%s: %u archived (%u pages), %u already archived, %u failed; "
            "%.1f s, %.0f pages/min, %u jobs, %s I/O\n"),
            s->inputs, s->inputs == 1 ? "" : "s", s->archived, s->pages, s->duplicates,
            s->failed, s->seconds, ppm, s->jobs, s->io_backend ? s->io_backend : "?");
    if (s->low_dpi_pages)
        fprintf(stderr, _("%u page%s under 200 dpi\n"), s->low_dpi_pages,
                s->low_dpi_pages == 1 ? "" : "s");
    if (s->ocr_pages || s->blank_pages)
        fprintf(stderr, _("%u page%s recognised, %u with low confidence (under %.0f), %u blank "
                "separator%s\n"), s->ocr_pages, s->ocr_pages == 1 ? "" : "s", s->low_conf_pages,
                s->low_conf, s->blank_pages, s->blank_pages == 1 ? "" : "s");
    if (s->failed) {
        fputs(_("failures by cause:"), stderr);
        for (int c = 0; c <= SH_EINTERNAL; c++)
            if (s->failed_by_code[c])
                fprintf(stderr, " %s %u", sh_code_name(c), s->failed_by_code[c]);
        fputc('\n', stderr);
    }
}

static int parse_number(const char *opt, const char *s, double min, double max, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (!*s || *end || v < min || v > max) {
        fprintf(stderr, _("sohoa run: %s wants a number from %g to %g, not '%s'\n"), opt, min, max,
                s);
        return -1;
    }
    *out = v;
    return 0;
}

static const char watch_usage[] = N_(
    "usage: sohoa watch [OPTIONS] INBOX   (or --inbox INBOX, e.g. from [watch] in sohoa.conf)\n"
    "\n"
    "Archives each dossier a scanner drops into INBOX, as 'sohoa run' would, once it is\n"
    "complete: a file once it has been written and closed (or renamed in), a folder of\n"
    "page images once nothing in it changed for --settle seconds. Then the input (with its\n"
    "metadata sidecar) moves to INBOX/done, or to INBOX/failed with NAME.error saying why.\n"
    "Stops on SIGTERM or Ctrl-C after the dossiers in hand; a restart goes on from what is\n"
    "left in INBOX (an input archived just before a crash is recognised and moved to done).\n"
    "\n"
    "  --settle N        seconds a folder must stay untouched (10)\n"
    "  --once            archive what is in INBOX now, then stop (for cron)\n"
    "\n"
    "and every option of 'sohoa run' (see 'sohoa run --help').\n");

static void summary_cb(const sh_summary *s, void *ctx)
{
    report *r = ctx;
    pthread_mutex_lock(&r->lock);
    if (!r->quiet || r->json)
        print_summary(s, r->json);
    fflush(stdout);
    pthread_mutex_unlock(&r->lock);
}

static int run_main(int argc, char **argv, bool watch)
{
    enum { O_ARCHIVE = 256, O_JOBS, O_NO_OCR, O_NO_SIGN, O_JSON, O_QUIET, O_IO, O_DPI,
           O_MIN_DPI, O_MAX_PIXELS, O_MAX_PAGES, O_JPEG, O_DESKEW_IMAGE, O_LANG, O_SIDECAR, O_OCR_DPI, O_SPLIT, O_REPLICA, O_NO_REPLICAS, O_OPERATOR, O_META, O_HELP,
           O_SKEY, O_SCERT, O_SCHAIN, O_SMOD, O_STOKEN, O_SKEYLABEL, O_SPIN, O_SDIGEST,
           O_SPSS, O_SPROFILE, O_SNAME, O_SAGENCY, O_SSEAL, O_SPOS, O_SFONT, O_SSIGIMG,
           O_STITLE, O_SETTLE, O_ONCE, O_INBOX };
    static const struct option longopts[] = {
        {"archive", required_argument, NULL, O_ARCHIVE},
        {"jobs", required_argument, NULL, O_JOBS},
        {"no-ocr", no_argument, NULL, O_NO_OCR},
        {"no-sign", no_argument, NULL, O_NO_SIGN},
        {"json", no_argument, NULL, O_JSON},
        {"quiet", no_argument, NULL, O_QUIET},
        {"io", required_argument, NULL, O_IO},
        {"default-dpi", required_argument, NULL, O_DPI},
        {"min-dpi", required_argument, NULL, O_MIN_DPI},
        {"max-pixels", required_argument, NULL, O_MAX_PIXELS},
        {"max-pages", required_argument, NULL, O_MAX_PAGES},
        {"jpeg", optional_argument, NULL, O_JPEG},
        {"deskew-image", no_argument, NULL, O_DESKEW_IMAGE},
        {"lang", required_argument, NULL, O_LANG},
        {"sidecar", no_argument, NULL, O_SIDECAR},
        {"ocr-dpi", required_argument, NULL, O_OCR_DPI},
        {"split-on-blank", no_argument, NULL, O_SPLIT},
        {"replica", required_argument, NULL, O_REPLICA},
        {"no-replicas", no_argument, NULL, O_NO_REPLICAS},
        {"operator", required_argument, NULL, O_OPERATOR},
        {"meta", required_argument, NULL, O_META},
        {"help", no_argument, NULL, O_HELP},
        {"sign-key", required_argument, NULL, O_SKEY},
        {"sign-cert", required_argument, NULL, O_SCERT},
        {"sign-chain", required_argument, NULL, O_SCHAIN},
        {"pkcs11-module", required_argument, NULL, O_SMOD},
        {"token", required_argument, NULL, O_STOKEN},
        {"key-label", required_argument, NULL, O_SKEYLABEL},
        {"pin-file", required_argument, NULL, O_SPIN},
        {"sign-digest", required_argument, NULL, O_SDIGEST},
        {"sign-pss", no_argument, NULL, O_SPSS},
        {"sign-profile", required_argument, NULL, O_SPROFILE},
        {"sign-name", required_argument, NULL, O_SNAME},
        {"sign-agency", required_argument, NULL, O_SAGENCY},
        {"sign-seal", required_argument, NULL, O_SSEAL},
        {"sign-pos", required_argument, NULL, O_SPOS},
        {"sign-font", required_argument, NULL, O_SFONT},
        {"sign-signature-image", required_argument, NULL, O_SSIGIMG},
        {"sign-title", required_argument, NULL, O_STITLE},
        {"settle", required_argument, NULL, O_SETTLE},
        {"once", no_argument, NULL, O_ONCE},
        {"inbox", required_argument, NULL, O_INBOX},
        {0},
    };
    sh_options o;
    const char *pin_file = NULL;
    report r = {0};
    const char *replicas[8];
    const char *archive = NULL, *io = getenv("SOHOA_IO");
    const char *name = watch ? "watch" : "run";
    sh_watch_opts wo = {.settle = 10, .file_settle = 1};
    const char *inbox = NULL;
    double v;
    int c;

    sh_options_defaults(&o);
    /* each batch ends with a slice of the index's merge (search.h), and the scanner's next
     * dossier waits for it: a short one, the merge goes on at the next batch */
    if (watch)
        o.index_merge_seconds = 5;
    optind = 1;
    while ((c = getopt_long(argc, argv, "hj:q", longopts, NULL)) != -1) {
        switch (c) {
        case O_ARCHIVE: archive = optarg; break;
        case 'j':
        case O_JOBS:
            if (parse_number("--jobs", optarg, 1, 256, &v) < 0)
                return SH_EXIT_FATAL;
            o.jobs = (unsigned)v;
            break;
        case O_NO_OCR: o.ocr = false; break;
        case O_LANG: o.lang = optarg; break;
        case O_SIDECAR: o.sidecar = true; break;
        case O_SPLIT: o.split_on_blank = true; break;
        case O_REPLICA:
            if (o.nreplicas == sizeof replicas / sizeof *replicas) {
                fprintf(stderr, _("sohoa run: at most %zu replicas\n"), o.nreplicas);
                return SH_EXIT_FATAL;
            }
            replicas[o.nreplicas++] = optarg;
            o.replicas = replicas;
            break;
        case O_NO_REPLICAS: o.registered_replicas = false; break;
        case O_OPERATOR: o.operator_name = optarg; break;
        case O_META: o.meta_file = optarg; break;
        case O_OCR_DPI:
            if (strcmp(optarg, "auto") == 0)
                o.ocr_dpi = SH_OCR_DPI_AUTO;
            else if (parse_number("--ocr-dpi", optarg, 0, 1200, &o.ocr_dpi) < 0)
                return SH_EXIT_FATAL;
            break;
        case O_NO_SIGN: o.sign = false; break;
        case O_SKEY: o.sign_key.key = optarg; break;
        case O_SCERT: o.sign_key.cert = optarg; break;
        case O_SCHAIN: o.sign_key.chain = optarg; break;
        case O_SMOD: o.sign_key.pkcs11_module = optarg; break;
        case O_STOKEN: o.sign_key.token = optarg; break;
        case O_SKEYLABEL: o.sign_key.key_label = optarg; break;
        case O_SPIN: pin_file = optarg; break;
        case O_SDIGEST: o.sign_key.digest = optarg; break;
        case O_SPSS: o.sign_key.pss = true; break;
        case O_SPROFILE:
            if (sh_cli_profile(optarg, &o.sign_look.profile) < 0)
                return SH_EXIT_FATAL;
            break;
        case O_SNAME: o.sign_look.name = optarg; break;
        case O_SAGENCY: o.sign_look.agency = optarg; break;
        case O_SSEAL: o.sign_look.seal_png = optarg; break;
        case O_SPOS:
            if (sh_cli_pos(optarg, &o.sign_look.x, &o.sign_look.y) < 0)
                return SH_EXIT_FATAL;
            break;
        case O_SFONT: o.sign_look.font = optarg; break;
        case O_SSIGIMG: o.sign_look.sig_png = optarg; break;
        case O_STITLE: o.sign_look.title = optarg; break;
        case O_JSON: r.json = true; break;
        case 'q':
        case O_QUIET: r.quiet = true; break;
        case O_IO: io = optarg; break;
        case O_DPI:
            if (parse_number("--default-dpi", optarg, 50, 4800, &o.default_dpi) < 0)
                return SH_EXIT_FATAL;
            break;
        case O_MIN_DPI:
            if (parse_number("--min-dpi", optarg, 0, 4800, &o.min_dpi) < 0)
                return SH_EXIT_FATAL;
            break;
        case O_MAX_PIXELS:
            if (parse_number("--max-pixels", optarg, 1, 1e12, &v) < 0)
                return SH_EXIT_FATAL;
            o.max_pixels = (uint64_t)v;
            break;
        case O_MAX_PAGES:
            if (parse_number("--max-pages", optarg, 1, 1e7, &v) < 0)
                return SH_EXIT_FATAL;
            o.max_pages = (unsigned)v;
            break;
        case O_DESKEW_IMAGE:
            o.deskew_image = true;
            break;
        case O_JPEG:
            o.lossy_jpeg = true;
            if (optarg) {
                if (parse_number("--jpeg", optarg, 10, 100, &v) < 0)
                    return SH_EXIT_FATAL;
                o.jpeg_quality = (int)v;
            }
            break;
        case O_SETTLE:
        case O_ONCE:
        case O_INBOX:
            if (!watch) {
                fprintf(stderr, _("sohoa run: %s is an option of 'sohoa watch'\n"),
                        argv[optind - 1]);
                return SH_EXIT_FATAL;
            }
            if (c == O_ONCE)
                wo.once = true;
            else if (c == O_INBOX)
                inbox = optarg;
            else if (parse_number("--settle", optarg, 0, 86400, &wo.settle) < 0)
                return SH_EXIT_FATAL;
            break;
        case 'h':
        case O_HELP: fputs(watch ? _(watch_usage) : _(usage), stdout); return SH_EXIT_OK;
        default: fputs(watch ? _(watch_usage) : _(usage), stderr); return SH_EXIT_FATAL;
        }
    }
    if (io && *io && sh_io_backend_parse(io, &o.io) < 0) {
        fprintf(stderr, _("sohoa %s: unknown I/O backend '%s' (auto, uring or threads)\n"), name,
                io);
        return SH_EXIT_FATAL;
    }
    if (watch && optind < argc)
        inbox = argv[optind]; /* the command line's over the configuration's --inbox */
    if (optind >= argc && !(watch && inbox)) {
        fprintf(stderr, watch ? _("sohoa %s: no inbox given\n\n%s") : _("sohoa %s: no input given\n\n%s"), name,
                watch ? _(watch_usage) : _(usage));
        return SH_EXIT_FATAL;
    }
    if (watch && optind + 1 < argc) {
        fprintf(stderr, _("sohoa watch: one inbox folder, not %d\n"), argc - optind);
        return SH_EXIT_FATAL;
    }
    if (o.deskew_image && !o.ocr) {
        fprintf(stderr, _("sohoa %s: --deskew-image needs recognition (the skew is found while "
                          "cleaning for OCR); drop --no-ocr\n"), name);
        return SH_EXIT_FATAL;
    }
    o.archive = sh_cli_archive(archive);
    if (!o.operator_name)
        o.operator_name = sh_cli_operator();
    if (o.sign_key.key && o.sign_key.pkcs11_module) {
        fprintf(stderr, _("sohoa %s: give either --sign-key or --pkcs11-module, not both\n"),
                name);
        return SH_EXIT_FATAL;
    }
    char *pin = NULL;
    if ((o.sign_key.key || o.sign_key.pkcs11_module) && o.sign &&
        sh_cli_read_pin(pin_file, &pin) < 0)
        return SH_EXIT_FATAL;
    o.sign_key.pin = pin;

    sh_summary sum;
    sh_error err = {0};
    pthread_mutex_init(&r.lock, NULL);
    r.tty = isatty(2) && !r.quiet && !r.json;
    sh_engine_hooks hooks = {.on_dossier = on_dossier, .on_progress = r.tty ? on_progress : NULL,
                             .ctx = &r};
    int rc;
    if (watch) {
        hooks.on_progress = NULL;
        if (!r.quiet)
            fprintf(stderr, _("sohoa watch: watching %s (Ctrl-C stops)\n"), inbox);
        rc = sh_watch(&o, inbox, &wo, &hooks, summary_cb, &err);
    } else {
        rc = sh_engine_run(&o, argv + optind, (size_t)(argc - optind), &hooks, &sum, &err);
    }
    clear_progress(&r);
    pthread_mutex_destroy(&r.lock);
    sh_cli_free_pin(pin);
    if (rc < 0) {
        fprintf(stderr, "sohoa %s: %s\n", name, err.msg);
        return SH_EXIT_FATAL;
    }
    if (watch)
        return SH_EXIT_OK;
    if (!r.quiet || r.json)
        print_summary(&sum, r.json);
    return sum.failed ? SH_EXIT_PARTIAL : SH_EXIT_OK;
}

int sh_cmd_run(int argc, char **argv) { return run_main(argc, argv, false); }
int sh_cmd_watch(int argc, char **argv) { return run_main(argc, argv, true); }
