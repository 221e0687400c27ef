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
    int label_counts[10];     /* samples whose nearest digit has each label */
    int labels_covered;       /* labels with at least one sample */
};

/* samples: count x 784; reference: reference_count x 784 digits in [0, 1]
 * with their labels. Returns 0, or -1 if out of memory. */
int nearest_digits(const struct kernels *k, const float *samples, int count, const float *reference,
                   const unsigned char *labels, long reference_count, struct digit_likeness *out);

#endif
