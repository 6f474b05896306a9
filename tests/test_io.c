/* test_io: both I/O backends: whole-file reads (small, large, empty, missing, a folder,
 * over the limit, many at once), atomic writes (content, no temp left, replace, missing
 * folder, a full disk), and many threads at once. io_uring is skipped, said so, where the
 * kernel refuses it. Batched atomic writes: every file committed with its content, a file
 * that cannot be renamed fails alone, one given in pieces is whole, a batch dropped before
 * its commit leaves the old files as they were and no temporary. Direct reads into a kept
 * page-aligned buffer: every size around a page boundary comes back byte for byte and,
 * where the file system takes O_DIRECT, leaves the page cache alone. A lane (sh_io_lane)
 * reads them all in one submission and writes them back, declines what the ordinary calls
 * report (and tmpfs), and leaves no temporary behind. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <dirent.h>
#include <fcntl.h>

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

/* Whether the file's first page is in the page cache (mincore through a mapping). */
static int first_page_cached(const char *path)
{
    int fd = open(path, O_RDONLY);
    unsigned char vec = 1;
    void *m = fd >= 0 ? mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) : MAP_FAILED;
    if (m != MAP_FAILED) {
        mincore(m, 4096, &vec);
        munmap(m, 4096);
    }
    if (fd >= 0)
        close(fd);
    return vec & 1;
}

/* The file's clean pages dropped from the page cache (its data synced already). */
static void uncache(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd >= 0) {
        posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
        close(fd);
    }
}

