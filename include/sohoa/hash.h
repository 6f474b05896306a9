/* hash.h: SHA-256 as the archive uses it: lowercase hex, whole buffers or streamed. */
#ifndef SOHOA_HASH_H
#define SOHOA_HASH_H

#include <stddef.h>

typedef struct sh_sha256 sh_sha256;

/* out: 65 bytes (64 hex digits + NUL). */
void sh_sha256_hex(const void *data, size_t len, char out[65]);

sh_sha256 *sh_sha256_new(void); /* NULL when out of memory */
void sh_sha256_update(sh_sha256 *h, const void *data, size_t len);
void sh_sha256_final(sh_sha256 *h, char out[65]); /* also frees h */

#endif
