/* finite.h: the values of an array of float32 that are not finite (NaN,
 * +inf, -inf). A diverged run's weights, a damaged file's parameters or the
 * samples drawn with them hold such values; they are refused, never scored
 * or sampled: clipping a NaN pixel to [0, 1] makes it 0, and a blank digit
 * scores as a figure that looks real. */
#ifndef DDIM_FINITE_H
#define DDIM_FINITE_H

#include <stddef.h>

struct non_finite {
    size_t count;       /* values that are not finite, of the n looked at */
    size_t first;       /* the index of the first of them (when count > 0) */
    float first_value;  /* and its value */
};

/* Looks at the n float32 values at data, which need not be aligned (a
 * checkpoint's section lies anywhere in the file's bytes). */
struct non_finite find_non_finite(const void *data, size_t n);

/* 1 when one of the n values at data (aligned floats) is NaN, infinite or
 * of magnitude above bound, else 0: the training loop's check of every
 * weight after every step, so a branch-free loop that -O3 vectorises
 * (the Makefile builds this file with -O3: 0.5 ms for 3.1 million weights
 * where -O2's scalar loop takes 2 ms, 4% of the seed's skip network's step). */
int any_magnitude_above(const float *data, size_t n, float bound);

/* "NaN", "+inf" or "-inf" for a non-finite value (else "finite"). */
const char *non_finite_name(float value);

#endif
