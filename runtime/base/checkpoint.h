/* checkpoint.h: a run's state in one file, written atomically.
 *
 * Format (little-endian): the 8 bytes "DDIMCKPT", a uint32 version (1) and
 * a uint32 section count; then each section: a 32-byte NUL-padded name, a
 * uint64 byte length and the bytes; last, a uint32 CRC-32 (zlib's) of
 * everything before it. Sections hold whatever the run needs to resume or
 * to sample: the resolved config text, parameters, optimizer moments, the
 * EMA, counters. */
#ifndef DDIM_CHECKPOINT_H
#define DDIM_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#define CHECKPOINT_NAME_SIZE 32

struct checkpoint_section {
    char name[CHECKPOINT_NAME_SIZE];
    const void *data;
    uint64_t size;       /* bytes */
};

/* Writes the sections to path (atomically). Returns 0, or -1 with one
 * line naming path in err. */
int checkpoint_write(const char *path, const struct checkpoint_section *sections, int count,
                     char *err, size_t errlen);

/* A checkpoint read whole into memory; sections point into it. */
struct checkpoint {
    unsigned char *bytes;
    int count;
    struct checkpoint_section *sections;
};

/* Reads and validates (magic, version, lengths, CRC) the file at path.
 * Returns 0, or -1 with one line naming path and the problem in err. */
int checkpoint_read(const char *path, struct checkpoint *out, char *err, size_t errlen);
/* The section called name, or NULL. */
const struct checkpoint_section *checkpoint_find(const struct checkpoint *c, const char *name);
void checkpoint_free(struct checkpoint *c);

#endif
