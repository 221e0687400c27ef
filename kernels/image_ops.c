/* The U-Net ops of image_ops.h as plain loops over NHWC floats. Each follows the TensorFlow kernel that
 * Keras runs for the DDIM example (sources named at each op), so the formulas and border conventions
 * are TF's; the arithmetic is not bit-identical to TF's (Eigen vectorises and sums in its own order).
 * Threads split images or pixels, never a sum: the results do not depend on the thread count. */
#include <math.h>
#include <string.h>
#include <sleef.h>
#include "image_ops.h"

void avg_pool2(int batch, int h, int w, int channels, const float *x, float *y)
{
    size_t in_row = (size_t)2 * w * channels; /* one row of x: [2w, channels] */
#ifdef _OPENMP
#pragma omp parallel for schedule(static)
#endif
    for (int b = 0; b < batch; b++)
        for (int i = 0; i < h; i++) {
            const float *top = x + ((size_t)b * 2 * h + 2 * (size_t)i) * in_row, *bottom = top + in_row;
            float *out = y + ((size_t)b * h + i) * w * channels; /* row i of y: [w, channels] */
            for (int j = 0; j < w; j++)
                for (int c = 0; c < channels; c++) {
                    size_t left = (size_t)2 * j * channels + c, right = left + channels;
                    /* * 0.25f is exactly / 4 (a power of two) */
                    out[(size_t)j * channels + c] = (top[left] + top[right] + bottom[left] + bottom[right]) * 0.25f;
                }
        }
}

void avg_pool2_adjoint(int batch, int h, int w, int channels, const float *dy, float *dx)
{
#ifdef _OPENMP
#pragma omp parallel for schedule(static)
#endif
    for (int b = 0; b < batch; b++)
        for (int i = 0; i < 2 * h; i++) {
            const float *g = dy + ((size_t)b * h + i / 2) * w * channels; /* row i/2 of dy: [w, channels] */
            float *out = dx + ((size_t)b * 2 * h + i) * 2 * w * channels; /* row i of dx: [2w, channels] */
            for (int j = 0; j < 2 * w; j++)
                for (int c = 0; c < channels; c++)
                    out[(size_t)j * channels + c] = g[(size_t)(j / 2) * channels + c] * 0.25f;
        }
}

/* Where output o of a 2x upsampling reads an axis of n input samples. TF
 * (tensorflow/core/kernels/image/resize_bilinear_op.cc, compute_interpolation_weights with the
 * HalfPixelScaler) takes in = (o + 0.5) * 0.5 - 0.5, lower = max(floor(in), 0),
 * upper = min(ceil(in), n - 1), frac = in - floor(in). For o = 2i that is in = i - 0.25 (lower i - 1,
 * upper i, frac 0.75); for o = 2i + 1, in = i + 0.25 (lower i, upper i + 1, frac 0.25). */
struct half_pixel {
    int lower, upper;
    float frac; /* the weight of upper; lower gets 1 - frac */
};

static struct half_pixel half_pixel(int o, int n)
{
    int i = o / 2;
    if (o % 2 == 0)
        return (struct half_pixel){ i > 0 ? i - 1 : 0, i, 0.75f };
    return (struct half_pixel){ i, i + 1 < n ? i + 1 : n - 1, 0.25f };
}

