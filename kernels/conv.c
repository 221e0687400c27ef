/* conv2d and the transposed convolution as GEMMs, plain C (see conv.h).
 *
 * Forward and backward-data passes are indirect GEMMs (igemm.h) with one row
 * per output pixel, so each output element is one dot product over taps and
 * channels, written once:
 *   conv2d                rows: y's pixels, taps read x at (i + kh - p, j + kw - p),
 *                         B_t[ci][co] = w[t][ci][co]
 *   conv2d_backward_data  rows: dx's pixels, taps read dy at (i + p - kh, j + p - kw),
 *                         B_t[co][ci] = w[t][ci][co]
 *   conv_transpose2d_backward_data
 *                         rows: dx's pixels, taps read dy at (i s + kh - pad, j s + kw - pad),
 *                         B_t[co][ci] = w[t][co][ci]
 *   conv_transpose2d      rows: y's pixels of one parity (oh mod s, ow mod s); output
 *                         row oh = q s + a takes the taps kh = a + pad (mod s) from x row
 *                         q + (a + pad - kh) / s. At stride 2 the four parities have 4, 2,
 *                         2 and 1 taps: the 9 of the convolution, no multiply by the zeros
 *                         a zero-upsampled input would have.
 * The weight gradients are GEMMs whose k runs over every pixel of the batch
 * (igemm_weight_gradient): A is im2col of the tensor the taps read, B the
 * gradient at the other side.
 */
#include <string.h>
#include "conv.h"

static size_t max_size(size_t x, size_t y)
{
    return x > y ? x : y;
}

/* The microkernel for an output of n channels. */
static const struct igemm_microkernel *igemm_for(const struct conv_isa *isa, int n)
{
    return n < 4 ? isa->igemm_narrow : isa->igemm;
}

/* The row of zeros the padding taps read (channels floats at the start of
 * the workspace) and, after it, the igemm's packed weights. */
static float *zero_row(float *workspace, int channels)
{
    memset(workspace, 0, (size_t)channels * sizeof(float));
    return workspace;
}

/* ---- conv2d -------------------------------------------------------------------- */

/* The GEMM over the pixels of x (or dy: same grid) with the kernel's taps at
 * offsets sign * (kh - p, kw - p), reading src with `channels` channels. */
static struct conv_gemm conv2d_gemm(const struct conv2d_shape *s, const float *src, int channels,
                                    int sign)
{
    struct conv_gemm g = {
        .batch = s->batch, .rows_h = s->height, .rows_w = s->width,
        .src = src, .src_h = s->height, .src_w = s->width, .src_c = channels, .src_stride = 1,
        .taps = s->kernel * s->kernel,
        .tap_floats = (size_t)s->in_c * s->out_c,
        .dst_h = s->height, .dst_w = s->width, .dst_stride = 1,
    };
    const int p = s->kernel / 2;
    for (int t = 0; t < g.taps; t++) {
        g.tap_dh[t] = sign * (t / s->kernel - p);
        g.tap_dw[t] = sign * (t % s->kernel - p);
        g.tap_weight[t] = t;
    }
    return g;
}

size_t conv2d_workspace_floats(const struct conv2d_shape *s)
{
    const int taps = s->kernel * s->kernel;
    const size_t forward = (size_t)s->in_c + igemm_packed_floats(taps, s->in_c, s->out_c);
    const size_t backward = (size_t)s->out_c + igemm_packed_floats(taps, s->out_c, s->in_c);
    const size_t weights = (size_t)taps * s->in_c * s->out_c; /* igemm_weight_gradient's partial */
    return max_size(max_size(forward, backward), weights);
}

void conv2d_igemm(const struct conv_isa *isa, const struct conv2d_shape *s, const float *x,
                  const float *w, const float *bias, enum activation act, const float *residual,
                  float *y, float *workspace)
{
    struct conv_gemm g = conv2d_gemm(s, x, s->in_c, 1);
    g.w = w, g.stride_k = (size_t)s->out_c, g.stride_n = 1;
    g.dst = y, g.dst_c = s->out_c, g.residual = residual;
    const float *zeros = zero_row(workspace, s->in_c);
    igemm_conv(igemm_for(isa, g.dst_c), &g, bias, act, zeros, workspace + s->in_c);
}

void conv2d_backward_data_igemm(const struct conv_isa *isa, const struct conv2d_shape *s,
                                const float *dy, const float *w, float *dx, float *workspace)
{
    struct conv_gemm g = conv2d_gemm(s, dy, s->out_c, -1);
    g.w = w, g.stride_k = 1, g.stride_n = (size_t)s->out_c;
    g.dst = dx, g.dst_c = s->in_c;
    const float *zeros = zero_row(workspace, s->out_c);
    igemm_conv(igemm_for(isa, g.dst_c), &g, NULL, ACTIVATION_NONE, zeros, workspace + s->out_c);
}

