/* sign.c: `sohoa sign`: one more PAdES signature on each PDF given, in a batch.
 *
 * The key is opened (and a token logged in to) once, then the files are signed on worker
 * threads: read, sign in memory, written atomically in place or into --out (temporary
 * file, then per batch: data made durable, rename, folder fsync). A file that cannot be signed is
 * left exactly as it was; when the command returns, every file reported signed is durable.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <getopt.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pthread.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "../queue.h"
#include "../i18n.h"
#include "cli.h"
#include "sohoa/io.h"
#include "sohoa/sign.h"

static const char usage[] = N_(
    "usage: sohoa sign (--key FILE | --pkcs11-module SO --token LABEL --key-label L)\n"
    "                  [--cert FILE] [--chain FILE] [--profile NAME] [--out DIR] PDF...\n"
    "\n"
    "Adds one PAdES signature (ETSI.CAdES.detached, baseline B-B) to each PDF as an\n"
    "incremental update: earlier signatures stay valid. Without --out each file is signed\n"
    "in place, atomically; with it the signed copies go to DIR under the same names.\n"
    "\n"
    "  --key FILE            PEM private key or PKCS#12 (.p12/.pfx)\n"
    "  --cert FILE           signer certificate (PEM/DER; from the .p12 or token if absent)\n"
    "  --chain FILE          CA certificates to embed (PEM)\n"
    "  --pkcs11-module SO    PKCS#11 module, e.g. /usr/lib/softhsm/libsofthsm2.so\n"
    "  --token LABEL         the token's label\n"
    "  --key-label L         the private key's label on the token\n"
    "  --pin-file FILE       the PIN or passphrase is the file's first line (default:\n"
    "                        $SOHOA_PIN; never on the command line)\n"
    "  --digest ALG          sha256 (default), sha384 or sha512\n"
    "  --pss                 RSA: RSASSA-PSS instead of PKCS#1 v1.5\n"
    "  --profile NAME        the visible stamp: none (default), digitizer, agency, result,\n"
    "                        copy\n"
    "  --name TEXT           name on the stamp (default: the certificate's CN)\n"
    "  --agency TEXT         agency name (agency, result, copy)\n"
    "  --title TEXT          signer's title (result)\n"
    "  --seal PNG            red seal image, transparent PNG (agency, result)\n"
    "  --seal-dpi N          the seal image's resolution, for its real size (300)\n"
    "  --signature-image PNG the signer's handwritten signature (result)\n"
    "  --pos X,Y             stamp's top-left corner, points from page 1's top-left as\n"
    "                        displayed (defaults: digitizer top-left, agency and copy\n"
    "                        top-right, result lower right; 1 cm margins)\n"
    "  --font-size PT        text size (10)\n"
    "  --font TTF            TrueType font with Vietnamese (default DejaVu Serif)\n"
    "  --reason TEXT         /Reason of the signature\n"
    "  --qr-dossier CODE     add a TT 01/2023 QR code (top-left of page 1) with the dossier\n"
    "  --qr-procedure CODE     code, procedure code, applicant's ID, document name and\n"
    "  --qr-applicant ID       system name; the signing time is added\n"
    "  --qr-document NAME\n"
    "  --qr-system NAME       (default place: top-left, below the digitizer's stamp)\n"
    "  --qr-pos X,Y, --qr-size PT   where and how large (72 pt)\n"
    "  --out DIR             write signed copies into DIR\n"
    "  --jobs N              files signed at once (default: online CPUs)\n"
    "  --quiet               print only errors\n"
    "\n"
    "Only PDFs with classic xref tables (as sohoa makes) can be signed for now; others are\n"
    "refused with a message. Exit status: 0 all signed, 2 some files failed, 1 usage error\n"
    "or the key could not be used (then nothing was signed).\n");

/* Signing is CPU work, one thread per core, and each signer thread does its own files
 * start to end: read, sign, write to a temporary name. Handing every file between threads
 * (and to an I/O thread and back) cost more CPU in wake-ups than the PDF work itself. What
 * is mostly waiting, making the files durable, is done per batch (sh_io_batch: one syncfs
 * or data sync pass, the renames, one folder sync) by a committer thread, so signing goes on
 * meanwhile; per file it was a journal commit and a disk flush each, ~4 ms a file here
 * against 0.3 ms for an RSA-2048 signature. */
