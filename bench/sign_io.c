/* sign_io.c: what the I/O of `sohoa sign` costs per file, without the signing: the same
 * files copied (read whole, written whole beside their final name, made durable, renamed)
 * the way sign.c did it before and the way it does now.
 *
 *   sohoa-sign-io old|lane OUT_DIR FILE...
 *
 * old:  per file a direct read, a page-cache write with its writeback started, then per
 *       128 files an fdatasync each, the renames and a folder fsync;
 * lane: sign.c's groups: 8 files' reads, then their writes (whole pages direct), one
 *       io_uring submission each (sh_io_lane), durable per 128 with sh_io_batch (syncfs).
 * Prints the process's CPU per file (all threads), the machine's (every CPU's busy time,
 * so kernel threads doing this work count too) and the wall time per file.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sohoa/io.h"

#define BATCH 128
#define WINDOW 8

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double cpu_self(void)
{
    struct rusage r;
    getrusage(RUSAGE_SELF, &r);
    return (double)(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
           (double)(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
}

/* every CPU's busy time so far, seconds (/proc/stat: all but idle and iowait) */
static double cpu_machine(void)
{
    unsigned long long v[8] = {0};
    FILE *f = fopen("/proc/stat", "r");
    if (!f || fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
                     &v[3], &v[4], &v[5], &v[6], &v[7]) != 8) {
        if (f)
            fclose(f);
        return 0;
    }
    fclose(f);
    return (double)(v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / (double)sysconf(_SC_CLK_TCK);
}

static char *out_path(const char *dir, const char *src)
{
    const char *base = strrchr(src, '/');
    char *p = NULL;
    if (asprintf(&p, "%s/%s", dir, base ? base + 1 : src) < 0)
        exit(1);
    return p;
}

static void done(void *ctx, void *tag, int rc, const sh_error *err)
{
    if (rc < 0)
        fprintf(stderr, "sohoa-sign-io: %s\n", err->msg);
    (void)ctx;
    (void)tag;
}

static int old_way(const char *dir, char **files, int n)
{
    unsigned char *buf = NULL;
    size_t cap = 0, len;
    int fds[BATCH];
    char *tmp[BATCH], *fin[BATCH];
    int k = 0;
    for (int i = 0; i < n; i++) {
        sh_error err = {0};
        if (sh_io_read_reuse(files[i], (size_t)1 << 31, true, &buf, &cap, &len, &err) < 0) {
            fprintf(stderr, "sohoa-sign-io: %s\n", err.msg);
            return 1;
        }
        fin[k] = out_path(dir, files[i]);
        if (asprintf(&tmp[k], "%s.tmp", fin[k]) < 0)
            return 1;
        fds[k] = open(tmp[k], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fds[k] < 0 || write(fds[k], buf, len) != (ssize_t)len)
            return 1;
        sync_file_range(fds[k], 0, 0, SYNC_FILE_RANGE_WRITE);
        if (++k == BATCH || i == n - 1) {
            for (int j = 0; j < k; j++) {
                if (fdatasync(fds[j]) != 0 || close(fds[j]) != 0 || rename(tmp[j], fin[j]) != 0)
                    return 1;
                free(tmp[j]);
                free(fin[j]);
            }
            int d = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (d < 0 || fsync(d) != 0)
                return 1;
            close(d);
            k = 0;
        }
    }
    free(buf);
    return 0;
}

static int lane_way(const char *dir, char **files, int n)
{
    sh_io_lane *lane = sh_io_lane_new(6 * WINDOW);
    sh_io_batch *b = sh_io_batch_new(BATCH, &(sh_error){0});
    sh_io_file f[WINDOW] = {{0}};
    char *fin[WINDOW];
    if (!lane || !b) {
        fprintf(stderr, "sohoa-sign-io: no io_uring here\n");
        return 1;
    }
    for (int i = 0; i < n; i += WINDOW) {
        int m = n - i < WINDOW ? n - i : WINDOW;
        for (int k = 0; k < m; k++)
            if (sh_io_lane_read(lane, &f[k], files[i + k], (size_t)1 << 31, 65536) < 0)
                return 1;
        sh_io_lane_submit(lane);
        for (int k = 0; k < m; k++) {
            fin[k] = out_path(dir, files[i + k]);
            if (sh_io_lane_wait(lane, &f[k]) < 0 ||
                sh_io_lane_write(lane, &f[k], fin[k], f[k].len) < 0)
                return 1;
        }
        sh_io_lane_submit(lane);
        for (int k = 0; k < m; k++) {
            if (sh_io_batch_count(b) == BATCH)
                sh_io_batch_commit(b, done, NULL);
            if (sh_io_lane_wait(lane, &f[k]) < 0 ||
                sh_io_batch_adopt(b, fin[k], f[k].tmp, f[k].fd, NULL, &(sh_error){0}) < 0)
                return 1;
            free(fin[k]);
        }
    }
    int failed = sh_io_batch_commit(b, done, NULL);
    sh_io_batch_free(b);
    sh_io_lane_free(lane);
    for (int k = 0; k < WINDOW; k++)
        free(f[k].buf);
    return failed != 0;
}

int main(int argc, char **argv)
{
    if (argc < 4 || (strcmp(argv[1], "old") != 0 && strcmp(argv[1], "lane") != 0)) {
        fprintf(stderr, "usage: sohoa-sign-io old|lane OUT_DIR FILE...\n");
        return 1;
    }
    int n = argc - 3;
    mkdir(argv[2], 0755);
    double w0 = now(), c0 = cpu_self(), m0 = cpu_machine();
    int rc = strcmp(argv[1], "old") == 0 ? old_way(argv[2], argv + 3, n)
                                          : lane_way(argv[2], argv + 3, n);
    double w = now() - w0, c = cpu_self() - c0, m = cpu_machine() - m0;
    if (rc) {
        fprintf(stderr, "sohoa-sign-io: %s failed\n", argv[1]);
        return 1;
    }
    printf("%-4s %d files: CPU %.3f ms a file (machine %.3f), wall %.3f ms a file\n", argv[1], n,
           1000 * c / n, 1000 * m / n, 1000 * w / n);
    return 0;
}
