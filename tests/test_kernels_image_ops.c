/* kernels/image_ops.c, the U-Net ops: hand-computed values (TensorFlow's half-pixel bilinear convention
 * among them), each linear op against its adjoint, batch normalization's statistics and its backward
 * against central differences of a double-precision reference, its inference-mode backward, the Keras
 * moving averages, and the sinusoidal embedding; and that batch normalization gives the same bits on 1
 * and 2 threads. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "test_util.h"
#include "kernels/image_ops.h"

/* sum a[i] b[i] (or sum |a[i] b[i]|) in double */
static double dot(const float *a, const float *b, size_t n, int absolute)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += absolute ? fabs((double)a[i] * b[i]) : (double)a[i] * b[i];
    return s;
}

/* <u, f(x)> == <f*(u), x>. Each output of f and f* rounds a sum of at most four products once or a
 * few times (relative error a few 2^-24), so the two double sums agree to 1e-6 of the sum of |terms|;
 * one missing, extra or misplaced term among these few dozen elements moves a side by percents. */
static void assert_adjoint(const char *what, const float *u, const float *fx, size_t ny, const float *ftu,
                           const float *x, size_t nx)
{
    double lhs = dot(u, fx, ny, 0), rhs = dot(ftu, x, nx, 0);
    double scale = fmax(dot(u, fx, ny, 1), dot(ftu, x, nx, 1));
    if (!(fabs(lhs - rhs) <= 1e-6 * scale))
        fail_msg("%s: <u, f(x)> = %.12g but <f*(u), x> = %.12g", what, lhs, rhs);
}

static void test_avg_pool2_values(void **state)
{
    (void)state;
    /* x [2, 4, 4, 2]: channel 0 = 4i + j + 100b, channel 1 = -(4i + j); the windows of 0..15 are
     * {0, 1, 4, 5}, {2, 3, 6, 7}, {8, 9, 12, 13}, {10, 11, 14, 15}, means by hand: */
    const float means[4] = { 2.5f, 4.5f, 10.5f, 12.5f };
    float x[64], y[16], want[16];
    for (int b = 0; b < 2; b++)
        for (int k = 0; k < 16; k++) {
            x[(b * 16 + k) * 2] = (float)(k + 100 * b);
            x[(b * 16 + k) * 2 + 1] = (float)-k;
        }
    for (int b = 0; b < 2; b++)
        for (int q = 0; q < 4; q++) {
            want[(b * 4 + q) * 2] = means[q] + 100.0f * b;
            want[(b * 4 + q) * 2 + 1] = -means[q];
        }
    avg_pool2(2, 2, 2, 2, x, y);
    assert_allclose("avg_pool2", y, want, 16, 0, 0); /* sums of small integers, / 4: exact */
}

/* TF's 1-D 2x upsamplings (tf.image.resize(..., "bilinear"), half-pixel centers), by hand: output o
 * reads (o + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25, ..., clamped at both ends. */
static const float up_01[4] = { 0, 0.25f, 0.75f, 1 };                /* of [0, 1] */
static const float up_012[6] = { 0, 0.25f, 0.75f, 1.25f, 1.75f, 2 }; /* of [0, 1, 2] */

/* x [batch, h, w, 2] with channel 0 = i j and channel 1 = 10 i + j + 100 b. Bilinear interpolation is
 * separable with weights summing to 1, so y[b, r, c] = (u[r] v[c], 10 u[r] + v[c] + 100 b), u and v
 * the 1-D upsamplings of 0..h-1 and 0..w-1. Small dyadic values throughout: exact in float. */
