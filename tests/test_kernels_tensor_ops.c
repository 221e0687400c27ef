/* kernels/tensor_ops.c against reference loops written from the header's
 * formulas: each output element is one IEEE operation on its inputs (the
 * sums one call of the ref table's sum), so the match is to the bit, in
 * place too; odd sizes and one sample of one value included. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kernels/tensor_ops.h"
#include "test_util.h"

static void assert_same_bits(const char *what, size_t n, const float *got, const float *want)
{
    if (n && memcmp(got, want, n * sizeof *got) != 0)
        fail_msg("%s: not the reference's bits", what);
}

static const struct kernels *ref_table(void)
{
    const struct kernels *ref = kernels_by_name("ref");
    assert_non_null(ref);
    return ref;
}

/* sub and bias_add over n floats of rows of `channels`, out of place and in place. */
static void check_sub_and_bias_add(size_t rows, size_t channels)
{
    const size_t n = rows * channels;
    float *a = test_alloc(n), *b = test_alloc(n), *bias = test_alloc(channels);
    float *got = test_alloc(n), *want = test_alloc(n);
    fill_uniform(a, n, -2, 2, n);
    fill_uniform(b, n, -2, 2, n + 1);
    fill_uniform(bias, channels, -1, 1, n + 2);
    char what[64];
    for (size_t i = 0; i < n; i++)
        want[i] = a[i] - b[i];
    sub(n, a, b, got);
    snprintf(what, sizeof what, "sub n=%zu", n);
    assert_same_bits(what, n, got, want);
    for (size_t r = 0; r < rows; r++)
        for (size_t c = 0; c < channels; c++)
            want[r * channels + c] = a[r * channels + c] + bias[c];
    bias_add(n, channels, a, bias, got);
    snprintf(what, sizeof what, "bias_add %zux%zu", rows, channels);
    assert_same_bits(what, n, got, want);
    memcpy(got, a, n * sizeof *got);
    bias_add(n, channels, got, bias, got);
    assert_same_bits("bias_add in place", n, got, want);
    free(a); free(b); free(bias); free(got); free(want);
}

static void test_sub_and_bias_add(void **state)
{
    (void)state;
    static const size_t shapes[][2] = { { 1, 1 }, { 3, 1 }, { 1, 7 }, { 13, 17 }, { 64 * 49, 64 } };
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
        check_sub_and_bias_add(shapes[s][0], shapes[s][1]);
}

/* The per-sample ops of a [batch, per_sample] tensor x and one value t per sample. */
static void check_sample_ops(int batch, size_t per_sample)
{
    const size_t n = (size_t)batch * per_sample;
    float *x = test_alloc(n), *t = test_alloc((size_t)batch), *got = test_alloc(n), *want = test_alloc(n);
    fill_uniform(x, n, -2, 2, n);
    fill_uniform(t, (size_t)batch, -2, 2, n + 1);
    char what[80];
    for (int s = 0; s < batch; s++)
        for (size_t i = 0; i < per_sample; i++)
            want[s * per_sample + i] = x[s * per_sample + i] + t[s];
    sample_broadcast_add(batch, per_sample, x, t, got);
    snprintf(what, sizeof what, "sample_broadcast_add %d x %zu", batch, per_sample);
    assert_same_bits(what, n, got, want);
    for (int s = 0; s < batch; s++)
        for (size_t i = 0; i < per_sample; i++)
            want[s * per_sample + i] = x[s * per_sample + i] * t[s];
    sample_mul(batch, per_sample, x, t, got);
    snprintf(what, sizeof what, "sample_mul %d x %zu", batch, per_sample);
    assert_same_bits(what, n, got, want);
    for (int s = 0; s < batch; s++)
        for (size_t i = 0; i < per_sample; i++)
            want[s * per_sample + i] = t[s];
    sample_broadcast(batch, per_sample, t, got);
    snprintf(what, sizeof what, "sample_broadcast %d x %zu", batch, per_sample);
    assert_same_bits(what, n, got, want);
    for (int s = 0; s < batch; s++)
        want[s] = ref_table()->sum(per_sample, x + s * per_sample);
    sample_sum(ref_table()->sum, batch, per_sample, x, got);
    snprintf(what, sizeof what, "sample_sum %d x %zu", batch, per_sample);
    assert_same_bits(what, (size_t)batch, got, want);
    free(x); free(t); free(got); free(want);
}

static void test_sample_ops(void **state)
{
    (void)state;
    check_sample_ops(1, 1);
    check_sample_ops(5, 1);
    check_sample_ops(3, 785);
    check_sample_ops(64, 28 * 28);
}

static void test_fill(void **state)
{
    (void)state;
    float y[37], want[37];
    for (int i = 0; i < 37; i++)
        want[i] = 1.0f;
    fill(37, 1.0f, y);
    assert_same_bits("fill", 37, y, want);
    y[0] = 5.0f;
    fill(0, 2.0f, y); /* nothing written */
    assert_true(y[0] == 5.0f);
}

size_t tensor_ops_kernel_tests(struct CMUnitTest *out)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sub_and_bias_add),
        cmocka_unit_test(test_sample_ops),
        cmocka_unit_test(test_fill),
    };
    if (out)
        memcpy(out, tests, sizeof tests);
    return sizeof tests / sizeof tests[0];
}
