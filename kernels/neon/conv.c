/* NEON convolutions: the shared formulations of kernels/conv.c around
 * the 8 x 12 indirect GEMM microkernel and the 8 x 12
 * weight-gradient one. And the row sum
 * (the bias gradient) with intrinsics. */
#include "neon.h"
#include "../conv.h"

static const struct igemm_microkernel igemm_8x12 = {
    .mr = 8, .nr = 12,
    .run = igemm_ukernel_8x12_neon,
    .epilogue = bias_activation_neon,
};

static const struct igemm_microkernel igemm_4x1 = {
    .mr = 4, .nr = 1,
    .run = igemm_ukernel_4x1_neon,
    .epilogue = bias_activation_neon,
};

static const struct wgemm_microkernel wgemm_8x12 = {
    .mr = 8, .nr = 12,
    .run = wgemm_ukernel_8x12_neon,
};

static const struct conv_isa conv_neon = {
    .igemm_narrow = &igemm_4x1,
    .igemm = &igemm_8x12,
    .wgemm = &wgemm_8x12,
};

/* The kernels-table entries: kernels/conv.c's formulations over conv_neon. */
void conv2d_neon(const struct conv2d_shape *s, const float *x, const float *w, const float *bias,
                 enum activation act, const float *residual, float *y, float *workspace)
{
    conv2d_igemm(&conv_neon, s, x, w, bias, act, residual, y, workspace);
}

void conv2d_backward_data_neon(const struct conv2d_shape *s, const float *dy, const float *w,
                               float *dx, float *workspace)
{
    conv2d_backward_data_igemm(&conv_neon, s, dy, w, dx, workspace);
}

void conv2d_backward_weights_neon(const struct conv2d_shape *s, const float *x, const float *dy,
                                  float *dw, int accumulate, float *workspace)
{
    conv2d_backward_weights_gemm(&conv_neon, s, x, dy, dw, accumulate, workspace);
}

void conv_transpose2d_neon(const struct conv_transpose2d_shape *s, const float *x, const float *w,
                           const float *bias, float *y, float *workspace)
{
    conv_transpose2d_igemm(&conv_neon, s, x, w, bias, y, workspace);
}

void conv_transpose2d_backward_data_neon(const struct conv_transpose2d_shape *s, const float *dy,
                                         const float *w, float *dx, float *workspace)
{
    conv_transpose2d_backward_data_igemm(&conv_neon, s, dy, w, dx, workspace);
}

void conv_transpose2d_backward_weights_neon(const struct conv_transpose2d_shape *s, const float *x,
                                            const float *dy, float *dw, int accumulate,
                                            float *workspace)
{
    conv_transpose2d_backward_weights_gemm(&conv_neon, s, x, dy, dw, accumulate, workspace);
}

/* Column sums of x [rows, cols], 4 columns per vector. Panels of 16 columns
 * keep four accumulators in registers while the rows stream past, so each
 * row's 64 bytes are read once; the last cols % 16 go 4 at a time, the last
 * cols % 4 one at a time (a per-row load_tail would cost more than the
 * scalar adds). Each column adds in row order, in float (the reference adds
 * in double). */
void sum_rows_neon(size_t rows, size_t cols, const float *x, float *out)
{
    size_t j = 0;
    for (; j + 16 <= cols; j += 16) {
        float32x4_t acc0 = vdupq_n_f32(0.0f), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        for (size_t i = 0; i < rows; i++) {
            const float *row = x + i * cols + j;
            acc0 = vaddq_f32(acc0, vld1q_f32(row));
            acc1 = vaddq_f32(acc1, vld1q_f32(row + 4));
            acc2 = vaddq_f32(acc2, vld1q_f32(row + 8));
            acc3 = vaddq_f32(acc3, vld1q_f32(row + 12));
        }
        vst1q_f32(out + j, acc0);
        vst1q_f32(out + j + 4, acc1);
        vst1q_f32(out + j + 8, acc2);
        vst1q_f32(out + j + 12, acc3);
    }
    for (; j + 4 <= cols; j += 4) {
        float32x4_t acc = vdupq_n_f32(0.0f);
        for (size_t i = 0; i < rows; i++)
            acc = vaddq_f32(acc, vld1q_f32(x + i * cols + j));
        vst1q_f32(out + j, acc);
    }
    for (; j < cols; j++) {
        float acc = 0.0f;
        for (size_t i = 0; i < rows; i++)
            acc += x[i * cols + j];
        out[j] = acc;
    }
}
