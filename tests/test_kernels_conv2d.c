/* conv2d (forward with bias and activation, backward-data, backward-weights)
 * of every ISA compiled in: against the scalar reference on odd shapes and
 * the U-Net's shapes, Keras 'same' tap placement against hand-computed
 * outputs, the gradients against central finite differences, the adjoint
 * identity, and bit-identical results on 1 and 2 threads for conv2d, the
 * transposed convolution and sgemm. Tolerances are stated beside each
 * check; the helpers follow tests/test_kernels_conv.c. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "kernels/kernels.h"
#include "test_util.h"

static const struct kernels *ref_table(void)
{
    const struct kernels *ref = kernels_by_name("ref");
    assert_non_null(ref);
    return ref;
}

/* Tensor sizes in floats. */
static size_t x_floats(const struct conv2d_shape *s)
{
    return (size_t)s->batch * s->height * s->width * s->in_c;
}

static size_t y_floats(const struct conv2d_shape *s)
{
    return (size_t)s->batch * s->height * s->width * s->out_c;
}

static size_t w_floats(const struct conv2d_shape *s)
{
    return (size_t)s->kernel * s->kernel * s->in_c * s->out_c;
}

static const char *const activation_names[] = { "none", "relu", "sigmoid", "swish" };

static void describe_shape(char *buf, size_t size, const struct kernels *k, const char *op,
                           const struct conv2d_shape *s)
{
    snprintf(buf, size, "%s %s batch=%d %dx%dx%d -> out_c=%d kernel=%d", k->isa, op, s->batch,
             s->height, s->width, s->in_c, s->out_c, s->kernel);
}

/* ---- against ref -------------------------------------------------------------- */

/* ref's outputs for one case: computed on first use, or kept from an
 * earlier ISA's run of the same case (same shape, seeds and flags). */
struct ref_outputs {
    float *y, *dx, *dw;
};

/* One shape through k and ref, data uniform in [-1, 1] (so every product is
 * at most 1 in magnitude). Each output is a float sum of `terms` products
 * against ref's double sum: tolerance 4 eps terms, terms = kernel^2 Cin (+1
 * for the bias) forward, kernel^2 Cout for dx, B H W (+1 for the accumulated
 * dw) for dw. An activation multiplies the pre-activation's error by its
 * slope, at most 1.1 (swish's maximum is 1.0998; relu and sigmoid are <= 1),
 * and adds its own rounding: 1e-6 relative, as the activations' own test.
 * Outputs start as NaN (test_alloc) so that an element left unwritten shows;
 * y, dx, dw and the workspace have a guard after them. saved: where ref's
 * outputs are kept across ISAs, or NULL to compute them for this call only. */
static void check_conv2d_case(const struct kernels *k, const struct conv2d_shape *s, int with_bias,
                              enum activation act, int accumulate, uint64_t seed,
                              struct ref_outputs *saved)
{
    const struct kernels *ref = ref_table();
    size_t nx = x_floats(s), ny = y_floats(s), nw = w_floats(s), nws = conv2d_workspace_floats(s);
    float *x = test_alloc(nx), *w = test_alloc(nw), *bias = test_alloc((size_t)s->out_c);
    float *dy = test_alloc(ny), *y = test_alloc_guarded(ny), *dx = test_alloc_guarded(nx);
    float *residual = test_alloc(ny);
    float *dw = test_alloc_guarded(nw), *ws = test_alloc_guarded(nws);
    fill_uniform(x, nx, -1, 1, seed);
    fill_uniform(w, nw, -1, 1, seed + 1);
    fill_uniform(bias, (size_t)s->out_c, -1, 1, seed + 2);
    fill_uniform(dy, ny, -1, 1, seed + 3);
    fill_uniform(residual, ny, -1, 1, seed + 5);
    if (accumulate)
        fill_uniform(dw, nw, -1, 1, seed + 4);
    /* with a bias, the residual block's add too */
    const float *b = with_bias ? bias : NULL, *r = with_bias ? residual : NULL;
    struct ref_outputs fresh = { NULL, NULL, NULL }, *want = saved ? saved : &fresh;
    if (!want->y) {
        want->y = test_alloc(ny), want->dx = test_alloc(nx), want->dw = test_alloc(nw);
        if (accumulate)
            memcpy(want->dw, dw, nw * sizeof *dw);
        ref->conv2d(s, x, w, b, act, r, want->y, NULL);
        ref->conv2d_backward_data(s, dy, w, want->dx, NULL);
        ref->conv2d_backward_weights(s, x, dy, want->dw, accumulate, NULL);
    }
    const float taps = (float)(s->kernel * s->kernel);
    char what[192], op[64];

