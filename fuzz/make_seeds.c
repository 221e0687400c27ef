/* make-fuzz-seeds DIR: writes the seed inputs of the fuzz targets into
 * DIR/<target>/ with the project's own writers where it has them
 * (checkpoint_write; the IDX files are written as the MNIST files are
 * laid out, gzip through zlib). fuzz/make-seeds.sh adds the report's CSVs,
 * which take a run. Every seed is a valid file: the fuzzers start from what
 * the readers accept.
 *
 *   fuzz_mnist_idx/images.idx   one 28x28 image, the IDX content (feed_mnist_idx gzips it)
 *   fuzz_mnist_idx/labels.idx   three labels
 *   fuzz_mnist_idx/images.gz    images.idx gzipped: what the gzip checks see as is
 *   fuzz_checkpoint/checkpoint.ddim   four sections: text, counters, floats, and an empty one
 *   fuzz_classifier_file/classifier.ddim   fuzz/tiny_classifier.lua's network, 250 parameters */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "runtime/base/checkpoint.h"
#include "runtime/base/files.h"
#include "runtime/base/mnist.h"
#include "runtime/base/rng.h"
#include "runtime/scoring/classifier.h"

#define TINY_CLASSIFIER "fuzz/tiny_classifier.lua"

static void put_be32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (24 - 8 * i));
}

static int write_gzip(const char *path, const void *data, size_t size, char *err, size_t errlen)
{
    gzFile gz = gzopen(path, "wb9");
    if (!gz || gzfwrite(data, 1, size, gz) != size || gzclose(gz) != Z_OK)
        return path_error(err, errlen, path, "gzip-writing failed");
    return 0;
}

static int write_idx_seeds(const char *dir, char *err, size_t errlen)
{
    unsigned char images[16 + MNIST_IMAGE_PIXELS], labels[8 + 3] = { 0 };
    put_be32(images, 0x803);
    put_be32(images + 4, 1);
    put_be32(images + 8, MNIST_SIDE);
    put_be32(images + 12, MNIST_SIDE);
    for (int i = 0; i < MNIST_IMAGE_PIXELS; i++)
        images[16 + i] = (unsigned char)(i * 7 % 256);
    put_be32(labels, 0x801);
    put_be32(labels + 4, 3);
    memcpy(labels + 8, (const unsigned char[]){ 3, 1, 4 }, 3);
    char path[3][1024];
    snprintf(path[0], sizeof path[0], "%s/fuzz_mnist_idx/images.idx", dir);
    snprintf(path[1], sizeof path[1], "%s/fuzz_mnist_idx/labels.idx", dir);
    snprintf(path[2], sizeof path[2], "%s/fuzz_mnist_idx/images.gz", dir);
    return write_file_atomic(path[0], images, sizeof images, err, errlen) ||
           write_file_atomic(path[1], labels, sizeof labels, err, errlen) ||
           write_gzip(path[2], images, sizeof images, err, errlen);
}

static int write_checkpoint_seed(const char *dir, char *err, size_t errlen)
{
    static const char config[] = "train = { epochs = 1 }\n";
    const uint64_t counters[2] = { 3, 128 };
    float params[16];
    for (int i = 0; i < 16; i++)
        params[i] = 0.25f * (float)(i - 8);
    const struct checkpoint_section sections[4] = {
        { "config", config, sizeof config - 1 },
        { "counters", counters, sizeof counters },
        { "params", params, sizeof params },
        { "empty", "", 0 },
    };
    char path[1024];
    snprintf(path, sizeof path, "%s/fuzz_checkpoint/checkpoint.ddim", dir);
    return checkpoint_write(path, sections, 4, err, errlen);
}

/* The tiny network's file as `ddim-lab classifier` lays one out, with
 * small random parameters in place of trained ones. */
static int write_classifier_seed(const char *dir, char *err, size_t errlen)
{
    char *source;
    size_t source_size;
    if (read_text_file(TINY_CLASSIFIER, &source, &source_size, err, errlen))
        return -1;
    struct classifier_network net;
    if (classifier_network_build(TINY_CLASSIFIER, source, source_size, &net, err, errlen)) {
        free(source);
        return -1;
    }
    const size_t count = net.graph.param_floats;
    float *params = malloc(count * sizeof *params);
    int status = -1;
    if (!params) {
        snprintf(err, errlen, "out of memory");
    } else {
        for (size_t i = 0; i < count; i++)
            params[i] = 0.1f * rng_normal(1, RNG_INIT, 0, i);
        const struct standardisation data = { 0.13f, 0.31f };
        const struct checkpoint_section sections[5] = {
            { "format", CLASSIFIER_FORMAT, strlen(CLASSIFIER_FORMAT) },
            { "source_name", TINY_CLASSIFIER, strlen(TINY_CLASSIFIER) },
            { "source", source, source_size },
            { "standardisation", &data, sizeof data },
            { "params", params, count * sizeof *params },
        };
        char path[1024];
        snprintf(path, sizeof path, "%s/fuzz_classifier_file/classifier.ddim", dir);
        status = checkpoint_write(path, sections, 5, err, errlen);
    }
    free(params);
    graph_free(&net.graph);
    free(source);
    return status;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s DIR (run from the repository's top)\n", argv[0]);
        return 2;
    }
    static const char *const targets[] = { "fuzz_mnist_idx", "fuzz_checkpoint", "fuzz_classifier_file" };
    char err[1024], path[1024];
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", argv[1], targets[i]);
        if (make_directories(path, err, sizeof err)) {
            fprintf(stderr, "make-fuzz-seeds: %s\n", err);
            return 1;
        }
    }
    if (write_idx_seeds(argv[1], err, sizeof err) || write_checkpoint_seed(argv[1], err, sizeof err) ||
        write_classifier_seed(argv[1], err, sizeof err)) {
        fprintf(stderr, "make-fuzz-seeds: %s\n", err);
        return 1;
    }
    return 0;
}
