/* The transposed convolution of every ISA compiled in (conv_transpose2d,
 * conv_transpose2d_backward_data, conv_transpose2d_backward_weights):
 * against the scalar reference on odd shapes and the seed networks' shapes, the gradients against central
 * finite differences, the adjoint identity, and Keras' 'same' output size
 * and tap placement against hand-computed outputs. Tolerances are stated
 * beside each check. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kernels/kernels.h"
#include "test_util.h"

static const struct kernels *ref_table(void)
{
    const struct kernels *ref = kernels_by_name("ref");
    assert_non_null(ref);
    return ref;
}

/* Tensor sizes in floats. */
static size_t x_floats(const struct conv_transpose2d_shape *s)
{
    return (size_t)s->batch * s->in_h * s->in_w * s->in_c;
}

static size_t y_floats(const struct conv_transpose2d_shape *s)
{
    return (size_t)s->batch * s->in_h * s->stride * s->in_w * s->stride * s->out_c;
}

static size_t w_floats(const struct conv_transpose2d_shape *s)
{
    return 9 * (size_t)s->out_c * s->in_c;
}

static void describe_shape(char *buf, size_t size, const struct kernels *k, const char *op,
                           const struct conv_transpose2d_shape *s)
{
    snprintf(buf, size, "%s %s batch=%d in=%dx%dx%d out_c=%d stride=%d", k->isa, op, s->batch,
             s->in_h, s->in_w, s->in_c, s->out_c, s->stride);
}

/* ---- against ref -------------------------------------------------------------- */

/* One shape through k and ref, data uniform in [-1, 1] (so max|x| max|w| = 1).
 * Each output is a float sum of `terms` products against ref's double sum:
 * tolerance 4 eps terms, with terms = 9 Cin (+1 for the bias) forward,
 * 9 Cout for dx, and B H W (+1 for the accumulated dw) for dw. Outputs start
 * as NaN (test_alloc) so that any element left unwritten shows; the
 * workspace and y have a guard after them. */
static void check_conv_transpose2d_case(const struct kernels *k, const struct conv_transpose2d_shape *s,
                                        int with_bias, int accumulate, uint64_t seed)
{
    const struct kernels *ref = ref_table();
    size_t nx = x_floats(s), ny = y_floats(s), nw = w_floats(s);
    size_t nws = conv_transpose2d_workspace_floats(s);
    float *x = test_alloc(nx), *w = test_alloc(nw), *bias = test_alloc((size_t)s->out_c);
    float *dy = test_alloc(ny), *y = test_alloc_guarded(ny), *y_want = test_alloc(ny);
    float *dx = test_alloc(nx), *dx_want = test_alloc(nx);
    float *dw = test_alloc(nw), *dw_want = test_alloc(nw), *ws = test_alloc_guarded(nws);
    fill_uniform(x, nx, -1, 1, seed);
    fill_uniform(w, nw, -1, 1, seed + 1);
    fill_uniform(bias, (size_t)s->out_c, -1, 1, seed + 2);
    fill_uniform(dy, ny, -1, 1, seed + 3);
    if (accumulate) {
        fill_uniform(dw, nw, -1, 1, seed + 4);
        memcpy(dw_want, dw, nw * sizeof *dw);
    }
    const float *b = with_bias ? bias : NULL;
    char what[192];

    k->conv_transpose2d(s, x, w, b, y, ws);
    ref->conv_transpose2d(s, x, w, b, y_want, NULL);
    describe_shape(what, sizeof what, k, with_bias ? "conv_transpose2d (bias)" : "conv_transpose2d", s);
    assert_allclose(what, y, y_want, ny, 4 * FLT_EPSILON * (float)(9 * s->in_c + 1), 0);
    assert_guard_intact(what, y, ny);
    assert_guard_intact(what, ws, nws);

    k->conv_transpose2d_backward_data(s, dy, w, dx, ws);
    ref->conv_transpose2d_backward_data(s, dy, w, dx_want, NULL);
    describe_shape(what, sizeof what, k, "conv_transpose2d_backward_data", s);
    assert_allclose(what, dx, dx_want, nx, 4 * FLT_EPSILON * (float)(9 * s->out_c), 0);
    assert_guard_intact(what, ws, nws);

    k->conv_transpose2d_backward_weights(s, x, dy, dw, accumulate, ws);
    ref->conv_transpose2d_backward_weights(s, x, dy, dw_want, accumulate, NULL);
    describe_shape(what, sizeof what, k,
                   accumulate ? "conv_transpose2d_backward_weights (accumulate)"
                              : "conv_transpose2d_backward_weights", s);
    float positions = (float)s->batch * (float)s->in_h * (float)s->in_w;
    assert_allclose(what, dw, dw_want, nw, 4 * FLT_EPSILON * (positions + 1), 0);
    assert_guard_intact(what, ws, nws);

    free(x); free(w); free(bias); free(dy); free(y); free(y_want);
    free(dx); free(dx_want); free(dw); free(dw_want); free(ws);
}

