/* metafile.c: the operator's metadata files: a sidecar beside an input, or one --meta file
 * for a batch; JSON (read with jansson) or CSV (RFC 4180, with the ',' ';' or tab that a
 * spreadsheet wrote, and its UTF-8 BOM).
 *
 * Keys become field names (sh_meta_field_name: English or Vietnamese, with or without
 * diacritics); values are trimmed and put in NFC (a Mac writes NFD). Nothing the operator
 * gave is dropped: unknown keys are kept under their folded name.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <uninorm.h>

#include "sohoa/meta.h"

typedef struct entry {
    char *name;      /* the input it describes; NULL in a sidecar */
    sh_meta meta;
} entry;

struct sh_metafile {
    entry *v;
    size_t n, cap;
};

static entry *new_entry(sh_metafile *f)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? 2 * f->cap : 16;
        entry *v = realloc(f->v, cap * sizeof *v);
        if (!v)
            return NULL;
        f->v = v;
        f->cap = cap;
    }
    memset(&f->v[f->n], 0, sizeof f->v[0]);
    return &f->v[f->n++];
}

void sh_metafile_free(sh_metafile *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++) {
        free(f->v[i].name);
        sh_meta_free(&f->v[i].meta);
    }
    free(f->v);
    free(f);
}

static bool names_input(const char *field)
{
    return strcmp(field, "file") == 0 || strcmp(field, "source") == 0 ||
           strcmp(field, "input") == 0 || strcmp(field, "tep") == 0 ||
           strcmp(field, "ten_tep") == 0 || strcmp(field, "filename") == 0;
}

/* Adds key = value (n bytes) to e: trimmed, NFC, an ID without its spaces. */
static int put(entry *e, const char *key, const char *value, size_t n)
{
    char field[64];
    size_t len = 0;

    sh_meta_field_name(key, field, sizeof field);
    while (n && (*value == ' ' || *value == '\t' || *value == '\r' || *value == '\n'))
        value++, n--;
    while (n && (value[n - 1] == ' ' || value[n - 1] == '\t' || value[n - 1] == '\r' ||
                 value[n - 1] == '\n'))
        n--;
    if (!field[0] || !n)
        return 0;
    char *nfc = (char *)u8_normalize(UNINORM_NFC, (const uint8_t *)value, n, NULL, &len);
    char *s = nfc ? realloc(nfc, len + 1) : NULL;
    if (!s) {
        free(nfc);
        return -1;
    }
    s[len] = '\0';
    if (strcmp(field, SH_META_APPLICANT) == 0) { /* "001 234 567 890" */
        char *o = s;
        for (char *p = s; *p; p++)
            if (*p != ' ' && *p != '.')
                *o++ = *p;
        *o = '\0';
    }
    int rc = 0;
    if (names_input(field)) {
        free(e->name);
        e->name = s;
        return 0;
    }
    rc = sh_meta_add(&e->meta, field, s, 0);
    free(s);
    return rc;
}

/* ---- JSON --------------------------------------------------------------------------- */

static int json_value_text(json_t *v, char *buf, size_t n, char **out)
{
    *out = NULL;
    if (json_is_string(v)) {
        *out = strdup(json_string_value(v));
    } else if (json_is_integer(v)) {
        snprintf(buf, n, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        *out = strdup(buf);
    } else if (json_is_real(v)) {
        snprintf(buf, n, "%g", json_real_value(v));
        *out = strdup(buf);
    } else if (json_is_boolean(v)) {
        *out = strdup(json_is_true(v) ? "true" : "false");
    } else if (json_is_array(v)) { /* keywords: ["a", "b"] -> "a; b" */
        char *s = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&s, &len);
        size_t i;
        json_t *x;
        if (!f)
            return -1;
        json_array_foreach(v, i, x) {
            char *t = NULL;
            if (json_value_text(x, buf, n, &t) < 0 || !t) {
                free(t);
                fclose(f);
                free(s);
                return -1;
            }
            fprintf(f, "%s%s", i ? "; " : "", t);
            free(t);
        }
        if (fclose(f) != 0)
            return -1;
        *out = s;
    } else if (json_is_null(v)) {
        return 0;
    } else {
        return -1; /* an object where a value belongs */
    }
    return *out ? 0 : -1;
}

static int json_entry(sh_metafile *f, json_t *obj, const char *name, const char *path,
                      sh_error *err)
{
    entry *e = new_entry(f);
    const char *key;
    json_t *v;
    char num[64];

    if (!e || (name && !(e->name = strdup(name))))
        return sh_fail(err, SH_ENOMEM, "out of memory reading %s", path);
    json_object_foreach(obj, key, v) {
        char *text = NULL;
        if (json_value_text(v, num, sizeof num, &text) < 0)
            return sh_fail(err, SH_EFORMAT, "%s: the value of \"%s\" is not text, a number or a "
                           "list", path, key);
        int rc = text ? put(e, key, text, strlen(text)) : 0;
        free(text);
        if (rc < 0)
            return sh_fail(err, SH_ENOMEM, "out of memory reading %s", path);
    }
    return 0;
}

