/* Shared helpers for ddim-lab's cmocka tests. */
#ifndef DDIM_TEST_UTIL_H
#define DDIM_TEST_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

/* Each test file contributes its tests through one function: it writes them
 * to out (when out is not NULL) and returns how many there are. */
typedef size_t test_collector(struct CMUnitTest *out);

/* Deterministic test data: splitmix64 stream. */
struct test_rng { uint64_t state; };
uint64_t test_rng_next(struct test_rng *rng);
float test_rng_uniform(struct test_rng *rng, float lo, float hi);
void fill_uniform(float *x, size_t n, float lo, float hi, uint64_t seed);
/* Values that are multiples of 2^-8 in [-1, 1], so that sums of up to 2^15 of
 * them are exact in float whatever the order. */
void fill_dyadic(float *x, size_t n, uint64_t seed);

/* 64-byte aligned buffer of n floats (at least one), filled with NaN so
 * that reading an element a kernel should have written shows. */
float *test_alloc(size_t n);

/* Fails the test at the first i where |got - want| > atol + rtol * |want|,
 * naming what, i and both values. */
void assert_allclose(const char *what, const float *got, const float *want, size_t n,
                     float atol, float rtol);

#endif
