/* engine.c: the batch engine (pipeline/engine.h): allocate on the calling thread, work on
 * N workers, report on the calling thread.
 *
 * Memory stays flat however long the batch: pages wait in a bounded queue, and at most
 * `inflight` dossiers exist at once. A failing page fails its dossier only; the batch
 * goes on. Nothing here knows what a stage does.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dossier_int.h"
#include "engine.h"
#include "queue.h"
#include "sohoa/archive.h"
#include "sohoa/io.h"
#include "sohoa/search.h"
#include "sohoa/stage.h"

enum { LANE_DOSSIER = 0, LANE_PAGE = 1 }; /* finishing dossiers first frees memory first */

typedef struct engine {
    sh_run run;
    const sh_stage *stages[16];
    void *state[16];
    _Atomic unsigned long long cpu_ns[16]; /* CPU time spent in each stage, all threads */
    atomic_uint pages_done;                 /* pages through the page stages, for progress */
    unsigned nstages;
    sh_queue *work;     /* pages and finished dossiers, to the workers */
    sh_queue *done;     /* dossiers, back to the calling thread */
    pthread_mutex_t init_lock;
    pthread_cond_t init_done;
    unsigned inited;    /* workers through their set-up */
    unsigned started;   /* workers started; valid once all_started */
    bool all_started;
    sh_error init_err;  /* the first worker set-up failure */
    bool init_failed;
} engine;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void iso_now(char *buf, size_t n)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static unsigned long long thread_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

