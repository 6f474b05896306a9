/* dossier_int.h: building a dossier from an input; the engine's allocate step. */
#ifndef SOHOA_DOSSIER_INT_H
#define SOHOA_DOSSIER_INT_H

#include "sohoa/dossier.h"
#include "sohoa/io.h"
#include "sohoa/options.h"

/* Reads, hashes and scans one input. NULL with err naming the input on failure. */
sh_dossier *sh_dossier_load(const char *input, const sh_options *opt, sh_io *io,
                            sh_error *err);

#endif
