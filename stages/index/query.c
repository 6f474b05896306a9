/* query.c: what a person types into a safe FTS5 expression.
 *
 * Users type words, sometimes "a phrase", a prefix*, OR, -excluded; they also type stray
 * quotes, parentheses, colons, "05/QĐ-UBND". Every piece of text becomes an FTS5 string
 * (quotes doubled, control characters dropped), so no input is an FTS5 syntax error; only
 * the few operators above are recognised. A piece with diacritics asks for its folded form
 * OR its exact spelling (tokenizer.c): both match the same rows, and bm25 adds the exact
 * match's score, so "bản" ranks pages saying "bản" above those saying "bán" or "bạn".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unictype.h>
#include <unistr.h>

#include "index_int.h"
#include "sohoa/search.h"

typedef struct piece {
    char *text;       /* the words, as typed */
    bool phrase, prefix, exclude, or_before;
} piece;

static bool searchable(const char *s)
{
    const uint8_t *p = (const uint8_t *)s;
    while (*p) {
        ucs4_t uc;
        int n = u8_mbtouc(&uc, p, strlen((const char *)p));
        if (n <= 0)
            return false;
        if (uc_is_alnum(uc))
            return true;
        p += n;
    }
    return false;
}

static bool accented(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return true;
    return false;
}

/* "text" with quotes doubled, optionally marked exact, optionally a prefix. */
static void fts_string(FILE *f, const char *text, bool exact, bool prefix)
{
    fputc('"', f);
    if (exact)
        fputc(SH_EXACT_MARK, f);
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            fputc('"', f);
        fputc(*p, f);
    }
    fputc('"', f);
    if (prefix)
        fputc('*', f);
}

static void fts_piece(FILE *f, const piece *p)
{
    if (!accented(p->text)) {
        fts_string(f, p->text, false, p->prefix);
        return;
    }
    if (p->exclude) { /* -mả leaves out "mả", not every "ma" */
        fts_string(f, p->text, true, p->prefix);
        return;
    }
    fputc('(', f);
    fts_string(f, p->text, false, p->prefix);
    fputs(" OR ", f);
    fts_string(f, p->text, true, p->prefix);
    fputc(')', f);
}

/* Splits the query into pieces. Control characters become spaces: the exact mark can
 * never come from a user. */
static int split(const char *q, piece **out, size_t *n)
{
    size_t cap = 8, len = strlen(q);
    char *buf = malloc(len + 1);
    piece *v = malloc(cap * sizeof *v);
    bool or_next = false;

    *n = 0;
    if (!buf || !v) {
        free(buf);
        free(v);
        return -1;
    }
    for (size_t i = 0; i < len; i++)
        buf[i] = (unsigned char)q[i] < 0x20 || q[i] == 0x7f ? ' ' : q[i];
    buf[len] = '\0';
    for (char *s = buf; *s;) {
        piece p = {0};
        char *start, *end;
        if (*s == ' ') {
            s++;
            continue;
        }
        if (*s == '-' && s[1] && s[1] != ' ') {
            p.exclude = true;
            s++;
        }
        if (*s == '"') {
            p.phrase = true;
            start = ++s;
            end = strchr(s, '"'); /* an unclosed quote runs to the end */
            if (!end)
                end = s + strlen(s);
            s = *end ? end + 1 : end;
        } else {
            start = s;
            end = s + strcspn(s, " \"");
            s = end;
        }
        if (end > start && end[-1] == '*') {
            while (end > start && end[-1] == '*')
                end--;
            /* one letter is no prefix worth asking for: the word itself */
            p.prefix = u8_mbsnlen((const uint8_t *)start, (size_t)(end - start)) >= 2;
        }
        char save = *end;
        *end = '\0';
        if (!p.phrase && !p.exclude && strcmp(start, "OR") == 0) {
            or_next = *n > 0;
            *end = save;
            continue;
        }
        if (searchable(start)) {
            if (*n == cap) {
                piece *grown = realloc(v, (cap *= 2) * sizeof *v);
                if (!grown)
                    goto oom;
                v = grown;
            }
            p.or_before = or_next && !p.exclude;
            if (!(p.text = strdup(start)))
                goto oom;
            v[(*n)++] = p;
            or_next = false;
        }
        *end = save;
    }
    free(buf);
    *out = v;
    return 0;
oom:
    for (size_t i = 0; i < *n; i++)
        free(v[i].text);
    free(v);
    free(buf);
    return -1;
}

int sh_search_translate(const char *query, char **out, sh_error *err)
{
    piece *v = NULL;
    size_t n = 0, len = 0, positive = 0;
    FILE *f;

    *out = NULL;
    if (split(query ? query : "", &v, &n) < 0)
        return sh_fail(err, SH_ENOMEM, "out of memory reading the query");
    for (size_t i = 0; i < n; i++)
        positive += !v[i].exclude;
    if (!positive) {
        for (size_t i = 0; i < n; i++)
            free(v[i].text);
        free(v);
        return sh_fail(err, SH_EUSAGE, n ? "the query only excludes words; say what to look for"
                                         : "the query has no words to look for");
    }
    if (!(f = open_memstream(out, &len))) {
        for (size_t i = 0; i < n; i++)
            free(v[i].text);
        free(v);
        return sh_fail(err, SH_ENOMEM, "out of memory reading the query");
    }
    /* (a AND b OR c) NOT d NOT e: FTS5's NOT is binary, AND binds tighter than OR */
    fputc('(', f);
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        if (v[i].exclude)
            continue;
        if (!first)
            fputs(v[i].or_before ? " OR " : " AND ", f);
        fts_piece(f, &v[i]);
        first = false;
    }
    fputc(')', f);
    for (size_t i = 0; i < n; i++) {
        if (!v[i].exclude)
            continue;
        fputs(" NOT ", f);
        fts_piece(f, &v[i]);
    }
    for (size_t i = 0; i < n; i++)
        free(v[i].text);
    free(v);
    if (fclose(f) != 0) {
        free(*out);
        *out = NULL;
        return sh_fail(err, SH_ENOMEM, "out of memory reading the query");
    }
    return 0;
}
