/* tokenizer.c: the `vn` FTS5 tokenizer: unicode61 with remove_diacritics 2, and đ/Đ folded
 * to d, which unicode61 keeps as a letter of its own (LIBS.md §4). Offsets stay those of the
 * original text, so snippet() and highlight() show it as written.
 *
 * A document's accented word is also stored as written (lower case), at the same position
 * (FTS5_TOKEN_COLOCATED): "bản" is indexed as "ban" and "bản". A query term that starts with
 * SH_EXACT_MARK asks for that spelling; query.c asks for both, so exact tones score higher.
 * Must be registered on every connection that touches the index (catalog.c does).
 */
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <uninorm.h>

#include "index_int.h"

typedef struct vn_tokenizer {
    fts5_tokenizer inner_api;
    Fts5Tokenizer *inner;
} vn_tokenizer;

static int vn_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
    fts5_api *api = ctx;
    void *inner_ctx = NULL;
    const char *args[] = {"remove_diacritics", "2"};
    vn_tokenizer *t = calloc(1, sizeof *t);

    (void)argv;
    (void)argc;
    if (!t)
        return SQLITE_NOMEM;
    int rc = api->xFindTokenizer(api, "unicode61", &inner_ctx, &t->inner_api);
    if (rc == SQLITE_OK)
        rc = t->inner_api.xCreate(inner_ctx, args, 2, &t->inner);
    if (rc != SQLITE_OK) {
        free(t);
        return rc;
    }
    *out = (Fts5Tokenizer *)t;
    return SQLITE_OK;
}

static void vn_delete(Fts5Tokenizer *tok)
{
    vn_tokenizer *t = (vn_tokenizer *)tok;
    if (t) {
        t->inner_api.xDelete(t->inner);
        free(t);
    }
}

enum { MODE_FOLD, MODE_DOCUMENT, MODE_EXACT };

typedef struct vn_call {
    void *ctx;
    int (*token)(void *, int, const char *, int, int, int);
    const char *text;
    int mode;
} vn_call;

static bool ascii(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

/* The word as written, lower case, NFC; NULL when it is plain ASCII (then it is its own
 * folded form) or out of memory. buf may be returned (it holds *len bytes). */
static uint8_t *written_form(const char *s, int n, uint8_t *buf, size_t *len)
{
    if (ascii(s, n))
        return NULL;
    return u8_tolower((const uint8_t *)s, (size_t)n, NULL, UNINORM_NFC, buf, len);
}

static int vn_token(void *arg, int flags, const char *tok, int ntok, int start, int end)
{
    vn_call *c = arg;
    char small[128], *folded = small;
    uint8_t wbuf[128], *written;
    size_t wlen = sizeof wbuf;
    int n = 0, rc;

    if (c->mode == MODE_EXACT) { /* the query's spelling, if it has diacritics */
        written = written_form(c->text + start, end - start, wbuf, &wlen);
        if (written) {
            rc = c->token(c->ctx, flags, (const char *)written, (int)wlen, start, end);
            if (written != wbuf)
                free(written);
            return rc;
        }
    }
    if (ntok >= (int)sizeof small && !(folded = malloc((size_t)ntok + 1)))
        return SQLITE_NOMEM;
    for (int i = 0; i < ntok; i++) { /* đ (U+0111, C4 91) -> d; unicode61 lowered Đ already */
        if ((unsigned char)tok[i] == 0xC4 && i + 1 < ntok && (unsigned char)tok[i + 1] == 0x91) {
            folded[n++] = 'd';
            i++;
        } else {
            folded[n++] = tok[i];
        }
    }
    rc = c->token(c->ctx, flags, folded, n, start, end);
    if (rc == SQLITE_OK && c->mode == MODE_DOCUMENT) {
        written = written_form(c->text + start, end - start, wbuf, &wlen);
        if (written && (wlen != (size_t)n || memcmp(written, folded, wlen) != 0))
            rc = c->token(c->ctx, FTS5_TOKEN_COLOCATED, (const char *)written, (int)wlen, start,
                          end);
        if (written && written != wbuf)
            free(written);
    }
    if (folded != small)
        free(folded);
    return rc;
}

static int vn_tokenize(Fts5Tokenizer *tok, void *ctx, int flags, const char *text, int ntext,
                       int (*token)(void *, int, const char *, int, int, int))
{
    vn_tokenizer *t = (vn_tokenizer *)tok;
    vn_call c = {.ctx = ctx, .token = token, .mode = MODE_FOLD};

    if (flags & FTS5_TOKENIZE_DOCUMENT) {
        c.mode = MODE_DOCUMENT;
    } else if ((flags & FTS5_TOKENIZE_QUERY) && ntext > 0 && text[0] == SH_EXACT_MARK) {
        c.mode = MODE_EXACT;
        text++;
        ntext--;
    }
    c.text = text;
    return t->inner_api.xTokenize(t->inner, &c, flags, text, ntext, vn_token);
}

int sh_fts_register(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    static fts5_tokenizer vn = {vn_create, vn_delete, vn_tokenize};

    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
        return SQLITE_ERROR;
    sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    if (!api)
        return SQLITE_ERROR;
    int rc = api->xCreateTokenizer(api, "vn", api, &vn, NULL);
    return rc == SQLITE_OK ? sh_fts_register_rank(api) : rc;
}
