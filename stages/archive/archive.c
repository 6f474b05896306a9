/* archive.c: the archive folder (lock, layout, recovery) and the archive stage.
 *
 * Order of events for one dossier, which is what makes a crash harmless: the catalog
 * records the intent (status "writing", the PDF's path and hash), the PDF is written
 * atomically, the catalog says "archived". Opening the archive finishes or rolls back any
 * intent an interrupted run left. The stage never writes a file the catalog doesn't know.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive_int.h"
#include "sohoa/hash.h"
#include "sohoa/stage.h"

const char *sh_archive_dir(const sh_archive *a) { return a->dir; }
sh_catalog *sh_archive_catalog(sh_archive *a) { return a->catalog; }

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s/%s", dir, name);
    return s;
}

/* mkdir that makes the new entry durable: fsync the parent after creating. */
int sh_archive_make_dir(const char *path, sh_error *err)
{
    if (mkdir(path, 0755) == 0) {
        char *parent = strdup(path), *slash = parent ? strrchr(parent, '/') : NULL;
        if (slash) {
            *slash = '\0';
            int fd = open(*parent ? parent : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (fd >= 0) {
                fsync(fd);
                close(fd);
            }
        }
        free(parent);
        return 0;
    }
    if (errno == EEXIST)
        return 0;
    return sh_fail(err, SH_EIO, "cannot create folder %s: %s", path, strerror(errno));
}

static int file_matches(const char *path, const char *sha256, uint64_t bytes)
{
    FILE *f = fopen(path, "rb");
    sh_sha256 *h;
    unsigned char buf[1 << 16];
    size_t n, total = 0;
    char hex[65];

    if (!f)
        return 0;
    if (!(h = sh_sha256_new())) {
        fclose(f);
        return 0;
    }
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        sh_sha256_update(h, buf, n);
        total += n;
    }
    fclose(f);
    sh_sha256_final(h, hex);
    return total == bytes && strcmp(hex, sha256) == 0;
}

/* Deletes ".<name>.tmp.*" left in dir by an interrupted atomic write of <name>. */
static unsigned remove_temps(const char *dir, const char *name)
{
    DIR *dp = opendir(dir);
    struct dirent *e;
    unsigned removed = 0;
    size_t n = strlen(name);

    if (!dp)
        return 0;
    while ((e = readdir(dp))) {
        if (e->d_name[0] == '.' && strncmp(e->d_name + 1, name, n) == 0 &&
            strncmp(e->d_name + 1 + n, ".tmp.", 5) == 0 && unlinkat(dirfd(dp), e->d_name, 0) == 0)
            removed++;
    }
    closedir(dp);
    return removed;
}

typedef struct intent {
    char id[17];
    char sha[65];
    char *pdf;
    uint64_t bytes;
} intent;

typedef struct intents {
    intent *v;
    size_t n, cap;
} intents;

static int collect_intent(const sh_dossier_row *row, void *ctx)
{
    intents *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        intent *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return 1;
        l->v = v;
        l->cap = cap;
    }
    intent *it = &l->v[l->n++];
    memcpy(it->id, row->id, sizeof it->id);
    memcpy(it->sha, row->pdf_sha256, sizeof it->sha);
    it->pdf = strdup(row->pdf);
    it->bytes = row->pdf_bytes;
    return 0;
}

static int collect_dir(const char *dir, void *ctx)
{
    char ***v = ctx;
    size_t n = 0;
    while (*v && (*v)[n])
        n++;
    char **grown = realloc(*v, (n + 2) * sizeof *grown);
    if (!grown)
        return 1;
    *v = grown;
    if (!(grown[n] = strdup(dir)))
        return 1;
    grown[n + 1] = NULL;
    return 0;
}

int sh_archive_remembered(sh_archive *a, char ***dirs, sh_error *err)
{
    *dirs = NULL;
    if (sh_catalog_each_replica(a->catalog, collect_dir, dirs, err) < 0) {
        sh_archive_free_dirs(*dirs);
        *dirs = NULL;
        return -1;
    }
    return 0;
}

void sh_archive_free_dirs(char **dirs)
{
    for (size_t k = 0; dirs && dirs[k]; k++)
        free(dirs[k]);
    free(dirs);
}

/* Removes one file of a rolled-back dossier, and its temporaries, from a copy. */
static unsigned remove_from(const char *dir, const char *rel)
{
    char *path = join(dir, rel);
    unsigned removed = 0;
    if (!path)
        return 0;
    char *slash = strrchr(path, '/');
    *slash = '\0';
    removed = remove_temps(path, slash + 1);
    *slash = '/';
    unlink(path);
    free(path);
    return removed;
}

