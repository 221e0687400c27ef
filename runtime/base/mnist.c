/* Reading and verifying the MNIST IDX files through zlib's gz* interface,
 * which inflates as it reads so the files stay compressed on disk. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "runtime/base/files.h"
#include "runtime/base/mnist.h"
#include "runtime/base/sha256.h"

/* The Makefile generates mnist_digests.h from runtime/mnist.sha256, the file
 * scripts/fetch-mnist.sh checks against, so the digests live in one place. */
const struct mnist_file mnist_files[] = {
#include "mnist_digests.h"
};
_Static_assert(sizeof mnist_files / sizeof mnist_files[0] == MNIST_FILE_COUNT,
               "runtime/mnist.sha256 must list the four MNIST files");

/* IDX magic numbers: 0x08 = unsigned bytes, then the number of dimensions. */
#define IDX_IMAGES_MAGIC 0x00000803u
#define IDX_LABELS_MAGIC 0x00000801u
#define IDX_MAX_DIMENSIONS 3

/* zlib's reads take an unsigned count and return an int. */
#define GZ_MAX_READ (1u << 30)


static uint32_t load_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Opens a .gz for reading. zlib would read a file that is not gzip as is;
 * the MNIST files are always compressed, so that is an error here. (zlib
 * also ignores bytes after the end of the gzip stream, as gzip does; the
 * content is what the checks below are about.) */
static int open_gz(const char *path, gzFile *out, char *err, size_t errlen)
{
    errno = 0;
    gzFile gz = gzopen(path, "rb");
    if (!gz)
        return path_error(err, errlen, path, "cannot open: %s",
                      errno ? strerror(errno) : "out of memory");
    gzbuffer(gz, 1u << 17); /* bytes of compressed input per read(2) */
    if (gzdirect(gz)) {
        gzclose(gz);
        return path_error(err, errlen, path, "not a gzip file");
    }
    *out = gz;
    return 0;
}

/* Reads size bytes into buf, fewer only where the data ends; *got receives
 * how many. A damaged or truncated gzip stream is an error. */
static int read_fully(gzFile gz, const char *path, unsigned char *buf, size_t size,
                      size_t *got, char *err, size_t errlen)
{
    *got = 0;
    while (*got < size) {
        size_t chunk = size - *got < GZ_MAX_READ ? size - *got : GZ_MAX_READ;
        int n = gzread(gz, buf + *got, (unsigned)chunk);
        if (n <= 0)
            break;
        *got += (size_t)n;
    }
    int errnum;
    const char *message = gzerror(gz, &errnum);
    if (errnum == Z_OK)
        return 0;
    if (errnum == Z_ERRNO)
        return path_error(err, errlen, path, "read error: %s", strerror(errno));
    /* zlib's message starts with the path it was opened with. */
    size_t path_length = strlen(path);
    if (strncmp(message, path, path_length) == 0 && strncmp(message + path_length, ": ", 2) == 0)
        message += path_length + 2;
    return path_error(err, errlen, path, "bad gzip data: %s", message);
}

/* Opens an IDX file and reads its header: checks the magic number and fills
 * dimensions[] (as many as the magic number says). The count, the first
 * dimension, is at most MNIST_TRAIN_COUNT: the data is allocated before it
 * is read, and a damaged header must not ask for gigabytes. */
static int open_idx(const char *path, uint32_t magic, uint32_t *dimensions, gzFile *out,
                    char *err, size_t errlen)
{
    gzFile gz;
    if (open_gz(path, &gz, err, errlen))
        return -1;
    unsigned char header[4 + 4 * IDX_MAX_DIMENSIONS];
    size_t header_size = 4 + 4 * (magic & 0xff), got;
    if (read_fully(gz, path, header, header_size, &got, err, errlen))
        goto fail;
    if (got >= 4 && load_be32(header) != magic) {
        path_error(err, errlen, path, "bad magic number 0x%08x, expected 0x%08x (%s)",
               (unsigned)load_be32(header), (unsigned)magic,
               magic == IDX_IMAGES_MAGIC ? "an IDX file of images" : "an IDX file of labels");
        goto fail;
    }
    if (got < header_size) {
        path_error(err, errlen, path, "truncated header: expected %zu bytes, got %zu", header_size, got);
        goto fail;
    }
    for (uint32_t d = 0; d < (magic & 0xff); d++)
        dimensions[d] = load_be32(header + 4 + 4 * d);
    if (dimensions[0] > MNIST_TRAIN_COUNT) {
        path_error(err, errlen, path, "the header declares %u %s; an MNIST file holds at most %d",
                   (unsigned)dimensions[0], magic == IDX_IMAGES_MAGIC ? "images" : "labels", MNIST_TRAIN_COUNT);
        goto fail;
    }
    *out = gz;
    return 0;
fail:
    gzclose(gz);
    return -1;
}

