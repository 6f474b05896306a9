/* options.h: everything a run is told, in one typed struct.
 *
 * Filled by the CLI (and later the config file) before anything starts; stages read it in
 * their start() and never look at argv, globals or the environment themselves.
 */
#ifndef SOHOA_OPTIONS_H
#define SOHOA_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sohoa/io.h"
#include "sohoa/sign.h"

/* --ocr-dpi auto: the resolution chosen per page from the size of its letters */
#define SH_OCR_DPI_AUTO (-1.0)

typedef struct sh_options {
    const char *archive;         /* archive folder */
    unsigned jobs;               /* worker threads */
    bool ocr;                    /* --no-ocr clears it */
    const char *lang;            /* Tesseract languages, e.g. "vie+eng" */
    const char *tessdata;        /* NULL: Tesseract's default */
    bool sidecar;                /* also archive the recognised text as a .txt */
    double ocr_dpi;              /* recognise at this resolution (0: the scan's own;
                                    SH_OCR_DPI_AUTO: chosen per page from its text size) */
    bool split_on_blank;         /* a separator sheet starts a new dossier */
    const char *meta_file;       /* --meta: the operator's metadata for a batch (JSON/CSV) */
    float low_conf;              /* pages under this mean word confidence are flagged */
    bool sign;                   /* --no-sign clears it */
    sh_sign_key sign_key;        /* --sign-key / PKCS#11 options; no key: nothing is signed */
    sh_sign_look sign_look;      /* the stamp of the pipeline's signature (--sign-profile) */
    bool json;                   /* machine-readable output on stdout */
    bool quiet;
    sh_io_backend io;            /* --io / SOHOA_IO */
    bool lossy_jpeg;             /* --jpeg: store non-JPEG colour/gray as JPEG (smaller, lossy) */
    int jpeg_quality;
    bool deskew_image;           /* --deskew-image: archive skewed pages straightened */
    int flate_level;             /* libdeflate level for lossless images */
    double default_dpi;          /* assumed when a file has none or an absurd one */
    double min_dpi;              /* below this a page is flagged (input standard: 200) */
    uint64_t max_pixels;         /* refuse larger images (memory bound) */
    size_t max_file_bytes;       /* refuse larger input files */
    unsigned max_pages;          /* refuse files with more pages */
    const char *const *replicas; /* --replica DIR...: other copies kept in step */
    size_t nreplicas;
    bool registered_replicas;    /* also the replicas earlier runs were given (--no-replicas) */
    const char *operator_name;   /* who runs it, for the event log ($SOHOA_OPERATOR, login) */
    double index_merge_seconds;  /* the end of a run may merge the search index this long */
} sh_options;

void sh_options_defaults(sh_options *o);

#endif
