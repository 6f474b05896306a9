/* search.c (sohoa-search-bench): the search index at scale. Builds a synthetic archive of
 * Vietnamese administrative pages from sohoa-gen's text source (tests/gen: doc.c, text_vi.c),
 * without OCR, straight into a catalog through the same calls the archive stage makes
 * (sh_catalog_intend + sh_catalog_commit: one durable transaction each, the index kept by
 * the catalog's triggers, the facts read by sh_meta_from_text), then times a fixed query mix.
 *
 *   sohoa-search-bench build DIR PAGES [SEED]   add PAGES pages to the archive in DIR
 *   sohoa-search-bench merge DIR                what the end of a run does to the index
 *                                               (sh_catalog_index_merge, run's defaults)
 *   sohoa-search-bench query DIR [ROUNDS]       the query mix, ROUNDS times (default 20)
 *
 * Prints tables (stdout): build rate, index size per page, RSS along the way; latency
 * percentiles per kind of query.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "../tests/gen/gen.h"
#include "../tests/textpage.h"
#include "sohoa/options.h"
#include "sohoa/search.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU time of this thread: on a shared machine the wall time of a query includes waiting
 * for a core; this is what the query itself costs. */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static long rss_kb(void)
{
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        fclose(f);
    }
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static long peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* One generated document as OCR would read it: a line per paragraph, the two header
 * columns read across row by row. */
static char *doc_text(gen_rng *r, size_t *words)
{
    gen_doc d;
    char err[128], *buf = NULL;
    size_t len = 0;
    if (doc_make(&d, r, err, sizeof err) < 0) {
        fprintf(stderr, "sohoa-search-bench: %s\n", err);
        return NULL;
    }
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        doc_free(&d);
        return NULL;
    }
    for (int i = 0; i < d.n; i++) {
        const gen_block *b = &d.b[i];
        if (b->ncols == 1 || !b->by_rows) {
            for (int c = 0; c < b->ncols; c++)
                for (int k = 0; k < b->n[c]; k++)
                    if (*b->col[c][k].text)
                        fprintf(f, "%s\n", b->col[c][k].text);
            continue;
        }
        int rows = b->n[0] > b->n[1] ? b->n[0] : b->n[1];
        for (int k = 0; k < rows; k++) {
            const char *l = k < b->n[0] ? b->col[0][k].text : "";
            const char *rt = k < b->n[1] ? b->col[1][k].text : "";
            if (*l || *rt)
                fprintf(f, "%s%s%s\n", l, *l && *rt ? " " : "", rt);
        }
    }
    fclose(f);
    doc_free(&d);
    for (const char *p = buf; p && *p; p++)
        *words += (p == buf || p[-1] == ' ' || p[-1] == '\n') && *p != ' ' && *p != '\n';
    return buf;
}

static const char *const procedures[] = {
    "1.001612", "1.000894", "2.000305", "1.003583", "2.001157", "1.004222", "1.001193",
    "2.000889", "1.000656", "1.010942", "2.002160", "1.009994",
};

/* Applicant IDs: a pool of citizens, each with several dossiers over the years. */
static void applicant(gen_rng *r, unsigned npool, char *out)
{
    unsigned k = (unsigned)rng_int(r, (int)npool);
    snprintf(out, 13, "0%02u%09u", 1 + k % 96, 100000000u + k);
}

