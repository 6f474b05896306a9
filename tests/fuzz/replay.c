/* replay.c: runs a fuzz harness over files, without libFuzzer, so any compiler (and the
 * ASan/UBSan test build) replays what the fuzzers found: replay_<harness> FILE... */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            perror(argv[i]);
            return 1;
        }
        size_t cap = 1 << 16, n = 0, got;
        uint8_t *d = malloc(cap);
        while (d && (got = fread(d + n, 1, cap - n, f)) > 0) {
            n += got;
            if (n == cap) {
                uint8_t *g = realloc(d, cap *= 2);
                if (!g) {
                    free(d);
                    d = NULL;
                }
                d = g;
            }
        }
        fclose(f);
        if (!d)
            return 1;
        LLVMFuzzerTestOneInput(d, n);
        free(d);
        printf("replayed %s\n", argv[i]);
    }
    return 0;
}
