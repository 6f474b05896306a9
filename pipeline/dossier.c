/* dossier.c: turning one input (a file or a folder) into a dossier ready for the workers:
 * its files read, its identity hashed, its pages located. Runs on the allocating thread.
 *
 * A multi-page TIFF is one dossier; a folder of page images (natural sort order) is one
 * dossier; a lone JPEG or PNG is a one-page dossier.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "dossier_int.h"
#include "sohoa/hash.h"
#include "sohoa/ingest.h"
#include "sohoa/io.h"

void sh_dossier_fail(sh_dossier *d, const sh_error *err)
{
    bool expected = false;
    if (atomic_compare_exchange_strong(&d->failed, &expected, true))
        d->err = *err;
}

bool sh_dossier_failed(const sh_dossier *d) { return atomic_load(&d->failed); }

void sh_dossier_free(sh_dossier *d)
{
    if (!d)
        return;
    sh_meta_free(&d->meta);
    if (d->parent) { /* a part: its pages and files are the input's */
        free(d->pdf);
        free(d);
        return;
    }
    for (unsigned i = 0; i < d->nparts; i++)
        sh_dossier_free(d->parts[i]);
    free(d->parts);
    for (unsigned i = 0; d->pages && i < d->npages; i++) {
        sh_image_free(&d->pages[i].image);
        sh_page_free_work(&d->pages[i]);
    }
    for (unsigned i = 0; i < d->nfiles; i++) {
        free(d->files[i].path);
        free(d->files[i].data);
    }
    free(d->files);
    free(d->pages);
    free(d->pdf);
    free(d->source);
    free(d);
}

const char *sh_status_name(sh_status s)
{
    switch (s) {
    case SH_DOSSIER_PENDING: return "pending";
    case SH_DOSSIER_ARCHIVED: return "archived";
    case SH_DOSSIER_DUPLICATE: return "duplicate";
    case SH_DOSSIER_RESUMED: return "resumed";
    case SH_DOSSIER_FAILED: return "failed";
    }
    return "unknown";
}

static bool is_image_name(const char *name)
{
    static const char *const ext[] = {".tif", ".tiff", ".jpg", ".jpeg", ".png"};
    const char *dot = strrchr(name, '.');
    if (!dot)
        return false;
    for (size_t i = 0; i < sizeof ext / sizeof *ext; i++)
        if (strcasecmp(dot, ext[i]) == 0)
            return true;
    return false;
}

static int by_natural_order(const void *a, const void *b)
{
    return strverscmp(*(char *const *)a, *(char *const *)b);
}

/* The page images of a folder, natural order ("p2" before "p10"); hidden files skipped. */
static int list_folder(const char *dir, char ***out, unsigned *n, sh_error *err)
{
    DIR *dp = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t cap = 0;

    *n = 0;
    if (!dp)
        return sh_fail(err, SH_EIO, "cannot open the folder %s: %s", dir, strerror(errno));
    while ((e = readdir(dp))) {
        if (e->d_name[0] == '.' || !is_image_name(e->d_name))
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 32;
            char **v = realloc(names, cap * sizeof *v);
            if (!v)
                goto nomem;
            names = v;
        }
        if (asprintf(&names[*n], "%s/%s", dir, e->d_name) < 0)
            goto nomem;
        (*n)++;
    }
    closedir(dp);
    if (*n == 0) {
        free(names);
        return sh_fail(err, SH_EFORMAT, "the folder %s holds no page images (.tif, .tiff, "
                       ".jpg, .jpeg, .png)", dir);
    }
    qsort(names, *n, sizeof *names, by_natural_order);
    *out = names;
    return 0;
nomem:
    closedir(dp);
    for (unsigned i = 0; i < *n; i++)
        free(names[i]);
    free(names);
    return sh_fail(err, SH_ENOMEM, "out of memory listing %s", dir);
}

