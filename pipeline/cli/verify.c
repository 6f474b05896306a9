/* verify.c: `sohoa verify`: every signature of each PDF checked and reported, in
 * Vietnamese under a Vietnamese locale and in English otherwise. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../i18n.h"
#include "cli.h"
#include "sohoa/sign.h"

static const char usage[] = N_(
    "usage: sohoa verify [--trust CA.pem ...] PDF...\n"
    "\n"
    "Checks every signature in each PDF: the digest over its /ByteRange (one changed byte\n"
    "anywhere in the signed bytes fails it), which bytes it covers (the whole file or an\n"
    "earlier revision), the CMS signature, the signer, the claimed time (/M) and, with\n"
    "--trust, the certificate chain to those roots (checked at the current time).\n"
    "The report is in Vietnamese when LC_ALL/LC_MESSAGES/LANG start with 'vi'.\n"
    "(`sohoa verify --archive` is the archive's fixity audit: see its --help.)\n"
    "\n"
    "  --trust FILE   trusted root certificates (PEM); may be repeated\n"
    "  --quiet        print only failures\n"
    "\n"
    "Exit status: 0 every signature valid, 2 a signature failed or a PDF has none or\n"
    "cannot be read, 1 usage error.\n");

typedef struct words {
    const char *sigs, *none, *signer, *claimed, *covers, *whole, *earlier, *partial,
        *integrity, *cms, *chain, *ok, *failed, *trusted, *unchecked, *valid, *invalid,
        *unread, *bytes, *encrypted;
} words;

/* The report's words, in the reader's language (gettext; pipeline/po/vi.po). */
static words report_words(void)
{
    return (words){
        _("signature(s)"), _("no signatures"), _("signer"), _("claimed time (/M)"),
        _("covers"), _("the whole file"), _("an earlier revision"),
        _("part of the file (not ending at a revision)"),
        _("integrity (digest over /ByteRange)"), _("CMS signature"), _("certificate chain"),
        _("OK"), _("FAILED"), _("trusted"), _("not checked (no --trust given)"), _("VALID"),
        _("INVALID"), _("cannot be read"), _("bytes"),
        _("the file is encrypted: its claimed times cannot be read"),
    };
}

/* D:20261130153000+07'00' -> 30/11/2026 15:30:00 +07:00 */
static void shown_time(const char *m, char *out, size_t n)
{
    const char *p = strncmp(m, "D:", 2) == 0 ? m + 2 : m;
    size_t l = strlen(p);
    if (l < 14) {
        snprintf(out, n, "%s", *m ? m : "-");
        return;
    }
    char tz[8] = "";
    if (l >= 17 && (p[14] == '+' || p[14] == '-'))
        snprintf(tz, sizeof tz, " %c%.2s:%.2s", p[14], p + 15, l >= 20 ? p + 18 : "00");
    else if (p[14] == 'Z')
        snprintf(tz, sizeof tz, " +00:00");
    snprintf(out, n, "%.2s/%.2s/%.4s %.2s:%.2s:%.2s%s", p + 6, p + 4, p, p + 8, p + 10,
             p + 12, tz);
}

static const char *check_word(const words *w, sh_check c, bool chain)
{
    if (c == SH_CHECK_OK)
        return chain ? w->trusted : w->ok;
    if (c == SH_CHECK_FAILED)
        return w->failed;
    return chain ? w->unchecked : "-";
}

