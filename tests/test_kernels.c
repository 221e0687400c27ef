/* Every kernel of every ISA compiled in, against the scalar reference on
 * random data (sizes that are not multiples of any vector width, and the
 * seed networks' shapes), and every gradient kernel against central finite
 * differences. Tolerances are stated beside each check. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kernels/kernels.h"
#include "test_util.h"

/* Elementwise sizes: 0, around every vector width (4, 8, 16 lanes and
 * their unrolled multiples), primes, and the seed networks' tensors at
 * batch 64 (64 x 784 images, 64 x 7 x 7 x 64 activations). */
static const size_t elementwise_sizes[] = {
    0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 127, 128, 129, 1009,
    64 * 784, 64 * 3136,
};
#define FOR_EACH_SIZE(n) \
    for (size_t size_index_ = 0; size_index_ < sizeof elementwise_sizes / sizeof elementwise_sizes[0]; size_index_++) \
        for (size_t n = elementwise_sizes[size_index_], once_ = 1; once_; once_ = 0)

static const struct kernels *ref_table(void)
{
    const struct kernels *ref = kernels_by_name("ref");
    assert_non_null(ref);
    return ref;
}

static void describe(char *buf, size_t size, const struct kernels *k, const char *op, size_t n)
{
    snprintf(buf, size, "%s %s n=%zu", k->isa, op, n);
}

/* ---- sgemm ---------------------------------------------------------------- */

struct gemm_case { enum gemm_layout layout; int m, n, k; };

static const char *layout_name(enum gemm_layout layout)
{
    return layout == GEMM_NN ? "NN" : layout == GEMM_NT ? "NT" : "TN";
}

/* Runs one case through k and ref, with leading dimensions padded by `pad`,
 * and checks C, including that the padding columns of C are untouched.
 * Tolerance: the worst-case float dot-product error 4 eps k max|a| max|b|
 * (data in [-1, 1]), plus 1e-6 absolute and relative for the epilogue. */
static void check_sgemm_case(const struct kernels *k, struct gemm_case g, int pad,
                             int accumulate, int with_bias, enum activation act, uint64_t seed)
{
    int a_rows = g.layout == GEMM_TN ? g.k : g.m, a_cols = g.layout == GEMM_TN ? g.m : g.k;
    int b_rows = g.layout == GEMM_NT ? g.n : g.k, b_cols = g.layout == GEMM_NT ? g.k : g.n;
    int lda = a_cols + pad, ldb = b_cols + pad, ldc = g.n + pad;
    float *a = test_alloc((size_t)a_rows * lda), *b = test_alloc((size_t)b_rows * ldb);
    float *bias = test_alloc((size_t)g.n);
    float *c = test_alloc((size_t)g.m * ldc), *want = test_alloc((size_t)g.m * ldc);
    fill_uniform(a, (size_t)a_rows * lda, -1, 1, seed);
    fill_uniform(b, (size_t)b_rows * ldb, -1, 1, seed + 1);
    fill_uniform(bias, (size_t)g.n, -1, 1, seed + 2);
    fill_uniform(c, (size_t)g.m * ldc, -1, 1, seed + 3);
    memcpy(want, c, sizeof(float) * (size_t)g.m * ldc);

    const float *bias_or_null = with_bias ? bias : NULL;
    k->sgemm(g.layout, g.m, g.n, g.k, a, lda, b, ldb, c, ldc, accumulate, bias_or_null, act);
    ref_table()->sgemm(g.layout, g.m, g.n, g.k, a, lda, b, ldb, want, ldc, accumulate, bias_or_null, act);

    char what[160];
    snprintf(what, sizeof what, "%s sgemm %s m=%d n=%d k=%d pad=%d accumulate=%d bias=%d act=%d",
             k->isa, layout_name(g.layout), g.m, g.n, g.k, pad, accumulate, with_bias, (int)act);
    float atol = 4.0f * FLT_EPSILON * (float)(g.k + 2) + 1e-6f;
    /* Rows are checked whole, padding included: padding must be unchanged. */
    assert_allclose(what, c, want, (size_t)g.m * ldc, atol, 1e-6f);
    free(a); free(b); free(bias); free(c); free(want);
}

