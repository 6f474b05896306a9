/* bagit.c: a dossier as a BagIt bag (RFC 8493) for transfer to the state archive: the
 * payload (the PDF and its text) under data/, bag-info.txt with the dossier's facts, a
 * PREMIS 3 event log (premis.xml), and SHA-256 manifests for payload and tag files.
 *
 * A bag is built under a temporary name beside its final one, every file synced, then
 * renamed into place: an export interrupted half-way leaves no bag that looks whole.
 * The payload is re-hashed against the catalog on the way; a damaged file is not exported.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "archive_int.h"
#include "sohoa/bagit.h"
#include "sohoa/hash.h"
#include "sohoa/search.h"

typedef struct payload {
    char name[96];   /* under data/ */
    char rel[160];   /* in the archive */
    char sha256[65];
    uint64_t bytes;
} payload;

typedef struct files_ctx {
    payload v[8];
    size_t n;
} files_ctx;

static int take(const sh_file_row *f, void *ctx)
{
    files_ctx *fc = ctx;
    if (fc->n == sizeof fc->v / sizeof *fc->v)
        return 0;
    payload *p = &fc->v[fc->n++];
    const char *ext = strrchr(f->path, '.');
    snprintf(p->name, sizeof p->name, "%s%s", f->dossier_id, ext ? ext : "");
    snprintf(p->rel, sizeof p->rel, "%s", f->path);
    memcpy(p->sha256, f->sha256, sizeof p->sha256);
    p->bytes = f->bytes;
    return 0;
}

/* Writes a whole file and syncs it. */
static int put(const char *dir, const char *name, const void *data, size_t len, sh_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return sh_fail(err, SH_EIO, "cannot write %s: %s", path, strerror(errno));
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            close(fd);
            return sh_fail(err, SH_EIO, "cannot write %s: %s", path, strerror(e));
        }
        p += n;
        len -= (size_t)n;
    }
    if (fsync(fd) != 0 || close(fd) != 0)
        return sh_fail(err, SH_EIO, "cannot write %s: %s", path, strerror(errno));
    return 0;
}

static void xml_text(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

typedef struct premis_ctx {
    FILE *f;
    const char *id;
    unsigned n;
} premis_ctx;

static const char *premis_type(const char *event)
{
    /* the Library of Congress event type vocabulary (id.loc.gov/vocabulary/preservation) */
    if (strcmp(event, "capture") == 0) return "capture";
    if (strcmp(event, "clean") == 0) return "modification";
    if (strcmp(event, "ocr") == 0) return "metadata extraction";
    if (strcmp(event, "pdf") == 0) return "creation";
    if (strcmp(event, "sign") == 0) return "digital signature generation";
    if (strcmp(event, "archive") == 0) return "ingestion end";
    if (strcmp(event, "fixity") == 0) return "fixity check";
    return event;
}

static int premis_event(const sh_event_row *ev, void *ctx)
{
    premis_ctx *pm = ctx;
    FILE *f = pm->f;
    fprintf(f, "  <premis:event>\n    <premis:eventIdentifier><premis:eventIdentifierType>"
               "local</premis:eventIdentifierType><premis:eventIdentifierValue>%s-%u"
               "</premis:eventIdentifierValue></premis:eventIdentifier>\n"
               "    <premis:eventType>", pm->id, ++pm->n);
    xml_text(f, premis_type(ev->event));
    fprintf(f, "</premis:eventType>\n    <premis:eventDateTime>%s</premis:eventDateTime>\n"
               "    <premis:eventDetailInformation><premis:eventDetail>", ev->at);
    xml_text(f, ev->event);
    if (ev->detail && *ev->detail) {
        fputs(": ", f);
        xml_text(f, ev->detail);
    }
    fputs("</premis:eventDetail></premis:eventDetailInformation>\n"
          "    <premis:eventOutcomeInformation><premis:eventOutcome>", f);
    xml_text(f, ev->outcome);
    fputs("</premis:eventOutcome></premis:eventOutcomeInformation>\n"
          "    <premis:linkingAgentIdentifier><premis:linkingAgentIdentifierType>local"
          "</premis:linkingAgentIdentifierType><premis:linkingAgentIdentifierValue>", f);
    xml_text(f, ev->agent);
    fputs("</premis:linkingAgentIdentifierValue></premis:linkingAgentIdentifier>\n"
          "  </premis:event>\n", f);
    return 0;
}

static char *premis_xml(sh_catalog *c, const sh_dossier_row *row, const files_ctx *fc,
                        size_t *len, sh_error *err)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    premis_ctx pm = {.f = f, .id = row->id};

    if (!f) {
        sh_fail(err, SH_ENOMEM, "out of memory");
        return NULL;
    }
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<premis:premis xmlns:premis=\"http://www.loc.gov/premis/v3\" version=\"3.0\">\n", f);
    for (size_t i = 0; i < fc->n; i++) {
        fprintf(f, "  <premis:object xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                   "xsi:type=\"premis:file\">\n    <premis:objectIdentifier>"
                   "<premis:objectIdentifierType>local</premis:objectIdentifierType>"
                   "<premis:objectIdentifierValue>data/%s</premis:objectIdentifierValue>"
                   "</premis:objectIdentifier>\n    <premis:objectCharacteristics>"
                   "<premis:fixity><premis:messageDigestAlgorithm>SHA-256"
                   "</premis:messageDigestAlgorithm><premis:messageDigest>%s"
                   "</premis:messageDigest></premis:fixity><premis:size>%llu</premis:size>"
                   "</premis:objectCharacteristics>\n  </premis:object>\n",
                fc->v[i].name, fc->v[i].sha256, (unsigned long long)fc->v[i].bytes);
    }
    int rc = sh_catalog_each_event(c, row->id, premis_event, &pm, err);
    fputs("</premis:premis>\n", f);
    if (fclose(f) != 0 || rc < 0) {
        if (rc == 0)
            sh_fail(err, SH_ENOMEM, "out of memory");
        free(buf);
        return NULL;
    }
    return buf;
}

