/* kernels/softmax.c: the cross-entropy, its gradient and the probabilities
 * against a double reference written without the max shift (logits in
 * [-8, 8], where exp cannot overflow), one-hot and soft labels; and by hand
 * at logits far apart, where only the max shift keeps them finite. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kernels/softmax.h"
#include "test_util.h"

/* log sum_j exp(x[j]) in double, straight from the definition. */
static double log_sum_exp(size_t classes, const float *x)
{
    double sum = 0;
    for (size_t j = 0; j < classes; j++)
        sum += exp((double)x[j]);
    return log(sum);
}

/* Labels of `rows` rows: one-hot (class r * 7 mod classes) or soft, uniform in [0, 1]. */
static void fill_labels(float *labels, size_t rows, size_t classes, int one_hot, uint64_t seed)
{
    fill_uniform(labels, rows * classes, 0, 1, seed);
    if (!one_hot)
        return;
    for (size_t r = 0; r < rows; r++)
        for (size_t j = 0; j < classes; j++)
            labels[r * classes + j] = j == r * 7 % classes ? 1.0f : 0.0f;
}

/* Both sides compute in double and round once to float: they agree to an
 * ulp or so (1e-6 relative), plus 1e-7 absolute where the gradient's
 * softmax - label cancels. */
static void check_against_reference(size_t rows, size_t classes, int one_hot, uint64_t seed)
{
    const size_t n = rows * classes;
    const float dloss = 0.7f;
    float *logits = test_alloc(n), *labels = test_alloc(n);
    float *got = test_alloc(n), *want = test_alloc(n), *got_p = test_alloc(n), *want_p = test_alloc(n);
    fill_uniform(logits, n, -8, 8, seed);
    fill_labels(labels, rows, classes, one_hot, seed + 1);
    double total = 0;
    for (size_t r = 0; r < rows; r++) {
        const float *x = logits + r * classes, *y = labels + r * classes;
        const double lse = log_sum_exp(classes, x);
        double label_sum = 0;
        for (size_t j = 0; j < classes; j++) {
            total += (double)y[j] * (lse - x[j]);
            label_sum += y[j];
        }
        for (size_t j = 0; j < classes; j++) {
            const double p = exp((double)x[j] - lse);
            want[r * classes + j] = (float)((p * label_sum - y[j]) * dloss / (double)rows);
            want_p[r * classes + j] = (float)p;
        }
    }
    const float want_loss = (float)(total / (double)rows);
    const float got_loss = softmax_cross_entropy(rows, classes, logits, labels);
    softmax_cross_entropy_backward(rows, classes, logits, labels, dloss, got);
    softmax_rows(rows, classes, logits, got_p);
    char what[96];
    snprintf(what, sizeof what, "softmax_cross_entropy %zux%zu%s", rows, classes, one_hot ? " one-hot" : "");
    assert_allclose(what, &got_loss, &want_loss, 1, 1e-7f, 1e-6f);
    snprintf(what, sizeof what, "softmax_cross_entropy_backward %zux%zu", rows, classes);
    assert_allclose(what, got, want, n, 1e-7f, 1e-6f);
    snprintf(what, sizeof what, "softmax_rows %zux%zu", rows, classes);
    assert_allclose(what, got_p, want_p, n, 1e-7f, 1e-6f);
    free(logits); free(labels); free(got); free(want); free(got_p); free(want_p);
}

static void test_softmax_matches_reference(void **state)
{
    (void)state;
    static const size_t shapes[][2] = { { 1, 1 }, { 1, 10 }, { 7, 3 }, { 64, 10 }, { 5, 17 } };
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
        for (int one_hot = 0; one_hot < 2; one_hot++)
            check_against_reference(shapes[s][0], shapes[s][1], one_hot, 10 * s + (uint64_t)one_hot);
    assert_true(softmax_cross_entropy(0, 10, NULL, NULL) == 0.0f); /* no rows: 0, nothing read */
}

/* Rows whose exp would overflow or vanish without the max shift, by hand:
 * [1000, 0, -1000] with label 0 costs 0 and gives probabilities [1, 0, 0];
 * [-1000, -1000] costs log 2 with either label and gives [1/2, 1/2]. */
static void test_softmax_far_apart_logits(void **state)
{
    (void)state;
    const float wide[3] = { 1000, 0, -1000 }, wide_label[3] = { 1, 0, 0 }, wide_p[3] = { 1, 0, 0 };
    const float low[2] = { -1000, -1000 }, low_label[2] = { 0, 1 }, half[2] = { 0.5f, 0.5f };
    float p[3], dlogits[3];
    const float zero = 0, log2 = (float)log(2.0);
    const float wide_loss = softmax_cross_entropy(1, 3, wide, wide_label);
    const float low_loss = softmax_cross_entropy(1, 2, low, low_label);
    assert_allclose("loss at [1000, 0, -1000]", &wide_loss, &zero, 1, 0, 0);
    assert_allclose("loss at [-1000, -1000]", &low_loss, &log2, 1, 0, 1e-7f);
    softmax_rows(1, 3, wide, p);
    assert_allclose("softmax of [1000, 0, -1000]", p, wide_p, 3, 0, 0);
    softmax_cross_entropy_backward(1, 3, wide, wide_label, 1.0f, dlogits);
    assert_allclose("gradient at [1000, 0, -1000]", dlogits, (const float[3]){ 0, 0, 0 }, 3, 0, 0);
    softmax_rows(1, 2, low, p);
    assert_allclose("softmax of [-1000, -1000]", p, half, 2, 0, 0);
}

size_t softmax_kernel_tests(struct CMUnitTest *out)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_softmax_matches_reference),
        cmocka_unit_test(test_softmax_far_apart_logits),
    };
    if (out)
        memcpy(out, tests, sizeof tests);
    return sizeof tests / sizeof tests[0];
}