static void test_sgemm_matches_ref(void **state)
{
    const struct kernels *k = *state;
    static const int dims[] = { 1, 3, 17, 63, 97 };
    static const int depths[] = { 0, 1, 3, 17, 63, 131 };
    static const enum activation acts[] = {
        ACTIVATION_NONE, ACTIVATION_RELU, ACTIVATION_SIGMOID, ACTIVATION_SWISH,
    };
    uint64_t seed = 1;
    for (int layout = GEMM_NN; layout <= GEMM_TN; layout++)
        for (size_t i = 0; i < sizeof dims / sizeof dims[0]; i++)
            for (size_t j = 0; j < sizeof dims / sizeof dims[0]; j++)
                for (size_t p = 0; p < sizeof depths / sizeof depths[0]; p++, seed += 4) {
                    struct gemm_case g = { (enum gemm_layout)layout, dims[i], dims[j], depths[p] };
                    /* Cycle the options so every combination of options
                     * meets many shapes without a full cross product. */
                    check_sgemm_case(k, g, (int)(seed % 3), (int)(seed / 4 % 2), (int)(seed / 8 % 2),
                                     acts[seed / 16 % 4], seed);
                }
}

/* The seed networks' dense layers at batch 64: forward (NN), input gradient
 * (NT) and weight gradient (TN) of Dense(784 -> 3136) and Dense(784 -> 784). */
static void test_sgemm_network_shapes(void **state)
{
    const struct kernels *k = *state;
    static const struct gemm_case shapes[] = {
        { GEMM_NN, 64, 3136, 784 }, { GEMM_NT, 64, 784, 3136 }, { GEMM_TN, 784, 3136, 64 },
        { GEMM_NN, 64, 784, 784 },  { GEMM_NT, 64, 784, 784 },  { GEMM_TN, 784, 784, 64 },
    };
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        check_sgemm_case(k, shapes[s], 0, 0, 1, ACTIVATION_RELU, 100 + s);
        check_sgemm_case(k, shapes[s], 0, 1, 0, ACTIVATION_NONE, 200 + s);
    }
}

#ifdef _OPENMP
#include <omp.h>
/* sgemm splits column panels across threads; each element is summed in the
 * same order whatever the split, so 1 and 2 threads agree to the bit. */
static void test_sgemm_threads_bit_identical(void **state)
{
    const struct kernels *k = *state;
    static const struct gemm_case shapes[] = {
        { GEMM_NN, 64, 3136, 784 }, { GEMM_NT, 64, 784, 3136 }, { GEMM_TN, 784, 3136, 64 }, { GEMM_NN, 97, 131, 63 },
    };
    int saved = omp_get_max_threads();
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        struct gemm_case g = shapes[s];
        size_t a_size = (size_t)g.m * g.k, b_size = (size_t)g.k * g.n, c_size = (size_t)g.m * g.n;
        float *a = test_alloc(a_size), *b = test_alloc(b_size), *c[2] = { test_alloc(c_size), test_alloc(c_size) };
        fill_uniform(a, a_size, -1, 1, 1);
        fill_uniform(b, b_size, -1, 1, 2);
        for (int t = 0; t < 2; t++) {
            omp_set_num_threads(t + 1);
            k->sgemm(g.layout, g.m, g.n, g.k, a, g.layout == GEMM_TN ? g.m : g.k, b, g.layout == GEMM_NT ? g.k : g.n,
                     c[t], g.n, 0, NULL, ACTIVATION_NONE);
        }
        if (memcmp(c[0], c[1], c_size * sizeof(float)) != 0)
            fail_msg("%s sgemm %s %dx%dx%d: 1 and 2 threads differ", k->isa, layout_name(g.layout), g.m, g.n, g.k);
        free(a); free(b); free(c[0]); free(c[1]);
    }
    omp_set_num_threads(saved);
}
#endif

/* ---- elementwise ------------------------------------------------------------ */

/* add, mul, scale, relu and relu's backward are exact in IEEE arithmetic, so
 * every ISA must agree with ref to the bit (tolerance 0), in place too. */
