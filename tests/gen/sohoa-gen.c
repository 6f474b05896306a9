/* sohoa-gen.c: the project's own test corpus: dossiers of scanned-looking Vietnamese
 * administrative pages as TIFF, the exact text of every page, and a manifest, all from a
 * seed, so a fresh clone tests and benchmarks itself. Reads nothing but its fonts; output
 * depends on the options alone, never on the number of threads. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gen.h"

#define MAX_JOBS 8

typedef struct {
    uint64_t seed;
    int dossiers, pages, dpi; /* dpi 0: mixed */
    int kinds[KIND_COUNT * 4], nkinds, mixed;
    double skew, upside, body_pt; /* body_pt 0: drawn per document */
    int blanks, noise, single, folders, jobs;
    const char *out;
} options;

/* What one dossier is, decided up front so that threads cannot change it. */
typedef struct {
    int kind, dpi;
    uint8_t gray_paper, tint[3];
    char *rows;        /* its manifest rows */
    size_t nrows;
    int blanks;
    char err[1400];
} dossier;

typedef struct {
    const options *o;
    dossier *d;
    atomic_int next;
} batch;

static void usage(FILE *to)
{
    fputs("usage: sohoa-gen [options] OUTDIR\n"
          "Makes dossiers of scanned-looking Vietnamese administrative pages (TIFF), the exact text\n"
          "of every page, and a manifest; the same options always give the same files.\n"
          "\n"
          "  --seed N              the seed (default 1)\n"
          "  --dossiers N          how many dossiers (default 4)\n"
          "  --pages N             text pages per dossier (default 3)\n"
          "  --dpi 200|300|mixed   scan resolution; mixed picks per dossier (default mixed)\n"
          "  --kinds LIST          comma-separated: g4, lzw-gray, jpeg-gray, jpeg-rgb, mixed;\n"
          "                        dossiers take them in turn; mixed = all four in shuffled\n"
          "                        rounds (default mixed)\n"
          "  --skew MAXDEG         each text page turned by a random angle in [-MAXDEG, MAXDEG]\n"
          "                        (default 0)\n"
          "  --upside-down F       each text page fed upside down with probability F (default 0)\n"
          "  --blank-separators    every second dossier (D0002, D0004, ...) also gets one blank\n"
          "                        separator sheet where a document ends (never first or last;\n"
          "                        needs --pages 2 or more)\n"
          "  --noise               blur, paper texture, dust and ink dropouts\n"
          "  --body-pt PT          body text at PT points, 7 to 16 (default: drawn from 11,\n"
          "                        11.5, 12, 12.5, 13 per document; headings follow it)\n"
          "  --single-page         one-page files OUTDIR/D0001_p001.tif instead of D0001.tif\n"
          "  --folders             one folder per dossier: OUTDIR/D0001/p001.tif\n"
          "  --jobs N              worker threads, 0 = one per core (default 0); same output\n"
          "  -h, --help            this text\n"
          "\n"
          "Writes OUTDIR/D0001.tif ... (or as above), OUTDIR/truth/D0001_p001.txt (each line as\n"
          "drawn, reading order, NFC UTF-8; empty for a blank sheet) and OUTDIR/manifest.tsv:\n"
          "dossier page file dpi kind skew_deg rotation blank width height, one row per page,\n"
          "after a header row. skew_deg: how far the page content is turned, clockwise as\n"
          "seen, before any 180-degree rotation (Leptonica's pixFindSkew reports the opposite\n"
          "sign: the turn that undoes it).\n"
          "Exit status: 0 done, 1 bad options, 2 could not write.\n",
          to);
}

static int bad(const char *fmt, const char *arg)
{
    fputs("sohoa-gen: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\n\n", stderr);
    usage(stderr);
    return 1;
}

static int parse_int(const char *s, long lo, long hi, long *v)
{
    char *end;
    errno = 0;
    long n = strtol(s, &end, 10);
    if (!*s || *end || errno || n < lo || n > hi)
        return -1;
    *v = n;
    return 0;
}

