/* Scalar reference conv2d (forward, backward-data, backward-weights): each
 * output element one direct sum over the definition in kernels.h,
 * accumulated in double; the activation as the ref's own activations. */
#include <math.h>
#include "ref.h"

/* Offset of pixel (b, h, w) of an NHWC tensor [., height, width, channels]. */
static size_t pixel(int b, int h, int w, int height, int width, int channels)
{
    return (((size_t)b * height + h) * width + w) * channels;
}

static int inside(int h, int w, const struct conv2d_shape *s)
{
    return h >= 0 && h < s->height && w >= 0 && w < s->width;
}

static float activate(double v, enum activation act)
{
    switch (act) {
    case ACTIVATION_RELU:
        return v > 0.0 ? (float)v : 0.0f;
    case ACTIVATION_SIGMOID:
        return (float)(1.0 / (1.0 + exp(-v)));
    case ACTIVATION_SWISH:
        return (float)(v / (1.0 + exp(-v)));
    case ACTIVATION_NONE:
        break;
    }
    return (float)v;
}

void conv2d_ref(const struct conv2d_shape *s, const float *x, const float *w, const float *bias,
                enum activation act, const float *residual, float *y, float *workspace)
{
    (void)workspace;
    const int p = s->kernel / 2;
    for (int b = 0; b < s->batch; b++)
        for (int i = 0; i < s->height; i++)
            for (int j = 0; j < s->width; j++)
                for (int co = 0; co < s->out_c; co++) {
                    double acc = bias ? bias[co] : 0.0;
                    for (int kh = 0; kh < s->kernel; kh++)
                        for (int kw = 0; kw < s->kernel; kw++) {
                            int h = i + kh - p, v = j + kw - p;
                            if (!inside(h, v, s))
                                continue;
                            const float *xp = x + pixel(b, h, v, s->height, s->width, s->in_c);
                            const float *wp = w + (size_t)(kh * s->kernel + kw) * s->in_c * s->out_c + co;
                            for (int ci = 0; ci < s->in_c; ci++)
                                acc += (double)xp[ci] * wp[(size_t)ci * s->out_c];
                        }
                    const size_t at = pixel(b, i, j, s->height, s->width, s->out_c) + co;
                    y[at] = activate(acc, act) + (residual ? residual[at] : 0.0f);
                }
}

/* dx[b, h, v, ci] = sum over the outputs (i, j) = (h - kh + p, v - kw + p)
 * inside y and over co of dy[b, i, j, co] w[kh, kw, ci, co]. */
void conv2d_backward_data_ref(const struct conv2d_shape *s, const float *dy, const float *w,
                              float *dx, float *workspace)
{
    (void)workspace;
    const int p = s->kernel / 2;
    for (int b = 0; b < s->batch; b++)
        for (int h = 0; h < s->height; h++)
            for (int v = 0; v < s->width; v++)
                for (int ci = 0; ci < s->in_c; ci++) {
                    double acc = 0.0;
                    for (int kh = 0; kh < s->kernel; kh++)
                        for (int kw = 0; kw < s->kernel; kw++) {
                            int i = h - kh + p, j = v - kw + p;
                            if (!inside(i, j, s))
                                continue;
                            const float *dyp = dy + pixel(b, i, j, s->height, s->width, s->out_c);
                            const float *wp = w + ((size_t)(kh * s->kernel + kw) * s->in_c + ci) * s->out_c;
                            for (int co = 0; co < s->out_c; co++)
                                acc += (double)dyp[co] * wp[co];
                        }
                    dx[pixel(b, h, v, s->height, s->width, s->in_c) + ci] = (float)acc;
                }
}

/* dw[kh, kw, ci, co] = sum over b, i, j with (i + kh - p, j + kw - p) inside
 * x of x[b, i + kh - p, j + kw - p, ci] dy[b, i, j, co]. */
void conv2d_backward_weights_ref(const struct conv2d_shape *s, const float *x, const float *dy,
                                 float *dw, int accumulate, float *workspace)
{
    (void)workspace;
    const int p = s->kernel / 2;
    for (int kh = 0; kh < s->kernel; kh++)
        for (int kw = 0; kw < s->kernel; kw++)
            for (int ci = 0; ci < s->in_c; ci++)
                for (int co = 0; co < s->out_c; co++) {
                    float *dwp = dw + ((size_t)(kh * s->kernel + kw) * s->in_c + ci) * s->out_c + co;
                    double acc = accumulate ? *dwp : 0.0;
                    for (int b = 0; b < s->batch; b++)
                        for (int i = 0; i < s->height; i++)
                            for (int j = 0; j < s->width; j++) {
                                int h = i + kh - p, v = j + kw - p;
                                if (!inside(h, v, s))
                                    continue;
                                acc += (double)x[pixel(b, h, v, s->height, s->width, s->in_c) + ci] *
                                       dy[pixel(b, i, j, s->height, s->width, s->out_c) + co];
                            }
                    *dwp = (float)acc;
                }
}
