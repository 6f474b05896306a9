/* watch.c: the inbox service (pipeline/watch.h): inotify tells what changed, a table of
 * pending inputs says when each was last touched, and complete ones go to the engine in
 * batches. One thread; the engine brings its own workers for each batch.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "watch.h"

typedef struct entry {
    char *name;          /* in the inbox */
    bool dir;
    bool closed;         /* a file: closed after writing, renamed in, or there at start */
    double touched;      /* monotonic seconds of the last change seen */
    int wd;              /* a folder's own inotify watch, -1 none */
    bool failed;         /* set while its batch is reported */
    char why[1024];
} entry;

typedef struct watcher {
    const char *inbox;
    const sh_watch_opts *w;
    const sh_engine_hooks *print;
    int fd;              /* inotify */
    entry *v;
    size_t n, cap;
} watcher;

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
    (void)sig;
    stopping = 1;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool has_ext(const char *name, const char *const *exts)
{
    const char *dot = strrchr(name, '.');
    for (; dot && *exts; exts++)
        if (strcasecmp(dot, *exts) == 0)
            return true;
    return false;
}

/* What a scanner drops that is an input; hidden and partial files, the metadata
 * sidecars and the done/failed folders are not. */
static bool is_input(const char *name, bool dir)
{
    static const char *const images[] = {".tif", ".tiff", ".jpg", ".jpeg", ".png", NULL};
    if (name[0] == '.' || strcmp(name, "done") == 0 || strcmp(name, "failed") == 0)
        return false;
    return dir || has_ext(name, images);
}

/* dir/name into out; -1 when it does not fit. */
static int join(char *out, size_t n, const char *dir, const char *name)
{
    int k = snprintf(out, n, "%s/%s", dir, name);
    return k < 0 || (size_t)k >= n ? -1 : 0;
}

static entry *find(watcher *wt, const char *name)
{
    for (size_t i = 0; i < wt->n; i++)
        if (strcmp(wt->v[i].name, name) == 0)
            return &wt->v[i];
    return NULL;
}

static entry *find_wd(watcher *wt, int wd)
{
    for (size_t i = 0; i < wt->n; i++)
        if (wt->v[i].wd == wd)
            return &wt->v[i];
    return NULL;
}

static void forget(watcher *wt, entry *e)
{
    if (e->wd >= 0)
        inotify_rm_watch(wt->fd, e->wd);
    free(e->name);
    *e = wt->v[--wt->n];
}

static entry *add(watcher *wt, const char *name, bool dir)
{
    entry *e = find(wt, name);
    if (e)
        return e;
    if (wt->n == wt->cap) {
        size_t cap = wt->cap ? 2 * wt->cap : 16;
        entry *v = realloc(wt->v, cap * sizeof *v);
        if (!v)
            return NULL;
        wt->v = v;
        wt->cap = cap;
    }
    e = &wt->v[wt->n];
    memset(e, 0, sizeof *e);
    if (!(e->name = strdup(name)))
        return NULL;
    e->dir = dir;
    e->wd = -1;
    e->touched = now_s();
    if (dir) { /* changes inside a folder dossier keep it from being taken too early */
        char path[PATH_MAX];
        if (join(path, sizeof path, wt->inbox, name) == 0)
            e->wd = inotify_add_watch(wt->fd, path, IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE |
                                  IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ATTRIB);
    }
    wt->n++;
    return e;
}

/* What is in the inbox at start: files there already count as closed (their writer, if
 * any, will touch them again and restart the clock). */
static int scan(watcher *wt, sh_error *err)
{
    DIR *dp = opendir(wt->inbox);
    struct dirent *d;
    if (!dp)
        return sh_fail(err, SH_EIO, "cannot read the inbox %s: %s", wt->inbox, strerror(errno));
    while ((d = readdir(dp))) {
        struct stat st;
        if (fstatat(dirfd(dp), d->d_name, &st, 0) != 0)
            continue;
        bool dir = S_ISDIR(st.st_mode);
        if (!(dir || S_ISREG(st.st_mode)) || !is_input(d->d_name, dir))
            continue;
        entry *e = add(wt, d->d_name, dir);
        if (e)
            e->closed = true;
    }
    closedir(dp);
    return 0;
}