static int parse_kinds(options *o, const char *list)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", list);
    o->nkinds = 0;
    o->mixed = 0;
    for (char *tok = buf, *next; tok; tok = next) {
        next = strchr(tok, ',');
        if (next)
            *next++ = '\0';
        if (strcmp(tok, "mixed") == 0) {
            o->mixed = 1;
            continue;
        }
        int k = 0;
        while (k < KIND_COUNT && strcmp(tok, gen_kind_names[k]) != 0)
            k++;
        if (k == KIND_COUNT || o->nkinds == VI_N(o->kinds))
            return -1;
        o->kinds[o->nkinds++] = k;
    }
    return o->mixed || o->nkinds ? 0 : -1;
}

static int parse(int argc, char **argv, options *o)
{
    *o = (options){.seed = 1, .dossiers = 4, .pages = 3, .dpi = 0, .mixed = 1};
    for (int i = 1; i < argc; i++) {
        char *a = argv[i], *val = NULL, name[32];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            exit(0);
        }
        if (a[0] == '-' && a[1] != '-' && a[1] != '\0')
            return bad("unknown option '%s'", a);
        if (strncmp(a, "--", 2) != 0) {
            if (o->out)
                return bad("one OUTDIR only (also got '%s')", a);
            o->out = a;
            continue;
        }
        snprintf(name, sizeof name, "%s", a);
        char *eq = strchr(name, '=');
        if (eq) {
            *eq = '\0';
            val = a + (eq - name) + 1;
        }
        static const char *const flags[] = {"--blank-separators", "--noise", "--single-page", "--folders"};
        int flag = -1;
        for (int f = 0; f < 4; f++)
            if (strcmp(name, flags[f]) == 0)
                flag = f;
        if (flag >= 0) {
            if (val)
                return bad("%s takes no value", name);
            int *set[] = {&o->blanks, &o->noise, &o->single, &o->folders};
            *set[flag] = 1;
            continue;
        }
        if (!val) {
            if (i + 1 >= argc)
                return bad("%s needs a value", name);
            val = argv[++i];
        }
        long n;
        char *end;
        if (strcmp(name, "--seed") == 0) {
            errno = 0;
            o->seed = strtoull(val, &end, 10);
            if (!*val || *end || errno || val[0] == '-')
                return bad("--seed wants a whole number, not '%s'", val);
        } else if (strcmp(name, "--dossiers") == 0) {
            if (parse_int(val, 1, 9999, &n))
                return bad("--dossiers wants 1 to 9999, not '%s'", val);
            o->dossiers = (int)n;
        } else if (strcmp(name, "--pages") == 0) {
            if (parse_int(val, 1, 999, &n))
                return bad("--pages wants 1 to 999, not '%s'", val);
            o->pages = (int)n;
        } else if (strcmp(name, "--jobs") == 0) {
            if (parse_int(val, 0, 64, &n))
                return bad("--jobs wants 0 to 64, not '%s'", val);
            o->jobs = (int)n;
        } else if (strcmp(name, "--dpi") == 0) {
            if (strcmp(val, "mixed") == 0)
                o->dpi = 0;
            else if (parse_int(val, 200, 300, &n) || (n != 200 && n != 300))
                return bad("--dpi wants 200, 300 or mixed, not '%s'", val);
            else
                o->dpi = (int)n;
        } else if (strcmp(name, "--kinds") == 0) {
            if (parse_kinds(o, val))
                return bad("--kinds wants g4, lzw-gray, jpeg-gray, jpeg-rgb or mixed, not '%s'", val);
        } else if (strcmp(name, "--skew") == 0) {
            o->skew = strtod(val, &end);
            if (!*val || *end || !(o->skew >= 0 && o->skew <= 15))
                return bad("--skew wants degrees from 0 to 15, not '%s'", val);
        } else if (strcmp(name, "--upside-down") == 0) {
            o->upside = strtod(val, &end);
            if (!*val || *end || !(o->upside >= 0 && o->upside <= 1))
                return bad("--upside-down wants a fraction from 0 to 1, not '%s'", val);
        } else if (strcmp(name, "--body-pt") == 0) {
            o->body_pt = strtod(val, &end);
            if (!*val || *end || !(o->body_pt >= 7 && o->body_pt <= 16))
                return bad("--body-pt wants points from 7 to 16, not '%s'", val);
        } else {
            return bad("unknown option '%s'", a);
        }
    }
    if (!o->out)
        return bad("%s", "no OUTDIR given");
    return 0;
}