static void direct(void)
{
    static const size_t sizes[] = {0, 100, 4095, 4096, 4097, 8192, 3 * 4096 + 1234, 111394,
                                   262144};
    enum { N = sizeof sizes / sizeof *sizes };
    const char update[] = "\n29 0 obj\n<< /Type /Sig >>\nendobj\n%%EOF\n";
    sh_error err = {0};
    char path[N][256], sub[256];
    unsigned char *buf = NULL, *back = NULL;
    size_t cap = 0, len = 0;
    seen s = {0};
    struct statfs fs;

    snprintf(sub, sizeof sub, "%s/direct", dir);
    mkdir(sub, 0755);
    /* the read buffer a signer keeps: page-aligned, grown when needed, a failure says why */
    CHECK(sh_io_read_reuse(sub, 1 << 20, true, &buf, &cap, &len, &err) == -1 && strstr(err.msg, "folder"));
    put("direct/src", "abc", 3);
    snprintf(path[0], sizeof path[0], "%s/direct/src", dir);
    CHECK(sh_io_read_reuse(path[0], 1 << 20, true, &buf, &cap, &len, &err) == 0 && len == 3 &&
          memcmp(buf, "abc", 3) == 0 && (uintptr_t)buf % 4096 == 0);

    /* documents of every size around a page boundary, odd ones with an update after them */
    sh_io_batch *b = sh_io_batch_new(N, &err);
    CHECK(b != NULL);
    unsigned char *data = malloc(262144);
    CHECK(data != NULL);
    for (size_t i = 0; i < 262144; i++)
        data[i] = (unsigned char)(i * 7 + i / 4096);
    for (int i = 0; i < N; i++) {
        snprintf(path[i], sizeof path[i], "%s/direct/f%d.pdf", dir, i);
        struct iovec pieces[2] = {{data, sizes[i]}, {(void *)update, i % 2 ? sizeof update - 1 : 0}};
        CHECK(sh_io_batch_addv(b, path[i], pieces, 2, (void *)(intptr_t)i, &err) == 0);
    }
    CHECK(sh_io_batch_commit(b, batch_done, &s) == 0 && s.ok == N);
    sh_io_batch_free(b);
    /* ext4, XFS, btrfs take O_DIRECT: a file out of the page cache is read from the device
     * straight into the buffer, and is still out of it after (fails with direct off) */
    if (statfs(sub, &fs) == 0 &&
        (fs.f_type == 0xEF53 || fs.f_type == 0x58465342 || (unsigned long)fs.f_type == 0x9123683EUL)) {
        uncache(path[7]);
        if (first_page_cached(path[7])) {
            printf("(direct: %s stays in the page cache, the page-cache check is skipped)\n", path[7]);
        } else {
            CHECK(sh_io_read_reuse(path[7], 1 << 20, true, &buf, &cap, &len, &err) == 0 &&
                  len == sizes[7] + sizeof update - 1 && memcmp(buf, data, sizes[7]) == 0);
            CHECK(!first_page_cached(path[7]));
        }
    } else {
        printf("(direct: %s is not ext4/XFS/btrfs, the page-cache check is skipped)\n", sub);
    }
    int right = 1;
    for (int i = 0; i < N; i++) {
        size_t n = sizes[i], u = i % 2 ? sizeof update - 1 : 0;
        struct stat st;
        int same = sh_io_read_here(path[i], 1 << 20, &back, &len, &err) == 0 &&
                   stat(path[i], &st) == 0 && (size_t)st.st_size == n + u && len == n + u &&
                   memcmp(back, data, n) == 0 && memcmp(back + n, update, u) == 0;
        /* the same bytes read with O_DIRECT into the kept buffer (whole pages asked for) */
        same = same && sh_io_read_reuse(path[i], 1 << 20, true, &buf, &cap, &len, &err) == 0 &&
               len == n + u && memcmp(buf, back, len) == 0 && (uintptr_t)buf % 4096 == 0;
        if (!same)
            fprintf(stderr, "direct: %s differs (%zu + %zu bytes written, %zu read)\n",
                    path[i], n, u, len);
        right &= same;
        free(back);
        back = NULL;
    }
    CHECK(right);
    CHECK(temps_in(sub) == 0);

    /* the same files through a lane: every read queued, sent in one submission, waited
     * for out of order; then each written back under a new name from its buffer */
    sh_io_lane *lane = sh_io_lane_new(64);
    bool in_memory = statfs(sub, &fs) == 0 && fs.f_type == 0x01021994;
    sh_io_file none = {.fd = -1};
    CHECK(sh_io_lane_read(NULL, &none, path[1], 1 << 20, 0) == -1);
    if (!lane) {
        printf("(direct: io_uring is unavailable here, the lane is not tested)\n");
    } else {
        sh_io_file f[N];
        char out[N][256];
        int took = 0, waited = 0, whole = 1;
        memset(f, 0, sizeof f);
        /* what it declines: an empty file, a folder, a missing file, over the limit */
        CHECK(sh_io_lane_read(lane, &f[0], path[0], 1 << 20, 0) == -1);
        CHECK(sh_io_lane_read(lane, &f[0], sub, 1 << 20, 0) == -1);
        snprintf(out[0], sizeof out[0], "%s/direct/missing.pdf", dir);
        CHECK(sh_io_lane_read(lane, &f[0], out[0], 1 << 20, 0) == -1);
        CHECK(sh_io_lane_read(lane, &f[0], path[8], 1000, 0) == -1);
        for (int i = 1; i < N; i++)
            took += sh_io_lane_read(lane, &f[i], path[i], 1 << 20, 4096) == 0;
        sh_io_lane_submit(lane);
        for (int i = N - 1; i >= 1; i--) {
            size_t n = sizes[i], u = i % 2 ? sizeof update - 1 : 0;
            if (sh_io_lane_wait(lane, &f[i]) == 0) {
                waited++;
                whole &= f[i].len == n + u && memcmp(f[i].buf, data, n) == 0 &&
                         memcmp(f[i].buf + n, update, u) == 0 &&
                         (uintptr_t)f[i].buf % 4096 == 0 && f[i].cap >= f[i].len + 4096;
            }
        }
        /* tmpfs has no device to go to: every file is declined there */
        CHECK(in_memory ? took == 0 && waited == 0 : took == N - 1 && waited == N - 1);
        CHECK(whole);

        /* written back: whole pages direct, the rest through the page cache, into
         * temporaries the batch makes durable and renames */
        sh_io_batch *wb = sh_io_batch_new(N, &err);
        seen ws = {0};
        int wrote = 0;
        for (int i = 1; !in_memory && i < N; i++) {
            snprintf(out[i], sizeof out[i], "%s/direct/w%d.pdf", dir, i);
            wrote += sh_io_lane_write(lane, &f[i], out[i], f[i].len) == 0;
        }
        CHECK(in_memory || wrote == N - 1);
        sh_io_lane_submit(lane);
        for (int i = 1; !in_memory && i < N; i++)
            if (sh_io_lane_wait(lane, &f[i]) == 0)
                CHECK(sh_io_batch_adopt(wb, out[i], f[i].tmp, f[i].fd, NULL, &err) == 0);
        CHECK(sh_io_batch_commit(wb, batch_done, &ws) == 0 && ws.ok == wrote);
        sh_io_batch_free(wb);
        for (int i = 1; !in_memory && i < N; i++) {
            size_t n = sizes[i], u = i % 2 ? sizeof update - 1 : 0;
            unsigned char *got = NULL;
            size_t got_len = 0;
            int same = sh_io_read_here(out[i], 1 << 20, &got, &got_len, &err) == 0 &&
                       got_len == n + u && memcmp(got, data, n) == 0 &&
                       memcmp(got + n, update, u) == 0;
            if (!same)
                fprintf(stderr, "lane: %s differs (%zu bytes read back, %zu written)\n",
                        out[i], got_len, n + u);
            CHECK(same);
            free(got);
        }
        /* and the whole pages went straight to the device, not through the page cache */
        if (!in_memory && (fs.f_type == 0xEF53 || fs.f_type == 0x58465342 ||
                           (unsigned long)fs.f_type == 0x9123683EUL)) {
            snprintf(out[0], sizeof out[0], "%s/direct/again.pdf", dir);
            wb = sh_io_batch_new(1, &err);
            CHECK(wb && sh_io_lane_write(lane, &f[7], out[0], f[7].len) == 0);
            sh_io_lane_submit(lane);
            CHECK(sh_io_lane_wait(lane, &f[7]) == 0 &&
                  sh_io_batch_adopt(wb, out[0], f[7].tmp, f[7].fd, NULL, &err) == 0);
            CHECK(sh_io_batch_commit(wb, batch_done, &ws) == 0);
            sh_io_batch_free(wb);
            CHECK(!first_page_cached(out[0]));
        }
        CHECK(temps_in(sub) == 0);
        /* declined: nothing to write, a missing folder (nothing left behind either) */
        CHECK(sh_io_lane_write(lane, &f[1], out[1], 0) == -1);
        snprintf(out[0], sizeof out[0], "%s/direct/nowhere/x.pdf", dir);
        CHECK(sh_io_lane_write(lane, &f[1], out[0], f[1].len) == -1);
        CHECK(temps_in(sub) == 0);
        /* a buffer that is not the lane's (fixed, here static): kept where the file fits,
         * replaced by a malloc'd one where it does not, and never freed by the lane */
        static _Alignas(4096) unsigned char mine[8192];
        sh_io_file fx = {.buf = mine, .cap = sizeof mine, .fixed = true, .fd = -1};
        if (!in_memory) {
            CHECK(sh_io_lane_read(lane, &fx, path[2], 1 << 20, 0) == 0); /* 4095 bytes */
            sh_io_lane_submit(lane);
            CHECK(sh_io_lane_wait(lane, &fx) == 0 && fx.buf == mine && fx.fixed &&
                  fx.len == sizes[2] && memcmp(fx.buf, data, sizes[2]) == 0);
            CHECK(sh_io_lane_read(lane, &fx, path[7], 1 << 20, 4096) == 0); /* 111,394 */
            sh_io_lane_submit(lane);
            CHECK(sh_io_lane_wait(lane, &fx) == 0 && fx.buf != mine && !fx.fixed &&
                  fx.cap >= fx.len + 4096 && memcmp(fx.buf, data, sizes[7]) == 0);
            if (!fx.fixed)
                free(fx.buf);
        }
        /* freed with a read in flight: it waits for it before the buffer can go */
        CHECK(sh_io_lane_read(lane, &f[2], path[8], 1 << 20, 0) == (in_memory ? -1 : 0));
        sh_io_lane_submit(lane);
        sh_io_lane_free(lane);
        for (int i = 0; i < N; i++)
            free(f[i].buf);
    }
    free(data);
    free(buf);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/sohoa-io.XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    run(SH_IO_THREADS);
    run(SH_IO_URING);
    batch();
    direct();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_report();
}