/* Finishes what an interrupted run left: an intent whose file is whole is archived,
 * anything else is removed (from the replicas too) so the next run redoes it. */
static int recover(sh_archive *a, sh_recovery *rec, sh_error *err)
{
    intents l = {0};
    char **replicas = NULL;
    int rc = sh_catalog_each(a->catalog, "writing", collect_intent, &l, err);

    if (rc == 0 && l.n > 0)
        rc = sh_archive_remembered(a, &replicas, err);
    for (size_t i = 0; rc == 0 && i < l.n; i++) {
        intent *it = &l.v[i];
        char *path = it->pdf ? join(a->dir, it->pdf) : NULL;
        char *txt = it->pdf ? strdup(it->pdf) : NULL;
        if (!path || !txt) {
            free(path);
            free(txt);
            rc = sh_fail(err, SH_ENOMEM, "out of memory during recovery");
            break;
        }
        char *dot = strrchr(txt, '.');
        if (dot && strcmp(dot, ".pdf") == 0) /* its text sidecar, if one was written */
            strcpy(dot, ".txt");
        char *slash = strrchr(path, '/');
        *slash = '\0';
        rec->temp_removed += remove_temps(path, slash + 1);
        if (strcmp(txt, it->pdf) != 0)
            rec->temp_removed += remove_temps(path, strrchr(txt, '/') + 1);
        *slash = '/';
        if (file_matches(path, it->sha, it->bytes)) {
            rc = sh_catalog_commit(a->catalog, it->id, err);
            rec->completed++;
        } else {
            for (size_t k = 0; k == 0 || (replicas && replicas[k - 1]); k++) {
                const char *dir = k == 0 ? a->dir : replicas[k - 1];
                rec->temp_removed += remove_from(dir, it->pdf);
                if (strcmp(txt, it->pdf) != 0)
                    rec->temp_removed += remove_from(dir, txt);
            }
            rc = sh_catalog_forget(a->catalog, it->id, err);
            rec->rolled_back++;
        }
        free(path);
        free(txt);
    }
    for (size_t i = 0; i < l.n; i++)
        free(l.v[i].pdf);
    free(l.v);
    sh_archive_free_dirs(replicas);
    return rc;
}

sh_archive *sh_archive_open(const char *dir, bool create, bool readonly, sh_recovery *rec,
                            sh_error *err)
{
    sh_archive *a = calloc(1, sizeof *a);
    char *path = NULL;
    struct stat st;

    if (rec)
        memset(rec, 0, sizeof *rec);
    if (!a || !(a->dir = strdup(dir))) {
        sh_fail(err, SH_ENOMEM, "out of memory opening the archive");
        goto fail;
    }
    a->lock_fd = -1;
    if (stat(dir, &st) != 0) {
        if (!create || errno != ENOENT) {
            sh_fail(err, SH_EIO, "no archive at %s: %s", dir, strerror(errno));
            goto fail;
        }
        if (sh_archive_mkdirs(dir, err) < 0) /* the parents too */
            goto fail;
    } else if (!S_ISDIR(st.st_mode)) {
        sh_fail(err, SH_EIO, "the archive %s is not a folder", dir);
        goto fail;
    }
    if (!readonly) {
        if (!(path = join(dir, "pdf")) || sh_archive_make_dir(path, err) < 0)
            goto fail;
        free(path);
        if (!(path = join(dir, "lock")))
            goto fail;
        a->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (a->lock_fd < 0) {
            sh_fail(err, SH_EIO, "cannot write to the archive %s: %s", dir, strerror(errno));
            goto fail;
        }
        if (flock(a->lock_fd, LOCK_EX | LOCK_NB) != 0) {
            sh_fail(err, SH_EBUSY, "another sohoa is writing to the archive %s; wait for it to "
                    "finish", dir);
            goto fail;
        }
        free(path);
    }
    if (!(path = join(dir, "catalog.sqlite")))
        goto fail;
    if (readonly && access(path, F_OK) != 0) {
        sh_fail(err, SH_EIO, "no catalog in %s (is it a sohoa archive?)", dir);
        goto fail;
    }
    if (!(a->catalog = sh_catalog_open(path, readonly, err)))
        goto fail;
    free(path);
    path = NULL;
    if (!readonly) {
        sh_recovery local;
        if (recover(a, rec ? rec : &local, err) < 0)
            goto fail;
    }
    return a;
fail:
    if (err && err->code == SH_OK)
        sh_fail(err, SH_ENOMEM, "out of memory opening the archive");
    free(path);
    sh_archive_close(a);
    return NULL;
}

