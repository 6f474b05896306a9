/* bagit.h: exporting archived dossiers as BagIt bags (RFC 8493) for the state archive. */
#ifndef SOHOA_BAGIT_H
#define SOHOA_BAGIT_H

#include <stddef.h>

#include "sohoa/archive.h"
#include "sohoa/io.h"

typedef struct sh_bag_field {
    const char *label, *value;
} sh_bag_field;

/* What bag-info.txt says beyond the dossier's own facts. */
typedef struct sh_bag_info {
    const char *organization;   /* Source-Organization */
    const sh_bag_field *extra;  /* more "Label: value" lines */
    size_t nextra;
} sh_bag_info;

/* Writes outdir/<id>/ (bagit.txt, bag-info.txt, data/, manifest-sha256.txt,
 * tagmanifest-sha256.txt, premis.xml), atomically; refuses an existing bag and a payload
 * that no longer matches the catalog. */
int sh_archive_export_bag(sh_archive *a, sh_io *io, const char *id, const char *outdir,
                          const sh_bag_info *info, sh_error *err);

#endif
