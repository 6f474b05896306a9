/* fixity.c: proving the archive is whole. Every file the catalog names is re-read and
 * re-hashed in every copy (the primary and its replicas), in parallel through sh_io, and
 * every file on disk under pdf/ must be one the catalog names. `repair` rewrites a bad or
 * missing file from a copy that still matches the catalog, atomically.
 *
 * Memory stays bounded: files are checked in batches of BATCH, each worker holding one
 * file at a time (files above BIG are streamed). Never changes a file that matches.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "archive_int.h"
#include "sohoa/fixity.h"
#include "sohoa/hash.h"
#include "sohoa/sign.h"

enum { BATCH = 512 };
#define BIG ((size_t)256 << 20)

typedef struct item {
    char *path;
    char *dossier_id;
    bool is_pdf;
    char sha256[65];
    uint64_t bytes;
    sh_fixity_kind state[1 + SH_MAX_REPLICAS]; /* per copy */
    char why[1 + SH_MAX_REPLICAS][256];        /* per copy, when not OK */
} item;

typedef struct fixity {
    sh_archive *a;
    sh_io *io;
    const sh_fixity_opts *o;
    sh_fixity_stats *st;
    const char *copies[1 + SH_MAX_REPLICAS];
    size_t ncopies;
    item batch[BATCH];
    size_t n;
    atomic_size_t next;
    pthread_mutex_t lock;      /* stats and the problem callback */
    uint64_t rng;
    /* per dossier outcome for the event log */
    char (*ids)[17];
    bool *ids_ok;
    size_t nids, capids;
    int rc;
    sh_error *err;
} fixity;

const char *sh_fixity_kind_name(sh_fixity_kind k)
{
    switch (k) {
    case SH_FIX_OK: return "ok";
    case SH_FIX_MISSING: return "missing";
    case SH_FIX_SIZE: return "size differs";
    case SH_FIX_HASH: return "hash differs";
    case SH_FIX_UNREADABLE: return "unreadable";
    case SH_FIX_UNKNOWN: return "not in the catalog";
    case SH_FIX_TEMP: return "left by an interrupted write";
    case SH_FIX_CATALOG: return "catalog copy damaged";
    case SH_FIX_SIGNATURE: return "signature fails";
    }
    return "?";
}

static void report(fixity *fx, const char *copy, const char *path, sh_fixity_kind kind,
                   const char *detail, int repaired)
{
    sh_fixity_issue is = {.copy = copy, .path = path, .kind = kind, .detail = detail,
                          .repaired = repaired};
    pthread_mutex_lock(&fx->lock);
    fx->st->problems++;
    if (repaired > 0)
        fx->st->repaired++;
    if (fx->o->on_issue)
        fx->o->on_issue(&is, fx->o->ctx);
    pthread_mutex_unlock(&fx->lock);
}

/* A PDF whose bytes are the recorded ones can still carry a signature that does not hold
 * (signed wrongly when it was archived): every signature in it must verify. */
static int check_signatures(const unsigned char *pdf, size_t len, char *why, size_t whylen)
{
    sh_sig_report *r = NULL;
    sh_error e;
    int rc = 0;

    if (!memmem(pdf, len, "/ByteRange", 10))
        return 0;
    if (sh_verify_pdf(pdf, len, NULL, &r, &e) < 0)
        return 0; /* out of memory: the hash check stands on its own */
    for (unsigned i = 0; i < r->n && rc == 0; i++)
        if (!r->sigs[i].ok) {
            snprintf(why, whylen, "signature %u of %u (%.60s) fails: %.100s", i + 1, r->n,
                     r->sigs[i].signer, r->sigs[i].problem);
            rc = -1;
        }
    sh_sig_report_free(r);
    return rc;
}

