/* mnist.h: reading the MNIST IDX files straight from their .gz.
 *
 * An IDX file is a big-endian header (a magic number whose low byte is the
 * number of dimensions, then one uint32 per dimension) followed by the
 * uint8 data in row-major order: images are count x 28 x 28 pixels
 * (0 = background, 255 = ink), labels are count digits 0-9.
 *
 * Every function returns 0 on success, or -1 after writing ONE line to err
 * (at most errlen bytes) that names the file and what is wrong with it. */
#ifndef DDIM_MNIST_H
#define DDIM_MNIST_H

#include <stddef.h>
#include "runtime/base/sha256.h"

#define MNIST_SIDE 28                         /* pixels per row and column */
#define MNIST_IMAGE_PIXELS (MNIST_SIDE * MNIST_SIDE)
#define MNIST_TRAIN_COUNT 60000
#define MNIST_TEST_COUNT 10000

/* The four canonical files as named in the data directory, with the SHA-256
 * of their uncompressed content (from runtime/mnist.sha256). */
struct mnist_file {
    const char *name;     /* e.g. "train-images-idx3-ubyte.gz" */
    const char *sha256;   /* 64 lowercase hex digits */
};
#define MNIST_FILE_COUNT 4
extern const struct mnist_file mnist_files[]; /* MNIST_FILE_COUNT of them */

/* What a run found a data file to be: the SHA-256 of its uncompressed
 * content, and whether that is the one mnist_files lists. */
struct mnist_file_digest {
    char sha256[SHA256_HEX_SIZE];
    int verified;
};

struct mnist_images {
    size_t count;
    unsigned char *pixels;  /* count x 28 x 28 */
};

struct mnist_labels {
    size_t count;
    unsigned char *labels;  /* count, each 0-9 */
};

/* The value of a pixel byte: byte * MNIST_PIXEL_SCALE, in [0, 1]. */
#define MNIST_PIXEL_SCALE (1.0f / 255.0f)

/* A split ready for training: images and labels in the same order. */
struct mnist_dataset {
    size_t count;
    unsigned char *pixels;  /* count x 28 x 28 bytes; a pixel's value is MNIST_PIXEL_SCALE * byte, in
                             * [0, 1], computed where it is used (a quarter of the memory of floats) */
    unsigned char *labels;  /* count, each 0-9 */
};

/* Read one .gz IDX file, checking the gzip stream, the magic number, the
 * dimensions (at most MNIST_TRAIN_COUNT items, MNIST's largest file, so that
 * a header cannot make it allocate more) and that the data is exactly as
 * long as the header says. On failure *out is left empty. */
int mnist_load_images(const char *path, struct mnist_images *out, char *err, size_t errlen);
int mnist_load_labels(const char *path, struct mnist_labels *out, char *err, size_t errlen);
void mnist_free_images(struct mnist_images *images);
void mnist_free_labels(struct mnist_labels *labels);

/* An images file and its labels file, which must hold the same number of
 * items; expected_count, when not 0, is the number both must hold. */
int mnist_load_pair(const char *images_path, const char *labels_path, size_t expected_count,
                    struct mnist_images *images, struct mnist_labels *labels,
                    char *err, size_t errlen);

/* Loads split "train" (60,000), "test" (10,000) or "all" (70,000: train then
 * test) from the canonical files in dir. */
int mnist_load_dataset(const char *dir, const char *split, struct mnist_dataset *out,
                       char *err, size_t errlen);
void mnist_free_dataset(struct mnist_dataset *dataset);

/* The SHA-256 of the uncompressed content of the .gz at path, as hex (what
 * runtime/base/mnist.sha256 lists; a run's meta.json records it). Inflating
 * and hashing the four files takes a fraction of a second. */
int mnist_content_sha256(const char *path, char hex[SHA256_HEX_SIZE], char *err, size_t errlen);

/* Checks that the SHA-256 of the uncompressed content of the .gz at path is
 * expected_sha256_hex (64 hex digits, as sha256sum prints them). */
int mnist_verify_file(const char *path, const char *expected_sha256_hex, char *err, size_t errlen);

#endif