static int make_dir(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                return -1;
            *p = c;
            if (!c)
                return 0;
        }
    }
}

static int write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok ? 0 : -1;
}

static int add_row(dossier *d, const char *fmt, ...)
{
    char row[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(row, sizeof row, fmt, ap);
    va_end(ap);
    char *grown = realloc(d->rows, d->nrows + (size_t)n + 1);
    if (!grown)
        return -1;
    d->rows = grown;
    memcpy(d->rows + d->nrows, row, (size_t)n + 1);
    d->nrows += (size_t)n;
    return 0;
}

/* What the paper and scanner do to one drawn page (scan.c), in the order they happen. */
static int scan_page(gen_img *page, const dossier *d, const options *o, int blank, double skew,
                     int rot, const gen_sig *sigs, int nsigs, gen_rng *r)
{
    static const uint8_t pen_gray = 70, blue[3] = {30, 50, 165}, red[3] = {210, 40, 50};
    int mm1 = (int)lround(d->dpi / 25.4);
    if (d->kind == KIND_JPEG_RGB) {
        gen_img rgb;
        if (img_alloc(&rgb, page->w, page->h, 3, 255))
            return -1;
        img_to_rgb(page, &rgb, d->tint);
        img_free(page);
        *page = rgb;
        for (int i = 0; i < nsigs; i++) {
            gen_rect s = sigs[i].area;
            int rad = (s.h / 2 < 12 * mm1 ? s.h / 2 : 12 * mm1) - mm1;
            if (sigs[i].seal)
                img_seal(page, s.x + s.w * 3 / 10, s.y + s.h / 2, rad, red, r);
            img_signature(page, s, blue, d->dpi, r);
        }
        if (!blank && !nsigs) /* a stamp in the corner, clear of any text */
            img_seal(page, page->w - 5 * mm1, 5 * mm1, 15 * mm1, red, r);
    } else {
        for (int i = 0; i < nsigs; i++)
            img_signature(page, sigs[i].area, &pen_gray, d->dpi, r);
    }
    if (skew != 0 && img_rotate(page, skew))
        return -1;
    if (rot == 180)
        img_rotate180(page);
    if (o->noise) {
        if (img_blur(page))
            return -1;
        img_texture(page, 5, r);
        img_specks(page, 8 + rng_int(r, 30), 1 + d->dpi / 150, r);
        img_salt(page, page->w * page->h / 4000, r);
    }
    if (blank) {
        if (!o->noise)
            img_texture(page, 3, r);
        img_specks(page, 3 + rng_int(r, 10), 1 + d->dpi / 150, r);
        if (rng_int(r, 2))
            img_edge_strip(page, (4 + rng_int(r, 8)) * mm1, r);
    }
    return 0;
}

static void page_file(char *buf, size_t len, const options *o, int di, int page)
{
    if (o->folders)
        snprintf(buf, len, "D%04d/p%03d.tif", di + 1, page);
    else if (o->single)
        snprintf(buf, len, "D%04d_p%03d.tif", di + 1, page);
    else
        snprintf(buf, len, "D%04d.tif", di + 1);
}

static int make_dossier(const options *o, int di, dossier *d, gen_fonts *fonts)
{
    char err[1200] = "", rel[64], path[1024];
    gen_rng dr, pr;
    rng_init(&dr, o->seed, (uint64_t)di + 1, 0);
    int w = (int)lround(210.0 / 25.4 * d->dpi), h = (int)lround(297.0 / 25.4 * d->dpi);
    gen_doc doc = {0};
    gen_flow flow = {0};
    int have_flow = 0, unit = 0, want_blank = 0, rc = -1, text_pages = 0;
    /* every second dossier gets one separator sheet, where a document ends if one does
     * before the last text page, else before the last text page */
    int separator = o->blanks && di % 2 == 1 && o->pages >= 2;
    int total = o->pages + separator;
    gen_tiff *tiff = NULL;
    gen_img page = {0};

    if (o->folders) {
        snprintf(path, sizeof path, "%s/D%04d", o->out, di + 1);
        if (make_dir(path)) {
            snprintf(d->err, sizeof d->err, "cannot create %s: %s", path, strerror(errno));
            return -1;
        }
    }
    for (int p = 1; p <= total; p++) {
        rng_init(&pr, o->seed, (uint64_t)di + 1, (uint64_t)p);
        int blank = want_blank;
        want_blank = 0;
        gen_sig sigs[4];
        int nsigs = 0;
        char *truth = NULL;
        if (img_alloc(&page, w, h, 1, d->gray_paper))
            goto oom;
        if (!blank) {
            if (!have_flow) {
                if (doc_make_sized(&doc, &dr, (float)o->body_pt, err, sizeof err))
                    goto fail;
                if (layout_doc(fonts, &doc, d->dpi, w, h, &flow))
                    goto oom;
                if (fonts_missing(fonts)) {
                    snprintf(d->err, sizeof d->err, "the DejaVu fonts lack U+%04X, used in tests/gen/text_vi.c",
                             (unsigned)fonts_missing(fonts));
                    goto done;
                }
                doc_free(&doc);
                have_flow = 1;
                unit = 0;
            }
            int end = layout_page_end(&flow, unit);
            layout_draw(fonts, &flow, unit, end, page.px, w, h, sigs, &nsigs, 4);
            size_t len = 0;
            for (int i = unit; i < end; i++)
                len += strlen(flow.u[i].truth);
            if (!(truth = malloc(len + 1)))
                goto oom;
            truth[0] = '\0';
            for (size_t at = 0; unit < end; unit++) {
                size_t n = strlen(flow.u[unit].truth);
                memcpy(truth + at, flow.u[unit].truth, n + 1);
                at += n;
            }
            int ended = unit >= flow.n;
            if (ended) {
                flow_free(&flow);
                have_flow = 0;
            }
            text_pages++;
            if (separator && text_pages < o->pages && (ended || text_pages == o->pages - 1)) {
                want_blank = 1;
                separator = 0;
            }
        }
        double skew = 0;
        int rot = 0;
        if (!blank) {
            if (o->skew > 0)
                skew = round((rng_unit(&pr) * 2 - 1) * o->skew * 100) / 100;
            if (fabs(skew) < 0.005)
                skew = 0; /* never "-0.00" */
            rot = rng_unit(&pr) < o->upside ? 180 : 0;
        }
        if (scan_page(&page, d, o, blank, skew, rot, sigs, nsigs, &pr)) {
            free(truth);
            goto oom;
        }

        snprintf(path, sizeof path, "%s/truth/D%04d_p%03d.txt", o->out, di + 1, p);
        int wrote = write_file(path, truth ? truth : "", truth ? strlen(truth) : 0);
        free(truth);
        if (wrote) {
            snprintf(d->err, sizeof d->err, "cannot write %s: %s", path, strerror(errno));
            goto done;
        }
        page_file(rel, sizeof rel, o, di, p);
        if (!tiff) {
            snprintf(path, sizeof path, "%s/%s", o->out, rel);
            if (!(tiff = tiff_create(path, err, sizeof err)))
                goto fail;
        }
        int single = o->single || o->folders;
        if (tiff_add_page(tiff, &page, d->kind, d->dpi, single ? 1 : p, single ? 1 : total, err, sizeof err))
            goto fail;
        if (single || p == total) {
            gen_tiff *t = tiff;
            tiff = NULL;
            if (tiff_finish(t, err, sizeof err))
                goto fail;
        }
        if (add_row(d, "D%04d\t%d\t%s\t%d\t%s\t%.2f\t%d\t%d\t%d\t%d\n", di + 1, p, rel, d->dpi,
                    gen_kind_names[d->kind], skew, rot, blank, page.w, page.h))
            goto oom;
        d->blanks += blank;
        img_free(&page);
    }
    rc = 0;
    goto done;
oom:
    snprintf(d->err, sizeof d->err, "D%04d: out of memory", di + 1);
    goto done;
fail:
    snprintf(d->err, sizeof d->err, "%s", err);
done:
    if (tiff)
        tiff_finish(tiff, err, sizeof err);
    img_free(&page);
    if (have_flow)
        flow_free(&flow);
    doc_free(&doc);
    return rc;
}

static void *worker(void *arg)
{
    batch *b = arg;
    char err[512];
    gen_fonts *fonts = fonts_open(err, sizeof err);
    for (int i; (i = atomic_fetch_add(&b->next, 1)) < b->o->dossiers;) {
        if (!fonts) {
            snprintf(b->d[i].err, sizeof b->d[i].err, "%s", err);
            continue;
        }
        make_dossier(b->o, i, &b->d[i], fonts);
    }
    fonts_close(fonts);
    return NULL;
}

int main(int argc, char **argv)
{
    options o;
    if (parse(argc, argv, &o))
        return 1;

    /* Per dossier: kind, resolution, paper. */
    dossier *d = calloc((size_t)o.dossiers, sizeof *d);
    if (!d) {
        fputs("sohoa-gen: out of memory\n", stderr);
        return 2;
    }
    gen_rng plan;
    rng_init(&plan, o.seed, 0, 0);
    int round[KIND_COUNT];
    for (int i = 0; i < o.dossiers; i++) {
        if (o.mixed) {
            if (i % KIND_COUNT == 0) { /* every four dossiers see every kind */
                for (int k = 0; k < KIND_COUNT; k++)
                    round[k] = k;
                for (int k = KIND_COUNT - 1; k > 0; k--) {
                    int j = rng_int(&plan, k + 1), t = round[k];
                    round[k] = round[j];
                    round[j] = t;
                }
            }
            d[i].kind = round[i % KIND_COUNT];
        } else {
            d[i].kind = o.kinds[i % o.nkinds];
        }
        d[i].dpi = o.dpi ? o.dpi : rng_int(&plan, 2) ? 300 : 200;
        d[i].gray_paper = d[i].kind == KIND_LZW_GRAY || d[i].kind == KIND_JPEG_GRAY
                              ? (uint8_t)(238 + rng_int(&plan, 14)) : 255;
        d[i].tint[0] = (uint8_t)(249 + rng_int(&plan, 5));
        d[i].tint[1] = (uint8_t)(241 + rng_int(&plan, 7));
        d[i].tint[2] = (uint8_t)(216 + rng_int(&plan, 14));
    }

    char path[4096];
    snprintf(path, sizeof path, "%s/truth", o.out);
    if (make_dir(path)) {
        fprintf(stderr, "sohoa-gen: cannot create %s: %s\n", path, strerror(errno));
        free(d);
        return 2;
    }

    int jobs = o.jobs;
    if (jobs == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = cores > 0 ? (int)cores : 1;
    }
    if (jobs > MAX_JOBS)
        jobs = MAX_JOBS;
    if (jobs > o.dossiers)
        jobs = o.dossiers;
    batch b = {.o = &o, .d = d};
    atomic_init(&b.next, 0);
    pthread_t th[MAX_JOBS]; /* pthreads, not C11 threads: sanitizers see these */
    int started = 0;
    for (; started < jobs - 1; started++)
        if (pthread_create(&th[started], NULL, worker, &b) != 0)
            break;
    worker(&b); /* the main thread works too */
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);

    int rc = 0, pages = 0, blanks = 0;
    snprintf(path, sizeof path, "%s/manifest.tsv", o.out);
    FILE *m = fopen(path, "wb");
    if (m)
        fputs("dossier\tpage\tfile\tdpi\tkind\tskew_deg\trotation\tblank\twidth\theight\n", m);
    for (int i = 0; i < o.dossiers; i++) {
        if (d[i].err[0] && !rc) {
            fprintf(stderr, "sohoa-gen: %s\n", d[i].err);
            rc = 2;
        }
        if (m && d[i].rows)
            fputs(d[i].rows, m);
        pages += o.pages + d[i].blanks;
        blanks += d[i].blanks;
        free(d[i].rows);
    }
    if (!m || fclose(m) != 0) {
        fprintf(stderr, "sohoa-gen: cannot write %s\n", path);
        rc = 2;
    }
    free(d);
    if (rc == 0)
        printf("sohoa-gen: %d pages (%d blank) in %d dossier%s, %d thread%s: %s\n", pages, blanks,
               o.dossiers, o.dossiers > 1 ? "s" : "", jobs, jobs > 1 ? "s" : "", o.out);
    return rc;
}