/* Hashes one file; SH_FIX_OK when it is what the catalog says. */
static sh_fixity_kind check_file(fixity *fx, const char *copy, const item *it, char *why,
                                 size_t whylen)
{
    char path[4096];
    struct stat sb;
    char hex[65];

    snprintf(path, sizeof path, "%s/%s", copy, it->path);
    if (stat(path, &sb) != 0) {
        snprintf(why, whylen, "%s", strerror(errno));
        return errno == ENOENT ? SH_FIX_MISSING : SH_FIX_UNREADABLE;
    }
    if ((uint64_t)sb.st_size != it->bytes) {
        snprintf(why, whylen, "%lld bytes, the catalog says %llu", (long long)sb.st_size,
                 (unsigned long long)it->bytes);
        return SH_FIX_SIZE;
    }
    if ((size_t)sb.st_size <= BIG) {
        unsigned char *data = NULL;
        size_t len = 0;
        sh_error e;
        if (sh_io_read_file(fx->io, path, BIG, &data, &len, &e) < 0) {
            snprintf(why, whylen, "%.190s", e.msg);
            return SH_FIX_UNREADABLE;
        }
        sh_sha256_hex(data, len, hex);
        if (strcmp(hex, it->sha256) == 0 && it->is_pdf &&
            check_signatures(data, len, why, whylen) < 0) {
            free(data);
            return SH_FIX_SIGNATURE;
        }
        free(data);
    } else { /* streamed, so memory stays bounded whatever the file */
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        sh_sha256 *h = sh_sha256_new();
        unsigned char *buf = malloc(1 << 20);
        ssize_t n = -1;
        if (fd >= 0 && h && buf)
            while ((n = read(fd, buf, 1 << 20)) > 0)
                sh_sha256_update(h, buf, (size_t)n);
        if (fd >= 0)
            close(fd);
        free(buf);
        if (n < 0 || !h) {
            snprintf(why, whylen, "%s", strerror(errno));
            if (h)
                sh_sha256_final(h, hex);
            return SH_FIX_UNREADABLE;
        }
        sh_sha256_final(h, hex);
    }
    pthread_mutex_lock(&fx->lock);
    fx->st->bytes += (uint64_t)sb.st_size;
    pthread_mutex_unlock(&fx->lock);
    if (strcmp(hex, it->sha256) != 0) {
        snprintf(why, whylen, "SHA-256 %.16s..., the catalog says %.16s...", hex, it->sha256);
        return SH_FIX_HASH;
    }
    return SH_FIX_OK;
}

static void *worker(void *arg)
{
    fixity *fx = arg;
    size_t i;
    while ((i = atomic_fetch_add(&fx->next, 1)) < fx->n * fx->ncopies) {
        item *it = &fx->batch[i / fx->ncopies];
        size_t c = i % fx->ncopies;
        it->state[c] = check_file(fx, fx->copies[c], it, it->why[c], sizeof it->why[c]);
        if (it->state[c] != SH_FIX_OK && !fx->o->repair)
            report(fx, fx->copies[c], it->path, it->state[c], it->why[c], 0);
        pthread_mutex_lock(&fx->lock);
        fx->st->checked++;
        if (fx->o->on_progress)
            fx->o->on_progress(fx->st, fx->o->ctx);
        pthread_mutex_unlock(&fx->lock);
    }
    return NULL;
}

/* Rewrites the bad copies of it from a good one (whose bytes are hashed again on the way). */
static void repair_item(fixity *fx, item *it)
{
    size_t good = fx->ncopies;
    for (size_t c = 0; c < fx->ncopies && good == fx->ncopies; c++)
        if (it->state[c] == SH_FIX_OK)
            good = c;
    for (size_t c = 0; c < fx->ncopies; c++) {
        if (it->state[c] == SH_FIX_OK)
            continue;
        char why[1200] = "", src[4096], dst[4096];
        int repaired = -1;
        if (good == fx->ncopies) {
            snprintf(why, sizeof why, "%s; no copy matches the catalog: cannot be repaired",
                     it->why[c]);
        } else {
            unsigned char *data = NULL;
            size_t len = 0;
            sh_error e = {0};
            char hex[65];
            snprintf(src, sizeof src, "%s/%s", fx->copies[good], it->path);
            snprintf(dst, sizeof dst, "%s/%s", fx->copies[c], it->path);
            char *slash = strrchr(dst, '/');
            if (sh_io_read_file(fx->io, src, it->bytes + 1, &data, &len, &e) == 0) {
                sh_sha256_hex(data, len, hex);
                *slash = '\0';
                if (strcmp(hex, it->sha256) == 0 && sh_archive_mkdirs(dst, &e) == 0) {
                    *slash = '/';
                    if (sh_io_write_atomic(fx->io, dst, data, len, &e) == 0)
                        repaired = 1;
                }
                *slash = '/';
            }
            free(data);
            snprintf(why, sizeof why, "%s; %s %s", it->why[c],
                     repaired > 0 ? "restored from" : "could not restore from",
                     fx->copies[good]);
            if (repaired < 0 && e.msg[0])
                snprintf(why + strlen(why), sizeof why - strlen(why), " (%s)", e.msg);
        }
        report(fx, fx->copies[c], it->path, it->state[c], why, repaired);
        if (repaired > 0)
            it->state[c] = SH_FIX_OK;
    }
}