static void check_upsample_grid(int batch, int h, int w, const float *u, const float *v)
{
    size_t nx = (size_t)batch * h * w * 2, ny = 4 * nx;
    float *x = test_alloc(nx + 2 * ny), *y = x + nx, *want = y + ny;
    for (int b = 0; b < batch; b++)
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++) {
                float *px = x + (((size_t)b * h + i) * w + j) * 2;
                px[0] = (float)(i * j);
                px[1] = (float)(10 * i + j + 100 * b);
            }
    for (int b = 0; b < batch; b++)
        for (int r = 0; r < 2 * h; r++)
            for (int c = 0; c < 2 * w; c++) {
                float *pw = want + (((size_t)b * 2 * h + r) * 2 * w + c) * 2;
                pw[0] = u[r] * v[c];
                pw[1] = 10 * u[r] + v[c] + 100.0f * b;
            }
    upsample2(batch, h, w, 2, x, y);
    char what[64];
    snprintf(what, sizeof what, "upsample2 %d x %dx%d", batch, h, w);
    assert_allclose(what, y, want, ny, 0, 0);
    free(x);
}

static void test_upsample2_values(void **state)
{
    (void)state;
    check_upsample_grid(1, 2, 2, up_01, up_01);   /* e.g. y[1][1] = 0.25 * 0.25 = 0.0625 */
    check_upsample_grid(1, 3, 3, up_012, up_012); /* e.g. y[3][4] = 1.25 * 1.75 = 2.1875 */
    check_upsample_grid(2, 2, 3, up_01, up_012);  /* non-square, both ways */
    check_upsample_grid(2, 3, 2, up_012, up_01);
    /* Not affine: the bump [0, 4, 0] -> [0, 1, 3, 3, 1, 0] (weights 0.25 / 0.75). As a 1x3 image both
     * output rows read the single input row (h = 1 clamps both neighbours to it); as 3x1, down a column. */
    const float bump[3] = { 0, 4, 0 }, bump_up[6] = { 0, 1, 3, 3, 1, 0 };
    float y[12], want[12];
    for (int i = 0; i < 12; i++)
        want[i] = bump_up[i % 6];
    upsample2(1, 1, 3, 1, bump, y);
    assert_allclose("upsample2 1x3 bump", y, want, 12, 0, 0);
    for (int i = 0; i < 12; i++)
        want[i] = bump_up[i / 2];
    upsample2(1, 3, 1, 1, bump, y);
    assert_allclose("upsample2 3x1 bump", y, want, 12, 0, 0);
}

static void test_pool_and_upsample_adjoints(void **state)
{
    (void)state;
    const int shapes[][4] = { { 2, 3, 4, 3 }, { 1, 1, 2, 1 }, { 1, 4, 1, 2 }, { 1, 1, 1, 1 }, { 1, 2, 2, 17 } };
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        int b = shapes[s][0], h = shapes[s][1], w = shapes[s][2], c = shapes[s][3];
        size_t small = (size_t)b * h * w * c, big = 4 * small; /* [b, h, w, c] and [b, 2h, 2w, c] */
        float *xs = test_alloc(3 * (small + big)), *us = xs + small, *fs = us + small;
        float *xb = fs + small, *ub = xb + big, *fb = ub + big;
        fill_uniform(xs, small, -1, 1, 10 + s);
        fill_uniform(xb, big, -1, 1, 20 + s);
        fill_uniform(us, small, -1, 1, 30 + s);
        fill_uniform(ub, big, -1, 1, 40 + s);
        avg_pool2(b, h, w, c, xb, fs);         /* big -> small */
        avg_pool2_adjoint(b, h, w, c, us, fb); /* small -> big */
        assert_adjoint("avg_pool2", us, fs, small, fb, xb, big);
        upsample2(b, h, w, c, xs, fb);         /* small -> big */
        upsample2_adjoint(b, h, w, c, ub, fs); /* big -> small */
        assert_adjoint("upsample2", ub, fb, big, fs, xs, small);
        free(xs);
    }
}