static int build(const char *dir, unsigned pages, uint64_t seed)
{
    sh_error err = {0};
    sh_archive *a = sh_archive_open(dir, true, false, NULL, &err);
    if (!a) {
        fprintf(stderr, "sohoa-search-bench: %s\n", err.msg);
        return 1;
    }
    sh_catalog *cat = sh_archive_catalog(a);
    long long have = 0, bytes = 0;
    sh_catalog_index_size(cat, &have, &bytes, &err);
    gen_rng r;
    rng_init(&r, seed, (uint64_t)have, 7);
    unsigned npool = pages / 20 + 10, done = 0, dossiers = 0, next_report = pages / 8;
    size_t words = 0;
    double t0 = now(), tgen = 0;
    long rss_start = rss_kb();

    printf("building %u pages into %s (%lld already there)\n", pages, dir, have);
    printf("%10s %10s %12s %10s\n", "pages", "pages/s", "RSS MB", "elapsed s");
    while (done < pages) {
        unsigned n = (unsigned)rng_range(&r, 1, 4);
        if (n > pages - done)
            n = pages - done;
        const char *texts[4] = {0};
        char *owned[4] = {0};
        double g0 = now();
        for (unsigned i = 0; i < n; i++)
            if (!(texts[i] = owned[i] = doc_text(&r, &words)))
                return 1;
        sh_dossier d;
        sh_file f;
        sh_page pg[4];
        char name[96], id[13], date[16];
        snprintf(name, sizeof name, "/bench/%llu-%u.tif", (unsigned long long)seed,
                 (unsigned)(have + done));
        if (textpage_dossier(&d, &f, pg, n, name, texts) < 0)
            return 1;
        applicant(&r, npool, id);
        snprintf(date, sizeof date, "%04d-%02d-%02d", rng_range(&r, 2019, 2025),
                 rng_range(&r, 1, 12), rng_range(&r, 1, 28));
        sh_meta_add(&d.meta, SH_META_APPLICANT, id, 0);
        sh_meta_add(&d.meta, SH_META_PROCEDURE, RNG_PICK(&r, procedures), 0);
        snprintf(name, sizeof name, "H%02d.%02d-%u", rng_range(&r, 10, 60), rng_range(&r, 10, 99),
                 (unsigned)(have + done));
        sh_meta_add(&d.meta, SH_META_DOSSIER_CODE, name, 0);
        tgen += now() - g0;
        /* what the meta and archive stages do for a recognised dossier */
        for (unsigned i = 0; i < n; i++)
            sh_meta_from_text(&d.meta, texts[i], i + 1);
        if (sh_catalog_intend(cat, &d, &err) < 0 || sh_catalog_commit(cat, d.id, &err) < 0) {
            fprintf(stderr, "sohoa-search-bench: %s\n", err.msg);
            return 1;
        }
        textpage_free(&d);
        for (unsigned i = 0; i < n; i++)
            free(owned[i]);
        done += n;
        dossiers++;
        if (done >= next_report || done == pages) {
            double t = now() - t0;
            printf("%10u %10.0f %12.1f %10.1f\n", done, done / (t - tgen), rss_kb() / 1024.0, t);
            fflush(stdout);
            next_report += pages / 8;
        }
    }
    double t = now() - t0;
    long long total = 0;
    if (sh_catalog_index_size(cat, &total, &bytes, &err) < 0)
        fprintf(stderr, "sohoa-search-bench: %s\n", err.msg);
    int nseg = sh_catalog_index_segments(cat, &err);
    sh_archive_close(a);
    char path[4096];
    snprintf(path, sizeof path, "%s/catalog.sqlite", dir);
    FILE *fp = fopen(path, "rb");
    long long db = 0;
    if (fp) {
        fseek(fp, 0, SEEK_END);
        db = ftell(fp);
        fclose(fp);
    }
    printf("\n| build | value |\n|---|---|\n");
    printf("| pages added | %u (%u dossiers, %.0f words/page) |\n", pages, dossiers,
           (double)words / pages);
    printf("| index build rate | %.0f pages/s (catalog + index, one durable transaction per "
           "dossier; text generation excluded: %.1f s) |\n", pages / (t - tgen), tgen);
    printf("| pages indexed | %lld (index in %d segments) |\n", total, nseg);
    printf("| index size | %.1f MB, %.0f bytes/page |\n", bytes / 1e6, (double)bytes / total);
    printf("| whole catalog | %.1f MB, %.0f bytes/page (text, word boxes, metadata, index) |\n",
           db / 1e6, (double)db / total);
    printf("| RSS | %.1f MB at start, %.1f MB at the end, peak %.1f MB |\n", rss_start / 1024.0,
           rss_kb() / 1024.0, peak_rss_kb() / 1024.0);
    return 0;
}

typedef struct probe {
    const char *kind, *query, *applicant, *procedure, *from, *to;
} probe;

