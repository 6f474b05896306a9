/* test_io: both I/O backends: whole-file reads (small, large, empty, missing, a folder,
 * over the limit, many at once), atomic writes (content, no temp left, replace, missing
 * folder, a full disk), and many threads at once. io_uring is skipped, said so, where the
 * kernel refuses it. Batched atomic writes: every file committed with its content, a file
 * that cannot be renamed fails alone, one given in pieces is whole, a batch dropped before
 * its commit leaves the old files as they were and no temporary. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

#include "check.h"
#include "sohoa/io.h"


static char dir[64];

static void put(const char *name, const void *data, size_t len)
{
    char path[sizeof dir + 256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    fwrite(data, 1, len, f);
    fclose(f);
}

static int temps_in(const char *folder)
{
    DIR *d = opendir(folder);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d)))
        n += strstr(e->d_name, ".tmp.") != NULL;
    closedir(d);
    return n;
}

static int temps_left(void) { return temps_in(dir); }

typedef struct job {
    sh_io *io;
    int id;
    int ok;
} job;

static void *writer(void *arg)
{
    job *j = arg;
    char path[256], body[64];
    j->ok = 1;
    for (int i = 0; i < 40; i++) {
        snprintf(path, sizeof path, "%s/t%d-%d", dir, j->id, i);
        int n = snprintf(body, sizeof body, "thread %d file %d", j->id, i);
        sh_error err;
        unsigned char *back = NULL;
        size_t len = 0;
        if (sh_io_write_atomic(j->io, path, body, (size_t)n, &err) < 0 ||
            sh_io_read_file(j->io, path, 1 << 20, &back, &len, &err) < 0 ||
            len != (size_t)n || memcmp(back, body, len) != 0)
            j->ok = 0;
        free(back);
    }
    return NULL;
}

static void run(sh_io_backend which)
{
    sh_error err = {0};
    sh_io *io = sh_io_open(which, 4, &err); /* a small depth: requests must queue */
    char path[256];
    unsigned char *data = NULL;
    size_t len = 0;

    if (!io) {
        printf("skipped: %s\n", err.msg);
        return;
    }
    printf("backend %s\n", sh_io_backend_name(io));

    /* reads */
    put("small", "hello", 5);
    snprintf(path, sizeof path, "%s/small", dir);
    CHECK(sh_io_read_file(io, path, 100, &data, &len, &err) == 0 && len == 5 &&
          memcmp(data, "hello", 5) == 0);
    free(data);
    CHECK(sh_io_read_file(io, path, 4, &data, &len, &err) == -1 && err.code == SH_ELIMIT &&
          strstr(err.msg, path));
    size_t big = 5u << 20;
    unsigned char *b = malloc(big);
    for (size_t i = 0; i < big; i++)
        b[i] = (unsigned char)(i * 31 + (i >> 13));
    put("big", b, big);
    snprintf(path, sizeof path, "%s/big", dir);
    CHECK(sh_io_read_file(io, path, big, &data, &len, &err) == 0 && len == big &&
          memcmp(data, b, big) == 0);
    free(data);
    put("empty", "", 0);
    snprintf(path, sizeof path, "%s/empty", dir);
    data = NULL;
    CHECK(sh_io_read_file(io, path, 10, &data, &len, &err) == 0 && len == 0 && data);
    free(data);
    snprintf(path, sizeof path, "%s/missing", dir);
    CHECK(sh_io_read_file(io, path, 10, &data, &len, &err) == -1 && err.code == SH_EIO &&
          strstr(err.msg, path) && strstr(err.msg, "No such file"));
    CHECK(sh_io_read_file(io, dir, 10, &data, &len, &err) == -1 && strstr(err.msg, "folder"));

    /* many at once, some missing */
    const char *paths[100];
    char names[100][256];
    for (int i = 0; i < 100; i++) {
        snprintf(names[i], sizeof names[i], "%s/%s", dir, i % 10 == 3 ? "nope" : "small");
        paths[i] = names[i];
    }
    unsigned char *datas[100];
    size_t lens[100];
    sh_error errs[100];
    CHECK(sh_io_read_many(io, paths, 100, 100, datas, lens, errs) == 10);
    int right = 1;
    for (int i = 0; i < 100; i++) {
        right &= (i % 10 == 3) ? errs[i].code == SH_EIO : lens[i] == 5 && errs[i].code == SH_OK;
        free(datas[i]);
    }
    CHECK(right);

    /* atomic writes */
    snprintf(path, sizeof path, "%s/out.pdf", dir);
    CHECK(sh_io_write_atomic(io, path, b, big, &err) == 0);
    CHECK(sh_io_read_file(io, path, big, &data, &len, &err) == 0 && len == big &&
          memcmp(data, b, big) == 0);
    free(data);
    CHECK(sh_io_write_atomic(io, path, "again", 5, &err) == 0);
    CHECK(sh_io_read_file(io, path, big, &data, &len, &err) == 0 && len == 5);
    free(data);
    CHECK(temps_left() == 0);
    snprintf(path, sizeof path, "%s/no/such/folder/x.pdf", dir);
    CHECK(sh_io_write_atomic(io, path, "x", 1, &err) == -1 && strstr(err.msg, path));
    CHECK(temps_left() == 0);

    /* many threads at once */
    job jobs[8];
    pthread_t t[8];
    for (int i = 0; i < 8; i++) {
        jobs[i] = (job){io, i, 0};
        pthread_create(&t[i], NULL, writer, &jobs[i]);
    }
    int all = 1;
    for (int i = 0; i < 8; i++) {
        pthread_join(t[i], NULL);
        all &= jobs[i].ok;
    }
    CHECK(all);
    CHECK(temps_left() == 0);
    free(b);
    sh_io_close(io);
}