    k->conv2d(s, x, w, b, act, r, y, ws);
    snprintf(op, sizeof op, "conv2d (%s, act %s)", with_bias ? "bias and residual" : "no bias", activation_names[act]);
    describe_shape(what, sizeof what, k, op, s);
    float slope = act == ACTIVATION_NONE || act == ACTIVATION_RELU ? 1.0f : 1.1f;
    float rtol = act == ACTIVATION_SIGMOID || act == ACTIVATION_SWISH ? 1e-6f : 0.0f;
    assert_allclose(what, y, want->y, ny, slope * 4 * FLT_EPSILON * (taps * s->in_c + 1), rtol);
    assert_guard_intact(what, y, ny);
    assert_guard_intact(what, ws, nws);

    k->conv2d_backward_data(s, dy, w, dx, ws);
    describe_shape(what, sizeof what, k, "conv2d_backward_data", s);
    assert_allclose(what, dx, want->dx, nx, 4 * FLT_EPSILON * taps * s->out_c, 0);
    assert_guard_intact(what, dx, nx);
    assert_guard_intact(what, ws, nws);

    k->conv2d_backward_weights(s, x, dy, dw, accumulate, ws);
    describe_shape(what, sizeof what, k,
                   accumulate ? "conv2d_backward_weights (accumulate)" : "conv2d_backward_weights", s);
    float positions = (float)s->batch * (float)s->height * (float)s->width;
    assert_allclose(what, dw, want->dw, nw, 4 * FLT_EPSILON * (positions + 1), 0);
    assert_guard_intact(what, dw, nw);
    assert_guard_intact(what, ws, nws);

    free(x); free(w); free(bias); free(dy); free(y); free(dx); free(dw); free(ws); free(residual);
    free(fresh.y); free(fresh.dx); free(fresh.dw);
}

/* Every height x width in {1, 2, 3, 5, 7}^2 (smaller than, equal to and
 * larger than the 3x3 window), channels in {1, 3, 17, 33}^2 (below, at and
 * around every vector width and microkernel panel), both kernels. Batch,
 * activation, bias and accumulate cycle with the case number c at periods
 * that do not line up with the loops (the activation is (co + ci + the size
 * and kernel's index) mod 4 in the loops' indices), so each meets every
 * kernel, channel pair and size. */
static void test_conv2d_matches_ref(void **state)
{
    const struct kernels *k = *state;
    static const int sizes[] = { 1, 2, 3, 5, 7 }, channels[] = { 1, 3, 17, 33 };
    unsigned c = 0;
    for (int kernel = 1; kernel <= 3; kernel += 2)
        for (size_t h = 0; h < 5; h++)
            for (size_t w = 0; w < 5; w++)
                for (size_t ci = 0; ci < 4; ci++)
                    for (size_t co = 0; co < 4; co++, c++) {
                        struct conv2d_shape s = {
                            .batch = 1 + (int)(c % 3), .height = sizes[h], .width = sizes[w],
                            .in_c = channels[ci], .out_c = channels[co], .kernel = kernel,
                        };
                        enum activation act = (enum activation)((c + c / 4 + c / 16) % 4);
                        check_conv2d_case(k, &s, (int)(c / 3 % 2), act, (int)(c / 5 % 2), 7 * c + 1, NULL);
                    }
}

/* The U-Net's convolutions at batch 8 (the benchmark runs batch 64; 8 keeps
 * ref, the oracle, at a few seconds): the down path 32 -> 32 at 28x28,
 * 64 -> 64 at 14x14, 96 -> 96 at 7x7; the up path's concatenated inputs
 * (96 + 64) -> 64 at 14x14 and (64 + 32) -> 32 at 28x28; the 1x1 convs in
 * (1 -> 32), out (32 -> 1) and of the width-changing skip (32 -> 64 at
 * 14x14); and a 3x3 first layer on 3 channels. */