static int read_json(sh_metafile *f, const char *path, sh_error *err)
{
    json_error_t je;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je), *v;
    int rc = 0;

    if (!root)
        return sh_fail(err, SH_EFORMAT, "%s, line %d: not valid JSON (%s)", path, je.line,
                       je.text);
    if (json_is_array(root)) { /* [{"file": ..., ...}, ...] */
        size_t i;
        json_array_foreach(root, i, v) {
            if (!json_is_object(v)) {
                rc = sh_fail(err, SH_EFORMAT, "%s: item %zu of the list is not an object",
                             path, i + 1);
                break;
            }
            if ((rc = json_entry(f, v, NULL, path, err)) < 0)
                break;
        }
    } else if (json_is_object(root)) {
        const char *key;
        bool nested = json_object_size(root) > 0;
        json_object_foreach(root, key, v)
            nested = nested && json_is_object(v);
        if (nested) { /* {"D0001.tif": {...}, ...} */
            json_object_foreach(root, key, v)
                if ((rc = json_entry(f, v, key, path, err)) < 0)
                    break;
        } else {
            rc = json_entry(f, root, NULL, path, err);
        }
    } else {
        rc = sh_fail(err, SH_EFORMAT, "%s: expected a JSON object or a list of objects", path);
    }
    json_decref(root);
    return rc;
}

/* ---- CSV ---------------------------------------------------------------------------- */

typedef struct csv {
    const char *p, *end;
    char sep;
} csv;

/* The next field into *out (malloc'd); returns 1 more fields on this row, 0 row ended,
 * -1 out of memory or an unclosed quote. */
static int csv_field(csv *c, char **out, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    int more = 0;

    if (!f)
        return -1;
    if (c->p < c->end && *c->p == '"') {
        c->p++;
        for (;;) {
            if (c->p >= c->end) {
                fclose(f);
                free(buf);
                return -1;
            }
            if (*c->p == '"') {
                if (c->p + 1 < c->end && c->p[1] == '"') {
                    fputc('"', f);
                    c->p += 2;
                    continue;
                }
                c->p++;
                break;
            }
            fputc(*c->p++, f);
        }
    }
    while (c->p < c->end && *c->p != c->sep && *c->p != '\n')
        fputc(*c->p++, f);
    if (c->p < c->end && *c->p == c->sep) {
        more = 1;
        c->p++;
    } else if (c->p < c->end) {
        c->p++;
    }
    if (fclose(f) != 0)
        return -1;
    *out = buf;
    *len = n;
    return more;
}

