/* kernels/parallel.c, for every ISA's table: each threaded helper gives the
 * bits of one whole-array call of its kernel (the chunks are multiples of
 * every vector width, and each element is computed alone), below one chunk,
 * over several and with a partial last one; parallel_sum_rows gives its
 * eight fixed row segments added in order; and every helper gives the same
 * bits on 1 and 2 threads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "kernels/parallel.h"
#include "test_util.h"

/* 16384 floats per chunk (parallel.c): none, part of one, one, one and a bit, three and a bit. */
static const size_t sizes[] = { 0, 1, 1000, 16384, 16385, 3 * 16384 + 77 };

static void assert_same_bits(const char *isa, const char *what, size_t n, const float *got, const float *want)
{
    if (n && memcmp(got, want, n * sizeof *got) != 0)
        fail_msg("%s %s n=%zu: not the bits of one whole-array call", isa, what, n);
}

/* The helpers on inputs x, y (n floats each) into the `out` buffers:
 * swish, add, sigmoid's backward, then an AdamW step and an EMA update of
 * param, m, v and ema (which start equal in every call). */
struct helper_outputs { float *unary, *binary, *backward, *param, *m, *v, *ema; };

static void run_helpers(const struct kernels *k, size_t n, const float *x, const float *y, int threaded,
                        struct helper_outputs *out)
{
    fill_uniform(out->param, n, -1, 1, 3);
    fill_uniform(out->ema, n, -1, 1, 4);
    memset(out->m, 0, n * sizeof(float));
    memset(out->v, 0, n * sizeof(float));
    if (threaded) {
        parallel_unary(k->swish, n, x, out->unary);
        parallel_binary(k->add, n, x, y, out->binary);
        parallel_unary_backward(k->sigmoid_backward, n, x, y, out->backward);
        parallel_adamw(k->adamw_step, n, out->param, y, out->m, out->v, 1e-3f, ADAMW_BETA1, ADAMW_BETA2,
                       ADAMW_EPSILON, 0.004f, 3);
        parallel_ema(k->ema_update, n, 0.999f, out->param, out->ema);
    } else {
        k->swish(n, x, out->unary);
        k->add(n, x, y, out->binary);
        k->sigmoid_backward(n, x, y, out->backward);
        k->adamw_step(n, out->param, y, out->m, out->v, 1e-3f, ADAMW_BETA1, ADAMW_BETA2, ADAMW_EPSILON, 0.004f, 3);
        k->ema_update(n, 0.999f, out->param, out->ema);
    }
}

static struct helper_outputs alloc_outputs(size_t n)
{
    return (struct helper_outputs){ test_alloc(n), test_alloc(n), test_alloc(n), test_alloc(n),
                                    test_alloc(n), test_alloc(n), test_alloc(n) };
}

static void free_outputs(struct helper_outputs *o)
{
    free(o->unary); free(o->binary); free(o->backward); free(o->param); free(o->m); free(o->v); free(o->ema);
}

static void compare_outputs(const char *isa, size_t n, const struct helper_outputs *got,
                            const struct helper_outputs *want)
{
    assert_same_bits(isa, "parallel_unary (swish)", n, got->unary, want->unary);
    assert_same_bits(isa, "parallel_binary (add)", n, got->binary, want->binary);
    assert_same_bits(isa, "parallel_unary_backward (sigmoid)", n, got->backward, want->backward);
    assert_same_bits(isa, "parallel_adamw param", n, got->param, want->param);
    assert_same_bits(isa, "parallel_adamw m", n, got->m, want->m);
    assert_same_bits(isa, "parallel_adamw v", n, got->v, want->v);
    assert_same_bits(isa, "parallel_ema", n, got->ema, want->ema);
}

static void test_elementwise_helpers_match_one_call(void **state)
{
    const struct kernels *k = *state;
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        const size_t n = sizes[s];
        float *x = test_alloc(n), *y = test_alloc(n);
        fill_uniform(x, n, -4, 4, 1);
        fill_uniform(y, n, -0.1f, 0.1f, 2);
        struct helper_outputs got = alloc_outputs(n), want = alloc_outputs(n);
        run_helpers(k, n, x, y, 1, &got);
        run_helpers(k, n, x, y, 0, &want);
        compare_outputs(k->isa, n, &got, &want);
        free_outputs(&got);
        free_outputs(&want);
        free(x); free(y);
    }
}