static const probe mix[] = {
    {"folded", "nguoi dung dau", NULL, NULL, NULL, NULL},
    {"folded", "nguyen van duc", NULL, NULL, NULL, NULL},
    {"folded", "giay chung nhan quyen su dung dat", NULL, NULL, NULL, NULL},
    {"folded", "tinh trang hon nhan", NULL, NULL, NULL, NULL},
    {"folded", "dao tao boi duong", NULL, NULL, NULL, NULL},
    {"accented", "người dân", NULL, NULL, NULL, NULL},
    {"accented", "Nguyễn Văn Đức", NULL, NULL, NULL, NULL},
    {"accented", "bản sao trích lục", NULL, NULL, NULL, NULL},
    {"accented", "số hóa hồ sơ", NULL, NULL, NULL, NULL},
    {"accented", "đất đai", NULL, NULL, NULL, NULL},
    {"phrase", "\"mot cua lien thong\"", NULL, NULL, NULL, NULL},
    {"phrase", "\"dịch vụ công trực tuyến\"", NULL, NULL, NULL, NULL},
    {"phrase", "\"xac nhan tinh trang hon nhan\"", NULL, NULL, NULL, NULL},
    {"prefix", "nguy*", NULL, NULL, NULL, NULL},
    {"prefix", "chứng*", NULL, NULL, NULL, NULL},
    {"prefix", "khai sinh tr*", NULL, NULL, NULL, NULL},
    {"rare", "Quảng Ngãi Krông", NULL, NULL, NULL, NULL},
    {"rare", "Hoằng Hóa khen thưởng", NULL, NULL, NULL, NULL},
    {"filtered", "hồ sơ", NULL, "1.001612", NULL, NULL},
    {"filtered", "nguoi dan", NULL, NULL, "2024-01-01", "2024-03-31"},
    {"filtered", "giấy", "APPLICANT", NULL, NULL, NULL},
    {"applicant", NULL, "APPLICANT", NULL, NULL, NULL},
    {"applicant", NULL, "APPLICANT2", NULL, NULL, NULL},
    {"procedure", NULL, NULL, "2.000305", "2025-06-01", "2025-06-30"},
};

