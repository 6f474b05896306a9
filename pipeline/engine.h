/* engine.h: running a batch: inputs in, dossiers archived, one report per dossier.
 *
 * The model is libvips's thread pool: an allocate step on the calling thread carves the
 * next unit (the pages of the next dossier), a work step runs the stages on every worker,
 * and a progress step on the calling thread reports each finished dossier.
 */
#ifndef SOHOA_ENGINE_H
#define SOHOA_ENGINE_H

#include <stddef.h>

#include "sohoa/archive.h"
#include "sohoa/dossier.h"
#include "sohoa/options.h"

#define SH_MAX_STAGES 16

typedef struct sh_summary {
    unsigned inputs;
    unsigned archived, duplicates, failed;
    unsigned pages;          /* pages archived in this run */
    unsigned low_dpi_pages;  /* of those, under the minimum resolution */
    unsigned dpi_assumed_pages;
    unsigned blank_pages;     /* separator sheets found */
    unsigned low_conf_pages;  /* recognised with a mean word confidence under the bar */
    unsigned ocr_pages;
    unsigned failed_by_code[SH_EINTERNAL + 1];
    unsigned long long input_bytes, output_bytes;
    sh_recovery recovery;    /* what the archive finished for an interrupted earlier run */
    unsigned replica_copied; /* files a replica lacked, copied from the primary at start */
    double seconds;
    const char *io_backend;
    unsigned jobs;
    float low_conf;
    const char *stage_name[SH_MAX_STAGES]; /* the stages that ran, in order (NULL after) */
    double stage_cpu[SH_MAX_STAGES];       /* CPU seconds each, all workers together */
} sh_summary;

/* Called on the calling thread for every input as it is finished (archived, duplicate or
 * failed). The dossier is freed after the call. */
typedef void (*sh_on_dossier)(const sh_dossier *d, void *ctx);

/* Where a run stands, for a progress display. */
typedef struct sh_progress {
    unsigned inputs;         /* given */
    unsigned inputs_started; /* taken up so far (read, skipped or failed) */
    unsigned inputs_worked;  /* of those, being or been worked on */
    unsigned pages_known;    /* pages of the inputs worked on */
    unsigned pages_done;     /* of those, through the page stages */
    const char *current;     /* the input last taken up */
    double seconds;
} sh_progress;

typedef struct sh_engine_hooks {
    sh_on_dossier on_dossier;   /* on the calling thread */
    /* every quarter second, from a thread of the engine's own (NULL: none) */
    void (*on_progress)(const sh_progress *p, void *ctx);
    void *ctx;
} sh_engine_hooks;

/* Runs the whole batch. Returns 0 when the run itself worked (some inputs may still have
 * failed: see the summary), -1 for a fatal error (archive unusable, no I/O). */
int sh_engine_run(const sh_options *opt, char *const *inputs, size_t ninputs,
                  const sh_engine_hooks *hooks, sh_summary *sum, sh_error *err);

#endif