static void note_dossier(fixity *fx, const char *id, bool ok)
{
    if (!id)
        return;
    for (size_t i = fx->nids; i-- > 0 && i + 8 >= fx->nids;) /* files of a dossier are near */
        if (strcmp(fx->ids[i], id) == 0) {
            fx->ids_ok[i] = fx->ids_ok[i] && ok;
            return;
        }
    if (fx->nids == fx->capids) {
        size_t cap = fx->capids ? 2 * fx->capids : 256;
        char(*ids)[17] = realloc(fx->ids, cap * sizeof *ids);
        bool *oks = ids ? realloc(fx->ids_ok, cap * sizeof *oks) : NULL;
        if (ids)
            fx->ids = ids;
        if (!oks)
            return;
        fx->ids_ok = oks;
        fx->capids = cap;
    }
    snprintf(fx->ids[fx->nids], 17, "%s", id);
    fx->ids_ok[fx->nids++] = ok;
}

static int run_batch(fixity *fx)
{
    pthread_t threads[64];
    unsigned n = fx->o->jobs ? fx->o->jobs : 2, started = 0;
    if (n > 64)
        n = 64;
    atomic_store(&fx->next, 0);
    for (; started < n; started++)
        if (pthread_create(&threads[started], NULL, worker, fx) != 0)
            break;
    if (started == 0)
        worker(fx);
    for (unsigned i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    for (size_t i = 0; i < fx->n; i++) {
        item *it = &fx->batch[i];
        if (fx->o->repair)
            repair_item(fx, it);
        bool ok = true;
        for (size_t c = 0; c < fx->ncopies; c++)
            ok = ok && it->state[c] == SH_FIX_OK;
        note_dossier(fx, it->dossier_id, ok);
        fx->st->files++;
        free(it->path);
        free(it->dossier_id);
    }
    fx->n = 0;
    return 0;
}

static int take_file(const sh_file_row *f, void *ctx)
{
    fixity *fx = ctx;
    if (!f->archived)
        return 0; /* being written right now, or an interrupted write: not yet archived */
    if (fx->o->sample > 0 && fx->o->sample < 1) {
        fx->rng ^= fx->rng << 13; /* xorshift64: a sample without bias towards any path */
        fx->rng ^= fx->rng >> 7;
        fx->rng ^= fx->rng << 17;
        if ((double)(fx->rng >> 11) / (double)(1ull << 53) >= fx->o->sample)
            return 0;
    }
    item *it = &fx->batch[fx->n];
    memset(it, 0, sizeof *it);
    it->path = strdup(f->path);
    it->dossier_id = f->dossier_id ? strdup(f->dossier_id) : NULL;
    memcpy(it->sha256, f->sha256, sizeof it->sha256);
    it->bytes = f->bytes;
    it->is_pdf = f->role && strcmp(f->role, "pdf") == 0;
    if (!it->path) {
        fx->rc = sh_fail(fx->err, SH_ENOMEM, "out of memory");
        return 1;
    }
    fx->n++;
    if (fx->n == BATCH)
        run_batch(fx);
    return 0;
}

/* ---- files on disk the catalog does not know ---------------------------------------- */

static fixity *walk_fx;        /* nftw has no context pointer */
static const char *walk_copy;

static int walk_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    if (type != FTW_F && type != FTW_SL)
        return 0;
    const char *rel = path + strlen(walk_copy) + 1;
    const char *base = strrchr(path, '/') + 1;
    if (base[0] == '.' && strstr(base, ".tmp.")) {
        int repaired = 0;
        if (walk_fx->o->repair)
            repaired = unlink(path) == 0 ? 1 : -1;
        report(walk_fx, walk_copy, rel, SH_FIX_TEMP,
               repaired > 0 ? "removed" : "a temporary file no run is using", repaired);
        return 0;
    }
    sh_error e;
    int known = sh_catalog_has_file(walk_fx->a->catalog, rel, &e);
    if (known == 0)
        report(walk_fx, walk_copy, rel, SH_FIX_UNKNOWN,
               "on disk but not in the catalog (left alone)", 0);
    return 0;
}

