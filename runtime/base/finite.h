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

/* "NaN", "+inf" or "-inf" for a non-finite value (else "finite"). */
const char *non_finite_name(float value);

#endif