#define BATCH_MAX 128 /* files per batch: each holds a descriptor until its commit */

typedef struct batch {
    sh_signer *signer;
    const sh_sign_request *rq;
    const char *out_dir;
    char **files;
    size_t n, batch_max;
    atomic_size_t next;
    atomic_uint failed;
    bool quiet;
    pthread_mutex_t print;
    sh_queue *full;           /* batches of written files on their way to the committer */
} batch;

static void report(batch *b, size_t i, int rc, const sh_error *err)
{
    pthread_mutex_lock(&b->print);
    if (rc < 0) {
        atomic_fetch_add(&b->failed, 1);
        fprintf(stderr, _("FAILED     %s\n"), err->msg);
    } else if (!b->quiet) {
        fprintf(stderr, _("signed     %s\n"), b->files[i]);
    }
    pthread_mutex_unlock(&b->print);
}

static void committed(void *ctx, void *tag, int rc, const sh_error *err)
{
    report(ctx, (size_t)(uintptr_t)tag, rc, err);
}

#define MAX_PDF ((size_t)1 << 31)

/* Each signer goes through its files in groups of WINDOW, four groups at a time: one
 * being signed, the next one being read and the last two being written. Once a group's
 * writes are done its buffers take the files READ_AHEAD rounds ahead, whose reads go to
 * the kernel with the writes of the group just signed, in one submission (sh_io_lane).
 * On a VM each submission is an exit to the host: reading and writing file by file
 * through the page cache cost 0.18-0.22 ms of CPU a file here, against 0.05-0.06 this way
 * (bench/sign_io.c), and 0.3 ms for an RSA-2048 signature. A write has two groups'
 * signing to finish in (~6 ms): on a journaled ext4 its completion can wait for a commit
 * (its blocks were unwritten), and with one group's time the signers waited for it 13 %
 * of the time at --jobs 2 (perf sched); with two, 3-4 % more signatures a second there,
 * and the same on ext4 without a journal. A group holds at most GROUP_BYTES of documents
 * (and one more). */
#define WINDOW 8
#define GROUPS 4
#define READ_AHEAD 2 /* rounds from a group's reads to its signing; the rest writes */
#define GROUP_BYTES ((size_t)16 << 20)
#define ROOM ((size_t)64 << 10) /* read buffers leave this much after a document for its update */
/* Each slot's buffer is a piece of one arena per signer, in 2 MB pages where the kernel
 * has them (transparent huge pages on madvise): every direct read and write pins its
 * buffer's pages and lists them for the device, ~30 pages a document with 4 KB pages and
 * one with 2 MB ones; the document's hash walks it with fewer TLB misses. 10 % less CPU
 * a signature on 108 KB documents. A bigger document gets a buffer of its own. */
#define SLOT_BYTES ((size_t)256 << 10)
#define HUGE_PAGE ((size_t)2 << 20)

typedef enum slot_state { EMPTY, READING, READ_HERE, WRITING } slot_state;

typedef struct slot {
    slot_state st;
    size_t i;            /* the file */
    char *dest;          /* where the signed file goes (malloc'd) */
    sh_io_file f;        /* its buffer: home, or a bigger one for one document */
    unsigned char *home; /* its piece of the arena (NULL: none, f's buffer is kept) */
} slot;

/* A full batch to the committer; a fresh one back (NULL: out of memory). */
static sh_io_batch *hand_over(batch *b, sh_io_batch *full)
{
    if (sh_io_batch_count(full) && sh_queue_push(b->full, 0, full) == 0)
        return sh_io_batch_new(b->batch_max, &(sh_error){0});
    return full; /* empty (or the queue is closed, which does not happen while signing) */
}

/* The batch to add to, a fresh one when it is full (NULL: out of memory). */
static sh_io_batch *room_in(batch *b, sh_io_batch **out)
{
    if (*out && sh_io_batch_count(*out) == b->batch_max)
        *out = hand_over(b, *out);
    return *out;
}

/* The signed bytes go right after the document in its buffer: the file is written from
 * there in one piece (direct writes want whole pages from an aligned buffer). */
