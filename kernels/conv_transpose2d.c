/* The 3x3 transposed convolution as sgemm plus a scatter or gather, plain C.
 *
 * View x as a matrix [rows = B*H*W, Cin], one input pixel r = (b, ih, iw) a
 * row, and w as [9*Cout, Cin] (its rows are (kh, kw, co), Keras' layout as
 * is). Tap t = (kh, kw) of pixel r lands on output pixel
 * (b, ih*stride + kh - pad, iw*stride + kw - pad), unless that is outside y.
 * With cols a [rows, 9*Cout] matrix (row r: 9 blocks of Cout, one per tap):
 *   forward:          cols = x w^T                  sgemm NT, k = Cin
 *                     y[target(r, t), :] += cols[r, t, :]    (col2im, scatter-add)
 *   backward_data:    cols[r, t, :] = dy[target(r, t), :], 0 outside   (im2col)
 *                     dx = cols w                   sgemm NN, k = 9*Cout
 *   backward_weights: the same im2col, dw = cols^T x  sgemm TN, k = rows
 * Each of the three does the convolution's B*H*W*Cin*9*Cout multiply-adds
 * plus those of the taps that fall outside y (discarded, or multiplied by the
 * zeros of im2col): a fraction 1 - (1 - 1/(3H))^2 at stride 2 (9% at 7x7, 5%
 * at 14x14) and 1 - (1 - 2/(3H))^2 at stride 1 (5% at 28x28). The other
 * common form, a gather over y's pixels (a plain convolution of a
 * zero-upsampled x), would also multiply the inserted zeros: 4x the work at
 * stride 2.
 *
 * cols goes through the workspace in chunks of whole lines (the in_w pixels
 * of one (b, ih)) small enough to stay in L2 between the sgemm that writes
 * (or reads) it and the scatter (or gather) next to it, rather than as one
 * B*H*W x 9*Cout buffer through memory: at batch 64 that would be 7 MiB at
 * 7x7x64 -> 14x14x64 and 14 MiB at 14x14x64 -> 28x28x32.
 */
#include "conv_transpose2d.h"

/* Target floats per chunk of cols: 512 KiB, half of a 1 MiB L2. */
#define CHUNK_FLOATS (128 * 1024)

/* Chunks are whole lines: the in_w input pixels of one (b, ih), so that the
 * scatter and gather find each pixel's output row without a division. */
static size_t chunk_lines(const struct conv_shape *s)
{
    size_t lines = (size_t)s->batch * s->in_h, line_floats = (size_t)s->in_w * 9 * s->out_c;
    size_t chunk = CHUNK_FLOATS / line_floats;
    return chunk < 1 ? 1 : chunk < lines ? chunk : lines;
}

size_t conv_transpose2d_workspace_floats(const struct conv_shape *s)
{
    return chunk_lines(s) * s->in_w * 9 * (size_t)s->out_c;
}

/* y[0 .. n) += src[0 .. n). In groups of four with restrict, which gcc
 * turns into 16-byte vector adds even at the baseline ISA. */
static void add_into(float *restrict y, const float *restrict src, size_t n)
{
    size_t j = 0;
    for (; j + 4 <= n; j += 4) {
        y[j] += src[j];
        y[j + 1] += src[j + 1];
        y[j + 2] += src[j + 2];
        y[j + 3] += src[j + 3];
    }
    for (; j < n; j++)
        y[j] += src[j];
}

/* dst[0 .. n) = src[0 .. n), or 0 where src is NULL. In groups of four and
 * an unrolled tail: for the few floats of a small Cout, the memcpy or
 * memset call that gcc makes of a plain loop costs more than the copy. */
static inline void copy_or_zero(float *restrict dst, const float *restrict src, size_t n)
{
    const float zeros[4] = { 0.0f, 0.0f, 0.0f, 0.0f };
    size_t j = 0;
    for (; j + 4 <= n; j += 4) {
        const float *from = src ? src + j : zeros;
        dst[j] = from[0];
        dst[j + 1] = from[1];
        dst[j + 2] = from[2];
        dst[j + 3] = from[3];
    }
    const float *from = src ? src + j : zeros;
    if (j < n)
        dst[j] = from[0];
    if (j + 1 < n)
        dst[j + 1] = from[1];
    if (j + 2 < n)
        dst[j + 2] = from[2];
}

/* The three taps kw = 0, 1, 2 of input column iw land on the consecutive
 * output columns ow0 + kw, ow0 = iw * stride - pad; those inside y are
 * kw in [*lo, *hi). So for each kh, a pixel's taps kw are one contiguous
 * run of Cout floats in cols and in y (or dy). Returns ow0. */
static int tap_columns(const struct conv_shape *s, int iw, int *lo, int *hi)
{
    int out_w = s->in_w * s->stride, ow0 = iw * s->stride - conv_transpose2d_pad(s->stride);
    *lo = ow0 < 0 ? -ow0 : 0;
    *hi = out_w - ow0 < 3 ? out_w - ow0 : 3;
    return ow0;
}

/* col2im: y[target(r, t), :] += cols[r, t, :] for the pixels r of `count`
 * lines from line `first`. cols: [count * in_w, 9 * Cout]; y: [B, out_h,
 * out_w, Cout]. */