static void test_exact_elementwise(void **state)
{
    const struct kernels *k = *state, *ref = ref_table();
    char what[96];
    FOR_EACH_SIZE(n) {
        float *x = test_alloc(n), *y = test_alloc(n), *got = test_alloc(n), *want = test_alloc(n);
        fill_uniform(x, n, -2, 2, n);
        fill_uniform(y, n, -2, 2, n + 7);

        k->add(n, x, y, got); ref->add(n, x, y, want);
        describe(what, sizeof what, k, "add", n); assert_allclose(what, got, want, n, 0, 0);
        k->mul(n, x, y, got); ref->mul(n, x, y, want);
        describe(what, sizeof what, k, "mul", n); assert_allclose(what, got, want, n, 0, 0);
        k->scale(n, -0.37f, x, got); ref->scale(n, -0.37f, x, want);
        describe(what, sizeof what, k, "scale", n); assert_allclose(what, got, want, n, 0, 0);
        k->relu(n, x, got); ref->relu(n, x, want);
        describe(what, sizeof what, k, "relu", n); assert_allclose(what, got, want, n, 0, 0);
        k->relu_backward(n, x, y, got); ref->relu_backward(n, x, y, want);
        describe(what, sizeof what, k, "relu_backward", n); assert_allclose(what, got, want, n, 0, 0);

        memcpy(got, x, n * sizeof *x);
        k->add(n, got, y, got); ref->add(n, x, y, want);
        describe(what, sizeof what, k, "add in place", n); assert_allclose(what, got, want, n, 0, 0);
        free(x); free(y); free(got); free(want);
    }
}

/* sigmoid and swish go through SLEEF's 1-ulp exp in every ISA; the ISAs may
 * fuse or reorder the few operations after it. Tolerances: 1e-6 relative for
 * the forwards; the backwards also get 1e-6 absolute (per unit of dy), since
 * swish' crosses zero near x = -1.28 where relative error is meaningless. */
static void test_smooth_activations(void **state)
{
    const struct kernels *k = *state, *ref = ref_table();
    char what[96];
    FOR_EACH_SIZE(n) {
        float *x = test_alloc(n), *dy = test_alloc(n), *y = test_alloc(n);
        float *got = test_alloc(n), *want = test_alloc(n);
        fill_uniform(x, n, -12, 12, 3 * n);
        fill_uniform(dy, n, -1, 1, 3 * n + 1);

        k->sigmoid(n, x, got); ref->sigmoid(n, x, want);
        describe(what, sizeof what, k, "sigmoid", n); assert_allclose(what, got, want, n, 0, 1e-6f);
        k->swish(n, x, got); ref->swish(n, x, want);
        describe(what, sizeof what, k, "swish", n); assert_allclose(what, got, want, n, 1e-30f, 1e-6f);
        ref->sigmoid(n, x, y);
        k->sigmoid_backward(n, y, dy, got); ref->sigmoid_backward(n, y, dy, want);
        describe(what, sizeof what, k, "sigmoid_backward", n); assert_allclose(what, got, want, n, 1e-7f, 1e-6f);
        k->swish_backward(n, x, dy, got); ref->swish_backward(n, x, dy, want);
        describe(what, sizeof what, k, "swish_backward", n); assert_allclose(what, got, want, n, 1e-6f, 1e-6f);
        free(x); free(dy); free(y); free(got); free(want);
    }
}

/* ---- reductions and losses ------------------------------------------------ */

/* On dyadic data (multiples of 2^-8 in [-1, 1], n <= 16384) every partial sum
 * is exact in float, so sum and the MAE numerator must match ref exactly in
 * any order; the means divide once (1 rounding: 1 ulp, 2 eps relative). On
 * random data: float accumulation against ref's double, 2e-5 of sum |x|. */
static void test_reductions_and_losses(void **state)
{
    const struct kernels *k = *state, *ref = ref_table();
    char what[96];
    FOR_EACH_SIZE(n) {
        float *x = test_alloc(n), *t = test_alloc(n), *abs_x = test_alloc(n);
        int exact = n <= 16384;
        if (exact) {
            fill_dyadic(x, n, 5 * n);
            fill_dyadic(t, n, 5 * n + 1);
        } else {
            fill_uniform(x, n, -1, 1, 5 * n);
            fill_uniform(t, n, -1, 1, 5 * n + 1);
        }
        for (size_t i = 0; i < n; i++)
            abs_x[i] = fabsf(x[i]);
        float magnitude = ref->sum(n, abs_x);
        float sum_tol = exact ? 0.0f : 2e-5f * magnitude;
        float mean_rtol = exact ? 2 * FLT_EPSILON : 2e-5f;
        float got, want;

        got = k->sum(n, x); want = ref->sum(n, x);
        describe(what, sizeof what, k, "sum", n); assert_allclose(what, &got, &want, 1, sum_tol, 0);
        got = k->mean(n, x); want = ref->mean(n, x);
        describe(what, sizeof what, k, "mean", n);
        assert_allclose(what, &got, &want, 1, n ? sum_tol / (float)n : 0, mean_rtol);
        got = k->mae_loss(n, x, t); want = ref->mae_loss(n, x, t);
        describe(what, sizeof what, k, "mae_loss", n); assert_allclose(what, &got, &want, 1, 0, mean_rtol);
        got = k->mse_loss(n, x, t); want = ref->mse_loss(n, x, t);
        describe(what, sizeof what, k, "mse_loss", n); assert_allclose(what, &got, &want, 1, 0, 2e-5f);
        free(x); free(t); free(abs_x);
    }
}