sh_dossier *sh_dossier_load(const char *input, const sh_options *opt, sh_io *io,
                            sh_error *err)
{
    sh_dossier *d = calloc(1, sizeof *d);
    char **paths = NULL;
    unsigned n = 0;
    struct stat st;

    if (!d || !(d->source = strdup(input)))
        goto nomem;
    if (stat(input, &st) != 0) {
        sh_fail(err, SH_EIO, "cannot read %s: %s", input, strerror(errno));
        goto fail;
    }
    if (S_ISDIR(st.st_mode)) {
        if (list_folder(input, &paths, &n, err) < 0)
            goto fail;
    } else {
        if (!(paths = malloc(sizeof *paths)) || !(paths[0] = strdup(input)))
            goto nomem;
        n = 1;
    }
    if (!(d->files = calloc(n, sizeof *d->files)))
        goto nomem;
    d->nfiles = n;
    for (unsigned i = 0; i < n; i++) {
        d->files[i].path = paths[i];
        paths[i] = NULL;
    }

    /* Read every file of the dossier with all reads in flight together. */
    {
        const char **names = malloc(n * sizeof *names);
        unsigned char **data = calloc(n, sizeof *data);
        size_t *lens = calloc(n, sizeof *lens);
        sh_error *errs = calloc(n, sizeof *errs);
        int bad = -1;
        if (names && data && lens && errs) {
            for (unsigned i = 0; i < n; i++)
                names[i] = d->files[i].path;
            bad = sh_io_read_many(io, names, n, opt->max_file_bytes, data, lens, errs);
            for (unsigned i = 0; i < n; i++) {
                d->files[i].data = data[i];
                d->files[i].len = lens[i];
            }
            for (unsigned i = 0; bad > 0 && i < n; i++)
                if (errs[i].code != SH_OK) {
                    *err = errs[i];
                    break;
                }
        }
        free(names);
        free(data);
        free(lens);
        free(errs);
        if (bad < 0)
            goto nomem;
        if (bad > 0)
            goto fail;
    }

    /* Identity: the SHA-256 of the input bytes, files in order. */
    sh_sha256 *h = sh_sha256_new();
    if (!h)
        goto nomem;
    for (unsigned i = 0; i < n; i++) {
        sh_sha256_update(h, d->files[i].data, d->files[i].len);
        d->input_bytes += d->files[i].len;
    }
    sh_sha256_final(h, d->key);
    memcpy(d->id, d->key, 16);
    d->id[16] = '\0';
    memcpy(d->input_key, d->key, sizeof d->input_key);

    /* Where the pages are. */
    uint64_t **offs = calloc(n, sizeof *offs);
    if (!offs)
        goto nomem;
    for (unsigned i = 0; i < n; i++) {
        if (sh_ingest_scan(&d->files[i], opt->max_pages, &offs[i], err) < 0) {
            for (unsigned j = 0; j < n; j++)
                free(offs[j]);
            free(offs);
            goto fail;
        }
        d->npages += d->files[i].npages;
    }
    if (!(d->pages = calloc(d->npages ? d->npages : 1, sizeof *d->pages))) {
        for (unsigned j = 0; j < n; j++)
            free(offs[j]);
        free(offs);
        goto nomem;
    }
    unsigned k = 0;
    for (unsigned i = 0; i < n; i++) {
        for (unsigned j = 0; j < d->files[i].npages; j++, k++) {
            sh_page *p = &d->pages[k];
            p->dossier = d;
            p->index = k;
            p->file = i;
            p->src_page = j;
            p->tiff_diroff = offs[i] ? offs[i][j] : 0;
            p->orientation = 1;
            p->mean_conf = -1; /* not recognised (yet) */
        }
        free(offs[i]);
    }
    free(offs);
    atomic_init(&d->pages_left, d->npages);
    free(paths);
    return d;
nomem:
    sh_fail(err, SH_ENOMEM, "%s: out of memory", input);
fail:
    if (paths)
        for (unsigned i = 0; i < n; i++)
            free(paths[i]);
    free(paths);
    sh_dossier_free(d);
    return NULL;
}

int sh_dossier_split(sh_dossier *d)
{
    unsigned n = 0, text = 0;

    for (unsigned i = 0; i < d->npages; i++) {
        text += !d->pages[i].blank;
        if (!d->pages[i].blank && (i == 0 || d->pages[i - 1].blank))
            n++; /* a run of text pages starts here */
    }
    if (text == d->npages || text == 0) /* nothing to cut, or nothing to keep */
        return 0;
    if (!(d->parts = calloc(n, sizeof *d->parts)))
        return -1;
    unsigned k = 0;
    for (unsigned i = 0; i < d->npages; i++) {
        if (d->pages[i].blank || (i > 0 && !d->pages[i - 1].blank))
            continue;
        sh_dossier *c = calloc(1, sizeof *c);
        if (!c)
            return -1;
        unsigned end = i;
        while (end < d->npages && !d->pages[end].blank)
            end++;
        c->parent = d;
        c->source = d->source;
        c->files = d->files;
        c->nfiles = d->nfiles;
        c->pages = &d->pages[i];
        c->npages = end - i;
        c->first_page = i;
        c->separator = i > 0 ? i : 0; /* the sheet just before, 1-based */
        c->part = k + 1;
        c->nparts = n;
        c->input_bytes = k == 0 ? d->input_bytes : 0;
        c->started = d->started;
        memcpy(c->captured_at, d->captured_at, sizeof c->captured_at);
        memcpy(c->input_key, d->key, sizeof c->input_key);
        /* a part's identity: the input's and its place in it */
        char seed[96];
        snprintf(seed, sizeof seed, "%s:part:%u/%u", d->key, k + 1, n);
        sh_sha256_hex(seed, strlen(seed), c->key);
        memcpy(c->id, c->key, 16);
        c->id[16] = '\0';
        d->parts[k++] = c;
        d->nparts = k;
    }
    atomic_init(&d->parts_left, n);
    return 0;
}
