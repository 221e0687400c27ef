#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "test_util.h"

uint64_t test_rng_next(struct test_rng *rng)
{
    uint64_t z = (rng->state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

float test_rng_uniform(struct test_rng *rng, float lo, float hi)
{
    return lo + (hi - lo) * (float)((test_rng_next(rng) >> 40) * 0x1p-24);
}

void fill_uniform(float *x, size_t n, float lo, float hi, uint64_t seed)
{
    struct test_rng rng = { seed };
    for (size_t i = 0; i < n; i++)
        x[i] = test_rng_uniform(&rng, lo, hi);
}

void fill_dyadic(float *x, size_t n, uint64_t seed)
{
    struct test_rng rng = { seed };
    for (size_t i = 0; i < n; i++)
        x[i] = (float)((int)(test_rng_next(&rng) % 513) - 256) * 0x1p-8f;
}

float *test_alloc(size_t n)
{
    size_t bytes = ((n ? n : 1) * sizeof(float) + 63) / 64 * 64;
    float *x = aligned_alloc(64, bytes);
    assert_non_null(x);
    for (size_t i = 0; i < bytes / sizeof(float); i++)
        x[i] = NAN;
    return x;
}

void assert_allclose(const char *what, const float *got, const float *want, size_t n,
                     float atol, float rtol)
{
    for (size_t i = 0; i < n; i++) {
        float tol = atol + rtol * fabsf(want[i]);
        if (!(fabsf(got[i] - want[i]) <= tol) && !(isnan(got[i]) && isnan(want[i])) &&
            !(isinf(want[i]) && got[i] == want[i])) {
            fail_msg("%s: element %zu of %zu is %.9g, expected %.9g (tolerance %.3g)",
                     what, i, n, (double)got[i], (double)want[i], (double)tol);
        }
    }
}