static const struct conv2d_shape unet_shapes[] = {
    { .batch = 8, .height = 28, .width = 28, .in_c = 32, .out_c = 32, .kernel = 3 },
    { .batch = 8, .height = 14, .width = 14, .in_c = 64, .out_c = 64, .kernel = 3 },
    { .batch = 8, .height = 7, .width = 7, .in_c = 96, .out_c = 96, .kernel = 3 },
    { .batch = 8, .height = 14, .width = 14, .in_c = 96 + 64, .out_c = 64, .kernel = 3 },
    { .batch = 8, .height = 28, .width = 28, .in_c = 64 + 32, .out_c = 32, .kernel = 3 },
    { .batch = 8, .height = 28, .width = 28, .in_c = 32, .out_c = 1, .kernel = 1 },
    { .batch = 8, .height = 28, .width = 28, .in_c = 1, .out_c = 32, .kernel = 1 },
    { .batch = 8, .height = 28, .width = 28, .in_c = 3, .out_c = 32, .kernel = 3 },
    { .batch = 8, .height = 14, .width = 14, .in_c = 32, .out_c = 64, .kernel = 1 },
};
#define UNET_SHAPES (sizeof unet_shapes / sizeof unet_shapes[0])

/* ref takes most of the time here (about 2 s a pass), so its outputs are
 * computed by the first ISA and kept for the others, until the process ends. */
static void test_conv2d_unet_shapes(void **state)
{
    const struct kernels *k = *state;
    static struct ref_outputs kept[UNET_SHAPES];
    for (size_t i = 0; i < UNET_SHAPES; i++)
        check_conv2d_case(k, &unet_shapes[i], 1, (enum activation)(i % 4), (int)(i % 2), 900 + 5 * i,
                          &kept[i]);
}

/* ---- Keras 'same': where each tap lands ----------------------------------------- */

/* y[i, j] = sum x[i + kh - p, j + kw - p] w[kh, kw] (p = kernel / 2), so with
 * x = 1 at input pixel (h, v) and w = 1 at tap (kh, kw), one channel, y is 1
 * exactly at (h - kh + p, v - kw + p) when that is inside the 3x3 image and
 * 0 everywhere else. Exact: one product of ones, the rest zeros. */
static void test_conv2d_tap_placement(void **state)
{
    const struct kernels *k = *state;
    for (int kernel = 1; kernel <= 3; kernel += 2) {
        struct conv2d_shape s = { .batch = 1, .height = 3, .width = 3, .in_c = 1, .out_c = 1, .kernel = kernel };
        const int taps = kernel * kernel, p = kernel / 2;
        size_t nws = conv2d_workspace_floats(&s);
        float x[9], w[9], want[9], *y = test_alloc_guarded(9), *ws = test_alloc_guarded(nws);
        for (int pixel = 0; pixel < 9; pixel++)
            for (int tap = 0; tap < taps; tap++) {
                for (int i = 0; i < 9; i++) {
                    x[i] = i == pixel ? 1.0f : 0.0f;
                    w[i] = i == tap ? 1.0f : 0.0f;
                }
                int oh = pixel / 3 - tap / kernel + p, ow = pixel % 3 - tap % kernel + p;
                for (int i = 0; i < 9; i++)
                    want[i] = i == oh * 3 + ow && oh >= 0 && oh < 3 && ow >= 0 && ow < 3;
                k->conv2d(&s, x, w, NULL, ACTIVATION_NONE, NULL, y, ws);
                char what[128];
                snprintf(what, sizeof what, "%s conv2d kernel=%d pixel=(%d,%d) tap=(%d,%d)", k->isa,
                         kernel, pixel / 3, pixel % 3, tap / kernel, tap % kernel);
                assert_allclose(what, y, want, 9, 0, 0);
                assert_guard_intact(what, y, 9);
                assert_guard_intact(what, ws, nws);
            }
        free(y); free(ws);
    }
}

/* ---- gradients ---------------------------------------------------------------- */

/* Central differences in double of the ISA's own forward (act none) under
 * loss = sum(y * g), step h; the denominators use the perturbed inputs as
 * actually rounded to float. */
#define FD_STEP 1e-2f

static double conv2d_loss(const struct kernels *k, const struct conv2d_shape *s, const float *x,
                          const float *w, const float *bias, const float *g, float *y, float *ws)
{
    k->conv2d(s, x, w, bias, ACTIVATION_NONE, NULL, y, ws);
    double loss = 0;
    for (size_t i = 0; i < y_floats(s); i++)
        loss += (double)y[i] * g[i];
    return loss;
}