void upsample2(int batch, int h, int w, int channels, const float *x, float *y)
{
    size_t in_row = (size_t)w * channels, out_row = (size_t)2 * w * channels;
#ifdef _OPENMP
#pragma omp parallel for schedule(static)
#endif
    for (int b = 0; b < batch; b++)
        for (int r = 0; r < 2 * h; r++) {
            struct half_pixel py = half_pixel(r, h);
            const float *top = x + ((size_t)b * h + py.lower) * in_row;
            const float *bottom = x + ((size_t)b * h + py.upper) * in_row;
            float *out = y + ((size_t)b * 2 * h + r) * out_row;
            for (int c = 0; c < 2 * w; c++) {
                struct half_pixel px = half_pixel(c, w);
                const float *tl = top + (size_t)px.lower * channels, *tr = top + (size_t)px.upper * channels;
                const float *bl = bottom + (size_t)px.lower * channels, *br = bottom + (size_t)px.upper * channels;
                for (int k = 0; k < channels; k++) {
                    /* TF's compute_lerp: rows first, then between them */
                    float t = tl[k] + (tr[k] - tl[k]) * px.frac;
                    float d = bl[k] + (br[k] - bl[k]) * px.frac;
                    out[(size_t)c * channels + k] = t + (d - t) * py.frac;
                }
            }
        }
}

/* The transpose of the forward's weights: each output gradient goes to the four neighbours with weights
 * (1 - fy)(1 - fx), (1 - fy) fx, fy (1 - fx), fy fx, as TF's ResizeBilinearGrad (same file). At the
 * borders two neighbours coincide and receive both shares. Scattered in output order: deterministic. */
void upsample2_adjoint(int batch, int h, int w, int channels, const float *dy, float *dx)
{
    size_t in_row = (size_t)w * channels, out_row = (size_t)2 * w * channels;
    memset(dx, 0, (size_t)batch * h * in_row * sizeof *dx);
#ifdef _OPENMP
#pragma omp parallel for schedule(static)
#endif
    for (int b = 0; b < batch; b++)
        for (int r = 0; r < 2 * h; r++) {
            struct half_pixel py = half_pixel(r, h);
            float *top = dx + ((size_t)b * h + py.lower) * in_row;
            float *bottom = dx + ((size_t)b * h + py.upper) * in_row;
            const float *g = dy + ((size_t)b * 2 * h + r) * out_row;
            for (int c = 0; c < 2 * w; c++) {
                struct half_pixel px = half_pixel(c, w);
                float *tl = top + (size_t)px.lower * channels, *tr = top + (size_t)px.upper * channels;
                float *bl = bottom + (size_t)px.lower * channels, *br = bottom + (size_t)px.upper * channels;
                for (int k = 0; k < channels; k++) {
                    float v = g[(size_t)c * channels + k];
                    tl[k] += v * (1.0f - py.frac) * (1.0f - px.frac);
                    tr[k] += v * (1.0f - py.frac) * px.frac;
                    bl[k] += v * py.frac * (1.0f - px.frac);
                    br[k] += v * py.frac * px.frac;
                }
            }
        }
}

void concat(size_t pixels, int ca, int cb, const float *a, const float *b, float *y)
{
    size_t width = (size_t)ca + (size_t)cb;
#ifdef _OPENMP
#pragma omp parallel for schedule(static)
#endif
    for (size_t p = 0; p < pixels; p++) {
        memcpy(y + p * width, a + p * ca, (size_t)ca * sizeof *y);
        memcpy(y + p * width + ca, b + p * cb, (size_t)cb * sizeof *y);
    }
}

void slice(size_t pixels, int channels, int offset, int count, const float *x, float *y)
{
#ifdef _OPENMP
#pragma omp parallel for schedule(static)
#endif
    for (size_t p = 0; p < pixels; p++)
        memcpy(y + p * count, x + p * channels + offset, (size_t)count * sizeof *y);
}

void unslice(size_t pixels, int channels, int offset, int count, const float *x, float *y)
{
#ifdef _OPENMP
#pragma omp parallel for schedule(static)
#endif
    for (size_t p = 0; p < pixels; p++) {
        float *row = y + p * channels;
        memset(row, 0, (size_t)offset * sizeof *y);
        memcpy(row + offset, x + p * count, (size_t)count * sizeof *y);
        memset(row + offset + count, 0, (size_t)(channels - offset - count) * sizeof *y);
    }
}

/* 1 / sqrt(variance + epsilon), rounded once from double. Shared by training and inference so that
 * inference on the batch's own statistics gives training's output exactly. */