void conv2d_backward_weights_gemm(const struct conv_isa *isa, const struct conv2d_shape *s,
                                  const float *x, const float *dy, float *dw, int accumulate,
                                  float *workspace)
{
    const struct conv_gemm g = conv2d_gemm(s, x, s->in_c, 1);
    igemm_weight_gradient(isa->wgemm, &g, dy, s->out_c, dw, accumulate, workspace);
}

/* ---- the transposed convolution ---------------------------------------------- */

/* The GEMM over x's pixels whose taps read dy (or its shape's y) at
 * (i s + kh - pad, j s + kw - pad): backward-data and the weight gradient. */
static struct conv_gemm transposed_input_gemm(const struct conv_transpose2d_shape *s,
                                              const float *dy)
{
    const int pad = conv_transpose2d_pad(s->stride);
    struct conv_gemm g = {
        .batch = s->batch, .rows_h = s->in_h, .rows_w = s->in_w,
        .src = dy, .src_h = s->in_h * s->stride, .src_w = s->in_w * s->stride,
        .src_c = s->out_c, .src_stride = s->stride,
        .taps = 9,
        .dst_h = s->in_h, .dst_w = s->in_w, .dst_c = s->in_c, .dst_stride = 1,
    };
    for (int t = 0; t < 9; t++) {
        g.tap_dh[t] = t / 3 - pad;
        g.tap_dw[t] = t % 3 - pad;
        g.tap_weight[t] = t;
    }
    return g;
}

size_t conv_transpose2d_workspace_floats(const struct conv_transpose2d_shape *s)
{
    const size_t forward = (size_t)s->in_c + igemm_packed_floats(9, s->in_c, s->out_c);
    const size_t backward = (size_t)s->out_c + igemm_packed_floats(9, s->out_c, s->in_c);
    const size_t weights = (size_t)9 * s->in_c * s->out_c; /* igemm_weight_gradient's partial */
    return max_size(max_size(forward, backward), weights);
}

void conv_transpose2d_igemm(const struct conv_isa *isa, const struct conv_transpose2d_shape *s,
                            const float *x, const float *w, const float *bias, float *y,
                            float *workspace)
{
    const int stride = s->stride, pad = conv_transpose2d_pad(stride);
    const float *zeros = zero_row(workspace, s->in_c);
    for (int a = 0; a < stride; a++)
        for (int b = 0; b < stride; b++) {
            struct conv_gemm g = {
                .batch = s->batch, .rows_h = s->in_h, .rows_w = s->in_w,
                .src = x, .src_h = s->in_h, .src_w = s->in_w, .src_c = s->in_c, .src_stride = 1,
                .w = w, .tap_floats = (size_t)s->out_c * s->in_c,
                .stride_k = 1, .stride_n = (size_t)s->in_c,
                .dst = y, .dst_h = s->in_h * stride, .dst_w = s->in_w * stride,
                .dst_c = s->out_c, .dst_stride = stride, .dst_oh = a, .dst_ow = b,
            };
            for (int kh = 0; kh < 3; kh++)
                for (int kw = 0; kw < 3; kw++) {
                    if ((a + pad - kh) % stride != 0 || (b + pad - kw) % stride != 0)
                        continue;
                    g.tap_dh[g.taps] = (a + pad - kh) / stride;
                    g.tap_dw[g.taps] = (b + pad - kw) / stride;
                    g.tap_weight[g.taps++] = kh * 3 + kw;
                }
            igemm_conv(igemm_for(isa, g.dst_c), &g, bias, ACTIVATION_NONE, zeros, workspace + s->in_c);
        }
}

void conv_transpose2d_backward_data_igemm(const struct conv_isa *isa,
                                          const struct conv_transpose2d_shape *s, const float *dy,
                                          const float *w, float *dx, float *workspace)
{
    struct conv_gemm g = transposed_input_gemm(s, dy);
    g.w = w, g.tap_floats = (size_t)s->out_c * s->in_c;
    g.stride_k = (size_t)s->in_c, g.stride_n = 1;
    g.dst = dx;
    const float *zeros = zero_row(workspace, s->out_c);
    igemm_conv(igemm_for(isa, g.dst_c), &g, NULL, ACTIVATION_NONE, zeros, workspace + s->out_c);
}

void conv_transpose2d_backward_weights_gemm(const struct conv_isa *isa,
                                            const struct conv_transpose2d_shape *s, const float *x,
                                            const float *dy, float *dw, int accumulate,
                                            float *workspace)
{
    const struct conv_gemm g = transposed_input_gemm(s, dy);
    igemm_weight_gradient(isa->wgemm, &g, x, s->in_c, dw, accumulate, workspace);
}