/* Loss gradients: MAE's is sign(pred - target) dloss / n (0 at equality,
 * which dyadic data hits often), MSE's 2 (pred - target) dloss / n; at most
 * two roundings apart between orders of evaluation: 4 eps relative. */
static void test_loss_gradients(void **state)
{
    const struct kernels *k = *state, *ref = ref_table();
    char what[96];
    FOR_EACH_SIZE(n) {
        float *p = test_alloc(n), *t = test_alloc(n), *got = test_alloc(n), *want = test_alloc(n);
        fill_dyadic(p, n, 9 * n);
        fill_dyadic(t, n, 9 * n + 1);
        k->mae_loss_backward(n, p, t, 0.75f, got); ref->mae_loss_backward(n, p, t, 0.75f, want);
        describe(what, sizeof what, k, "mae_loss_backward", n);
        assert_allclose(what, got, want, n, 0, 4 * FLT_EPSILON);
        k->mse_loss_backward(n, p, t, 0.75f, got); ref->mse_loss_backward(n, p, t, 0.75f, want);
        describe(what, sizeof what, k, "mse_loss_backward", n);
        assert_allclose(what, got, want, n, 0, 4 * FLT_EPSILON);
        free(p); free(t); free(got); free(want);
    }
}

/* ---- optimizer -------------------------------------------------------------- */

/* Three AdamW steps (the bias correction changes with the step) and three
 * EMA updates. The ISAs may fuse multiply-adds: 1e-6 relative plus 1e-7
 * absolute on parameters of order 1 and on the moments. */
static void test_optimizer(void **state)
{
    const struct kernels *k = *state, *ref = ref_table();
    char what[96];
    FOR_EACH_SIZE(n) {
        float *param[2], *m[2], *v[2], *ema[2];
        float *grad = test_alloc(n);
        for (int s = 0; s < 2; s++) {
            param[s] = test_alloc(n); m[s] = test_alloc(n); v[s] = test_alloc(n); ema[s] = test_alloc(n);
            fill_uniform(param[s], n, -1, 1, 11 * n);
            fill_uniform(ema[s], n, -1, 1, 11 * n + 1);
            memset(m[s], 0, n * sizeof(float));
            memset(v[s], 0, n * sizeof(float));
        }
        for (long step = 1; step <= 3; step++) {
            fill_uniform(grad, n, -0.1f, 0.1f, 11 * n + 2 + (uint64_t)step);
            k->adamw_step(n, param[0], grad, m[0], v[0], 1e-3f, ADAMW_BETA1, ADAMW_BETA2, ADAMW_EPSILON, 0.004f, step);
            ref->adamw_step(n, param[1], grad, m[1], v[1], 1e-3f, ADAMW_BETA1, ADAMW_BETA2, ADAMW_EPSILON, 0.004f, step);
            k->ema_update(n, 0.999f, param[0], ema[0]);
            ref->ema_update(n, 0.999f, param[1], ema[1]);
        }
        describe(what, sizeof what, k, "adamw param", n); assert_allclose(what, param[0], param[1], n, 1e-7f, 1e-6f);
        describe(what, sizeof what, k, "adamw m", n); assert_allclose(what, m[0], m[1], n, 1e-9f, 1e-6f);
        describe(what, sizeof what, k, "adamw v", n); assert_allclose(what, v[0], v[1], n, 1e-12f, 1e-6f);
        describe(what, sizeof what, k, "ema", n); assert_allclose(what, ema[0], ema[1], n, 1e-7f, 1e-6f);
        for (int s = 0; s < 2; s++) {
            free(param[s]); free(m[s]); free(v[s]); free(ema[s]);
        }
        free(grad);
    }
}