static float inv_std_of(float variance, float epsilon)
{
    return (float)(1.0 / sqrt((double)variance + (double)epsilon));
}

/* Batch normalization's loops run over whole rows of channels (contiguous, so the compiler vectorises
 * them), with threads splitting the pixels. Its per-channel sums over pixels go in a fixed order,
 * whatever the thread count: the pixels are cut into SUM_SEGMENTS contiguous segments, each summed
 * SUM_CHUNK pixels at a time into float partials added into double totals, and the segments' totals
 * are added in segment order. */
#define SUM_SEGMENTS 8
#define SUM_CHUNK 128
#define PIXEL_CHUNK 256 /* pixels per thread task in the elementwise passes */

enum channel_sum { SUM_X, SUM_SQUARED_DEVIATION, SUM_X_AND_XY };

/* Per channel c over the pixels: SUM_X: total[c] = sum x; SUM_SQUARED_DEVIATION: total[c] = sum (x - center[c])^2;
 * SUM_X_AND_XY: total[c] = sum x, total_xy[c] = sum x y. x, y: [pixels, channels]. */
static void channel_sums(enum channel_sum what, size_t pixels, int channels, const float *x, const float *y,
                         const float *center, double *total, double *total_xy)
{
    double segment_sum[SUM_SEGMENTS][channels], segment_xy[SUM_SEGMENTS][channels];
    const size_t per_segment = (pixels + SUM_SEGMENTS - 1) / SUM_SEGMENTS;
#ifdef _OPENMP
#pragma omp parallel for schedule(static)
#endif
    for (int s = 0; s < SUM_SEGMENTS; s++) {
        const size_t begin = s * per_segment < pixels ? s * per_segment : pixels;
        const size_t end = begin + per_segment < pixels ? begin + per_segment : pixels;
        float part[channels], part_xy[channels];
        for (int c = 0; c < channels; c++)
            segment_sum[s][c] = segment_xy[s][c] = 0;
        for (size_t p0 = begin; p0 < end; p0 += SUM_CHUNK) {
            const size_t p1 = p0 + SUM_CHUNK < end ? p0 + SUM_CHUNK : end;
            for (int c = 0; c < channels; c++)
                part[c] = part_xy[c] = 0;
            for (size_t p = p0; p < p1; p++) {
                const float *row = x + p * channels, *row_y = y ? y + p * channels : NULL;
                if (what == SUM_X)
                    for (int c = 0; c < channels; c++)
                        part[c] += row[c];
                else if (what == SUM_SQUARED_DEVIATION)
                    for (int c = 0; c < channels; c++)
                        part[c] += (row[c] - center[c]) * (row[c] - center[c]);
                else
                    for (int c = 0; c < channels; c++) {
                        part[c] += row[c];
                        part_xy[c] += row[c] * row_y[c];
                    }
            }
            for (int c = 0; c < channels; c++) {
                segment_sum[s][c] += part[c];
                segment_xy[s][c] += part_xy[c];
            }
        }
    }
    for (int c = 0; c < channels; c++) {
        total[c] = 0;
        if (total_xy)
            total_xy[c] = 0;
        for (int s = 0; s < SUM_SEGMENTS; s++) {
            total[c] += segment_sum[s][c];
            if (total_xy)
                total_xy[c] += segment_xy[s][c];
        }
    }
}

/* y = (x - mean[c]) * inv[c], x and y [pixels, channels]. */
static void normalize(size_t pixels, int channels, const float *x, const float *mean, const float *inv, float *y)
{
#ifdef _OPENMP
#pragma omp parallel for schedule(static)
#endif
    for (size_t p0 = 0; p0 < pixels; p0 += PIXEL_CHUNK)
        for (size_t p = p0; p < pixels && p < p0 + PIXEL_CHUNK; p++)
            for (int c = 0; c < channels; c++)
                y[p * channels + c] = (x[p * channels + c] - mean[c]) * inv[c];
}

