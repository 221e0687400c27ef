/* Checkpoint files: sections behind a small header, with a CRC-32. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "runtime/base/checkpoint.h"
#include "runtime/base/files.h"

static const char magic[8] = { 'D', 'D', 'I', 'M', 'C', 'K', 'P', 'T' };
enum { VERSION = 1, HEADER_SIZE = 16, SECTION_HEADER_SIZE = CHECKPOINT_NAME_SIZE + 8 };

static void put_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void put_u64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_u64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* zlib's crc32 takes at most 4 GiB per call: fold the data in pieces. */
static uLong crc_update(uLong crc, const unsigned char *data, size_t size)
{
    for (size_t done = 0; done < size;) {
        size_t piece = size - done > (1u << 30) ? (1u << 30) : size - done;
        crc = crc32(crc, data + done, (uInt)piece);
        done += piece;
    }
    return crc;
}

/* Writes bytes to the file and folds them into the CRC. */
static void emit(struct atomic_file *file, uLong *crc, const void *data, size_t size)
{
    atomic_file_write(file, data, size);
    *crc = crc_update(*crc, data, size);
}

int checkpoint_write(const char *path, const struct checkpoint_section *sections, int count,
                     char *err, size_t errlen)
{
    struct atomic_file file;
    if (atomic_file_open(&file, path, err, errlen))
        return -1;
    uLong crc = crc32(0, Z_NULL, 0);
    unsigned char header[HEADER_SIZE];
    memcpy(header, magic, sizeof magic);
    put_u32(header + 8, VERSION);
    put_u32(header + 12, (uint32_t)count);
    emit(&file, &crc, header, sizeof header);
    for (int i = 0; i < count; i++) {
        unsigned char section[SECTION_HEADER_SIZE] = { 0 };
        strncpy((char *)section, sections[i].name, CHECKPOINT_NAME_SIZE - 1);
        put_u64(section + CHECKPOINT_NAME_SIZE, sections[i].size);
        emit(&file, &crc, section, sizeof section);
        emit(&file, &crc, sections[i].data, (size_t)sections[i].size);
    }
    unsigned char trailer[4];
    put_u32(trailer, (uint32_t)crc);
    atomic_file_write(&file, trailer, sizeof trailer);
    return atomic_file_commit(&file, err, errlen);
}

static int corrupt(struct checkpoint *c, const char *path, const char *problem, char *err, size_t errlen)
{
    snprintf(err, errlen, "%s: not a valid checkpoint: %s", path, problem);
    checkpoint_free(c);
    return -1;
}

int checkpoint_read(const char *path, struct checkpoint *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    rewind(f);
    out->bytes = size >= 0 ? malloc(size > 0 ? (size_t)size : 1) : NULL; /* an empty file: no header, below */
    int read_ok = out->bytes && fread(out->bytes, 1, (size_t)size, f) == (size_t)size;
    fclose(f);
    if (!read_ok)
        return corrupt(out, path, size < 0 ? "cannot tell its size" : "cannot read it whole", err, errlen);
    if ((size_t)size < HEADER_SIZE + 4 || memcmp(out->bytes, magic, sizeof magic) != 0)
        return corrupt(out, path, "no DDIMCKPT header", err, errlen);
    if (get_u32(out->bytes + 8) != VERSION)
        return corrupt(out, path, "unknown version", err, errlen);
    uint32_t stored = get_u32(out->bytes + size - 4);
    if ((uint32_t)crc_update(crc32(0, Z_NULL, 0), out->bytes, (size_t)size - 4) != stored)
        return corrupt(out, path, "CRC mismatch (truncated or damaged)", err, errlen);

    /* Each section takes at least its header's bytes: a count that cannot
     * fit would only allocate (up to 200 GB) before failing. */
    const uint32_t count = get_u32(out->bytes + 12);
    if (count > ((size_t)size - HEADER_SIZE - 4) / SECTION_HEADER_SIZE || count > INT_MAX)
        return corrupt(out, path, "more sections than the file has room for", err, errlen);
    out->count = (int)count;
    out->sections = calloc((size_t)out->count + 1, sizeof *out->sections);
    if (!out->sections)
        return corrupt(out, path, "out of memory", err, errlen);
    size_t at = HEADER_SIZE, end = (size_t)size - 4;
    for (int i = 0; i < out->count; i++) {
        if (end - at < SECTION_HEADER_SIZE)
            return corrupt(out, path, "section header past the end", err, errlen);
        struct checkpoint_section *s = &out->sections[i];
        memcpy(s->name, out->bytes + at, CHECKPOINT_NAME_SIZE);
        s->name[CHECKPOINT_NAME_SIZE - 1] = '\0';
        s->size = get_u64(out->bytes + at + CHECKPOINT_NAME_SIZE);
        at += SECTION_HEADER_SIZE;
        if (s->size > end - at)
            return corrupt(out, path, "section longer than the file", err, errlen);
        s->data = out->bytes + at;
        at += (size_t)s->size;
    }
    if (at != end)
        return corrupt(out, path, "bytes after the last section", err, errlen);
    return 0;
}

const struct checkpoint_section *checkpoint_find(const struct checkpoint *c, const char *name)
{
    for (int i = 0; i < c->count; i++)
        if (strcmp(c->sections[i].name, name) == 0)
            return &c->sections[i];
    return NULL;
}

void checkpoint_free(struct checkpoint *c)
{
    free(c->bytes);
    free(c->sections);
    memset(c, 0, sizeof *c);
}