/* ---- gradients against finite differences ------------------------------------ */

/* Central differences in double of the ISA's own forward, step h; the
 * denominators use the perturbed inputs as actually rounded to float. */
#define FD_STEP 1e-2f

static double activation_at(unary_fn *f, float x)
{
    float y;
    f(1, &x, &y);
    return y;
}

/* Backward of relu, sigmoid, swish with dy = 1 against the slope of the
 * forward; points within 2h of relu's kink are skipped. Tolerance 1e-3
 * (truncation h^2 |f'''| / 6 and rounding eps / h are both below 1e-4). */
static void test_activation_gradients(void **state)
{
    const struct kernels *k = *state;
    enum { N = 67 };
    float x[N], y[N], ones[N], dx[N];
    fill_uniform(x, N, -6, 6, 42);
    for (int i = 0; i < N; i++)
        ones[i] = 1.0f;
    struct { const char *name; unary_fn *forward; unary_backward_fn *backward; int uses_output; } ops[] = {
        { "relu", k->relu, k->relu_backward, 0 },
        { "sigmoid", k->sigmoid, k->sigmoid_backward, 1 },
        { "swish", k->swish, k->swish_backward, 0 },
    };
    for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++) {
        ops[o].forward(N, x, y);
        ops[o].backward(N, ops[o].uses_output ? y : x, ones, dx);
        for (int i = 0; i < N; i++) {
            if (fabsf(x[i]) < 2 * FD_STEP)
                continue;
            float xp = x[i] + FD_STEP, xm = x[i] - FD_STEP;
            double slope = (activation_at(ops[o].forward, xp) - activation_at(ops[o].forward, xm)) /
                           ((double)xp - xm);
            if (fabs(dx[i] - slope) > 1e-3 * (1 + fabs(slope)))
                fail_msg("%s %s_backward at x=%g: %g, finite difference %g", k->isa, ops[o].name,
                         (double)x[i], (double)dx[i], slope);
        }
    }
}

/* MAE and MSE gradients against the slope of the ISA's own loss; MAE points
 * within 2h of pred == target are skipped. Tolerance 1e-3 relative. */
static void test_loss_gradients_fd(void **state)
{
    const struct kernels *k = *state;
    enum { N = 19 };
    float pred[N], target[N], grad[N];
    fill_uniform(pred, N, -1, 1, 7);
    fill_uniform(target, N, -1, 1, 8);
    struct { const char *name; loss_fn *loss; loss_backward_fn *backward; } ops[] = {
        { "mae", k->mae_loss, k->mae_loss_backward },
        { "mse", k->mse_loss, k->mse_loss_backward },
    };
    for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++) {
        ops[o].backward(N, pred, target, 2.0f, grad); /* dloss = 2: the chain rule scales it */
        for (int i = 0; i < N; i++) {
            if (fabsf(pred[i] - target[i]) < 2 * FD_STEP)
                continue;
            float saved = pred[i], xp = saved + FD_STEP, xm = saved - FD_STEP;
            pred[i] = xp;
            double lp = ops[o].loss(N, pred, target);
            pred[i] = xm;
            double lm = ops[o].loss(N, pred, target);
            pred[i] = saved;
            double slope = 2.0 * (lp - lm) / ((double)xp - xm);
            if (fabs(grad[i] - slope) > 1e-3 * (1 + fabs(slope)))
                fail_msg("%s %s_loss_backward at %d: %g, finite difference %g", k->isa, ops[o].name, i,
                         (double)grad[i], slope);
        }
    }
}

/* A dense layer y = x W + b (x: B x I, W: I x O) under loss = sum(y * G):
 * its gradients dx = G W^T (sgemm NT) and dW = x^T G (sgemm TN) must match
 * central differences of the loss computed with the NN forward. The loss is
 * linear in each input, so the only error is float rounding: 1e-3. */
static double dense_loss(const struct kernels *k, int batch, int in, int out,
                         const float *x, const float *w, const float *bias, const float *g)
{
    float y[5 * 7];
    k->sgemm(GEMM_NN, batch, out, in, x, in, w, out, y, out, 0, bias, ACTIVATION_NONE);
    double loss = 0;
    for (int i = 0; i < batch * out; i++)
        loss += (double)y[i] * g[i];
    return loss;
}