static void drain_events(watcher *wt)
{
    char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    ssize_t n;
    while ((n = read(wt->fd, buf, sizeof buf)) > 0) {
        for (char *p = buf; p < buf + n;) {
            struct inotify_event *ev = (struct inotify_event *)p;
            p += sizeof *ev + ev->len;
            entry *e;
            if (ev->wd != -1 && (e = find_wd(wt, ev->wd))) { /* inside a folder dossier */
                if (ev->mask & (IN_IGNORED | IN_DELETE_SELF))
                    e->wd = -1;
                e->touched = now_s();
                continue;
            }
            if (!ev->len)
                continue;
            bool dir = ev->mask & IN_ISDIR;
            if (ev->mask & (IN_DELETE | IN_MOVED_FROM)) {
                if ((e = find(wt, ev->name)))
                    forget(wt, e);
                continue;
            }
            if (!is_input(ev->name, dir))
                continue;
            if (!(e = add(wt, ev->name, dir)))
                continue;
            e->touched = now_s();
            if (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO))
                e->closed = true;
            else if (ev->mask & (IN_CREATE | IN_MODIFY))
                e->closed = dir; /* a file being written again is not complete */
        }
    }
}

static bool ready(const watcher *wt, const entry *e, double now)
{
    if (e->dir)
        return now - e->touched >= wt->w->settle;
    return e->closed && now - e->touched >= wt->w->file_settle;
}

/* Moves name (and its metadata sidecars) into INBOX/sub, never over an earlier one. */
static int move_to(watcher *wt, const char *name, const char *sub, const char *why)
{
    char dir[PATH_MAX], src[PATH_MAX], dst[PATH_MAX], base[NAME_MAX + 16];
    if (join(dir, sizeof dir, wt->inbox, sub) < 0 || join(src, sizeof src, wt->inbox, name) < 0)
        return -1;
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return -1;
    snprintf(base, sizeof base, "%s", name);
    for (int k = 2; k < 10000; k++) { /* the same name scanned again: name.2, name.3, ... */
        if (join(dst, sizeof dst, dir, base) < 0)
            return -1;
        if (access(dst, F_OK) != 0)
            break;
        snprintf(base, sizeof base, "%.*s.%d", NAME_MAX, name, k);
    }
    if (rename(src, dst) != 0)
        return -1;
    /* D1.tif brings D1.json, D1.csv, D1.tif.json, D1.tif.csv along */
    static const char *const side[] = {".json", ".csv"};
    const char *dot = strrchr(name, '.');
    for (int withext = 0; withext < 2; withext++)
        for (size_t i = 0; i < 2; i++) {
            char sname[NAME_MAX + 16], dname[NAME_MAX + 32], s2[PATH_MAX], d2[PATH_MAX];
            int stem = withext || !dot ? (int)strlen(name) : (int)(dot - name);
            snprintf(sname, sizeof sname, "%.*s%s", stem, name, side[i]);
            if (strcmp(base, name) == 0) /* its own name, unless the input had to be renamed */
                snprintf(dname, sizeof dname, "%s", sname);
            else
                snprintf(dname, sizeof dname, "%s%s", base, side[i]);
            if (join(s2, sizeof s2, wt->inbox, sname) == 0 && join(d2, sizeof d2, dir, dname) == 0)
                rename(s2, d2);
        }
    if (why) {
        char path[PATH_MAX];
        if (snprintf(path, sizeof path, "%s.error", dst) < (int)sizeof path) {
            FILE *f = fopen(path, "w");
            if (f) {
                fprintf(f, "%s\n", why);
                fclose(f);
            }
        }
    }
    return 0;
}

typedef struct batch_ctx {
    watcher *wt;
    char **inputs;   /* full paths given to the engine, parallel to idx */
    size_t *idx;     /* entry index of each input */
    size_t n;
} batch_ctx;

static void on_dossier(const sh_dossier *d, void *ctx)
{
    batch_ctx *b = ctx;
    for (size_t i = 0; i < b->n; i++)
        if (strcmp(b->inputs[i], d->source) == 0 && d->status == SH_DOSSIER_FAILED) {
            entry *e = &b->wt->v[b->idx[i]];
            if (!e->failed)
                snprintf(e->why, sizeof e->why, "%s", d->err.msg);
            e->failed = true;
        }
    if (b->wt->print->on_dossier)
        b->wt->print->on_dossier(d, b->wt->print->ctx);
}