static int append(sh_io_file *f, size_t len, const unsigned char *update, size_t ulen)
{
    if (f->cap < len + ulen) {
        void *m = NULL;
        size_t want = (len + ulen + ROOM + 4095) / 4096 * 4096;
        if (posix_memalign(&m, 4096, want) != 0)
            return -1;
        memcpy(m, f->buf, len);
        if (!f->fixed)
            free(f->buf);
        f->buf = m;
        f->cap = want;
        f->fixed = false;
    }
    memcpy(f->buf + len, update, ulen);
    return 0;
}

/* Reads (unless the lane did), signs and writes the slot's file: queued on the lane, or
 * into the batch (not durable until its commit). */
static int sign_one(batch *b, slot *s, sh_io_lane *lane, sh_io_batch **out, sh_error *err)
{
    const char *path = b->files[s->i];
    unsigned char *update = NULL;
    size_t update_len = 0;

    if (s->st == READ_HERE) {
        if (s->f.fixed) /* the ordinary read replaces a buffer too small by freeing it */
            s->f = (sh_io_file){.fd = -1};
        if (sh_io_read_reuse(path, MAX_PDF, true, &s->f.buf, &s->f.cap, &s->f.len, err) < 0)
            return -1;
    }
    size_t len = s->f.len;
    sh_sign_request rq = *b->rq;
    rq.when = time(NULL); /* the claimed time of each signature is its own */
    /* only the update is made: the document goes to disk as read */
    if (sh_sign_pdf_update(b->signer, s->f.buf, len, &rq, &update, &update_len, err) < 0) {
        sh_error_prefix(err, "%s", path);
        return -1;
    }
    int rc = append(&s->f, len, update, update_len);
    free(update);
    if (rc < 0)
        return sh_fail(err, SH_ENOMEM, "%s: out of memory", path);
    const char *base = strrchr(path, '/');
    if (b->out_dir ? asprintf(&s->dest, "%s/%s", b->out_dir, base ? base + 1 : path) < 0
                   : !(s->dest = strdup(path))) {
        s->dest = NULL;
        return sh_fail(err, SH_ENOMEM, "%s: out of memory", path);
    }
    if (sh_io_lane_write(lane, &s->f, s->dest, len + update_len) == 0) {
        s->st = WRITING;
        return 0;
    }
    /* the lane declined (tmpfs, no O_DIRECT): through the page cache, with its messages */
    if (!room_in(b, out))
        return sh_fail(err, SH_ENOMEM, "%s: out of memory", path);
    return sh_io_batch_add(*out, s->dest, s->f.buf, len + update_len, (void *)(uintptr_t)s->i,
                           err);
}

/* Waits for the slot's write: its temporary to the committer, or the failure reported. */
static void written(batch *b, sh_io_lane *lane, sh_io_batch **out, slot *s)
{
    sh_error err = {0};
    void *tag = (void *)(uintptr_t)s->i;
    if (sh_io_lane_wait(lane, &s->f) < 0) {
        /* refused after all (a device wanting other alignment): through the page cache */
        if (s->f.why == EINVAL && room_in(b, out) &&
            sh_io_batch_add(*out, s->dest, s->f.buf, s->f.size, tag, &err) == 0)
            return;
        if (!err.msg[0])
            sh_fail(&err, SH_EIO, "cannot write %s: %s", s->dest, strerror(s->f.why));
        report(b, s->i, -1, &err);
    } else if (!room_in(b, out)) {
        close(s->f.fd);
        unlink(s->f.tmp);
        free(s->f.tmp);
        sh_fail(&err, SH_ENOMEM, "%s: out of memory", b->files[s->i]);
        report(b, s->i, -1, &err);
    } else if (sh_io_batch_adopt(*out, s->dest, s->f.tmp, s->f.fd, tag, &err) < 0) {
        report(b, s->i, -1, &err);
    }
    s->f.tmp = NULL;
    s->f.fd = -1;
}

static void clear(slot *s)
{
    free(s->dest);
    s->dest = NULL;
    s->st = EMPTY;
    if (s->home && s->f.buf != s->home) { /* back to its piece of the arena */
        free(s->f.buf);
        s->f = (sh_io_file){.buf = s->home, .cap = SLOT_BYTES, .fixed = true, .fd = -1};
    } else if (!s->home && s->f.cap > GROUP_BYTES) { /* a big document's is not kept */
        free(s->f.buf);
        s->f.buf = NULL;
        s->f.cap = 0;
    }
}

