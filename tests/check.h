/* check.h: the unit tests' one assertion: counts, says where a check failed, never stops
 * the test early; main ends with `return check_report();`, which prints the plain
 * "N passed, N failed" line ctest's log shows. */
#ifndef SOHOA_TEST_CHECK_H
#define SOHOA_TEST_CHECK_H

#include <stdio.h>

static int check_passed, check_failed;

#define CHECK(c)                                                                          \
    do {                                                                                  \
        if (c) {                                                                          \
            check_passed++;                                                               \
        } else {                                                                          \
            check_failed++;                                                               \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #c);        \
        }                                                                                 \
    } while (0)

static inline int check_report(void)
{
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed != 0;
}

#endif
