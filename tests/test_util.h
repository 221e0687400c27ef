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

/* test_alloc(n) followed by a guard of TEST_GUARD_FLOATS floats of a
 * sentinel that no kernel may overwrite; assert_guard_intact fails the test,
 * naming what, when one was. */
#define TEST_GUARD_FLOATS 16
float *test_alloc_guarded(size_t n);
void assert_guard_intact(const char *what, const float *p, size_t n);

/* Fails the test at the first i where |got - want| > atol + rtol * |want|,
 * naming what, i and both values. */
void assert_allclose(const char *what, const float *got, const float *want, size_t n,
                     float atol, float rtol);

/* A kernel test run once per ISA table this CPU runs, with the table as its
 * state; include_ref: also for ref (tests against ref skip it). */
struct isa_test {
    const char *what;
    CMUnitTestFunction run;
    int include_ref;
};
#define ISA_TEST_NAME_SIZE 96
/* Writes (when out is not NULL) one test per ISA and entry of tests, named
 * "<isa>: <what>" in names (count x 4 of them, kept by the caller for the
 * run), and returns how many there are. */
size_t collect_isa_tests(const struct isa_test *tests, size_t count, char (*names)[ISA_TEST_NAME_SIZE],
                         struct CMUnitTest *out);

/* cmocka setup and teardown giving a test a fresh temporary directory as
 * its state (a struct scratch *), removed afterwards with all it holds. */
struct scratch {
    char dir[64];
};
int make_scratch(void **state);
int remove_scratch(void **state);
/* path = the scratch directory / name */
void scratch_path(char path[256], void **state, const char *name);
/* rm -r path (the tests nest at most a few levels); symbolic links are
 * removed, not followed. */
void remove_tree(const char *path);

#endif