/* Reads the size data bytes that follow the header and checks that the
 * file ends there. what ("pixel", "label") is for the messages. */
static int read_idx_data(gzFile gz, const char *path, unsigned char *data, size_t size,
                         const char *what, char *err, size_t errlen)
{
    size_t got;
    if (read_fully(gz, path, data, size, &got, err, errlen))
        return -1;
    if (got < size)
        return path_error(err, errlen, path, "truncated: expected %zu %s bytes, got %zu", size, what, got);
    unsigned char scratch[4096];
    size_t trailing = 0;
    do {
        if (read_fully(gz, path, scratch, sizeof scratch, &got, err, errlen))
            return -1;
        trailing += got;
    } while (got == sizeof scratch);
    if (trailing > 0)
        return path_error(err, errlen, path, "trailing garbage: %zu bytes after the %zu %s bytes the header declares",
                      trailing, size, what);
    return 0;
}

int mnist_load_images(const char *path, struct mnist_images *out, char *err, size_t errlen)
{
    *out = (struct mnist_images){ 0 };
    uint32_t dimensions[3]; /* count, rows, columns */
    gzFile gz;
    if (open_idx(path, IDX_IMAGES_MAGIC, dimensions, &gz, err, errlen))
        return -1;
    int status = -1;
    if (dimensions[1] != MNIST_SIDE || dimensions[2] != MNIST_SIDE) {
        path_error(err, errlen, path, "images are %ux%u, expected %dx%d",
               (unsigned)dimensions[1], (unsigned)dimensions[2], MNIST_SIDE, MNIST_SIDE);
    } else {
        /* At most 60,000 x 784 bytes (open_idx). */
        size_t size = (size_t)dimensions[0] * MNIST_IMAGE_PIXELS;
        unsigned char *pixels = malloc(size ? size : 1);
        if (!pixels) {
            path_error(err, errlen, path, "cannot allocate %zu bytes for the %u images the header declares",
                   size, (unsigned)dimensions[0]);
        } else if (read_idx_data(gz, path, pixels, size, "pixel", err, errlen)) {
            free(pixels);
        } else {
            out->count = dimensions[0];
            out->pixels = pixels;
            status = 0;
        }
    }
    gzclose(gz);
    return status;
}

int mnist_load_labels(const char *path, struct mnist_labels *out, char *err, size_t errlen)
{
    *out = (struct mnist_labels){ 0 };
    uint32_t count;
    gzFile gz;
    if (open_idx(path, IDX_LABELS_MAGIC, &count, &gz, err, errlen))
        return -1;
    int status = -1;
    unsigned char *labels = malloc(count ? count : 1);
    if (!labels) {
        path_error(err, errlen, path, "cannot allocate memory for the %u labels the header declares",
               (unsigned)count);
    } else if (read_idx_data(gz, path, labels, count, "label", err, errlen)) {
        free(labels);
    } else {
        size_t bad = 0;
        while (bad < count && labels[bad] <= 9)
            bad++;
        if (bad < count) {
            path_error(err, errlen, path, "label %u at index %zu is not a digit 0-9", labels[bad], bad);
            free(labels);
        } else {
            out->count = count;
            out->labels = labels;
            status = 0;
        }
    }
    gzclose(gz);
    return status;
}

void mnist_free_images(struct mnist_images *images)
{
    free(images->pixels);
    *images = (struct mnist_images){ 0 };
}

void mnist_free_labels(struct mnist_labels *labels)
{
    free(labels->labels);
    *labels = (struct mnist_labels){ 0 };
}

int mnist_load_pair(const char *images_path, const char *labels_path, size_t expected_count,
                    struct mnist_images *images, struct mnist_labels *labels,
                    char *err, size_t errlen)
{
    if (mnist_load_images(images_path, images, err, errlen))
        return -1;
    if (mnist_load_labels(labels_path, labels, err, errlen)) {
        mnist_free_images(images);
        return -1;
    }
    int status = -1;
    if (expected_count && images->count != expected_count)
        path_error(err, errlen, images_path, "%zu images, expected %zu", images->count, expected_count);
    else if (expected_count && labels->count != expected_count)
        path_error(err, errlen, labels_path, "%zu labels, expected %zu", labels->count, expected_count);
    else if (labels->count != images->count)
        path_error(err, errlen, labels_path, "%zu labels, but %s holds %zu images",
               labels->count, images_path, images->count);
    else
        status = 0;
    if (status) {
        mnist_free_images(images);
        mnist_free_labels(labels);
    }
    return status;
}