static void print_report(const char *path, const sh_sig_report *r, const words *w, bool viet,
                         bool quiet)
{
    if (quiet) {
        if (r->n == 0) /* a failure too: exit status 2 */
            printf("%s: %s\n", path, w->none);
        for (unsigned i = 0; i < r->n; i++)
            if (!r->sigs[i].ok)
                printf("%s: #%u %s: %s\n", path, i + 1, w->invalid,
                       viet ? r->sigs[i].problem_vi : r->sigs[i].problem);
        return;
    }
    if (r->n == 0) {
        printf("%s: %s\n", path, w->none);
        return;
    }
    printf("%s: %u %s\n", path, r->n, w->sigs);
    if (r->encrypted)
        printf("  (%s)\n", w->encrypted);
    for (unsigned i = 0; i < r->n; i++) {
        const sh_sig_info *s = &r->sigs[i];
        char t[64];
        shown_time(s->claimed, t, sizeof t);
        printf("  #%u %s: %s\n", i + 1, w->signer, s->signer[0] ? s->signer : "?");
        printf("     %s: %s\n", w->claimed, t);
        if (s->range_end)
            printf("     %s: %s (0..%zu / %zu %s)\n", w->covers,
                   s->whole_file     ? w->whole
                   : s->revision_end ? w->earlier
                                     : w->partial,
                   s->range_end, s->file_len, w->bytes);
        printf("     %s: %s%s%s%s\n", w->integrity, check_word(w, s->integrity, false),
               s->digest[0] ? " (" : "", s->digest, s->digest[0] ? ")" : "");
        printf("     %s: %s\n", w->cms, check_word(w, s->signature, false));
        printf("     %s: %s\n", w->chain, check_word(w, s->chain, true));
        if (s->ok)
            printf("     => %s\n", w->valid);
        else
            printf("     => %s: %s\n", w->invalid, viet ? s->problem_vi : s->problem);
    }
}

static int read_all(const char *path, unsigned char **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    unsigned char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? 2 * cap : 1 << 20;
            unsigned char *p = realloc(buf, cap);
            if (!p) {
                free(buf);
                fclose(f);
                return -1;
            }
            buf = p;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return -1;
    }
    *data = buf;
    *len = n;
    return 0;
}

int sh_cmd_verify(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"trust", required_argument, NULL, 't'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {0},
    };
    const char **trust_files = calloc((size_t)argc + 1, sizeof *trust_files);
    size_t ntrust = 0;
    /* the library words each problem in both languages: take the one gettext speaks */
    bool quiet = false, viet = sh_i18n_vietnamese();
    words tw = report_words();
    const words *w = &tw;
    int c;

    if (!trust_files)
        return SH_EXIT_FATAL;
    optind = 1;
    while ((c = getopt_long(argc, argv, "hq", longopts, NULL)) != -1) {
        switch (c) {
        case 't': trust_files[ntrust++] = optarg; break;
        case 'q': quiet = true; break;
        case 'h': fputs(_(usage), stdout); free(trust_files); return SH_EXIT_OK;
        default: fputs(_(usage), stderr); free(trust_files); return SH_EXIT_FATAL;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, _("sohoa verify: no PDF given\n\n%s"), _(usage));
        free(trust_files);
        return SH_EXIT_FATAL;
    }
    sh_error err = {0};
    sh_trust *trust = NULL;
    if (ntrust && sh_trust_load(trust_files, ntrust, &trust, &err) < 0) {
        fprintf(stderr, "sohoa verify: %s\n", err.msg);
        free(trust_files);
        return SH_EXIT_FATAL;
    }
    free(trust_files);
    int rc = SH_EXIT_OK;
    for (int i = optind; i < argc; i++) {
        unsigned char *data = NULL;
        size_t len = 0;
        sh_sig_report *r = NULL;
        if (read_all(argv[i], &data, &len) < 0) {
            printf("%s: %s (%m)\n", argv[i], w->unread);
            rc = SH_EXIT_PARTIAL;
            continue;
        }
        if (sh_verify_pdf(data, len, trust, &r, &err) < 0) {
            printf("%s: %s (%s)\n", argv[i], w->unread, err.msg);
            rc = SH_EXIT_PARTIAL;
        } else {
            print_report(argv[i], r, w, viet, quiet);
            if (r->n == 0)
                rc = SH_EXIT_PARTIAL;
            for (unsigned k = 0; k < r->n; k++)
                if (!r->sigs[k].ok)
                    rc = SH_EXIT_PARTIAL;
            sh_sig_report_free(r);
        }
        free(data);
    }
    sh_trust_free(trust);
    return rc;
}
