/* options.c: the defaults a run starts from before the CLI applies what it was told. */
#include <unistd.h>

#include "sohoa/options.h"

void sh_options_defaults(sh_options *o)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);

    *o = (sh_options){
        .archive = "archive",
        .jobs = cpus > 0 ? (unsigned)cpus : 1,
        .ocr = true,
        .lang = "vie+eng",
        .low_conf = 70,
        .ocr_dpi = SH_OCR_DPI_AUTO,
        .sign = true,
        /* the digitizer's own signature, right after scanning (TT 01/2023 Art. 8) */
        .sign_look = {.profile = SH_PROFILE_DIGITIZER, .x = -1, .y = -1},
        .io = SH_IO_AUTO,
        .jpeg_quality = 85,
        .flate_level = 3, /* libdeflate: close to level 6's size on scans, far faster */
        .default_dpi = 300,
        .min_dpi = 200, /* the Vietnamese input standard: colour, >= 200 dpi, 100 % */
        .max_pixels = 400ull * 1000 * 1000, /* an A0 sheet at 600 dpi is ~280 MP */
        .max_file_bytes = (size_t)4 << 30,
        .max_pages = 100000,
        .registered_replicas = true,
        .index_merge_seconds = 60, /* 200,000 pages merge in ~20 s here (search.h) */
    };
}
