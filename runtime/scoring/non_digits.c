/* The classifier's non-digit images (see non_digits.h). */
#include <math.h>
#include "runtime/scoring/non_digits.h"
#include "runtime/base/rng.h"

#define SIDE MNIST_SIDE

static float clip01(float x)
{
    return x < 0 ? 0 : x > 1 ? 1 : x;
}

/* A 7 x 7 grid of uniform values, bilinearly upsampled to 28 x 28, then
 * contrast-stretched around a random level: soft blobs and strokes of
 * random thickness. */
static void draw_blobs(float *image, uint64_t seed, uint64_t index)
{
    enum { COARSE = 7 };
    float coarse[COARSE * COARSE];
    for (int i = 0; i < COARSE * COARSE; i++)
        coarse[i] = rng_uniform(seed, RNG_NON_DIGIT, index, (uint64_t)i);
    const float level = 0.3f + 0.5f * rng_uniform(seed, RNG_NON_DIGIT, index, 100);
    const float contrast = 2.0f + 8.0f * rng_uniform(seed, RNG_NON_DIGIT, index, 101);
    for (int y = 0; y < SIDE; y++)
        for (int x = 0; x < SIDE; x++) {
            const float fy = (y + 0.5f) * COARSE / SIDE - 0.5f, fx = (x + 0.5f) * COARSE / SIDE - 0.5f;
            const int y0 = fy < 0 ? 0 : (int)fy, x0 = fx < 0 ? 0 : (int)fx;
            const int y1 = y0 + 1 < COARSE ? y0 + 1 : y0, x1 = x0 + 1 < COARSE ? x0 + 1 : x0;
            const float wy = fy < 0 ? 0 : fy - (float)y0, wx = fx < 0 ? 0 : fx - (float)x0;
            const float top = coarse[y0 * COARSE + x0] * (1 - wx) + coarse[y0 * COARSE + x1] * wx;
            const float bottom = coarse[y1 * COARSE + x0] * (1 - wx) + coarse[y1 * COARSE + x1] * wx;
            image[y * SIDE + x] = clip01((top * (1 - wy) + bottom * wy - level) * contrast);
        }
}

/* A random training digit with its pixels in a random order (Fisher-Yates). */
static void draw_shuffled_digit(float *image, uint64_t seed, uint64_t index, const struct mnist_dataset *digits)
{
    const size_t which = (size_t)(rng_bits(seed, RNG_NON_DIGIT, index, 0) % digits->count);
    const unsigned char *pixels = digits->pixels + which * MNIST_IMAGE_PIXELS;
    for (int i = 0; i < MNIST_IMAGE_PIXELS; i++)
        image[i] = pixels[i] * MNIST_PIXEL_SCALE;
    for (int i = MNIST_IMAGE_PIXELS - 1; i > 0; i--) {
        const int j = (int)(rng_bits(seed, RNG_NON_DIGIT, index, (uint64_t)i + 1) % (uint64_t)(i + 1));
        const float swap = image[i];
        image[i] = image[j];
        image[j] = swap;
    }
}

void draw_non_digit(float *image, uint64_t seed, uint64_t index, const struct mnist_dataset *digits)
{
    /* Two uniforms that set each kind's level and spread. */
    const float u = rng_uniform(seed, RNG_NON_DIGIT, index, 1000), v = rng_uniform(seed, RNG_NON_DIGIT, index, 1001);
    switch (index % NON_DIGIT_KINDS) {
    case 0: /* uniform noise in [0, u] */
        for (int i = 0; i < MNIST_IMAGE_PIXELS; i++)
            image[i] = (0.1f + 0.9f * u) * rng_uniform(seed, RNG_NON_DIGIT, index, (uint64_t)i);
        break;
    case 1: /* Gaussian noise, mean in [-0.5, 0.5], std in [0.2, 1.2], clipped: an untrained sampler's output */
        for (int i = 0; i < MNIST_IMAGE_PIXELS; i++)
            image[i] = clip01(u - 0.5f + (0.2f + v) * rng_normal(seed, RNG_NON_DIGIT, index, (uint64_t)i));
        break;
    case 2:
        draw_blobs(image, seed, index);
        break;
    case 3:
        draw_shuffled_digit(image, seed, index, digits);
        break;
    default: /* flat, black a third of the time */
        for (int i = 0; i < MNIST_IMAGE_PIXELS; i++)
            image[i] = v < 1.0f / 3 ? 0.0f : u;
        break;
    }
}
