/* tess.h: Tesseract's C API, loaded when a stage first needs it (tess.c).
 *
 * Include this instead of <tesseract/capi.h>: the calls read as usual and go through
 * pointers filled by sh_tess_load. Commands that never recognise a page (sign, verify,
 * search, list...) then load neither Tesseract nor the ~40 libraries it brings (curl,
 * ICU, OpenMP...), which were most of every command's start-up; and OMP_THREAD_LIMIT=1 is
 * set before the OpenMP runtime reads it, without starting the process again.
 */
#ifndef SOHOA_TESS_H
#define SOHOA_TESS_H

#include <tesseract/capi.h>

#include "sohoa/error.h"

/* every function sohoa calls */
#define SH_TESS_FUNCS(X)                                                                 \
    X(TessBaseAPIClear) X(TessBaseAPICreate) X(TessBaseAPIDelete)                        \
    X(TessBaseAPIDetectOrientationScript) X(TessBaseAPIEnd) X(TessBaseAPIGetIterator)    \
    X(TessBaseAPIInit2) X(TessBaseAPIRecognize) X(TessBaseAPISetImage2)                  \
    X(TessBaseAPISetPageSegMode) X(TessBaseAPISetRectangle)                              \
    X(TessBaseAPISetSourceResolution) X(TessBaseAPISetVariable) X(TessDeleteText)        \
    X(TessPageIteratorBaseline) X(TessPageIteratorBoundingBox)                           \
    X(TessPageIteratorIsAtBeginningOf) X(TessResultIteratorConfidence)                   \
    X(TessResultIteratorDelete) X(TessResultIteratorGetPageIterator)                     \
    X(TessResultIteratorGetUTF8Text) X(TessResultIteratorNext)                           \
    X(TessResultIteratorWordRecognitionLanguage)

typedef struct sh_tess_api {
#define SH_TESS_MEMBER(f) __typeof__(f) *f;
    SH_TESS_FUNCS(SH_TESS_MEMBER)
#undef SH_TESS_MEMBER
} sh_tess_api;

extern sh_tess_api sh_tess;

/* Loads Tesseract once (any thread; the first call sets OMP_THREAD_LIMIT, so make it
 * before other threads read the environment: a stage's start). 0, or -1 with err saying
 * what is missing; every later call gives the same answer. */
int sh_tess_load(sh_error *err);

/* After sh_tess_load succeeded: Tesseract's OpenMP thread limit is 1 (the runtime read the
 * variable); 0 when it did not (it was loaded before: the user's own preload). */
int sh_tess_threads_limited(void);

/* the calls themselves, through the pointers (not re-expanded: a macro never expands
 * inside its own expansion) */
#ifndef SH_TESS_IMPL
#define TessBaseAPIClear (sh_tess.TessBaseAPIClear)
#define TessBaseAPICreate (sh_tess.TessBaseAPICreate)
#define TessBaseAPIDelete (sh_tess.TessBaseAPIDelete)
#define TessBaseAPIDetectOrientationScript (sh_tess.TessBaseAPIDetectOrientationScript)
#define TessBaseAPIEnd (sh_tess.TessBaseAPIEnd)
#define TessBaseAPIGetIterator (sh_tess.TessBaseAPIGetIterator)
#define TessBaseAPIInit2 (sh_tess.TessBaseAPIInit2)
#define TessBaseAPIRecognize (sh_tess.TessBaseAPIRecognize)
#define TessBaseAPISetImage2 (sh_tess.TessBaseAPISetImage2)
#define TessBaseAPISetPageSegMode (sh_tess.TessBaseAPISetPageSegMode)
#define TessBaseAPISetRectangle (sh_tess.TessBaseAPISetRectangle)
#define TessBaseAPISetSourceResolution (sh_tess.TessBaseAPISetSourceResolution)
#define TessBaseAPISetVariable (sh_tess.TessBaseAPISetVariable)
#define TessDeleteText (sh_tess.TessDeleteText)
#define TessPageIteratorBaseline (sh_tess.TessPageIteratorBaseline)
#define TessPageIteratorBoundingBox (sh_tess.TessPageIteratorBoundingBox)
#define TessPageIteratorIsAtBeginningOf (sh_tess.TessPageIteratorIsAtBeginningOf)
#define TessResultIteratorConfidence (sh_tess.TessResultIteratorConfidence)
#define TessResultIteratorDelete (sh_tess.TessResultIteratorDelete)
#define TessResultIteratorGetPageIterator (sh_tess.TessResultIteratorGetPageIterator)
#define TessResultIteratorGetUTF8Text (sh_tess.TessResultIteratorGetUTF8Text)
#define TessResultIteratorNext (sh_tess.TessResultIteratorNext)
#define TessResultIteratorWordRecognitionLanguage (sh_tess.TessResultIteratorWordRecognitionLanguage)
#endif

#endif
