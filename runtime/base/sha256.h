/* sha256.h: SHA-256 digests as lowercase hex, as sha256sum prints them,
 * computed by nettle (Debian's nettle-dev): a stream goes through nettle's
 * sha256_init, sha256_update(&ctx, size, data) and then sha256_final_hex
 * here; one buffer through sha256_hex_of. They check that the MNIST files
 * are the canonical ones and name a run's config and classifier. */
#ifndef DDIM_SHA256_H
#define DDIM_SHA256_H

#include <stddef.h>
#include <nettle/sha2.h>

#define SHA256_HEX_SIZE 65 /* 64 hex digits and the terminating NUL (SHA256_DIGEST_SIZE is nettle's: 32) */

/* The digest of what ctx was fed, as hex; ctx is reset for a new message. */
void sha256_final_hex(struct sha256_ctx *ctx, char hex[SHA256_HEX_SIZE]);

/* The digest of size bytes at data, as hex. */
void sha256_hex_of(const void *data, size_t size, char hex[SHA256_HEX_SIZE]);

#endif
