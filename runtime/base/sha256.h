/* sha256.h: SHA-256 (FIPS 180-4), streaming: init, update any number of
 * times, final. Used to check that the MNIST files are the canonical ones. */
#ifndef DDIM_SHA256_H
#define DDIM_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32 /* bytes */
#define SHA256_HEX_SIZE 65    /* 64 hex digits and the terminating NUL */

struct sha256 {
    uint32_t state[8];        /* the hash value H0..H7 so far */
    uint64_t length;          /* message bytes consumed so far */
    unsigned char block[64];  /* the 512-bit block being filled */
    size_t block_used;        /* bytes of block filled, 0..63 */
};

void sha256_init(struct sha256 *hash);
void sha256_update(struct sha256 *hash, const void *data, size_t size);
/* Pads the message, writes the digest; hash must be re-initialized to reuse it. */
void sha256_final(struct sha256 *hash, unsigned char digest[SHA256_DIGEST_SIZE]);

/* The digest as 64 lowercase hex digits, as sha256sum prints it. */
void sha256_hex(const unsigned char digest[SHA256_DIGEST_SIZE], char hex[SHA256_HEX_SIZE]);

#endif