/* Two passes: the mean, then the mean of squared deviations from it (no cancellation, unlike
 * E[x^2] - E[x]^2). Biased (/ pixels) as TF's FusedBatchNormV3 and tf.nn.moments normalise with. */
void batch_norm_train(size_t pixels, int channels, float epsilon, const float *x, float *y, float *mean,
                      float *variance, float *inv_std)
{
    double total[channels];
    channel_sums(SUM_X, pixels, channels, x, NULL, NULL, total, NULL);
    for (int c = 0; c < channels; c++)
        mean[c] = (float)(total[c] / (double)pixels);
    channel_sums(SUM_SQUARED_DEVIATION, pixels, channels, x, NULL, mean, total, NULL);
    for (int c = 0; c < channels; c++) {
        variance[c] = (float)(total[c] / (double)pixels);
        inv_std[c] = inv_std_of(variance[c], epsilon);
    }
    normalize(pixels, channels, x, mean, inv_std, y);
}

void batch_norm_infer(size_t pixels, int channels, float epsilon, const float *x, const float *moving_mean,
                      const float *moving_variance, float *y)
{
    float inv[channels];
    for (int c = 0; c < channels; c++)
        inv[c] = inv_std_of(moving_variance[c], epsilon);
    normalize(pixels, channels, x, moving_mean, inv, y);
}

/* With y = (x - mean) s, s = (variance + epsilon)^(-1/2) and variance the biased one:
 * dL/dx = s (dy - mean(dy) - y mean(dy y)), epsilon included (the derivative of s through the variance
 * gives s^3 (x - mean) mean(dy (x - mean)) = s y mean(dy y)); TF's FusedBatchNormGrad computes the same. */
void batch_norm_backward(size_t pixels, int channels, const float *y, const float *inv_std, const float *dy,
                         float *dx)
{
    double sum_dy[channels], sum_dy_y[channels];
    float mean_dy[channels], mean_dy_y[channels];
    channel_sums(SUM_X_AND_XY, pixels, channels, dy, y, NULL, sum_dy, sum_dy_y);
    for (int c = 0; c < channels; c++) {
        mean_dy[c] = (float)(sum_dy[c] / (double)pixels);
        mean_dy_y[c] = (float)(sum_dy_y[c] / (double)pixels);
    }
#ifdef _OPENMP
#pragma omp parallel for schedule(static)
#endif
    for (size_t p0 = 0; p0 < pixels; p0 += PIXEL_CHUNK)
        for (size_t p = p0; p < pixels && p < p0 + PIXEL_CHUNK; p++)
            for (int c = 0; c < channels; c++) {
                size_t i = p * channels + c;
                dx[i] = inv_std[c] * (dy[i] - mean_dy[c] - y[i] * mean_dy_y[c]);
            }
}

/* The moving statistics are constants of the inference-mode layer, which is then the affine map
 * x / sqrt(moving_variance + epsilon) + c per channel: its backward scales dy alike, in float. */
void batch_norm_infer_backward(size_t pixels, int channels, float epsilon, const float *moving_variance,
                               const float *dy, float *dx)
{
    const size_t count = pixels * (size_t)channels;
    for (size_t i = 0; i < count; i += (size_t)channels)
        for (int c = 0; c < channels; c++)
            dx[i + c] = dy[i + c] / sqrtf(moving_variance[c] + epsilon);
}

