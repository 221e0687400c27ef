/* The classifier, its file's digest and the test set's features, loaded
 * for scoring samples (sample_scorer.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "runtime/base/files.h"
#include "runtime/base/mnist.h"
#include "runtime/scoring/sample_scorer.h"

/* The file's SHA-256 as hex, for naming the classifier every metric used. */
static int file_sha256(const char *path, char hex[SHA256_HEX_SIZE], char *err, size_t errlen)
{
    char *bytes;
    size_t size;
    if (read_text_file(path, &bytes, &size, err, errlen))
        return -1;
    sha256_hex_of(bytes, size, hex);
    free(bytes);
    return 0;
}

/* The reference: the test digits' features under the classifier, and its
 * accuracy on them. */
static int score_test_set(struct sample_scorer *s, const char *data_dir, char *err, size_t errlen)
{
    struct mnist_dataset test;
    if (mnist_load_dataset(data_dir, "test", &test, err, errlen))
        return -1;
    float *images = malloc(test.count * MNIST_IMAGE_PIXELS * sizeof *images);
    int status = -1;
    if (!images) {
        snprintf(err, errlen, "out of memory for the test digits");
    } else {
        for (size_t i = 0; i < test.count * MNIST_IMAGE_PIXELS; i++)
            images[i] = test.pixels[i] * MNIST_PIXEL_SCALE;
        status = metric_reference_from_images(&s->test_reference, &s->classifier, images, (long)test.count,
                                              test.labels, &s->test_accuracy, err, errlen);
    }
    free(images);
    mnist_free_dataset(&test);
    return status;
}

int sample_scorer_load(struct sample_scorer *s, const char *classifier_path, const struct kernels *k,
                       const char *data_dir, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    struct stat st;
    if (stat(classifier_path, &st) != 0) {
        snprintf(err, errlen, "%s: %s; the sample metrics need the MNIST classifier: train it with `ddim-lab "
                 "classifier` (about 3 minutes on 2 cores) or name one with --classifier FILE",
                 classifier_path, strerror(errno));
        return -1;
    }
    return classifier_load(&s->classifier, classifier_path, k, err, errlen) ||
                   file_sha256(classifier_path, s->classifier_sha256, err, errlen) ||
                   score_test_set(s, data_dir, err, errlen)
               ? -1
               : 0;
}

void sample_scorer_free(struct sample_scorer *s)
{
    classifier_free(&s->classifier);
    metric_reference_free(&s->test_reference);
}