static void test_concat_slice_unslice(void **state)
{
    (void)state;
    enum { P = 7, CA = 3, CB = 5, C = CA + CB };
    float a[P * CA], b[P * CB], y[P * C], u[P * C], ua[P * CA], ub[P * CB], z[P * C];
    fill_uniform(a, P * CA, -1, 1, 1);
    fill_uniform(b, P * CB, -1, 1, 2);
    fill_uniform(u, P * C, -1, 1, 3);
    concat(P, CA, CB, a, b, y);
    for (int p = 0; p < P; p++)
        for (int k = 0; k < C; k++)
            assert_true(y[p * C + k] == (k < CA ? a[p * CA + k] : b[p * CB + k - CA]));
    slice(P, C, 0, CA, u, ua);
    slice(P, C, CA, CB, u, ub);
    for (int p = 0; p < P; p++)
        for (int k = 0; k < C; k++)
            assert_true(u[p * C + k] == (k < CA ? ua[p * CA + k] : ub[p * CB + k - CA]));
    /* concat's adjoint is the pair of slices: <u, concat(a, b)> = <u[:, :CA], a> + <u[:, CA:], b> */
    double lhs = dot(u, y, P * C, 0), rhs = dot(ua, a, P * CA, 0) + dot(ub, b, P * CB, 0);
    assert_true(fabs(lhs - rhs) <= 1e-6 * dot(u, y, P * C, 1));
    /* unslice into the middle (channels 2 .. 4): zeros on both sides (z starts as NaN), and it is the
     * adjoint of slice */
    float um[P * CA];
    for (int i = 0; i < P * C; i++)
        z[i] = NAN;
    unslice(P, C, 2, CA, a, z);
    for (int p = 0; p < P; p++)
        for (int k = 0; k < C; k++)
            assert_true(z[p * C + k] == (k >= 2 && k < 2 + CA ? a[p * CA + k - 2] : 0.0f));
    slice(P, C, 2, CA, u, um);
    assert_adjoint("unslice", u, z, P * C, um, a, P * CA);
}

static void test_upsample_nearest_and_adjoint(void **state)
{
    (void)state;
    enum { B = 2, PIXELS = 6, C = 19 };
    float x[B * C], y[B * PIXELS * C], u[B * PIXELS * C], s[B * C];
    fill_uniform(x, B * C, -1, 1, 4);
    fill_uniform(u, B * PIXELS * C, -1, 1, 5);
    upsample_nearest(B, PIXELS, C, x, y);
    for (int i = 0; i < B * PIXELS * C; i++) /* y[b, p, c] = x[b, c] */
        assert_true(y[i] == x[i / (PIXELS * C) * C + i % C]);
    upsample_nearest_adjoint(B, PIXELS, C, u, s);
    for (int b = 0; b < B; b++)
        for (int c = 0; c < C; c++) {
            double want = 0;
            for (int p = 0; p < PIXELS; p++)
                want += u[(b * PIXELS + p) * C + c];
            assert_true(s[b * C + c] == (float)want); /* the same double sum, rounded once */
        }
    assert_adjoint("upsample_nearest", u, y, B * PIXELS * C, s, x, B * C);
}

/* x [50, 19]: channel c = offset_c + scale_c * uniform(-1, 1), scales 0.05 (variance ~8e-4, about
 * epsilon = 1e-3, so epsilon visibly matters) to 1.85, offsets -2 .. 2.5. */
enum { BN_PIXELS = 50, BN_CHANNELS = 19 };
static void fill_bn_input(float *x)
{
    fill_uniform(x, BN_PIXELS * BN_CHANNELS, -1, 1, 6);
    for (int p = 0; p < BN_PIXELS; p++)
        for (int c = 0; c < BN_CHANNELS; c++)
            x[p * BN_CHANNELS + c] = (c * 0.25f - 2) + (0.05f + 0.1f * c) * x[p * BN_CHANNELS + c];
}

