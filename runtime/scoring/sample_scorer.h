/* sample_scorer.h: what scoring samples needs, prepared once: the MNIST
 * classifier (classifier.h), the SHA-256 of its file (every metric names
 * the classifier that computed it), the features of the 10,000 MNIST
 * test digits, the reference FID and KID compare samples with
 * (sample_metrics.h), and its accuracy on them, measured at every load. A run and `ddim-lab eval` both score with it, so the
 * same samples get the same figures. */
#ifndef DDIM_SAMPLE_SCORER_H
#define DDIM_SAMPLE_SCORER_H

#include <stddef.h>
#include "runtime/scoring/classifier.h"
#include "runtime/scoring/sample_metrics.h"
#include "runtime/base/sha256.h"

struct sample_scorer {
    struct classifier classifier;
    char classifier_sha256[SHA256_HEX_SIZE];
    struct metric_reference test_reference;
    double test_accuracy;          /* the share of the 10,000 test digits the classifier gets right */
};

/* Below these a run warns and its report says so: a classifier that
 * recognises fewer test digits, or a data floor (training digits scored as
 * samples) with fewer recognisable, makes every figure it gives suspect. */
#define SCORER_MIN_TEST_ACCURACY 0.98
#define SCORER_MIN_FLOOR_RECOGNISABLE 0.90

/* Loads the classifier at classifier_path on kernels k, and the test digits
 * from the MNIST files in data_dir for the reference. A classifier file
 * that is not there gets a line saying how to make one. Returns 0, or -1
 * with ONE line in err. */
int sample_scorer_load(struct sample_scorer *s, const char *classifier_path, const struct kernels *k,
                       const char *data_dir, char *err, size_t errlen);
/* Frees what the scorer holds; a zeroed or half-loaded scorer too. */
void sample_scorer_free(struct sample_scorer *s);

#endif
