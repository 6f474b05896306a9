/* tess.c: Tesseract loaded on first use (stages/tess.h): dlopen of the library the build
 * was made against, every function sohoa calls looked up, once for the process. */
#define SH_TESS_IMPL
#include "tess.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

sh_tess_api sh_tess;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static sh_error why;   /* the load's failure, for every caller */
static int loaded = -1;
static int limited;

static void load(void)
{
    /* Tesseract's OpenMP spins a thread per core per page and runs 7x slower on small
     * machines (LIBS.md §5); libgomp reads OMP_THREAD_LIMIT once, when it is loaded,
     * which is now, as Tesseract's dependency */
    setenv("OMP_THREAD_LIMIT", "1", 1);
    void *h = dlopen(SOHOA_TESS_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        sh_fail(&why, SH_EUNSUPPORTED, "cannot load Tesseract (%s): install the "
                "libtesseract5 package", dlerror());
        return;
    }
    const char *missing = NULL;
    /* POSIX's way to store a dlsym result in a function pointer */
#define SH_TESS_LOOKUP(f)                                                                \
    if (!(*(void **)&sh_tess.f = dlsym(h, #f)) && !missing)                              \
        missing = #f;
    SH_TESS_FUNCS(SH_TESS_LOOKUP)
#undef SH_TESS_LOOKUP
    if (missing) {
        sh_fail(&why, SH_EUNSUPPORTED, "%s has no %s: not the Tesseract sohoa was built "
                "for", SOHOA_TESS_SONAME, missing);
        return; /* h stays open: nothing of it was used, and closing it buys nothing */
    }
    int (*limit)(void);
    *(void **)&limit = dlsym(h, "omp_get_thread_limit");
    limited = !limit || limit() == 1; /* no OpenMP at all is limited too */
    loaded = 0;
}

int sh_tess_load(sh_error *err)
{
    pthread_once(&once, load);
    if (loaded < 0 && err)
        *err = why;
    return loaded;
}

int sh_tess_threads_limited(void) { return loaded == 0 && limited; }