void sh_archive_close(sh_archive *a)
{
    if (!a)
        return;
    sh_archive_close_replicas(a);
    sh_catalog_close(a->catalog);
    if (a->lock_fd >= 0)
        close(a->lock_fd); /* releases the flock */
    free(a->dir);
    free(a);
}

/* ---- the stage ------------------------------------------------------------------------ */

typedef struct archive_state {
    const sh_run *run;
} archive_state;

static int archive_start(const sh_run *run, void **state, sh_error *err)
{
    archive_state *s = calloc(1, sizeof *s);
    if (!s)
        return sh_fail(err, SH_ENOMEM, "out of memory");
    s->run = run;
    *state = s;
    return 0;
}

/* The recognised text of the whole dossier, pages separated by form feeds (as pdftotext
 * separates them). NULL when no page has text. */
static char *dossier_text(const sh_dossier *d, size_t *len)
{
    char *buf = NULL;
    bool any = false;
    FILE *f = open_memstream(&buf, len);

    if (!f)
        return NULL;
    for (unsigned i = 0; i < d->npages; i++) {
        char *t = d->pages[i].nwords ? sh_page_text(&d->pages[i]) : NULL;
        if (t) {
            fputs(t, f);
            any = true;
        }
        free(t);
        fputc('\f', f);
    }
    if (fclose(f) != 0 || !any) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* Removes what a failed dossier wrote, from every copy, and drops its intent. */
static void undo(archive_state *s, sh_dossier *d, const char *txt_rel)
{
    sh_error ignored;
    size_t copies = sh_archive_nreplicas(s->run->archive) + 1;
    if (txt_rel)
        sh_archive_unlink_all(s->run->archive, txt_rel, copies);
    sh_archive_unlink_all(s->run->archive, d->pdf_path, copies);
    sh_catalog_forget(s->run->catalog, d->id, &ignored);
}

static int archive_process(void *state, void *local, void *unit, sh_error *err)
{
    archive_state *s = state;
    sh_dossier *d = unit;
    sh_archive *a = s->run->archive;
    char *text = NULL, txt_rel[sizeof d->pdf_path], txt_sha[65];
    size_t text_len = 0;
    int rc = -1;

    (void)local;
    if (d->parent) { /* a part an interrupted run already archived stays as it is */
        sh_dossier_row row;
        int found = sh_catalog_lookup(s->run->catalog, d->key, &row, err);
        if (found < 0)
            return -1;
        if (found) {
            memcpy(d->pdf_sha256, row.pdf_sha256, sizeof d->pdf_sha256);
            snprintf(d->pdf_path, sizeof d->pdf_path, "%s", row.pdf);
            d->status = SH_DOSSIER_DUPLICATE;
            return 0;
        }
    }
    sh_sha256_hex(d->pdf, d->pdf_len, d->pdf_sha256);
    snprintf(d->pdf_path, sizeof d->pdf_path, "pdf/%.2s/%s.pdf", d->pdf_sha256, d->pdf_sha256);
    if (s->run->opt->sidecar && (text = dossier_text(d, &text_len))) {
        snprintf(txt_rel, sizeof txt_rel, "%.*s.txt", (int)strlen(d->pdf_path) - 4, d->pdf_path);
        sh_sha256_hex(text, text_len, txt_sha);
    }
    if (sh_catalog_intend(s->run->catalog, d, err) < 0)
        goto out;
    /* the sidecar first: once the PDF is there, recovery counts the dossier as written */
    if (text && (sh_catalog_add_file(s->run->catalog, d->id, txt_rel, "text", txt_sha,
                                     text_len, err) < 0 ||
                 sh_archive_write_all(a, s->run->io, txt_rel, text, text_len, err) < 0)) {
        undo(s, d, txt_rel);
        goto out;
    }
    if (sh_archive_write_all(a, s->run->io, d->pdf_path, d->pdf, d->pdf_len, err) < 0) {
        undo(s, d, text ? txt_rel : NULL);
        goto out;
    }
    rc = sh_catalog_commit(s->run->catalog, d->id, err);
    if (rc == 0)
        d->status = SH_DOSSIER_ARCHIVED;
out:
    free(text);
    return rc;
}

static void archive_stop(void *state) { free(state); }

const sh_stage sh_stage_archive = {
    .name = "archive",
    .unit = SH_UNIT_DOSSIER,
    .start = archive_start,
    .process = archive_process,
    .stop = archive_stop,
};
