/* stages.c: the stage table the engine walks, in pipeline order.
 * A new stage is one file under stages/ and one line here. The index rides with archive
 * (catalog triggers); meta feeds both. */
#include <stddef.h>

#include "sohoa/stage.h"

const sh_stage *const sh_stages[] = {
    &sh_stage_ingest,
    &sh_stage_clean,
    &sh_stage_ocr,
    &sh_stage_meta,
    &sh_stage_pdf,
    &sh_stage_sign,
    &sh_stage_archive,
    NULL,
};
