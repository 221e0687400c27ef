/* non_digits.h: images that are not digits, for training the classifier to
 * say so (outlier exposure, Hendrycks et al. 2019: these images are trained
 * towards the uniform distribution over the ten classes). Without them a
 * classifier trained on digits alone is confident about anything: ours gave
 * half of all uniform-noise images a top probability above 0.9, which
 * would score an untrained diffusion model's noise as "recognisable".
 *
 * The kinds are what failed diffusion models draw: uniform and clipped
 * Gaussian noise at random levels, smooth blobs, a training digit with its
 * pixels shuffled (a digit's intensities without its shape), and flat
 * images (black included). */
#ifndef DDIM_NON_DIGITS_H
#define DDIM_NON_DIGITS_H

#include <stdint.h>
#include "runtime/base/mnist.h"

#define NON_DIGIT_KINDS 5

/* Writes image [28, 28] (pixel values in [0, 1]): non-digit number index of
 * the stream seeded by seed, a pure function of (seed, index, digits); its
 * kind is index % NON_DIGIT_KINDS. digits: where the shuffled digits come from. */
void draw_non_digit(float *image, uint64_t seed, uint64_t index, const struct mnist_dataset *digits);

#endif