static int read_csv(sh_metafile *f, const char *path, const char *data, size_t size,
                    sh_error *err)
{
    csv c = {data, data + size, ','};
    char **head = NULL;
    size_t nhead = 0;
    int rc = 0;

    if (size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        c.p += 3;
    size_t counts[3] = {0};
    for (const char *p = c.p; p < c.end && *p != '\n'; p++)
        counts[0] += *p == ',', counts[1] += *p == ';', counts[2] += *p == '\t';
    c.sep = counts[1] > counts[0] && counts[1] >= counts[2] ? ';' : counts[2] > counts[0] ? '\t' : ',';

    for (int more = 1; more == 1 && c.p < c.end;) { /* the header row */
        char *s;
        size_t n;
        if ((more = csv_field(&c, &s, &n)) < 0)
            goto bad;
        char **grown = realloc(head, (nhead + 1) * sizeof *head);
        if (!grown) {
            free(s);
            goto oom;
        }
        head = grown;
        head[nhead++] = s;
    }
    for (unsigned row = 2; c.p < c.end; row++) {
        if (*c.p == '\n' || (*c.p == '\r' && c.p + 1 < c.end && c.p[1] == '\n')) {
            c.p += *c.p == '\r' ? 2 : 1; /* an empty line */
            continue;
        }
        entry *e = new_entry(f);
        if (!e)
            goto oom;
        size_t i = 0;
        for (int more = 1; more == 1 && c.p < c.end; i++) {
            char *s;
            size_t n;
            if ((more = csv_field(&c, &s, &n)) < 0)
                goto bad;
            if (i >= nhead) {
                bool blank = strspn(s, " \t\r") == n;
                free(s);
                if (blank)
                    continue;
                rc = sh_fail(err, SH_EFORMAT, "%s, row %u: more values than the header has "
                             "names", path, row);
                goto out;
            }
            int r = put(e, head[i], s, n);
            free(s);
            if (r < 0)
                goto oom;
        }
    }
    goto out;
bad:
    rc = sh_fail(err, SH_EFORMAT, "%s: a quoted CSV value is never closed", path);
    goto out;
oom:
    rc = sh_fail(err, SH_ENOMEM, "out of memory reading %s", path);
out:
    for (size_t i = 0; i < nhead; i++)
        free(head[i]);
    free(head);
    return rc;
}

/* ---- files -------------------------------------------------------------------------- */

sh_metafile *sh_metafile_read(const char *path, sh_error *err)
{
    sh_metafile *f = calloc(1, sizeof *f);
    FILE *fp = fopen(path, "rb");
    struct stat st;
    char *data = NULL;
    int rc = -1;

    if (!f) {
        sh_fail(err, SH_ENOMEM, "out of memory reading %s", path);
        goto out;
    }
    if (!fp || fstat(fileno(fp), &st) != 0) {
        sh_fail(err, SH_EIO, "cannot read the metadata file %s: %s", path, strerror(errno));
        goto out;
    }
    if (st.st_size > 64 << 20) {
        sh_fail(err, SH_ELIMIT, "the metadata file %s is over 64 MB", path);
        goto out;
    }
    size_t size = (size_t)st.st_size;
    if (!(data = malloc(size + 1)) || fread(data, 1, size, fp) != size) {
        sh_fail(err, SH_EIO, "cannot read the metadata file %s", path);
        goto out;
    }
    data[size] = '\0';
    const char *first = data + strspn(data, " \t\r\n");
    if (size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        first = data + 3 + strspn(data + 3, " \t\r\n");
    const char *dot = strrchr(path, '.');
    bool json = (dot && strcasecmp(dot, ".json") == 0) || *first == '{' || *first == '[';
    rc = json ? read_json(f, path, err) : read_csv(f, path, data, size, err);
out:
    if (fp)
        fclose(fp);
    free(data);
    if (rc < 0) {
        sh_metafile_free(f);
        return NULL;
    }
    return f;
}

static const char *base_name(const char *p, size_t *len)
{
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/')
        n--;
    const char *b = p;
    for (size_t i = 0; i < n; i++)
        if (p[i] == '/')
            b = p + i + 1;
    *len = (size_t)(p + n - b);
    return b;
}

static size_t stem_len(const char *b, size_t n)
{
    for (size_t i = n; i > 0; i--)
        if (b[i - 1] == '.')
            return i - 1 ? i - 1 : n;
    return n;
}

int sh_metafile_lookup(const sh_metafile *f, const char *input, sh_meta *m)
{
    size_t in_len, in_stem;
    const char *in = base_name(input, &in_len);
    in_stem = stem_len(in, in_len);
    for (int pass = 0; pass < 3; pass++) /* exact path, then base name, then stem */
        for (size_t i = 0; i < f->n; i++) {
            const entry *e = &f->v[i];
            size_t len, stem;
            const char *b = e->name ? base_name(e->name, &len) : NULL;
            bool match = !e->name;
            if (e->name && pass == 0)
                match = strcmp(e->name, input) == 0;
            else if (e->name && pass == 1)
                match = len == in_len && memcmp(b, in, len) == 0;
            else if (e->name && pass == 2)
                match = (stem = stem_len(b, len)) == in_stem && memcmp(b, in, stem) == 0;
            if (match)
                return sh_meta_copy(m, &e->meta) < 0 ? -1 : 1;
        }
    return 0;
}

int sh_meta_sidecar(const char *input, sh_meta *m, sh_error *err)
{
    static const char *const ext[] = {".json", ".csv", "/meta.json", "/meta.csv"};
    size_t n = strlen(input);
    while (n > 1 && input[n - 1] == '/')
        n--;
    size_t blen;
    const char *b = base_name(input, &blen);
    size_t stem = (size_t)(b - input) + stem_len(b, blen);
    struct stat in;
    bool folder = stat(input, &in) == 0 && S_ISDIR(in.st_mode);

    /* D1.json, D1.csv, D1.tif.json, D1.tif.csv; a folder's own meta.json or meta.csv */
    for (int with_ext = 0; with_ext < 3; with_ext++)
        for (int k = 0; k < 2; k++) {
            char path[4096];
            size_t keep = with_ext ? n : stem;
            if (with_ext == 2 && !folder)
                break;
            if (snprintf(path, sizeof path, "%.*s%s", (int)keep, input,
                         ext[with_ext == 2 ? 2 + k : k]) >= (int)sizeof path)
                continue;
            struct stat st;
            if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || strcmp(path, input) == 0)
                continue;
            sh_metafile *f = sh_metafile_read(path, err);
            if (!f)
                return -1;
            int rc = f->n ? sh_meta_copy(m, &f->v[0].meta) : 0;
            sh_metafile_free(f);
            if (rc < 0)
                return sh_fail(err, SH_ENOMEM, "out of memory reading %s", path);
            return 1;
        }
    return 0;
}
