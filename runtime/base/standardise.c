/* Fitting the dataset normalization (see standardise.h). */
#include <math.h>
#include "runtime/base/mnist.h"
#include "runtime/base/standardise.h"

struct standardisation standardisation_fit(const unsigned char *pixels, size_t count)
{
    double sum = 0, squares = 0;
    for (size_t i = 0; i < count; i++)
        sum += pixels[i] * MNIST_PIXEL_SCALE;
    const double mean = count ? sum / (double)count : 0.0;
    for (size_t i = 0; i < count; i++) {
        const double d = pixels[i] * MNIST_PIXEL_SCALE - mean;
        squares += d * d;
    }
    const double std = count ? sqrt(squares / (double)count) : 1.0;
    return (struct standardisation){ (float)mean, std > 0 ? (float)std : 1.0f };
}