static void scatter_add(const struct conv_shape *s, size_t first, size_t count,
                        const float *cols, float *y)
{
    int out_h = s->in_h * s->stride, out_w = s->in_w * s->stride;
    int pad = conv_transpose2d_pad(s->stride);
    size_t cout = (size_t)s->out_c;
    for (size_t l = 0; l < count; l++) {
        size_t b = (first + l) / s->in_h;
        int ih = (int)((first + l) % s->in_h);
        for (int kh = 0; kh < 3; kh++) {
            int oh = ih * s->stride + kh - pad;
            if (oh < 0 || oh >= out_h)
                continue;
            float *y_line = y + (b * out_h + oh) * out_w * cout;
            for (int iw = 0; iw < s->in_w; iw++) {
                int lo, hi, ow0 = tap_columns(s, iw, &lo, &hi);
                add_into(y_line + (size_t)(ow0 + lo) * cout,
                         cols + ((l * s->in_w + iw) * 9 + kh * 3 + lo) * cout, (size_t)(hi - lo) * cout);
            }
        }
    }
}

/* im2col, the transpose of scatter_add: cols[r, t, :] = dy[target(r, t), :],
 * or zeros where tap t falls outside y, for the pixels r of `count` lines
 * from line `first`. */
static void gather(const struct conv_shape *s, size_t first, size_t count, const float *dy,
                   float *cols)
{
    int out_h = s->in_h * s->stride, out_w = s->in_w * s->stride;
    int pad = conv_transpose2d_pad(s->stride);
    size_t cout = (size_t)s->out_c;
    for (size_t l = 0; l < count; l++) {
        size_t b = (first + l) / s->in_h;
        int ih = (int)((first + l) % s->in_h);
        for (int kh = 0; kh < 3; kh++) {
            int oh = ih * s->stride + kh - pad;
            const float *dy_line = dy + (b * out_h + (oh < 0 ? 0 : oh)) * out_w * cout;
            for (int iw = 0; iw < s->in_w; iw++) {
                float *dst = cols + ((l * s->in_w + iw) * 9 + kh * 3) * cout;
                int lo, hi, ow0 = tap_columns(s, iw, &lo, &hi);
                if (oh < 0 || oh >= out_h)
                    lo = hi = 3; /* the whole row of taps is outside */
                if (lo == 0 && hi == 3) { /* all inside: the common case, one copy */
                    copy_or_zero(dst, dy_line + (size_t)ow0 * cout, 3 * cout);
                    continue;
                }
                copy_or_zero(dst, NULL, (size_t)lo * cout);
                copy_or_zero(dst + lo * cout, dy_line + (size_t)(ow0 + lo) * cout, (size_t)(hi - lo) * cout);
                copy_or_zero(dst + hi * cout, NULL, (size_t)(3 - hi) * cout);
            }
        }
    }
}

void conv_transpose2d_gemm(sgemm_fn *sgemm, const struct conv_shape *s, const float *x,
                           const float *w, const float *bias, float *y, float *workspace)
{
    size_t lines = (size_t)s->batch * s->in_h, chunk = chunk_lines(s);
    size_t cout = (size_t)s->out_c, out_pixels = lines * s->in_w * s->stride * s->stride;
    int width = 9 * s->out_c;
    /* y starts at the bias; every chunk then adds its taps. */
    for (size_t p = 0; p < out_pixels; p++)
        for (size_t co = 0; co < cout; co++)
            y[p * cout + co] = bias ? bias[co] : 0.0f;
    for (size_t first = 0; first < lines; first += chunk) {
        size_t count = lines - first < chunk ? lines - first : chunk;
        size_t m = count * s->in_w, row = first * s->in_w; /* rows of x and cols */
        sgemm(GEMM_NT, (int)m, width, s->in_c, x + row * s->in_c, s->in_c, w, s->in_c,
              workspace, width, 0, NULL, ACTIVATION_NONE);
        scatter_add(s, first, count, workspace, y);
    }
}

void conv_transpose2d_backward_data_gemm(sgemm_fn *sgemm, const struct conv_shape *s,
                                         const float *dy, const float *w, float *dx,
                                         float *workspace)
{
    size_t lines = (size_t)s->batch * s->in_h, chunk = chunk_lines(s);
    int width = 9 * s->out_c;
    for (size_t first = 0; first < lines; first += chunk) {
        size_t count = lines - first < chunk ? lines - first : chunk;
        size_t m = count * s->in_w, row = first * s->in_w; /* rows of x and cols */
        gather(s, first, count, dy, workspace);
        sgemm(GEMM_NN, (int)m, s->in_c, width, workspace, width, w, s->in_c,
              dx + row * s->in_c, s->in_c, 0, NULL, ACTIVATION_NONE);
    }
}

/* dw is the sum over chunks: the first applies the caller's accumulate flag,
 * the others add to it. */
void conv_transpose2d_backward_weights_gemm(sgemm_fn *sgemm, const struct conv_shape *s,
                                            const float *x, const float *dy, float *dw,
                                            int accumulate, float *workspace)
{
    size_t lines = (size_t)s->batch * s->in_h, chunk = chunk_lines(s);
    int width = 9 * s->out_c;
    for (size_t first = 0; first < lines; first += chunk) {
        size_t count = lines - first < chunk ? lines - first : chunk;
        size_t m = count * s->in_w, row = first * s->in_w; /* rows of x and cols */
        gather(s, first, count, dy, workspace);
        sgemm(GEMM_TN, width, s->in_c, (int)m, workspace, width, x + row * s->in_c, s->in_c,
              dw, s->in_c, first == 0 ? accumulate : 1, NULL, ACTIVATION_NONE);
    }
}