/* Below 4096 rows one call of sum_rows; from 4096 on, rows / 8 rows per
 * segment (the last takes the rest), each summed by the kernel, the eight
 * partial sums added in segment order in float. */
static void sum_rows_reference(const struct kernels *k, size_t rows, size_t cols, const float *x, float *out)
{
    if (rows < 4096) {
        k->sum_rows(rows, cols, x, out);
        return;
    }
    float *partial = test_alloc(8 * cols);
    const size_t per_segment = rows / 8;
    for (size_t s = 0; s < 8; s++) {
        const size_t begin = per_segment * s, end = s == 7 ? rows : begin + per_segment;
        k->sum_rows(end - begin, cols, x + begin * cols, partial + s * cols);
    }
    for (size_t j = 0; j < cols; j++) {
        float sum = partial[j];
        for (size_t s = 1; s < 8; s++)
            sum += partial[s * cols + j];
        out[j] = sum;
    }
    free(partial);
}

static void test_sum_rows_segments(void **state)
{
    const struct kernels *k = *state;
    /* below the segmented size, at it, rows not a multiple of 8, a U-Net layer's bias gradient */
    static const size_t shapes[][2] = { { 1, 3 }, { 4095, 17 }, { 4096, 5 }, { 4103, 33 }, { 64 * 28 * 28, 32 } };
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        const size_t rows = shapes[s][0], cols = shapes[s][1];
        float *x = test_alloc(rows * cols), *got = test_alloc(cols), *want = test_alloc(cols);
        fill_uniform(x, rows * cols, -1, 1, s);
        parallel_sum_rows(k->sum_rows, rows, cols, x, got);
        sum_rows_reference(k, rows, cols, x, want);
        char what[64];
        snprintf(what, sizeof what, "parallel_sum_rows %zux%zu", rows, cols);
        assert_same_bits(k->isa, what, cols, got, want);
        free(x); free(got); free(want);
    }
}

#ifdef _OPENMP
static void test_helpers_thread_count_invariance(void **state)
{
    const struct kernels *k = *state;
    const size_t n = 3 * 16384 + 77, rows = 64 * 28 * 28, cols = 32;
    float *x = test_alloc(n), *y = test_alloc(n), *matrix = test_alloc(rows * cols), *sums[2];
    fill_uniform(x, n, -4, 4, 1);
    fill_uniform(y, n, -0.1f, 0.1f, 2);
    fill_uniform(matrix, rows * cols, -1, 1, 3);
    struct helper_outputs out[2] = { alloc_outputs(n), alloc_outputs(n) };
    const int saved = omp_get_max_threads();
    for (int t = 0; t < 2; t++) {
        omp_set_num_threads(t + 1);
        run_helpers(k, n, x, y, 1, &out[t]);
        sums[t] = test_alloc(cols);
        parallel_sum_rows(k->sum_rows, rows, cols, matrix, sums[t]);
    }
    omp_set_num_threads(saved);
    compare_outputs(k->isa, n, &out[1], &out[0]);
    assert_same_bits(k->isa, "parallel_sum_rows on 2 threads", cols, sums[1], sums[0]);
    free_outputs(&out[0]);
    free_outputs(&out[1]);
    free(x); free(y); free(matrix); free(sums[0]); free(sums[1]);
}
#endif

static const struct isa_test isa_tests[] = {
    { "parallel helpers give one kernel call's bits", test_elementwise_helpers_match_one_call, 1 },
    { "parallel_sum_rows adds its fixed segments in order", test_sum_rows_segments, 1 },
#ifdef _OPENMP
    { "parallel helpers give the same bits on 1 and 2 threads", test_helpers_thread_count_invariance, 1 },
#endif
};
#define ISA_TEST_COUNT (sizeof isa_tests / sizeof isa_tests[0])

size_t parallel_kernel_tests(struct CMUnitTest *out)
{
    static char names[4 * ISA_TEST_COUNT][ISA_TEST_NAME_SIZE];
    return collect_isa_tests(isa_tests, ISA_TEST_COUNT, names, out);
}