static int count_hit(const sh_hit *h, void *ctx)
{
    (void)h;
    (*(unsigned *)ctx)++;
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(const double *v, size_t n, double p)
{
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

static int query(const char *dir, unsigned rounds)
{
    sh_error err = {0};
    sh_archive *a = sh_archive_open(dir, false, true, NULL, &err);
    if (!a) {
        fprintf(stderr, "sohoa-search-bench: %s\n", err.msg);
        return 1;
    }
    sh_catalog *cat = sh_archive_catalog(a);
    long long pages = 0, bytes = 0;
    sh_catalog_index_size(cat, &pages, &bytes, &err);
    int nseg = sh_catalog_index_segments(cat, &err);
    const size_t nmix = sizeof mix / sizeof mix[0];
    static const char *const kinds[] = {"folded", "accented", "phrase", "prefix", "rare",
                                        "filtered", "applicant", "procedure"};
    const size_t nkinds = sizeof kinds / sizeof kinds[0];
    double *all = calloc(nmix * rounds, sizeof *all), *per = calloc(nmix * rounds, sizeof *per);
    double *cpu = calloc(nmix * rounds, sizeof *cpu), *percpu = calloc(nmix * rounds, sizeof *cpu);
    unsigned *hits = calloc(nmix, sizeof *hits);
    size_t nall = 0;
    char app[13], app2[13];
    gen_rng r;
    rng_init(&r, 1, 0, 7); /* the first citizens of the pool exist in any archive */
    applicant(&r, 10, app);
    do
        applicant(&r, 10, app2);
    while (strcmp(app, app2) == 0);

    for (unsigned round = 0; round <= rounds; round++) /* round 0 warms the cache */
        for (size_t i = 0; i < nmix; i++) {
            sh_search q = {.query = mix[i].query, .procedure = mix[i].procedure,
                           .from = mix[i].from, .to = mix[i].to, .limit = 20};
            if (mix[i].applicant)
                q.applicant = strcmp(mix[i].applicant, "APPLICANT") == 0 ? app : app2;
            unsigned n = 0;
            double t0 = now(), c0 = cpu_now();
            if (sh_catalog_search(cat, &q, count_hit, &n, &err) < 0) {
                fprintf(stderr, "sohoa-search-bench: %s\n", err.msg);
                return 1;
            }
            double ms = (now() - t0) * 1000, cpu_ms = (cpu_now() - c0) * 1000;
            if (round == 0) {
                hits[i] = n;
                continue;
            }
            cpu[nall] = cpu_ms;
            all[nall++] = ms;
        }
    sh_archive_close(a);

    printf("\nquery latency over %lld pages, index in %d segments, %u rounds of %zu queries "
           "(limit 20, warm cache, in-process: sh_catalog_search)\n\n", pages, nseg, rounds, nmix);
    printf("| kind | queries | p50 ms | p95 ms | p99 ms | max ms | CPU p50 ms | CPU p95 ms |\n"
           "|---|---|---|---|---|---|---|---|\n");
    for (size_t k = 0; k <= nkinds; k++) {
        size_t n = 0, nq = 0;
        for (size_t i = 0; i < nmix; i++) {
            if (k < nkinds && strcmp(mix[i].kind, kinds[k]) != 0)
                continue;
            nq++;
            for (unsigned round = 0; round < rounds; round++) {
                percpu[n] = cpu[round * nmix + i];
                per[n++] = all[round * nmix + i];
            }
        }
        if (!n)
            continue;
        qsort(per, n, sizeof *per, cmp_double);
        qsort(percpu, n, sizeof *percpu, cmp_double);
        printf("| %s | %zu | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |\n",
               k < nkinds ? kinds[k] : "**all**", nq, pct(per, n, 0.5), pct(per, n, 0.95),
               pct(per, n, 0.99), per[n - 1], pct(percpu, n, 0.5), pct(percpu, n, 0.95));
    }
    printf("\n| query | kind | results | p50 ms |\n|---|---|---|---|\n");
    for (size_t i = 0; i < nmix; i++) {
        for (unsigned round = 0; round < rounds; round++)
            per[round] = all[round * nmix + i];
        qsort(per, rounds, sizeof *per, cmp_double);
        printf("| %s%s%s%s%s%s%s | %s | %u | %.2f |\n", mix[i].query ? mix[i].query : "",
               mix[i].applicant ? " --applicant " : "",
               mix[i].applicant ? (strcmp(mix[i].applicant, "APPLICANT") == 0 ? app : app2) : "",
               mix[i].procedure ? " --procedure " : "", mix[i].procedure ? mix[i].procedure : "",
               mix[i].from ? " --from/--to " : "", mix[i].from ? mix[i].from : "", mix[i].kind,
               hits[i], pct(per, rounds, 0.5));
    }
    free(all);
    free(per);
    free(cpu);
    free(percpu);
    free(hits);
    return 0;
}

/* The end of `sohoa run` (engine.c) on this archive, timed. */
static int merge(const char *dir)
{
    sh_error err = {0};
    sh_options o;
    sh_options_defaults(&o);
    sh_archive *a = sh_archive_open(dir, false, false, NULL, &err);
    if (!a) {
        fprintf(stderr, "sohoa-search-bench: %s\n", err.msg);
        return 1;
    }
    sh_catalog *cat = sh_archive_catalog(a);
    int before = sh_catalog_index_segments(cat, &err);
    double t0 = now();
    int after = sh_catalog_index_merge(cat, o.index_merge_seconds, SH_INDEX_MERGE_SHARE, &err);
    double t = now() - t0;
    sh_archive_close(a);
    if (after < 0) {
        fprintf(stderr, "sohoa-search-bench: %s\n", err.msg);
        return 1;
    }
    printf("\nthe end of a run (sh_catalog_index_merge: at most %.0f s, once %.0f %% of the pages "
           "are new): %d segments -> %d, %.1f s\n", o.index_merge_seconds,
           SH_INDEX_MERGE_SHARE * 100, before, after, t);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "build") == 0)
        return build(argv[2], (unsigned)strtoul(argv[3], NULL, 10),
                     argc > 4 ? strtoull(argv[4], NULL, 10) : 1);
    if (argc >= 3 && strcmp(argv[1], "merge") == 0)
        return merge(argv[2]);
    if (argc >= 3 && strcmp(argv[1], "query") == 0)
        return query(argv[2], argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 20);
    fprintf(stderr, "usage: sohoa-search-bench build DIR PAGES [SEED]\n"
                    "       sohoa-search-bench merge DIR\n"
                    "       sohoa-search-bench query DIR [ROUNDS]\n");
    return 1;
}