static void test_batch_norm_train_statistics(void **state)
{
    (void)state;
    const float eps = 1e-3f;
    float x[BN_PIXELS * BN_CHANNELS], y[BN_PIXELS * BN_CHANNELS], mean[BN_CHANNELS], var[BN_CHANNELS];
    float inv[BN_CHANNELS];
    fill_bn_input(x);
    batch_norm_train(BN_PIXELS, BN_CHANNELS, eps, x, y, mean, var, inv);
    for (int c = 0; c < BN_CHANNELS; c++) {
        double m = 0, v = 0, my = 0, vy = 0;
        for (int p = 0; p < BN_PIXELS; p++) {
            m += x[p * BN_CHANNELS + c] / (double)BN_PIXELS;
            my += y[p * BN_CHANNELS + c] / (double)BN_PIXELS;
        }
        for (int p = 0; p < BN_PIXELS; p++) {
            double d = x[p * BN_CHANNELS + c] - m, dy = y[p * BN_CHANNELS + c] - my;
            v += d * d / BN_PIXELS;
            vy += dy * dy / BN_PIXELS;
        }
        /* the statistics: the double values rounded to float (biased variance) */
        assert_true(fabs(mean[c] - m) <= 1e-6 * fabs(m) + 1e-7);
        assert_true(fabs(var[c] - v) <= 1e-6 * v);
        assert_true(fabs(inv[c] - 1 / sqrt(v + eps)) <= 1e-6 / sqrt(v + eps));
        /* y's mean is 0 up to the float rounding of the mean (half an ulp, ~1e-7 relative) times
         * inv_std, and its variance var / (var + eps) to 1e-6 relative */
        if (!(fabs(my) <= 1e-6 * (1 + fabs(m)) * inv[c]) || !(fabs(vy - v / (v + eps)) <= 1e-6 * vy))
            fail_msg("channel %d: mean(y) = %g, var(y) = %.9g, expected 0 and %.9g", c, my, vy, v / (v + eps));
    }
    /* Inference on the batch's own statistics is training's output (the same float inv_std: exact) */
    float yi[BN_PIXELS * BN_CHANNELS];
    batch_norm_infer(BN_PIXELS, BN_CHANNELS, eps, x, mean, var, yi);
    assert_allclose("batch_norm_infer on the batch statistics", yi, y, BN_PIXELS * BN_CHANNELS, 0, 0);
    /* and by hand: x = [1, 3], moving mean 1, variance 3, epsilon 1 -> (x - 1) / 2 = [0, 1] */
    const float xh[2] = { 1, 3 }, mm = 1, mv = 3, want[2] = { 0, 1 };
    float yh[2];
    batch_norm_infer(2, 1, 1.0f, xh, &mm, &mv, yh);
    assert_allclose("batch_norm_infer by hand", yh, want, 2, 0, 0);
}

/* batch_norm_train's y in double: the reference the finite differences run on */
static void bn_reference(int pixels, int channels, double eps, const double *x, double *y)
{
    for (int c = 0; c < channels; c++) {
        double m = 0, v = 0;
        for (int p = 0; p < pixels; p++)
            m += x[p * channels + c] / pixels;
        for (int p = 0; p < pixels; p++)
            v += (x[p * channels + c] - m) * (x[p * channels + c] - m) / pixels;
        for (int p = 0; p < pixels; p++)
            y[p * channels + c] = (x[p * channels + c] - m) / sqrt(v + eps);
    }
}

static void test_batch_norm_backward_finite_differences(void **state)
{
    (void)state;
    const int n = BN_PIXELS * BN_CHANNELS;
    const double eps = 1e-3, h = 1e-5;
    float x[BN_PIXELS * BN_CHANNELS], g[BN_PIXELS * BN_CHANNELS], y[BN_PIXELS * BN_CHANNELS];
    float dx[BN_PIXELS * BN_CHANNELS], fd[BN_PIXELS * BN_CHANNELS], mean[BN_CHANNELS], var[BN_CHANNELS];
    float inv[BN_CHANNELS];
    double xd[BN_PIXELS * BN_CHANNELS], yd[BN_PIXELS * BN_CHANNELS], yref[BN_PIXELS * BN_CHANNELS];
    fill_bn_input(x);
    fill_uniform(g, n, -1, 1, 7);
    batch_norm_train(BN_PIXELS, BN_CHANNELS, (float)eps, x, y, mean, var, inv);
    batch_norm_backward(BN_PIXELS, BN_CHANNELS, y, inv, g, dx);
    for (int i = 0; i < n; i++)
        xd[i] = x[i];
    /* the reference is batch_norm_train's forward (|y| <= ~2; float rounding ~1e-6 with inv_std ~25) */
    bn_reference(BN_PIXELS, BN_CHANNELS, eps, xd, yref);
    for (int i = 0; i < n; i++)
        assert_true(fabs(yref[i] - y[i]) <= 1e-5);
    /* L(x) = sum g y(x); dL/dx_i ~ (L(x + h e_i) - L(x - h e_i)) / 2h, all in double */
    for (int i = 0; i < n; i++) {
        double l[2];
        for (int side = 0; side < 2; side++) {
            xd[i] = x[i] + (side ? -h : h);
            bn_reference(BN_PIXELS, BN_CHANNELS, eps, xd, yd);
            l[side] = 0;
            for (int k = 0; k < n; k++)
                l[side] += g[k] * yd[k];
        }
        xd[i] = x[i];
        fd[i] = (float)((l[0] - l[1]) / (2 * h));
    }
    /* dx is inv_std (up to ~25) times O(1) terms rounded in float (~1e-6 relative); the central
     * difference's error is ~h^2 inv_std^3 ~ 1e-6 (they agree to ~1e-5 here). Tolerance 1e-4 absolute
     * + 1e-4 relative; dropping either mean term of the formula is off by O(1). */
    assert_allclose("batch_norm_backward vs central differences", dx, fd, n, 1e-4f, 1e-4f);
}

