/* The row sum of every ISA compiled in (sum_rows, the bias gradient of a
 * dense or conv layer) against the scalar reference, exactly on dyadic data
 * and within the float rounding otherwise. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "kernels/kernels.h"
#include "test_util.h"

static const struct kernels *ref_table(void)
{
    const struct kernels *ref = kernels_by_name("ref");
    assert_non_null(ref);
    return ref;
}

/* Dyadic data (multiples of 2^-8 in [-1, 1]): every partial sum of fewer
 * than 2^16 terms is exact in float, so each ISA must match ref exactly in
 * any order, at column counts around every vector width and panel and at
 * the bias gradients of the seed networks (conv outputs at batch 64 and
 * the dense layers). Then random data at the seed shapes: float against
 * ref's double, 2e-5 of the column's sum |x| (as sum's test). */
static void test_sum_rows(void **state)
{
    const struct kernels *k = *state, *ref = ref_table();
    static const size_t rows[] = { 0, 1, 2, 3, 7, 64 };
    static const size_t cols[] = { 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 48, 63, 64, 65, 127, 129 };
    static const size_t network[][2] = {
        { 64 * 14 * 14, 64 }, { 64 * 28 * 28, 32 }, { 64 * 28 * 28, 1 }, { 64, 3136 }, { 64, 784 },
    };
    enum { SMALL = sizeof rows / sizeof rows[0] * (sizeof cols / sizeof cols[0]) };
    for (size_t c = 0; c < SMALL + 2 * (sizeof network / sizeof network[0]); c++) {
        int exact = c < SMALL + sizeof network / sizeof network[0];
        size_t r = c < SMALL ? rows[c / (sizeof cols / sizeof cols[0])] : network[(c - SMALL) % 5][0];
        size_t n = c < SMALL ? cols[c % (sizeof cols / sizeof cols[0])] : network[(c - SMALL) % 5][1];
        float *x = test_alloc(r * n), *abs_x = test_alloc(r * n);
        float *got = test_alloc_guarded(n), *want = test_alloc(n), *magnitude = test_alloc(n);
        if (exact)
            fill_dyadic(x, r * n, c);
        else
            fill_uniform(x, r * n, -1, 1, c);
        for (size_t i = 0; i < r * n; i++)
            abs_x[i] = fabsf(x[i]);
        k->sum_rows(r, n, x, got);
        ref->sum_rows(r, n, x, want);
        ref->sum_rows(r, n, abs_x, magnitude);
        char what[96];
        snprintf(what, sizeof what, "%s sum_rows rows=%zu cols=%zu%s", k->isa, r, n, exact ? " (exact)" : "");
        for (size_t j = 0; j < n; j++) {
            float tol = exact ? 0.0f : 2e-5f * magnitude[j];
            if (!(fabsf(got[j] - want[j]) <= tol))
                fail_msg("%s: column %zu is %.9g, expected %.9g (tolerance %.3g)", what, j,
                         (double)got[j], (double)want[j], (double)tol);
        }
        assert_guard_intact(what, got, n);
        free(x); free(abs_x); free(got); free(want); free(magnitude);
    }
}

static const struct isa_test isa_tests[] = {
    { "sum_rows matches ref", test_sum_rows, 0 },
};
#define ISA_TEST_COUNT (sizeof isa_tests / sizeof isa_tests[0])

size_t sum_rows_kernel_tests(struct CMUnitTest *out)
{
    static char names[4 * ISA_TEST_COUNT][ISA_TEST_NAME_SIZE];
    return collect_isa_tests(isa_tests, ISA_TEST_COUNT, names, out);
}