/* Every in_h x in_w in {1, 2, 3, 5, 7}^2, channels in {1, 3, 17}^2 (below,
 * at and above no vector width), both strides; batch, bias and accumulate
 * cycle with the case number so each combination meets many shapes. */
static void test_conv_transpose2d_matches_ref(void **state)
{
    const struct kernels *k = *state;
    static const int sizes[] = { 1, 2, 3, 5, 7 }, channels[] = { 1, 3, 17 };
    uint64_t seed = 1;
    for (size_t h = 0; h < 5; h++)
        for (size_t w = 0; w < 5; w++)
            for (size_t ci = 0; ci < 3; ci++)
                for (size_t co = 0; co < 3; co++)
                    for (int stride = 1; stride <= 2; stride++, seed += 5) {
                        struct conv_transpose2d_shape s = {
                            .batch = 1 + (int)(seed % 3), .in_h = sizes[h], .in_w = sizes[w],
                            .in_c = channels[ci], .out_c = channels[co], .stride = stride,
                        };
                        check_conv_transpose2d_case(k, &s, (int)(seed / 3 % 2), (int)(seed / 6 % 2), seed);
                    }
}

/* The seed networks' Conv2DTranspose layers at batch 64. */
static const struct conv_transpose2d_shape network_shapes[] = {
    { .batch = 64, .in_h = 7, .in_w = 7, .in_c = 64, .out_c = 64, .stride = 2 },
    { .batch = 64, .in_h = 14, .in_w = 14, .in_c = 64, .out_c = 32, .stride = 2 },
    { .batch = 64, .in_h = 28, .in_w = 28, .in_c = 32, .out_c = 1, .stride = 1 },
};

static void test_conv_transpose2d_network_shapes(void **state)
{
    const struct kernels *k = *state;
    for (size_t i = 0; i < sizeof network_shapes / sizeof network_shapes[0]; i++)
        check_conv_transpose2d_case(k, &network_shapes[i], 1, (int)(i % 2), 500 + 5 * i);
}

/* ---- Keras 'same': output size and where each tap lands --------------------- */

/* x = 1 at one input pixel, w = 1 at one tap, one channel: y must be 1 at
 * (ih * stride + kh - pad, iw * stride + kw - pad), pad written out here as
 * 1 for stride 1 and 0 for stride 2, and 0 everywhere else, including when
 * that pixel is outside y. y holds exactly (3 stride) x (3 stride) floats,
 * followed by a guard. Exact: one product of ones. */