static int run_stages(engine *e, void **local, sh_unit unit, void *item, sh_error *err)
{
    for (unsigned i = 0; i < e->nstages; i++) {
        const sh_stage *s = e->stages[i];
        if (s->unit != unit)
            continue;
        unsigned long long t0 = thread_cpu_ns();
        int rc = s->process(e->state[i], local[i], item, err);
        atomic_fetch_add(&e->cpu_ns[i], thread_cpu_ns() - t0);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* All pages of d are through the page stages: on to the dossier stages, whole or (with
 * --split-on-blank) as parts cut at its separator sheets. */
static void pages_done(engine *e, sh_dossier *d)
{
    if (sh_dossier_failed(d)) {
        sh_queue_push(e->done, 0, d);
        return;
    }
    if (e->run.opt->split_on_blank && sh_dossier_split(d) < 0) {
        sh_error err;
        sh_fail(&err, SH_ENOMEM, "%s: out of memory splitting at separator sheets", d->source);
        sh_dossier_fail(d, &err);
        sh_queue_push(e->done, 0, d);
        return;
    }
    if (d->nparts == 0) {
        sh_queue_push(e->work, LANE_DOSSIER, d);
        return;
    }
    for (unsigned i = 0; i < d->nparts; i++)
        sh_queue_push(e->work, LANE_DOSSIER, d->parts[i]);
}

static void *worker(void *arg)
{
    engine *e = arg;
    void *local[16] = {0};
    bool ok = true;
    sh_error err;

    /* Set-up one worker at a time, and no work until every worker is set up: Tesseract's
     * Init writes process-wide parameters (ThreadSanitizer shows the race), so no engine
     * may be initialising while another recognises. */
    pthread_mutex_lock(&e->init_lock);
    for (unsigned i = 0; i < e->nstages && ok; i++) {
        const sh_stage *s = e->stages[i];
        if (s->thread_init && s->thread_init(e->state[i], &local[i], &err) < 0) {
            if (!e->init_failed)
                e->init_err = err;
            e->init_failed = true;
            ok = false;
        }
    }
    e->inited++;
    pthread_cond_broadcast(&e->init_done);
    while (!e->all_started || e->inited < e->started)
        pthread_cond_wait(&e->init_done, &e->init_lock);
    pthread_mutex_unlock(&e->init_lock);
    for (;;) {
        unsigned lane;
        void *item = sh_queue_pop(e->work, &lane);
        if (!item)
            break;
        if (lane == LANE_DOSSIER) {
            sh_dossier *d = item;
            sh_error_clear(&err);
            if (!ok)
                sh_dossier_fail(d, &e->init_err);
            else if (run_stages(e, local, SH_UNIT_DOSSIER, d, &err) < 0)
                sh_dossier_fail(d, &err);
            sh_queue_push(e->done, 0, d);
            continue;
        }
        sh_page *p = item;
        sh_dossier *d = p->dossier;
        if (!sh_dossier_failed(d)) { /* a dossier with a bad page is not worth more work */
            sh_error_clear(&err);
            if (!ok)
                sh_dossier_fail(d, &e->init_err);
            else if (run_stages(e, local, SH_UNIT_PAGE, p, &err) < 0)
                sh_dossier_fail(d, &err);
        }
        atomic_fetch_add(&e->pages_done, 1);
        if (atomic_fetch_sub(&d->pages_left, 1) == 1)
            pages_done(e, d);
    }
    for (unsigned i = 0; i < e->nstages; i++)
        if (local[i] && e->stages[i]->thread_done)
            e->stages[i]->thread_done(e->state[i], local[i]);
    return NULL;
}

/* A small open-addressing set of the keys seen in this run: the same input twice. */
typedef struct keyset {
    char (*keys)[65];
    size_t cap, n;
} keyset;

static bool keyset_add(keyset *s, const char *key)
{
    if (2 * (s->n + 1) > s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 256;
        char (*keys)[65] = calloc(cap, sizeof *keys);
        if (!keys)
            return true; /* can't track: let the catalog's UNIQUE catch it */
        for (size_t i = 0; i < s->cap; i++)
            if (s->keys[i][0]) {
                size_t h;
                memcpy(&h, s->keys[i], sizeof h);
                for (h %= cap; keys[h][0]; h = (h + 1) % cap)
                    ;
                memcpy(keys[h], s->keys[i], 65);
            }
        free(s->keys);
        s->keys = keys;
        s->cap = cap;
    }
    size_t h;
    memcpy(&h, key, sizeof h);
    for (h %= s->cap; s->keys[h][0]; h = (h + 1) % s->cap)
        if (strcmp(s->keys[h], key) == 0)
            return false;
    memcpy(s->keys[h], key, 65);
    s->n++;
    return true;
}

static void account(sh_summary *sum, const sh_dossier *d)
{
    switch (d->status) {
    case SH_DOSSIER_ARCHIVED:
    case SH_DOSSIER_RESUMED:
        sum->archived++;
        sum->pages += d->npages;
        sum->input_bytes += d->input_bytes;
        sum->output_bytes += d->pdf_len;
        for (unsigned i = 0; i < d->npages; i++) {
            const sh_page *p = &d->pages[i];
            sum->low_dpi_pages += !!(p->flags & SH_PAGE_LOW_DPI);
            sum->dpi_assumed_pages += !!(p->flags & SH_PAGE_DPI_ASSUMED);
            sum->blank_pages += p->blank;
            sum->ocr_pages += p->mean_conf >= 0 && !p->blank;
            sum->low_conf_pages += p->mean_conf >= 0 && !p->blank && p->mean_conf < sum->low_conf;
        }
        break;
    case SH_DOSSIER_DUPLICATE:
        sum->duplicates++;
        break;
    default:
        sum->failed++;
        sum->failed_by_code[d->err.code <= SH_EINTERNAL ? d->err.code : SH_EINTERNAL]++;
        break;
    }
}

/* Reports a dossier (an input, or a part of one). Returns 1 when its input is finished
 * and freed, 0 while other parts of it are still on their way. */
static int finish(sh_dossier *d, sh_on_dossier cb, void *ctx, sh_summary *sum)
{
    if (sh_dossier_failed(d))
        d->status = SH_DOSSIER_FAILED;
    d->finished = now_s();
    account(sum, d);
    if (cb)
        cb(d, ctx);
    sh_dossier *input = d->parent ? d->parent : d;
    if (d->parent && atomic_fetch_sub(&input->parts_left, 1) != 1)
        return 0;
    if (d->parent) { /* the separators are the input's own pages, counted once here */
        for (unsigned i = 0; i < input->npages; i++)
            sum->blank_pages += input->pages[i].blank;
    }
    sh_dossier_free(input);
    return 1;
}

/* A dossier that never reached the workers (unreadable, duplicate). */
static void finish_early(const char *input, sh_status status, const sh_error *err,
                         sh_dossier *d, sh_on_dossier cb, void *ctx, sh_summary *sum)
{
    sh_dossier unread = {0}; /* an input that never became a dossier */
    if (!d) {
        d = &unread;
        unread.source = (char *)input;
    }
    d->status = status;
    if (err) {
        d->err = *err;
        atomic_store(&d->failed, true);
    }
    account(sum, d);
    if (cb)
        cb(d, ctx);
    if (d != &unread)
        sh_dossier_free(d);
}

static int start_stages(engine *e, sh_error *err)
{
    for (unsigned i = 0; sh_stages[i]; i++) {
        const sh_stage *s = sh_stages[i];
        if (s->enabled && !s->enabled(e->run.opt))
            continue;
        e->stages[e->nstages] = s;
        if (s->start && s->start(&e->run, &e->state[e->nstages], err) < 0) {
            sh_error_prefix(err, "stage %s", s->name);
            return -1;
        }
        e->nstages++;
    }
    return 0;
}

static void stop_stages(engine *e)
{
    for (unsigned i = e->nstages; i-- > 0;)
        if (e->stages[i]->stop)
            e->stages[i]->stop(e->state[i]);
}

/* The progress reporter: a thread of its own, because the calling thread may sit blocked
 * pushing the pages of a long dossier into a full queue for minutes. */
typedef struct ticker {
    engine *e;
    const sh_engine_hooks *hooks;
    sh_progress *pr;          /* written by the calling thread under lock */
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stop;
    double t0;
} ticker;

static void *tick(void *arg)
{
    ticker *t = arg;
    pthread_mutex_lock(&t->lock);
    while (!t->stop) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 250000000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&t->wake, &t->lock, &ts);
        if (t->stop)
            break;
        sh_progress snap = *t->pr;
        snap.pages_done = atomic_load(&t->e->pages_done);
        snap.seconds = now_s() - t->t0;
        t->hooks->on_progress(&snap, t->hooks->ctx);
    }
    pthread_mutex_unlock(&t->lock);
    return NULL;
}

