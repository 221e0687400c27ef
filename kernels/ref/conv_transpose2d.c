/* Scalar reference 3x3 transposed convolution (forward, backward-data,
 * backward-weights) and row sum: each output element is one direct sum over
 * the definition in kernels.h, accumulated in double.
 *
 * The padding, checked against TensorFlow's documentation and source:
 * tf.nn.conv2d_transpose is documented as the gradient of tf.nn.conv2d with
 * respect to its input, so its 'SAME' padding is that of the conv2d mapping
 * y (size H * stride) back to x (size H). For conv2d 'SAME', TensorFlow
 * (the padding notes of tf.nn; GetWindowedOutputSize in
 * tensorflow/core/framework/kernel_shape_util.cc) takes out = ceil(in /
 * stride), a total padding of max((out - 1) * stride + filter - in, 0), and
 * puts total / 2 (the smaller half) before. Here in = H * stride, out = H,
 * filter = 3: total = max(3 - stride, 0), so 1 before (and 1 after) for
 * stride 1 and 0 before (1 after) for stride 2. That conv2d computes
 * x[i] = sum_k y[i * stride + k - pad] w[k] (a correlation, no flip), so its
 * transpose adds x[i] w[k] into y[i * stride + k - pad], the formula in
 * kernels.h; for stride 2 the tap k = 2 of the last input row lands in the
 * padding after y and is dropped. Keras' Conv2DTranspose sizes its output
 * with deconv_output_length, which for 'same' is input * stride.
 * tests/test_kernels_conv.c pins this with hand-computed outputs. */
#include "ref.h"

/* The input row (or column) whose tap k lands on output row o, or -1:
 * o = i * stride + k - pad solved for i. */
static int source_index(int o, int k, int stride, int in_size)
{
    int t = o + conv_transpose2d_pad(stride) - k;
    if (t < 0 || t % stride != 0 || t / stride >= in_size)
        return -1;
    return t / stride;
}

/* Offset of pixel (b, h, w) of an NHWC tensor [., height, width, channels]. */
static size_t pixel(int b, int h, int w, int height, int width, int channels)
{
    return (((size_t)b * height + h) * width + w) * channels;
}

void conv_transpose2d_ref(const struct conv_transpose2d_shape *s, const float *x, const float *w,
                          const float *bias, float *y, float *workspace)
{
    (void)workspace;
    int out_h = s->in_h * s->stride, out_w = s->in_w * s->stride;
    for (int b = 0; b < s->batch; b++)
        for (int oh = 0; oh < out_h; oh++)
            for (int ow = 0; ow < out_w; ow++)
                for (int co = 0; co < s->out_c; co++) {
                    double acc = bias ? bias[co] : 0.0;
                    for (int kh = 0; kh < 3; kh++)
                        for (int kw = 0; kw < 3; kw++) {
                            int ih = source_index(oh, kh, s->stride, s->in_h);
                            int iw = source_index(ow, kw, s->stride, s->in_w);
                            if (ih < 0 || iw < 0)
                                continue;
                            const float *xp = x + pixel(b, ih, iw, s->in_h, s->in_w, s->in_c);
                            const float *wp = w + ((size_t)(kh * 3 + kw) * s->out_c + co) * s->in_c;
                            for (int ci = 0; ci < s->in_c; ci++)
                                acc += (double)xp[ci] * wp[ci];
                        }
                    y[pixel(b, oh, ow, out_h, out_w, s->out_c) + co] = (float)acc;
                }
}

/* dx[b, ih, iw, ci] = sum over the taps that land inside y and over co of
 * dy[b, ih * stride + kh - pad, iw * stride + kw - pad, co] w[kh, kw, co, ci]. */
void conv_transpose2d_backward_data_ref(const struct conv_transpose2d_shape *s, const float *dy,
                                        const float *w, float *dx, float *workspace)
{
    (void)workspace;
    int out_h = s->in_h * s->stride, out_w = s->in_w * s->stride;
    int pad = conv_transpose2d_pad(s->stride);
    for (int b = 0; b < s->batch; b++)
        for (int ih = 0; ih < s->in_h; ih++)
            for (int iw = 0; iw < s->in_w; iw++)
                for (int ci = 0; ci < s->in_c; ci++) {
                    double acc = 0.0;
                    for (int kh = 0; kh < 3; kh++)
                        for (int kw = 0; kw < 3; kw++) {
                            int oh = ih * s->stride + kh - pad, ow = iw * s->stride + kw - pad;
                            if (oh < 0 || oh >= out_h || ow < 0 || ow >= out_w)
                                continue;
                            const float *dyp = dy + pixel(b, oh, ow, out_h, out_w, s->out_c);
                            const float *wp = w + (size_t)(kh * 3 + kw) * s->out_c * s->in_c + ci;
                            for (int co = 0; co < s->out_c; co++)
                                acc += (double)dyp[co] * wp[(size_t)co * s->in_c];
                        }
                    dx[pixel(b, ih, iw, s->in_h, s->in_w, s->in_c) + ci] = (float)acc;
                }
}

/* dw[kh, kw, co, ci] = sum over b, ih, iw whose tap lands inside y of
 * x[b, ih, iw, ci] dy[b, ih * stride + kh - pad, iw * stride + kw - pad, co]. */
void conv_transpose2d_backward_weights_ref(const struct conv_transpose2d_shape *s, const float *x,
                                           const float *dy, float *dw, int accumulate,
                                           float *workspace)
{
    (void)workspace;
    int out_h = s->in_h * s->stride, out_w = s->in_w * s->stride;
    int pad = conv_transpose2d_pad(s->stride);
    for (int kh = 0; kh < 3; kh++)
        for (int kw = 0; kw < 3; kw++)
            for (int co = 0; co < s->out_c; co++)
                for (int ci = 0; ci < s->in_c; ci++) {
                    float *dwp = dw + ((size_t)(kh * 3 + kw) * s->out_c + co) * s->in_c + ci;
                    double acc = accumulate ? *dwp : 0.0;
                    for (int b = 0; b < s->batch; b++)
                        for (int ih = 0; ih < s->in_h; ih++)
                            for (int iw = 0; iw < s->in_w; iw++) {
                                int oh = ih * s->stride + kh - pad, ow = iw * s->stride + kw - pad;
                                if (oh < 0 || oh >= out_h || ow < 0 || ow >= out_w)
                                    continue;
                                acc += (double)x[pixel(b, ih, iw, s->in_h, s->in_w, s->in_c) + ci] *
                                       dy[pixel(b, oh, ow, out_h, out_w, s->out_c) + co];
                            }
                    *dwp = (float)acc;
                }
}

void sum_rows_ref(size_t rows, size_t cols, const float *x, float *out)
{
    for (size_t j = 0; j < cols; j++) {
        double acc = 0.0;
        for (size_t i = 0; i < rows; i++)
            acc += x[i * cols + j];
        out[j] = (float)acc;
    }
}