static void test_conv_transpose2d_tap_placement(void **state)
{
    const struct kernels *k = *state;
    for (int stride = 1; stride <= 2; stride++) {
        struct conv_transpose2d_shape s = {
            .batch = 1, .in_h = 3, .in_w = 3, .in_c = 1, .out_c = 1, .stride = stride,
        };
        int out = 3 * stride, pad = stride == 1 ? 1 : 0;
        size_t ny = y_floats(&s), nws = conv_transpose2d_workspace_floats(&s);
        assert_int_equal(ny, (size_t)out * out);
        float x[9], w[9], *y = test_alloc_guarded(ny), *ws = test_alloc_guarded(nws), want[36];
        for (int pixel = 0; pixel < 9; pixel++)
            for (int tap = 0; tap < 9; tap++) {
                for (int i = 0; i < 9; i++) {
                    x[i] = i == pixel ? 1.0f : 0.0f;
                    w[i] = i == tap ? 1.0f : 0.0f;
                }
                int oh = pixel / 3 * stride + tap / 3 - pad, ow = pixel % 3 * stride + tap % 3 - pad;
                for (int i = 0; i < out * out; i++)
                    want[i] = i == oh * out + ow && oh >= 0 && oh < out && ow >= 0 && ow < out;
                k->conv_transpose2d(&s, x, w, NULL, y, ws);
                char what[128];
                snprintf(what, sizeof what, "%s conv_transpose2d stride=%d pixel=%d tap=%d", k->isa,
                         stride, pixel, tap);
                assert_allclose(what, y, want, ny, 0, 0);
                assert_guard_intact(what, y, ny);
                assert_guard_intact(what, ws, nws);
            }
        free(y); free(ws);
    }
}

/* All ones, the values TensorFlow's conv2d_transpose gives: at stride 2 a
 * 2x2 input becomes 4x4, the outer product of the per-axis tap counts
 * (1, 1, 2, 1) (the last row's third tap falls outside); at stride 1 a 3x3
 * input stays 3x3 with counts (2, 3, 2). And for a 2 x 3 x 5 x 2 input at
 * stride 2, y is exactly 2 x 6 x 10 x 3: every element written (the NaN fill
 * is gone) and nothing past it. */
static void test_conv_transpose2d_same_output_size(void **state)
{
    const struct kernels *k = *state;
    float ones[64], y_big[16], ws_small[4096]; /* ones covers every x and w below */
    for (int i = 0; i < 64; i++)
        ones[i] = 1.0f;

    struct conv_transpose2d_shape s2 = { .batch = 1, .in_h = 2, .in_w = 2, .in_c = 1, .out_c = 1,
                                         .stride = 2 };
    static const float counts2[4] = { 1, 1, 2, 1 }, counts1[3] = { 2, 3, 2 };
    float want[16];
    for (int i = 0; i < 16; i++)
        want[i] = counts2[i / 4] * counts2[i % 4];
    assert_true(conv_transpose2d_workspace_floats(&s2) <= 4096);
    k->conv_transpose2d(&s2, ones, ones, NULL, y_big, ws_small);
    char what[96];
    snprintf(what, sizeof what, "%s conv_transpose2d of ones, stride 2", k->isa);
    assert_allclose(what, y_big, want, 16, 0, 0);

    struct conv_transpose2d_shape s1 = { .batch = 1, .in_h = 3, .in_w = 3, .in_c = 1, .out_c = 1,
                                         .stride = 1 };
    for (int i = 0; i < 9; i++)
        want[i] = counts1[i / 3] * counts1[i % 3];
    assert_true(conv_transpose2d_workspace_floats(&s1) <= 4096);
    k->conv_transpose2d(&s1, ones, ones, NULL, y_big, ws_small);
    snprintf(what, sizeof what, "%s conv_transpose2d of ones, stride 1", k->isa);
    assert_allclose(what, y_big, want, 9, 0, 0);

    struct conv_transpose2d_shape s = { .batch = 2, .in_h = 3, .in_w = 5, .in_c = 2, .out_c = 3,
                                        .stride = 2 };
    size_t ny = y_floats(&s), nws = conv_transpose2d_workspace_floats(&s);
    assert_true(x_floats(&s) <= 64 && w_floats(&s) <= 64);
    assert_int_equal(ny, (size_t)2 * 6 * 10 * 3);
    float *y = test_alloc_guarded(ny), *ws = test_alloc_guarded(nws);
    k->conv_transpose2d(&s, ones, ones, NULL, y, ws);
    snprintf(what, sizeof what, "%s conv_transpose2d 2x3x5x2 -> 2x6x10x3", k->isa);
    for (size_t i = 0; i < ny; i++)
        if (isnan(y[i]))
            fail_msg("%s: element %zu of %zu not written", what, i, ny);
    assert_guard_intact(what, y, ny);
    assert_guard_intact(what, ws, nws);
    free(y); free(ws);
}