typedef struct seen {
    int ok, failed;
    char msg[256];
} seen;

static void batch_done(void *ctx, void *tag, int rc, const sh_error *err)
{
    seen *s = ctx;
    if (rc == 0) {
        s->ok++;
    } else {
        s->failed++;
        snprintf(s->msg, sizeof s->msg, "%.200s (tag %d)", err->msg, (int)(intptr_t)tag);
    }
}

static int file_is(const char *path, const char *want)
{
    unsigned char *data = NULL;
    size_t len = 0;
    int same = sh_io_read_here(path, 1 << 20, &data, &len, NULL) == 0 &&
               len == strlen(want) && memcmp(data, want, len) == 0;
    free(data);
    return same;
}

static void batch(void)
{
    sh_error err = {0};
    char path[256], body[64];
    sh_io_batch *b = sh_io_batch_new(40, &err);
    seen s = {0};

    CHECK(b != NULL);
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/b", dir);
    mkdir(path, 0755);
    /* 30 new files and 5 replacing old ones; b/blocked.pdf is a folder with a file in it,
     * so renaming onto it fails */
    for (int i = 0; i < 5; i++) {
        snprintf(path, sizeof path, "b/old%d", i);
        put(path, "old", 3);
    }
    snprintf(path, sizeof path, "%s/b/blocked.pdf", dir);
    mkdir(path, 0755);
    put("b/blocked.pdf/x", "x", 1);
    for (int i = 0; i < 36; i++) {
        if (i < 30)
            snprintf(path, sizeof path, "%s/b/new%d", dir, i);
        else if (i < 35)
            snprintf(path, sizeof path, "%s/b/old%d", dir, i - 30);
        else
            snprintf(path, sizeof path, "%s/b/blocked.pdf", dir);
        int n = snprintf(body, sizeof body, "file %d", i);
        CHECK(sh_io_batch_add(b, path, body, (size_t)n, (void *)(intptr_t)i, &err) == 0);
    }
    CHECK(sh_io_batch_count(b) == 36);
    /* not committed yet: the old files are still old */
    snprintf(path, sizeof path, "%s/b/old0", dir);
    CHECK(file_is(path, "old"));
    CHECK(sh_io_batch_commit(b, batch_done, &s) == 1);
    CHECK(s.ok == 35 && s.failed == 1 && strstr(s.msg, "blocked.pdf") && strstr(s.msg, "tag 35"));
    int right = 1;
    for (int i = 0; i < 35; i++) {
        if (i < 30)
            snprintf(path, sizeof path, "%s/b/new%d", dir, i);
        else
            snprintf(path, sizeof path, "%s/b/old%d", dir, i - 30);
        snprintf(body, sizeof body, "file %d", i);
        right &= file_is(path, body);
    }
    CHECK(right);
    CHECK(sh_io_batch_count(b) == 0);

    /* a batch dropped midway (the command failed before its commit): finals untouched,
     * no temporary left */
    for (int i = 0; i < 5; i++) {
        snprintf(path, sizeof path, "%s/b/old%d", dir, i);
        CHECK(sh_io_batch_add(b, path, "dropped", 7, NULL, &err) == 0);
    }
    /* a full batch refuses more, and leaves nothing for the refused file */
    sh_io_batch *small = sh_io_batch_new(1, &err);
    snprintf(path, sizeof path, "%s/b/one", dir);
    CHECK(sh_io_batch_add(small, path, "1", 1, NULL, &err) == 0);
    snprintf(path, sizeof path, "%s/b/two", dir);
    CHECK(sh_io_batch_add(small, path, "2", 1, NULL, &err) == -1 && strstr(err.msg, "full"));
    sh_io_batch_free(small);
    sh_io_batch_free(b);
    right = 1;
    for (int i = 0; i < 5; i++) {
        snprintf(path, sizeof path, "%s/b/old%d", dir, i);
        snprintf(body, sizeof body, "file %d", 30 + i);
        right &= file_is(path, body);
    }
    CHECK(right);
    snprintf(path, sizeof path, "%s/b/one", dir);
    CHECK(access(path, F_OK) != 0);
    snprintf(path, sizeof path, "%s/b", dir);
    CHECK(temps_in(path) == 0);
    /* a file given in pieces (one of them empty) is written as one */
    b = sh_io_batch_new(4, &err);
    struct iovec pieces[3] = {{"%PDF-1.4 ", 9}, {"", 0}, {"update", 6}};
    snprintf(path, sizeof path, "%s/b/pieces.pdf", dir);
    CHECK(sh_io_batch_addv(b, path, pieces, 3, NULL, &err) == 0);
    CHECK(sh_io_batch_commit(b, batch_done, &s) == 0 && file_is(path, "%PDF-1.4 update"));
    sh_io_batch_free(b);
    /* a folder that does not exist: refused at once */
    b = sh_io_batch_new(4, &err);
    snprintf(path, sizeof path, "%s/no/such/folder/x.pdf", dir);
    CHECK(sh_io_batch_add(b, path, "x", 1, NULL, &err) == -1 && strstr(err.msg, path));
    CHECK(sh_io_batch_commit(b, batch_done, &s) == 0);
    sh_io_batch_free(b);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/sohoa-io.XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    run(SH_IO_THREADS);
    run(SH_IO_URING);
    batch();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_report();
}
