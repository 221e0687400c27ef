/* standardise.h: the dataset normalization of the Keras example (a
 * Normalization layer adapted on the training images): pixel values become
 * (v - mean) / std, with the mean and (biased) variance of every pixel of
 * the training data, and samples go back by the inverse, v std + mean. The
 * identity (mean 0, std 1) leaves every value as it is, bit for bit. */
#ifndef DDIM_STANDARDISE_H
#define DDIM_STANDARDISE_H

#include <stddef.h>

struct standardisation {
    float mean, std;
};

/* Fitted on count MNIST pixel bytes (see mnist.h), in double. */
struct standardisation standardisation_fit(const unsigned char *pixels, size_t count);

static inline float standardise(struct standardisation s, float v)
{
    return (v - s.mean) / s.std;
}

static inline float unstandardise(struct standardisation s, float v)
{
    return v * s.std + s.mean;
}

#endif