/* ---- gradients ---------------------------------------------------------------- */

/* Central differences in double of the ISA's own forward under loss =
 * sum(y * g), step h; the denominators use the perturbed inputs as
 * actually rounded to float. */
#define FD_STEP 1e-2f

static double conv_loss(const struct kernels *k, const struct conv_transpose2d_shape *s, const float *x,
                        const float *w, const float *bias, const float *g, float *y, float *ws)
{
    k->conv_transpose2d(s, x, w, bias, y, ws);
    double loss = 0;
    for (size_t i = 0; i < y_floats(s); i++)
        loss += (double)y[i] * g[i];
    return loss;
}

/* The loss is linear in each input, so the only error is float rounding of
 * the few outputs the perturbed input reaches: 1e-3 relative, as the dense
 * layer's test. */
static void test_conv_transpose2d_gradients_fd(void **state)
{
    const struct kernels *k = *state;
    static const struct conv_transpose2d_shape shapes[] = {
        { .batch = 2, .in_h = 3, .in_w = 2, .in_c = 3, .out_c = 2, .stride = 1 },
        { .batch = 1, .in_h = 2, .in_w = 3, .in_c = 2, .out_c = 3, .stride = 2 },
    };
    for (size_t c = 0; c < sizeof shapes / sizeof shapes[0]; c++) {
        const struct conv_transpose2d_shape *s = &shapes[c];
        size_t nx = x_floats(s), ny = y_floats(s), nw = w_floats(s);
        size_t nws = conv_transpose2d_workspace_floats(s);
        float *x = test_alloc(nx), *w = test_alloc(nw), *bias = test_alloc((size_t)s->out_c);
        float *g = test_alloc(ny), *y = test_alloc(ny), *dx = test_alloc(nx), *dw = test_alloc(nw);
        float *ws = test_alloc(nws);
        fill_uniform(x, nx, -1, 1, 10 * c + 1);
        fill_uniform(w, nw, -1, 1, 10 * c + 2);
        fill_uniform(bias, (size_t)s->out_c, -1, 1, 10 * c + 3);
        fill_uniform(g, ny, -1, 1, 10 * c + 4);
        k->conv_transpose2d_backward_data(s, g, w, dx, ws);
        k->conv_transpose2d_backward_weights(s, x, g, dw, 0, ws);
        struct { const char *name; float *param, *grad; size_t count; } tensors[] = {
            { "dx", x, dx, nx }, { "dw", w, dw, nw },
        };
        for (size_t t = 0; t < 2; t++)
            for (size_t i = 0; i < tensors[t].count; i++) {
                float saved = tensors[t].param[i], xp = saved + FD_STEP, xm = saved - FD_STEP;
                tensors[t].param[i] = xp;
                double lp = conv_loss(k, s, x, w, bias, g, y, ws);
                tensors[t].param[i] = xm;
                double lm = conv_loss(k, s, x, w, bias, g, y, ws);
                tensors[t].param[i] = saved;
                double slope = (lp - lm) / ((double)xp - xm);
                if (fabs(tensors[t].grad[i] - slope) > 1e-3 * (1 + fabs(slope)))
                    fail_msg("%s conv_transpose2d stride %d %s[%zu]: %g, finite difference %g", k->isa,
                             s->stride, tensors[t].name, i, (double)tensors[t].grad[i], slope);
            }
        free(x); free(w); free(bias); free(g); free(y); free(dx); free(dw); free(ws);
    }
}

static double dot(size_t n, const float *a, const float *b)
{
    double acc = 0;
    for (size_t i = 0; i < n; i++)
        acc += (double)a[i] * b[i];
    return acc;
}

/* <dy, conv_transpose2d(x, w)> = <J_x^T dy, x> = <J_w^T dy, w>: the three are one
 * sum of the products dy x w, bracketed differently. Each float output
 * carries an error of at most about terms eps times the sum of its
 * products' magnitudes, so the three agree within 4 eps max(terms) S, where
 * S = <|dy|, conv_transpose2d(|x|, |w|)> (ref) is the sum of every product's magnitude
 * and terms is the longest sum (9 Cin, 9 Cout or B H W). */
