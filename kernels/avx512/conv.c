/* AVX512 convolutions: the shared formulations of kernels/conv.c around
 * the 12 x 32 indirect GEMM microkernel and the 8 x 32
 * weight-gradient one. And the row sum
 * (the bias gradient) with intrinsics. */
#include "avx512.h"
#include "vector_math.h"
#include "../conv.h"

static const struct igemm_microkernel igemm_12x32 = {
    .mr = 12, .nr = 32,
    .run = igemm_ukernel_12x32_avx512,
    .epilogue = bias_activation_avx512,
};

static const struct igemm_microkernel igemm_8x1 = {
    .mr = 8, .nr = 1,
    .run = igemm_ukernel_8x1_avx512,
    .epilogue = bias_activation_avx512,
};

static const struct wgemm_microkernel wgemm_8x32 = {
    .mr = 8, .nr = 32,
    .run = wgemm_ukernel_8x32_avx512,
};

static const struct conv_isa conv_avx512 = {
    .igemm_narrow = &igemm_8x1,
    .igemm = &igemm_12x32,
    .wgemm = &wgemm_8x32,
};

/* The kernels-table entries: kernels/conv.c's formulations over conv_avx512. */
void conv2d_avx512(const struct conv2d_shape *s, const float *x, const float *w, const float *bias,
                   enum activation act, const float *residual, float *y, float *workspace)
{
    conv2d_igemm(&conv_avx512, s, x, w, bias, act, residual, y, workspace);
}

void conv2d_backward_data_avx512(const struct conv2d_shape *s, const float *dy, const float *w,
                                 float *dx, float *workspace)
{
    conv2d_backward_data_igemm(&conv_avx512, s, dy, w, dx, workspace);
}

void conv2d_backward_weights_avx512(const struct conv2d_shape *s, const float *x, const float *dy,
                                    float *dw, int accumulate, float *workspace)
{
    conv2d_backward_weights_gemm(&conv_avx512, s, x, dy, dw, accumulate, workspace);
}

void conv_transpose2d_avx512(const struct conv_transpose2d_shape *s, const float *x, const float *w,
                             const float *bias, float *y, float *workspace)
{
    conv_transpose2d_igemm(&conv_avx512, s, x, w, bias, y, workspace);
}

void conv_transpose2d_backward_data_avx512(const struct conv_transpose2d_shape *s, const float *dy,
                                           const float *w, float *dx, float *workspace)
{
    conv_transpose2d_backward_data_igemm(&conv_avx512, s, dy, w, dx, workspace);
}

void conv_transpose2d_backward_weights_avx512(const struct conv_transpose2d_shape *s,
                                              const float *x, const float *dy, float *dw,
                                              int accumulate, float *workspace)
{
    conv_transpose2d_backward_weights_gemm(&conv_avx512, s, x, dy, dw, accumulate, workspace);
}

/* Column sums of x [rows, cols], 16 columns per vector. Panels of 64 columns
 * keep four accumulators in registers while the rows stream past, so each
 * row's 256 bytes are read once; the last cols % 64 go 16 at a time, the
 * very last through masked loads. Each lane adds its column in row order,
 * in float (the reference adds in double). */
void sum_rows_avx512(size_t rows, size_t cols, const float *x, float *out)
{
    size_t j = 0;
    for (; j + 64 <= cols; j += 64) {
        __m512 acc0 = _mm512_setzero_ps(), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        for (size_t i = 0; i < rows; i++) {
            const float *row = x + i * cols + j;
            acc0 = _mm512_add_ps(acc0, _mm512_loadu_ps(row));
            acc1 = _mm512_add_ps(acc1, _mm512_loadu_ps(row + 16));
            acc2 = _mm512_add_ps(acc2, _mm512_loadu_ps(row + 32));
            acc3 = _mm512_add_ps(acc3, _mm512_loadu_ps(row + 48));
        }
        _mm512_storeu_ps(out + j, acc0);
        _mm512_storeu_ps(out + j + 16, acc1);
        _mm512_storeu_ps(out + j + 32, acc2);
        _mm512_storeu_ps(out + j + 48, acc3);
    }
    for (; j < cols; j += 16) {
        __mmask16 m = tail_mask16(cols - j < 16 ? cols - j : 16);
        __m512 acc = _mm512_setzero_ps();
        for (size_t i = 0; i < rows; i++)
            acc = _mm512_add_ps(acc, _mm512_maskz_loadu_ps(m, x + i * cols + j));
        _mm512_mask_storeu_ps(out + j, m, acc);
    }
}
