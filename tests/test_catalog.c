/* test_catalog: the archive's catalog and its crash recovery. An intent whose file made it
 * to disk is completed on the next open; one whose file did not (or is damaged) is rolled
 * back; temp files of an interrupted write are removed; a second writer is refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "sohoa/archive.h"
#include "sohoa/hash.h"


/* A dossier as the archive stage sees it just before writing. */
static void sample_dossier(sh_dossier *d, sh_file *f, sh_page *p, const char *name,
                         const char *pdf_bytes)
{
    memset(d, 0, sizeof *d);
    memset(f, 0, sizeof *f);
    memset(p, 0, sizeof *p);
    f->path = (char *)name;
    p->dossier = d;
    p->image.width = 100;
    p->image.height = 200;
    p->image.enc = SH_ENC_FLATE;
    p->image.cs = SH_CS_GRAY;
    p->image.bpc = 8;
    p->dpi_x = p->dpi_y = 150;
    p->flags = SH_PAGE_LOW_DPI;
    p->codec = "png";
    d->source = (char *)name;
    d->files = f;
    d->nfiles = 1;
    d->pages = p;
    d->npages = 1;
    sh_sha256_hex(name, strlen(name), d->key);
    memcpy(d->id, d->key, 16);
    d->pdf = (unsigned char *)pdf_bytes;
    d->pdf_len = strlen(pdf_bytes);
    sh_sha256_hex(pdf_bytes, d->pdf_len, d->pdf_sha256);
    snprintf(d->pdf_path, sizeof d->pdf_path, "pdf/%.2s/%s.pdf", d->pdf_sha256, d->pdf_sha256);
}

static void write_file(const char *dir, const char *rel, const char *text)
{
    char path[512], sub[512];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    snprintf(sub, sizeof sub, "%s", path);
    *strrchr(sub, '/') = '\0';
    mkdir(sub, 0755);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static int exists(const char *dir, const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    return access(path, F_OK) == 0;
}

static int counter(const sh_dossier_row *r, void *ctx)
{
    (void)r;
    (*(int *)ctx)++;
    return 0;
}

static int count_status(sh_catalog *c, const char *status)
{
    int n = 0;
    sh_error err;
    sh_catalog_each(c, status, counter, &n, &err);
    return n;
}

int main(void)
{
    char dir[] = "/tmp/sohoa-cat.XXXXXX";
    sh_error err = {0};
    sh_recovery rec;
    sh_dossier a, b, c;
    sh_file fa, fb, fc;
    sh_page pa, pb, pc;
    sh_dossier_row row;

    if (!mkdtemp(dir))
        return 1;
    sh_archive *ar = sh_archive_open(dir, true, false, &rec, &err);
    CHECK(ar != NULL);
    if (!ar) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    sh_catalog *cat = sh_archive_catalog(ar);

    /* a second writer is refused while the first holds the archive */
    sh_error busy = {0};
    CHECK(sh_archive_open(dir, true, false, NULL, &busy) == NULL && busy.code == SH_EBUSY);

    /* the normal path: intent, file, commit */
    sample_dossier(&a, &fa, &pa, "/in/a.tif", "%PDF-a");
    CHECK(sh_catalog_intend(cat, &a, &err) == 0);
    write_file(dir, a.pdf_path, "%PDF-a");
    CHECK(sh_catalog_commit(cat, a.id, &err) == 0);
    CHECK(sh_catalog_lookup(cat, a.key, &row, &err) == 1);
    CHECK(strcmp(row.status, "archived") == 0 && row.pages == 1 && row.low_dpi_pages == 1);
    CHECK(strcmp(row.pdf, a.pdf_path) == 0);

    /* the same input twice is refused by the catalog itself */
    CHECK(sh_catalog_intend(cat, &a, &err) == -1 && err.code == SH_ECATALOG);

    /* crash 1: intent recorded, file complete, no commit */
    sample_dossier(&b, &fb, &pb, "/in/b.tif", "%PDF-b");
    CHECK(sh_catalog_intend(cat, &b, &err) == 0);
    write_file(dir, b.pdf_path, "%PDF-b");
    /* crash 2: intent recorded, file half-written under its temp name */
    sample_dossier(&c, &fc, &pc, "/in/c.tif", "%PDF-c");
    CHECK(sh_catalog_intend(cat, &c, &err) == 0);
    char tmp[256];
    snprintf(tmp, sizeof tmp, "pdf/%.2s/.%s.pdf.tmp.123.1", c.pdf_sha256, c.pdf_sha256);
    write_file(dir, tmp, "%PD");
    sh_archive_close(ar);

    ar = sh_archive_open(dir, false, false, &rec, &err);
    CHECK(ar != NULL);
    cat = sh_archive_catalog(ar);
    CHECK(rec.completed == 1 && rec.rolled_back == 1 && rec.temp_removed == 1);
    CHECK(sh_catalog_lookup(cat, b.key, &row, &err) == 1 && strcmp(row.status, "archived") == 0);
    CHECK(sh_catalog_lookup(cat, c.key, &row, &err) == 0);
    CHECK(!exists(dir, tmp));
    CHECK(count_status(cat, "archived") == 2 && count_status(cat, "writing") == 0);

    /* crash 3: the file on disk does not match the intent's hash: rolled back, removed */
    sample_dossier(&c, &fc, &pc, "/in/c.tif", "%PDF-c");
    CHECK(sh_catalog_intend(cat, &c, &err) == 0);
    write_file(dir, c.pdf_path, "%PDF-X");
    sh_archive_close(ar);
    ar = sh_archive_open(dir, false, false, &rec, &err);
    CHECK(ar && rec.rolled_back == 1 && rec.completed == 0);
    CHECK(!exists(dir, c.pdf_path));

    /* read-only opening works beside the writer (sohoa list during a run) */
    sh_archive *ro = sh_archive_open(dir, false, true, NULL, &err);
    CHECK(ro != NULL);
    CHECK(ro && count_status(sh_archive_catalog(ro), NULL) == 2);
    sh_archive_close(ro);
    sh_archive_close(ar);

    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_report();
}