static void test_conv_transpose2d_adjoint(void **state)
{
    const struct kernels *k = *state, *ref = ref_table();
    static const struct conv_transpose2d_shape shapes[] = {
        { .batch = 2, .in_h = 5, .in_w = 3, .in_c = 3, .out_c = 17, .stride = 1 },
        { .batch = 3, .in_h = 7, .in_w = 5, .in_c = 17, .out_c = 3, .stride = 2 },
        { .batch = 2, .in_h = 7, .in_w = 7, .in_c = 64, .out_c = 64, .stride = 2 },
    };
    for (size_t c = 0; c < sizeof shapes / sizeof shapes[0]; c++) {
        const struct conv_transpose2d_shape *s = &shapes[c];
        size_t nx = x_floats(s), ny = y_floats(s), nw = w_floats(s);
        float *x = test_alloc(nx), *w = test_alloc(nw), *dy = test_alloc(ny), *y = test_alloc(ny);
        float *dx = test_alloc(nx), *dw = test_alloc(nw);
        float *ws = test_alloc(conv_transpose2d_workspace_floats(s));
        fill_uniform(x, nx, -1, 1, 20 * c + 1);
        fill_uniform(w, nw, -1, 1, 20 * c + 2);
        fill_uniform(dy, ny, -1, 1, 20 * c + 3);
        k->conv_transpose2d(s, x, w, NULL, y, ws);
        k->conv_transpose2d_backward_data(s, dy, w, dx, ws);
        k->conv_transpose2d_backward_weights(s, x, dy, dw, 0, ws);
        double via_y = dot(ny, dy, y), via_x = dot(nx, dx, x), via_w = dot(nw, dw, w);

        for (size_t i = 0; i < nx; i++)
            x[i] = fabsf(x[i]);
        for (size_t i = 0; i < nw; i++)
            w[i] = fabsf(w[i]);
        for (size_t i = 0; i < ny; i++)
            dy[i] = fabsf(dy[i]);
        ref->conv_transpose2d(s, x, w, NULL, y, NULL);
        double magnitude = dot(ny, dy, y);
        double terms = fmax(9.0 * fmax(s->in_c, s->out_c), (double)s->batch * s->in_h * s->in_w);
        double tol = 4 * FLT_EPSILON * terms * magnitude;
        if (fabs(via_x - via_y) > tol || fabs(via_w - via_y) > tol)
            fail_msg("%s conv_transpose2d stride %d: <dy, y> = %.9g, <dx, x> = %.9g, <dw, w> = %.9g "
                     "(tolerance %.3g)", k->isa, s->stride, via_y, via_x, via_w, tol);
        free(x); free(w); free(dy); free(y); free(dx); free(dw); free(ws);
    }
}

/* ---- registration ----------------------------------------------------------- */

static const struct isa_test isa_tests[] = {
    { "conv_transpose2d (3 directions) matches ref", test_conv_transpose2d_matches_ref, 0 },
    { "conv_transpose2d matches ref at the network shapes", test_conv_transpose2d_network_shapes, 0 },
    { "conv_transpose2d places each tap as Keras 'same'", test_conv_transpose2d_tap_placement, 1 },
    { "conv_transpose2d 'same' output size and TensorFlow's values", test_conv_transpose2d_same_output_size,
      1 },
    { "conv_transpose2d gradients match finite differences", test_conv_transpose2d_gradients_fd, 1 },
    { "conv_transpose2d forward and backwards are adjoint", test_conv_transpose2d_adjoint, 1 },
};
#define ISA_TEST_COUNT (sizeof isa_tests / sizeof isa_tests[0])

size_t conv_transpose2d_kernel_tests(struct CMUnitTest *out)
{
    static char names[4 * ISA_TEST_COUNT][ISA_TEST_NAME_SIZE];
    return collect_isa_tests(isa_tests, ISA_TEST_COUNT, names, out);
}