/* The two halves of MNIST, in the order "all" concatenates them. */
static const struct mnist_part {
    const char *images_name, *labels_name;
    size_t count;
} mnist_parts[] = {
    { "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", MNIST_TRAIN_COUNT },
    { "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", MNIST_TEST_COUNT },
};

static int join_path(char *buf, size_t size, const char *dir, const char *name, char *err, size_t errlen)
{
    int length = snprintf(buf, size, "%s/%s", dir, name);
    if (length < 0 || (size_t)length >= size)
        return path_error(err, errlen, dir, "path too long");
    return 0;
}

/* Appends one part's images and labels to out. */
static int append_part(const char *dir, const struct mnist_part *part, struct mnist_dataset *out,
                       char *err, size_t errlen)
{
    char images_path[4096], labels_path[4096];
    if (join_path(images_path, sizeof images_path, dir, part->images_name, err, errlen) ||
        join_path(labels_path, sizeof labels_path, dir, part->labels_name, err, errlen))
        return -1;
    struct mnist_images images;
    struct mnist_labels labels;
    if (mnist_load_pair(images_path, labels_path, part->count, &images, &labels, err, errlen))
        return -1;
    memcpy(out->pixels + out->count * MNIST_IMAGE_PIXELS, images.pixels, images.count * MNIST_IMAGE_PIXELS);
    memcpy(out->labels + out->count, labels.labels, labels.count);
    out->count += labels.count;
    mnist_free_images(&images);
    mnist_free_labels(&labels);
    return 0;
}

int mnist_load_dataset(const char *dir, const char *split, struct mnist_dataset *out,
                       char *err, size_t errlen)
{
    /* Each split is the parts [first, end) of mnist_parts. */
    static const struct { const char *name; size_t first, end; } splits[] = {
        { "train", 0, 1 }, { "test", 1, 2 }, { "all", 0, 2 },
    };
    *out = (struct mnist_dataset){ 0 };
    size_t s = 0;
    while (s < sizeof splits / sizeof splits[0] && strcmp(splits[s].name, split) != 0)
        s++;
    if (s == sizeof splits / sizeof splits[0]) {
        snprintf(err, errlen, "unknown MNIST split '%s' (use train, test or all)", split);
        return -1;
    }
    size_t first = splits[s].first, end = splits[s].end, total = 0;
    for (size_t p = first; p < end; p++)
        total += mnist_parts[p].count;
    out->pixels = malloc(total * MNIST_IMAGE_PIXELS);
    out->labels = malloc(total);
    if (!out->pixels || !out->labels) {
        mnist_free_dataset(out);
        return path_error(err, errlen, dir, "cannot allocate memory for %zu images", total);
    }
    for (size_t p = first; p < end; p++) {
        if (append_part(dir, &mnist_parts[p], out, err, errlen)) {
            mnist_free_dataset(out);
            return -1;
        }
    }
    return 0;
}

void mnist_free_dataset(struct mnist_dataset *dataset)
{
    free(dataset->pixels);
    free(dataset->labels);
    *dataset = (struct mnist_dataset){ 0 };
}

int mnist_content_sha256(const char *path, char hex[SHA256_HEX_SIZE], char *err, size_t errlen)
{
    gzFile gz;
    if (open_gz(path, &gz, err, errlen))
        return -1;
    struct sha256_ctx hash;
    sha256_init(&hash);
    unsigned char buf[1 << 16];
    size_t got;
    do {
        if (read_fully(gz, path, buf, sizeof buf, &got, err, errlen)) {
            gzclose(gz);
            return -1;
        }
        sha256_update(&hash, got, buf);
    } while (got == sizeof buf);
    gzclose(gz);

    sha256_final_hex(&hash, hex);
    return 0;
}

int mnist_verify_file(const char *path, const char *expected_sha256_hex, char *err, size_t errlen)
{
    char hex[SHA256_HEX_SIZE];
    if (mnist_content_sha256(path, hex, err, errlen))
        return -1;
    if (strcmp(hex, expected_sha256_hex) != 0)
        return path_error(err, errlen, path, "SHA-256 of the uncompressed content is %s, expected %s",
                      hex, expected_sha256_hex);
    return 0;
}