static int run_batch(watcher *wt, const sh_options *opt,
                     void (*summary)(const sh_summary *s, void *ctx), double now, sh_error *err)
{
    batch_ctx b = {.wt = wt};
    size_t cap = wt->n;
    int rc = 0;

    if (!(b.inputs = calloc(cap, sizeof *b.inputs)) || !(b.idx = calloc(cap, sizeof *b.idx))) {
        free(b.inputs);
        return sh_fail(err, SH_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < wt->n; i++) {
        entry *e = &wt->v[i];
        if (!ready(wt, e, now))
            continue;
        e->failed = false;
        e->why[0] = '\0';
        if (asprintf(&b.inputs[b.n], "%s/%s", wt->inbox, e->name) < 0)
            break;
        b.idx[b.n++] = i;
    }
    if (b.n > 0) {
        sh_engine_hooks hooks = {.on_dossier = on_dossier, .on_progress = wt->print->on_progress,
                                 .ctx = &b};
        sh_summary sum;
        if (wt->print->on_progress) /* the progress printer wants run's own context */
            hooks.on_progress = NULL;
        rc = sh_engine_run(opt, b.inputs, b.n, &hooks, &sum, err);
        if (rc == 0) {
            if (summary)
                summary(&sum, wt->print->ctx);
            /* moved from the end so the indexes stay valid while entries are dropped */
            for (size_t k = b.n; k-- > 0;) {
                entry *e = &wt->v[b.idx[k]];
                if (move_to(wt, e->name, e->failed ? "failed" : "done",
                            e->failed ? e->why : NULL) != 0)
                    fprintf(stderr, _("sohoa watch: cannot move %s out of the inbox: %s\n"),
                            b.inputs[k], strerror(errno));
                forget(wt, e);
            }
        }
    }
    for (size_t i = 0; i < b.n; i++)
        free(b.inputs[i]);
    free(b.inputs);
    free(b.idx);
    return rc;
}

int sh_watch(const sh_options *opt, const char *inbox, const sh_watch_opts *w,
             const sh_engine_hooks *print, void (*summary)(const sh_summary *s, void *ctx),
             sh_error *err)
{
    watcher wt = {.inbox = inbox, .w = w, .print = print, .fd = -1};
    struct sigaction sa = {.sa_handler = on_signal}; /* no SA_RESTART: poll returns */
    struct stat st;
    int rc = -1;

    if (stat(inbox, &st) != 0 || !S_ISDIR(st.st_mode))
        return sh_fail(err, SH_EUSAGE, "the inbox %s is not a folder", inbox);
    stopping = 0;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    wt.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (wt.fd < 0 ||
        inotify_add_watch(wt.fd, inbox, IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO |
                                            IN_MOVED_FROM | IN_DELETE | IN_ATTRIB) < 0) {
        sh_fail(err, SH_EIO, "cannot watch the inbox %s: %s", inbox, strerror(errno));
        goto out;
    }
    if (scan(&wt, err) < 0) /* after the watch: nothing arriving in between is missed */
        goto out;
    while (!stopping) {
        double now = now_s(), wait = 3600;
        bool any_ready = false;
        drain_events(&wt);
        for (size_t i = 0; i < wt.n; i++) {
            entry *e = &wt.v[i];
            if (ready(&wt, e, now)) {
                any_ready = true;
            } else if (e->dir || e->closed) {
                double left = (e->dir ? w->settle : w->file_settle) - (now - e->touched);
                if (left < wait)
                    wait = left > 0.05 ? left : 0.05;
            }
        }
        if (any_ready) {
            if (run_batch(&wt, opt, summary, now, err) < 0)
                goto out;
            continue;
        }
        if (w->once && wt.n == 0)
            break;
        struct pollfd pfd = {.fd = wt.fd, .events = POLLIN};
        poll(&pfd, 1, (int)(wait * 1000) + 1);
    }
    rc = 0;
out:
    for (size_t i = 0; i < wt.n; i++)
        free(wt.v[i].name);
    free(wt.v);
    if (wt.fd >= 0)
        close(wt.fd);
    return rc;
}
