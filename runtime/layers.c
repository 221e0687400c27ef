/* The U-Net ops of layers.h as plain loops over NHWC floats. Each follows the TensorFlow kernel that
 * Keras runs for the DDIM example (sources named at each op), so the formulas and border conventions
 * are TF's; the arithmetic is not bit-identical to TF's (Eigen vectorises and sums in its own order). */
#include <math.h>
#include <string.h>
#include <sleef.h>
#include "layers.h"

/* Per-channel work runs CHANNEL_BLOCK channels at a time, accumulators on the stack: rows of a
 * [pixels, channels] tensor are read in memory order, each channel's sum adds the pixels in
 * increasing order (a fixed order, so the result is reproducible), and nothing is allocated. */
#define CHANNEL_BLOCK 16

static int block_size(int channels, int c0)
{
    return channels - c0 < CHANNEL_BLOCK ? channels - c0 : CHANNEL_BLOCK;
}

void avg_pool2(int batch, int h, int w, int channels, const float *x, float *y)
{
    size_t in_row = (size_t)2 * w * channels; /* one row of x: [2w, channels] */
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

void upsample_bilinear2(int batch, int h, int w, int channels, const float *x, float *y)
{
    size_t in_row = (size_t)w * channels, out_row = (size_t)2 * w * channels;
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
void upsample_bilinear2_adjoint(int batch, int h, int w, int channels, const float *dy, float *dx)
{
    size_t in_row = (size_t)w * channels, out_row = (size_t)2 * w * channels;
    memset(dx, 0, (size_t)batch * h * in_row * sizeof *dx);
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

void concat_channels(size_t pixels, int ca, int cb, const float *a, const float *b, float *y)
{
    size_t width = (size_t)ca + (size_t)cb;
    for (size_t p = 0; p < pixels; p++) {
        memcpy(y + p * width, a + p * ca, (size_t)ca * sizeof *y);
        memcpy(y + p * width + ca, b + p * cb, (size_t)cb * sizeof *y);
    }
}

void slice_channels(size_t pixels, int channels, int offset, int count, const float *x, float *y)
{
    for (size_t p = 0; p < pixels; p++)
        memcpy(y + p * count, x + p * channels + offset, (size_t)count * sizeof *y);
}

void unslice_channels(size_t pixels, int channels, int offset, int count, const float *x, float *y)
{
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

/* y[:, c0 .. c0 + n) = (x - mean[c]) * inv[c - c0] over the block of channels c0 .. c0 + n. */
static void normalize_block(size_t pixels, int channels, int c0, int n, const float *x, const float *mean,
                            const float *inv, float *y)
{
    for (size_t p = 0; p < pixels; p++)
        for (int c = 0; c < n; c++) {
            size_t i = p * channels + c0 + c;
            y[i] = (x[i] - mean[c0 + c]) * inv[c];
        }
}

/* Sums over many pixels go in chunks: float partial sums over SUM_CHUNK
 * pixels (a loop over the block's contiguous channels that the compiler
 * vectorises), added into double totals. The order is fixed, so the result
 * is too, whatever the thread count: threads split the channel blocks. */
#define SUM_CHUNK 128

/* Two passes per block: the mean, then the mean of squared deviations from it (no cancellation, unlike
 * E[x^2] - E[x]^2). Biased (/ pixels) as TF's FusedBatchNormV3 and tf.nn.moments normalise with. */
void batch_norm_train(size_t pixels, int channels, float epsilon, const float *x, float *y, float *mean,
                      float *variance, float *inv_std)
{
#pragma omp parallel for schedule(static)
    for (int c0 = 0; c0 < channels; c0 += CHANNEL_BLOCK) {
        int n = block_size(channels, c0);
        double sum[CHANNEL_BLOCK] = { 0 }, squares[CHANNEL_BLOCK] = { 0 };
        float mu[CHANNEL_BLOCK];
        for (size_t p0 = 0; p0 < pixels; p0 += SUM_CHUNK) {
            float part[CHANNEL_BLOCK] = { 0 };
            for (size_t p = p0; p < pixels && p < p0 + SUM_CHUNK; p++)
                for (int c = 0; c < n; c++)
                    part[c] += x[p * channels + c0 + c];
            for (int c = 0; c < n; c++)
                sum[c] += part[c];
        }
        for (int c = 0; c < n; c++)
            mu[c] = (float)(sum[c] / (double)pixels);
        for (size_t p0 = 0; p0 < pixels; p0 += SUM_CHUNK) {
            float part[CHANNEL_BLOCK] = { 0 };
            for (size_t p = p0; p < pixels && p < p0 + SUM_CHUNK; p++)
                for (int c = 0; c < n; c++) {
                    float d = x[p * channels + c0 + c] - mu[c];
                    part[c] += d * d;
                }
            for (int c = 0; c < n; c++)
                squares[c] += part[c];
        }
        for (int c = 0; c < n; c++) {
            mean[c0 + c] = mu[c];
            variance[c0 + c] = (float)(squares[c] / (double)pixels);
            inv_std[c0 + c] = inv_std_of(variance[c0 + c], epsilon);
        }
        normalize_block(pixels, channels, c0, n, x, mean, inv_std + c0, y);
    }
}

void batch_norm_infer(size_t pixels, int channels, float epsilon, const float *x, const float *moving_mean,
                      const float *moving_variance, float *y)
{
#pragma omp parallel for schedule(static)
    for (int c0 = 0; c0 < channels; c0 += CHANNEL_BLOCK) {
        int n = block_size(channels, c0);
        float inv[CHANNEL_BLOCK];
        for (int c = 0; c < n; c++)
            inv[c] = inv_std_of(moving_variance[c0 + c], epsilon);
        normalize_block(pixels, channels, c0, n, x, moving_mean, inv, y);
    }
}

/* With y = (x - mean) s, s = (variance + epsilon)^(-1/2) and variance the biased one:
 * dL/dx = s (dy - mean(dy) - y mean(dy y)), epsilon included (the derivative of s through the variance
 * gives s^3 (x - mean) mean(dy (x - mean)) = s y mean(dy y)); TF's FusedBatchNormGrad computes the same. */
void batch_norm_backward(size_t pixels, int channels, const float *y, const float *inv_std, const float *dy,
                         float *dx)
{
#pragma omp parallel for schedule(static)
    for (int c0 = 0; c0 < channels; c0 += CHANNEL_BLOCK) {
        int n = block_size(channels, c0);
        double sum_dy[CHANNEL_BLOCK] = { 0 }, sum_dy_y[CHANNEL_BLOCK] = { 0 };
        float mean_dy[CHANNEL_BLOCK], mean_dy_y[CHANNEL_BLOCK];
        for (size_t p0 = 0; p0 < pixels; p0 += SUM_CHUNK) {
            float part_dy[CHANNEL_BLOCK] = { 0 }, part_dy_y[CHANNEL_BLOCK] = { 0 };
            for (size_t p = p0; p < pixels && p < p0 + SUM_CHUNK; p++)
                for (int c = 0; c < n; c++) {
                    size_t i = p * channels + c0 + c;
                    part_dy[c] += dy[i];
                    part_dy_y[c] += dy[i] * y[i];
                }
            for (int c = 0; c < n; c++)
                sum_dy[c] += part_dy[c], sum_dy_y[c] += part_dy_y[c];
        }
        for (int c = 0; c < n; c++) {
            mean_dy[c] = (float)(sum_dy[c] / (double)pixels);
            mean_dy_y[c] = (float)(sum_dy_y[c] / (double)pixels);
        }
        for (size_t p = 0; p < pixels; p++)
            for (int c = 0; c < n; c++) {
                size_t i = p * channels + c0 + c;
                dx[i] = inv_std[c0 + c] * (dy[i] - mean_dy[c] - y[i] * mean_dy_y[c]);
            }
    }
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

void pixel_broadcast(int batch, size_t pixels_per_image, int channels, const float *x, float *y)
{
    for (int b = 0; b < batch; b++)
        for (size_t p = 0; p < pixels_per_image; p++)
            memcpy(y + ((size_t)b * pixels_per_image + p) * channels, x + (size_t)b * channels,
                   (size_t)channels * sizeof *y);
}

void pixel_sum(int batch, size_t pixels_per_image, int channels, const float *dy, float *dx)
{
    for (int b = 0; b < batch; b++) {
        const float *image = dy + (size_t)b * pixels_per_image * channels; /* [pixels_per_image, channels] */
        for (int c0 = 0; c0 < channels; c0 += CHANNEL_BLOCK) {
            int n = block_size(channels, c0);
            double sum[CHANNEL_BLOCK] = { 0 };
            for (size_t p = 0; p < pixels_per_image; p++)
                for (int c = 0; c < n; c++)
                    sum[c] += image[p * channels + c0 + c];
            for (int c = 0; c < n; c++)
                dx[(size_t)b * channels + c0 + c] = (float)sum[c];
        }
    }
}