static int find_unknown(fixity *fx, const char *copy)
{
    char root[4096];
    snprintf(root, sizeof root, "%s/pdf", copy);
    walk_fx = fx;
    walk_copy = copy;
    /* FTW_PHYS: a symlink loop cannot trap the walk */
    if (nftw(root, walk_one, 16, FTW_PHYS) != 0 && errno != ENOENT)
        return sh_fail(fx->err, SH_EIO, "cannot walk %s: %s", root, strerror(errno));
    return 0;
}

/* A replica's catalog snapshot must open and pass SQLite's own check. */
static void check_catalog_copy(fixity *fx, const char *copy)
{
    char path[4096];
    sh_error e = {0};
    snprintf(path, sizeof path, "%s/catalog.sqlite", copy);
    if (access(path, F_OK) != 0) {
        report(fx, copy, "catalog.sqlite", SH_FIX_CATALOG,
               "no catalog copy yet (written at the end of a run with the replica)", 0);
        return;
    }
    if (sh_catalog_check_file(path, &e) < 0)
        report(fx, copy, "catalog.sqlite", SH_FIX_CATALOG, e.msg, 0);
}

static int add_copy(const char *dir, void *ctx)
{
    fixity *fx = ctx;
    if (fx->ncopies == 1 + SH_MAX_REPLICAS)
        return 0;
    for (size_t i = 0; i < fx->ncopies; i++)
        if (strcmp(fx->copies[i], dir) == 0)
            return 0;
    char *d = strdup(dir);
    if (!d)
        return 1;
    fx->copies[fx->ncopies++] = d;
    return 0;
}

int sh_archive_verify(sh_archive *a, sh_io *io, const sh_fixity_opts *o, sh_fixity_stats *st,
                      sh_error *err)
{
    fixity *fx = calloc(1, sizeof *fx);
    int rc = -1;

    memset(st, 0, sizeof *st);
    if (!fx)
        return sh_fail(err, SH_ENOMEM, "out of memory");
    fx->a = a;
    fx->io = io;
    fx->o = o;
    fx->st = st;
    fx->err = err;
    fx->rng = o->seed ? o->seed : (uint64_t)time(NULL) * 2654435761u + 1;
    pthread_mutex_init(&fx->lock, NULL);
    if (!(fx->copies[0] = strdup(a->dir)))
        goto out;
    fx->ncopies = 1;
    if (o->replicas && sh_catalog_each_replica(a->catalog, add_copy, fx, err) < 0)
        goto out;
    for (size_t i = 0; i < o->nextra; i++)
        add_copy(o->extra[i], fx);
    st->copies = (unsigned)fx->ncopies;
    for (size_t c = 1; c < fx->ncopies; c++)
        check_catalog_copy(fx, fx->copies[c]);
    if (sh_catalog_each_file(a->catalog, o->since, NULL, take_file, fx, err) < 0 || fx->rc < 0)
        goto out;
    if (fx->n)
        run_batch(fx);
    for (size_t c = 0; c < fx->ncopies; c++)
        if (find_unknown(fx, fx->copies[c]) < 0)
            goto out;
    st->dossiers = (unsigned)fx->nids;
    for (size_t i = 0; i < fx->nids; i++)
        st->dossiers_bad += !fx->ids_ok[i];
    if (o->record_events) {
        sh_error e = {0};
        if (sh_catalog_fixity_events(sh_archive_dir(a), fx->ids, fx->ids_ok, fx->nids,
                                     st->copies, &e) < 0 && o->on_issue) {
            sh_fixity_issue is = {.copy = a->dir, .path = "catalog.sqlite",
                                  .kind = SH_FIX_CATALOG, .detail = e.msg};
            o->on_issue(&is, o->ctx); /* the check itself stands; only its record failed */
        }
    }
    rc = 0;
out:
    if (rc < 0 && err->code == SH_OK)
        sh_fail(err, SH_ENOMEM, "out of memory");
    for (size_t c = 0; c < fx->ncopies; c++)
        free((char *)fx->copies[c]);
    for (size_t i = 0; i < fx->n; i++) {
        free(fx->batch[i].path);
        free(fx->batch[i].dossier_id);
    }
    free(fx->ids);
    free(fx->ids_ok);
    pthread_mutex_destroy(&fx->lock);
    free(fx);
    return rc;
}