int sh_engine_run(const sh_options *opt, char *const *inputs, size_t ninputs,
                  const sh_engine_hooks *hooks, sh_summary *sum, sh_error *err)
{
    engine e = {.run.opt = opt};
    size_t work_caps[SH_QUEUE_LANES] = {0, 2 * (size_t)opt->jobs};
    pthread_t *threads = NULL;
    unsigned nthreads = 0, inflight = 0, max_inflight = opt->jobs + 2;
    keyset seen = {0};
    double t0 = now_s();
    int rc = -1;
    sh_on_dossier on_dossier = hooks ? hooks->on_dossier : NULL;
    void *ctx = hooks ? hooks->ctx : NULL;
    sh_progress pr = {.inputs = (unsigned)ninputs};
    ticker tk = {.e = &e, .hooks = hooks, .pr = &pr, .t0 = t0};
    pthread_t tick_thread;
    bool ticking = false;

    memset(sum, 0, sizeof *sum);
    sum->inputs = (unsigned)ninputs;
    sum->jobs = opt->jobs;
    sum->low_conf = opt->low_conf;
    pthread_mutex_init(&e.init_lock, NULL);
    pthread_cond_init(&e.init_done, NULL);
    if (!(e.run.io = sh_io_open(opt->io, 0, err)))
        goto out;
    sum->io_backend = sh_io_backend_name(e.run.io);
    if (!(e.run.archive = sh_archive_open(opt->archive, true, false, &sum->recovery, err)))
        goto out;
    e.run.catalog = sh_archive_catalog(e.run.archive);
    if (opt->operator_name)
        sh_catalog_set_agent(e.run.catalog, opt->operator_name);
    for (size_t i = 0; i < opt->nreplicas; i++) {
        sh_replica_sync rs;
        if (sh_archive_add_replica(e.run.archive, e.run.io, opt->replicas[i], &rs, err) < 0)
            goto out;
        sum->replica_copied += rs.copied;
    }
    if (opt->registered_replicas &&
        sh_archive_add_remembered(e.run.archive, e.run.io, &sum->replica_copied, err) < 0)
        goto out;
    if (start_stages(&e, err) < 0)
        goto out;
    if (!(e.work = sh_queue_new(work_caps)) || !(e.done = sh_queue_new(NULL)) ||
        !(threads = calloc(opt->jobs, sizeof *threads))) {
        sh_fail(err, SH_ENOMEM, "out of memory starting the workers");
        goto out;
    }
    for (; nthreads < opt->jobs; nthreads++)
        if (pthread_create(&threads[nthreads], NULL, worker, &e) != 0)
            break;
    pthread_mutex_lock(&e.init_lock);
    e.started = nthreads;
    e.all_started = true;
    pthread_cond_broadcast(&e.init_done);
    pthread_mutex_unlock(&e.init_lock);
    if (nthreads < opt->jobs) {
        sh_fail(err, SH_EINTERNAL, "cannot start worker threads");
        goto out;
    }
    if (hooks && hooks->on_progress) {
        pthread_mutex_init(&tk.lock, NULL);
        pthread_cond_init(&tk.wake, NULL);
        ticking = pthread_create(&tick_thread, NULL, tick, &tk) == 0;
        if (!ticking) {
            pthread_mutex_destroy(&tk.lock);
            pthread_cond_destroy(&tk.wake);
        }
    }

    for (size_t i = 0; i < ninputs; i++) {
        sh_error derr = {0};
        sh_dossier_row row;

        while (inflight >= max_inflight)
            inflight -= (unsigned)finish(sh_queue_pop(e.done, NULL), on_dossier, ctx, sum);
        if (ticking) {
            pthread_mutex_lock(&tk.lock);
            pr.current = inputs[i];
            pr.inputs_started = (unsigned)i + 1;
            pthread_mutex_unlock(&tk.lock);
        }
        sh_dossier *d = sh_dossier_load(inputs[i], opt, e.run.io, &derr);
        if (!d) {
            finish_early(inputs[i], SH_DOSSIER_FAILED, &derr, NULL, on_dossier, ctx, sum);
            continue;
        }
        d->started = now_s();
        iso_now(d->captured_at, sizeof d->captured_at);
        int found = sh_catalog_input_done(e.run.catalog, d->key, &row, &derr);
        if (found < 0) {
            finish_early(NULL, SH_DOSSIER_FAILED, &derr, d, on_dossier, ctx, sum);
            continue;
        }
        if (found || !keyset_add(&seen, d->key)) {
            if (found) {
                snprintf(d->pdf_path, sizeof d->pdf_path, "%s", row.pdf);
                memcpy(d->pdf_sha256, row.pdf_sha256, sizeof d->pdf_sha256);
                memcpy(d->id, row.id, sizeof d->id);
            }
            finish_early(NULL, SH_DOSSIER_DUPLICATE, NULL, d, on_dossier, ctx, sum);
            continue;
        }
        inflight++;
        if (ticking) {
            pthread_mutex_lock(&tk.lock);
            pr.pages_known += d->npages;
            pr.inputs_worked++;
            pthread_mutex_unlock(&tk.lock);
        }
        for (unsigned j = 0; j < d->npages; j++)
            sh_queue_push(e.work, LANE_PAGE, &d->pages[j]);
    }
    while (inflight > 0)
        inflight -= (unsigned)finish(sh_queue_pop(e.done, NULL), on_dossier, ctx, sum);
    /* every dossier is in (and reported): the index's segments, one per dossier's
     * transaction, merged before the replicas' snapshot. A merge that fails (the catalog
     * busy past its timeout) leaves a correct index that the next run merges. */
    if (opt->index_merge_seconds > 0) {
        sh_error merr = {0};
        sh_catalog_index_merge(e.run.catalog, opt->index_merge_seconds, SH_INDEX_MERGE_SHARE,
                               &merr);
    }
    rc = sh_archive_snapshot_replicas(e.run.archive, err);
out:
    if (ticking) {
        pthread_mutex_lock(&tk.lock);
        tk.stop = true;
        pthread_cond_signal(&tk.wake);
        pthread_mutex_unlock(&tk.lock);
        pthread_join(tick_thread, NULL);
        pthread_mutex_destroy(&tk.lock);
        pthread_cond_destroy(&tk.wake);
    }
    if (e.work)
        sh_queue_close(e.work);
    for (unsigned i = 0; i < nthreads; i++)
        pthread_join(threads[i], NULL);
    for (unsigned i = 0; i < e.nstages && i < SH_MAX_STAGES; i++) {
        sum->stage_name[i] = e.stages[i]->name;
        sum->stage_cpu[i] = atomic_load(&e.cpu_ns[i]) / 1e9;
    }
    free(threads);
    free(seen.keys);
    stop_stages(&e);
    sh_queue_free(e.work);
    sh_queue_free(e.done);
    sh_archive_close(e.run.archive);
    sh_io_close(e.run.io);
    pthread_mutex_destroy(&e.init_lock);
    pthread_cond_destroy(&e.init_done);
    sum->seconds = now_s() - t0;
    return rc;
}
