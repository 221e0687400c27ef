/* rng.h: a counter-based random number generator. A value is a pure
 * function of (seed, stream, a, b) (e.g. a = training step, b = image and
 * pixel), so results do not depend on the order or the thread that asks,
 * and a run can be resumed at any step without replaying the generator. */
#ifndef DDIM_RNG_H
#define DDIM_RNG_H

#include <stdint.h>

/* Independent streams of one seed. */
enum rng_stream {
    RNG_INIT = 1,       /* parameter initialisation: a = parameter tensor, b = element */
    RNG_SHUFFLE,        /* data order: a = epoch, b = position */
    RNG_TIME,           /* diffusion times: a = step, b = image */
    RNG_NOISE,          /* training noise: a = step, b = image * pixels + pixel */
    RNG_SAMPLE,         /* sampling's initial noise: a = sample set, b = element */
    RNG_NON_DIGIT,      /* the classifier's non-digit images: a = image, b = element */
    RNG_DATA_FLOOR,     /* the data floor's draw of training digits: a = 0, b = position */
    RNG_SAMPLE_STEP,    /* sampling's fresh noise (diffusion.eta): a = sample set, b = step * elements + element */
};

uint64_t rng_bits(uint64_t seed, enum rng_stream stream, uint64_t a, uint64_t b);
/* Uniform in [0, 1), 24 random bits. */
float rng_uniform(uint64_t seed, enum rng_stream stream, uint64_t a, uint64_t b);
/* Standard normal (Box-Muller on the uniforms at 2b and 2b + 1). */
float rng_normal(uint64_t seed, enum rng_stream stream, uint64_t a, uint64_t b);

#endif
