/* rng.c: xoshiro256** seeded through splitmix64: the same numbers from the same seed on every
 * machine and libc, and independent streams per (seed, dossier, page) so pages can be made in
 * any order. */
#include "gen.h"

static uint64_t splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void rng_init(gen_rng *r, uint64_t seed, uint64_t a, uint64_t b)
{
    uint64_t x = seed ^ splitmix(&a) ^ (splitmix(&b) * 3);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix(&x);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t rng_next(gen_rng *r)
{
    uint64_t *s = r->s, out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

double rng_unit(gen_rng *r) { return (double)(rng_next(r) >> 11) * 0x1.0p-53; }

int rng_int(gen_rng *r, int n) { return n <= 1 ? 0 : (int)(((rng_next(r) >> 32) * (uint64_t)n) >> 32); }

int rng_range(gen_rng *r, int lo, int hi) { return lo + rng_int(r, hi - lo + 1); }
