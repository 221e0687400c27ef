/* nearest_digit.h: how much samples look like MNIST digits, measured
 * without a trained classifier: each sample's nearest neighbour among real
 * digits (Euclidean distance over the 28 x 28 pixels, samples clipped to
 * [0, 1]) and that neighbour's label. Real digits score the data floor;
 * noise and blobs score far above it; a collapsed model covers few labels. */
#ifndef DDIM_NEAREST_DIGIT_H
#define DDIM_NEAREST_DIGIT_H

#include "kernels/kernels.h"

struct digit_likeness {
    double rms_distance;      /* mean over samples of the per-pixel RMS distance to the nearest digit */
    double digit_like;        /* share of samples as close to a digit as most real digits are (see below) */
    int label_counts[10];     /* samples whose nearest digit has each label */
    int labels_covered;       /* labels with at least one sample */
};

/* samples: count x 784 values; reference: reference_count x 784 MNIST
 * bytes (see mnist.h) with their labels. digit_like is the share of samples whose distance is
 * at most threshold (per-pixel RMS); *percentile_95, when not NULL,
 * receives the 95th percentile of the samples' distances (measured on real
 * digits, it is the threshold for generated ones). Returns 0, or -1 if out
 * of memory. */
int nearest_digits(const struct kernels *k, const float *samples, int count, const unsigned char *reference,
                   const unsigned char *labels, long reference_count, double threshold,
                   struct digit_likeness *out, double *percentile_95);

#endif