/* The loss is linear in each input, so the only error is float rounding of
 * the few outputs the perturbed input reaches: 1e-3 relative, as the
 * transposed convolution's and the dense layer's tests. */
static void test_conv2d_gradients_fd(void **state)
{
    const struct kernels *k = *state;
    static const struct conv2d_shape shapes[] = {
        { .batch = 2, .height = 3, .width = 2, .in_c = 3, .out_c = 2, .kernel = 3 },
        { .batch = 1, .height = 3, .width = 4, .in_c = 2, .out_c = 3, .kernel = 3 },
        { .batch = 2, .height = 2, .width = 3, .in_c = 3, .out_c = 2, .kernel = 1 },
    };
    for (size_t c = 0; c < sizeof shapes / sizeof shapes[0]; c++) {
        const struct conv2d_shape *s = &shapes[c];
        size_t nx = x_floats(s), ny = y_floats(s), nw = w_floats(s);
        float *x = test_alloc(nx), *w = test_alloc(nw), *bias = test_alloc((size_t)s->out_c);
        float *g = test_alloc(ny), *y = test_alloc(ny), *dx = test_alloc(nx), *dw = test_alloc(nw);
        float *ws = test_alloc(conv2d_workspace_floats(s));
        fill_uniform(x, nx, -1, 1, 10 * c + 1);
        fill_uniform(w, nw, -1, 1, 10 * c + 2);
        fill_uniform(bias, (size_t)s->out_c, -1, 1, 10 * c + 3);
        fill_uniform(g, ny, -1, 1, 10 * c + 4);
        k->conv2d_backward_data(s, g, w, dx, ws);
        k->conv2d_backward_weights(s, x, g, dw, 0, ws);
        struct { const char *name; float *param, *grad; size_t count; } tensors[] = {
            { "dx", x, dx, nx }, { "dw", w, dw, nw },
        };
        for (size_t t = 0; t < 2; t++)
            for (size_t i = 0; i < tensors[t].count; i++) {
                float saved = tensors[t].param[i], xp = saved + FD_STEP, xm = saved - FD_STEP;
                tensors[t].param[i] = xp;
                double lp = conv2d_loss(k, s, x, w, bias, g, y, ws);
                tensors[t].param[i] = xm;
                double lm = conv2d_loss(k, s, x, w, bias, g, y, ws);
                tensors[t].param[i] = saved;
                double slope = (lp - lm) / ((double)xp - xm);
                if (fabs(tensors[t].grad[i] - slope) > 1e-3 * (1 + fabs(slope))) {
                    char what[160];
                    describe_shape(what, sizeof what, k, "conv2d gradient", s);
                    fail_msg("%s: %s[%zu] is %g, finite difference %g", what, tensors[t].name, i,
                             (double)tensors[t].grad[i], slope);
                }
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

/* <dy, conv(x, w)> = <J_x^T dy, x> = <J_w^T dy, w>: the three are one sum
 * of the products dy x w, bracketed differently. Each float output carries
 * an error of at most about terms eps times the sum of its products'
 * magnitudes, so the three agree within 4 eps max(terms) S, where
 * S = <|dy|, conv(|x|, |w|)> (ref) is the sum of every product's magnitude
 * and terms is the longest sum (kernel^2 Cin, kernel^2 Cout or B H W). */
static void test_conv2d_adjoint(void **state)
{
    const struct kernels *k = *state, *ref = ref_table();
    static const struct conv2d_shape shapes[] = {
        { .batch = 2, .height = 5, .width = 3, .in_c = 3, .out_c = 17, .kernel = 3 },
        { .batch = 3, .height = 7, .width = 5, .in_c = 17, .out_c = 3, .kernel = 1 },
        { .batch = 2, .height = 7, .width = 7, .in_c = 64, .out_c = 64, .kernel = 3 },
    };
    for (size_t c = 0; c < sizeof shapes / sizeof shapes[0]; c++) {
        const struct conv2d_shape *s = &shapes[c];
        size_t nx = x_floats(s), ny = y_floats(s), nw = w_floats(s);
        float *x = test_alloc(nx), *w = test_alloc(nw), *dy = test_alloc(ny), *y = test_alloc(ny);
        float *dx = test_alloc(nx), *dw = test_alloc(nw);
        float *ws = test_alloc(conv2d_workspace_floats(s));
        fill_uniform(x, nx, -1, 1, 20 * c + 1);
        fill_uniform(w, nw, -1, 1, 20 * c + 2);
        fill_uniform(dy, ny, -1, 1, 20 * c + 3);
        k->conv2d(s, x, w, NULL, ACTIVATION_NONE, NULL, y, ws);
        k->conv2d_backward_data(s, dy, w, dx, ws);
        k->conv2d_backward_weights(s, x, dy, dw, 0, ws);
        double via_y = dot(ny, dy, y), via_x = dot(nx, dx, x), via_w = dot(nw, dw, w);

        struct { float *p; size_t n; } all[] = { { x, nx }, { w, nw }, { dy, ny } };
        for (size_t t = 0; t < 3; t++)
            for (size_t i = 0; i < all[t].n; i++)
                all[t].p[i] = fabsf(all[t].p[i]);
        ref->conv2d(s, x, w, NULL, ACTIVATION_NONE, NULL, y, NULL);
        double magnitude = dot(ny, dy, y), taps = (double)s->kernel * s->kernel;
        double terms = fmax(taps * fmax(s->in_c, s->out_c), (double)s->batch * s->height * s->width);
        double tol = 4 * FLT_EPSILON * terms * magnitude;
        char what[160];
        describe_shape(what, sizeof what, k, "conv2d adjoint", s);
        if (fabs(via_x - via_y) > tol || fabs(via_w - via_y) > tol)
            fail_msg("%s: <dy, y> = %.9g, <dx, x> = %.9g, <dw, w> = %.9g (tolerance %.3g)", what, via_y,
                     via_x, via_w, tol);
        free(x); free(w); free(dy); free(y); free(dx); free(dw); free(ws);
    }
}

/* ---- threads -------------------------------------------------------------------- */

/* The kernels split their work so that each output element is summed in
 * one fixed order (kernels.h): results must be bit-identical for any thread
 * count. The shapes are large enough to go parallel (every call opened a
 * multi-thread OpenMP region when this was written): the convolutions at
 * batch 16 are 6 to 230 MFLOP per call over thousands of pixels, far above
 * the kernels' threshold of about 4 MFLOP; the sgemms have blocks over
 * 4 MFLOP and more than one column panel (n = 64 > 48, the widest panel).
 * Without OpenMP (the qemu-run NEON build) the kernels are single-threaded
 * and there is nothing to compare. */
static void test_threads_bit_identical(void **state)
{
    const struct kernels *k = *state;
#ifndef _OPENMP
    print_message("%s: built without OpenMP, single-threaded: nothing to compare\n", k->isa);
    skip();
#else
    static const struct conv2d_shape conv2d_shapes[] = {
        { .batch = 16, .height = 28, .width = 28, .in_c = 32, .out_c = 32, .kernel = 3 },
        { .batch = 16, .height = 14, .width = 14, .in_c = 32, .out_c = 64, .kernel = 1 },
    };
    static const struct conv_transpose2d_shape convt_shapes[] = {
        { .batch = 16, .in_h = 14, .in_w = 14, .in_c = 64, .out_c = 32, .stride = 2 },
        { .batch = 16, .in_h = 7, .in_w = 7, .in_c = 64, .out_c = 64, .stride = 2 },
    };
    /* The im2col GEMM of the 28x28 32 -> 64 conv at batch 16, a dense
     * layer's input gradient and a weight gradient over 3136 rows. */
    static const struct { enum gemm_layout layout; int m, n, k; const char *name; } gemms[] = {
        { GEMM_NN, 784 * 16, 64, 288, "NN" }, { GEMM_NT, 64, 3136, 784, "NT" }, { GEMM_TN, 576, 64, 3136, "TN" },
    };
    /* Every input is read from one pool of uniform data (the largest is
     * sgemm NN's A); the outputs are at most NN's C. */
    enum { POOL = 784 * 16 * 288 + 256, OUT = 784 * 16 * 64 };
    float *pool = test_alloc(POOL), *out[2][3];
    fill_uniform(pool, POOL, -1, 1, 7);
    const float *x = pool, *w = pool + 64, *dy = pool + 128, *bias = pool + 192;
    for (int t = 0; t < 2; t++)
        for (int o = 0; o < 3; o++)
            out[t][o] = test_alloc(OUT);
    const int saved = omp_get_max_threads();
    char what[192];
    for (size_t c = 0; c < 2 + 2 + 3; c++) {
        size_t sizes[3] = { 0, 0, 0 };
        float *ws = NULL;
        for (int t = 0; t < 2; t++) {
            omp_set_num_threads(t + 1);
            if (c < 2) {
                const struct conv2d_shape *s = &conv2d_shapes[c];
                sizes[0] = y_floats(s), sizes[1] = x_floats(s), sizes[2] = w_floats(s);
                ws = ws ? ws : test_alloc(conv2d_workspace_floats(s));
                describe_shape(what, sizeof what, k, "conv2d (swish), backward_data, backward_weights", s);
                k->conv2d(s, x, w, bias, ACTIVATION_SWISH, NULL, out[t][0], ws);
                k->conv2d_backward_data(s, dy, w, out[t][1], ws);
                k->conv2d_backward_weights(s, x, dy, out[t][2], 0, ws);
            } else if (c < 4) {
                const struct conv_transpose2d_shape *s = &convt_shapes[c - 2];
                sizes[1] = (size_t)s->batch * s->in_h * s->in_w * s->in_c;
                sizes[0] = sizes[1] / s->in_c * s->stride * s->stride * s->out_c;
                sizes[2] = 9 * (size_t)s->in_c * s->out_c;
                ws = ws ? ws : test_alloc(conv_transpose2d_workspace_floats(s));
                snprintf(what, sizeof what, "%s conv_transpose2d (3 directions) batch=%d in=%dx%dx%d out_c=%d "
                         "stride=%d", k->isa, s->batch, s->in_h, s->in_w, s->in_c, s->out_c, s->stride);
                k->conv_transpose2d(s, x, w, bias, out[t][0], ws);
                k->conv_transpose2d_backward_data(s, dy, w, out[t][1], ws);
                k->conv_transpose2d_backward_weights(s, x, dy, out[t][2], 0, ws);
            } else {
                const int m = gemms[c - 4].m, n = gemms[c - 4].n, kk = gemms[c - 4].k;
                const enum gemm_layout layout = gemms[c - 4].layout;
                sizes[0] = (size_t)m * n;
                snprintf(what, sizeof what, "%s sgemm %s m=%d n=%d k=%d (bias, relu)", k->isa,
                         gemms[c - 4].name, m, n, kk);
                k->sgemm(layout, m, n, kk, x, layout == GEMM_TN ? m : kk, w, layout == GEMM_NT ? kk : n,
                         out[t][0], n, 0, bias, ACTIVATION_RELU);
            }
        }
        omp_set_num_threads(saved); /* before any failure: later tests get the usual count */
        for (int o = 0; o < 3; o++)
            if (memcmp(out[0][o], out[1][o], sizes[o] * sizeof(float)) != 0)
                fail_msg("%s: output %d differs between 1 and 2 threads", what, o);
        free(ws);
    }
    for (int t = 0; t < 2; t++)
        for (int o = 0; o < 3; o++)
            free(out[t][o]);
    free(pool);
#endif
}

/* ---- registration ----------------------------------------------------------- */

static const struct isa_test isa_tests[] = {
    { "conv2d (3 directions) matches ref", test_conv2d_matches_ref, 0 },
    { "conv2d matches ref at the U-Net shapes (batch 8)", test_conv2d_unet_shapes, 0 },
    { "conv2d places each tap as Keras 'same'", test_conv2d_tap_placement, 1 },
    { "conv2d gradients match finite differences", test_conv2d_gradients_fd, 1 },
    { "conv2d forward and backwards are adjoint", test_conv2d_adjoint, 1 },
    /* ref is scalar and never threaded. */
    { "conv and sgemm results are bit-identical on 1 and 2 threads", test_threads_bit_identical, 0 },
};
#define ISA_TEST_COUNT (sizeof isa_tests / sizeof isa_tests[0])

size_t conv2d_kernel_tests(struct CMUnitTest *out)
{
    static char names[4 * ISA_TEST_COUNT][ISA_TEST_NAME_SIZE];
    return collect_isa_tests(isa_tests, ISA_TEST_COUNT, names, out);
}
