/* textpage.h: a dossier made of text, as OCR would have left it, for the tests and the search
 * bench: each page's words (one sh_word per space-separated word, lines kept), no pixels. The
 * catalog stores and indexes it exactly as it does a recognised scan. */
#ifndef SOHOA_TEST_TEXTPAGE_H
#define SOHOA_TEST_TEXTPAGE_H

#include <stdlib.h>
#include <string.h>

#include "sohoa/dossier.h"
#include "sohoa/hash.h"

/* Fills p with the words of text (malloc'd; free with textpage_free). */
static inline int textpage_words(sh_page *p, const char *text)
{
    size_t cap = 64, n = 0;
    sh_word *w = calloc(cap, sizeof *w);
    bool line_start = true;
    if (!w)
        return -1;
    for (const char *s = text; *s;) {
        if (*s == '\n') {
            line_start = true;
            s++;
            continue;
        }
        if (*s == ' ') {
            s++;
            continue;
        }
        size_t len = strcspn(s, " \n");
        if (n == cap) {
            sh_word *grown = realloc(w, (cap *= 2) * sizeof *w);
            if (!grown)
                return -1;
            w = grown;
        }
        memset(&w[n], 0, sizeof w[n]);
        if (!(w[n].text = strndup(s, len)))
            return -1;
        w[n].conf = 95;
        w[n].box[0] = (int)n;
        w[n].box[2] = (int)n + 1;
        w[n].box[3] = 1;
        w[n].line_start = line_start;
        line_start = false;
        n++;
        s += len;
    }
    p->words = w;
    p->nwords = n;
    p->mean_conf = 95;
    p->geom.scale = 1;
    return 0;
}

/* A dossier of npages pages of text, named `name` (its identity is the name's hash). */
static inline int textpage_dossier(sh_dossier *d, sh_file *f, sh_page *pages, unsigned npages,
                                   const char *name, const char *const *texts)
{
    memset(d, 0, sizeof *d);
    memset(f, 0, sizeof *f);
    f->path = (char *)name;
    d->source = (char *)name;
    d->files = f;
    d->nfiles = 1;
    d->pages = pages;
    d->npages = npages;
    for (unsigned i = 0; i < npages; i++) {
        sh_page *p = &pages[i];
        memset(p, 0, sizeof *p);
        p->dossier = d;
        p->index = i;
        p->src_page = i;
        p->image.width = 2480;
        p->image.height = 3508;
        p->image.enc = SH_ENC_CCITT;
        p->image.cs = SH_CS_GRAY;
        p->image.bpc = 1;
        p->dpi_x = p->dpi_y = 300;
        p->codec = "tiff/ccitt-g4";
        if (texts[i] && textpage_words(p, texts[i]) < 0)
            return -1;
    }
    sh_sha256_hex(name, strlen(name), d->key);
    memcpy(d->id, d->key, 16);
    memcpy(d->input_key, d->key, sizeof d->key);
    memcpy(d->pdf_sha256, d->key, sizeof d->key);
    snprintf(d->pdf_path, sizeof d->pdf_path, "pdf/%.2s/%s.pdf", d->pdf_sha256, d->pdf_sha256);
    d->pdf_len = 1000;
    return 0;
}

static inline void textpage_free(sh_dossier *d)
{
    for (unsigned i = 0; i < d->npages; i++) {
        for (size_t k = 0; k < d->pages[i].nwords; k++)
            free(d->pages[i].words[k].text);
        free(d->pages[i].words);
        d->pages[i].words = NULL;
        d->pages[i].nwords = 0;
    }
    sh_meta_free(&d->meta);
}

#endif