/* The dossier's metadata as bag-info labels: "doc_number" becomes "Doc-Number". */
static void write_meta(FILE *f, sh_catalog *c, const char *id)
{
    sh_dossier_info info;
    sh_error e;
    if (sh_catalog_info(c, id, &info, &e) < 0)
        return;
    if (info.cancelled_at[0])
        fprintf(f, "Cancelled-At: %s%s%s\n", info.cancelled_at, info.cancel_reason ? " - " : "",
                info.cancel_reason ? info.cancel_reason : "");
    for (size_t i = 0; i < info.meta.n; i++) {
        const sh_meta_item *m = &info.meta.v[i];
        bool up = true;
        for (const char *p = m->field; *p; p++) {
            fputc(*p == '_' ? '-' : up && *p >= 'a' && *p <= 'z' ? *p - 32 : *p, f);
            up = *p == '_';
        }
        fputs(": ", f);
        for (const char *p = m->value; *p; p++) /* one line per label */
            fputc(*p == '\n' || *p == '\r' ? ' ' : *p, f);
        if (m->page)
            fprintf(f, " (read on page %u)", m->page);
        fputc('\n', f);
    }
    sh_dossier_info_free(&info);
}

static void remove_tree(const char *dir)
{
    DIR *dp = opendir(dir);
    struct dirent *e;
    char path[4096 + 256];
    if (!dp)
        return;
    while ((e = readdir(dp))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (e->d_type == DT_DIR)
            remove_tree(path);
        else
            unlink(path);
    }
    closedir(dp);
    rmdir(dir);
}

static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