/* Inference mode is x / sqrt(moving_variance + epsilon) + c per channel: its backward scales dy by the
 * channel's 1 / sqrt(moving_variance + epsilon), here against that factor in double (float rounding of a
 * square root and a division: 1e-6 relative); by hand, variance 3 and epsilon 1 halve dy. */
static void test_batch_norm_infer_backward_values(void **state)
{
    (void)state;
    const float eps = 1e-3f;
    float dy[BN_PIXELS * BN_CHANNELS], dx[BN_PIXELS * BN_CHANNELS], want[BN_PIXELS * BN_CHANNELS];
    float variance[BN_CHANNELS];
    fill_uniform(dy, BN_PIXELS * BN_CHANNELS, -1, 1, 9);
    fill_uniform(variance, BN_CHANNELS, 0, 2, 10);
    for (int p = 0; p < BN_PIXELS; p++)
        for (int c = 0; c < BN_CHANNELS; c++)
            want[p * BN_CHANNELS + c] = (float)(dy[p * BN_CHANNELS + c] / sqrt((double)variance[c] + eps));
    batch_norm_infer_backward(BN_PIXELS, BN_CHANNELS, eps, variance, dy, dx);
    assert_allclose("batch_norm_infer_backward", dx, want, BN_PIXELS * BN_CHANNELS, 0, 1e-6f);
    const float dyh[2] = { 1, -3 }, vh = 3, wanth[2] = { 0.5f, -1.5f };
    float dxh[2];
    batch_norm_infer_backward(2, 1, 1.0f, &vh, dyh, dxh);
    assert_allclose("batch_norm_infer_backward by hand", dxh, wanth, 2, 0, 0);
}

static void test_batch_norm_update_moving_values(void **state)
{
    (void)state;
    /* pixels 4: the biased variances 3, 0.75 are 4, 1 unbiased (x 4/3), so with momentum 0.99
     *   mean:     0.99 * 0 + 0.01 * 2 = 0.02      0.99 * 1 + 0.01 * (-1) = 0.98
     *   variance: 0.99 * 1 + 0.01 * 4 = 1.03      0.99 * 2 + 0.01 * 1    = 1.99
     * (the biased variance would give 1.02 and 1.9875). Tolerance: 0.99f is not 0.99 (1e-8 off). */
    const float mean[2] = { 2, -1 }, var[2] = { 3, 0.75f };
    float mm[2] = { 0, 1 }, mv[2] = { 1, 2 };
    const float want_mean[2] = { 0.02f, 0.98f }, want_var[2] = { 1.03f, 1.99f };
    batch_norm_update_moving(2, 0.99f, 4, mean, var, mm, mv);
    assert_allclose("moving_mean", mm, want_mean, 2, 1e-7f, 1e-6f);
    assert_allclose("moving_variance", mv, want_var, 2, 1e-7f, 1e-6f);
    /* one pixel: TF's factor is n / max(n - 1, 1) = 1, so 0.99 * 1 + 0.01 * 3 = 1.02 */
    float one = 1, want_one = 1.02f, m1 = 0;
    batch_norm_update_moving(1, 0.99f, 1, mean, var, &m1, &one);
    assert_allclose("moving_variance, one pixel", &one, &want_one, 1, 1e-7f, 1e-6f);
}