/* Which variance feeds Keras's moving average (checked in the sources):
 * - TF2 Keras (tf.keras / Keras 2.x, keras/layers/normalization/batch_normalization.py): fused=None
 *   becomes fused for rank-4 inputs with axis 3 (NHWC), as in the example; _fused_batch_norm calls
 *   tf.compat.v1.nn.fused_batch_norm (FusedBatchNormV3) and assigns its running variance. The layer sets
 *   _bessels_correction_test_only = True, which makes _maybe_add_or_remove_bessels_correction return the
 *   variance unchanged, so the kernel's correction stays in.
 * - FusedBatchNormV3 on CPU (tensorflow/core/kernels/fused_batch_norm_op.cc) normalises with the biased
 *   variance but updates new_variance = (1 - f) old + f * rest_size_adjust * batch_variance, with
 *   rest_size_adjust = rest_size / max(rest_size - 1, 1) "for Bessel's correction" and
 *   f = exponential_avg_factor = 1 - momentum.
 * - The non-fused TF2 path (tf.nn.moments) and Keras 3 (keras/src/layers/normalization/
 *   batch_normalization.py: ops.moments, then moving_variance * momentum + variance * (1 - momentum))
 *   feed the BIASED variance instead.
 * The example (2022) ran on TF2 Keras, so this follows the fused path: unbiased. Computed in double,
 * rounded once. */
void batch_norm_update_moving(int channels, float momentum, size_t pixels, const float *mean, const float *variance,
                              float *moving_mean, float *moving_variance)
{
    double keep = momentum, take = 1.0 - (double)momentum;
    double bessel = pixels > 1 ? (double)pixels / (double)(pixels - 1) : 1.0;
    for (int c = 0; c < channels; c++) {
        moving_mean[c] = (float)(keep * moving_mean[c] + take * mean[c]);
        moving_variance[c] = (float)(keep * moving_variance[c] + take * (variance[c] * bessel));
    }
}

/* In float, step by step as the example's TF graph computes it (tf.linspace in float32 gives
 * start + k * (stop - start) / (num - 1) with the last value exactly stop, and the first alone when
 * num == 1; 2 pi is rounded to float like the example's 2.0 * math.pi times a float32 tensor).
 * SLEEF's 1-ulp functions rather than libm's, so that every platform gives the same values, as
 * the noise of rng.c. */
void sinusoidal_embedding(int batch, int dims, float min_frequency, float max_frequency, const float *x, float *y)
{
    const float two_pi = (float)6.283185307179586;
    int half = dims / 2;
    float lo = Sleef_logf_u10(min_frequency), hi = Sleef_logf_u10(max_frequency);
    float step = half > 1 ? (hi - lo) / (float)(half - 1) : 0.0f;
    for (int b = 0; b < batch; b++)
        for (int k = 0; k < half; k++) {
            float log_f = k > 0 && k == half - 1 ? hi : lo + (float)k * step;
            float angle = two_pi * Sleef_expf_u10(log_f) * x[b];
            y[(size_t)b * dims + k] = Sleef_sinf_u10(angle);
            y[(size_t)b * dims + half + k] = Sleef_cosf_u10(angle);
        }
}

void upsample_nearest(int batch, size_t pixels_per_image, int channels, const float *x, float *y)
{
#ifdef _OPENMP
#pragma omp parallel for schedule(static)
#endif
    for (int b = 0; b < batch; b++)
        for (size_t p = 0; p < pixels_per_image; p++)
            memcpy(y + ((size_t)b * pixels_per_image + p) * channels, x + (size_t)b * channels,
                   (size_t)channels * sizeof *y);
}

void upsample_nearest_adjoint(int batch, size_t pixels_per_image, int channels, const float *dy, float *dx)
{
#ifdef _OPENMP
#pragma omp parallel for schedule(static)
#endif
    for (int b = 0; b < batch; b++) {
        const float *image = dy + (size_t)b * pixels_per_image * channels; /* [pixels_per_image, channels] */
        double sum[channels];
        for (int c = 0; c < channels; c++)
            sum[c] = 0;
        for (size_t p = 0; p < pixels_per_image; p++)
            for (int c = 0; c < channels; c++)
                sum[c] += image[p * channels + c];
        for (int c = 0; c < channels; c++)
            dx[(size_t)b * channels + c] = (float)sum[c];
    }
}