int sh_archive_export_bag(sh_archive *a, sh_io *io, const char *id, const char *outdir,
                          const sh_bag_info *info, sh_error *err)
{
    sh_dossier_row row;
    files_ctx fc = {0};
    char final[4096], tmp[4096], data_dir[4200];
    char *tag = NULL, *premis = NULL;
    size_t tag_len = 0, premis_len = 0;
    int rc = -1;
    struct stat sb;

    int found = sh_catalog_get(a->catalog, id, &row, err);
    if (found <= 0)
        return found < 0 ? -1 : sh_fail(err, SH_EUSAGE, "no dossier %s in the archive", id);
    if (strcmp(row.status, "archived") != 0)
        return sh_fail(err, SH_EUSAGE, "dossier %s is still being written", id);
    snprintf(final, sizeof final, "%s/%s", outdir, row.id);
    if (stat(final, &sb) == 0)
        return sh_fail(err, SH_EUSAGE, "%s exists already (a bag exported earlier)", final);
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp.%ld", outdir, row.id, (long)getpid());
    remove_tree(tmp);
    snprintf(data_dir, sizeof data_dir, "%s/data", tmp);
    if (sh_archive_mkdirs(data_dir, err) < 0)
        return -1;
    if (sh_catalog_each_file(a->catalog, NULL, row.id, take, &fc, err) < 0)
        goto out;

    /* the payload, re-hashed against the catalog on its way out */
    char *manifest = NULL;
    size_t manifest_len = 0;
    FILE *m = open_memstream(&manifest, &manifest_len);
    uint64_t octets = 0;
    if (!m) {
        sh_fail(err, SH_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < fc.n; i++) {
        char src[4096], hex[65];
        unsigned char *bytes = NULL;
        size_t len = 0;
        snprintf(src, sizeof src, "%s/%s", a->dir, fc.v[i].rel);
        if (sh_io_read_file(io, src, fc.v[i].bytes + 1, &bytes, &len, err) < 0)
            break;
        sh_sha256_hex(bytes, len, hex);
        if (len != fc.v[i].bytes || strcmp(hex, fc.v[i].sha256) != 0) {
            free(bytes);
            sh_fail(err, SH_EIO, "%s does not match the catalog; run 'sohoa repair' first", src);
            break;
        }
        int w = put(data_dir, fc.v[i].name, bytes, len, err);
        free(bytes);
        if (w < 0)
            break;
        fprintf(m, "%s  data/%s\n", hex, fc.v[i].name);
        octets += len;
    }
    if (fclose(m) != 0 || err->code != SH_OK) {
        free(manifest);
        goto out;
    }
    sync_dir(data_dir);

    static const char bagit_txt[] = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
    char date[16];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(date, sizeof date, "%Y-%m-%d", &tm);
    FILE *bi = open_memstream(&tag, &tag_len);
    if (!bi) {
        free(manifest);
        sh_fail(err, SH_ENOMEM, "out of memory");
        goto out;
    }
    if (info && info->organization && *info->organization)
        fprintf(bi, "Source-Organization: %s\n", info->organization);
    fprintf(bi, "Bagging-Date: %s\nPayload-Oxum: %llu.%zu\nExternal-Identifier: %s\n"
                "External-Description: digitized dossier, %u page%s, from %s\n"
                "Internal-Sender-Identifier: %s\nBag-Software-Agent: sohoa %s\n"
                "Archived-At: %s\nInput-SHA-256: %s\n",
            date, (unsigned long long)octets, fc.n, row.id, row.pages, row.pages == 1 ? "" : "s",
            row.source, row.source, SOHOA_VERSION, row.created_at, row.key);
    for (size_t i = 0; info && i < info->nextra; i++)
        fprintf(bi, "%s: %s\n", info->extra[i].label, info->extra[i].value);
    write_meta(bi, a->catalog, row.id);
    fclose(bi);

    if (!(premis = premis_xml(a->catalog, &row, &fc, &premis_len, err)) ||
        put(tmp, "bagit.txt", bagit_txt, strlen(bagit_txt), err) < 0 ||
        put(tmp, "bag-info.txt", tag, tag_len, err) < 0 ||
        put(tmp, "manifest-sha256.txt", manifest, manifest_len, err) < 0 ||
        put(tmp, "premis.xml", premis, premis_len, err) < 0) {
        free(manifest);
        goto out;
    }
    char tagm[1024], h1[65], h2[65], h3[65], h4[65];
    sh_sha256_hex(bagit_txt, strlen(bagit_txt), h1);
    sh_sha256_hex(tag, tag_len, h2);
    sh_sha256_hex(manifest, manifest_len, h3);
    sh_sha256_hex(premis, premis_len, h4);
    free(manifest);
    snprintf(tagm, sizeof tagm, "%s  bagit.txt\n%s  bag-info.txt\n%s  manifest-sha256.txt\n"
             "%s  premis.xml\n", h1, h2, h3, h4);
    if (put(tmp, "tagmanifest-sha256.txt", tagm, strlen(tagm), err) < 0)
        goto out;
    sync_dir(tmp);
    if (rename(tmp, final) != 0) {
        sh_fail(err, SH_EIO, "cannot put the bag in place at %s: %s", final, strerror(errno));
        goto out;
    }
    sync_dir(outdir);
    rc = 0;
out:
    if (rc < 0)
        remove_tree(tmp);
    free(tag);
    free(premis);
    return rc;
}