static void test_sinusoidal_embedding_values(void **state)
{
    (void)state;
    /* dims 6, frequencies 1..1000: exp(linspace(0, log 1000, 3)) = 1, sqrt(1000) = 31.6227766, 1000.
     * x = 0: sin 0 = 0, cos 0 = 1 exactly. x = 0.0123: angles 2 pi f x = 0.0772832, 2.4439087, 77.2831793,
     * sin and cos by hand (Python's math, double). The float angle is off by a few ulps of 77, so 5e-5. */
    const float x[2] = { 0, 0.0123f };
    const float want0[6] = { 0, 0, 0, 1, 1, 1 };
    const float want1[6] = { 0.077206271f, 0.642444541f, 0.951056516f, 0.997015141f, -0.766332181f, -0.309016994f };
    float y[12];
    sinusoidal_embedding(2, 6, 1.0f, 1000.0f, x, y);
    assert_allclose("sinusoidal_embedding at 0", y, want0, 6, 0, 0);
    assert_allclose("sinusoidal_embedding at 0.0123", y + 6, want1, 6, 5e-5f, 0);
}

#ifdef _OPENMP
/* Threads split batch normalization's pixels, but its sums run over fixed segments in a fixed order:
 * statistics, output and gradient are bit-identical on 1 and 2 threads (a U-Net layer's size). */
static void test_batch_norm_thread_count_invariance(void **state)
{
    (void)state;
    enum { PIXELS = 64 * 28 * 28 + 5, CHANNELS = 35, N = PIXELS * CHANNELS };
    float *x = test_alloc(N), *dy = test_alloc(N), *y[2], *dx[2], stats[2][3 * CHANNELS];
    fill_uniform(x, N, -2, 3, 7);
    fill_uniform(dy, N, -1, 1, 8);
    int saved = omp_get_max_threads();
    for (int t = 0; t < 2; t++) {
        omp_set_num_threads(t + 1);
        y[t] = test_alloc(N);
        dx[t] = test_alloc(N);
        batch_norm_train(PIXELS, CHANNELS, 1e-3f, x, y[t], stats[t], stats[t] + CHANNELS, stats[t] + 2 * CHANNELS);
        batch_norm_backward(PIXELS, CHANNELS, y[t], stats[t] + 2 * CHANNELS, dy, dx[t]);
    }
    omp_set_num_threads(saved);
    assert_memory_equal(stats[0], stats[1], sizeof stats[0]);
    assert_memory_equal(y[0], y[1], N * sizeof(float));
    assert_memory_equal(dx[0], dx[1], N * sizeof(float));
    free(x); free(dy); free(y[0]); free(y[1]); free(dx[0]); free(dx[1]);
}
#endif

size_t image_ops_kernel_tests(struct CMUnitTest *out)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_avg_pool2_values),
        cmocka_unit_test(test_upsample2_values),
        cmocka_unit_test(test_pool_and_upsample_adjoints),
        cmocka_unit_test(test_concat_slice_unslice),
        cmocka_unit_test(test_upsample_nearest_and_adjoint),
        cmocka_unit_test(test_batch_norm_train_statistics),
        cmocka_unit_test(test_batch_norm_backward_finite_differences),
        cmocka_unit_test(test_batch_norm_infer_backward_values),
        cmocka_unit_test(test_batch_norm_update_moving_values),
        cmocka_unit_test(test_sinusoidal_embedding_values),
#ifdef _OPENMP
        cmocka_unit_test(test_batch_norm_thread_count_invariance),
#endif
    };
    if (out)
        memcpy(out, tests, sizeof tests);
    return sizeof tests / sizeof tests[0];
}
