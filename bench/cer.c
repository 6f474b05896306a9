/* cer.c: character and word error rates of recognised text against ground truth, as the
 * bench reports them: Levenshtein distance over Unicode code points of NFC text with
 * whitespace collapsed (CER), and over whitespace-separated words (WER).
 *
 *   cer TRUTH.txt HYP.txt   ->  "chars_ref char_errors words_ref word_errors"
 * Sums over many pages are what the bench prints (micro-averaged, like BASELINE.md).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistr.h>
#include <uninorm.h>

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0, k;
    if (!f)
        return NULL;
    do {
        if (n + 65536 > cap && !(buf = realloc(buf, cap = 2 * cap + 65536)))
            exit(2);
        k = fread(buf + n, 1, 65536, f);
        n += k;
    } while (k > 0);
    fclose(f);
    *len = n;
    return buf;
}

/* NFC, whitespace runs (and form feeds) to one space, trimmed; as code points. */
static uint32_t *normalise(const char *s, size_t len, size_t *out_n)
{
    size_t nlen = 0, n32 = 0;
    uint8_t *nfc = u8_normalize(UNINORM_NFC, (const uint8_t *)s, len, NULL, &nlen);
    uint32_t *cp = nfc ? u8_to_u32(nfc, nlen, NULL, &n32) : NULL;
    size_t o = 0;
    int space = 1;
    free(nfc);
    if (!cp) {
        *out_n = 0;
        return calloc(1, sizeof(uint32_t));
    }
    for (size_t i = 0; i < n32; i++) {
        uint32_t c = cp[i];
        int ws = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0xA0;
        if (ws) {
            if (!space)
                cp[o++] = ' ';
            space = 1;
        } else {
            cp[o++] = c;
            space = 0;
        }
    }
    if (o && cp[o - 1] == ' ')
        o--;
    *out_n = o;
    return cp;
}

static size_t levenshtein(const uint64_t *a, size_t n, const uint64_t *b, size_t m)
{
    size_t *row = malloc((m + 1) * sizeof *row);
    for (size_t j = 0; j <= m; j++)
        row[j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            if (up + 1 < best)
                best = up + 1;
            row[j] = best;
            diag = up;
        }
    }
    size_t d = row[m];
    free(row);
    return d;
}

/* words as 64-bit hashes of their code points (FNV-1a): equal words, equal hashes */
static uint64_t *words(const uint32_t *cp, size_t n, size_t *out)
{
    uint64_t *w = malloc((n + 1) * sizeof *w), h = 1469598103934665603ull;
    size_t k = 0;
    int in = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || cp[i] == ' ') {
            if (in)
                w[k++] = h;
            h = 1469598103934665603ull;
            in = 0;
        } else {
            h = (h ^ cp[i]) * 1099511628211ull;
            in = 1;
        }
    }
    *out = k;
    return w;
}

int main(int argc, char **argv)
{
    size_t rl = 0, hl = 0, rn, hn, rw, hw;
    if (argc != 3) {
        fprintf(stderr, "usage: cer TRUTH HYPOTHESIS\n");
        return 1;
    }
    char *r = slurp(argv[1], &rl), *h = slurp(argv[2], &hl);
    if (!r) {
        fprintf(stderr, "cer: cannot read %s\n", argv[1]);
        return 1;
    }
    if (!h) { /* no output at all: every character is an error */
        h = strdup("");
        hl = 0;
    }
    uint32_t *rc = normalise(r, rl, &rn), *hc = normalise(h, hl, &hn);
    uint64_t *r64 = malloc((rn + 1) * sizeof *r64), *h64 = malloc((hn + 1) * sizeof *h64);
    for (size_t i = 0; i < rn; i++)
        r64[i] = rc[i];
    for (size_t i = 0; i < hn; i++)
        h64[i] = hc[i];
    uint64_t *rwds = words(rc, rn, &rw), *hwds = words(hc, hn, &hw);
    printf("%zu %zu %zu %zu\n", rn, levenshtein(r64, rn, h64, hn), rw,
           levenshtein(rwds, rw, hwds, hw));
    free(r), free(h), free(rc), free(hc), free(r64), free(h64), free(rwds), free(hwds);
    return 0;
}