/* The slots' buffers in one arena, in huge pages where the kernel gives them; NULL (each
 * slot then has buffers of its own) where it cannot be had. */
static unsigned char *arena_new(slot g[GROUPS][WINDOW])
{
    void *m = NULL;
    size_t size = (GROUPS * WINDOW * SLOT_BYTES + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
    if (posix_memalign(&m, HUGE_PAGE, size) != 0)
        return NULL;
    madvise(m, size, MADV_HUGEPAGE); /* advice: 4 KB pages work as well, only slower */
    for (int x = 0; x < GROUPS; x++)
        for (int k = 0; k < WINDOW; k++) {
            slot *s = &g[x][k];
            s->home = (unsigned char *)m + (size_t)(x * WINDOW + k) * SLOT_BYTES;
            s->f = (sh_io_file){.buf = s->home, .cap = SLOT_BYTES, .fixed = true, .fd = -1};
        }
    return m;
}

/* After the lane lost transfers (sh_io_lane_lost): no slot goes back to its piece of the
 * arena, and the arena is never freed, since the kernel may still use a piece of it. */
static void abandon_arena(slot g[GROUPS][WINDOW], unsigned char **arena)
{
    for (int x = 0; x < GROUPS; x++)
        for (int k = 0; k < WINDOW; k++) {
            slot *s = &g[x][k];
            if (s->f.fixed && s->st != WRITING)
                s->f = (sh_io_file){.fd = -1};
            s->home = NULL;
        }
    *arena = NULL;
}

/* Takes the next files into group g and queues their reads. */
static void fill(batch *b, sh_io_lane *lane, slot *g)
{
    size_t bytes = 0;
    for (int k = 0; k < WINDOW && bytes < GROUP_BYTES; k++) {
        size_t i = atomic_fetch_add(&b->next, 1);
        if (i >= b->n)
            break;
        g[k].i = i;
        g[k].st = READ_HERE;
        if (sh_io_lane_read(lane, &g[k].f, b->files[i], MAX_PDF, ROOM) == 0) {
            g[k].st = READING;
            bytes += g[k].f.size;
        }
    }
}

static void *signer_thread(void *arg)
{
    batch *b = arg;
    sh_io_batch *out = sh_io_batch_new(b->batch_max, &(sh_error){0});
    sh_io_lane *lane = sh_io_lane_new(2 * GROUPS * WINDOW); /* NULL: every file in turn */
    slot g[GROUPS][WINDOW];

    for (int x = 0; x < GROUPS; x++)
        for (int k = 0; k < WINDOW; k++)
            g[x][k] = (slot){.st = EMPTY, .f = {.fd = -1}};
    unsigned char *arena = arena_new(g);
    for (int x = 0; x < READ_AHEAD; x++)
        fill(b, lane, g[x]);
    sh_io_lane_submit(lane);
    for (unsigned r = 0; g[r % GROUPS][0].st != EMPTY; r++) {
        /* this round's group, and the oldest one written: it takes the files of round
         * r + READ_AHEAD once its writes are done */
        slot *cur = g[r % GROUPS], *last = g[(r + READ_AHEAD) % GROUPS];
        for (int k = 0; k < WINDOW && cur[k].st != EMPTY; k++) {
            slot *s = &cur[k];
            sh_error err = {0};
            if (s->st == READING && sh_io_lane_wait(lane, &s->f) < 0)
                s->st = READ_HERE; /* not whole: the ordinary read, and its message */
            if (sign_one(b, s, lane, &out, &err) < 0)
                report(b, s->i, -1, &err);
            if (s->st != WRITING)
                clear(s);
            if (arena && sh_io_lane_lost(lane))
                abandon_arena(g, &arena);
        }
        /* the oldest group's writes are done by now (or soon), and its buffers take the
         * files READ_AHEAD rounds ahead, read while the groups before them are signed */
        for (int k = 0; k < WINDOW; k++)
            if (last[k].st == WRITING) {
                written(b, lane, &out, &last[k]);
                if (arena && sh_io_lane_lost(lane))
                    abandon_arena(g, &arena);
                clear(&last[k]);
            }
        fill(b, lane, last);
        sh_io_lane_submit(lane); /* this group's writes and those reads, together */
    }
    for (int x = 0; x < GROUPS; x++)
        for (int k = 0; k < WINDOW; k++) {
            if (g[x][k].st == WRITING)
                written(b, lane, &out, &g[x][k]);
            if (arena && sh_io_lane_lost(lane))
                abandon_arena(g, &arena);
            clear(&g[x][k]);
            if (!g[x][k].f.fixed)
                free(g[x][k].f.buf);
        }
    sh_io_lane_free(lane); /* nothing in flight: every write was waited for */
    free(arena);
    if (out && sh_io_batch_count(out))
        out = hand_over(b, out);
    sh_io_batch_free(out);
    return NULL;
}

static void *committer_thread(void *arg)
{
    batch *b = arg;
    sh_io_batch *full;
    while ((full = sh_queue_pop(b->full, NULL))) {
        sh_io_batch_commit(full, committed, b);
        sh_io_batch_free(full);
    }
    return NULL;
}

/* A folder just made, made durable: its entry in its parent synced, so that the signed
 * files reported durable in it cannot vanish with it in a crash. */
static int made_durable(const char *dir)
{
    char *copy = strdup(dir);
    int fd = copy ? open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1, rc = -1;
    if (fd >= 0) {
        rc = fsync(fd);
        close(fd);
    }
    free(copy);
    return rc;
}

int sh_cmd_sign(int argc, char **argv)
{
    enum { O_KEY = 256, O_CERT, O_CHAIN, O_MODULE, O_TOKEN, O_KEYLABEL, O_PINFILE, O_DIGEST,
           O_PSS, O_PROFILE, O_NAME, O_AGENCY, O_TITLE, O_SEAL, O_SEALDPI, O_SIGIMG, O_POS,
           O_FONT, O_REASON, O_QRD, O_QRP, O_QRA, O_QRN, O_QRS, O_OUT, O_JOBS, O_QUIET,
           O_HELP, O_FONTSIZE, O_QRPOS, O_QRSIZE };
    static const struct option longopts[] = {
        {"key", required_argument, NULL, O_KEY},
        {"cert", required_argument, NULL, O_CERT},
        {"chain", required_argument, NULL, O_CHAIN},
        {"pkcs11-module", required_argument, NULL, O_MODULE},
        {"token", required_argument, NULL, O_TOKEN},
        {"key-label", required_argument, NULL, O_KEYLABEL},
        {"pin-file", required_argument, NULL, O_PINFILE},
        {"digest", required_argument, NULL, O_DIGEST},
        {"pss", no_argument, NULL, O_PSS},
        {"profile", required_argument, NULL, O_PROFILE},
        {"name", required_argument, NULL, O_NAME},
        {"agency", required_argument, NULL, O_AGENCY},
        {"title", required_argument, NULL, O_TITLE},
        {"seal", required_argument, NULL, O_SEAL},
        {"seal-dpi", required_argument, NULL, O_SEALDPI},
        {"signature-image", required_argument, NULL, O_SIGIMG},
        {"pos", required_argument, NULL, O_POS},
        {"font", required_argument, NULL, O_FONT},
        {"font-size", required_argument, NULL, O_FONTSIZE},
        {"qr-pos", required_argument, NULL, O_QRPOS},
        {"qr-size", required_argument, NULL, O_QRSIZE},
        {"reason", required_argument, NULL, O_REASON},
        {"qr-dossier", required_argument, NULL, O_QRD},
        {"qr-procedure", required_argument, NULL, O_QRP},
        {"qr-applicant", required_argument, NULL, O_QRA},
        {"qr-document", required_argument, NULL, O_QRN},
        {"qr-system", required_argument, NULL, O_QRS},
        {"out", required_argument, NULL, O_OUT},
        {"jobs", required_argument, NULL, O_JOBS},
        {"quiet", no_argument, NULL, O_QUIET},
        {"help", no_argument, NULL, O_HELP},
        {0},
    };
    sh_sign_key key = {0};
    sh_sign_look look = {.profile = SH_PROFILE_NONE, .x = -1, .y = -1};
    sh_sign_qr qr = {.x = -1, .y = -1, .size = -1};
    bool want_qr = false, quiet = false;
    const char *pin_file = NULL, *out_dir = NULL, *reason = NULL;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned jobs = cpus > 0 ? (unsigned)cpus : 1;
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "hq", longopts, NULL)) != -1) {
        switch (c) {
        case O_KEY: key.key = optarg; break;
        case O_CERT: key.cert = optarg; break;
        case O_CHAIN: key.chain = optarg; break;
        case O_MODULE: key.pkcs11_module = optarg; break;
        case O_TOKEN: key.token = optarg; break;
        case O_KEYLABEL: key.key_label = optarg; break;
        case O_PINFILE: pin_file = optarg; break;
        case O_DIGEST: key.digest = optarg; break;
        case O_PSS: key.pss = true; break;
        case O_PROFILE:
            if (sh_cli_profile(optarg, &look.profile) < 0)
                return SH_EXIT_FATAL;
            break;
        case O_NAME: look.name = optarg; break;
        case O_AGENCY: look.agency = optarg; break;
        case O_TITLE: look.title = optarg; break;
        case O_SEAL: look.seal_png = optarg; break;
        case O_SEALDPI: look.seal_dpi = atof(optarg); break;
        case O_SIGIMG: look.sig_png = optarg; break;
        case O_POS:
            if (sh_cli_pos(optarg, &look.x, &look.y) < 0)
                return SH_EXIT_FATAL;
            break;
        case O_FONT: look.font = optarg; break;
        case O_FONTSIZE: look.font_size = atof(optarg); break;
        case O_QRPOS:
            if (sh_cli_pos(optarg, &qr.x, &qr.y) < 0)
                return SH_EXIT_FATAL;
            break;
        case O_QRSIZE: qr.size = atof(optarg); break;
        case O_REASON: reason = optarg; break;
        case O_QRD: qr.dossier_code = optarg, want_qr = true; break;
        case O_QRP: qr.procedure_code = optarg, want_qr = true; break;
        case O_QRA: qr.applicant_id = optarg, want_qr = true; break;
        case O_QRN: qr.doc_name = optarg, want_qr = true; break;
        case O_QRS: qr.system_name = optarg, want_qr = true; break;
        case O_OUT: out_dir = optarg; break;
        case O_JOBS:
            jobs = (unsigned)atoi(optarg);
            if (jobs < 1 || jobs > 256) {
                fprintf(stderr, _("sohoa sign: --jobs wants 1 to 256\n"));
                return SH_EXIT_FATAL;
            }
            break;
        case 'q':
        case O_QUIET: quiet = true; break;
        case 'h':
        case O_HELP: fputs(_(usage), stdout); return SH_EXIT_OK;
        default: fputs(_(usage), stderr); return SH_EXIT_FATAL;
        }
    }
    if (!key.key == !key.pkcs11_module) {
        fprintf(stderr, _("sohoa sign: give either --key FILE or --pkcs11-module SO\n\n%s"), _(usage));
        return SH_EXIT_FATAL;
    }
    if (optind >= argc) {
        fprintf(stderr, _("sohoa sign: no PDF given\n\n%s"), _(usage));
        return SH_EXIT_FATAL;
    }
    char *pin = NULL;
    if (sh_cli_read_pin(pin_file, &pin) < 0)
        return SH_EXIT_FATAL;
    key.pin = pin;

    sh_error err = {0};
    sh_signer *signer = NULL;
    int rc = sh_signer_open(&key, time(NULL), &signer, &err);
    sh_cli_free_pin(pin);
    if (rc == 0 && (rc = sh_sign_look_check(signer, &look, &err)) < 0)
        sh_signer_close(signer);
    if (rc < 0) {
        fprintf(stderr, "sohoa sign: %s\n", err.msg);
        return SH_EXIT_FATAL;
    }
    if (out_dir && (mkdir(out_dir, 0777) == 0 ? made_durable(out_dir)
                                               : errno == EEXIST ? 0 : -1) < 0) {
        fprintf(stderr, _("sohoa sign: --out %s: cannot be made (%m)\n"), out_dir);
        sh_signer_close(signer);
        return SH_EXIT_FATAL;
    }
    sh_sign_request rq = {
        .when = time(NULL),
        .look = &look,
        .qr = want_qr ? &qr : NULL,
        .reason = reason,
        /* whole pages, so each file goes to the disk in one direct write (sh_io_lane):
         * its last partial page went through the page cache, which cost a page, a
         * delayed block and a request of its own at the commit (~8 % of a signature's
         * CPU here). On a file system of 4 KB blocks the file takes the same room. */
        .align = 4096,
    };
    if (jobs > (size_t)(argc - optind))
        jobs = (unsigned)(argc - optind);
    /* Descriptors: a signer holds one for each file it has in flight (GROUPS * WINDOW), its
     * ring and at times one ordinary read; each batch being filled, queued or committed
     * (2 * jobs + 2 at most) holds its files'; the committer a ring and a folder; 64 for
     * the rest (the key, a token's module). The soft limit is raised as far as that needs
     * and the hard limit allows (1024 is a common soft limit, the hard one far higher);
     * where it is still short, fewer signers, then smaller batches. */
    size_t batch_max = BATCH_MAX, per_signer = GROUPS * WINDOW + 2, fixed = 64 + 2;
    struct rlimit nofile;
    if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur != RLIM_INFINITY) {
        rlim_t want = fixed + jobs * per_signer + (2 * jobs + 2) * BATCH_MAX;
        if (nofile.rlim_cur < want) {
            struct rlimit more = {nofile.rlim_max < want ? nofile.rlim_max : want,
                                  nofile.rlim_max};
            if (setrlimit(RLIMIT_NOFILE, &more) == 0)
                nofile = more;
        }
        size_t have = (size_t)nofile.rlim_cur, least = fixed + (2 * jobs + 2);
        if (have < least + jobs * per_signer) {
            unsigned fit = have > fixed + 4 ? (unsigned)((have - fixed - 2) / (per_signer + 2)) : 1;
            jobs = fit ? fit : 1;
            if (!quiet)
                fprintf(stderr, _("sohoa sign: %u at once only: the limit of open files is %zu "
                                  "(ulimit -n)\n"), jobs, have);
        }
        size_t room = have > fixed + jobs * per_signer ? have - fixed - jobs * per_signer : 1;
        if (room / (2 * jobs + 2) < batch_max)
            batch_max = room / (2 * jobs + 2) ? room / (2 * jobs + 2) : 1;
    }
    batch b = {.signer = signer, .rq = &rq, .out_dir = out_dir, .files = argv + optind,
               .n = (size_t)(argc - optind), .batch_max = batch_max, .quiet = quiet};
    const size_t cap[SH_QUEUE_LANES] = {jobs, 0}; /* bounds the descriptors held */
    if (!(b.full = sh_queue_new(cap))) {
        sh_signer_close(signer);
        fprintf(stderr, _("sohoa sign: out of memory\n"));
        return SH_EXIT_FATAL;
    }
    pthread_mutex_init(&b.print, NULL);
    pthread_t th[256], committer;
    unsigned started = 0;
    if (pthread_create(&committer, NULL, committer_thread, &b) != 0) {
        fprintf(stderr, _("sohoa sign: cannot start threads\n"));
        sh_queue_free(b.full);
        pthread_mutex_destroy(&b.print);
        sh_signer_close(signer);
        return SH_EXIT_FATAL;
    }
    for (; started < jobs; started++)
        if (pthread_create(&th[started], NULL, signer_thread, &b) != 0)
            break;
    if (started == 0)
        signer_thread(&b);
    for (unsigned i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    sh_queue_close(b.full); /* the committer finishes what is queued, then stops */
    pthread_join(committer, NULL);
    sh_queue_free(b.full);
    pthread_mutex_destroy(&b.print);
    sh_signer_close(signer);
    unsigned failed = atomic_load(&b.failed);
    if (!quiet)
        fprintf(stderr, ngettext("%zu file: %zu signed, %u failed\n",
                                 "%zu files: %zu signed, %u failed\n", b.n),
                b.n, b.n - failed, failed);
    return failed ? SH_EXIT_PARTIAL : SH_EXIT_OK;
}
