/* sample_metrics.h: how good a set of generated digits is, in the terms of
 * the MNIST classifier (classifier.h): for N images,
 *   FID            Frechet distance between Gaussians fitted to their
 *                  penultimate-layer features and to the reference's (the
 *                  MNIST test set): |m1 - m2|^2 + tr(C1 + C2 - 2 (C1^1/2 C2 C1^1/2)^1/2);
 *   KID            the unbiased MMD^2 between the two feature sets under the
 *                  cubic polynomial kernel k(x, y) = (x.y / d + 1)^3 (the
 *                  Keras DDIM example's metric);
 *   recognisable   the share of images whose top class probability is at
 *                  least RECOGNISABLE_PROBABILITY;
 *   class coverage the share of images predicted as each class, and that
 *                  histogram's entropy in bits (log2(10) = 3.32 for ten
 *                  equal classes, 0 when every image is one class).
 * Every figure is computed in double in a fixed order: the same images give
 * the same figures on any number of threads. */
#ifndef DDIM_SAMPLE_METRICS_H
#define DDIM_SAMPLE_METRICS_H

#include <stddef.h>
#include "runtime/scoring/classifier.h"

#define RECOGNISABLE_PROBABILITY 0.9
#define METRIC_CLASSES 10

struct sample_scores {
    long count;                          /* images scored */
    double fid, kid;
    double recognisable;                 /* share in [0, 1] */
    double class_share[METRIC_CLASSES];  /* share of images predicted as each digit */
    double class_entropy;                /* bits */
};

/* The reference set in feature space, prepared once and compared with many
 * sample sets. */
struct metric_reference {
    long count;
    int dims;
    float *features;        /* [count, dims] */
    double *mean;           /* [dims] */
    double *covariance;     /* [dims, dims], the unbiased estimate */
    double kernel_within;   /* mean of k(y_i, y_j) over i != j: KID's reference term */
};

/* Prepares the reference from count feature rows [count, dims] (copied).
 * Returns 0, or -1 with a reason in err (out of memory, count < 2, a
 * feature that is not finite). */
int metric_reference_create(struct metric_reference *r, const float *features, long count, int dims, char *err,
                            size_t errlen);
void metric_reference_free(struct metric_reference *r);

/* Scores count images from their classifier outputs: features [count,
 * r->dims] and probabilities [count, METRIC_CLASSES]. Returns 0, or -1 with
 * a reason in err (count < 2, a value that is not finite, out of memory, the
 * eigendecomposition failed). */
int score_features(const struct metric_reference *r, const float *features, const float *probabilities, long count,
                   struct sample_scores *out, char *err, size_t errlen);

/* Runs the classifier on count images [count, 28, 28] of pixel values
 * (clipped to [0, 1] first, as the sample grids show them) and scores them
 * against r. Returns 0, or -1 with a reason in err: images holding a value
 * that is not finite (NaN, inf: a diverged model's) are refused, "the
 * samples hold N non-finite values (...): not scored", never clipped. */
int score_images(const struct classifier *c, const struct metric_reference *r, const float *images, long count,
                 struct sample_scores *out, char *err, size_t errlen);

/* The reference of count images [count, 28, 28] of pixel values in [0, 1]:
 * their features under c. With labels (count digits, or NULL), also the
 * share of the images c classifies as labelled, in *accuracy. Returns 0,
 * or -1 with a reason in err. */
int metric_reference_from_images(struct metric_reference *r, const struct classifier *c, const float *images,
                                 long count, const unsigned char *labels, double *accuracy, char *err, size_t errlen);

/* The Frechet distance between N(mean1, covariance1) and N(mean2,
 * covariance2) in dims dimensions (covariances symmetric positive
 * semi-definite, [dims, dims]). Returns -1 with a reason in err when the
 * eigendecomposition fails, else 0 with the distance in *distance. */
int frechet_distance(const double *mean1, const double *covariance1, const double *mean2,
                     const double *covariance2, int dims, double *distance, char *err, size_t errlen);

#endif
