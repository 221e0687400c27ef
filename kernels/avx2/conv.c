/* AVX2 convolutions: the shared formulations of kernels/conv.c around
 * the 6 x 16 indirect GEMM microkernel and the 4 x 16
 * weight-gradient one. And the row sum
 * (the bias gradient) with intrinsics. */
#include "avx2.h"
#include "vector_math.h"
#include "../conv.h"

static const struct igemm_microkernel igemm_6x16 = {
    .mr = 6, .nr = 16,
    .run = igemm_ukernel_6x16_avx2,
    .epilogue = bias_activation_avx2,
};

static const struct igemm_microkernel igemm_8x1 = {
    .mr = 8, .nr = 1,
    .run = igemm_ukernel_8x1_avx2,
    .epilogue = bias_activation_avx2,
};

static const struct wgemm_microkernel wgemm_4x16 = {
    .mr = 4, .nr = 16,
    .run = wgemm_ukernel_4x16_avx2,
};

static const struct conv_isa conv_avx2 = {
    .igemm_narrow = &igemm_8x1,
    .igemm = &igemm_6x16,
    .wgemm = &wgemm_4x16,
};

/* The kernels-table entries: kernels/conv.c's formulations over conv_avx2. */
void conv2d_avx2(const struct conv2d_shape *s, const float *x, const float *w, const float *bias,
                 enum activation act, const float *residual, float *y, float *workspace)
{
    conv2d_igemm(&conv_avx2, s, x, w, bias, act, residual, y, workspace);
}

void conv2d_backward_data_avx2(const struct conv2d_shape *s, const float *dy, const float *w,
                               float *dx, float *workspace)
{
    conv2d_backward_data_igemm(&conv_avx2, s, dy, w, dx, workspace);
}

void conv2d_backward_weights_avx2(const struct conv2d_shape *s, const float *x, const float *dy,
                                  float *dw, int accumulate, float *workspace)
{
    conv2d_backward_weights_gemm(&conv_avx2, s, x, dy, dw, accumulate, workspace);
}

void conv_transpose2d_avx2(const struct conv_transpose2d_shape *s, const float *x, const float *w,
                           const float *bias, float *y, float *workspace)
{
    conv_transpose2d_igemm(&conv_avx2, s, x, w, bias, y, workspace);
}

void conv_transpose2d_backward_data_avx2(const struct conv_transpose2d_shape *s, const float *dy,
                                         const float *w, float *dx, float *workspace)
{
    conv_transpose2d_backward_data_igemm(&conv_avx2, s, dy, w, dx, workspace);
}

void conv_transpose2d_backward_weights_avx2(const struct conv_transpose2d_shape *s, const float *x,
                                            const float *dy, float *dw, int accumulate,
                                            float *workspace)
{
    conv_transpose2d_backward_weights_gemm(&conv_avx2, s, x, dy, dw, accumulate, workspace);
}

/* Column sums of x [rows, cols], 8 columns per vector. Panels of 32 columns
 * keep four accumulators in registers while the rows stream past, so each
 * row's 128 bytes are read once; the last cols % 32 go 8 at a time, the very
 * last through masked loads. Each lane adds its column in row order, in
 * float (the reference adds in double). */
void sum_rows_avx2(size_t rows, size_t cols, const float *x, float *out)
{
    size_t j = 0;
    for (; j + 32 <= cols; j += 32) {
        __m256 acc0 = _mm256_setzero_ps(), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        for (size_t i = 0; i < rows; i++) {
            const float *row = x + i * cols + j;
            acc0 = _mm256_add_ps(acc0, _mm256_loadu_ps(row));
            acc1 = _mm256_add_ps(acc1, _mm256_loadu_ps(row + 8));
            acc2 = _mm256_add_ps(acc2, _mm256_loadu_ps(row + 16));
            acc3 = _mm256_add_ps(acc3, _mm256_loadu_ps(row + 24));
        }
        _mm256_storeu_ps(out + j, acc0);
        _mm256_storeu_ps(out + j + 8, acc1);
        _mm256_storeu_ps(out + j + 16, acc2);
        _mm256_storeu_ps(out + j + 24, acc3);
    }
    for (; j < cols; j += 8) {
        __m256i m = tail_mask8(cols - j); /* all lanes while 8 or more are left */
        __m256 acc = _mm256_setzero_ps();
        for (size_t i = 0; i < rows; i++)
            acc = _mm256_add_ps(acc, _mm256_maskload_ps(x + i * cols + j, m));
        _mm256_maskstore_ps(out + j, m, acc);
    }
}
