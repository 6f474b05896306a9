/* stage.h: the one interface every processing step implements.
 *
 * A stage is a name plus function pointers, registered in one table (pipeline/stages.c) that
 * the engine walks; adding a stage is one new file under stages/ and one line there. A stage
 * never calls another stage: the engine moves pages and dossiers between them.
 */
#ifndef SOHOA_STAGE_H
#define SOHOA_STAGE_H

#include <stdbool.h>

#include "sohoa/dossier.h"
#include "sohoa/error.h"
#include "sohoa/options.h"
#include "sohoa/page.h"

struct sh_io;
struct sh_archive;
struct sh_catalog;

/* What a stage may use, shared by all workers for one run. Read-only after start. */
typedef struct sh_run {
    const sh_options *opt;
    struct sh_io *io;
    struct sh_archive *archive;
    struct sh_catalog *catalog;
} sh_run;

typedef enum sh_unit {
    SH_UNIT_PAGE,    /* process() gets an sh_page *, pages of a dossier run in parallel */
    SH_UNIT_DOSSIER, /* process() gets an sh_dossier * whose pages have all finished */
} sh_unit;

typedef struct sh_stage {
    const char *name;
    sh_unit unit;
    /* Whether the run wants this stage at all (e.g. OCR off). NULL = always. */
    bool (*enabled)(const sh_options *opt);
    /* Per-run set-up; *state is shared read-only by every worker. */
    int (*start)(const sh_run *run, void **state, sh_error *err);
    /* Per-worker set-up (an engine, a scratch buffer); *local belongs to one thread. */
    int (*thread_init)(void *state, void **local, sh_error *err);
    /* Do the one job. Errors name the file and page; returning -1 fails the dossier only. */
    int (*process)(void *state, void *local, void *unit, sh_error *err);
    void (*thread_done)(void *state, void *local);
    void (*stop)(void *state);
} sh_stage;

/* The table, in pipeline order, NULL-terminated. */
extern const sh_stage *const sh_stages[];

/* The stages (stages/<name>.c). */
extern const sh_stage sh_stage_ingest;
extern const sh_stage sh_stage_clean;
extern const sh_stage sh_stage_ocr;
extern const sh_stage sh_stage_meta;
extern const sh_stage sh_stage_pdf;
extern const sh_stage sh_stage_sign;
extern const sh_stage sh_stage_archive;

#endif