static void test_dense_gradients_fd(void **state)
{
    const struct kernels *k = *state;
    enum { B = 5, I = 3, O = 7 };
    float x[B * I], w[I * O], bias[O], g[B * O], dx[B * I], dw[I * O];
    fill_uniform(x, B * I, -1, 1, 1);
    fill_uniform(w, I * O, -1, 1, 2);
    fill_uniform(bias, O, -1, 1, 3);
    fill_uniform(g, B * O, -1, 1, 4);
    k->sgemm(GEMM_NT, B, I, O, g, O, w, O, dx, I, 0, NULL, ACTIVATION_NONE);
    k->sgemm(GEMM_TN, I, O, B, x, I, g, O, dw, O, 0, NULL, ACTIVATION_NONE);
    struct { const char *name; float *param, *grad; int count; } tensors[] = {
        { "dx", x, dx, B * I }, { "dW", w, dw, I * O },
    };
    for (size_t t = 0; t < 2; t++)
        for (int i = 0; i < tensors[t].count; i++) {
            float saved = tensors[t].param[i], xp = saved + FD_STEP, xm = saved - FD_STEP;
            tensors[t].param[i] = xp;
            double lp = dense_loss(k, B, I, O, x, w, bias, g);
            tensors[t].param[i] = xm;
            double lm = dense_loss(k, B, I, O, x, w, bias, g);
            tensors[t].param[i] = saved;
            double slope = (lp - lm) / ((double)xp - xm);
            if (fabs(tensors[t].grad[i] - slope) > 1e-3 * (1 + fabs(slope)))
                fail_msg("%s dense %s[%d]: %g, finite difference %g", k->isa, tensors[t].name, i,
                         (double)tensors[t].grad[i], slope);
        }
}

/* ---- dispatch ------------------------------------------------------------- */

static void test_dispatch(void **state)
{
    (void)state;
    int count;
    const struct kernels *const *available = kernels_available(&count);
    assert_true(count >= 1);
    assert_string_equal(available[count - 1]->isa, "ref");
    const char *saved = getenv("DDIM_ISA");
    char *saved_copy = saved ? strdup(saved) : NULL;
    const char *error = NULL;

    unsetenv("DDIM_ISA");
    assert_ptr_equal(kernels_select(&error), available[0]);
    setenv("DDIM_ISA", "ref", 1);
    assert_string_equal(kernels_select(&error)->isa, "ref");
    setenv("DDIM_ISA", "vax", 1);
    assert_null(kernels_select(&error));
    assert_non_null(error);
    assert_null(kernels_by_name("vax"));

    if (saved_copy)
        setenv("DDIM_ISA", saved_copy, 1);
    else
        unsetenv("DDIM_ISA");
    free(saved_copy);
}

/* ---- registration ----------------------------------------------------------- */

static const struct isa_test isa_tests[] = {
    { "sgemm matches ref", test_sgemm_matches_ref, 0 },
    { "sgemm matches ref at the network shapes", test_sgemm_network_shapes, 0 },
#ifdef _OPENMP
    { "sgemm gives the same bits on 1 and 2 threads", test_sgemm_threads_bit_identical, 0 },
#endif
    { "add/mul/scale/relu are bit-identical to ref", test_exact_elementwise, 0 },
    { "sigmoid/swish and backwards match ref", test_smooth_activations, 0 },
    { "reductions and losses match ref", test_reductions_and_losses, 0 },
    { "loss gradients match ref", test_loss_gradients, 0 },
    { "adamw and ema match ref", test_optimizer, 0 },
    { "activation gradients match finite differences", test_activation_gradients, 1 },
    { "loss gradients match finite differences", test_loss_gradients_fd, 1 },
    { "dense gradients (sgemm NT/TN) match finite differences", test_dense_gradients_fd, 1 },
};
#define ISA_TEST_COUNT (sizeof isa_tests / sizeof isa_tests[0])

size_t kernel_tests(struct CMUnitTest *out)
{
    static char names[4 * ISA_TEST_COUNT][ISA_TEST_NAME_SIZE];
    if (out)
        out[0] = (struct CMUnitTest){ .name = "kernel dispatch and DDIM_ISA", .test_func = test_dispatch };
    return 1 + collect_isa_tests(isa_tests, ISA_TEST_COUNT, names, out ? out + 1 : NULL);
}
